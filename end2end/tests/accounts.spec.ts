// Account journeys in the browser: sign up, confirm by the emailed link,
// sign in and out, forgotten password; with and without JavaScript; field
// errors; WCAG 2.1 AA. Emails really go through SMTP to the tests' sink
// (playwright.config.ts), and are read back with ./mail.ts.
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Inbox, linkIn } from './mail';

const SENT_PATH = /\/inscription\/envoyee$/;
const ACCOUNT_PATH = /\/compte$/;
// French typography: a narrow no-break space (U+202F) before « : ; ? ».
const NNBSP = '\u202f';
const CONFIRM_SUBJECT = `Binôme${NNBSP}: confirmez votre adresse`;
const RESET_SUBJECT = `Binôme${NNBSP}: choisir un nouveau mot de passe`;
const SIGN_IN_FAILED = 'Adresse électronique ou mot de passe incorrect.';
const SOME_FIELDS = 'Certains champs sont à corriger.';
const EMAIL_INVALID = `Cette adresse électronique n’est pas valide${NNBSP}; elle doit avoir la forme prenom.nom@exemple.fr.`;
const PASSWORD_TOO_SHORT = 'Le mot de passe doit compter au moins 8 caractères.';
const ROLE_CHOOSE = 'Indiquez si vous êtes élève ou tuteur.';
const LINK_INVALID = `Ce lien n’est plus valable${NNBSP}: il a déjà servi ou il a expiré.`;
const NAME_EMPTY = 'Indiquez ce nom.';
const ROLE_LABEL = { pupil: 'Élève', tutor: 'Tuteur ou tutrice' } as const;
// Long and unusual enough for zxcvbn, free of the names and addresses below.
const PASSWORD = 'violon-orage-tartine-1987';
const NEW_PASSWORD = 'cerf-volant-marée-haute-42';

let counter = 0;
/** An address no other test (or earlier run) uses. */
function uniqueAddress(label: string): string {
  counter += 1;
  return `${label}.${Date.now()}.${counter}@binome.test`;
}

interface Person {
  role: 'pupil' | 'tutor';
  firstName: string;
  lastName: string;
  email: string;
  password: string;
}

function tutorZoe(): Person {
  return {
    role: 'tutor',
    firstName: 'Zoé',
    lastName: "N'Diaye-Lefèvre",
    email: uniqueAddress('zoe'),
    password: PASSWORD,
  };
}

/** Waits for hydration when the page runs JavaScript. */
async function ready(page: Page, javaScript: boolean) {
  if (javaScript) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/** The page's uncaught errors, to be asserted empty. */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

function field(page: Page, label: string) {
  return page.getByLabel(label, { exact: true });
}

async function fillSignUp(page: Page, person: Partial<Person>) {
  if (person.role) await page.locator(`input[name="role"][value="${person.role}"]`).check();
  if (person.firstName !== undefined) await field(page, 'Prénom').fill(person.firstName);
  if (person.lastName !== undefined) await field(page, 'Nom').fill(person.lastName);
  if (person.email !== undefined) await field(page, 'Adresse électronique').fill(person.email);
  if (person.password !== undefined) await field(page, 'Mot de passe').fill(person.password);
}

/** Signs `person` up from /inscription; returns the confirmation link. */
async function signUp(page: Page, person: Person, javaScript: boolean): Promise<URL> {
  const inbox = await new Inbox(person.email).skipExisting();
  await page.goto('/inscription');
  await ready(page, javaScript);
  await fillSignUp(page, person);
  await page.getByTestId('sign-up-submit').click();
  await expect(page).toHaveURL(SENT_PATH);
  await expect(page.getByTestId('sign-up-sent')).toBeVisible();

  const email = await inbox.next();
  expect(email.subject).toBe(CONFIRM_SUBJECT);
  expect(email.text).toContain(person.firstName);
  const link = linkIn(email, '/inscription/confirmer');
  expect(link.origin).toBe(new URL(page.url()).origin);
  expect(link.searchParams.get('jeton')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return link;
}

/** Follows a confirmation link and confirms; ends on /compte, signed in. */
async function confirm(page: Page, link: URL, person: Person, javaScript: boolean) {
  await page.goto(link.href);
  await ready(page, javaScript);
  await page.getByTestId('confirm-submit').click();
  await expectAccountPage(page, person);
}

async function expectAccountPage(page: Page, person: Person) {
  await expect(page).toHaveURL(ACCOUNT_PATH);
  await expect(page.getByTestId('account-greeting')).toHaveText(
    `${person.firstName} ${person.lastName}`,
  );
  await expect(page.getByTestId('account-role')).toHaveText(ROLE_LABEL[person.role]);
  await expect(page.getByTestId('account-link')).toHaveText(person.firstName);
  await expect(page.getByTestId('sign-in-link')).toHaveCount(0);
}

async function signIn(page: Page, email: string, password: string, javaScript: boolean) {
  await page.goto('/connexion');
  await ready(page, javaScript);
  await field(page, 'Adresse électronique').fill(email);
  await field(page, 'Mot de passe').fill(password);
  await page.getByTestId('sign-in-submit').click();
}

async function signOut(page: Page, javaScript: boolean) {
  await ready(page, javaScript);
  // The header's button (/compte has a second one).
  await page.getByRole('banner').getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('sign-in-link')).toBeVisible();
  await expect(page.getByTestId('account-link')).toHaveCount(0);
}

/** A confirmed account, signed in on `page`. */
async function confirmedAccount(page: Page, person: Person): Promise<Person> {
  const link = await signUp(page, person, true);
  await confirm(page, link, person, true);
  return person;
}

test.describe('with JavaScript', () => {
  test('a tutor signs up, confirms, signs out and signs in again', async ({ page }) => {
    test.setTimeout(60_000);
    const errors = collectPageErrors(page);
    const zoe = tutorZoe();

    const link = await signUp(page, zoe, true);
    await confirm(page, link, zoe, true);

    await signOut(page, true);
    // Signed out for real: the account page sends to the sign-in page.
    await page.goto('/compte');
    await expect(page).toHaveURL(/\/connexion$/);

    await page.goto('/');
    await ready(page, true);
    await page.getByTestId('sign-in-link').click();
    await expect(page).toHaveURL(/\/connexion$/);
    await ready(page, true);
    await field(page, 'Adresse électronique').fill(zoe.email);
    await field(page, 'Mot de passe').fill(zoe.password);
    await page.getByTestId('sign-in-submit').click();
    await expectAccountPage(page, zoe);

    // The link has been used.
    await page.goto(link.href);
    await ready(page, true);
    await page.getByTestId('confirm-submit').click();
    await expect(page.getByTestId('form-errors')).toContainText(LINK_INVALID);

    expect(errors).toEqual([]);
  });

  test('a forgotten password is replaced through the emailed link', async ({ page }) => {
    test.setTimeout(60_000);
    const errors = collectPageErrors(page);
    const zoe = await confirmedAccount(page, tutorZoe());
    await page.context().clearCookies();

    const inbox = await new Inbox(zoe.email).skipExisting();
    await page.goto('/connexion');
    await ready(page, true);
    await page.getByRole('link', { name: `Mot de passe oublié${NNBSP}?` }).click();
    await expect(page).toHaveURL(/\/mot-de-passe\/oubli$/);
    await ready(page, true);
    await field(page, 'Adresse électronique').fill(zoe.email);
    await page.getByTestId('forgot-submit').click();
    await expect(page).toHaveURL(/\/mot-de-passe\/envoye$/);
    await expect(page.getByTestId('reset-sent')).toBeVisible();

    const email = await inbox.next();
    expect(email.subject).toBe(RESET_SUBJECT);
    const link = linkIn(email, '/mot-de-passe/nouveau');
    expect(link.searchParams.get('jeton')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await page.goto(link.href);
    await ready(page, true);
    await field(page, 'Mot de passe').fill(NEW_PASSWORD);
    await page.getByTestId('new-password-submit').click();
    await expectAccountPage(page, zoe);

    // The old password no longer works; the new one does.
    await page.context().clearCookies();
    await signIn(page, zoe.email, zoe.password, true);
    await expect(page.getByTestId('form-errors')).toContainText(SIGN_IN_FAILED);
    await expect(page).toHaveURL(/\/connexion/);
    await signIn(page, zoe.email, NEW_PASSWORD, true);
    await expectAccountPage(page, { ...zoe, password: NEW_PASSWORD });

    // The link works once.
    await page.context().clearCookies();
    await page.goto(link.href);
    await ready(page, true);
    await field(page, 'Mot de passe').fill('encore-un-autre-secret-99');
    await page.getByTestId('new-password-submit').click();
    await expect(page.getByTestId('form-errors')).toContainText(LINK_INVALID);

    expect(errors).toEqual([]);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a pupil signs up and confirms by plain form posts, then fails and passes a sign-in', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const lea: Person = {
      role: 'pupil',
      firstName: 'Léa',
      lastName: 'O’Connor',
      email: uniqueAddress('lea'),
      password: PASSWORD,
    };
    const link = await signUp(page, lea, false);
    await confirm(page, link, lea, false);
    await signOut(page, false);

    await signIn(page, lea.email, 'pas-le-bon-mot-de-passe', false);
    await expect(page).toHaveURL(/\/connexion/);
    await expect(page.getByTestId('form-errors')).toContainText(SIGN_IN_FAILED);
    await expect(page.getByTestId('form-errors')).toHaveAttribute('role', 'alert');
    await expect(page.getByTestId('sign-in-link')).toBeVisible();

    await signIn(page, lea.email, lea.password, false);
    await expectAccountPage(page, lea);
  });
});

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: javaScript });

    test('sign-up field errors are shown in French, tied to their fields', async ({ page }) => {
      const errors = collectPageErrors(page);
      await page.goto('/inscription');
      await ready(page, javaScript);
      // An address without "@", a password of 5 characters.
      await fillSignUp(page, {
        role: 'tutor',
        firstName: 'Zoé',
        lastName: "N'Diaye-Lefèvre",
        email: 'zoe.exemple.fr',
        password: 'court',
      });
      await page.getByTestId('sign-up-submit').click();

      await expect(page.getByTestId('form-errors')).toContainText(SOME_FIELDS);
      await expect(page.getByTestId('form-errors')).toHaveAttribute('role', 'alert');
      await expect(page.locator('.field-error')).toHaveText([EMAIL_INVALID, PASSWORD_TOO_SHORT]);
      await expect(page).not.toHaveURL(SENT_PATH);

      const email = field(page, 'Adresse électronique');
      const password = field(page, 'Mot de passe');
      for (const [input, message] of [
        [email, EMAIL_INVALID],
        [password, PASSWORD_TOO_SHORT],
      ] as const) {
        await expect(input).toHaveAttribute('aria-invalid', 'true');
        // The message is part of the field's accessible description (after its hint).
        // (The accessible description has its spaces normalised.)
        await expect(input).toHaveAccessibleDescription(new RegExp(`${loosePattern(message)}$`));
        await expect(page.locator('.field.field-invalid').filter({ has: input })).toHaveCount(1);
      }
      for (const valid of ['Prénom', 'Nom']) {
        await expect(field(page, valid)).not.toHaveAttribute('aria-invalid', 'true');
        await expect(page.locator('.field-invalid').filter({ has: field(page, valid) })).toHaveCount(0);
      }

      // A valid address now, the password still too short: only its error
      // is left, and nothing is sent.
      const address = uniqueAddress('field-errors');
      const inbox = new Inbox(address);
      await fillSignUp(page, {
        role: 'tutor',
        firstName: 'Zoé',
        lastName: "N'Diaye-Lefèvre",
        email: address,
        password: 'court',
      });
      await page.getByTestId('sign-up-submit').click();
      await expect(page.locator('.field-error')).toHaveText([PASSWORD_TOO_SHORT]);
      await expect(email).not.toHaveAttribute('aria-invalid', 'true');
      await expect(password).toHaveAttribute('aria-invalid', 'true');
      await expect(page).not.toHaveURL(SENT_PATH);
      // The mail worker polls every 2 s: give it two rounds.
      await page.waitForTimeout(4_500);
      expect(await inbox.count()).toBe(0);

      if (javaScript) expect(errors).toEqual([]);
    });

    test('signing up without choosing pupil or tutor says so on the choice', async ({ page }) => {
      await page.goto('/inscription');
      await ready(page, javaScript);
      await fillSignUp(page, {
        firstName: 'Zoé',
        lastName: "N'Diaye-Lefèvre",
        email: uniqueAddress('no-role'),
        password: PASSWORD,
      });
      await page.getByTestId('sign-up-submit').click();

      await expect(page.getByTestId('form-errors')).toContainText(SOME_FIELDS);
      await expect(page.locator('.field-error')).toHaveText([ROLE_CHOOSE]);
      const choice = page.getByRole('group', { name: 'Vous êtes' });
      await expect(choice).toHaveAttribute('aria-invalid', 'true');
      await expect(choice).toHaveAccessibleDescription(ROLE_CHOOSE);
      await expect(page).not.toHaveURL(SENT_PATH);
    });
  });
}

/** A pattern matching `text` literally, any run of spaces matching any other. */
function loosePattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

test.describe('accessibility', () => {
  async function expectNoViolations(page: Page) {
    await ready(page, true);
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(
      results.violations.map(
        (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
    ).toEqual([]);
  }

  for (const path of ['/inscription', '/connexion', '/mot-de-passe/oubli']) {
    test(`no WCAG 2.1 AA violation on ${path}`, async ({ page }) => {
      await page.goto(path);
      await expectNoViolations(page);
    });
  }

  test('no WCAG 2.1 AA violation on the sign-up page showing field errors', async ({ page }) => {
    await page.goto('/inscription');
    await ready(page, true);
    await fillSignUp(page, {
      role: 'pupil',
      firstName: 'Zoé',
      lastName: '',
      email: 'zoe@',
      password: 'court',
    });
    await page.getByTestId('sign-up-submit').click();
    await expect(page.locator('.field-error')).toHaveText([NAME_EMPTY, EMAIL_INVALID, PASSWORD_TOO_SHORT]);
    await expectNoViolations(page);
  });

  test('no WCAG 2.1 AA violation on the sign-in page showing its error', async ({ page }) => {
    await signIn(page, uniqueAddress('nobody'), 'pas-le-bon-mot-de-passe', true);
    await expect(page.getByTestId('form-errors')).toContainText(SIGN_IN_FAILED);
    await expectNoViolations(page);
  });

  test('no WCAG 2.1 AA violation on /compte', async ({ page }) => {
    test.setTimeout(60_000);
    await confirmedAccount(page, tutorZoe());
    await page.goto('/compte');
    await expect(page.getByTestId('account-greeting')).toBeVisible();
    await expectNoViolations(page);
  });

  test('the account pages fit a 360 px wide screen', async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    await page.goto('/inscription');
    await ready(page, true);
    await fillSignUp(page, { role: 'pupil', email: 'zoe@', password: 'court' });
    await page.getByTestId('sign-up-submit').click();
    await expect(page.locator('.field-error').first()).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(0);

    await confirmedAccount(page, tutorZoe());
    await expect(page.getByTestId('account-greeting')).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});
