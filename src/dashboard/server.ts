/**
 * @module
 * The dashboard's web server: Hono on Node's HTTP server, serving the JSON
 * API (routes.ts, with its OpenAPI document), the page's live events
 * (events.ts) and the page itself (built by Vite into dist/page).
 * Hono with @hono/zod-openapi rather than Fastify: the product validates
 * everything with zod already, and here one zod schema per route is both the
 * boundary's check and the OpenAPI document; Fastify would describe routes
 * in JSON Schema beside it (and Fastify 5's current inject dependency wants
 * Node 22). Token: auth.ts. Nothing here decides what a figure is: the
 * ledger, the store and Temporal do.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { type Config, cycleUrl, PROJECT_ROOT } from '../config.js';
import { AnswerCache } from './answer-cache.js';
import { requireToken } from './auth.js';
import { EventHub } from './events.js';
import { dashboardApi } from './routes.js';
import type { DashboardSources } from './sources.js';

/** Where `npm run build` (vite) writes the page. */
export const PAGE_DIR = path.join(PROJECT_ROOT, 'dist', 'page');
/** A comment line on the event stream this often, so proxies and the browser keep it open. */
const PING_EVERY_MS = 15_000;

export interface Dashboard {
  url: string;
  events: EventHub;
  close(): Promise<void>;
}

/** The whole app (API, events, page) over these sources: what the server serves and the tests call. */
export function dashboardApp(
  config: Config,
  sources: DashboardSources,
  events: EventHub,
  cache: AnswerCache,
) {
  const app = new Hono();
  app.use('*', requireToken(config.DASHBOARD_TOKEN));
  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      let open = true;
      const queue: Array<{ event: string; data: string }> = [];
      let wake: (() => void) | undefined;
      const stop = events.listen((event, data) => {
        queue.push({ event, data: JSON.stringify(data) });
        wake?.();
      });
      stream.onAbort(() => {
        open = false;
        stop();
        wake?.();
      });
      await stream.writeSSE({ event: 'hello', data: '{}', retry: 2_000 });
      while (open) {
        const next = queue.shift();
        if (next) {
          await stream.writeSSE(next);
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, PING_EVERY_MS).unref();
        });
        wake = undefined;
        if (open && queue.length === 0) await stream.write(': ping\n\n');
      }
    }),
  );
  app.route('/', dashboardApi(config, sources, cache));
  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: `no such endpoint: ${c.req.path}` }, 404)
      : c.text('not found', 404),
  );
  app.onError((error, c) =>
    c.json({ error: `the dashboard could not answer: ${error.message.split('\n')[0]}` }, 500),
  );
  if (existsSync(PAGE_DIR)) app.use('/*', serveStatic({ root: PAGE_DIR }));
  else app.get('/', (c) => c.text('the page is not built: npm run build', 503));
  return app;
}

/** Serves the dashboard on DASHBOARD_HOST:DASHBOARD_PORT until closed. */
export async function startDashboard(config: Config, sources: DashboardSources): Promise<Dashboard> {
  const cache = new AnswerCache();
  const events = new EventHub(sources, cache, (id) => cycleUrl(config, id));
  const app = dashboardApp(config, sources, events, cache);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve(
      { fetch: app.fetch, hostname: config.DASHBOARD_HOST, port: config.DASHBOARD_PORT },
      () => resolve(started),
    );
    started.once('error', reject);
  });
  events.start();
  const { port } = server.address() as AddressInfo;
  const host = config.DASHBOARD_HOST.includes(':') ? `[${config.DASHBOARD_HOST}]` : config.DASHBOARD_HOST;
  return {
    url: `http://${host}:${port}/`,
    events,
    close: async () => {
      events.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
