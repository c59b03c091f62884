# The scanner's image: worker, client and simulator (the command picks one).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies need no install scripts, and a container needs no local Temporal CLI.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# Compiled code and the prebuilt workflow bundle: the worker runs without a TypeScript loader or webpack.
RUN npm run build
USER node
# The same flags as `npm run worker` (src/runtime/worker-node-args.ts says why).
CMD ["sh", "-c", "exec node --max-old-space-size=${WORKER_HEAP_MB:-192} --max-semi-space-size=4 dist/worker.js"]
