# The scanner's image: worker, client and simulator, compiled (the command picks one).
# Build stage: dev dependencies (TypeScript, the workflow bundler) compile src/ into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts at build time: a container needs no local Temporal CLI or Chromium.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY web ./web
# Compiled code, the prebuilt workflow bundle and the dashboard's page: no TypeScript loader or webpack at run time.
RUN npm run build

# Runtime stage: production dependencies and the compiled code only.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# better-sqlite3's own script fetches its prebuilt binary (the ledger's SQLite, when DATABASE_URL is not set).
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
# The worker, with the Node flags src/worker/node-args.ts gives it (WORKER_HEAP_MB).
CMD ["sh", "-c", "exec node $(node dist/worker-node-args.js) dist/worker.js"]
