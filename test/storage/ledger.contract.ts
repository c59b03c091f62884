import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/analysis/outcomes.js';
import { figuresOf } from '../../src/analysis/performance.js';
import { ConfigError } from '../../src/core/errors.js';
import { connectLedger, type LedgerSettings } from '../../src/storage/ledger/database.js';
import type { Ledger, OutcomeRecord } from '../../src/storage/ledger/ledger.js';
import { MIGRATION_TABLE } from '../../src/storage/ledger/migrate.js';
import { ledgerMigrations } from '../../src/storage/ledger/migrations.js';
import { openLedger } from '../../src/storage/ledger/open-ledger.js';
import { performanceRowOf } from '../../src/storage/ledger/performance-rows.js';
import type { LedgerDatabase } from '../../src/storage/ledger/schema.js';
import type { LedgerDatabases } from './ledger-databases.js';
import { alertPlanner } from '../../src/alerts/plan-alerts.js';
import { testAlerts, webhookEntry } from '../helpers/alert-destinations.js';
import { missing, report, signal, STEP, stop, T0, target } from './ledger-fixtures.js';

const DAY = 86_400_000;
const at = (cycle: number) => T0 + cycle * STEP;
const none: OutcomeRecord[] = [];

/**
 * What every Ledger does, whichever database is under it (the pattern of
 * test/exchange/weight-budget.contract.ts: each implementation's test file
 * calls this). Each test gets a fresh, empty database.
 */
export function describeLedgerContract(name: string, databases: LedgerDatabases): void {
  if (databases.unavailable) console.warn(`Ledger contract: ${name} skipped: ${databases.unavailable}`);
  const title = `Ledger contract: ${name}${databases.unavailable ? ` (skipped: ${databases.unavailable})` : ''}`;

  describe.skipIf(databases.unavailable !== undefined)(title, () => {
    let settings: LedgerSettings;
    let ledger: Ledger;
    const opened: Ledger[] = [];
    const open = async (s: LedgerSettings = settings) => {
      const made = await openLedger(s);
      opened.push(made);
      return made;
    };
    /** Direct access to the tables, for what the interface does not show. */
    async function inspect<T>(run: (db: Kysely<LedgerDatabase>) => Promise<T>, s = settings): Promise<T> {
      const { db } = await connectLedger(s);
      try {
        return await run(db);
      } finally {
        await db.destroy();
      }
    }
    const count = (table: keyof LedgerDatabase, s = settings) =>
      inspect(async (db) => {
        const row = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      }, s);
    const tables = (s: LedgerSettings) =>
      inspect(
        async (db) =>
          (await db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name),
        s,
      );

    beforeEach(async () => {
      settings = await databases.fresh();
      ledger = await open();
    });
    afterEach(async () => {
      for (const made of opened.splice(0)) await made.close();
    });
    afterAll(() => databases.dropAll());

    it('applies its migrations at open, once: opening again changes nothing and keeps the data', async () => {
      const first = await ledger.recordCycle({
        report: report('c1', at(1), [signal('BTC/USDT:USDT')]),
        outcomes: none,
        now: at(1),
      });
      await ledger.close();
      const again = await open();
      expect((await again.openSignals()).map((s) => s.id)).toEqual(first.newSignals.map((s) => s.id));
      await again.close();
      await open();
      const applied = await inspect((db) =>
        (db as unknown as Kysely<Record<string, { name: string }>>)
          .selectFrom(MIGRATION_TABLE)
          .select('name')
          .execute(),
      );
      expect(applied.map((m) => m.name)).toEqual(['001-ledger-schema', '002-alert-outbox']);
      expect(await tables(settings)).toEqual(
        expect.arrayContaining(['cycles', 'signals', 'signal_sightings']),
      );
    });

    it('records a cycle once: a retried or replayed call writes nothing and answers as the first did', async () => {
      const cycle = report('c1', at(1), [
        signal('BTC/USDT:USDT', 'LONG', 80),
        signal('ETH/USDT:USDT', 'SHORT', 70),
        signal('SOL/USDT:USDT'),
      ]);
      const first = await ledger.recordCycle({ report: cycle, outcomes: none, now: at(1) + 5_000 });
      expect(first.recorded).toBe(true);
      expect(first.newSignals.map((s) => s.symbol)).toEqual([
        'BTC/USDT:USDT',
        'ETH/USDT:USDT',
        'SOL/USDT:USDT',
      ]);
      expect(first.newSignals[0]).toMatchObject(cycle.signals[0]!);

      const retried = await ledger.recordCycle({ report: cycle, outcomes: none, now: at(1) + 60_000 });
      expect(retried.recorded).toBe(false);
      expect(retried.newSignals).toEqual(first.newSignals);
      expect(retried.outcomesApplied).toBe(0);
      expect(retried.headline).toEqual(first.headline);
      // A replay that differs (another attempt's report): the first write stands.
      const other = report('c1', at(1), [signal('XRP/USDT:USDT')]);
      expect((await ledger.recordCycle({ report: other, outcomes: none, now: at(2) })).recorded).toBe(false);

      expect(await count('cycles')).toBe(1);
      expect(await count('signal_sightings')).toBe(3);
      const stored = await ledger.signals();
      expect(stored).toHaveLength(3);
      expect(stored.every((s) => s.timesSeen === 1)).toBe(true);
      expect((await ledger.report('c1'))?.signals).toHaveLength(3);
    });

    it('a signal seen again is the same signal: last seen and best score move, its first levels stay', async () => {
      const first = await ledger.recordCycle({
        report: report('c1', at(1), [signal('BTC/USDT:USDT', 'LONG', 55, { price: 100, candleTime: at(0) })]),
        outcomes: none,
        now: at(1),
      });
      const id = first.newSignals[0]!.id;
      const second = await ledger.recordCycle({
        report: report('c2', at(2), [signal('BTC/USDT:USDT', 'LONG', 75, { price: 101, candleTime: at(1) })]),
        outcomes: none,
        now: at(2),
      });
      expect(second.newSignals).toEqual([]);
      await ledger.recordCycle({
        report: report('c3', at(3), [signal('BTC/USDT:USDT', 'LONG', 65, { price: 102, candleTime: at(2) })]),
        outcomes: none,
        now: at(3),
      });
      const [stored] = await ledger.openSignals();
      expect(stored).toMatchObject({
        id,
        firstCycleId: 'c1',
        lastCycleId: 'c3',
        firstSeenAt: at(1),
        lastSeenAt: at(3),
        timesSeen: 3,
        firstScore: 55,
        bestScore: 75,
        entry: 100,
        candleTime: at(0),
        timeframe: '5m',
        outcome: null,
      });
      expect(stored!.risk).toBeCloseTo(1.5, 12);
      expect(await count('signal_sightings')).toBe(3);
    });

    it('a cycle recorded late (an older one) does not move the last sighting back', async () => {
      await ledger.recordCycle({
        report: report('c5', at(5), [signal('BTC/USDT:USDT', 'LONG', 50)]),
        outcomes: none,
        now: at(5),
      });
      await ledger.recordCycle({
        report: report('c4', at(4), [signal('BTC/USDT:USDT', 'LONG', 90)]),
        outcomes: none,
        now: at(6),
      });
      const [stored] = await ledger.openSignals();
      expect(stored).toMatchObject({ lastCycleId: 'c5', lastSeenAt: at(5), bestScore: 90, timesSeen: 2 });
    });

    it('identity is (symbol, direction): the other side of a symbol is another signal', async () => {
      await ledger.recordCycle({
        report: report('c1', at(1), [signal('BTC/USDT:USDT', 'LONG')]),
        outcomes: none,
        now: at(1),
      });
      const second = await ledger.recordCycle({
        report: report('c2', at(2), [signal('BTC/USDT:USDT', 'SHORT')]),
        outcomes: none,
        now: at(2),
      });
      expect(second.newSignals).toHaveLength(1);
      expect((await ledger.openSignals()).map((s) => s.direction)).toEqual(['LONG', 'SHORT']);
    });

    it('a signal resolved and then seen again is a new signal, also in the cycle that resolves it', async () => {
      const first = await ledger.recordCycle({
        report: report('c1', at(1), [signal('BTC/USDT:USDT')]),
        outcomes: none,
        now: at(1),
      });
      const id = first.newSignals[0]!.id;
      const second = await ledger.recordCycle({
        report: report('c2', at(4), [signal('BTC/USDT:USDT', 'LONG', 70, { candleTime: at(3) })]),
        outcomes: [{ signalId: id, outcome: target(at(4)) }],
        now: at(4),
      });
      expect(second.outcomesApplied).toBe(1);
      expect(second.newSignals).toHaveLength(1);
      const newId = second.newSignals[0]!.id;
      expect(newId).not.toBe(id);
      const third = await ledger.recordCycle({
        report: report('c3', at(5), [signal('BTC/USDT:USDT', 'LONG', 72)]),
        outcomes: none,
        now: at(5),
      });
      expect(third.newSignals).toEqual([]);
      const all = await ledger.signals({ symbol: 'BTC/USDT:USDT' });
      expect(all.map((s) => [s.id, s.outcome?.kind ?? 'open', s.timesSeen])).toEqual([
        [newId, 'open', 2],
        [id, 'target', 1],
      ]);
    });

    it('concurrent cycles leave at most one open signal per (symbol, direction), and none fails', async () => {
      const symbol = (i: number) => `S${String(i).padStart(2, '0')}/USDT:USDT`;
      const side = (i: number) => (i % 3 ? 'LONG' : 'SHORT');
      const start = await ledger.recordCycle({
        report: report(
          'c0',
          at(0),
          Array.from({ length: 60 }, (_, i) => signal(symbol(i), side(i), 40 + i)),
        ),
        outcomes: none,
        now: at(0),
      });
      const ids = start.newSignals.map((s) => s.id);
      // Six cycles at once, each seeing 40 of the 60 (rotated) and one of its own, and resolving 5 others: the
      // outcomes lock rows by id, the upserts by (symbol, direction), in different orders.
      const cycles = [1, 2, 3, 4, 5, 6].map((n) => ({
        report: report(`c${n}`, at(n), [
          ...Array.from({ length: 40 }, (_, i) =>
            signal(symbol((i + 7 * n) % 60), side((i + 7 * n) % 60), 50),
          ),
          signal(`ONLY${n}/USDT:USDT`),
        ]),
        outcomes: ids.slice(5 * n, 5 * n + 5).map((signalId) => ({ signalId, outcome: target(at(n)) })),
        now: at(n),
      }));
      const results = await Promise.allSettled(cycles.map((c) => ledger.recordCycle(c)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const open = await ledger.openSignals();
      expect(new Set(open.map((s) => `${s.symbol} ${s.direction}`)).size).toBe(open.length);
      const resolved = await ledger.signals({ open: false });
      expect(resolved.map((s) => s.id).sort((a, b) => a - b)).toEqual(ids.slice(5, 35).sort((a, b) => a - b));
      expect(await count('signal_sightings')).toBe(60 + 6 * 41);
      const sightings = open.concat(resolved).reduce((sum, s) => sum + s.timesSeen, 0);
      expect(sightings).toBe(60 + 6 * 41);
    });

    it('two concurrent calls for one cycle record it once', async () => {
      const cycle = report('c1', at(1), [signal('BTC/USDT:USDT'), signal('ETH/USDT:USDT')]);
      const results = await Promise.all(
        [1, 2, 3].map(() => ledger.recordCycle({ report: cycle, outcomes: none, now: at(1) })),
      );
      expect(results.filter((r) => r.recorded)).toHaveLength(1);
      expect(results.every((r) => r.newSignals.length === 2)).toBe(true);
      expect(await count('signal_sightings')).toBe(2);
      expect((await ledger.openSignals()).every((s) => s.timesSeen === 1)).toBe(true);
    });

    it('the database itself refuses a second open signal of one (symbol, direction)', async () => {
      await ledger.recordCycle({
        report: report('c1', at(1), [signal('BTC/USDT:USDT')]),
        outcomes: none,
        now: at(1),
      });
      const row = (outcome: 'missing' | null) => ({
        symbol: 'BTC/USDT:USDT',
        direction: 'LONG' as const,
        timeframe: '5m',
        first_cycle_id: 'c1',
        last_cycle_id: 'c1',
        first_candle_time: new Date(at(0)).toISOString(),
        entry: 100,
        stop: 98.5,
        target: 103,
        risk: 1.5,
        first_score: 60,
        best_score: 60,
        timeframes: '["5m"]',
        reasons: '[]',
        first_seen_at: new Date(at(1)).toISOString(),
        last_seen_at: new Date(at(1)).toISOString(),
        times_seen: 1,
        outcome,
        outcome_at: outcome ? new Date(at(2)).toISOString() : null,
        outcome_reason: outcome ? 'gone' : null,
      });
      await expect(inspect((db) => db.insertInto('signals').values(row(null)).execute())).rejects.toThrow(
        /unique/i,
      );
      await inspect((db) => db.insertInto('signals').values(row('missing')).execute()); // a resolved one may repeat
      expect(await count('signals')).toBe(2);
    });

    it('applies outcomes only to signals still open, and keeps each whole', async () => {
      const first = await ledger.recordCycle({
        report: report('c1', at(1), [signal('BTC/USDT:USDT'), signal('DEAD/USDT:USDT', 'SHORT')]),
        outcomes: none,
        now: at(1),
      });
      const [btc, dead] = first.newSignals.map((s) => s.id);
      const resolved: Outcome = target(at(4));
      const gone: Outcome = missing(at(2));
      const second = await ledger.recordCycle({
        report: report('c2', at(4), []),
        outcomes: [
          { signalId: btc!, outcome: resolved },
          { signalId: dead!, outcome: gone },
        ],
        now: at(4),
      });
      expect(second.outcomesApplied).toBe(2);
      const third = await ledger.recordCycle({
        report: report('c3', at(5), []),
        outcomes: [
          { signalId: btc!, outcome: stop(at(5)) },
          { signalId: 987_654, outcome: stop(at(5)) },
        ],
        now: at(5),
      });
      expect(third.outcomesApplied).toBe(0);
      // Counted once in the headline: the outcomes that did not apply added nothing.
      expect(third.headline).toMatchObject({ resolved: 2, targets: 1, stops: 0, missing: 1, averageR: 2 });
      // Nor does a replay of the cycle that applied them.
      const replay = await ledger.recordCycle({
        report: report('c2', at(4), []),
        outcomes: [{ signalId: btc!, outcome: resolved }],
        now: at(5),
      });
      expect(replay).toMatchObject({ recorded: false, outcomesApplied: 0, headline: third.headline });
      const stored = await ledger.signals({ open: false });
      expect(stored.find((s) => s.id === btc)?.outcome).toEqual(resolved);
      expect(stored.find((s) => s.id === dead)?.outcome).toEqual(gone);
      expect(await ledger.openSignals()).toEqual([]);
    });

    it('two outcomes given for one signal in one call: the first applies, counted once', async () => {
      const first = await ledger.recordCycle({
        report: report('c1', at(1), [signal('BTC/USDT:USDT')]),
        outcomes: none,
        now: at(1),
      });
      const id = first.newSignals[0]!.id;
      const second = await ledger.recordCycle({
        report: report('c2', at(4), []),
        outcomes: [
          { signalId: id, outcome: target(at(4)) },
          { signalId: id, outcome: stop(at(3)) },
        ],
        now: at(4),
      });
      expect(second.outcomesApplied).toBe(1);
      expect(second.headline).toMatchObject({ resolved: 1, targets: 1, stops: 0 });
      expect((await ledger.signals({ open: false }))[0]?.outcome).toEqual(target(at(4)));
    });

    it('a report goes in and comes out equal; the latest is the one that started last', async () => {
      const full = report(
        'scan-2026-01-05T10:10:00Z',
        at(2),
        [signal('BTC/USDT:USDT', 'LONG', 88), signal('ETH/USDT:USDT', 'SHORT', 61)],
        {
          trigger: 'adhoc',
          saveError: 'Redis unavailable: ECONNREFUSED',
        },
      );
      full.signals[0]!.price = 97_123.456789;
      full.signals[0]!.stop = 96_000.1;
      full.signals[0]!.target = 99_999.99;
      const { headline } = await ledger.recordCycle({ report: full, outcomes: none, now: at(3) });
      const older = report('scan-2026-01-05T10:05:00Z', at(1), []);
      // Recorded after, started before.
      const { headline: later } = await ledger.recordCycle({ report: older, outcomes: none, now: at(4) });
      // As given, with the ledger's headline as the cycle left it.
      expect(headline.openSignals).toBe(2);
      expect(await ledger.report(full.cycleId)).toEqual({ ...full, ledger: headline });
      expect(await ledger.report(older.cycleId)).toEqual({ ...older, ledger: later });
      expect(await ledger.report('no-such-cycle')).toBeUndefined();
      expect(await ledger.latestReport()).toEqual({ ...full, ledger: headline });
    });

    it('recent cycles: newest first, as many as asked, with their counts', async () => {
      const baseStats = report('x', 0, []).stats;
      for (const n of [3, 1, 2])
        await ledger.recordCycle({
          report: report(
            `c${n}`,
            at(n),
            n === 2 ? [signal('BTC/USDT:USDT')] : [],
            n === 2
              ? { closeTime: new Date(at(2) - 5_000).toISOString(), closeToReportMs: 7_654 }
              : n === 3
                ? { trigger: 'close', stats: { ...baseStats, cacheDegraded: true } }
                : {},
          ),
          outcomes: none,
          now: at(n) + 9_000,
        });
      const recent = await ledger.recentCycles(2);
      expect(recent.map((c) => c.cycleId)).toEqual(['c3', 'c2']);
      expect((await ledger.recentCycles(10)).map((c) => c.cycleId)).toEqual(['c3', 'c2', 'c1']);
      expect(recent[1]).toEqual({
        cycleId: 'c2',
        trigger: 'schedule',
        status: 'completed',
        startedAt: at(2),
        finishedAt: at(2) + 4_321,
        durationMs: 4_321,
        symbolsRequested: 530,
        symbolsScanned: 527,
        symbolsFailed: 3,
        signals: 1,
        closeTime: at(2) - 5_000,
        closeToReportMs: 7_654,
        recordedAt: at(2) + 9_000,
      });
      expect(recent[0]).toMatchObject({
        cycleId: 'c3',
        trigger: 'close',
        status: 'degraded',
        closeTime: null,
        closeToReportMs: null,
      });
    });

    it('signals: open or resolved, by symbol, since a time, newest first; resolved since a time', async () => {
      await ledger.recordCycle({
        report: report('c1', at(1), [signal('BTC/USDT:USDT'), signal('ETH/USDT:USDT')]),
        outcomes: none,
        now: at(1),
      });
      const [btc] = (await ledger.openSignals()).map((s) => s.id);
      await ledger.recordCycle({
        report: report('c2', at(2), [signal('SOL/USDT:USDT'), signal('BTC/USDT:USDT', 'SHORT')]),
        outcomes: [{ signalId: btc!, outcome: stop(at(2)) }],
        now: at(2),
      });
      const names = (list: Array<{ symbol: string; direction: string }>) =>
        list.map((s) => `${s.symbol} ${s.direction}`);
      expect(names(await ledger.signals())).toEqual([
        'SOL/USDT:USDT LONG',
        'BTC/USDT:USDT SHORT',
        'ETH/USDT:USDT LONG',
        'BTC/USDT:USDT LONG',
      ]);
      expect(names(await ledger.signals({ open: true }))).toEqual([
        'SOL/USDT:USDT LONG',
        'BTC/USDT:USDT SHORT',
        'ETH/USDT:USDT LONG',
      ]);
      expect(names(await ledger.signals({ open: false }))).toEqual(['BTC/USDT:USDT LONG']);
      expect(names(await ledger.signals({ symbol: 'BTC/USDT:USDT' }))).toEqual([
        'BTC/USDT:USDT SHORT',
        'BTC/USDT:USDT LONG',
      ]);
      expect(names(await ledger.signals({ since: at(2) }))).toEqual([
        'SOL/USDT:USDT LONG',
        'BTC/USDT:USDT SHORT',
      ]);
      expect(names(await ledger.signals({ since: at(1), open: true, limit: 1 }))).toEqual([
        'SOL/USDT:USDT LONG',
      ]);
      expect(names(await ledger.resolvedSince(at(2)))).toEqual(['BTC/USDT:USDT LONG']);
      expect(await ledger.resolvedSince(at(2) + 1)).toEqual([]);
      expect(names(await ledger.openSignals())).toEqual([
        'BTC/USDT:USDT SHORT',
        'ETH/USDT:USDT LONG',
        'SOL/USDT:USDT LONG',
      ]);
    });

    it('the headline: open signals now, outcomes of the last 30 days, their hit rate and average R', async () => {
      const symbols = ['A', 'B', 'C', 'D', 'E', 'F'].map((s) => `${s}/USDT:USDT`);
      const first = await ledger.recordCycle({
        report: report(
          'c1',
          at(1) - 40 * DAY,
          symbols.map((s) => signal(s)),
        ),
        outcomes: none,
        now: at(1) - 40 * DAY,
      });
      const id = (i: number) => first.newSignals[i]!.id;
      const now = at(9);
      const result = await ledger.recordCycle({
        report: report('c2', at(9), []),
        outcomes: [
          { signalId: id(0), outcome: target(now - 35 * DAY) }, // outside the window
          { signalId: id(1), outcome: target(now - 2 * DAY) },
          { signalId: id(2), outcome: stop(now - DAY) },
          {
            signalId: id(3),
            outcome: { ...stop(now - DAY), kind: 'expired', rMultiple: 0.5, price: 100.75 },
          },
          { signalId: id(4), outcome: missing(now - DAY) },
        ],
        now,
      });
      // In the window: a target (2 R), a stop (−1 R), an expiry (0.5 R), a missing one (no R).
      expect(result.headline).toEqual({
        openSignals: 1,
        windowDays: 30,
        resolved: 4,
        targets: 1,
        stops: 1,
        expired: 1,
        missing: 1,
        hitRate: 0.5,
        averageR: expect.closeTo(0.5, 12) as number,
      });
      expect(await ledger.headline(now)).toEqual(result.headline);
      // The rollup agrees with the signals themselves, as performance.ts reads them.
      const fromDay = Date.parse(new Date(now - 29 * DAY).toISOString().slice(0, 10));
      const figures = figuresOf((await ledger.resolvedSince(fromDay)).map(performanceRowOf));
      expect(result.headline).toMatchObject({
        resolved: figures.resolved,
        targets: figures.targets,
        stops: figures.stops,
        hitRate: figures.hitRate,
      });
      expect(result.headline.averageR).toBeCloseTo(figures.averageR!, 12);
      // performanceRows reads only the figures' columns: the same rows as the whole signals give.
      const since = now - 41 * DAY;
      expect(await ledger.performanceRows(since)).toEqual(
        // signals() is newest first; performanceRows oldest first.
        (await ledger.signals({ since })).map(performanceRowOf).reverse(),
      );
      expect((await ledger.performanceRows(since)).length).toBeGreaterThan(3);
      // A month on, those outcomes have left the window; the open signal has not.
      expect(await ledger.headline(now + 31 * DAY)).toMatchObject({
        openSignals: 1,
        resolved: 0,
        hitRate: null,
        averageR: null,
      });
    });

    it('prune: resolved signals past retention, then the cycles past it that nothing refers to, in one go', async () => {
      const now = at(0) + 200 * DAY;
      const old = now - 100 * DAY;
      const a = await ledger.recordCycle({
        report: report('old-a', old, [signal('GONE/USDT:USDT')]),
        outcomes: none,
        now: old,
      });
      const b = await ledger.recordCycle({
        report: report('old-b', old + STEP, [signal('KEPT/USDT:USDT')]),
        outcomes: none,
        now: old,
      });
      await ledger.recordCycle({ report: report('old-c', old + 2 * STEP, []), outcomes: none, now: old });
      await ledger.recordCycle({
        report: report('recent', now - DAY, [signal('OPEN/USDT:USDT')]),
        outcomes: [
          { signalId: a.newSignals[0]!.id, outcome: target(now - 95 * DAY) }, // past retention: goes
          { signalId: b.newSignals[0]!.id, outcome: target(now - 80 * DAY) }, // within: stays, and keeps old-b
        ],
        now: now - DAY,
      });
      expect(await ledger.prune(90, now)).toEqual({ cycles: 2, signals: 1, outcomeDays: 1, alerts: 0 });
      expect((await ledger.recentCycles(10)).map((c) => c.cycleId)).toEqual(['recent', 'old-b']);
      expect((await ledger.signals()).map((s) => s.symbol).sort()).toEqual([
        'KEPT/USDT:USDT',
        'OPEN/USDT:USDT',
      ]);
      expect(await count('signal_sightings')).toBe(2); // old-b's sighting of KEPT, recent's of OPEN
      expect(await ledger.prune(90, now)).toEqual({ cycles: 0, signals: 0, outcomeDays: 0, alerts: 0 });
      expect((await ledger.headline(now)).resolved).toBe(0); // KEPT's outcome, 80 days ago, is outside the 30 days
    });

    it('a cycle whose writes fail half-way leaves nothing of itself behind', async () => {
      const first = await ledger.recordCycle({
        report: report('c1', at(1), [signal('AAA/USDT:USDT'), signal('BBB/USDT:USDT')]),
        outcomes: none,
        now: at(1),
      });
      const [aaa, bbb] = first.newSignals.map((s) => s.id);
      const before = await ledger.signals();
      // The cycle row and AAA's outcome are written before BBB's outcome breaks the outcome constraint.
      const broken = { ...target(at(2)), price: null } as unknown as Outcome;
      const cycle = report('c2', at(2), [signal('AAA/USDT:USDT', 'LONG', 90), signal('CCC/USDT:USDT')]);
      await expect(
        ledger.recordCycle({
          report: cycle,
          outcomes: [
            { signalId: aaa!, outcome: target(at(2)) },
            { signalId: bbb!, outcome: broken },
          ],
          now: at(2),
        }),
      ).rejects.toThrow(/check|constraint/i);
      // And a signal breaking the levels constraint, upserted after the outcomes (sorted last).
      const badLevels = { ...signal('ZZZ/USDT:USDT'), stop: 200 };
      await expect(
        ledger.recordCycle({
          report: report('c2', at(2), [signal('AAA/USDT:USDT', 'LONG', 90), badLevels]),
          outcomes: [{ signalId: aaa!, outcome: target(at(2)) }],
          now: at(2),
        }),
      ).rejects.toThrow(/check|constraint/i);

      expect(await ledger.report('c2')).toBeUndefined();
      expect(await ledger.signals()).toEqual(before);
      expect(await count('cycles')).toBe(1);
      expect(await count('signal_sightings')).toBe(2);
      // Nothing of it landed, so the cycle can still be recorded whole.
      const retried = await ledger.recordCycle({
        report: cycle,
        outcomes: [{ signalId: aaa!, outcome: target(at(2)) }],
        now: at(2),
      });
      expect(retried).toMatchObject({ recorded: true, outcomesApplied: 1 });
      expect(retried.newSignals.map((s) => s.symbol)).toEqual(['AAA/USDT:USDT', 'CCC/USDT:USDT']);
    });

    it('a failing migration leaves no table of its run behind, and says so in one line', async () => {
      const blank = await databases.fresh();
      const failing = openLedger(blank, {
        migrations: (dialect) => ({
          ...ledgerMigrations(dialect),
          '002-broken': {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            async up(db: Kysely<any>) {
              await db.schema.createTable('half_done').addColumn('x', 'integer').execute();
              throw new Error('boom: the second statement failed\nwith a stack below');
            },
          },
        }),
      });
      const error = (await failing.then(
        () => undefined,
        (e: unknown) => e,
      )) as Error;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).not.toContain('\n');
      expect(error.message).toMatch(/migration 002-broken failed.*boom: the second statement failed$/);
      const left = await tables(blank);
      for (const table of ['cycles', 'signals', 'signal_sightings', 'half_done'])
        expect(left).not.toContain(table);
      // The database is as it was: the real migrations apply to it.
      const fixed = await open(blank);
      expect(await fixed.openSignals()).toEqual([]);
    });

    it('stores timestamps in UTC: timestamptz on PostgreSQL, ISO-8601 UTC text on SQLite', async () => {
      await ledger.recordCycle({
        report: report('c1', at(1), [signal('BTC/USDT:USDT')]),
        outcomes: none,
        now: at(1),
      });
      const row = await inspect((db) =>
        db.selectFrom('signals').select(['first_seen_at', 'first_candle_time']).executeTakeFirstOrThrow(),
      );
      if (ledger.dialect === 'postgres') {
        expect(row.first_seen_at).toEqual(new Date(at(1)));
        const types = await inspect(async (db) => {
          const columns = await db.introspection.getTables();
          return columns
            .find((t) => t.name === 'signals')!
            .columns.filter((c) => c.name.endsWith('_at'))
            .map((c) => c.dataType);
        });
        expect(new Set(types)).toEqual(new Set(['timestamptz']));
      } else {
        expect(row).toEqual({
          first_seen_at: new Date(at(1)).toISOString(),
          first_candle_time: new Date(at(-1)).toISOString(),
        });
        await expect(
          inspect((db) => db.updateTable('signals').set({ first_seen_at: '2026-01-05 10:05:00' }).execute()),
        ).rejects.toThrow(/constraint/i);
      }
    });

    describe('the alert outbox', () => {
      const { destinations } = testAlerts({
        destinations: [
          webhookEntry('every', { events: ['signal', 'outcome', 'cycle'] }),
          webhookEntry('digest', { digest: true, minScore: 70 }),
        ],
      });
      const alerts = alertPlanner(destinations, (id) => `http://ui/${id}`);

      it('queues what a cycle wrote, in its transaction; a retry queues nothing more and wakes the same destinations', async () => {
        const cycle = report('c1', at(1), [
          signal('BTC/USDT:USDT', 'LONG', 80),
          signal('ETH/USDT:USDT', 'SHORT', 75),
          signal('SOL/USDT:USDT', 'LONG', 60),
        ]);
        const first = await ledger.recordCycle({ report: cycle, outcomes: none, now: at(1), alerts });
        expect(first.alertDestinations).toEqual(['every', 'digest']);
        const every = await ledger.dueAlerts('every', 10);
        expect(every.map((a) => a.key)).toEqual(first.newSignals.map((s) => `every/signals/${s.id}`));
        expect(every[0]).toMatchObject({
          kind: 'signals',
          cycleId: 'c1',
          status: 'pending',
          attempts: 0,
          createdAt: at(1),
          summary: 'LONG BTC/USDT:USDT score 80',
          message: { cycleUrl: 'http://ui/c1', signals: [{ symbol: 'BTC/USDT:USDT', score: 80 }] },
        });
        const digest = await ledger.dueAlerts('digest', 10);
        expect(digest).toHaveLength(1);
        expect(digest[0]!.key).toBe('digest/signals/cycle-c1');
        expect(digest[0]!.message).toMatchObject({ signals: [{ score: 80 }, { score: 75 }] });

        const retried = await ledger.recordCycle({ report: cycle, outcomes: none, now: at(2), alerts });
        expect(retried.alertDestinations).toEqual(['digest', 'every']);
        expect(await count('alerts')).toBe(4);
        // Seen again by a later cycle: not new, not alerted again.
        const later = report('c2', at(2), [signal('BTC/USDT:USDT', 'LONG', 90)]);
        expect(
          (await ledger.recordCycle({ report: later, outcomes: none, now: at(2), alerts })).alertDestinations,
        ).toEqual([]);
        expect(await count('alerts')).toBe(4);
      });

      it('queues an outcome with the cycle that applied it, and a degraded cycle’s notice', async () => {
        const first = await ledger.recordCycle({
          report: report('c1', at(1), [signal('BTC/USDT:USDT', 'LONG', 80)]),
          outcomes: none,
          now: at(1),
          alerts,
        });
        const id = first.newSignals[0]!.id;
        const degraded = report('c2', at(3), [], { symbolsScanned: 0 });
        await ledger.recordCycle({
          report: degraded,
          outcomes: [{ signalId: id, outcome: target(at(3)) }],
          now: at(3),
          alerts,
        });
        const due = await ledger.dueAlerts('every', 10);
        expect(due.map((a) => a.key)).toEqual([
          `every/signals/${id}`,
          `every/outcome/${id}`,
          'every/cycle/c2',
        ]);
        expect(due[1]!.message).toMatchObject({
          kind: 'outcome',
          outcome: { signalId: id, outcome: 'target', exitPrice: 103, entry: 100 },
        });
        expect(due[2]!.message).toMatchObject({ kind: 'cycle', status: 'failed', symbolsScanned: 0 });
        // One new signal makes no digest; outcomes and cycles were not asked for.
        expect((await ledger.dueAlerts('digest', 10)).map((a) => a.key)).toEqual([`digest/signals/${id}`]);
      });

      it('a planner that throws leaves neither the cycle nor any alert behind', async () => {
        await expect(
          ledger.recordCycle({
            report: report('c1', at(1), [signal('BTC/USDT:USDT')]),
            outcomes: none,
            now: at(1),
            alerts: () => {
              throw new Error('planner broke');
            },
          }),
        ).rejects.toThrow(/planner broke/);
        expect(await count('cycles')).toBe(0);
        expect(await count('alerts')).toBe(0);
      });

      it('delivery bookkeeping: in order, finished once, attempts noted; prune keeps what is pending', async () => {
        await ledger.recordCycle({
          report: report('c1', at(1), [
            signal('AAA/USDT:USDT', 'LONG', 90),
            signal('BBB/USDT:USDT', 'LONG', 80),
          ]),
          outcomes: none,
          now: at(1),
          alerts,
        });
        await ledger.recordCycle({
          report: report('c2', at(2), [signal('CCC/USDT:USDT', 'LONG', 85)]),
          outcomes: none,
          now: at(2),
          alerts,
        });
        const [a, b, c] = await ledger.dueAlerts('every', 10);
        expect([a, b, c].map((x) => x!.summary)).toEqual([
          'LONG AAA/USDT:USDT score 90',
          'LONG BBB/USDT:USDT score 80',
          'LONG CCC/USDT:USDT score 85',
        ]);
        expect((await ledger.dueAlerts('every', 2)).map((x) => x.id)).toEqual([a!.id, b!.id]);
        await ledger.noteAlertAttempt(a!.id, 2, 'DeliveryError: 502 Bad Gateway');
        expect(await ledger.alert(a!.id)).toMatchObject({
          status: 'pending',
          attempts: 2,
          lastError: 'DeliveryError: 502 Bad Gateway',
        });
        expect(await ledger.markAlertSent(a!.id, at(3), 3)).toBe(true);
        expect(await ledger.markAlertSent(a!.id, at(4), 4)).toBe(false); // already sent: the second says so
        expect(await ledger.markAlertFailed(a!.id, at(4), 4, 'late')).toBe(false);
        expect(
          await ledger.markAlertFailed(b!.id, at(3), 5, 'DeliveryRejectedError: 404 Unknown Webhook'),
        ).toBe(true);
        expect(await ledger.alert(a!.id)).toMatchObject({ status: 'sent', attempts: 3, finishedAt: at(3) });
        expect((await ledger.dueAlerts('every', 10)).map((x) => x.id)).toEqual([c!.id]);
        expect((await ledger.alerts({ status: 'failed' })).map((x) => [x.id, x.lastError])).toEqual([
          [b!.id, 'DeliveryRejectedError: 404 Unknown Webhook'],
        ]);
        expect((await ledger.alerts({ destination: 'every', limit: 2 })).map((x) => x.id)).toEqual([
          c!.id,
          b!.id,
        ]);
        expect((await ledger.alerts()).length).toBe(5); // and the digest destination's two
        // An operator queues the failed one again: pending, from zero, dated now; a sent one stays sent.
        expect(await ledger.requeueAlert(b!.id, at(3) + 1_000)).toMatchObject({
          status: 'pending',
          attempts: 0,
          createdAt: at(3) + 1_000,
          finishedAt: null,
          lastError: 'DeliveryRejectedError: 404 Unknown Webhook',
        });
        expect(await ledger.requeueAlert(a!.id, at(4))).toBeUndefined();
        expect((await ledger.dueAlerts('every', 10)).map((x) => x.id)).toEqual([b!.id, c!.id]);
        await ledger.markAlertFailed(b!.id, at(3) + 2_000, 1, 'DeliveryRejectedError: 404 Unknown Webhook');
        // Long after: the finished ones go, the pending ones stay for delivery to decide.
        const pruned = await ledger.prune(1, at(2) + 3 * DAY);
        expect(pruned.alerts).toBe(2);
        expect((await ledger.alerts()).map((x) => x.status)).toEqual(['pending', 'pending', 'pending']);
      });
    });
  });
}
