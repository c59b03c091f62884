/**
 * @module
 * The simulator's options, their ranges and defaults: one schema for the
 * command line (sim.ts), tests and the admin API.
 */
import { z } from 'zod';
import { REST_ERRORS } from './rest-errors.js';
import { DEFAULT_WEIGHT_OPTIONS } from './weight.js';

/** Fault injection, each a rate in [0, 1] of requests or a list; all off by default. */
export const faultOptionsSchema = z
  .object({
    /** Share of REST requests answered with one of Binance's documented failures (errorKinds, drawn evenly). */
    errorRate: z.number().min(0).max(1).default(0),
    /** Which failures: 503 -1001, 503 "Service Unavailable.", 408 -1007, a load balancer's 502 page, a reset connection. */
    errorKinds: z
      .array(z.enum(REST_ERRORS))
      .min(1)
      .default([...REST_ERRORS]),
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
    // WebSocket market streams (kline-streams.ts). Sources: Binance's "Websocket Market Streams" and
    // "Kline/Candlestick Streams" pages (USDⓈ-M), its change log, freqtrade#11571.
    /** A kline stream's update cadence, when its candle changed (real ms; Binance: "Update Speed: 250ms"). */
    klineUpdateMs: z.number().int().min(10).default(250),
    /**
     * Delay of a candle's final event (k.x = true) after its close, by the exchange clock (ms): on Binance
     * futures "almost exactly 2s after the candle actually closed" (freqtrade#11571). Bounded far below
     * the shortest candle (1m), so only one final can be pending per stream.
     */
    klineFinalDelayMs: z.number().int().min(0).max(30_000).default(2_000),
    /** Each final's delay is uniform in klineFinalDelayMs ± this (drawn per stream and candle from the seed). */
    klineFinalJitterMs: z.number().int().min(0).max(10_000).default(400),
    /** Server ping interval on every WebSocket (real ms; Binance: "a ping frame every 3 minutes"). */
    wsPingMs: z.number().int().min(10).default(180_000),
    /** A connection without a pong for this long is dropped (real ms; Binance: "within a 10 minute period"). */
    wsPongTimeoutMs: z.number().int().min(10).default(600_000),
    /** Every connection is closed this long after it opened (exchange ms; Binance: "only valid for 24 hours"). */
    wsLifetimeMs: z.number().int().min(10).default(86_400_000),
    /** Binance: "A single connection can listen to a maximum of 1024 streams" (200 before 2025-07-02, change log). */
    maxStreamsPerConnection: z.number().int().positive().default(1024),
    /** Binance: "WebSocket connections have a limit of 10 incoming messages per second"; past it, closed (1008). */
    maxIncomingMessagesPerSecond: z.number().int().positive().default(10),
    /**
     * Push kline streams on the retired unrouted paths (/ws, /stream) too, as Binance did before the
     * 2026-04-23 URL split; since then they accept and acknowledge but push no /market stream.
     */
    wsLegacyPaths: z.boolean().default(false),
    /** Compute the recent history of every symbol in the background after start, so the first scan is not slowed. */
    prewarm: z.boolean().default(false),
    /** What prewarm computes: these intervals, this many candles each (what a scanner asks for first). */
    prewarmIntervals: z.array(z.string()).default(['1h', '15m', '5m']),
    prewarmLimit: z.number().int().min(1).max(1500).default(99),
    faults: faultOptionsSchema.default(faultOptionsSchema.parse({})),
  })
  .strict();
export type SimulatorOptions = z.infer<typeof simulatorOptionsSchema>;
export type SimulatorOptionsInput = z.input<typeof simulatorOptionsSchema>;
