import { createServer, type Server } from 'node:http';
import type { ScannerMetrics } from './scanner-metrics.js';

/**
 * GET /metrics: the product's metrics, then the Temporal SDK's (its own
 * exporter listens on a private loopback port; one scrape target is simpler
 * to operate). Binds to loopback unless told otherwise.
 */
export async function startMetricsServer(options: {
  metrics: ScannerMetrics;
  host: string;
  port: number;
  /** The SDK's Prometheus exporter, e.g. http://127.0.0.1:40123/metrics. */
  sdkUrl?: string;
}): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end('not found\n');
      return;
    }
    void (async () => {
      const own = await options.metrics.registry.metrics();
      const sdk = options.sdkUrl
        ? await fetch(options.sdkUrl)
            .then((r) => r.text())
            .catch(() => '')
        : '';
      response.writeHead(200, { 'Content-Type': options.metrics.registry.contentType });
      response.end(`${own}\n${sdk}`);
    })().catch((error: unknown) => response.writeHead(500).end(`${String(error)}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  server.unref();
  return { server, url: `http://${options.host}:${port}/metrics` };
}
