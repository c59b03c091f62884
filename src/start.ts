// `npm start`: the whole product on one machine (src/launcher/launcher.ts).
import { Command } from 'commander';
import { loadConfig } from './config.js';
import { errorMessage } from './core/errors.js';
import { Launcher } from './launcher/launcher.js';

const flags = new Command('start')
  .description('run the market scanner on this machine')
  .option('--once', 'run one cycle, print its report and exit')
  .option('--json', 'with --once: print only the report JSON')
  .showHelpAfterError(false)
  .configureOutput({
    outputError: (text, write) => write(`start: ${text.replace(/^error: /, '').split('\n')[0]}\n`),
  })
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .parse()
  .opts<{ once?: boolean; json?: boolean }>();
if (flags.json && !flags.once) {
  console.error('start: --json goes with --once');
  process.exit(2);
}

const launcher = new Launcher({ once: Boolean(flags.once), json: Boolean(flags.json) }, (line) => {
  if (!flags.json) console.error(line);
});
const exit = (code: number) => void launcher.stop().finally(() => process.exit(code));
process.once('SIGINT', () => exit(0));
process.once('SIGTERM', () => exit(0));

async function main(): Promise<void> {
  const config = loadConfig(process.env, {}, { requireExchangeUrl: false });
  await launcher.run(config, (code, logFile) => {
    console.error(`start: the worker exited (${code}); see ${logFile}`);
    exit(1);
  });
}

main().then(
  () => exit(0),
  (error: unknown) => {
    console.error(`start: ${errorMessage(error).split('\n')[0]}`);
    exit(1);
  },
);
