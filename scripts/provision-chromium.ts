// npm postinstall: the Web UI test drives Debian's Chromium (no browser
// download site is reachable here, so Playwright's own builds are not an
// option). Installs the package when it is missing and this is a Debian
// machine we are root on; otherwise says how, and the test explains itself.
import { execFileSync } from 'node:child_process';
import { findChromium } from './chromium.js';

const say = (line: string) => console.log(`[provision] ${line}`);

if (process.env.SKIP_CHROMIUM_PROVISION === '1') process.exit(0);
const found = findChromium();
if (found) {
  say(`chromium: ${found}`);
} else if (process.getuid?.() === 0 && hasAptGet()) {
  say('chromium: installing Debian package chromium (for the Web UI test)');
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    say(`chromium: ${findChromium() ?? 'still not found'}`);
  } catch (error) {
    // Not fatal: everything but the Web UI test works without it.
    say(`chromium: apt-get install chromium failed (${(error as Error).message.split('\n')[0]})`);
  }
} else {
  say('chromium: not found; the Web UI test needs it (apt-get install chromium, or set CHROMIUM_PATH)');
}

function hasAptGet(): boolean {
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
