// The two journeys of the profiles issue, end to end, each actor in a
// browser context of their own (their login sessions never mix):
//
// A. A tutor signs up, completes their profile and waits; an administrator
//    (created with `binome admin create-admin`) invites the coordinator of
//    Toulouse, who records the tutor's background check and approves them.
// B. A pupil under 15 completes their profile; the parent consents by the
//    emailed link, so the pupil may ask for help; then withdraws.
//
// Each runs with JavaScript (with WCAG 2.1 AA checks on the way) and
// without. Emails really go through SMTP to the tests' sink and are read
// back with ./mail.ts; the schools come from the directory imported before
// the server starts (playwright.config.ts).
import { test, expect } from '@playwright/test';
import { Inbox, linkIn } from './mail';
import {
  NNBSP,
  LINK_PATTERN,
  ROLE_LABEL,
  INVITATION_SUBJECT,
  uniqueAddress,
  uniqueName,
  newActor,
  ready,
  goto,
  field,
  expectAccessible,
  Person,
  signUpAndConfirm,
  acceptInvitation,
  PASSWORD,
  APPROVED,
  CLEARED,
  isoDate,
  birthOfTheOldestUnder15,
} from './actors';
import { createAdmin } from './binome';
import { totp } from './totp';

const SOME_FIELDS = 'Certains champs sont à corriger.';
const LINK_INVALID = `Ce lien n’est plus valable${NNBSP}: il a déjà servi ou il a expiré.`;

// Administrators.
const SCOPE_ACADEMIES = `Ou bien${NNBSP}: académies de son périmètre`;
const SECOND_FACTOR_ON = 'activée';
const SECOND_FACTOR_OFF = 'pas encore activée';
const SECOND_FACTOR_RESET_SUBJECT = `Binôme${NNBSP}: votre double authentification a été réinitialisée`;

// Tutors (app/locales/app.yml).
const PENDING = 'En attente de validation';
const NO_CHECK = 'Aucun contrôle enregistré';
const TUTOR_MISSING = `Complétez votre profil${NNBSP}: les coordinateurs pourront ensuite valider votre inscription.`;
const NOT_PROPOSABLE = `Vous ne pouvez pas encore être proposé à un élève${NNBSP}: un coordinateur doit enregistrer votre contrôle d’honorabilité et valider votre inscription.`;
const PROPOSABLE = `Votre inscription est validée${NNBSP}: vous pouvez être proposé à des élèves.`;
const CHECK_NEEDED =
  'Pour valider ce tuteur, enregistrez d’abord un contrôle d’honorabilité favorable et en cours de validité.';

// Pupils and parents.
const SCHOOL = { uai: '0090002D', name: 'Lycée général et technologique Gabriel Fauré', commune: 'Foix' };
const LEVEL = 'Seconde générale et technologique';
const PUPIL_MISSING = 'Complétez votre profil pour pouvoir demander de l’aide.';
const PARENT_MISSING = `Vous avez moins de 15 ans${NNBSP}: indiquez l’adresse électronique d’un parent, qui devra donner son accord.`;
const WAITING_FOR_CONSENT = `Vous avez moins de 15 ans${NNBSP}: vous pourrez demander de l’aide quand un parent aura donné son accord. Un courriel lui a été envoyé.`;
const MAY_REQUEST_HELP = `Votre profil est complet${NNBSP}: vous pourrez demander de l’aide.`;
const CONSENT_PENDING = 'En attente de la réponse du parent';
const CONSENT_GIVEN = 'Accord donné';
const CONSENT_WITHDRAWN = 'Accord retiré';




/** A pattern matching `text` literally, any run of spaces matching any other. */
function loosePattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}



for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test('a tutor is approved by the coordinator of Toulouse, invited by an administrator', async ({
      browser,
      baseURL,
    }) => {
      test.setTimeout(180_000);
      const tutor = await newActor(browser, baseURL!, javaScript);
      const admin = await newActor(browser, baseURL!, javaScript);
      const coordinator = await newActor(browser, baseURL!, javaScript);

      // The tutor signs up and completes their profile.
      const ines: Person = {
        role: 'tutor',
        firstName: 'Inès',
        lastName: uniqueName('Benali'),
        email: uniqueAddress('ines'),
      };
      const inesName = `${ines.firstName} ${ines.lastName}`;
      await signUpAndConfirm(tutor, ines);
      await expect(tutor.page.getByTestId('profile-status')).toHaveText(TUTOR_MISSING);
      await tutor.page.getByTestId('complete-profile').click();
      await expect(tutor.page).toHaveURL(/\/compte\/tuteur$/);
      await ready(tutor);
      await expectAccessible(tutor);
      await field(tutor.page, 'Établissement d’enseignement supérieur').fill('Université Toulouse III – Paul Sabatier');
      await field(tutor.page, 'Discipline étudiée').fill('Mathématiques appliquées');
      await field(tutor.page, 'Année d’études').selectOption({ label: 'Bac + 3' });
      await tutor.page.getByRole('checkbox', { name: 'Toulouse', exact: true }).check();
      await tutor.page.locator('input[name="charter"]').check();
      await tutor.page.getByTestId('tutor-profile-submit').click();
      await expect(tutor.page).toHaveURL(/\/compte$/);
      await expect(tutor.page.getByTestId('tutor-status')).toHaveText(PENDING);
      await expect(tutor.page.getByTestId('profile-status')).toHaveText(NOT_PROPOSABLE);

      // The administrator, created from the command line, chooses a
      // password by the link it printed, which was emailed too.
      const alex = { email: uniqueAddress('alex'), name: 'Alex Durand' };
      const adminInbox = await new Inbox(alex.email).skipExisting();
      const adminLink = createAdmin(alex.email, 'Alex', 'Durand');
      expect(adminLink.origin).toBe(new URL(baseURL!).origin);
      expect(adminLink.pathname).toBe('/mot-de-passe/nouveau');
      const adminEmail = await adminInbox.next();
      expect(adminEmail.subject).toBe(INVITATION_SUBJECT);
      expect(linkIn(adminEmail, '/mot-de-passe/nouveau').href).toBe(adminLink.href);
      await acceptInvitation(admin, adminLink, alex.name, ROLE_LABEL.administrator);

      // … and invites the coordinator of Toulouse.
      const camille = {
        firstName: 'Camille',
        lastName: uniqueName('Roux'),
        email: uniqueAddress('camille'),
      };
      const camilleName = `${camille.firstName} ${camille.lastName}`;
      const coordinatorInbox = await new Inbox(camille.email).skipExisting();
      await admin.page.getByTestId('administration-link').click();
      await expect(admin.page).toHaveURL(/\/administration$/);
      await ready(admin);
      await expectAccessible(admin);
      const invite = admin.page.locator('form').filter({ has: admin.page.getByTestId('invite-coordinator') });
      await field(invite, 'Prénom').fill(camille.firstName);
      await field(invite, 'Nom').fill(camille.lastName);
      await field(invite, 'Adresse électronique').fill(camille.email);
      await invite
        .getByRole('group', { name: SCOPE_ACADEMIES })
        .getByRole('checkbox', { name: 'Toulouse', exact: true })
        .check();
      await admin.page.getByTestId('invite-coordinator').click();
      await expect(admin.page).toHaveURL(/\/administration$/);
      const listed = admin.page.getByTestId('coordinators').getByRole('row').filter({ hasText: camille.email });
      await expect(listed, 'the list shows the invited coordinator at once').toHaveCount(1);
      await expect(listed).toContainText(camilleName);
      await expect(listed, 'the scope is shown by académie name').toContainText('Toulouse');

      // The coordinator chooses a password by the emailed invitation.
      const invitation = await coordinatorInbox.next();
      expect(invitation.subject).toBe(INVITATION_SUBJECT);
      const camilleKey = await acceptInvitation(
        coordinator,
        linkIn(invitation, '/mot-de-passe/nouveau'),
        camilleName,
        ROLE_LABEL.coordinator,
      );

      // The tutor is in their list, pending.
      const { page } = coordinator;
      await page.getByTestId('coordination-link').click();
      await expect(page).toHaveURL(/\/coordination$/);
      await ready(coordinator);
      await expect(page.getByTestId('scope'), 'the scope is shown by académie name').toContainText('Toulouse');
      const row = page.getByTestId('tutors').getByRole('row').filter({ hasText: inesName });
      await expect(row).toHaveCount(1);
      await expect(row).toContainText(PENDING);
      await expectAccessible(coordinator);
      await row.getByRole('link', { name: inesName }).click();
      await expect(page).toHaveURL(/\/coordination\/tuteurs\/\d+$/);
      await ready(coordinator);
      const tutorPage = page.url();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(inesName);
      await expect(page.getByTestId('tutor-status')).toHaveText(PENDING);
      await expect(page.getByTestId('tutor-check')).toHaveText(NO_CHECK);
      await expectAccessible(coordinator);

      // Approving without a background check is refused, and says why.
      await page.getByTestId('approve').click();
      await expect(page.getByText(CHECK_NEEDED, { exact: true })).toBeVisible();
      await expect(page.getByTestId('form-errors')).toContainText(SOME_FIELDS);
      await expect(page.getByTestId('tutor-status')).toHaveText(PENDING);
      expect(page.url().split('?')[0]).toBe(tutorPage);
      await expectAccessible(coordinator);

      // The check is recorded, then the tutor approved.
      const doneOn = isoDate(-30);
      const expiresOn = isoDate(365);
      await page.getByRole('radio', { name: CLEARED, exact: true }).check();
      await page.locator('input[name="done_on"]').fill(doneOn);
      await page.locator('input[name="expires_on"]').fill(expiresOn);
      await page.getByTestId('record-check').click();
      await expect(page.getByTestId('tutor-check'), 'the page shows the check just recorded').toContainText(CLEARED);
      await expect(page.getByTestId('tutor-check')).toContainText(`${doneOn} → ${expiresOn}`);
      await expect(page.getByTestId('tutor-check')).toContainText(camilleName);
      await ready(coordinator);
      await page.getByTestId('approve').click();
      await expect(page.getByTestId('tutor-status'), 'the page shows the new status').toHaveText(APPROVED);
      await expect(page.getByText(CHECK_NEEDED)).toHaveCount(0);
      await expect(page.getByTestId('approve')).toHaveCount(0);
      await expect(page.getByTestId('suspend')).toBeVisible();

      await goto(coordinator, '/coordination');
      const approvedRow = page.getByTestId('tutors').getByRole('row').filter({ hasText: inesName });
      await expect(approvedRow).toContainText(APPROVED);
      await expect(approvedRow).toContainText(expiresOn);

      // The tutor sees it on their account page.
      await tutor.page.reload();
      await ready(tutor);
      await expect(tutor.page.getByTestId('tutor-status')).toHaveText(APPROVED);
      await expect(tutor.page.getByTestId('profile-status')).toHaveText(PROPOSABLE);

      // The coordinator replaces her recovery codes, proving she still has
      // her phone with a code of it (the next step's: the current one may
      // have served at the enrolment).
      await goto(coordinator, '/compte');
      await page.getByTestId('second-factor-link').click();
      await expect(page).toHaveURL(/\/compte\/double-authentification$/);
      await ready(coordinator);
      await expect(page.getByTestId('recovery-codes-left')).toHaveText('10 sur 10');
      await expectAccessible(coordinator);
      await field(page, 'Code').fill(totp(camilleKey, Date.now(), 1));
      await page.getByTestId('renew-recovery-codes').click();
      await expect(page).toHaveURL(/\/connexion\/codes-de-secours$/);
      await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);

      // She loses her phone: the administrator resets her second factor;
      // she is signed out, told by email, and adds a new one at her next
      // sign-in.
      const resetInbox = await new Inbox(camille.email).skipExisting();
      await goto(admin, '/administration');
      const camilleRow = admin.page.getByTestId('coordinators').getByRole('row').filter({ hasText: camille.email });
      await expect(camilleRow.getByTestId('second-factor-state')).toHaveText(SECOND_FACTOR_ON);
      await camilleRow.getByRole('button', { name: `Réinitialiser la double authentification de ${camilleName}` }).click();
      // With JavaScript the page says so; without, it comes back with the
      // row changed.
      if (javaScript) await expect(admin.page.getByTestId('second-factor-reset')).toBeVisible();
      await expect(camilleRow.getByTestId('second-factor-state')).toHaveText(SECOND_FACTOR_OFF);
      await expect(camilleRow.getByRole('button')).toHaveCount(0);
      await expectAccessible(admin);
      expect((await resetInbox.next()).subject).toBe(SECOND_FACTOR_RESET_SUBJECT);
      await goto(coordinator, '/compte');
      await expect(page).toHaveURL(/\/connexion$/);
      await ready(coordinator);
      await field(page, 'Adresse électronique').fill(camille.email);
      await field(page, 'Mot de passe').fill(PASSWORD);
      await page.getByTestId('sign-in-submit').click();
      await expect(page).toHaveURL(/\/connexion\/code$/);
      await ready(coordinator);
      const newKey = (await page.getByTestId('totp-key').textContent())!.trim();
      expect(newKey).not.toBe(camilleKey);

      for (const who of [tutor, admin, coordinator]) {
        if (javaScript) expect(who.errors).toEqual([]);
        await who.context.close();
      }
    });

    test('a pupil under 15 may ask for help once a parent consents, and no longer once they withdraw', async ({
      browser,
      baseURL,
    }) => {
      test.setTimeout(120_000);
      const pupil = await newActor(browser, baseURL!, javaScript);
      const parent = await newActor(browser, baseURL!, javaScript);
      const { page } = pupil;

      const noah: Person = {
        role: 'pupil',
        firstName: 'Noah',
        lastName: uniqueName('Lambert'),
        email: uniqueAddress('noah'),
      };
      const noahName = `${noah.firstName} ${noah.lastName}`;
      const parentAddress = uniqueAddress('parent.noah');
      const birth = birthOfTheOldestUnder15();

      await signUpAndConfirm(pupil, noah);
      await expect(page.getByTestId('profile-status')).toHaveText(PUPIL_MISSING);
      await page.getByTestId('complete-profile').click();
      await expect(page).toHaveURL(/\/compte\/eleve$/);
      await ready(pupil);
      await expectAccessible(pupil);

      // The school, found by a search.
      await field(page, 'Chercher votre lycée').fill('Gabriel Fauré Foix');
      await page.getByTestId('school-search').click();
      await expect(page).toHaveURL(/\/compte\/eleve\?recherche=/);
      await ready(pupil);
      const school = page.locator(`input[type="radio"][name="school_uai"][value="${SCHOOL.uai}"]`);
      await expect(page.getByRole('radio', { name: `${SCHOOL.name} — ${SCHOOL.commune} (${SCHOOL.uai})` })).toHaveCount(1);
      await school.check();
      await field(page, 'Niveau').selectOption({ label: LEVEL });
      await field(page, 'Mois').selectOption(String(birth.month));
      await field(page, 'Année').fill(String(birth.year));

      // Under 15 without a parent's address: refused, and said on the field.
      const parentEmail = field(page, 'Adresse électronique d’un parent');
      await page.getByTestId('pupil-profile-submit').click();
      await expect(page.getByTestId('form-errors')).toContainText(SOME_FIELDS);
      await expect(page.locator('.field-error')).toHaveText([PARENT_MISSING]);
      await expect(parentEmail).toHaveAttribute('aria-invalid', 'true');
      await expect(parentEmail).toHaveAccessibleDescription(new RegExp(`${loosePattern(PARENT_MISSING)}$`));
      await expect(page).toHaveURL(/\/compte\/eleve/);
      await expectAccessible(pupil);

      // With it: saved, waiting for the parent. (Without JavaScript, the
      // page that shows the errors has lost the level and the birth date:
      // they are chosen again; the search, hence the school, is kept.)
      const parentInbox = await new Inbox(parentAddress).skipExisting();
      await expect(school).toBeChecked();
      if (!javaScript) {
        await field(page, 'Niveau').selectOption({ label: LEVEL });
        await field(page, 'Mois').selectOption(String(birth.month));
        await field(page, 'Année').fill(String(birth.year));
      }
      await parentEmail.fill(parentAddress);
      await page.getByTestId('pupil-profile-submit').click();
      await expect(page).toHaveURL(/\/compte$/);
      const status = page.getByTestId('profile-status');
      await expect(status).toHaveAttribute('data-may-request-help', 'false');
      await expect(status).toHaveText(WAITING_FOR_CONSENT);
      await expect(page.getByTestId('consent-status')).toHaveText(CONSENT_PENDING);

      // The parent reads what is kept about their child and accepts.
      const request = await parentInbox.next();
      expect(request.subject).toBe(`Binôme${NNBSP}: votre accord pour ${noahName}`);
      expect(request.text).toContain(SCHOOL.name);
      const consentLink = linkIn(request, '/parent/consentement');
      expect(consentLink.searchParams.get('jeton')).toMatch(LINK_PATTERN);
      await goto(parent, consentLink.href);
      const facts = parent.page.getByTestId('child-facts');
      await expect(facts).toContainText(noah.firstName);
      await expect(facts).toContainText(noah.lastName);
      await expect(facts).toContainText(`${SCHOOL.name} — ${SCHOOL.commune}`);
      await expect(facts).toContainText(LEVEL);
      await expect(parent.page.getByTestId('child-consent')).toHaveText(CONSENT_PENDING);
      await expectAccessible(parent);
      await parent.page.getByTestId('consent-accept').click();
      await expect(parent.page).toHaveURL(/\/parent$/);
      await ready(parent);
      const child = parent.page.getByTestId('child').filter({ hasText: noahName });
      await expect(child.getByTestId('child-consent')).toHaveText(CONSENT_GIVEN);
      await expectAccessible(parent);

      await page.reload();
      await ready(pupil);
      await expect(status).toHaveAttribute('data-may-request-help', 'true');
      await expect(status).toHaveText(MAY_REQUEST_HELP);
      await expect(page.getByTestId('consent-status')).toHaveText(CONSENT_GIVEN);

      // The consent link served once.
      const other = await newActor(browser, baseURL!, javaScript);
      await goto(other, consentLink.href);
      await expect(other.page.getByTestId('form-errors')).toContainText(LINK_INVALID);
      await expect(other.page.getByTestId('consent-accept')).toHaveCount(0);
      await other.context.close();

      // The parent withdraws: the pupil is paused again.
      await child.getByTestId('consent-withdraw').click();
      await expect(parent.page).toHaveURL(/\/parent$/);
      await expect(child.getByTestId('child-consent'), 'the page shows the consent withdrawn').toHaveText(
        CONSENT_WITHDRAWN,
      );
      await expect(child.getByTestId('consent-give')).toBeVisible();

      await page.reload();
      await ready(pupil);
      await expect(status).toHaveAttribute('data-may-request-help', 'false');
      await expect(page.getByTestId('consent-status')).toHaveText(CONSENT_WITHDRAWN);

      for (const who of [pupil, parent]) {
        if (javaScript) expect(who.errors).toEqual([]);
        await who.context.close();
      }
    });
  });
}
