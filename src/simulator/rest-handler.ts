/**
 * @module
 * A REST request, answered as Binance answers it: weight admission (429 and
 * 418 with Retry-After), injected faults, the route, and errors as
 * {"code", "msg"} bodies. The configured latency is split between the two
 * legs, as a network splits it: a request is handled half its latency after
 * it arrived (its weight counted, its answer computed, `serverTime` stamped
 * then) and answered the other half later. A client that estimates the
 * exchange's clock from the midpoint of a request, as NTP does, so reads it
 * without bias.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BinanceApiError, binanceErrors } from './binance-errors.js';
import type { ExchangeState } from './exchange-state.js';
import { drawRestError, drawRestFault, malform } from './faults.js';
import { REST_ERROR_ANSWERS } from './rest-errors.js';
import type { FaultOptions, SimulatorOptions } from './options.js';
import { RawJson, REST_ROUTES } from './rest-api.js';
import type { SimulatorStats } from './stats.js';
import type { WeightLimiter } from './weight.js';

const JSON_TYPE = 'application/json;charset=UTF-8';

export interface RestContext {
  options: SimulatorOptions;
  state: ExchangeState;
  limiter: WeightLimiter;
  stats: SimulatorStats;
  faults(): FaultOptions;
  random: () => number;
}

/** Handles and answers after the latency model's delays; close() drops what is still pending. */
export class RestHandler {
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly hanging = new Set<ServerResponse>();

  constructor(private readonly ctx: RestContext) {}

  private latency(): number {
    const { latencyMs, jitterMs } = this.ctx.options;
    const jitter = jitterMs ?? latencyMs / 5;
    return Math.max(0, latencyMs + (this.ctx.random() * 2 - 1) * jitter);
  }

  private later(fn: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, delayMs);
    this.pending.add(timer);
  }

  private send(
    res: ServerResponse,
    answerMs: number,
    status: number,
    body: string,
    headers: Record<string, string | number>,
    contentType = JSON_TYPE,
  ): void {
    this.later(() => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': contentType, ...headers });
      res.end(body);
    }, answerMs);
  }

  close(): void {
    for (const timer of this.pending) clearTimeout(timer);
    for (const res of this.hanging) res.destroy();
  }

  handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const latencyMs = this.latency();
    this.later(() => this.answer(req, res, url, latencyMs / 2), latencyMs / 2);
  }

  private answer(req: IncomingMessage, res: ServerResponse, url: URL, answerMs: number): void {
    const { state, limiter, stats } = this.ctx;
    const path = url.pathname;
    const ip = req.socket.remoteAddress ?? 'unknown';
    const route = REST_ROUTES[path];
    let weight = 1;
    try {
      if (route) weight = route.weight(url.searchParams);
    } catch {
      weight = 1;
    }
    const admission = limiter.admit(ip, weight);
    // Lower case, as Binance sends it (HTTP header names are case-insensitive; clients must not care).
    const headers = { 'x-mbx-used-weight-1m': admission.usedWeight };
    if (admission.kind !== 'ok') {
      const retryAfter = Math.ceil(admission.retryAfterMs / 1000);
      const status = admission.kind === 'banned' ? 418 : 429;
      const msg =
        admission.kind === 'banned'
          ? `Way too many requests; IP(${ip}) banned until ${admission.bannedUntil}. Please use the websocket for live updates to avoid bans.`
          : `Too many requests; current limit of IP(${ip}) is ${this.ctx.options.weightLimit} requests per minute. Please use the websocket for live updates to avoid polling the API.`;
      stats.record(path, status, 0);
      this.send(res, answerMs, status, JSON.stringify({ code: -1003, msg }), {
        ...headers,
        'Retry-After': retryAfter,
      });
      return;
    }

    const fault = route ? drawRestFault(this.ctx.faults(), this.ctx.random) : 'none';
    if (fault === 'hang') {
      stats.faults.hang++;
      stats.record(path, 0, weight);
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (fault === 'error') {
      const kind = drawRestError(this.ctx.faults(), this.ctx.random);
      stats.faults.error++;
      stats.errors[kind] = (stats.errors[kind] ?? 0) + 1;
      if (kind === 'connection-reset') {
        stats.record(path, 0, weight);
        // After the latency, as a reset mid-answer: the client sees ECONNRESET.
        this.later(() => res.socket?.resetAndDestroy(), answerMs);
        return;
      }
      const answer = REST_ERROR_ANSWERS[kind];
      stats.record(path, answer.status, weight);
      this.send(res, answerMs, answer.status, answer.body, headers, answer.contentType);
      return;
    }

    let status = 200;
    let body: string;
    try {
      if (!route) throw binanceErrors.unknownPath(path, req.method ?? 'GET');
      if (req.method !== 'GET') throw binanceErrors.unknownPath(path, req.method ?? '');
      const names = [...url.searchParams.keys()];
      if (new Set(names).size !== names.length) throw binanceErrors.duplicate();
      const result = route.handle(url.searchParams, state, this.ctx.options);
      if (fault === 'malformed') {
        stats.faults.malformed++;
        const broken = malform(result instanceof RawJson ? result.toJSON() : result, this.ctx.random);
        stats.malformations[broken.kind] = (stats.malformations[broken.kind] ?? 0) + 1;
        body = broken.text;
      } else {
        body = result instanceof RawJson ? result.json : JSON.stringify(result);
      }
    } catch (error) {
      const apiError =
        error instanceof BinanceApiError
          ? error
          : new BinanceApiError(500, -1000, 'An unknown error occurred while processing the request.');
      if (!(error instanceof BinanceApiError)) console.error('[simulator] unexpected error', error);
      status = apiError.status;
      body = JSON.stringify(apiError.body);
    }
    stats.record(path, status, weight);
    this.send(res, answerMs, status, body, headers);
  }
}
