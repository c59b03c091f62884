// The ledger: its open signals, its latest outcomes, the performance table of the last 30 days (grouped by
// direction, score band, agreement or day, as `client performance` shows it), and the cumulative R curve.
import { LineStyle } from 'lightweight-charts';
import type { PerformanceFigures, PerformanceGrouping } from '../../src/analysis/performance.js';
import type { PerformanceAnswer, SignalsAnswer } from '../../src/dashboard/api-types.js';
import type { LedgerSignal } from '../../src/storage/ledger/ledger.js';
import { COLORS, smallChart, type SmallChart } from './charts.js';
import { ageSpan, el, empty, fill, simpleTable } from './dom.js';
import { ago, duration, percent, price, rMultiple, shortSymbol, utc, utcShort } from './format.js';
import type { ChartSubject } from './signal-chart.js';

export const GROUPINGS: readonly PerformanceGrouping[] = ['direction', 'score', 'agreement', 'day'];

const FIGURE_HEADERS = [
  'signals',
  'open',
  'resolved',
  'targets',
  'stops',
  'expired',
  'missing',
  'hit rate',
  'avg R',
  'expectancy',
  'median to outcome',
];

function figureCells(f: PerformanceFigures): string[] {
  return [
    String(f.signals),
    String(f.open),
    String(f.resolved),
    String(f.targets),
    String(f.stops),
    String(f.expired),
    String(f.missing),
    percent(f.hitRate),
    rMultiple(f.averageR),
    rMultiple(f.expectancyR),
    duration(f.medianTimeToOutcomeMs),
  ];
}

/** A ledger signal as the chart draws it: the levels of its first sighting. */
export function subjectOf(s: LedgerSignal): ChartSubject {
  return {
    symbol: s.symbol,
    direction: s.direction,
    price: s.entry,
    stop: s.stop,
    target: s.target,
    candleTime: s.candleTime,
    score: s.bestScore,
  };
}

const side = (s: LedgerSignal) => el('span', { class: `side ${s.direction.toLowerCase()}` }, s.direction);
const symbolCell = (s: LedgerSignal) => el('span', { title: s.symbol }, shortSymbol(s.symbol));

export class LedgerPanel {
  private readonly open: HTMLElement;
  private readonly outcomes: HTMLElement;
  private readonly performance: HTMLElement;
  private readonly since: HTMLElement;
  private readonly equity: SmallChart;
  private readonly equityEmpty: HTMLElement;
  private groupingValue: PerformanceGrouping = 'direction';

  constructor(
    root: HTMLElement,
    private readonly onOpen: (subject: ChartSubject) => void,
    onGrouping: (by: PerformanceGrouping) => void,
  ) {
    const select = el(
      'select',
      { id: 'performance-by', 'aria-label': 'group by' },
      ...GROUPINGS.map((g) => el('option', { value: g }, g)),
    );
    select.addEventListener('change', () => {
      this.groupingValue = select.value as PerformanceGrouping;
      onGrouping(this.groupingValue);
    });
    this.open = el('div', { class: 'scroll ledger-scroll' });
    this.outcomes = el('div', { class: 'scroll ledger-scroll' });
    this.performance = el('div', { class: 'scroll' });
    this.since = el('span', { class: 'muted' });
    this.equityEmpty = empty('no resolved signals in the window');
    const equityBox = el('div', { class: 'small-chart', id: 'equity-chart' });
    fill(
      root,
      el(
        'div',
        { class: 'ledger-grid wide-tables' },
        el('div', {}, el('h3', {}, 'Open signals'), this.open),
        el('div', {}, el('h3', {}, 'Recent outcomes'), this.outcomes),
      ),
      el(
        'div',
        { class: 'ledger-grid performance-grid wide-tables' },
        el(
          'div',
          {},
          el('h3', {}, 'Performance ', this.since),
          el('div', { class: 'controls' }, el('label', {}, 'by ', select)),
          this.performance,
          el('p', { class: 'muted small' }, 'hit rate = targets ÷ (targets + stops); R = result ÷ risk'),
        ),
        el(
          'div',
          {},
          el('h3', {}, 'Cumulative R'),
          el('div', { class: 'chart-box' }, equityBox, this.equityEmpty),
        ),
      ),
    );
    this.equity = smallChart(equityBox, 'line', COLORS.accent, 2);
    this.equity.chart.applyOptions({ rightPriceScale: { scaleMargins: { top: 0.1, bottom: 0.1 } } });
    this.equity.series.createPriceLine({
      price: 0,
      color: COLORS.muted,
      lineStyle: LineStyle.Dotted,
      lineWidth: 1,
      axisLabelVisible: false,
      title: '',
    });
  }

  get grouping(): PerformanceGrouping {
    return this.groupingValue;
  }

  renderOpen(answer: SignalsAnswer): void {
    const rows = answer.signals;
    fill(
      this.open,
      rows.length === 0
        ? empty('no open signals')
        : simpleTable(
            ['symbol', 'side', 'tf', 'score', 'entry', 'stop', 'target', 'seen', 'first seen'],
            rows.map((s) => ({
              cells: [
                symbolCell(s),
                side(s),
                s.timeframe,
                s.bestScore === s.firstScore ? String(s.firstScore) : `${s.firstScore} → ${s.bestScore}`,
                price(s.entry),
                price(s.stop),
                price(s.target),
                `${s.timesSeen}×`,
                ageSpan(s.firstSeenAt, ago(s.firstSeenAt)),
              ],
              attributes: { 'data-symbol': s.symbol, 'data-id': s.id },
              onOpen: () => this.onOpen(subjectOf(s)),
            })),
            [3, 4, 5, 6, 7],
            { id: 'open-signals' },
          ),
    );
  }

  renderOutcomes(answer: SignalsAnswer): void {
    const rows = answer.signals.filter((s) => s.outcome !== null);
    fill(
      this.outcomes,
      rows.length === 0
        ? empty('no outcomes yet')
        : simpleTable(
            ['symbol', 'side', 'outcome', 'R', 'MFE', 'MAE', 'candles', 'at', 'reason'],
            rows.map((s) => {
              const o = s.outcome!;
              return {
                cells: [
                  symbolCell(s),
                  side(s),
                  el('span', { class: `outcome ${o.kind}` }, o.kind),
                  rMultiple(o.rMultiple),
                  rMultiple(o.mfeR),
                  rMultiple(o.maeR),
                  String(o.candles),
                  el('span', { title: utc(o.at) }, utcShort(o.at)),
                  el('span', { class: 'reason', title: o.reason }, o.reason),
                ],
                attributes: { 'data-symbol': s.symbol, 'data-id': s.id },
                onOpen: () => this.onOpen(subjectOf(s)),
              };
            }),
            [3, 4, 5, 6],
            { id: 'outcomes' },
          ),
    );
  }

  renderPerformance(answer: PerformanceAnswer): void {
    this.since.textContent = `(signals first seen since ${utc(answer.since)})`;
    fill(
      this.performance,
      simpleTable(
        [answer.by, ...FIGURE_HEADERS],
        [
          ...answer.groups.map((g) => [g.key, ...figureCells(g.figures)]),
          [el('strong', {}, 'all'), ...figureCells(answer.total)],
        ],
        FIGURE_HEADERS.map((_, i) => i + 1),
        { id: 'performance' },
      ),
    );
    this.equity.setLine(answer.equity.map((p) => ({ time: p.time, value: p.cumulativeR })));
    this.equityEmpty.hidden = answer.equity.length > 0;
  }
}
