/**
 * @module
 * The client's commands as the command line calls them. The exchange (and
 * so ccxt, tens of MB to load) is imported only by the commands that read
 * it: `scan --symbols` (to refuse unlisted symbols first) and `indicators`;
 * `cycles`, `status`, `report`, `signals`, `performance` and `alerts` start without it.
 */
import { cycleUrl, loadConfig } from '../config.js';
import { clientContext, type OwnedClientContext } from './context.js';
import { cycleStatus, printReport, scheduleCommand, startCycle, waitForCycle } from './commands.js';
import { listAlerts, retryAlerts, testAlert } from './alert-commands.js';
import { listCycles, listSignals, showPerformance, showReport } from './ledger-commands.js';
import type { ClientHandlers } from './program.js';

export function clientHandlers(): { handlers: ClientHandlers; close: () => Promise<void> } {
  const opened: OwnedClientContext[] = [];
  const context = (json: boolean) => {
    // Temporal and Redis only, unless a command needs the exchange too.
    const config = loadConfig(process.env, {}, { requireExchangeUrl: false });
    const ctx = clientContext(config, {
      out: (text) => console.log(text),
      interactive: !json && process.stdout.isTTY === true,
    });
    opened.push(ctx);
    return ctx;
  };
  const handlers: ClientHandlers = {
    async scan(opts) {
      const ctx = context(Boolean(opts.json));
      if (opts.symbols) {
        const { checkSymbolsListed } = await import('./known-symbols.js');
        await checkSymbolsListed(ctx.config, opts.symbols);
      }
      const handle = await startCycle(ctx, {
        symbols: opts.symbols,
        timeframes: opts.timeframes ?? ctx.config.SCAN_TIMEFRAMES,
        candleLimit: opts.limit ?? ctx.config.SCAN_CANDLE_LIMIT,
        batchSize: opts.batchSize ?? ctx.config.SCAN_BATCH_SIZE,
      });
      if (opts.detach) return ctx.out(handle.workflowId);
      if (!opts.json) ctx.out(`cycle ${handle.workflowId}: ${cycleUrl(ctx.config, handle.workflowId)}`);
      printReport(ctx, await waitForCycle(ctx, handle), Boolean(opts.json));
    },
    schedule: (action) => scheduleCommand(context(false), action),
    status: (cycleId, opts) => cycleStatus(context(false), cycleId, Boolean(opts.wait)),
    cycles: (opts) => listCycles(context(false), opts.limit),
    report: (which, opts) => showReport(context(Boolean(opts.json)), which, Boolean(opts.json)),
    signals: (opts) => listSignals(context(Boolean(opts.json)), opts),
    performance: (opts) => showPerformance(context(Boolean(opts.json)), opts),
    alerts: (opts) => listAlerts(context(Boolean(opts.json)), opts),
    alertTest: (destination) => testAlert(context(false), destination),
    alertRetry: (ids) => retryAlerts(context(false), ids),
    async indicators(opts) {
      // Reads candles as the worker does: it needs the exchange's settings too.
      const config = loadConfig(process.env);
      const { inspectIndicators, renderIndicators } = await import('./indicator-dump.js');
      const dump = await inspectIndicators(config, opts.symbol, opts.timeframe);
      if (opts.json) {
        const { symbol, timeframe, candles, indicators } = dump;
        console.log(JSON.stringify({ symbol, timeframe, candles, indicators }));
      } else console.log(renderIndicators(dump));
    },
  };
  return {
    handlers,
    close: async () => {
      await Promise.allSettled(opened.map((ctx) => ctx.close()));
    },
  };
}
