// What every chart of the page shares: the dark theme, TradingView's attribution logo (its licence asks for
// the link), UTC-second times, and small time-series charts for the ledger and health panels.
import {
  ColorType,
  createChart,
  LineSeries,
  HistogramSeries,
  type AutoscaleInfoProvider,
  type DeepPartial,
  type ChartOptions,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';

export const COLORS = {
  text: '#c9d1d9',
  muted: '#8b949e',
  grid: '#21262d',
  border: '#30363d',
  up: '#26a69a',
  down: '#ef5350',
  accent: '#58a6ff',
  warn: '#d29922',
} as const;

export function chartOptions(extra: DeepPartial<ChartOptions> = {}): DeepPartial<ChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: 'transparent' },
      textColor: COLORS.text,
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      fontSize: 11,
      attributionLogo: true,
    },
    grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
    rightPriceScale: { borderColor: COLORS.border },
    timeScale: { borderColor: COLORS.border, timeVisible: true, secondsVisible: false },
    ...extra,
  };
}

/** lightweight-charts wants UTC seconds. */
export const toTime = (ms: number) => (ms / 1000) as UTCTimestamp;

/**
 * Points in ascending time, one per second (the library refuses duplicates: several outcomes on one
 * candle close, two cycles in one second): the last point of a second wins.
 */
export function byTime<T extends { time: UTCTimestamp }>(points: readonly T[]): T[] {
  const sorted = [...points].sort((a, b) => a.time - b.time);
  const out: T[] = [];
  for (const point of sorted) {
    const time = Math.floor(point.time) as UTCTimestamp;
    if (out.length > 0 && out[out.length - 1]!.time === time) out[out.length - 1] = { ...point, time };
    else out.push({ ...point, time });
  }
  return out;
}

export interface SmallChart {
  chart: IChartApi;
  series: ISeriesApi<'Line'> | ISeriesApi<'Histogram'>;
  /** Points with times in ms. */
  setLine(points: Array<{ time: number; value: number }>): void;
}

/** A small chart of one line or histogram over time (ms), with its unit on the price axis. */
export function smallChart(
  container: HTMLElement,
  kind: 'line' | 'histogram',
  color: string,
  decimals = 1,
  autoscaleFloor?: () => number,
): SmallChart {
  const chart = createChart(container, chartOptions({ handleScroll: false, handleScale: false }));
  const priceFormat = { type: 'price' as const, precision: decimals, minMove: 1 / 10 ** decimals };
  // A floor the scale always reaches (a limit drawn as a price line: price lines do not scale the axis).
  const autoscaleInfoProvider: AutoscaleInfoProvider | undefined = autoscaleFloor
    ? (original) => {
        const range = original();
        const top = Math.max(range?.priceRange?.maxValue ?? 0, autoscaleFloor());
        return { priceRange: { minValue: 0, maxValue: top } };
      }
    : undefined;
  const series =
    kind === 'line'
      ? chart.addSeries(LineSeries, {
          color,
          lineWidth: 2,
          priceFormat,
          priceLineVisible: false,
          ...(autoscaleInfoProvider ? { autoscaleInfoProvider } : {}),
        })
      : chart.addSeries(HistogramSeries, {
          color,
          priceFormat,
          priceLineVisible: false,
          ...(autoscaleInfoProvider ? { autoscaleInfoProvider } : {}),
        });
  return {
    chart,
    series,
    setLine(points) {
      series.setData(byTime(points.map((p) => ({ time: toTime(p.time), value: p.value }))));
      chart.timeScale().fitContent();
    },
  };
}
