export { findChromium } from '../../scripts/chromium.js';

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
