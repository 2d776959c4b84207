import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

// Debian's package: CI installs it with apt-get when missing; no browser is ever downloaded.
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where the browser suites leave their screenshots (CI keeps the folder when a suite fails). */
export const ARTIFACTS = join(__dirname, '..', 'artifacts');

export const chromiumAvailable = existsSync(CHROMIUM);

/** Debian's Chromium, headless, with the screenshots folder ready. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}
