import { describe, expect, it } from 'vitest';
import type { Ohlcv } from '../../src/core/candles.js';
import { MalformedCandlesError } from '../../src/core/errors.js';
import {
  resolveSignal,
  type FollowedSignal,
  type FollowOptions,
  type Outcome,
  type Resolution,
} from '../../src/analysis/outcomes.js';

/**
 * Hand-worked cases. A LONG enters at 100 with its stop at 95 (risk 5) and
 * its target at 110 (2 R); a SHORT enters at 100, stop 105, target 90. The
 * signal's candle opens at T0; candle i opens at T0 + i × 5 min and closes
 * 5 min later.
 */
const STEP = 300_000;
const T0 = Date.UTC(2026, 0, 5, 10, 0);
const at = (i: number) => T0 + i * STEP;
const candle = (i: number, o: number, h: number, l: number, c: number): Ohlcv => [at(i), o, h, l, c, 1_000];

const LONG: FollowedSignal = { direction: 'LONG', entry: 100, stop: 95, target: 110, candleTime: T0 };
const SHORT: FollowedSignal = { direction: 'SHORT', entry: 100, stop: 105, target: 90, candleTime: T0 };
/** Far enough on for every candle given to have closed and more to be due. */
const LATER: FollowOptions = { timeframeMs: STEP, expiryCandles: 48, now: at(100) };

/** The signal's own candle and the one before it: history the follow-up must skip. */
const history = [candle(-1, 97, 99, 96, 98), candle(0, 98, 100.5, 97.5, 100)];

function resolved(resolution: Resolution): Outcome {
  expect(resolution.status).toBe('resolved');
  if (resolution.status !== 'resolved') throw new Error('still open');
  return resolution.outcome;
}

describe('following a signal to its outcome', () => {
  it('target first: exits at the target, 2 R; MFE 2, MAE from the first candle', () => {
    const outcome = resolved(
      resolveSignal(LONG, [...history, candle(1, 100, 104, 98, 103), candle(2, 103, 111, 101, 109)], LATER),
    );
    // Candle 1: high 104 is +0.8 R, low 98 is −0.4 R. Candle 2 reaches 110: +2 R; its low 101 is no excursion against.
    expect(outcome).toMatchObject({
      kind: 'target',
      price: 110,
      rMultiple: 2,
      mfeR: 2,
      maeR: 0.4,
      candles: 2,
    });
    expect(outcome.at).toBe(at(3)); // the close of candle 2
  });

  it('stop first: exits at the stop, −1 R; the stop candle counts at its open on the favourable side', () => {
    const outcome = resolved(
      resolveSignal(LONG, [...history, candle(1, 100, 102, 97, 98), candle(2, 98, 99, 94, 95)], LATER),
    );
    // Candle 1: +0.4 / −0.6. Candle 2 touches 95: MAE 1; its high 99 (after the stop, we assume) does not count.
    expect(outcome).toMatchObject({ kind: 'stop', price: 95, rMultiple: -1, candles: 2, maeR: 1 });
    expect(outcome.mfeR).toBeCloseTo(0.4, 12);
    expect(outcome.at).toBe(at(3));
  });

  it('both levels in one candle: the stop wins', () => {
    const outcome = resolved(resolveSignal(LONG, [...history, candle(1, 100, 112, 94, 105)], LATER));
    expect(outcome).toMatchObject({ kind: 'stop', price: 95, rMultiple: -1, mfeR: 0, maeR: 1, candles: 1 });
    expect(outcome.reason).toMatch(/stop wins/);
  });

  it('a gap through the stop exits at the open, worse than the stop', () => {
    const outcome = resolved(
      resolveSignal(LONG, [...history, candle(1, 100, 103, 99, 101), candle(2, 93, 94, 90, 92)], LATER),
    );
    // (93 − 100) / 5 = −1.4 R; MFE +0.6 from candle 1's high 103; MAE 1.4 (the open: the low 90 came after the exit).
    expect(outcome).toMatchObject({ kind: 'stop', price: 93, candles: 2 });
    expect(outcome.rMultiple).toBeCloseTo(-1.4, 12);
    expect(outcome.mfeR).toBeCloseTo(0.6, 12);
    expect(outcome.maeR).toBeCloseTo(1.4, 12);
    expect(outcome.reason).toMatch(/gap/);
  });

  it('a gap through the target exits at the open, better than the target', () => {
    const outcome = resolved(resolveSignal(LONG, [...history, candle(1, 112, 113, 111, 112.5)], LATER));
    expect(outcome).toMatchObject({ kind: 'target', price: 112, candles: 1, maeR: 0 });
    expect(outcome.rMultiple).toBeCloseTo(2.4, 12);
    expect(outcome.mfeR).toBeCloseTo(2.4, 12);
  });

  it('expiry: after N candles without either level, exits at the Nth close', () => {
    const candles = [
      ...history,
      candle(1, 100, 104, 97, 102), // +0.8 / −0.6
      candle(2, 102, 105, 99, 104), // +1.0 / −0.2
      candle(3, 104, 108, 101, 106), // +1.6 / (above entry)
      candle(4, 106, 115, 105, 114), // would reach the target, but after expiry
    ];
    const outcome = resolved(resolveSignal(LONG, candles, { ...LATER, expiryCandles: 3 }));
    expect(outcome).toMatchObject({ kind: 'expired', price: 106, candles: 3 });
    expect(outcome.rMultiple).toBeCloseTo(1.2, 12);
    expect(outcome.mfeR).toBeCloseTo(1.6, 12);
    expect(outcome.maeR).toBeCloseTo(0.6, 12);
    expect(outcome.at).toBe(at(4)); // the close of candle 3
  });

  it('a level reached on the Nth candle wins over expiry', () => {
    const outcome = resolved(
      resolveSignal(LONG, [...history, candle(1, 100, 104, 97, 102), candle(2, 102, 110, 101, 108)], {
        ...LATER,
        expiryCandles: 2,
      }),
    );
    expect(outcome).toMatchObject({ kind: 'target', candles: 2, rMultiple: 2 });
  });

  describe('SHORT mirrors', () => {
    it('target first', () => {
      const outcome = resolved(
        resolveSignal(SHORT, [...history, candle(1, 100, 102, 96, 97), candle(2, 97, 99, 89, 91)], LATER),
      );
      // Candle 1: low 96 is +0.8 R, high 102 is −0.4 R; candle 2 reaches 90: +2 R.
      expect(outcome).toMatchObject({ kind: 'target', price: 90, rMultiple: 2, mfeR: 2, candles: 2 });
      expect(outcome.maeR).toBeCloseTo(0.4, 12);
    });

    it('both levels in one candle: the stop wins', () => {
      const outcome = resolved(resolveSignal(SHORT, [...history, candle(1, 100, 106, 88, 95)], LATER));
      expect(outcome).toMatchObject({
        kind: 'stop',
        price: 105,
        rMultiple: -1,
        mfeR: 0,
        maeR: 1,
        candles: 1,
      });
    });

    it('a gap through the stop exits at the open', () => {
      const outcome = resolved(
        resolveSignal(SHORT, [...history, candle(1, 100, 101, 98, 99), candle(2, 107, 109, 106, 108)], LATER),
      );
      expect(outcome).toMatchObject({ kind: 'stop', price: 107, candles: 2 });
      expect(outcome.rMultiple).toBeCloseTo(-1.4, 12);
      expect(outcome.mfeR).toBeCloseTo(0.4, 12); // low 98
      expect(outcome.maeR).toBeCloseTo(1.4, 12);
    });

    it('expiry at the Nth close', () => {
      const outcome = resolved(
        resolveSignal(SHORT, [...history, candle(1, 100, 103, 97, 98), candle(2, 98, 99, 94, 96)], {
          ...LATER,
          expiryCandles: 2,
        }),
      );
      // Exit at 96: (100 − 96) / 5 = +0.8 R; MFE 1.2 (low 94), MAE 0.6 (high 103).
      expect(outcome).toMatchObject({ kind: 'expired', price: 96, candles: 2 });
      expect(outcome.rMultiple).toBeCloseTo(0.8, 12);
      expect(outcome.mfeR).toBeCloseTo(1.2, 12);
      expect(outcome.maeR).toBeCloseTo(0.6, 12);
    });
  });

  describe('candles missing', () => {
    it('no candles at all (delisted): missing, with its reason', () => {
      const outcome = resolved(resolveSignal(LONG, [], LATER));
      expect(outcome).toMatchObject({
        kind: 'missing',
        price: null,
        rMultiple: null,
        mfeR: null,
        maeR: null,
        candles: 0,
      });
      expect(outcome.reason).toMatch(/no candles at all/);
      expect(outcome.at).toBe(at(1));
    });

    it("a series that ends at the signal's candle, long enough ago: missing", () => {
      const outcome = resolved(resolveSignal(LONG, history, LATER));
      expect(outcome).toMatchObject({ kind: 'missing', candles: 0, mfeR: null });
      expect(outcome.reason).toMatch(/no candles after .*delisted or halted/);
    });

    it('a series that stops after some candles: missing, with the excursions of those candles', () => {
      const outcome = resolved(
        resolveSignal(LONG, [...history, candle(1, 100, 104, 97, 102), candle(2, 102, 105, 99, 104)], LATER),
      );
      expect(outcome).toMatchObject({ kind: 'missing', candles: 2, price: null, rMultiple: null, mfeR: 1 });
      expect(outcome.maeR).toBeCloseTo(0.6, 12);
      expect(outcome.at).toBe(at(3));
      expect(outcome.reason).toMatch(/ends at .* after 2 candles/);
    });

    it('a hole in the series: missing at the first absent candle', () => {
      const candles = [...history, candle(1, 100, 104, 97, 102), candle(3, 102, 105, 99, 104)];
      const outcome = resolved(resolveSignal(LONG, candles, LATER));
      expect(outcome).toMatchObject({ kind: 'missing', candles: 1, at: at(2) });
      expect(outcome.reason).toContain(`no candle at ${new Date(at(2)).toISOString()}`);
      expect(outcome.reason).toMatch(/gap/);
    });

    it("a hole right after the signal's candle (the series kept starts later): missing", () => {
      const outcome = resolved(resolveSignal(LONG, [candle(5, 100, 101, 99, 100)], LATER));
      expect(outcome).toMatchObject({ kind: 'missing', candles: 0, at: at(1) });
    });
  });

  describe('not enough candles yet', () => {
    const two = [...history, candle(1, 100, 104, 97, 102), candle(2, 102, 105, 99, 104)];

    it('stays open, with the figures so far', () => {
      // Candle 3 closes at at(4); with the default grace (one timeframe) it is due at at(5).
      expect(resolveSignal(LONG, two, { ...LATER, now: at(4) + 1_000 })).toEqual({
        status: 'open',
        candles: 2,
        mfeR: 1,
        maeR: expect.closeTo(0.6, 12) as number,
        lastClose: 104,
      });
    });

    it('becomes missing once the next candle is overdue by the grace', () => {
      expect(resolveSignal(LONG, two, { ...LATER, now: at(5) - 1 }).status).toBe('open');
      expect(resolveSignal(LONG, two, { ...LATER, now: at(5) }).status).toBe('resolved');
      expect(resolveSignal(LONG, two, { ...LATER, now: at(4), graceMs: 0 }).status).toBe('resolved');
    });

    it('a signal whose first candle has not closed yet stays open', () => {
      expect(resolveSignal(LONG, history, { ...LATER, now: at(1) + 60_000 })).toEqual({
        status: 'open',
        candles: 0,
        mfeR: 0,
        maeR: 0,
        lastClose: null,
      });
    });

    it('ignores a candle that has not closed yet, even one that touches a level', () => {
      const forming = [...history, candle(1, 100, 104, 97, 102), candle(2, 102, 111, 101, 109)];
      const resolution = resolveSignal(LONG, forming, { ...LATER, now: at(2) + 60_000 });
      expect(resolution).toMatchObject({ status: 'open', candles: 1 });
    });
  });

  describe('bad input', () => {
    it('refuses a series out of order or repeated', () => {
      const repeated = [...history, candle(1, 100, 104, 97, 102), candle(1, 100, 104, 97, 102)];
      expect(() => resolveSignal(LONG, repeated, LATER)).toThrow(MalformedCandlesError);
    });

    it('refuses levels on the wrong side of the entry', () => {
      expect(() => resolveSignal({ ...LONG, stop: 101 }, history, LATER)).toThrow(RangeError);
      expect(() => resolveSignal({ ...SHORT, target: 110 }, history, LATER)).toThrow(RangeError);
    });
  });
});
