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

/** The Python of the tests' SMTP server (aiosmtpd and icalendar installed). */
function testPython(): string {
  return process.env.BINOME_TEST_SMTP_PYTHON ?? path.join(REPO_ROOT, '.tools/smtp-venv/bin/python');
}

const FIRST_SESSION = `
  SELECT o.id FROM session_occurrences o JOIN session_series s ON s.id = o.series_id
  JOIN matches m ON m.id = s.match_id JOIN users u ON u.id = m.pupil_user_id
  WHERE u.email = :email AND o.status = 'scheduled' ORDER BY o.original_date LIMIT 1`;

/**
 * Moves the pupil `pupilEmail`'s first session still scheduled to have
 * ended an hour ago, in the tests' database (the server's clock cannot be
 * advanced here): what feedback is asked on. On SQLite through the
 * standard library of the tests' Python; on PostgreSQL through psql.
 */
export function endFirstSession(pupilEmail: string): void {
  const env = serverEnv();
  if (env.DATABASE_URL) {
    const sql =
      "UPDATE session_occurrences SET starts_at = now() - interval '2 hours', " +
      `ends_at = now() - interval '1 hour' WHERE id = (${FIRST_SESSION.replace(':email', ":'email'")})`;
    // From standard input: psql interpolates :'email' there, not in -c.
    const out = execFileSync('psql', [env.DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-v', `email=${pupilEmail}`], {
      input: `${sql};\n`,
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (!/^UPDATE 1$/m.test(out)) throw new Error(`no session moved: ${out}`);
    return;
  }
  const script = `
import sqlite3, sys
from datetime import datetime, timedelta, timezone
now = datetime.now(timezone.utc).replace(microsecond=0)
text = lambda t: t.isoformat()
db = sqlite3.connect(sys.argv[1], timeout=10)
with db:
    changed = db.execute(
        "UPDATE session_occurrences SET starts_at = ?, ends_at = ? WHERE id = (${FIRST_SESSION.replace(/\n/g, ' ').replace(':email', '?')})",
        (text(now - timedelta(hours=2)), text(now - timedelta(hours=1)), sys.argv[2]),
    ).rowcount
sys.exit(0 if changed == 1 else 1)
`;
  execFileSync(testPython(), ['-c', script, path.join(env.BINOME_DATA_DIR, 'binome.db'), pupilEmail], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** What an independent reader (Python's icalendar) finds in an .ics text. */
export interface ParsedCalendar {
  events: { summary: string; start: string; tzid: string | null; rrule: string | null }[];
}

/** Parses `ics` with the icalendar package of the tests' Python (throws if it does not parse). */
export function parseIcs(ics: string): ParsedCalendar {
  const script = `
import icalendar, json, sys
calendar = icalendar.Calendar.from_ical(sys.stdin.read())
events = []
for event in calendar.walk('VEVENT'):
    start = event['DTSTART']
    events.append({
        'summary': str(event.get('SUMMARY', '')),
        'start': event.decoded('DTSTART').isoformat(),
        'tzid': start.params.get('TZID'),
        'rrule': event['RRULE'].to_ical().decode() if 'RRULE' in event else None,
    })
print(json.dumps({'events': events}))
`;
  const out = execFileSync(testPython(), ['-c', script], {
    input: ics,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out) as ParsedCalendar;
}
