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

/**
 * Moves the pupil `pupilEmail`'s first session still scheduled to have
 * ended an hour ago, in the tests' SQLite database (the server's clock
 * cannot be advanced here): what feedback is asked on. Uses the Python of
 * the tests' SMTP server, whose standard library has `sqlite3`.
 */
export function endFirstSession(pupilEmail: string): void {
  const env = serverEnv();
  const python =
    process.env.BINOME_TEST_SMTP_PYTHON ?? path.join(REPO_ROOT, '.tools/smtp-venv/bin/python');
  const script = `
import sqlite3, sys
from datetime import datetime, timedelta, timezone
now = datetime.now(timezone.utc).replace(microsecond=0)
text = lambda t: t.isoformat()
db = sqlite3.connect(sys.argv[1], timeout=10)
with db:
    changed = db.execute(
        "UPDATE session_occurrences SET starts_at = ?, ends_at = ? WHERE id = ("
        " SELECT o.id FROM session_occurrences o JOIN session_series s ON s.id = o.series_id"
        " JOIN matches m ON m.id = s.match_id JOIN users u ON u.id = m.pupil_user_id"
        " WHERE u.email = ? AND o.status = 'scheduled' ORDER BY o.original_date LIMIT 1)",
        (text(now - timedelta(hours=2)), text(now - timedelta(hours=1)), sys.argv[2]),
    ).rowcount
sys.exit(0 if changed == 1 else 1)
`;
  execFileSync(python, ['-c', script, path.join(env.BINOME_DATA_DIR, 'binome.db'), pupilEmail], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
