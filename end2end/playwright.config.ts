import { defineConfig } from '@playwright/test';

// The real server, built by `cargo leptos build --release`, on a fresh
// SQLite database in a temporary folder, on a port of its own.
const port = Number(process.env.BINOME_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL,
    // A French pupil's browser.
    locale: 'fr-FR',
    // Debian's Chromium: Playwright cannot download its own browser here.
    launchOptions: {
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
    },
  },
  webServer: {
    command:
      'data="$PWD/.e2e-data" && rm -rf "$data" && cd .. && BINOME_DATA_DIR="$data" LEPTOS_SITE_ROOT=target/site ' +
      `LEPTOS_SITE_ADDR=127.0.0.1:${port} LEPTOS_OUTPUT_NAME=binome LEPTOS_ENV=PROD ` +
      'exec target/release/binome serve',
    url: `${baseURL}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
