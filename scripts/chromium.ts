// Where Chromium is: CHROMIUM_PATH, else Debian's (or another distribution's) on PATH.
// Used by the install step (scripts/provision-chromium.ts) and the browser tests.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

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
