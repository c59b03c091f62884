import { proxyActivities } from '@temporalio/workflow';
import type { createSmokeActivities } from './smoke-activities.js';

const { greet } = proxyActivities<ReturnType<typeof createSmokeActivities>>({
  startToCloseTimeout: '10 seconds',
});

export async function smokeWorkflow(name: string): Promise<string> {
  return await greet(name);
}
