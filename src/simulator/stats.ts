/** Counters of what the simulator answered, for tests, benchmarks and the admin endpoint. */
export class SimulatorStats {
  requests = 0;
  weight = 0;
  readonly byStatus: Record<string, number> = {};
  readonly byPath: Record<string, number> = {};
  readonly faults = { error: 0, hang: 0, malformed: 0, wsRefused: 0 };
  readonly malformations: Record<string, number> = {};
  /** Injected failures, by kind (faults.ts REST_ERRORS). */
  readonly errors: Record<string, number> = {};
  ws = { connections: 0, opened: 0, messagesIn: 0, messagesOut: 0, klineEvents: 0, forcedDisconnects: 0 };

  record(path: string, status: number, weight: number): void {
    this.requests++;
    this.weight += weight;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    this.byPath[path] = (this.byPath[path] ?? 0) + 1;
  }

  snapshot() {
    return {
      requests: this.requests,
      weight: this.weight,
      byStatus: { ...this.byStatus },
      byPath: { ...this.byPath },
      faults: { ...this.faults },
      malformations: { ...this.malformations },
      errors: { ...this.errors },
      ws: { ...this.ws },
    };
  }
}
