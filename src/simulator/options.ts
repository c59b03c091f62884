import { z } from 'zod';
import { DEFAULT_WEIGHT_OPTIONS } from './weight.js';

/** Fault injection, each a rate in [0, 1] of requests or a list; all off by default. */
export const faultOptionsSchema = z
  .object({
    /** Share of REST requests answered 503 with a gateway's plain-text body. */
    errorRate: z.number().min(0).max(1).default(0),
    /** Share of REST requests never answered (the connection stays open). */
    hangRate: z.number().min(0).max(1).default(0),
    /** Share of REST requests answered 200 with a malformed or truncated body. */
    malformedRate: z.number().min(0).max(1).default(0),
    /** Close every WebSocket connection abruptly after about this many ms (0: never). */
    wsDisconnectMs: z.number().int().min(0).default(0),
    /** The WebSocket endpoint is down: open connections drop and new ones are refused (503). */
    wsOutage: z.boolean().default(false),
    /** Symbols delisted now: SETTLING in exchangeInfo, -1121 on klines and ticker. */
    delisted: z.array(z.string()).default([]),
  })
  .strict();
export type FaultOptions = z.infer<typeof faultOptionsSchema>;

export const simulatorOptionsSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    /** 0 picks a free port. */
    port: z.number().int().min(0).max(65535).default(0),
    symbols: z.number().int().min(1).max(4000).default(530),
    seed: z.string().min(1).default('42'),
    /** Mean added latency of a REST answer, and its uniform jitter (default: a fifth of it). */
    latencyMs: z.number().min(0).max(60_000).default(100),
    jitterMs: z.number().min(0).optional(),
    /** Simulated time runs this many times faster than real time. */
    speed: z.number().positive().max(100_000).default(1),
    /** Simulated time at start (ms since the epoch); default: now. */
    startTime: z.number().int().positive().optional(),
    weightLimit: z.number().int().positive().default(DEFAULT_WEIGHT_OPTIONS.limit),
    /** The rolling window of the weight limit (Binance: one minute); shorter in tests. */
    weightWindowMs: z.number().int().positive().default(DEFAULT_WEIGHT_OPTIONS.windowMs),
    banBaseMs: z.number().int().positive().default(DEFAULT_WEIGHT_OPTIONS.banBaseMs),
    /** How often a subscribed kline stream gets an update of its forming candle (real ms). */
    klineUpdateMs: z.number().int().min(10).default(1000),
    /** Server pings on every WebSocket at this interval; no pong by the next one drops it (Binance: 3 minutes). */
    wsPingMs: z.number().int().min(10).default(180_000),
    maxStreamsPerConnection: z.number().int().positive().default(200),
    maxIncomingMessagesPerSecond: z.number().int().positive().default(10),
    /** Compute the recent history of every symbol in the background after start, so the first scan is not slowed. */
    prewarm: z.boolean().default(false),
    faults: faultOptionsSchema.default(faultOptionsSchema.parse({})),
  })
  .strict();
export type SimulatorOptions = z.infer<typeof simulatorOptionsSchema>;
export type SimulatorOptionsInput = z.input<typeof simulatorOptionsSchema>;
