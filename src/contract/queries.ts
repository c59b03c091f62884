/**
 * @module
 * The queries a running cycle answers (defined once, used by the workflow
 * that sets the handler and by every client that asks).
 */
import { defineQuery } from '@temporalio/workflow';
import type { Progress } from './types.js';

/** Answers at any time: phase, batches and symbols done, failures and signals so far. */
export const progressQuery = defineQuery<Progress>('progress');
