import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Chromium for browser tests: CHROMIUM_PATH, else Debian's (or another distribution's) on PATH. */
export function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : ['chromium', 'chromium-browser'].flatMap((name) =>
        (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, name)),
      );
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Headless, no sandbox (root in CI), no GPU, and nothing fetched from the network behind our back. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--no-first-run',
];
