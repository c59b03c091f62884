/**
 * @module
 * Alert delivery in Prometheus: messages sent, retried and given up per
 * destination, how long a sent one waited in the outbox (queue age) and how
 * long after its candle close it arrived, and the age of the oldest alert
 * still waiting (what an alerting rule should watch: a destination that is
 * down shows here first). Times are the exchange's clock, as the ledger's.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What alert-metrics needs of a sent alert (activities/alert-activities.ts passes the ledger's row). */
export interface SentAlert {
  destination: string;
  kind: string;
  createdAt: number;
  closeTime: number | null;
}

const DELIVERY_BUCKETS = [0.5, 1, 2, 3, 5, 10, 30, 60, 300, 900, 3600];

export class AlertDeliveryMetrics {
  private readonly sent: Counter<'destination' | 'kind'>;
  private readonly retried: Counter<'destination'>;
  private readonly failed: Counter<'destination'>;
  private readonly queueAge: Histogram<'destination'>;
  private readonly closeToDelivery: Histogram<'destination'>;
  private readonly oldestWaiting: Gauge<'destination'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.sent = new Counter({
      name: 'scanner_alerts_sent_total',
      help: 'Alerts delivered, by destination and kind (signals, outcome, cycle)',
      labelNames: ['destination', 'kind'],
      registers,
    });
    this.retried = new Counter({
      name: 'scanner_alerts_retried_total',
      help: 'Alert sending attempts that failed and will be tried again',
      labelNames: ['destination'],
      registers,
    });
    this.failed = new Counter({
      name: 'scanner_alerts_failed_total',
      help: 'Alerts given up (refused by the receiver, or past giveUpAfter)',
      labelNames: ['destination'],
      registers,
    });
    this.queueAge = new Histogram({
      name: 'scanner_alert_queue_age_seconds',
      help: 'From an alert queued (its cycle saved) to delivered',
      labelNames: ['destination'],
      buckets: DELIVERY_BUCKETS,
      registers,
    });
    this.closeToDelivery = new Histogram({
      name: 'scanner_alert_close_to_delivery_seconds',
      help: 'From the candle close an alert is about to its delivery (exchange clock)',
      labelNames: ['destination'],
      buckets: DELIVERY_BUCKETS,
      registers,
    });
    this.oldestWaiting = new Gauge({
      name: 'scanner_alert_oldest_pending_seconds',
      help: 'Age of the oldest alert waiting for delivery, as the destination last read its outbox (0: none)',
      labelNames: ['destination'],
      registers,
    });
  }

  alertSent(alert: SentAlert, now: number): void {
    this.sent.inc({ destination: alert.destination, kind: alert.kind });
    this.queueAge.observe({ destination: alert.destination }, Math.max(0, now - alert.createdAt) / 1000);
    if (alert.closeTime !== null)
      this.closeToDelivery.observe(
        { destination: alert.destination },
        Math.max(0, now - alert.closeTime) / 1000,
      );
  }

  alertRetried(destination: string): void {
    this.retried.inc({ destination });
  }

  alertFailed(destination: string): void {
    this.failed.inc({ destination });
  }

  alertQueue(destination: string, oldestCreatedAt: number | undefined, now: number): void {
    this.oldestWaiting.set(
      { destination },
      oldestCreatedAt === undefined ? 0 : Math.max(0, now - oldestCreatedAt) / 1000,
    );
  }
}
