// Builds the dashboard's page: `npx vite build --config web/vite.config.ts` (from the repository's root)
// writes index.html and hashed assets to dist/page/ (the server's PAGE_DIR), with relative URLs (base './') so the page works
// under any path prefix. `npx vite --config web/vite.config.ts` serves it for development, passing /api
// to a dashboard server on DASHBOARD_PORT (8080 by default).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/page/', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': `http://127.0.0.1:${process.env.DASHBOARD_PORT ?? '8080'}` },
  },
});
