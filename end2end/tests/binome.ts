// The platform's command line (target/release/binome), run from the
// repository's root with the environment of the server the tests talk to
// (playwright.config.ts), so that it works on the same database.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function serverEnv(): Record<string, string> {
  const json = process.env.BINOME_E2E_SERVER_ENV;
  if (!json) throw new Error('BINOME_E2E_SERVER_ENV is unset: run the tests with playwright.config.ts');
  return JSON.parse(json);
}

/** Runs `binome ARGS…`; returns its standard output (throws on a non-zero exit). */
export function binome(...args: string[]): string {
  return execFileSync(path.join(REPO_ROOT, 'target/release/binome'), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...serverEnv() },
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * `binome admin create-admin EMAIL --first-name F --last-name L`: the
 * administrator's invitation link, as printed.
 */
export function createAdmin(email: string, firstName: string, lastName: string): URL {
  const out = binome('admin', 'create-admin', email, '--first-name', firstName, '--last-name', lastName);
  const printed = out.match(/invitation queued, valid 7 days: (\S+)/);
  if (!printed) throw new Error(`no invitation link in the output of create-admin:\n${out}`);
  return new URL(printed[1]);
}
