// `npm run dashboard`: the dashboard alone (the page and its API), configured from the environment.
import { loadConfig } from './config.js';
import { errorMessage } from './core/errors.js';
import { startDashboard } from './dashboard/server.js';
import { openSources } from './dashboard/sources.js';
import { createLogger } from './observability/logger.js';

async function main(): Promise<void> {
  // It reads the ledger, Redis and Temporal; it never talks to the exchange.
  const config = loadConfig(process.env, {}, { requireExchangeUrl: false });
  const log = createLogger(config.LOG_LEVEL, 'dashboard', config.LOG_FORMAT);
  const sources = await openSources(config);
  const dashboard = await startDashboard(config, sources).catch(async (error: unknown) => {
    await sources.close();
    throw error;
  });
  log.info({ url: dashboard.url, token: Boolean(config.DASHBOARD_TOKEN) }, 'dashboard served');
  const stop = () => {
    void dashboard
      .close()
      .then(() => sources.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`dashboard: ${errorMessage(error).split('\n')[0]}`);
  process.exit(1);
});
