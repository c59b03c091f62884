import { defineQuery } from '@temporalio/workflow';
import type { Progress } from '../scan/types.js';

/** Answers at any time: phase, batches and symbols done, failures and signals so far. */
export const progressQuery = defineQuery<Progress>('progress');
