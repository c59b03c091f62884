/**
 * @module
 * A running simulator, as its parts see it: its address, options, clock,
 * market, limits, streams, counters and faults.
 */
import type { SimClock } from './clock.js';
import type { ExchangeState } from './exchange-state.js';
import type { KlineStreams } from './kline-streams.js';
import type { FaultOptions, SimulatorOptions } from './options.js';
import type { SimulatorStats } from './stats.js';
import type { WeightLimiter } from './weight.js';

export interface Simulator {
  /** http://host:port: REST under /fapi, WebSocket streams, admin under /admin. */
  readonly url: string;
  readonly wsUrl: string;
  readonly options: SimulatorOptions;
  readonly clock: SimClock;
  readonly state: ExchangeState;
  readonly limiter: WeightLimiter;
  readonly streams: KlineStreams;
  readonly stats: SimulatorStats;
  readonly faults: FaultOptions;
  setFaults(faults: Partial<FaultOptions>): void;
  status(): SimulatorStatus;
  close(): Promise<void>;
}

export function statusOf(sim: Simulator) {
  return {
    now: sim.clock.now(),
    speed: sim.clock.rate,
    symbols: sim.state.universe.length,
    latencyMs: sim.options.latencyMs,
    weightLimit: sim.options.weightLimit,
    faults: sim.faults,
    streams: { connections: sim.streams.connectionCount, subscriptions: sim.streams.streamCount },
    stats: sim.stats.snapshot(),
  };
}

export type SimulatorStatus = ReturnType<typeof statusOf>;
