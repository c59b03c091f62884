/**
 * Node flags for a worker process. The old-space cap (WORKER_HEAP_MB) keeps
 * V8 collecting instead of growing the heap toward a limit derived from the
 * machine's memory; small young-generation semi-spaces trade a few more
 * scavenges for ~40 MB less resident memory. Together they hold a worker
 * with 1,590 live streams under 300 MB RSS (measured: README, "Worker memory").
 * package.json's `worker` script and the Dockerfile spell the same flags.
 */
export function workerNodeArgs(heapMb: number): string[] {
  return [`--max-old-space-size=${heapMb}`, '--max-semi-space-size=4'];
}
