/**
 * @module
 * The product's own Prometheus metrics (the Temporal SDK's are served beside
 * them). Cycle figures are recorded when a cycle's report is saved, by the
 * worker that saves it; request, budget and stream figures are this
 * worker's, read at scrape time from what is watched.
 */
import { AlertDeliveryMetrics } from './alert-metrics.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestCounters } from '../core/markets.js';
import type { CycleReport, TierCounts } from '../contract/types.js';

/** What the metrics read of the market client. */
export interface MarketFigures {
  readonly counters: RequestCounters;
  /** Time requests spent waiting for the shared weight budget. */
  readonly budgetWaitMs: number;
}

/** What the metrics read of the live streams. */
export interface StreamFigures {
  readonly size: number;
  readonly counters: { connections: number; reconnects: number; messages: number; closedCandles: number };
}

export class ScannerMetrics {
  readonly registry = new Registry();
  private readonly cycleSeconds = new Histogram({
    name: 'scanner_cycle_duration_seconds',
    help: 'Wall time of a scan cycle, from its start to its report',
    buckets: [0.5, 1, 2, 3, 5, 10, 20, 60, 120, 300],
    registers: [this.registry],
  });
  private readonly closeToReport = new Histogram({
    name: 'scanner_close_to_report_seconds',
    help: 'From the candle close a cycle serves to its saved report (exchange clock)',
    labelNames: ['trigger'],
    buckets: [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 20, 60],
    registers: [this.registry],
  });
  private readonly cycles = new Counter({
    name: 'scanner_cycles_total',
    help: 'Cycles whose report was saved',
    labelNames: ['trigger'],
    registers: [this.registry],
  });
  private readonly symbols = new Gauge({
    name: 'scanner_last_cycle_symbols',
    help: 'Symbols of the last saved cycle, scanned or failed',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly signals = new Gauge({
    name: 'scanner_last_cycle_signals',
    help: 'Signals of the last saved cycle',
    registers: [this.registry],
  });
  private readonly answers = new Counter({
    name: 'scanner_candle_answers_total',
    help: 'Candle series answered, by the tier that answered (l1, l2, stream, rest)',
    labelNames: ['tier'],
    registers: [this.registry],
  });
  readonly streamLag = new Histogram({
    name: 'scanner_stream_lag_seconds',
    help: 'From a candle close (exchange clock) to its candle in the store, through the live streams',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });

  readonly alerts = new AlertDeliveryMetrics(this.registry);

  constructor() {
    // The process's own: resident memory, heap, event-loop lag, GC, and the
    // open handles a leak of sockets or timers would show (the soak test reads them).
    collectDefaultMetrics({ register: this.registry });
  }

  watchMarket(market: MarketFigures): void {
    this.readOnScrape(
      'scanner_rest_requests',
      'REST requests this worker sent (cumulative)',
      () => market.counters.requests,
    );
    this.readOnScrape(
      'scanner_rest_weight',
      'Request weight this worker spent (cumulative)',
      () => market.counters.weight,
    );
    this.readOnScrape(
      'scanner_rest_retries',
      'REST retries of this worker (cumulative)',
      () => market.counters.retries,
    );
    this.readOnScrape(
      'scanner_exchange_used_weight',
      'Last X-MBX-USED-WEIGHT-1M the exchange reported',
      () => market.counters.usedWeight,
    );
    this.readOnScrape(
      'scanner_budget_wait_seconds',
      'Time requests waited for the shared weight budget (cumulative)',
      () => market.budgetWaitMs / 1000,
    );
  }

  watchStreams(streams: StreamFigures): void {
    this.readOnScrape('scanner_stream_subscriptions', 'Kline streams subscribed', () => streams.size);
    this.readOnScrape(
      'scanner_stream_connections',
      'Open stream connections',
      () => streams.counters.connections,
    );
    this.readOnScrape(
      'scanner_stream_reconnects',
      'Stream reconnections (cumulative)',
      () => streams.counters.reconnects,
    );
    this.readOnScrape(
      'scanner_stream_messages',
      'Kline events the streams received, forming and final (cumulative)',
      () => streams.counters.messages,
    );
    this.readOnScrape(
      'scanner_stream_closed_candles',
      'Closed candles the streams wrote into the store (cumulative)',
      () => streams.counters.closedCandles,
    );
  }

  /** A gauge read from a counter of this worker when Prometheus scrapes. */
  private readOnScrape(name: string, help: string, value: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(value());
      },
    });
  }

  /** One fetchCandles activity's answers, by tier. */
  countAnswers(answers: TierCounts): void {
    for (const [tier, n] of Object.entries(answers)) if (n > 0) this.answers.inc({ tier }, n);
  }

  /** A saved cycle's figures; whatever a report lacks is left out (metrics never fail a save). */
  cycleSaved(report: Partial<CycleReport>): void {
    const count = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) ? n : undefined);
    const seconds = count(report.durationMs);
    if (seconds !== undefined) this.cycleSeconds.observe(seconds / 1000);
    const latency = count(report.closeToReportMs);
    if (latency !== undefined)
      this.closeToReport.observe({ trigger: report.trigger ?? 'unknown' }, latency / 1000);
    this.cycles.inc({ trigger: report.trigger ?? 'unknown' });
    const scanned = count(report.symbolsScanned);
    if (scanned !== undefined) this.symbols.set({ state: 'scanned' }, scanned);
    if (report.failures) this.symbols.set({ state: 'failed' }, report.failures.length);
    if (report.signals) this.signals.set(report.signals.length);
  }
}
