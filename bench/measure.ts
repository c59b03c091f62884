import { readFileSync } from 'node:fs';

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0] ?? 0, median, max: sorted[sorted.length - 1] ?? 0 };
}

export const medianOf = (values: readonly number[]): number => spread(values).median;

/** Resident memory of a process, from /proc (Linux), in MB. */
export function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every 100 ms while a row runs; `peak()` is the highest seen. */
export class RssSampler {
  private highest = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: () => number | undefined) {
    this.timer = setInterval(() => this.sample(), 100);
  }

  private sample(): void {
    const pid = this.pid();
    if (pid) this.highest = Math.max(this.highest, rssMb(pid));
  }

  peak(): number {
    this.sample();
    clearInterval(this.timer);
    return Math.round(this.highest);
  }
}

/** CPU seconds a process has used so far (user + system, from /proc/<pid>/stat; Linux's clock ticks are 100 Hz). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ", utime and stime are the 12th and 13th fields.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
