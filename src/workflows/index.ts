// The worker's workflow bundle: every workflow type, and nothing that does I/O.
export { scanMarketWorkflow } from './scan-market.js';
export { scanBatchWorkflow } from './scan-batch.js';
export { deliverAlertsWorkflow } from './deliver-alerts.js';
export { workerWarmUpWorkflow } from './worker-warm-up.js';
