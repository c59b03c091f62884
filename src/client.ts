// `npm run client -- <command>`: ad-hoc scans, Schedule control, status, reports and indicators.
import { ScheduleNotFoundError } from '@temporalio/client';
import { clientHandlers } from './client/handlers.js';
import { buildClientProgram } from './client/program.js';
import { errorMessage } from './core/errors.js';

async function main(): Promise<void> {
  const { handlers, close } = clientHandlers();
  try {
    await buildClientProgram(handlers).parseAsync();
  } catch (error) {
    const message =
      error instanceof ScheduleNotFoundError
        ? 'the market-scan Schedule does not exist (client schedule create)'
        : errorMessage(error);
    console.error(`client: ${message.split('\n')[0]}`);
    process.exitCode = 1;
  } finally {
    await close();
  }
}

void main();
