// The dashboard page's entry: wires the panels to the API, renders the header (the latest cycle, a running
// cycle's progress), keeps ages current, follows the server's events, and exposes window.__dashboard for
// browser tests.
import './styles.css';
import type { PerformanceGrouping } from '../../src/analysis/performance.js';
import type { LatestAnswer, ProgressAnswer } from '../../src/dashboard/api-types.js';
import { addressWithToken, api, eventsUrl, Unauthorized } from './api.js';
import { ageSpan, el, fill, link } from './dom.js';
import { ago, DASH, percent, rMultiple, seconds, duration, serverNow, syncClock, utc } from './format.js';
import { HealthPanel } from './health-panel.js';
import { LedgerPanel } from './ledger-panel.js';
import { SignalChart, type ChartData, type ChartSubject } from './signal-chart.js';
import { SignalsTable, type RankedSignal, type ShownSignal } from './signals-table.js';

/** What a browser test reads of the page. */
export interface DashboardProbe {
  chartData(): ChartData | null;
  signalsShown(): ShownSignal[];
  /** The cycleId of the report last rendered (null before the first). */
  readonly lastUpdate: string | null;
}

declare global {
  interface Window {
    __dashboard: DashboardProbe;
  }
}

const byId = (id: string) => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no #${id}`);
  return node;
};

// ---- status line: one line of what failed (never an alert()), else how live the page is ----

const errors = new Map<string, string>();
let liveness: 'connecting' | 'live' | 'reconnecting' | 'offline' = 'connecting';
let updatedAt: number | null = null;
let tokenMissing = false;

function renderStatus(): void {
  const status = byId('status');
  status.classList.toggle('error', errors.size > 0);
  if (errors.size > 0) {
    status.textContent = [...errors.values()].join(' · ');
    return;
  }
  const updated = updatedAt === null ? 'loading…' : `updated ${utc(updatedAt).slice(11)}`;
  const live = {
    connecting: 'connecting…',
    live: 'live',
    reconnecting: 'reconnecting…',
    offline: 'offline, retrying',
  }[liveness];
  status.textContent = `${live} · ${updated}`;
}

function succeeded(source: string): void {
  errors.delete(source);
  updatedAt = Date.now();
  renderStatus();
}

function failed(source: string, error: unknown): void {
  if (error instanceof Unauthorized) return needToken();
  errors.set(source, error instanceof Error ? error.message : String(error));
  renderStatus();
}

/** Runs a load, says in the status line whether it worked. */
async function guarded(source: string, load: () => Promise<void>): Promise<void> {
  try {
    await load();
    succeeded(source);
  } catch (error) {
    failed(source, error);
  }
}

/** A 401: one line says how to open the page, and nothing else is shown or asked for. */
function needToken(): void {
  if (tokenMissing) return;
  tokenMissing = true;
  events?.close();
  const auth = byId('auth');
  auth.textContent = `the dashboard needs its token: open it as ${addressWithToken()}`;
  auth.hidden = false;
  byId('main').hidden = true;
  byId('facts').hidden = true;
  byId('cycle').hidden = true;
  byId('progress').hidden = true;
  byId('status').textContent = 'unauthorized';
}

// ---- panels ----

const table = new SignalsTable(byId('signals-root'), byId('signals-count'), (row) => openReportSignal(row));
const chart = new SignalChart(byId('chart-root'), (error) =>
  error === null ? succeeded('chart') : failed('chart', error),
);
const ledger = new LedgerPanel(
  byId('ledger-root'),
  (subject) => openSubject(subject, 'ledger'),
  (by) => void guarded('performance', () => loadPerformance(by)),
);
const health = new HealthPanel(byId('health-root'));

/** Where the chart's subject came from: a report's row follows the next reports; a ledger row stays. */
let chartSource: 'report' | 'ledger' | null = null;
let lastUpdate: string | null = null;

function subjectOfRow({ signal }: RankedSignal): ChartSubject {
  return {
    symbol: signal.symbol,
    direction: signal.direction,
    price: signal.price,
    stop: signal.stop,
    target: signal.target,
    candleTime: signal.candleTime,
    score: signal.score,
  };
}

function openReportSignal(row: RankedSignal, scroll = true): void {
  openSubject(subjectOfRow(row), 'report', scroll);
}

/** Opens a chart; a reader's click also brings the chart into view (a new report never scrolls the page). */
function openSubject(subject: ChartSubject, source: 'report' | 'ledger', scroll = true): void {
  chartSource = source;
  table.select(source === 'report' ? subject.symbol : null);
  void chart.show(subject);
  if (!scroll) return;
  const panel = byId('chart-panel');
  const box = panel.getBoundingClientRect();
  if (box.bottom > window.innerHeight || box.top < 0)
    panel.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

// ---- header ----

function reportStatus(answer: LatestAnswer): string {
  const report = answer.report;
  if (!report) return DASH;
  if (report.saveError) return 'not saved';
  if (report.symbolsRequested > 0 && report.symbolsScanned === 0) return 'failed';
  return report.stats.cacheDegraded ? 'degraded' : 'completed';
}

function renderHeader(answer: LatestAnswer): void {
  const report = answer.report;
  const cycle = byId('cycle');
  if (!report) {
    fill(cycle, 'no report yet');
    fill(byId('facts'));
    return;
  }
  fill(cycle, link(answer.cycleUrl, report.cycleId));
  const finished = Date.parse(report.finishedAt);
  const status = reportStatus(answer);
  const facts: Array<[string, string | Node]> = [
    ['finished', ageSpan(finished, ago(finished))],
    ['status', el('span', { class: `status ${status.replace(' ', '-')}` }, status)],
    ['close → report', seconds(report.closeToReportMs)],
    ['duration', duration(report.durationMs)],
    ['trigger', report.trigger],
    ['scanned', `${report.symbolsScanned} / ${report.symbolsRequested}`],
    ['failed', String(report.failures.length)],
    ['signals', String(report.signals.length)],
  ];
  if (report.ledger)
    facts.push(
      ['open signals', String(report.ledger.openSignals)],
      [`hit rate ${report.ledger.windowDays} d`, percent(report.ledger.hitRate)],
      [`avg R ${report.ledger.windowDays} d`, rMultiple(report.ledger.averageR)],
    );
  fill(byId('facts'), ...facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
  if (report.saveError)
    byId('facts').append(el('dt', {}, 'save error'), el('dd', { class: 'error' }, report.saveError));
}

/** When the last `progress` event came: the bar hides once they stop (the cycle ended). */
let progressAt = 0;

function renderProgress(running: ProgressAnswer['running']): void {
  const bar = byId('progress');
  progressAt = Date.now();
  if (tokenMissing || running.length === 0) {
    bar.hidden = true;
    return;
  }
  bar.hidden = false;
  fill(
    bar,
    ...running.map(({ cycleId, cycleUrl, progress }) => {
      const share = progress && progress.symbolsTotal > 0 ? progress.symbolsDone / progress.symbolsTotal : 0;
      return el(
        'div',
        { class: 'running', 'data-cycle': cycleId },
        el(
          'div',
          { class: 'running-text' },
          'running ',
          link(cycleUrl, cycleId),
          progress
            ? ` · ${progress.phase} · ${progress.symbolsDone} / ${progress.symbolsTotal} symbols · batch ${progress.batchesDone} / ${progress.batchesTotal} · ${progress.signals} signals · ${progress.failures} failed`
            : ' · no progress yet',
        ),
        el(
          'div',
          {
            class: 'bar',
            role: 'progressbar',
            'aria-valuemin': 0,
            'aria-valuemax': progress?.symbolsTotal ?? 0,
            'aria-valuenow': progress?.symbolsDone ?? 0,
          },
          el('i', { style: `width:${(100 * share).toFixed(1)}%` }),
        ),
      );
    }),
  );
}

// ---- loads ----

/** Answers to a load older than the latest of its kind are dropped (events may overtake each other). */
function latestOnly<A extends unknown[]>(load: (isCurrent: () => boolean, ...args: A) => Promise<void>) {
  let generation = 0;
  return (...args: A) => {
    const mine = ++generation;
    return load(() => mine === generation, ...args);
  };
}

const loadLatest = latestOnly(async (isCurrent) => {
  const answer = await api.latest();
  if (!isCurrent()) return;
  syncClock(answer.now);
  renderHeader(answer);
  table.render(answer.report);
  lastUpdate = answer.report?.cycleId ?? null;
  // The chart follows the report: the same symbol's new sighting, else the first row; a ledger subject stays.
  const current = chart.current();
  const again = current && chartSource === 'report' ? table.find(current.symbol) : undefined;
  if (again) openReportSignal(again, false);
  else if (!current || chartSource === null) {
    const first = table.first();
    if (first) openReportSignal(first, false);
  } else void chart.refresh();
});

const loadOpen = latestOnly(async (isCurrent) => {
  const answer = await api.signals({ open: true, limit: 200 });
  if (isCurrent()) ledger.renderOpen(answer);
});

const loadOutcomes = latestOnly(async (isCurrent) => {
  const answer = await api.signals({ open: false, limit: 50 });
  if (isCurrent()) ledger.renderOutcomes(answer);
});

const loadPerformance = latestOnly(async (isCurrent, by: PerformanceGrouping) => {
  const answer = await api.performance(by);
  if (isCurrent()) ledger.renderPerformance(answer);
});

const loadHealth = latestOnly(async (isCurrent) => {
  const answer = await api.health();
  if (isCurrent()) health.render(answer);
});

const loadAlerts = latestOnly(async (isCurrent) => {
  const answer = await api.alerts();
  if (isCurrent()) health.renderAlerts(answer);
});

const loadProgress = async () => renderProgress((await api.progress()).running);

function reloadAll(): void {
  if (tokenMissing) return;
  void guarded('latest', loadLatest);
  void guarded('open signals', loadOpen);
  void guarded('outcomes', loadOutcomes);
  void guarded('performance', () => loadPerformance(ledger.grouping));
  void guarded('health', loadHealth);
  void guarded('alerts', loadAlerts);
}

// ---- events ----
//
// Server-sent events rather than polling or a WebSocket: updates only flow from the server to the page, so a
// one-way stream is all it takes; EventSource reconnects by itself when the connection drops (and the stream
// is plain HTTP, through any proxy); an idle page costs the server one open response and a ping every 15 s,
// instead of a round of requests every few seconds.

let events: EventSource | null = null;
let retryMs = 2000;

function connect(): void {
  if (tokenMissing) return;
  const source = new EventSource(eventsUrl());
  events = source;
  source.addEventListener('open', () => {
    const reconnected = liveness !== 'connecting';
    liveness = 'live';
    retryMs = 2000;
    renderStatus();
    // Events sent while the stream was down are lost: read everything again.
    if (reconnected) reloadAll();
  });
  source.addEventListener('cycle', () => reloadAll());
  source.addEventListener('progress', (event) => onProgress(event.data));
  // An unnamed event carries its type in its data (DashboardEvent).
  source.addEventListener('message', (event: MessageEvent<string>) => {
    const data = parse(event.data) as { type?: string } | null;
    if (data?.type === 'cycle') reloadAll();
    else if (data?.type === 'progress') onProgress(event.data);
  });
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) {
      liveness = 'reconnecting'; // the browser retries by itself
      renderStatus();
      return;
    }
    // Closed for good (an HTTP error such as 401 or 502): find out why, then open a new stream later.
    liveness = 'offline';
    renderStatus();
    void guarded('latest', loadLatest);
    window.setTimeout(() => {
      if (events === source) connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, 60_000);
  });
}

function parse(data: unknown): unknown {
  try {
    return typeof data === 'string' ? JSON.parse(data) : null;
  } catch {
    return null;
  }
}

function onProgress(data: unknown): void {
  const answer = parse(data) as Partial<ProgressAnswer> | null;
  if (answer && Array.isArray(answer.running)) renderProgress(answer.running);
}

// ---- ages, every second ----

function tick(): void {
  const now = serverNow();
  for (const node of document.querySelectorAll<HTMLElement>('[data-since]')) {
    const since = Number(node.dataset.since);
    if (Number.isFinite(since)) node.textContent = ago(since, now);
  }
  if (!byId('progress').hidden && Date.now() - progressAt > 5000) byId('progress').hidden = true;
}

// ---- start ----

window.__dashboard = {
  chartData: () => chart.data(),
  signalsShown: () => table.shown(),
  get lastUpdate() {
    return lastUpdate;
  },
};

connect();
reloadAll();
void guarded('progress', loadProgress);
window.setInterval(tick, 1000);
renderStatus();
