// What both Playwright configurations share: Debian's Chromium
// (Playwright cannot download its own browser here) and quoting for the
// web servers' shell commands.
import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium, headless, with no network of its own. */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** `value` quoted for sh. */
export const sh = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
