// The demo as a newcomer finds it (issue 9): `binome serve --demo` on an
// empty database, then the accounts the README names sign in with the one
// demo password and find a living platform: Toulouse's coordinator sees
// waiting pupils, pairs, alerts and a dashboard with a history, and runs a
// dry run of matching; a pupil sees her tutor and sessions; a tutor her
// pupils. Every page passes the WCAG 2.1 AA checks with the demo's volumes
// of data, and the coordinator's pages are kept as the README's screenshots
// (docs/screenshots/).
import path from 'node:path';
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const PASSWORD = 'binome-demo-occitanie';
const DOMAIN = 'demo.binome.localhost';
const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

async function signIn(page: Page, email: string) {
  await page.goto('/connexion');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Adresse électronique', { exact: true }).fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  if (email.startsWith('coordination.') || email.startsWith('administration')) {
    // Staff: the second factor, whose code the demo shows on the page.
    await expect(page).toHaveURL(/\/connexion\/code$/);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const code = (await page.getByTestId('demo-code').locator('code').textContent())!.trim();
    expect(code).toMatch(/^[0-9]{6}$/);
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByTestId('second-factor-submit').click();
  }
  await expect(page).toHaveURL(/\/compte$/);
}

async function open(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    results.violations.map((v) => `${new URL(page.url()).pathname} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Collects what the browser refused under the pages' Content-Security-Policy. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) seen.push(`${page.url()}: ${message.text()}`);
  });
  return seen;
}

test('the coordinator of Toulouse finds a living programme, and its pages are the README’s screenshots', async ({ page }) => {
  const violations = cspViolations(page);
  await signIn(page, `coordination.toulouse@${DOMAIN}`);

  await open(page, '/coordination');
  await expect(page.getByTestId('tutors').getByRole('row')).not.toHaveCount(0);
  await expectAccessible(page);
  await shot(page, 'coordination');

  await open(page, '/coordination/demandes');
  await expect(page.getByTestId('requests').getByRole('row').nth(1)).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'demandes');

  await open(page, '/coordination/tableau-de-bord');
  await expect(page.locator('[data-figure="held_this_year"] dd')).toHaveText(/^[1-9][\d\u202f ]*$/);
  await expect(page.locator('[data-figure="active_pairs"] dd')).toHaveText(/^[1-9][\d\u202f ]*$/);
  await expect(page.locator('[data-figure="waiting"] dd')).toHaveText(/^[1-9][\d\u202f ]*$/);
  await expect(page.locator('[data-figure="average_rating"] dd')).toHaveText(/^\d,\d \/ 5/);
  await expectAccessible(page);
  await shot(page, 'tableau-de-bord');

  await open(page, '/coordination/alertes');
  await expectAccessible(page);
  await shot(page, 'alertes');

  // A dry run over the pupils still waiting.
  await open(page, '/coordination/appariement');
  await page.getByTestId('matching-run').click();
  await expect(page).toHaveURL(/debut=/, { timeout: 60_000 });
  await expect(page.getByTestId('summary-matched')).toHaveText(/^[1-9][\d\u202f ]*$/, { timeout: 60_000 });
  // The same dry run opened as a link: served whole, then hydrated, with
  // the demo's hundreds of proposals and pupils left out; one form adds a
  // pair by hand for any of those pupils.
  await page.goto(page.url());
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('proposal').first()).toBeVisible();
  const leftOut = await page.getByTestId('unmatched-pupil').count();
  expect(leftOut).toBeGreaterThan(0);
  await expect(page.getByTestId('add-pupil').locator('option')).toHaveCount(leftOut);
  await expect(page.getByTestId('add-tutor').locator('option')).not.toHaveCount(0);
  await expectAccessible(page);
  await shot(page, 'appariement');
  expect(violations).toEqual([]);
});

test('a pupil named by the start-up log has a tutor and sessions; her tutor has her', async ({ page, browser }) => {
  // The first pupils in the demo with a pair; the log names the first of them.
  let pupil = '';
  for (let n = 1; n <= 60 && !pupil; n++) {
    const email = `eleve${String(n).padStart(4, '0')}@${DOMAIN}`;
    await signIn(page, email);
    if ((await page.getByTestId('match-other').count()) > 0) pupil = email;
    else await page.context().clearCookies();
  }
  expect(pupil, 'one of the first 60 pupils has a tutor').not.toBe('');
  const tutorName = (await page.getByTestId('match-other').first().textContent())!.trim();
  await expectAccessible(page);
  await open(page, '/calendrier');
  await expect(page.getByTestId('calendar-entry').first()).toContainText(tutorName);
  await expectAccessible(page);

  // Her tutor's account lists pupils too.
  const context = await browser.newContext({ locale: 'fr-FR' });
  const tutorPage = await context.newPage();
  for (let n = 1; n <= 60; n++) {
    await signIn(tutorPage, `tuteur${String(n).padStart(4, '0')}@${DOMAIN}`);
    if ((await tutorPage.getByTestId('match-other').count()) > 0) break;
    await context.clearCookies();
  }
  await expect(tutorPage.getByTestId('match-other').first()).toBeVisible();
  await open(tutorPage, '/avis');
  await expectAccessible(tutorPage);
  await context.close();
});
