// The latest report's signals: a table in the report's rank order by default, sortable by its headers,
// filtered by side and minimum score; a click on a row opens that signal's chart.
import type { Direction, Signal } from '../../src/analysis/signal.js';
import type { CycleReport } from '../../src/contract/types.js';
import { ageSpan, el, empty, fill, onOpenOf } from './dom.js';
import { ago, price, shortSymbol, timeframeMs } from './format.js';

/** A signal of the report, with its place in it (1-based) and when its candle closed. */
export interface RankedSignal {
  rank: number;
  signal: Signal;
  /** The close of the trigger candle that made it (its open time + the trigger timeframe), ms. */
  closedAt: number;
}

export interface ShownSignal {
  rank: number;
  symbol: string;
  direction: Direction;
  score: number;
}

type SortKey = 'rank' | 'symbol' | 'side' | 'score' | 'age';

/** Each key's order on its first click: ranks and ages ascending, scores highest first. */
const NATURAL: Record<SortKey, 1 | -1> = { rank: 1, symbol: 1, side: 1, score: -1, age: 1 };

const COMPARE: Record<SortKey, (a: RankedSignal, b: RankedSignal) => number> = {
  rank: (a, b) => a.rank - b.rank,
  symbol: (a, b) => a.signal.symbol.localeCompare(b.signal.symbol),
  side: (a, b) => a.signal.direction.localeCompare(b.signal.direction),
  score: (a, b) => a.signal.score - b.signal.score,
  age: (a, b) => b.closedAt - a.closedAt, // youngest first
};

const COLUMNS: Array<{ label: string; key?: SortKey; numeric?: boolean }> = [
  { label: '#', key: 'rank', numeric: true },
  { label: 'symbol', key: 'symbol' },
  { label: 'side', key: 'side' },
  { label: 'score', key: 'score', numeric: true },
  { label: 'price', numeric: true },
  { label: 'stop', numeric: true },
  { label: 'target', numeric: true },
  { label: 'timeframes' },
  { label: 'reasons' },
  { label: 'age', key: 'age' },
];

/** The report's signals in rank order, each with the close of its trigger candle. */
export function rankedSignals(report: CycleReport): RankedSignal[] {
  const trigger = report.timeframes[report.timeframes.length - 1];
  const step = trigger ? timeframeMs(trigger) : null;
  const finished = Date.parse(report.finishedAt);
  return report.signals.map((signal, i) => ({
    rank: i + 1,
    signal,
    closedAt:
      step !== null ? signal.candleTime + step : Number.isFinite(finished) ? finished : signal.candleTime,
  }));
}

export class SignalsTable {
  private rows: RankedSignal[] = [];
  private sort: { key: SortKey; order: 1 | -1 } = { key: 'rank', order: 1 };
  private side: 'all' | Direction = 'all';
  private minScore = 0;
  private selected: string | null = null;
  private readonly body: HTMLElement;
  private readonly head: HTMLTableRowElement;
  private readonly count: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly note: HTMLElement;

  constructor(
    root: HTMLElement,
    count: HTMLElement,
    private readonly onOpen: (row: RankedSignal) => void,
  ) {
    this.count = count;
    const sideSelect = el(
      'select',
      { id: 'side-filter', 'aria-label': 'side' },
      el('option', { value: 'all' }, 'all sides'),
      el('option', { value: 'LONG' }, 'LONG'),
      el('option', { value: 'SHORT' }, 'SHORT'),
    );
    sideSelect.addEventListener('change', () => {
      this.side = sideSelect.value as typeof this.side;
      this.renderRows();
    });
    const scoreInput = el('input', {
      id: 'min-score',
      type: 'number',
      min: 0,
      max: 100,
      step: 1,
      value: 0,
      'aria-label': 'minimum score',
    });
    scoreInput.addEventListener('input', () => {
      const value = Number(scoreInput.value);
      this.minScore = Number.isFinite(value) ? value : 0;
      this.renderRows();
    });
    this.head = el('tr', {});
    this.body = el('tbody', {});
    this.table = el('table', { id: 'signals', class: 'data signals' }, el('thead', {}, this.head), this.body);
    this.note = el('div', {});
    fill(
      root,
      el(
        'div',
        { class: 'controls' },
        el('label', {}, 'side ', sideSelect),
        el('label', {}, 'min score ', scoreInput),
      ),
      el('div', { class: 'scroll signals-scroll' }, this.table),
      this.note,
    );
    this.renderHead();
  }

  /** Shows a report's signals (null: none recorded yet); the sort, the filters and the selection stay. */
  render(report: CycleReport | null): void {
    this.rows = report ? rankedSignals(report) : [];
    fill(
      this.note,
      report
        ? this.rows.length === 0
          ? empty(`no signals in ${report.cycleId}`)
          : null
        : empty('no report yet'),
    );
    this.renderRows();
  }

  /** Highlights the row of the symbol whose chart is shown. */
  select(symbol: string | null): void {
    this.selected = symbol;
    for (const tr of this.body.querySelectorAll<HTMLElement>('tr'))
      tr.classList.toggle('selected', tr.dataset.symbol === symbol);
  }

  /** The rows as shown, in display order (for window.__dashboard). */
  shown(): ShownSignal[] {
    return this.visible().map(({ rank, signal }) => ({
      rank,
      symbol: signal.symbol,
      direction: signal.direction,
      score: signal.score,
    }));
  }

  /** The first row shown: what the chart opens on when nothing is selected yet. */
  first(): RankedSignal | undefined {
    return this.visible()[0];
  }

  find(symbol: string): RankedSignal | undefined {
    return this.rows.find((r) => r.signal.symbol === symbol);
  }

  private visible(): RankedSignal[] {
    const { key, order } = this.sort;
    return this.rows
      .filter(
        (r) => (this.side === 'all' || r.signal.direction === this.side) && r.signal.score >= this.minScore,
      )
      .sort((a, b) => order * COMPARE[key](a, b) || a.rank - b.rank);
  }

  private renderHead(): void {
    fill(
      this.head,
      ...COLUMNS.map(({ label, key, numeric }) => {
        const sorted = key !== undefined && this.sort.key === key;
        const th = el(
          'th',
          {
            class: [numeric ? 'num' : '', key ? 'sortable' : ''].join(' ').trim() || null,
            'data-sort': key ?? null,
            'aria-sort': sorted ? (this.sort.order === 1 ? 'ascending' : 'descending') : null,
            tabindex: key ? 0 : null,
          },
          label,
          sorted ? el('span', { class: 'arrow' }, this.sort.order === 1 ? ' ▲' : ' ▼') : null,
        );
        if (key) onOpenOf(th, () => this.sortBy(key));
        return th;
      }),
    );
  }

  private sortBy(key: SortKey): void {
    this.sort =
      this.sort.key === key ? { key, order: this.sort.order === 1 ? -1 : 1 } : { key, order: NATURAL[key] };
    this.renderHead();
    this.renderRows();
  }

  private renderRows(): void {
    const visible = this.visible();
    fill(this.body, ...visible.map((row) => this.rowOf(row)));
    this.count.textContent =
      this.rows.length === 0
        ? ''
        : visible.length === this.rows.length
          ? `(${this.rows.length})`
          : `(${visible.length} of ${this.rows.length})`;
  }

  private rowOf(row: RankedSignal): HTMLTableRowElement {
    const { signal: s, rank } = row;
    const tr = el(
      'tr',
      {
        'data-symbol': s.symbol,
        'data-rank': rank,
        'data-direction': s.direction,
        class: s.symbol === this.selected ? 'openable selected' : 'openable',
        tabindex: 0,
      },
      el('td', { class: 'num' }, rank),
      el('td', { class: 'symbol', title: s.symbol }, shortSymbol(s.symbol)),
      el('td', {}, el('span', { class: `side ${s.direction.toLowerCase()}` }, s.direction)),
      el('td', { class: 'num score' }, s.score),
      el('td', { class: 'num' }, price(s.price)),
      el('td', { class: 'num' }, price(s.stop)),
      el('td', { class: 'num' }, price(s.target)),
      el('td', { class: 'timeframes' }, s.timeframes.join(' ')),
      el('td', { class: 'reasons', title: s.reasons.join('\n') }, s.reasons.join('; ')),
      el('td', { class: 'age' }, ageSpan(row.closedAt, ago(row.closedAt))),
    );
    onOpenOf(tr, () => this.onOpen(row));
    return tr;
  }
}
