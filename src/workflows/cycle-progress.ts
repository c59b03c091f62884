/**
 * @module
 * A running cycle's progress: what the `progress` query answers, and what the
 * Web UI shows on the cycle's page as its current details.
 */
import { setCurrentDetails, setHandler } from '@temporalio/workflow';
import { progressQuery } from '../contract/queries.js';
import { progressDetails } from '../contract/summaries.js';
import type { BatchResult, Phase, Progress } from '../contract/types.js';

export class CycleProgress {
  private readonly progress: Progress = {
    phase: 'listing',
    batchesDone: 0,
    batchesTotal: 0,
    symbolsDone: 0,
    symbolsTotal: 0,
    failures: 0,
    signals: 0,
  };

  constructor() {
    setHandler(progressQuery, () => this.progress);
    this.show();
  }

  scanning(batchesTotal: number, symbolsTotal: number, rejected: number): void {
    Object.assign(this.progress, { phase: 'scanning', batchesTotal, symbolsTotal, failures: rejected });
    this.show();
  }

  batchDone(result: BatchResult): void {
    this.progress.batchesDone++;
    this.progress.symbolsDone += result.symbols;
    this.progress.failures += result.failures.length;
    this.progress.signals += result.signals.length;
    this.show();
  }

  /** A later phase; the page then shows the outcome (setCurrentDetails by the caller). */
  enter(phase: Phase): void {
    this.progress.phase = phase;
  }

  private show(): void {
    setCurrentDetails(progressDetails(this.progress));
  }
}
