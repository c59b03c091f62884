// The scanner's health over its recent cycles: close→report latency and cycle duration, the tiers that
// answered the candle series, REST weight against the exchange's limit, failures, the live streams, each
// cycle with its page in the Temporal Web UI, and the alert outbox's latest entries.
import type { CandleTier } from '../../src/core/candles.js';
import type { AlertsAnswer, HealthAnswer, HealthCycle } from '../../src/dashboard/api-types.js';
import { COLORS, smallChart, type SmallChart } from './charts.js';
import { ageSpan, el, empty, fill, link, simpleTable } from './dom.js';
import { ago, duration, integer, percent, seconds, utc, utcShort } from './format.js';
import { LineStyle, type IPriceLine } from 'lightweight-charts';

const TIERS: ReadonlyArray<{ tier: CandleTier; color: string }> = [
  { tier: 'l1', color: '#3fb950' },
  { tier: 'l2', color: '#58a6ff' },
  { tier: 'stream', color: '#bc8cff' },
  { tier: 'rest', color: '#d29922' },
];

const totalAnswers = (c: HealthCycle) => TIERS.reduce((sum, { tier }) => sum + (c.answers[tier] ?? 0), 0);

/** A cycle's answers by tier as one stacked bar. */
function tierBar(c: HealthCycle): HTMLElement {
  const total = totalAnswers(c);
  const title = TIERS.map(({ tier }) => `${tier} ${c.answers[tier] ?? 0}`).join(', ');
  return el(
    'span',
    { class: 'tier-bar', title },
    ...TIERS.map(({ tier, color }) =>
      total > 0 && (c.answers[tier] ?? 0) > 0
        ? el('i', { style: `width:${(100 * (c.answers[tier] ?? 0)) / total}%;background:${color}` })
        : null,
    ),
  );
}

export class HealthPanel {
  private readonly facts: HTMLElement;
  private readonly tiers: HTMLElement;
  private readonly cycles: HTMLElement;
  private readonly alerts: HTMLElement;
  private readonly latency: SmallChart;
  private readonly duration: SmallChart;
  private readonly weight: SmallChart;
  private readonly failures: SmallChart;
  private weightLimit = 0;
  private limitLine: IPriceLine | null = null;

  constructor(root: HTMLElement) {
    this.facts = el('dl', { class: 'facts' });
    this.tiers = el('div', {});
    this.cycles = el('div', { class: 'scroll cycles-scroll' });
    this.alerts = el('div', { class: 'scroll' });
    const box = (id: string, title: string) => {
      const chart = el('div', { class: 'small-chart', id });
      return { chart, node: el('div', { class: 'small' }, el('h3', {}, title), chart) };
    };
    const latency = box('latency-chart', 'Close → report (s)');
    const cycleDuration = box('duration-chart', 'Cycle duration (s)');
    const weight = box('weight-chart', 'REST weight per cycle');
    const failures = box('failures-chart', 'Failed symbols per cycle');
    fill(
      root,
      this.facts,
      el('div', { class: 'health-grid' }, latency.node, cycleDuration.node, weight.node, failures.node),
      el(
        'div',
        { class: 'tiers-grid' },
        el('div', {}, el('h3', {}, 'Answers by tier, last cycle'), this.tiers),
        el('div', {}, el('h3', {}, 'Cycles'), this.cycles),
      ),
      el('h3', {}, 'Alert outbox'),
      this.alerts,
    );
    this.latency = smallChart(latency.chart, 'line', COLORS.accent, 1);
    this.duration = smallChart(cycleDuration.chart, 'line', '#3fb950', 1);
    this.weight = smallChart(weight.chart, 'histogram', COLORS.warn, 0, () => this.weightLimit * 1.05);
    this.failures = smallChart(failures.chart, 'histogram', COLORS.down, 0);
  }

  render(health: HealthAnswer): void {
    const cycles = health.cycles;
    const last = cycles[cycles.length - 1];
    fill(
      this.facts,
      ...fact('weight limit', `${health.weightLimit} / min`),
      ...(health.usedWeight !== null
        ? fact('used weight', `${health.usedWeight} (${percent(health.usedWeight / health.weightLimit)})`)
        : []),
      ...(health.streams
        ? [
            ...fact('stream connections', String(health.streams.connections)),
            ...fact('subscriptions', String(health.streams.subscriptions)),
            ...fact('reconnects', String(health.streams.reconnects)),
          ]
        : fact('streams', 'no figures (worker metrics not answering)')),
      ...fact('Temporal', link(health.temporalUiUrl, 'Web UI')),
    );

    this.latency.setLine(
      cycles.flatMap((c) =>
        c.closeToReportMs === null ? [] : [{ time: c.startedAt, value: c.closeToReportMs / 1000 }],
      ),
    );
    this.duration.setLine(cycles.map((c) => ({ time: c.startedAt, value: c.durationMs / 1000 })));
    this.weightLimit = health.weightLimit;
    if (this.limitLine) this.weight.series.removePriceLine(this.limitLine);
    this.limitLine = this.weight.series.createPriceLine({
      price: health.weightLimit,
      color: COLORS.down,
      lineStyle: LineStyle.Dashed,
      lineWidth: 1,
      title: 'limit / min',
    });
    this.weight.setLine(cycles.map((c) => ({ time: c.startedAt, value: c.restWeight })));
    this.failures.setLine(cycles.map((c) => ({ time: c.startedAt, value: c.symbolsFailed })));

    fill(
      this.tiers,
      last
        ? simpleTable(
            ['tier', 'series', 'share'],
            [
              ...TIERS.map(({ tier, color }) => [
                el('span', {}, el('i', { class: 'swatch', style: `background:${color}` }), tier),
                String(last.answers[tier] ?? 0),
                percent(totalAnswers(last) > 0 ? (last.answers[tier] ?? 0) / totalAnswers(last) : null),
              ]),
              [el('strong', {}, 'all'), String(totalAnswers(last)), ''],
            ],
            [1, 2],
            { id: 'tiers' },
          )
        : empty('no cycles yet'),
      last
        ? el(
            'p',
            { class: 'muted small' },
            `${last.cycleId}: ${last.restRequests} REST requests, weight ${last.restWeight}`,
          )
        : null,
    );

    fill(
      this.cycles,
      cycles.length === 0
        ? empty('no cycles yet')
        : simpleTable(
            [
              'started',
              'cycle',
              'trigger',
              'status',
              'duration',
              'close→report',
              'scanned',
              'failed',
              'signals',
              'weight',
              'answers',
            ],
            [...cycles].reverse().map((c) => ({
              cells: [
                ageSpan(c.startedAt, ago(c.startedAt)),
                link(c.cycleUrl, c.cycleId),
                c.trigger,
                el('span', { class: `status ${c.status}` }, c.status),
                duration(c.durationMs),
                seconds(c.closeToReportMs),
                String(c.symbolsScanned),
                String(c.symbolsFailed),
                String(c.signals),
                `${c.restWeight} (${percent(health.weightLimit > 0 ? c.restWeight / health.weightLimit : null)})`,
                tierBar(c),
              ],
              attributes: { 'data-cycle': c.cycleId, title: utc(c.startedAt) },
            })),
            [4, 5, 6, 7, 8, 9],
            { id: 'cycles' },
          ),
    );
  }

  renderAlerts(answer: AlertsAnswer): void {
    fill(
      this.alerts,
      answer.alerts.length === 0
        ? empty('the outbox is empty')
        : simpleTable(
            ['queued', 'destination', 'kind', 'status', 'attempts', 'summary', 'last error'],
            answer.alerts.map((a) => [
              el('span', { title: utc(a.createdAt) }, utcShort(a.createdAt)),
              a.destination,
              a.kind,
              el('span', { class: `status ${a.status}` }, a.status),
              integer(a.attempts),
              el('span', { class: 'summary', title: a.summary }, a.summary),
              el('span', { class: 'error', title: a.lastError ?? '' }, a.lastError ?? ''),
            ]),
            [4],
            { id: 'alerts' },
          ),
    );
  }
}

function fact(term: string, value: string | Node): HTMLElement[] {
  return [el('dt', {}, term), el('dd', {}, value)];
}
