import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, sh } from './browser';

// The real server, built by `cargo leptos build --release`, on a fresh
// SQLite database in a temporary folder, on a port of its own.
const port = Number(process.env.BINOME_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// The SMTP server the platform delivers to (server/tests/smtp_sink.py): it
// writes every message it accepts into a fresh folder, where the tests read
// them (tests/mail.ts).
const smtpPort = Number(process.env.BINOME_E2E_SMTP_PORT ?? 2525);
const smtpPython =
  process.env.BINOME_TEST_SMTP_PYTHON ?? path.resolve(__dirname, '../.tools/smtp-venv/bin/python');
const smtpSink = path.resolve(__dirname, '../server/tests/smtp_sink.py');
const mailDir = path.resolve(__dirname, '.e2e-mail');
// Read by tests/mail.ts in the workers, which inherit this environment.
process.env.BINOME_E2E_MAIL_DIR = mailDir;


// The server's environment, on a fresh data folder: the server and the
// command-line tools the tests run (tests/binome.ts) get the same one.
const dataDir = path.resolve(__dirname, '.e2e-data');
const serverEnv: Record<string, string> = {
  BINOME_DATA_DIR: dataDir,
  LEPTOS_SITE_ROOT: 'target/site',
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  LEPTOS_OUTPUT_NAME: 'binome',
  LEPTOS_ENV: 'PROD',
  BINOME_PUBLIC_URL: baseURL,
  BINOME_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  BINOME_MAIL_FROM: 'Binôme <no-reply@binome.test>',
  BINOME_VIDEO_URL_TEMPLATE: 'https://visio.binome.test/binome-{room}',
};
// On PostgreSQL instead of SQLite when BINOME_E2E_DATABASE_URL names a
// database (scripts/test runs the whole journey once more so): it is
// dropped and created again before the server starts, through the
// server's `postgres` database.
const databaseUrl = process.env.BINOME_E2E_DATABASE_URL;
let freshDatabase = '';
if (databaseUrl) {
  serverEnv.DATABASE_URL = databaseUrl;
  const admin = new URL(databaseUrl);
  const name = decodeURIComponent(admin.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`BINOME_E2E_DATABASE_URL: unexpected database name ${name}`);
  admin.pathname = '/postgres';
  freshDatabase =
    `psql ${sh(admin.toString())} -q -v ON_ERROR_STOP=1 ` +
    `-c 'DROP DATABASE IF EXISTS ${name} WITH (FORCE)' -c 'CREATE DATABASE ${name}' && `;
}
const exports = Object.entries(serverEnv)
  .map(([name, value]) => `${name}=${sh(value)}`)
  .join(' ');
// Read by tests/binome.ts in the workers.
process.env.BINOME_E2E_SERVER_ENV = JSON.stringify(serverEnv);
// The lycées of Occitanie (académies of Toulouse and Montpellier), the
// repository's copy of the shared reference data (relative to its root).
const SCHOOLS_CSV = 'reference/lycees-occitanie.csv';
const importLog = path.join(dataDir, 'import-schools.log');

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
    launchOptions: chromiumLaunchOptions,
  },
  // Started in this order, each once the previous one answers: the mail
  // sink first, so that no email meets a refused connection (and waits
  // 30 s for its retry).
  webServer: [
    {
      command:
        `rm -rf ${sh(mailDir)} && mkdir -p ${sh(mailDir)} && ` +
        `exec ${sh(smtpPython)} ${sh(smtpSink)} ${sh(mailDir)} --port ${smtpPort}`,
      port: smtpPort,
      timeout: 20_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The schools first (the pupils' profiles need them; quiet unless
      // the import fails), then the server, with the same environment.
      command:
        `rm -rf ${sh(dataDir)} && mkdir -p ${sh(dataDir)} && ${freshDatabase}cd .. && export ${exports} && ` +
        `{ target/release/binome import schools ${sh(SCHOOLS_CSV)} >${sh(importLog)} 2>&1 ` +
        `|| { cat ${sh(importLog)} >&2; exit 1; }; } && ` +
        'exec target/release/binome serve',
      url: `${baseURL}/readyz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
