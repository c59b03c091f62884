// The chart of one signal: candles of a timeframe (5m / 15m / 1h tabs), volume on its own scale at the
// bottom, EMA 9/21/50 and Bollinger bands, the signal's entry, stop and target as price lines, and its
// outcome from the ledger as a marker.
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  LineStyle,
  type AutoscaleInfo,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Direction } from '../../src/analysis/signal.js';
import type { CandlePoint, CandlesAnswer } from '../../src/dashboard/api-types.js';
import type { LedgerSignal } from '../../src/storage/ledger/ledger.js';
import { api } from './api.js';
import { chartOptions, COLORS, toTime } from './charts.js';
import { el, fill } from './dom.js';
import { price, priceDecimals, rMultiple, shortSymbol, timeframeMs, utcShort } from './format.js';

export const TIMEFRAMES = ['5m', '15m', '1h'] as const;

/** What a chart is drawn for: a signal of the report, or one of the ledger. */
export interface ChartSubject {
  symbol: string;
  direction: Direction;
  /** Entry (the signal's price). */
  price: number;
  stop: number;
  target: number;
  /** Open time of the candle that made it, ms. */
  candleTime: number;
  score?: number;
}

/** What window.__dashboard.chartData() answers: the chart shown, as drawn. */
export interface ChartData {
  symbol: string;
  timeframe: string;
  candles: CandlePoint[];
  priceLines: Array<{ title: string; price: number }>;
}

const LINES = [
  { key: 'ema9', label: 'EMA 9', color: '#f2cc60', style: LineStyle.Solid },
  { key: 'ema21', label: 'EMA 21', color: '#58a6ff', style: LineStyle.Solid },
  { key: 'ema50', label: 'EMA 50', color: '#bc8cff', style: LineStyle.Solid },
  { key: 'bbUpper', label: 'BB upper', color: '#6e7681', style: LineStyle.Dashed },
  { key: 'bbMiddle', label: 'BB middle', color: '#8b949e', style: LineStyle.Dotted },
  { key: 'bbLower', label: 'BB lower', color: '#6e7681', style: LineStyle.Dashed },
] as const satisfies ReadonlyArray<{
  key: keyof CandlesAnswer;
  label: string;
  color: string;
  style: LineStyle;
}>;

const LEVELS = [
  { title: 'entry', key: 'price', color: '#c9d1d9' },
  { title: 'stop', key: 'stop', color: COLORS.down },
  { title: 'target', key: 'target', color: COLORS.up },
] as const;

/** The ledger's record of this signal: the same direction and candle, else its latest of that direction. */
export function ledgerMatch(
  subject: ChartSubject,
  signals: readonly LedgerSignal[],
): LedgerSignal | undefined {
  const same = signals.filter((s) => s.symbol === subject.symbol && s.direction === subject.direction);
  return same.find((s) => s.candleTime === subject.candleTime) ?? same[0];
}

/** The candle that holds an instant (ms): the last that opened at or before it, within the series. */
function barAt(candles: readonly CandlePoint[], at: number, step: number): CandlePoint | undefined {
  const last = candles[candles.length - 1];
  if (!last || at < candles[0]!.time || at >= last.time + step) return undefined;
  let lo = 0;
  let hi = candles.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (candles[mid]!.time <= at) lo = mid;
    else hi = mid - 1;
  }
  return candles[lo];
}

export class SignalChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly lines: Array<ISeriesApi<'Line'>>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private priceLines: IPriceLine[] = [];
  /** Entry, stop and target of the chart shown (empty while none is). */
  private levels: number[] = [];
  private readonly title: HTMLElement;
  private readonly ledgerLine: HTMLElement;
  private readonly message: HTMLElement;
  private readonly tabs: HTMLButtonElement[];
  private subject: ChartSubject | null = null;
  private timeframe: string = TIMEFRAMES[0];
  private shown: ChartData | null = null;
  /** Answers to a request older than the latest are dropped (a quick click on another row). */
  private request = 0;

  constructor(
    root: HTMLElement,
    /** Told each load's failure, or null when it worked (the status line clears). */
    private readonly onResult: (error: unknown) => void,
  ) {
    this.title = el('h2', { class: 'chart-title' }, 'Chart');
    this.tabs = TIMEFRAMES.map((tf) => {
      const button = el(
        'button',
        { type: 'button', 'data-timeframe': tf, 'aria-pressed': tf === this.timeframe },
        tf,
      );
      button.addEventListener('click', () => this.setTimeframe(tf));
      return button;
    });
    this.ledgerLine = el('span', { class: 'ledger-line muted' });
    this.message = el('div', { class: 'chart-message' }, 'click a signal to see its chart');
    const canvas = el('div', { class: 'chart', id: 'signal-chart' });
    fill(
      root,
      el(
        'div',
        { class: 'chart-head' },
        this.title,
        el('div', { class: 'tabs', role: 'group' }, ...this.tabs),
      ),
      el(
        'div',
        { class: 'legend' },
        ...LINES.map((l) => el('span', {}, el('i', { style: `background:${l.color}` }), l.label)),
        el('span', {}, el('i', { style: `background:${COLORS.muted}` }), 'volume'),
        this.ledgerLine,
      ),
      el('div', { class: 'chart-box' }, canvas, this.message),
    );
    this.chart = createChart(canvas, chartOptions());
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderVisible: false,
      priceLineVisible: false, // the last price keeps its label; a line would read as a fourth level
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      // Price lines do not scale the axis by themselves: the scale reaches the signal's stop and target too.
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => {
        const info = original();
        if (!info?.priceRange || this.levels.length === 0) return info;
        const { minValue, maxValue } = info.priceRange;
        return {
          ...info,
          priceRange: {
            minValue: Math.min(minValue, ...this.levels),
            maxValue: Math.max(maxValue, ...this.levels),
          },
        };
      },
    });
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.06, bottom: 0.26 } });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      priceLineVisible: false,
      lastValueVisible: false,
    });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.lines = LINES.map((l) =>
      this.chart.addSeries(LineSeries, {
        color: l.color,
        lineWidth: 1,
        lineStyle: l.style,
        priceLineVisible: false,
        lastValueVisible: false,
        crosshairMarkerVisible: false,
      }),
    );
    this.markers = createSeriesMarkers(this.candles, []);
  }

  /** Opens a subject's chart (on the timeframe of the tab chosen last). */
  show(subject: ChartSubject): Promise<void> {
    this.subject = subject;
    return this.load();
  }

  /** Draws the same subject again (new candles after a cycle). */
  refresh(): Promise<void> {
    return this.subject ? this.load() : Promise.resolve();
  }

  current(): ChartSubject | null {
    return this.subject;
  }

  data(): ChartData | null {
    return this.shown;
  }

  private setTimeframe(timeframe: string): void {
    this.timeframe = timeframe;
    for (const tab of this.tabs)
      tab.setAttribute('aria-pressed', String(tab.dataset.timeframe === timeframe));
    void this.load();
  }

  private async load(): Promise<void> {
    const subject = this.subject;
    if (!subject) return;
    const timeframe = this.timeframe;
    const request = ++this.request;
    const rr = Math.abs(subject.target - subject.price) / Math.abs(subject.price - subject.stop);
    fill(
      this.title,
      shortSymbol(subject.symbol),
      ' ',
      el('span', { class: `side ${subject.direction.toLowerCase()}` }, subject.direction),
      el(
        'span',
        { class: 'muted' },
        `${subject.score !== undefined ? ` score ${subject.score} ·` : ''} entry ${price(subject.price)} · stop ${price(subject.stop)} · target ${price(subject.target)}${Number.isFinite(rr) ? ` · ${rr.toFixed(1)} : 1` : ''}`,
      ),
    );
    // A new chart says it is loading; the same one drawn again (after a cycle) stays as it is meanwhile.
    if (this.shown?.symbol !== subject.symbol || this.shown.timeframe !== timeframe) {
      this.message.textContent = 'loading…';
      this.message.hidden = false;
    }
    const [candles, ledger] = await Promise.allSettled([
      api.candles(subject.symbol, timeframe),
      api.signals({ symbol: subject.symbol, limit: 5 }),
    ]);
    if (request !== this.request) return;
    if (candles.status === 'rejected') {
      this.clear();
      this.message.textContent = `no candles for ${subject.symbol} ${timeframe}`;
      this.onResult(candles.reason);
      return;
    }
    this.onResult(ledger.status === 'rejected' ? ledger.reason : null);
    const match = ledger.status === 'fulfilled' ? ledgerMatch(subject, ledger.value.signals) : undefined;
    this.draw(subject, timeframe, candles.value, match);
  }

  private clear(): void {
    this.shown = null;
    this.candles.setData([]);
    this.volume.setData([]);
    for (const line of this.lines) line.setData([]);
    this.markers.setMarkers([]);
    for (const line of this.priceLines) this.candles.removePriceLine(line);
    this.priceLines = [];
    this.levels = [];
    this.ledgerLine.textContent = '';
  }

  private draw(
    subject: ChartSubject,
    timeframe: string,
    answer: CandlesAnswer,
    match: LedgerSignal | undefined,
  ): void {
    this.clear();
    const points = answer.candles;
    const decimals = priceDecimals(subject.price);
    const priceFormat = { type: 'price' as const, precision: decimals, minMove: 1 / 10 ** decimals };
    this.candles.applyOptions({ priceFormat });
    this.candles.setData(
      points.map((c) => ({ time: toTime(c.time), open: c.open, high: c.high, low: c.low, close: c.close })),
    );
    this.volume.setData(
      points.map((c) => ({
        time: toTime(c.time),
        value: c.volume,
        color: c.close >= c.open ? 'rgba(38, 166, 154, 0.45)' : 'rgba(239, 83, 80, 0.45)',
      })),
    );
    LINES.forEach((l, i) => {
      const values = answer[l.key];
      const line = this.lines[i]!;
      line.applyOptions({ priceFormat });
      line.setData(
        points.flatMap((c, j) => {
          const value = values[j];
          return value === null || value === undefined ? [] : [{ time: toTime(c.time), value }];
        }),
      );
    });
    this.levels = LEVELS.map((level) => subject[level.key]);
    this.priceLines = LEVELS.map((level) =>
      this.candles.createPriceLine({
        price: subject[level.key],
        color: level.color,
        title: level.title,
        lineWidth: 1,
        lineStyle: LineStyle.Dashed,
        axisLabelVisible: true,
      }),
    );
    this.markers.setMarkers(this.markersOf(subject, timeframe, points, match));
    this.ledgerLine.textContent = match ? ledgerText(match) : '';
    this.chart.timeScale().fitContent();
    this.message.hidden = points.length > 0;
    this.message.textContent =
      points.length > 0 ? '' : `the candle store holds no ${timeframe} candles for ${subject.symbol}`;
    this.shown = {
      symbol: subject.symbol,
      timeframe,
      candles: points,
      priceLines: LEVELS.map((level) => ({ title: level.title, price: subject[level.key] })),
    };
  }

  private markersOf(
    subject: ChartSubject,
    timeframe: string,
    points: readonly CandlePoint[],
    match: LedgerSignal | undefined,
  ): Array<SeriesMarker<Time>> {
    const step = timeframeMs(timeframe) ?? 60_000;
    const markers: Array<SeriesMarker<Time>> = [];
    const long = subject.direction === 'LONG';
    const made = barAt(points, subject.candleTime, step);
    if (made)
      markers.push({
        time: toTime(made.time),
        position: long ? 'belowBar' : 'aboveBar',
        shape: long ? 'arrowUp' : 'arrowDown',
        color: COLORS.accent,
        text: subject.direction,
      });
    const outcome = match?.outcome;
    if (outcome) {
      // `at` is the close of the outcome candle: the candle is the one that holds the instant before it.
      const bar = barAt(points, outcome.at - 1, step);
      const up = (outcome.kind === 'target') === long;
      if (bar)
        markers.push({
          time: toTime(bar.time),
          position:
            outcome.kind === 'target' || outcome.kind === 'stop' ? (up ? 'aboveBar' : 'belowBar') : 'inBar',
          shape: 'circle',
          color: outcome.kind === 'target' ? COLORS.up : outcome.kind === 'stop' ? COLORS.down : COLORS.muted,
          text: outcome.rMultiple === null ? outcome.kind : `${outcome.kind} ${rMultiple(outcome.rMultiple)}`,
        });
    }
    return markers.sort((a, b) => (a.time as UTCTimestamp) - (b.time as UTCTimestamp));
  }
}

function ledgerText(s: LedgerSignal): string {
  const seen = `first seen ${utcShort(s.firstSeenAt)}, seen ${s.timesSeen}×`;
  if (!s.outcome) return `ledger: open, ${seen}`;
  const r = s.outcome.rMultiple === null ? '' : ` ${rMultiple(s.outcome.rMultiple)}`;
  return `ledger: ${s.outcome.kind}${r} at ${utcShort(s.outcome.at)} (${seen})`;
}
