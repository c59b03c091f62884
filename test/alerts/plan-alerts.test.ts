/**
 * The alert planner (src/alerts/plan-alerts.ts) on hand-made CycleWrites:
 * which alerts one recorded cycle queues for each destination, under each
 * destination's filters, with keys that are unique across destinations.
 */
import { describe, expect, it } from 'vitest';
import type { SignalsMessage } from '../../src/alerts/alert-message.js';
import {
  alertPlanner,
  cycleHealth,
  type CycleWrites,
  type PlannedAlert,
  type ResolvedSignal,
} from '../../src/alerts/plan-alerts.js';
import type { Outcome } from '../../src/analysis/outcomes.js';
import type { Direction, Signal } from '../../src/analysis/signal.js';
import { cycleUrl, loadConfig } from '../../src/config.js';
import type { CycleReport } from '../../src/contract/types.js';
import { testAlerts, webhookEntry } from '../helpers/alert-destinations.js';
import { missing, report, signal, STEP, stop, T0, target } from '../storage/ledger-fixtures.js';

const CYCLE = 'scan-2026-01-05T10:00';
const CLOSE_ISO = new Date(T0).toISOString();

/** A new signal with its ledger id. */
function fresh(
  id: number,
  symbol: string,
  direction: Direction = 'LONG',
  score = 60,
): Signal & { id: number } {
  return { ...signal(symbol, direction, score), id };
}

function resolvedSignal(
  id: number,
  symbol: string,
  outcome: Outcome | null,
  { direction = 'LONG', firstScore = 60 }: { direction?: Direction; firstScore?: number } = {},
): ResolvedSignal {
  const s = signal(symbol, direction, firstScore);
  return { id, symbol, direction, entry: s.price, stop: s.stop, target: s.target, firstScore, outcome };
}

function writes(
  newSignals: Array<Signal & { id: number }>,
  resolved: ResolvedSignal[] = [],
  extra: Partial<CycleReport> = {},
): CycleWrites {
  return {
    report: report(CYCLE, T0 + 5_000, newSignals, { closeTime: CLOSE_ISO, ...extra }),
    newSignals,
    resolved,
  };
}

/** The planner of an alerts document's destinations (parsed as the worker parses them). */
function planner(destinations: unknown[], url?: (cycleId: string) => string) {
  return alertPlanner(testAlerts({ destinations }).destinations, url);
}

const keys = (alerts: PlannedAlert[]) => alerts.map((a) => a.key);

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const SOL = 'SOL/USDT:USDT';

describe('alert planner: new signals', () => {
  it('plans one alert per new signal per destination, keyed destination/signals/<id>', () => {
    const plan = planner([webhookEntry('desk'), webhookEntry('ops')]);
    const alerts = plan(writes([fresh(11, BTC, 'LONG', 80), fresh(12, ETH, 'SHORT', 70)]));
    expect(keys(alerts)).toEqual(['desk/signals/11', 'desk/signals/12', 'ops/signals/11', 'ops/signals/12']);
    const first = alerts[0]!;
    expect(first).toMatchObject({
      destination: 'desk',
      kind: 'signals',
      cycleId: CYCLE,
      signalId: 11,
      summary: `LONG ${BTC} score 80`,
      closeTime: T0,
    });
    const message = first.message as SignalsMessage;
    expect(message).toMatchObject({ kind: 'signals', cycleId: CYCLE, closeTime: T0 });
    expect(message.signals).toHaveLength(1);
    const s = fresh(11, BTC, 'LONG', 80);
    expect(message.signals[0]).toEqual({
      signalId: 11,
      symbol: BTC,
      direction: 'LONG',
      score: 80,
      price: s.price,
      stop: s.stop,
      target: s.target,
      timeframes: s.timeframes,
      reasons: s.reasons,
      candleTime: T0 - STEP,
    });
  });

  it('plans nothing without new signals, or without destinations', () => {
    expect(planner([webhookEntry('desk')])(writes([]))).toEqual([]);
    expect(alertPlanner([])(writes([fresh(1, BTC)]))).toEqual([]);
  });

  it('keeps signals below minScore out (the bound itself is sent)', () => {
    const plan = planner([webhookEntry('desk', { minScore: 70 })]);
    const alerts = plan(
      writes([fresh(1, BTC, 'LONG', 90), fresh(2, ETH, 'LONG', 70), fresh(3, SOL, 'LONG', 69)]),
    );
    expect(keys(alerts)).toEqual(['desk/signals/1', 'desk/signals/2']);
  });

  it('keeps only the directions asked for', () => {
    const plan = planner([
      webhookEntry('longs', { directions: ['LONG'] }),
      webhookEntry('shorts', { directions: ['SHORT'] }),
    ]);
    const alerts = plan(writes([fresh(1, BTC, 'LONG'), fresh(2, ETH, 'SHORT')]));
    expect(keys(alerts)).toEqual(['longs/signals/1', 'shorts/signals/2']);
  });

  it('keeps only the symbols asked for', () => {
    const plan = planner([webhookEntry('majors', { symbols: [BTC, ETH] })]);
    const alerts = plan(writes([fresh(1, SOL), fresh(2, ETH, 'SHORT'), fresh(3, BTC)]));
    expect(keys(alerts)).toEqual(['majors/signals/2', 'majors/signals/3']);
  });

  it('combines the filters', () => {
    const plan = planner([
      webhookEntry('desk', { minScore: 60, directions: ['SHORT'], symbols: [BTC, ETH] }),
    ]);
    const alerts = plan(
      writes([
        fresh(1, BTC, 'SHORT', 90),
        fresh(2, BTC, 'LONG', 90),
        fresh(3, ETH, 'SHORT', 59),
        fresh(4, SOL, 'SHORT', 90),
        fresh(5, ETH, 'SHORT', 60),
      ]),
    );
    expect(keys(alerts)).toEqual(['desk/signals/1', 'desk/signals/5']);
  });

  it('sends no signals to a destination that did not ask for them', () => {
    const plan = planner([webhookEntry('outcomes', { events: ['outcome'] })]);
    expect(plan(writes([fresh(1, BTC)]))).toEqual([]);
  });
});

describe('alert planner: digests', () => {
  it('makes one message of several new signals, keyed destination/signals/cycle-<cycleId>, by rank', () => {
    const plan = planner([webhookEntry('digest', { digest: true })]);
    const ranked = [
      fresh(7, BTC, 'LONG', 90),
      fresh(3, ETH, 'SHORT', 80),
      fresh(9, SOL, 'LONG', 70),
      fresh(4, 'XRP/USDT:USDT', 'SHORT', 60),
    ];
    const alerts = plan(writes(ranked));
    expect(alerts).toHaveLength(1);
    const [digest] = alerts;
    expect(digest).toMatchObject({
      key: `digest/signals/cycle-${CYCLE}`,
      destination: 'digest',
      kind: 'signals',
      cycleId: CYCLE,
      signalId: 7,
      closeTime: T0,
    });
    expect(digest!.summary).toBe(`4 new signals: LONG ${BTC}, SHORT ${ETH}, LONG ${SOL}, …`);
    const message = digest!.message as SignalsMessage;
    expect(message.signals.map((s) => s.signalId)).toEqual([7, 3, 9, 4]);
  });

  it('digests only the signals that pass the filters', () => {
    const plan = planner([webhookEntry('digest', { digest: true, minScore: 75 })]);
    const alerts = plan(
      writes([fresh(1, BTC, 'LONG', 90), fresh(2, ETH, 'LONG', 80), fresh(3, SOL, 'LONG', 70)]),
    );
    expect(keys(alerts)).toEqual([`digest/signals/cycle-${CYCLE}`]);
    expect((alerts[0]!.message as SignalsMessage).signals.map((s) => s.signalId)).toEqual([1, 2]);
    expect(alerts[0]!.summary).toBe(`2 new signals: LONG ${BTC}, LONG ${ETH}`);
  });

  it('sends a single new signal as itself, keyed by its id', () => {
    const plan = planner([webhookEntry('digest', { digest: true })]);
    const alerts = plan(writes([fresh(5, BTC, 'LONG', 90)]));
    expect(keys(alerts)).toEqual(['digest/signals/5']);
    expect((alerts[0]!.message as SignalsMessage).signals).toHaveLength(1);
    // …also when the filters leave one of several.
    const filtered = planner([webhookEntry('digest', { digest: true, directions: ['SHORT'] })]);
    expect(keys(filtered(writes([fresh(1, BTC), fresh(2, ETH, 'SHORT'), fresh(3, SOL)])))).toEqual([
      'digest/signals/2',
    ]);
  });

  it('digests for one destination and not another', () => {
    const plan = planner([webhookEntry('digest', { digest: true }), webhookEntry('each')]);
    expect(keys(plan(writes([fresh(1, BTC), fresh(2, ETH)])))).toEqual([
      `digest/signals/cycle-${CYCLE}`,
      'each/signals/1',
      'each/signals/2',
    ]);
  });
});

describe('alert planner: outcomes', () => {
  const resolved = [
    resolvedSignal(21, BTC, target(T0), { firstScore: 80 }),
    resolvedSignal(22, ETH, stop(T0), { direction: 'SHORT', firstScore: 80 }),
    resolvedSignal(23, SOL, missing(T0), { firstScore: 40 }),
    resolvedSignal(24, 'XRP/USDT:USDT', null, { firstScore: 90 }),
  ];

  it('plans outcome alerts only for destinations with outcome in events', () => {
    const plan = planner([
      webhookEntry('signals-only'),
      webhookEntry('both', { events: ['signal', 'outcome'] }),
      webhookEntry('outcomes', { events: ['outcome'] }),
    ]);
    const alerts = plan(writes([fresh(1, BTC)], resolved));
    expect(keys(alerts)).toEqual([
      'signals-only/signals/1',
      'both/signals/1',
      'both/outcome/21',
      'both/outcome/22',
      'both/outcome/23',
      'outcomes/outcome/21',
      'outcomes/outcome/22',
      'outcomes/outcome/23',
    ]);
  });

  it('carries the outcome as the ledger holds it', () => {
    const alerts = planner([webhookEntry('desk', { events: ['outcome'] })])(writes([], resolved));
    const byKey = new Map(alerts.map((a) => [a.key, a]));
    const hit = byKey.get('desk/outcome/21')!;
    const entry = signal(BTC, 'LONG', 80);
    expect(hit).toMatchObject({
      kind: 'outcome',
      signalId: 21,
      summary: `LONG ${BTC}: target`,
      closeTime: T0,
      message: {
        kind: 'outcome',
        cycleId: CYCLE,
        closeTime: T0,
        outcome: {
          signalId: 21,
          symbol: BTC,
          direction: 'LONG',
          outcome: 'target',
          entry: entry.price,
          stop: entry.stop,
          target: entry.target,
          exitPrice: 103,
          rMultiple: 2,
          outcomeAt: T0,
          reason: null,
        },
      },
    });
    expect(byKey.get('desk/outcome/23')!.message).toMatchObject({
      outcome: {
        outcome: 'missing',
        exitPrice: null,
        rMultiple: null,
        reason: 'no candles at all for the symbol (delisted, or not served)',
      },
    });
  });

  it('follows only the signals the destination was sent: firstScore ≥ minScore, its directions and symbols', () => {
    const plan = planner([
      webhookEntry('high', { events: ['outcome'], minScore: 50 }),
      webhookEntry('bound', { events: ['outcome'], minScore: 80 }),
      webhookEntry('longs', { events: ['outcome'], directions: ['LONG'] }),
      webhookEntry('btc', { events: ['outcome'], symbols: [BTC] }),
    ]);
    expect(keys(plan(writes([], resolved)))).toEqual([
      'high/outcome/21',
      'high/outcome/22',
      'bound/outcome/21',
      'bound/outcome/22',
      'longs/outcome/21',
      'longs/outcome/23',
      'btc/outcome/21',
    ]);
  });
});

describe('alert planner: cycle health', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ symbol: `X${i}/USDT:USDT`, reason: `E${i % 5}` }));

  it('is failed when nothing was scanned', () => {
    expect(cycleHealth(report(CYCLE, T0, [], { symbolsRequested: 530, symbolsScanned: 0 }))).toBe('failed');
  });

  it('is degraded when the cache ran without Redis, or more than 5% of the requested symbols failed', () => {
    const base = { symbolsRequested: 100, symbolsScanned: 100, failures: [] };
    expect(cycleHealth(report(CYCLE, T0, [], base))).toBe('ok');
    const degradedCache = report(CYCLE, T0, [], base);
    degradedCache.stats.cacheDegraded = true;
    expect(cycleHealth(degradedCache)).toBe('degraded');
    expect(cycleHealth(report(CYCLE, T0, [], { ...base, symbolsScanned: 95, failures: many(5) }))).toBe('ok');
    expect(cycleHealth(report(CYCLE, T0, [], { ...base, symbolsScanned: 94, failures: many(6) }))).toBe(
      'degraded',
    );
    // The fixture's 3 failures of 530 are a normal cycle.
    expect(cycleHealth(report(CYCLE, T0, []))).toBe('ok');
  });

  it('plans a cycle alert only for destinations with cycle in events, and only when not ok', () => {
    const plan = planner([webhookEntry('signals'), webhookEntry('health', { events: ['cycle'] })]);
    expect(plan(writes([]))).toEqual([]);

    const failed = plan(writes([], [], { symbolsRequested: 530, symbolsScanned: 0, failures: many(12) }));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      key: `health/cycle/${CYCLE}`,
      destination: 'health',
      kind: 'cycle',
      cycleId: CYCLE,
      signalId: null,
      summary: 'cycle failed: 0/530 scanned',
      closeTime: T0,
      message: {
        kind: 'cycle',
        cycleId: CYCLE,
        closeTime: T0,
        status: 'failed',
        symbolsRequested: 530,
        symbolsScanned: 0,
        symbolsFailed: 12,
        reasons: ['E0', 'E1', 'E2'],
      },
    });

    const cacheDown = writes([], []);
    cacheDown.report.stats.cacheDegraded = true;
    expect(plan(cacheDown)).toMatchObject([
      {
        key: `health/cycle/${CYCLE}`,
        summary: 'cycle degraded: 527/530 scanned',
        message: { status: 'degraded' },
      },
    ]);
  });
});

describe('alert planner: what every alert carries', () => {
  it('carries the cycle URL and the close time, or null without a close', () => {
    const config = loadConfig(
      {},
      { TEMPORAL_UI_URL: 'https://temporal.example/' },
      { requireExchangeUrl: false },
    );
    const plan = planner([webhookEntry('desk', { events: ['signal', 'outcome', 'cycle'] })], (cycleId) =>
      cycleUrl(config, cycleId),
    );
    const url = `https://temporal.example/namespaces/default/workflows/${encodeURIComponent(CYCLE)}`;
    const alerts = plan(writes([fresh(1, BTC)], [resolvedSignal(2, ETH, target(T0))], { symbolsScanned: 0 }));
    expect(keys(alerts)).toEqual(['desk/signals/1', 'desk/outcome/2', `desk/cycle/${CYCLE}`]);
    for (const a of alerts) {
      expect(a.closeTime).toBe(T0);
      expect(a.message.cycleUrl).toBe(url);
      expect(a.message.closeTime).toBe(T0);
    }

    const bare = planner([webhookEntry('desk')])(writes([fresh(1, BTC)], [], { closeTime: undefined }));
    expect(bare[0]!.closeTime).toBeNull();
    expect(bare[0]!.message).not.toHaveProperty('cycleUrl');
    expect(bare[0]!.message).not.toHaveProperty('closeTime');
  });

  it('never gives two alerts the same key, across destinations and kinds', () => {
    const everything = { events: ['signal', 'outcome', 'cycle'] };
    const plan = planner([
      webhookEntry('a', everything),
      webhookEntry('b', { ...everything, digest: true }),
      webhookEntry('c', { ...everything, directions: ['SHORT'] }),
      webhookEntry('a-b', everything),
    ]);
    const alerts = plan(
      writes(
        [fresh(1, BTC), fresh(2, ETH, 'SHORT'), fresh(3, SOL)],
        [resolvedSignal(1, BTC, target(T0)), resolvedSignal(4, ETH, stop(T0), { direction: 'SHORT' })],
        { symbolsScanned: 0 },
      ),
    );
    const all = keys(alerts);
    expect(all.length).toBeGreaterThan(10);
    expect(new Set(all).size).toBe(all.length);
    for (const a of alerts) expect(a.key.startsWith(`${a.destination}/${a.kind}/`)).toBe(true);
  });
});
