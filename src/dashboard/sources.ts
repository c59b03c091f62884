/**
 * @module
 * What the dashboard reads, each from where the product keeps it: the
 * ledger (reports, cycles, signals, alerts), the candle store in Redis (the
 * series the cycles analysed: no request to the exchange), Temporal (the
 * cycles running now and their `progress` query), and the worker's own
 * /metrics (stream connections, the exchange's used weight). Temporal and
 * the worker may be away: their answers are then empty, never an error.
 */
import type { Client } from '@temporalio/client';
import { type Config, redisTls } from '../config.js';
import { CYCLE_WORKFLOW_TYPE } from '../contract/ids.js';
import { progressQuery } from '../contract/queries.js';
import type { Progress } from '../contract/types.js';
import type { Ohlcv } from '../core/candles.js';
import type { Timeframe } from '../core/timeframes.js';
import { CandleStore } from '../storage/candle-store.js';
import type { Ledger } from '../storage/ledger/ledger.js';
import { ledgerSettings, openLedger } from '../storage/ledger/open-ledger.js';
import { closeRedis, createRedisClient } from '../storage/redis-connection.js';
import { exchangeIdOf } from '../storage/redis-keys.js';
import { connectClient } from '../temporal/client-connection.js';

/** The worker's figures the page shows, from its Prometheus endpoint. */
export interface WorkerFigures {
  streams: { connections: number; subscriptions: number; reconnects: number } | null;
  usedWeight: number | null;
}

export interface RunningCycle {
  cycleId: string;
  progress: Progress | null;
}

export interface DashboardSources {
  ledger: Ledger;
  candles(symbol: string, timeframe: Timeframe): Promise<Ohlcv[] | undefined>;
  running(): Promise<RunningCycle[]>;
  worker(): Promise<WorkerFigures>;
  close(): Promise<void>;
}

/** The dashboard reads Redis afresh each time (CandleStore.shared): its own memory tier stays empty. */
const L1_SERIES = 1;
const WORKER_TIMEOUT_MS = 500;
const TEMPORAL_RETRY_MS = 10_000;

/** A metric's value in Prometheus' text format (the first sample of that name), or null. */
export function metricValue(text: string, name: string): number | null {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([^\\s]+)`, 'm').exec(text);
  const value = match ? Number(match[1]) : NaN;
  return Number.isFinite(value) ? value : null;
}

export async function openSources(config: Config): Promise<DashboardSources> {
  const ledger = await openLedger(ledgerSettings(config));
  // Connects in the background: the ledger's pages work while Redis is away.
  const redis = createRedisClient(config.REDIS_URL, redisTls(config));
  const store = new CandleStore(redis, exchangeIdOf(config), { l1Size: L1_SERIES });
  // Temporal is connected in the background: a page never waits on a connect timeout, and while
  // Temporal is away the running cycles are none (tried again every TEMPORAL_RETRY_MS).
  let temporal: Client | undefined;
  let connecting: Promise<void> | undefined;
  let nextTry = 0;
  const client = (): Client | undefined => {
    if (!temporal && !connecting && Date.now() >= nextTry) {
      nextTry = Date.now() + TEMPORAL_RETRY_MS;
      connecting = connectClient(config)
        .then((connected) => void (temporal = connected))
        .catch(() => undefined)
        .finally(() => (connecting = undefined));
    }
    return temporal;
  };
  client();
  const metricsUrl = `http://${config.METRICS_HOST}:${config.METRICS_PORT}/metrics`;
  return {
    ledger,
    candles: (symbol, timeframe) => store.shared(symbol, timeframe),
    async running() {
      const temporalClient = client();
      if (!temporalClient) return [];
      try {
        const cycles: RunningCycle[] = [];
        const query = `WorkflowType = '${CYCLE_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
        for await (const wf of temporalClient.workflow.list({ query, pageSize: 10 })) {
          const progress = await temporalClient.workflow
            .getHandle(wf.workflowId, wf.runId)
            .query(progressQuery)
            .catch(() => null);
          cycles.push({ cycleId: wf.workflowId, progress });
          if (cycles.length >= 5) break;
        }
        return cycles;
      } catch {
        return [];
      }
    },
    async worker() {
      if (config.METRICS_PORT === 0) return { streams: null, usedWeight: null };
      try {
        const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(WORKER_TIMEOUT_MS) });
        const text = await response.text();
        const connections = metricValue(text, 'scanner_stream_connections');
        return {
          streams:
            connections === null
              ? null
              : {
                  connections,
                  subscriptions: metricValue(text, 'scanner_stream_subscriptions') ?? 0,
                  reconnects: metricValue(text, 'scanner_stream_reconnects') ?? 0,
                },
          usedWeight: metricValue(text, 'scanner_exchange_used_weight'),
        };
      } catch {
        return { streams: null, usedWeight: null };
      }
    },
    async close() {
      await Promise.allSettled([
        ledger.close(),
        closeRedis(redis),
        connecting?.then(() => temporal?.connection.close()) ?? temporal?.connection.close(),
      ]);
    },
  };
}
