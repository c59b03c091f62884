/**
 * @module
 * Everything a worker's activities need, built from configuration: the
 * exchange stack, the signal ledger, the metrics; and the jobs that are the
 * worker's own rather than an activity's: its live streams follow the
 * listing (new listings join within a refresh), and the ledger is pruned to
 * its retention (at start, then hourly).
 */
import type { Logger } from 'pino';
import type { AlertDeps } from '../activities/alert-activities.js';
import type { ActivityDeps, AlertHandoff } from '../activities/create-activities.js';
import { alertSecrets } from '../alerts/destinations.js';
import { activityLog } from '../activities/activity-context.js';
import type { Config } from '../config.js';
import { createExchangeStack, type ExchangeStack } from '../market-data/exchange-stack.js';
import { selectUniverse, type UniverseFilter } from '../market-data/universe.js';
import { AlertSender } from '../delivery/alert-sender.js';
import { ScannerMetrics } from '../observability/scanner-metrics.js';
import { ledgerSettings, openLedger } from '../storage/ledger/open-ledger.js';

export interface WorkerDeps {
  deps: ActivityDeps;
  alertDeps: AlertDeps;
  stack: ExchangeStack;
  metrics: ScannerMetrics;
  close: () => Promise<void>;
}

/** How often the worker deletes what the ledger's retention no longer keeps. */
const PRUNE_EVERY_MS = 3_600_000;

export async function createWorkerDeps(
  config: Config,
  log: Logger,
  alerts?: AlertHandoff,
): Promise<WorkerDeps> {
  const metrics = new ScannerMetrics();
  // First: a bad DATABASE_URL or a failing migration stops the worker before anything else starts.
  const ledger = await openLedger(ledgerSettings(config));
  const stack = await createExchangeStack(config, {
    streams: true,
    // Bounded (the market client's retry policy) and logged with the activity's ids.
    onRetry: (error, attempt) =>
      activityLog('warn', 'exchange request retried', { attempt, error: `${error.name}: ${error.message}` }),
    onStreamLag: (lagMs) => metrics.streamLag.observe(lagMs / 1000),
  }).catch(async (error: unknown) => {
    await ledger.close();
    throw error;
  });
  metrics.watchMarket(stack.market);
  const universe: UniverseFilter = {
    include: config.SCAN_INCLUDE,
    exclude: config.SCAN_EXCLUDE,
    minQuoteVolume: config.SCAN_MIN_QUOTE_VOLUME,
  };
  const { streams } = stack;
  if (streams) {
    metrics.watchStreams(streams);
    // Every listing the market client loads (in the background, or for a cycle) subscribes what is new.
    // Streams follow include/exclude only: the 24h volumes are a cycle's to ask for (weight 40).
    stack.market.onListing((perpetuals) => {
      const added = streams.follow(
        selectUniverse(perpetuals, {}, { ...universe, minQuoteVolume: 0 }).symbols,
      );
      if (added > 0) log.info({ streams: added, total: streams.size }, 'live streams added for new listings');
    });
  }
  const prune = () =>
    ledger
      .prune(config.LEDGER_RETENTION_DAYS, stack.market.estimatedServerNow())
      .then((pruned) => {
        if (pruned.cycles + pruned.signals > 0) log.info(pruned, 'ledger pruned to its retention');
      })
      .catch((error: unknown) =>
        log.warn({ error: String(error) }, 'ledger prune failed; next try in an hour'),
      );
  void prune();
  const pruning = setInterval(() => void prune(), PRUNE_EVERY_MS);
  pruning.unref();
  const exchangeNow = () => stack.market.estimatedServerNow();
  return {
    stack,
    metrics,
    alertDeps: {
      outbox: ledger,
      transport: new AlertSender(alertSecrets(config.alerts)),
      destinations: config.alerts.destinations,
      lateAfterMs: config.alerts.lateAfterMs,
      giveUpAfterMs: config.alerts.giveUpAfterMs,
      // The ledger's times are the exchange's: an alert's age and lateness too, on a clock measured
      // afresh when stale (no cycle may have run for a while); an exchange that is away does not stop delivery.
      now: () => stack.market.serverNow().catch(exchangeNow),
      metrics: metrics.alerts,
    },
    deps: {
      listing: stack.market,
      clock: { now: exchangeNow },
      pipeline: stack.pipeline,
      store: stack.store,
      ledger,
      expiryCandles: config.SIGNAL_EXPIRY_CANDLES,
      universe,
      fetchConcurrency: config.SCAN_FETCH_CONCURRENCY,
      rules: config.SCAN_RULES,
      ...(alerts ? { alerts } : {}),
      metrics,
    },
    close: async () => {
      clearInterval(pruning);
      await Promise.allSettled([stack.close(), ledger.close()]);
    },
  };
}
