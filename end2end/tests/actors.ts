// What the browser journeys share: actors (one browser context each),
// hydration, accessibility checks, and signing up, in or by invitation.
import { test, expect, Browser, BrowserContext, Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Inbox, linkIn } from './mail';
import { totp } from './totp';

// French typography: a narrow no-break space (U+202F) before « : ; ? ! ».

export const NNBSP = '\u202f';
export const PASSWORD = 'violon-orage-tartine-1987';
export const LINK_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const ROLE_LABEL = {
  pupil: 'Élève',
  tutor: 'Tuteur ou tutrice',
  administrator: 'Administrateur ou administratrice',
  coordinator: 'Coordinateur ou coordinatrice',
} as const;
export const CONFIRM_SUBJECT = `Binôme${NNBSP}: confirmez votre adresse`;
export const INVITATION_SUBJECT = `Binôme${NNBSP}: votre invitation`;

let counter = 0;
/** An address no other test (or earlier run) uses. */
export function uniqueAddress(label: string): string {
  counter += 1;
  return `${label}.${Date.now()}.${counter}@binome.test`;
}

/**
 * A family name no other test of this run uses (letters only), so that a
 * coordinator's list, shared by the tests, shows one row for it.
 */
export function uniqueName(base: string): string {
  counter += 1;
  const letters = `${Date.now() % 1_000_000}${counter}`.replace(/\d/g, (d) => 'bcdfghjklm'[Number(d)]);
  return `${base}-${letters[0].toUpperCase()}${letters.slice(1)}`;
}

/** Someone in the browser: their own context (cookies), page and uncaught errors. */
export interface Actor {
  context: BrowserContext;
  page: Page;
  errors: string[];
  javaScript: boolean;
}

export async function newActor(browser: Browser, baseURL: string, javaScript: boolean): Promise<Actor> {
  const context = await browser.newContext({ baseURL, locale: 'fr-FR', javaScriptEnabled: javaScript });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors, javaScript };
}

/** Waits for hydration when the page runs JavaScript. */
export async function ready(who: Actor) {
  if (who.javaScript) await expect(who.page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

export async function goto(who: Actor, url: string) {
  await who.page.goto(url);
  await ready(who);
}

export function field(within: Page | Locator, label: string) {
  return within.getByLabel(label, { exact: true });
}

/** No WCAG 2.1 AA violation on the page as it is now (JavaScript runs only). */
export async function expectAccessible(who: Actor) {
  if (!who.javaScript) return;
  await ready(who);
  const results = await new AxeBuilder({ page: who.page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    results.violations.map(
      (v) => `${new URL(who.page.url()).pathname} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

export interface Person {
  role: 'pupil' | 'tutor';
  firstName: string;
  lastName: string;
  email: string;
}

/** Signs `person` up and confirms by the emailed link: ends on /compte, signed in. */
export async function signUpAndConfirm(who: Actor, person: Person) {
  const { page } = who;
  const inbox = await new Inbox(person.email).skipExisting();
  await goto(who, '/inscription');
  await page.locator(`input[name="role"][value="${person.role}"]`).check();
  await field(page, 'Prénom').fill(person.firstName);
  await field(page, 'Nom').fill(person.lastName);
  await field(page, 'Adresse électronique').fill(person.email);
  await field(page, 'Mot de passe').fill(PASSWORD);
  await page.getByTestId('sign-up-submit').click();
  await expect(page).toHaveURL(/\/inscription\/envoyee$/);

  const email = await inbox.next();
  expect(email.subject).toBe(CONFIRM_SUBJECT);
  const link = linkIn(email, '/inscription/confirmer');
  expect(link.searchParams.get('jeton')).toMatch(LINK_PATTERN);
  await goto(who, link.href);
  await page.getByTestId('confirm-submit').click();
  await expectAccount(who, `${person.firstName} ${person.lastName}`, ROLE_LABEL[person.role]);
}

export async function expectAccount(who: Actor, name: string, role: string) {
  await expect(who.page).toHaveURL(/\/compte$/);
  await expect(who.page.getByTestId('account-greeting')).toHaveText(name);
  await expect(who.page.getByTestId('account-role')).toHaveText(role);
}

/**
 * Follows an invitation link and chooses a password, then (staff) adds the
 * second factor as a person would with an authenticator app: the key the
 * page shows, the code of it, the recovery codes shown once. Ends on
 * /compte, signed in; returns the key.
 */
export async function acceptInvitation(who: Actor, link: URL, name: string, role: string): Promise<string> {
  expect(link.searchParams.get('jeton')).toMatch(LINK_PATTERN);
  await goto(who, link.href);
  await field(who.page, 'Mot de passe').fill(PASSWORD);
  await who.page.getByTestId('new-password-submit').click();
  await expect(who.page).toHaveURL(/\/connexion\/code$/);
  await ready(who);
  const key = (await who.page.getByTestId('totp-key').textContent())!.trim();
  await field(who.page, 'Code').fill(totp(key));
  await who.page.getByTestId('second-factor-submit').click();
  await expect(who.page).toHaveURL(/\/connexion\/codes-de-secours$/);
  await expect(who.page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await expectAccessible(who);
  await who.page.getByTestId('recovery-continue').click();
  await expectAccount(who, name, role);
  return key;
}

/** A tutor's status once approved, and a favourable background check, as the coordinator's pages say. */
export const APPROVED = 'Validé';
export const CLEARED = 'Favorable';

/** Dates as `<input type="date">` takes them, `days` from today (UTC, as the server counts). */
export function isoDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The birth month and year of a pupil as old as one can be while under
 * 15: born this month 15 years ago, they turn 15 this month and count as
 * 15 only from the first day of next month (UTC, as the server counts).
 */
export function birthOfTheOldestUnder15(today = new Date()): { month: number; year: number } {
  return { month: today.getUTCMonth() + 1, year: today.getUTCFullYear() - 15 };
}

const shots = new Map<string, number>();
/**
 * A full-page screenshot of what `who` sees, numbered in the order of the
 * test's steps, kept in the test's output folder and attached to its
 * results (end2end/test-results/…).
 */
export async function screenshot(who: Actor, name: string) {
  const info = test.info();
  const n = (shots.get(info.testId) ?? 0) + 1;
  shots.set(info.testId, n);
  const file = info.outputPath(`${String(n).padStart(2, '0')}-${name}.png`);
  await who.page.screenshot({ path: file, fullPage: true });
  await info.attach(name, { path: file, contentType: 'image/png' });
}
