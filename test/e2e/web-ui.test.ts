import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCycle, type ClientContext } from '../../src/client/commands.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { freeLoopbackPort } from '../../src/worker/temporal-runtime.js';
import { batchWorkflowId } from '../../src/contract/ids.js';
import type { CycleReport } from '../../src/contract/types.js';
import { BATCH_SIZE } from '../../src/core/limits.js';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** The whole simulated market in batches of the default size. */
const BATCHES = Math.ceil(530 / BATCH_SIZE.default);

const SCREENSHOTS = `${PROJECT_ROOT}/test-artifacts/web-ui`;
const executablePath = findChromium();
const skip = process.env.WEB_UI_TEST === 'off';

/**
 * What a person sees in the real Temporal Web UI after a full cycle, read in
 * headless Chromium. Screenshots are kept in test-artifacts/web-ui.
 */
/** The UI renders each markdown field in its own frame: their texts, in page order, once `count` have loaded. */
async function renderedMarkdown(page: Page, count: number): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    // A frame still being attached has no URL yet (''): not a markdown field (yet).
    const frames = page.frames().filter((f) => URL.parse(f.url())?.pathname === '/render');
    const texts = await Promise.all(frames.map((f) => f.innerText('body').catch(() => '')));
    const loaded = texts.map((t) => t.replace(/\n{2,}/g, '\n').trim()).filter((t) => t !== '');
    if (loaded.length >= count) return loaded;
    if (Date.now() > deadline) throw new Error(`${loaded.length} of ${count} markdown fields rendered`);
    await page.waitForTimeout(200);
  }
}

describe.skipIf(skip)('the Temporal Web UI on a full cycle', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let ui: string;
  let report: CycleReport;
  const cycleId = `scan-adhoc-ui-${Date.now()}`;

  beforeAll(async () => {
    if (!executablePath)
      throw new Error('chromium not found: apt-get install chromium, set CHROMIUM_PATH, or WEB_UI_TEST=off');
    const uiPort = await freeLoopbackPort();
    ui = `http://127.0.0.1:${uiPort}/namespaces/default`;
    stack = await startStack({ uiPort, sim: { prewarm: true } });
    // Started as the client starts it: that is where the cycle's summary and details come from.
    const ctx: ClientContext = {
      temporal: () => Promise.resolve(stack.env.client),
      config: stack.config,
      ledger: () => Promise.reject(new Error('not used')),
      out: () => {},
      interactive: false,
    };
    report = await (await startCycle(ctx, {}, cycleId)).result();
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lists the cycle among cycles filtered by its search attributes', async () => {
    const query = `ScanStatus = "completed" AND ScanSymbolsScanned = 530`;
    await page.goto(`${ui}/workflows?query=${encodeURIComponent(query)}`);
    await page.getByRole('link', { name: cycleId, exact: true }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/cycles-filtered.png` });
    const list = await page.innerText('main');
    expect(list).toContain('scanMarketWorkflow');
    // Batches carry no cycle attributes: the filter shows cycles only.
    expect(list).not.toContain(`${cycleId}/batch-01`);
  });

  it("shows the cycle's summary, details and final current details", async () => {
    await page.goto(`${ui}/workflows/${encodeURIComponent(cycleId)}`);
    await page.getByTestId('user-metadata-tab').click();
    const [summary, details, current] = await renderedMarkdown(page, 3);
    await page.screenshot({ path: `${SCREENSHOTS}/cycle-metadata.png` });
    expect(summary).toBe('Market scan (adhoc): the whole market on 1h, 15m, 5m');
    expect(details).toMatch(
      /Trigger: adhoc\nSymbols: every trading USD-M perpetual\nTimeframes: 1h, 15m, 5m/,
    );
    // The UI typesets "/" between numbers as a fraction slash.
    expect(current).toMatch(
      new RegExp(
        `^completed in [\\d.]+ s: 530[/⁄]530 symbols scanned, 0 failed, ${report.signals.length} signals`,
      ),
    );
    // The ledger's headline as the cycle left it: this file's ledger is new, so every signal is open.
    expect(report.ledger?.openSignals).toBe(report.signals.length);
    expect(current).toMatch(
      new RegExp(`Ledger\\s+${report.signals.length} open; last 30 days: 0 resolved \\(0 target, 0 stop`),
    );
  });

  it(`shows its ${BATCHES} batch children with their summaries on the timeline and in its relationships`, async () => {
    await page.getByTestId('timeline-tab').click();
    for (let i = 1; i <= BATCHES; i++)
      await page
        .getByText(new RegExp(`^Batch ${i}/${BATCHES}: \\d+ symbols`))
        .first()
        .waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/cycle-timeline.png`, fullPage: true });

    expect(await page.getByTestId('relationships-tab').innerText()).toMatch(
      new RegExp(`^Relationships\\s+${BATCHES}$`),
    );
    await page.getByTestId('relationships-tab').click();
    await page.getByText(batchWorkflowId(cycleId, BATCHES - 1)).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/cycle-relationships.png`, fullPage: true });
    const text = await page.innerText('main');
    const children = text.match(new RegExp(`${cycleId}/batch-\\d\\d`, 'g')) ?? [];
    expect(new Set(children).size).toBe(BATCHES);
    expect(text.match(/scanBatchWorkflow/g)?.length).toBe(BATCHES);
  });
});
