import { Client, Connection } from '@temporalio/client';
import { scanMarketWorkflow } from '../src/workflows/index.js';
const client = new Client({ connection: await Connection.connect({ address: '127.0.0.1:7600' }) });
for (let i = 0; i < Number(process.argv[3] ?? 1); i++) {
  const t = performance.now();
  const r = await client.workflow.execute(scanMarketWorkflow, {
    taskQueue: process.argv[2]!,
    workflowId: `dbg-${process.argv[2]}-${i}-${Date.now()}`,
    args: [{}],
  });
  console.log(Math.round(performance.now() - t), 'ms', r.symbolsScanned, JSON.stringify(r.stats));
}
process.exit(0);
