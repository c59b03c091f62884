/**
 * @module
 * The Node flags a worker process runs with, spelled here and nowhere else:
 * `npm start`, the benchmark and the chaos harness pass them when they spawn
 * a worker; `npm run worker` and the image ask for them with
 * `node dist/worker-node-args.js` (src/worker-node-args.ts). The old-space
 * cap (WORKER_HEAP_MB) keeps V8 collecting instead of growing the heap
 * toward a limit derived from the machine's memory; small young-generation
 * semi-spaces trade a few more scavenges for less resident memory: 4 MB
 * (6 and 8 MB made no cold cycle measurably faster and took a worker with
 * every stream at Binance's rate to 276–301 and 287 MB, against its 300 MB
 * target; docs/performance.md, "Worker memory").
 */
export function workerNodeArgs(heapMb: number): string[] {
  return [`--max-old-space-size=${heapMb}`, '--max-semi-space-size=4'];
}
