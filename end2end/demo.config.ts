import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, sh } from './browser';

// The demo as `scripts/start` serves it: `binome serve --demo` on a fresh
// SQLite database in a folder of its own, on a port of its own. The tour
// (demo/tour.spec.ts) signs in with the demo's accounts and keeps the
// README's screenshots.
const port = Number(process.env.BINOME_DEMO_PORT ?? 3102);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = path.resolve(__dirname, '.demo-data');

export default defineConfig({
  testDir: './demo',
  timeout: 120_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'fr-FR',
    viewport: { width: 1280, height: 800 },
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    command:
      `rm -rf ${sh(dataDir)} && mkdir -p ${sh(dataDir)} && cd .. && ` +
      `export BINOME_DATA_DIR=${sh(dataDir)} LEPTOS_SITE_ROOT=target/site ` +
      `LEPTOS_SITE_ADDR=127.0.0.1:${port} LEPTOS_OUTPUT_NAME=binome LEPTOS_ENV=PROD ` +
      `BINOME_PUBLIC_URL=${baseURL} RUST_LOG=warn,server::demo=info && exec target/release/binome serve --demo`,
    // The demo loads before the server listens.
    url: `${baseURL}/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
