// The whole journey (issues 5 to 9), end to end: a pupil of 14 in seconde
// in the académie of Toulouse signs up, her parent consents by the emailed
// link, and she asks for help in mathématiques with two evening slots; a
// tutor living in La Réunion offers it up to terminale, with availability
// in their own time; the
// coordinator of Toulouse sees both, and the times they share, each in
// their own local time, in the weeks around the end of March 2027
// (Europe/Paris goes to summer time on Sunday 28 March; La Réunion is
// UTC+4 all year). The coordinator then reviews the dry run (removes the
// other proposals, removes and restores this one), publishes; the tutor
// accepts from the emailed link and the pupil sees their tutor; the tutor
// proposes a weekly slot, the pupil confirms (her invitation parses as
// iCalendar), both calendars show it, and the tutor cancels the first
// session and moves the next; after a session both sides give feedback,
// and the coordinator's dashboard counts the session and the ratings.
// Screenshots of each step are attached to the test's results
// (end2end/test-results/…).
//
// Runs against the server on SQLite, and (scripts/test) once more on
// PostgreSQL (BINOME_E2E_DATABASE_URL, see playwright.config.ts).
//
// Runs with JavaScript (with WCAG 2.1 AA checks) and without.
import { test, expect, Browser, Page } from '@playwright/test';
import { Inbox, linkIn } from './mail';
import { createAdmin, endFirstSession, parseIcs } from './binome';
import {
  NNBSP,
  ROLE_LABEL,
  INVITATION_SUBJECT,
  uniqueAddress,
  uniqueName,
  Actor,
  newActor,
  ready,
  goto,
  field,
  expectAccessible,
  Person,
  signUpAndConfirm,
  acceptInvitation,
  APPROVED,
  CLEARED,
  isoDate,
  birthOfTheOldestUnder15,
  screenshot,
} from './actors';

const SCHOOL = { uai: '0090002D', name: 'Lycée général et technologique Gabriel Fauré', commune: 'Foix' };
const SCOPE_ACADEMIES = `Ou bien${NNBSP}: académies de son périmètre`;
const DRAFT = `Votre demande est enregistrée comme brouillon${NNBSP}: on ne peut pas encore vous proposer de tuteur, parce que${NNBSP}:`;
const NO_AVAILABILITY = `vous n’avez indiqué aucune disponibilité${NNBSP};`;
const MATCHABLE = `Votre demande est complète${NNBSP}: un coordinateur peut vous proposer un tuteur.`;
const EMPTY_SLOT = 'La fin du créneau doit être après son début.';
const MERGED = `Créneaux qui se chevauchaient ou se touchaient, fusionnés${NNBSP}: 1`;

/** Fills availability row `n` (1-based): day label, start and end `HH:MM`. */
async function slot(page: Page, n: number, day: string, from: string, to: string) {
  const row = page.getByRole('group', { name: `Créneau ${n}`, exact: true });
  await field(row, 'Jour').selectOption({ label: day });
  await field(row, 'Début').selectOption({ label: from });
  await field(row, 'Fin').selectOption({ label: to });
}

/** The coordinator of Toulouse, invited by an administrator made on the command line. */
async function coordinatorOfToulouse(
  browser: Browser,
  baseURL: string,
  javaScript: boolean,
): Promise<{ who: Actor; name: string; email: string }> {
  const admin = await newActor(browser, baseURL, javaScript);
  const coordinator = await newActor(browser, baseURL, javaScript);
  const adminEmail = uniqueAddress('admin');
  const adminLink = createAdmin(adminEmail, 'Alex', 'Durand');
  await acceptInvitation(admin, adminLink, 'Alex Durand', ROLE_LABEL.administrator);
  const camille = { firstName: 'Camille', lastName: uniqueName('Roux'), email: uniqueAddress('camille') };
  const name = `${camille.firstName} ${camille.lastName}`;
  const inbox = await new Inbox(camille.email).skipExisting();
  await admin.page.getByTestId('administration-link').click();
  await ready(admin);
  const invite = admin.page.locator('form').filter({ has: admin.page.getByTestId('invite-coordinator') });
  await field(invite, 'Prénom').fill(camille.firstName);
  await field(invite, 'Nom').fill(camille.lastName);
  await field(invite, 'Adresse électronique').fill(camille.email);
  await invite.getByRole('group', { name: SCOPE_ACADEMIES }).getByRole('checkbox', { name: 'Toulouse', exact: true }).check();
  await admin.page.getByTestId('invite-coordinator').click();
  await expect(admin.page).toHaveURL(/\/administration$/);
  const invitation = await inbox.next();
  expect(invitation.subject).toBe(INVITATION_SUBJECT);
  await acceptInvitation(coordinator, linkIn(invitation, '/mot-de-passe/nouveau'), name, ROLE_LABEL.coordinator);
  await admin.context.close();
  return { who: coordinator, name, email: camille.email };
}

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test('a Toulouse pupil and a Réunion tutor, seen by the coordinator in their own local times', async ({
      browser,
      baseURL,
    }) => {
      test.setTimeout(240_000);
      const pupil = await newActor(browser, baseURL!, javaScript);
      const tutor = await newActor(browser, baseURL!, javaScript);

      // The pupil: 14, in seconde at a lycée of the académie of Toulouse.
      const lea: Person = { role: 'pupil', firstName: 'Léa', lastName: uniqueName('Marty'), email: uniqueAddress('lea') };
      const leaName = `${lea.firstName} ${lea.lastName}`;
      const parentAddress = uniqueAddress('parent.lea');
      const birth = birthOfTheOldestUnder15();
      await signUpAndConfirm(pupil, lea);
      await screenshot(pupil, 'pupil-signed-up');
      await pupil.page.getByTestId('complete-profile').click();
      await ready(pupil);
      await field(pupil.page, 'Chercher votre lycée').fill('Gabriel Fauré Foix');
      await pupil.page.getByTestId('school-search').click();
      await expect(pupil.page).toHaveURL(/\/compte\/eleve\?recherche=/);
      await ready(pupil);
      await pupil.page.locator(`input[type="radio"][name="school_uai"][value="${SCHOOL.uai}"]`).check();
      await field(pupil.page, 'Niveau').selectOption({ label: 'Seconde générale et technologique' });
      await field(pupil.page, 'Mois').selectOption(String(birth.month));
      await field(pupil.page, 'Année').fill(String(birth.year));
      const parentInbox = await new Inbox(parentAddress).skipExisting();
      await field(pupil.page, 'Adresse électronique d’un parent').fill(parentAddress);
      await pupil.page.getByTestId('pupil-profile-submit').click();
      await expect(pupil.page).toHaveURL(/\/compte$/);
      await expect(pupil.page.getByTestId('profile-status')).toHaveAttribute('data-may-request-help', 'false');

      // Her parent consents by the emailed link, without an account.
      const parent = await newActor(browser, baseURL!, javaScript);
      const consentEmail = await parentInbox.next();
      expect(consentEmail.subject).toBe(`Binôme${NNBSP}: votre accord pour ${leaName}`);
      await goto(parent, linkIn(consentEmail, '/parent/consentement').href);
      await expect(parent.page.getByTestId('child-facts')).toContainText(SCHOOL.name);
      await screenshot(parent, 'parent-consent');
      await parent.page.getByTestId('consent-accept').click();
      await expect(parent.page).toHaveURL(/\/parent$/);
      await expectAccessible(parent);
      await parent.context.close();
      await goto(pupil, '/compte');
      await expect(pupil.page.getByTestId('profile-status')).toHaveAttribute('data-may-request-help', 'true');

      // The request, before any availability: saved as a draft, and why.
      await pupil.page.getByTestId('request-link').click();
      await expect(pupil.page).toHaveURL(/\/compte\/demande$/);
      await ready(pupil);
      await expectAccessible(pupil);
      await expect(pupil.page.getByRole('checkbox', { name: 'Mathématiques (spécialité)', exact: true }), 'not taught in seconde').toHaveCount(0);
      await pupil.page.getByRole('checkbox', { name: 'Mathématiques', exact: true }).check();
      await field(pupil.page, 'Ce qui est difficile pour vous').fill('Les suites, et rédiger une démonstration.');
      await pupil.page.getByRole('radio', { name: 'En ligne', exact: true }).check();
      await pupil.page.getByTestId('request-submit').click();
      await expect(pupil.page).toHaveURL(/\/compte\/demande/);
      await expect(pupil.page.getByTestId('request-state')).toHaveAttribute('data-matchable', 'false');
      await expect(pupil.page.getByTestId('request-state')).toContainText(DRAFT);
      await expect(pupil.page.getByTestId('request-state')).toContainText(NO_AVAILABILITY);

      // Two evening slots, Paris time. A zero-length row is refused on its
      // row first, and nothing is saved.
      await goto(pupil, '/compte/disponibilites');
      await expectAccessible(pupil);
      await expect(field(pupil.page, 'Fuseau horaire')).toHaveValue('Europe/Paris');
      await slot(pupil.page, 1, 'mardi', '18:00', '20:00');
      await slot(pupil.page, 2, 'jeudi', '18:00', '18:00');
      await pupil.page.getByTestId('availability-submit').click();
      const second = pupil.page.getByRole('group', { name: 'Créneau 2', exact: true });
      await expect(second.locator('.field-error')).toHaveText(EMPTY_SLOT);
      await expect(field(second, 'Fin')).toHaveAttribute('aria-invalid', 'true');
      // The refused form shows what is saved (nothing yet): fill it again.
      await slot(pupil.page, 1, 'mardi', '18:00', '20:00');
      await slot(pupil.page, 2, 'jeudi', '18:00', '19:00');
      await slot(pupil.page, 3, 'jeudi', '19:00', '19:30');
      await pupil.page.getByTestId('availability-submit').click();
      await expect(pupil.page.getByTestId('availability-merged')).toHaveText(MERGED);
      await expect(field(pupil.page.getByRole('group', { name: 'Créneau 2', exact: true }), 'Fin')).toHaveValue(String(19 * 60 + 30));

      await goto(pupil, '/compte/demande');
      await expect(pupil.page.getByTestId('request-state')).toHaveText(MATCHABLE);
      await screenshot(pupil, 'pupil-request');

      // On a 360-px-wide phone the forms wrap instead of scrolling sideways.
      await pupil.page.setViewportSize({ width: 360, height: 740 });
      for (const url of ['/compte/disponibilites', '/compte/demande']) {
        await goto(pupil, url);
        const overflow = await pupil.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${url} fits 360 px`).toBeLessThanOrEqual(0);
      }

      // The tutor, in La Réunion, volunteering online for Toulouse as well.
      const maelys: Person = { role: 'tutor', firstName: 'Maëlys', lastName: uniqueName('Payet'), email: uniqueAddress('maelys') };
      const maelysName = `${maelys.firstName} ${maelys.lastName}`;
      await signUpAndConfirm(tutor, maelys);
      await tutor.page.getByTestId('complete-profile').click();
      await ready(tutor);
      await field(tutor.page, 'Établissement d’enseignement supérieur').fill('Université de La Réunion');
      await field(tutor.page, 'Discipline étudiée').fill('Mathématiques');
      await field(tutor.page, 'Année d’études').selectOption({ label: 'Bac + 4' });
      await tutor.page.getByRole('checkbox', { name: 'La Réunion', exact: true }).check();
      await tutor.page.getByRole('checkbox', { name: 'Toulouse', exact: true }).check();
      await tutor.page.locator('input[name="charter"]').check();
      await tutor.page.getByTestId('tutor-profile-submit').click();
      await expect(tutor.page).toHaveURL(/\/compte$/);

      await tutor.page.getByTestId('offer-link').click();
      await expect(tutor.page).toHaveURL(/\/compte\/offre$/);
      await ready(tutor);
      await expectAccessible(tutor);
      const entry = tutor.page.getByRole('group', { name: 'Matière enseignée 1', exact: true });
      await field(entry, 'Matière').selectOption({ label: 'Mathématiques' });
      await field(entry, 'jusqu’en').selectOption({ label: 'Terminale générale' });
      await field(tutor.page, 'Nombre d’élèves à la fois').selectOption('2');
      await tutor.page.getByRole('radio', { name: 'En ligne', exact: true }).check();
      await tutor.page.getByTestId('offer-submit').click();
      await expect(tutor.page).toHaveURL(/\/compte\/offre/);
      await expect(tutor.page.getByTestId('offer-state')).toHaveAttribute('data-paused', 'false');
      await tutor.page.setViewportSize({ width: 360, height: 740 });
      await goto(tutor, '/compte/offre');
      const overflow = await tutor.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, '/compte/offre fits 360 px').toBeLessThanOrEqual(0);

      // Their availability, in their own time: Tuesday 21:00–23:00 and
      // Thursday 20:00–23:00 in La Réunion.
      await goto(tutor, '/compte/disponibilites');
      await expect(field(tutor.page, 'Fuseau horaire')).toHaveValue('Indian/Reunion');
      await slot(tutor.page, 1, 'mardi', '21:00', '23:00');
      await slot(tutor.page, 2, 'jeudi', '20:00', '23:00');
      await tutor.page.getByTestId('availability-submit').click();
      await expect(tutor.page.getByTestId('availability-saved')).toBeVisible();

      // The coordinator of Toulouse sees the request and the offer.
      const { who: coordinator, email: coordinatorEmail } = await coordinatorOfToulouse(browser, baseURL!, javaScript);
      const page = coordinator.page;
      await goto(coordinator, '/coordination');
      await page.getByTestId('requests-link').click();
      await expect(page).toHaveURL(/\/coordination\/demandes$/);
      await ready(coordinator);
      await expectAccessible(coordinator);
      await field(page, 'Matière').selectOption({ label: 'Mathématiques' });
      await page.getByTestId('filter-submit').click();
      await expect(page).toHaveURL(/matiere=mathematiques/);
      const row = page.getByTestId('requests').getByRole('row').filter({ hasText: leaName });
      await expect(row).toHaveCount(1);
      await expect(row).toContainText('Seconde générale et technologique');
      await screenshot(coordinator, 'coordinator-requests');
      await expect(row).toContainText('Prête');

      await goto(coordinator, '/coordination/offres?matiere=mathematiques&niveau=seconde_gt');
      await expectAccessible(coordinator);
      const offer = page.getByTestId('offers').getByRole('row').filter({ hasText: maelysName });
      await expect(offer).toHaveCount(1);
      await expect(offer).toContainText('Indian/Reunion');

      // The request, and the times both share over four weeks from Monday
      // 22 March 2027: two hours on Tuesday in winter, one once Paris is on
      // summer time; Thursday's 90 minutes stay, an hour earlier for the tutor.
      await goto(coordinator, '/coordination/demandes?matiere=mathematiques');
      await row.getByRole('link', { name: leaName }).click();
      await expect(page).toHaveURL(/\/coordination\/demandes\/\d+$/);
      await ready(coordinator);
      await field(page, 'Semaines à partir du').fill('2027-03-22');
      await page.getByTestId('weeks-submit').click();
      await expect(page).toHaveURL(/du=2027-03-22/);
      await ready(coordinator);
      await expectAccessible(coordinator);
      const candidate = page.getByTestId('candidate').filter({ hasText: maelysName });
      await expect(candidate).toHaveCount(1);
      await expect(candidate.getByTestId('pupil-time')).toHaveText([
        'mardi 2027-03-23 18:00–20:00',
        'jeudi 2027-03-25 18:00–19:30',
        'mardi 2027-03-30 19:00–20:00',
        'jeudi 2027-04-01 18:00–19:30',
        'mardi 2027-04-06 19:00–20:00',
        'jeudi 2027-04-08 18:00–19:30',
        'mardi 2027-04-13 19:00–20:00',
        'jeudi 2027-04-15 18:00–19:30',
      ]);
      await expect(candidate.getByTestId('tutor-time')).toHaveText([
        'mardi 2027-03-23 21:00–23:00',
        'jeudi 2027-03-25 21:00–22:30',
        'mardi 2027-03-30 21:00–22:00',
        'jeudi 2027-04-01 20:00–21:30',
        'mardi 2027-04-06 21:00–22:00',
        'jeudi 2027-04-08 20:00–21:30',
        'mardi 2027-04-13 21:00–22:00',
        'jeudi 2027-04-15 20:00–21:30',
      ]);
      await expect(candidate.getByTestId('weekly-fits')).toContainText('mardi 19:00–20:00');
      await expect(candidate.getByTestId('weekly-fits')).toContainText('jeudi 18:00–19:00');

      // The coordinator approves the tutor, then runs matching without
      // changing anything, for four weeks from 22 March 2027: the pupil is
      // proposed Tuesday 19:00–20:00 Paris time (18:00 stops fitting once
      // Paris is on summer time), 22:00–23:00 in La Réunion on the first
      // Tuesday. Other tests' people share the server: only this pupil's
      // row is read (the other run's tutor, if approved, has the same times).
      await goto(coordinator, '/coordination');
      const tutorRow = page.getByTestId('tutors').getByRole('row').filter({ hasText: maelysName });
      await tutorRow.getByRole('link', { name: maelysName }).click();
      await expect(page).toHaveURL(/\/coordination\/tuteurs\/\d+$/);
      await ready(coordinator);
      await page.getByRole('radio', { name: CLEARED, exact: true }).check();
      await page.locator('input[name="done_on"]').fill(isoDate(-30));
      await page.locator('input[name="expires_on"]').fill(isoDate(365));
      await page.getByTestId('record-check').click();
      await expect(page.getByTestId('tutor-check')).toContainText(CLEARED);
      await ready(coordinator);
      await page.getByTestId('approve').click();
      await expect(page.getByTestId('tutor-status')).toHaveText(APPROVED);
      await screenshot(coordinator, 'coordinator-approves-tutor');

      await goto(coordinator, '/coordination');
      await page.getByTestId('matching-link').click();
      await expect(page).toHaveURL(/\/coordination\/appariement$/);
      await ready(coordinator);
      await expectAccessible(coordinator);
      await field(page, 'Première semaine à partir du').fill('2027-03-22');
      await page.getByTestId('matching-run').click();
      await expect(page).toHaveURL(/debut=2027-03-22/);
      await ready(coordinator);
      const proposal = page.getByTestId('proposal').filter({ hasText: leaName });
      await expect(proposal).toHaveCount(1);
      await expect(proposal.getByTestId('pupil-slot')).toHaveText('mardi 19:00–20:00 (Europe/Paris)');
      await expect(proposal.getByTestId('tutor-slot')).toHaveText('mardi 22:00–23:00 (Indian/Reunion)');
      await expect(page.getByTestId('summary-matched')).not.toHaveText('0');
      await expectAccessible(coordinator);
      await screenshot(coordinator, 'coordinator-matching-run');

      // Review: every other proposal is removed (other tests' pupils and
      // tutors share the server), and this pupil's goes to this tutor.
      // Each removal runs matching again.
      for (let round = 0; round < 20; round++) {
        const others = page.getByTestId('proposal').filter({ hasNotText: leaName })
          .or(page.getByTestId('proposal').filter({ hasText: leaName }).filter({ hasNotText: maelysName }));
        if ((await others.count()) === 0) break;
        const before = await page.getByTestId('choice').count();
        await others.first().getByTestId('proposal-remove').click();
        await expect(page.getByTestId('choice')).toHaveCount(before + 1);
        await ready(coordinator);
      }
      const ours = page.getByTestId('proposal');
      await expect(ours).toHaveCount(1);
      await expect(ours).toContainText(leaName);
      await expect(ours).toContainText(maelysName);

      // This one too is removed, then restored: the next run proposes it
      // again (same input, same answer).
      const choices = await page.getByTestId('choice').count();
      await ours.getByTestId('proposal-remove').click();
      const removal = page.getByTestId('choice').filter({ hasText: leaName }).filter({ hasText: maelysName });
      await expect(removal).toHaveAttribute('data-kind', 'exclude');
      await expect(page.getByTestId('proposal').filter({ hasText: leaName }).filter({ hasText: maelysName })).toHaveCount(0);
      await ready(coordinator);
      await removal.getByTestId('choice-undo').click();
      await expect(page.getByTestId('choice')).toHaveCount(choices);
      await expect(ours).toHaveCount(1);
      await expect(ours).toContainText(leaName);
      await expect(ours).toContainText(maelysName);
      await ready(coordinator);
      await expectAccessible(coordinator);

      // Publishing emails the tutor, who accepts from the link without
      // signing in; the pupil then sees their tutor.
      const tutorInbox = await new Inbox(maelys.email).skipExisting();
      await page.getByTestId('matching-publish').click();
      await expect(page).toHaveURL(/publie=1/);
      await expect(page.getByTestId('published')).toContainText(`Propositions publiées${NNBSP}: 1.`);
      await screenshot(coordinator, 'coordinator-published');
      const proposalEmail = await tutorInbox.next();
      expect(proposalEmail.subject).toBe(`Binôme${NNBSP}: un élève vous est proposé`);
      await tutor.page.goto(linkIn(proposalEmail, '/proposition').href);
      await ready(tutor);
      await expect(tutor.page.getByTestId('proposal-pupil')).toHaveText('Léa');
      await expect(tutor.page.getByTestId('proposal-tutor-slot')).toHaveText('mardi 22:00–23:00 (Indian/Reunion)');
      await expectAccessible(tutor);
      await screenshot(tutor, 'tutor-proposal');
      await tutor.page.getByTestId('proposal-accept').click();
      await expect(tutor.page.getByTestId('proposal-status')).toHaveAttribute('data-status', 'accepted');
      await goto(pupil, '/compte');
      await expect(pupil.page.getByTestId('match-other')).toHaveText(maelysName);
      await expect(pupil.page.getByTestId('match-slot')).toHaveText('mardi 19:00–20:00 (Europe/Paris)');
      await expectAccessible(pupil);

      // The tutor proposes the weekly slot matching found (listed first,
      // in both local times) from tomorrow; the pupil confirms it; both
      // calendars list the sessions, each in its own time. The server runs
      // on today's clock: the tutor's hour depends on Paris's offset then.
      await goto(tutor, '/compte');
      const choice = tutor.page.getByTestId('series-slot-choice');
      await expect(choice.locator('option').first()).toContainText('mardi 19:00–20:00 (Europe/Paris)');
      await expectAccessible(tutor);
      await tutor.page.getByTestId('series-propose').click();
      await expect(tutor.page.getByTestId('series')).toHaveAttribute('data-status', 'proposed');
      await goto(pupil, '/compte');
      await expect(pupil.page.getByTestId('series-slot')).toHaveText('mardi 19:00–20:00 (Europe/Paris)');
      await expectAccessible(pupil);
      const confirmedInbox = await new Inbox(lea.email).skipExisting();
      await pupil.page.getByTestId('series-confirm').click();
      await expect(pupil.page.getByTestId('series')).toHaveAttribute('data-status', 'confirmed');
      // Her invitation, read by an independent iCalendar parser: one
      // weekly event at 19:00 Paris time.
      const confirmed = await confirmedInbox.nextWith(`Binôme${NNBSP}: vos séances sont réservées`);
      const booked = confirmed.attachments.find((a) => a.contentType === 'text/calendar');
      expect(booked?.method).toBe('REQUEST');
      const parsed = parseIcs(booked!.text);
      expect(parsed.events).toHaveLength(1);
      expect(parsed.events[0].rrule).toBe('FREQ=WEEKLY;BYDAY=TU');
      expect(parsed.events[0].start).toMatch(/T19:00:00\+0[12]:00$/);
      expect(parsed.events[0].tzid).toBe('Europe/Paris');
      await pupil.page.getByTestId('calendar-link').click();
      await expect(pupil.page).toHaveURL(/\/calendrier$/);
      const firstSession = pupil.page.getByTestId('calendar-entry').first();
      await expect(firstSession.getByTestId('calendar-time')).toHaveText('19:00–20:00');
      await expect(firstSession).toContainText(maelysName);
      // Online, in the pair's video room (128 random bits in hexadecimal).
      await expect(firstSession.getByTestId('calendar-venue')).toHaveText('En ligne, en visio');
      await expect(firstSession.getByTestId('calendar-video')).toHaveAttribute(
        'href',
        /^https:\/\/visio\.binome\.test\/binome-[0-9a-f]{32}$/,
      );
      await expectAccessible(pupil);
      await screenshot(pupil, 'pupil-calendar');
      const sessionDate = (await firstSession.locator('time').getAttribute('datetime'))!.slice(0, 10);
      // The same session in the week view, Monday to Sunday.
      await goto(pupil, `/calendrier?vue=semaine&du=${sessionDate}`);
      const day = pupil.page.locator(`[data-testid="week-day"][data-date="${sessionDate}"]`);
      await expect(day.getByTestId('week-entry')).toContainText('19:00–20:00');
      await expect(pupil.page.getByTestId('week-day')).toHaveCount(7);
      await expectAccessible(pupil);
      // Paris's offset that day, in hours (1 in winter, 2 in summer).
      const noon = new Date(`${sessionDate}T12:00:00Z`);
      const parisNoon = Number(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(noon),
      );
      const reunionStart = 19 - (parisNoon - 12) + 4;
      await goto(tutor, '/calendrier');
      const tutorSession = tutor.page.getByTestId('calendar-entry').first();
      await expect(tutorSession.getByTestId('calendar-time')).toHaveText(`${reunionStart}:00–${reunionStart + 1}:00`);
      await expect(tutorSession).toContainText(leaName);
      await expectAccessible(tutor);
      await screenshot(tutor, 'tutor-calendar');

      // The tutor cancels that first session, with a reason: it is listed
      // as cancelled, and the next week's stays.
      await tutorSession.getByTestId('session-cancel-open').click();
      await tutorSession.getByTestId('session-cancel-reason').fill('Partiel le lendemain');
      await tutorSession.getByTestId('session-cancel').click();
      await expect(tutor.page.getByTestId('calendar-entry').first()).toHaveAttribute('data-status', 'cancelled');
      await expect(tutor.page.getByTestId('calendar-entry').nth(1)).toHaveAttribute('data-status', 'scheduled');
      await expectAccessible(tutor);

      // The tutor moves the next week's session to the day after, at the
      // same hour of theirs: the pupil is emailed an updated invitation,
      // and their calendar shows it moved, at 19:00 Paris time still (no
      // clock change falls between a Tuesday and the Wednesday after).
      const pupilInbox = await new Inbox(lea.email).skipExisting();
      const nextSession = tutor.page.getByTestId('calendar-entry').nth(1);
      const nextDate = (await nextSession.locator('time').getAttribute('datetime'))!.slice(0, 10);
      const dayAfter = new Date(`${nextDate}T12:00:00Z`);
      dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
      const newDate = dayAfter.toISOString().slice(0, 10);
      await nextSession.getByTestId('session-move-open').click();
      await nextSession.getByTestId('session-move-date').fill(newDate);
      await nextSession.getByTestId('session-move-reason').fill('Cours de rattrapage ce jour-là');
      await nextSession.getByTestId('session-move').click();
      const movedForTutor = tutor.page.locator('[data-testid="calendar-entry"][data-status="moved"]');
      await expect(movedForTutor).toHaveCount(1);
      await expect(movedForTutor.locator('time')).toHaveAttribute('datetime', new RegExp(`^${newDate}T`));
      const movedEmail = await pupilInbox.nextWith(`Binôme${NNBSP}: une séance est déplacée`);
      expect(movedEmail.text).toContain('Cours de rattrapage ce jour-là');
      const invitation = movedEmail.attachments.find((a) => a.contentType === 'text/calendar');
      expect(invitation?.method).toBe('REQUEST');
      const ics = invitation!.text.replace(/\r\n /g, '');
      expect(ics).toContain(`RECURRENCE-ID;TZID=Europe/Paris:${nextDate.replace(/-/g, '')}T190000`);
      expect(ics).toContain(`DTSTART;TZID=Europe/Paris:${newDate.replace(/-/g, '')}T190000`);
      expect(ics).not.toContain(maelys.email);
      await goto(pupil, '/calendrier');
      const movedForPupil = pupil.page.locator('[data-testid="calendar-entry"][data-status="moved"]');
      await expect(movedForPupil.getByTestId('calendar-time')).toHaveText('19:00–20:00');
      await expect(movedForPupil.locator('time')).toHaveAttribute('datetime', `${newDate}T19:00`);

      // The pupil makes a private subscription link for their phone: it
      // serves the series as an iCalendar feed, the moved session in it.
      await pupil.page.getByTestId('feed-create').click();
      const feedUrl = await pupil.page.getByTestId('feed-url').inputValue();
      expect(feedUrl).toMatch(/\/calendrier\/flux\/[A-Za-z0-9_-]{43}\.ics$/);
      const feed = await pupil.page.request.get(feedUrl);
      expect(feed.status()).toBe(200);
      expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
      const feedText = (await feed.text()).replace(/\r\n /g, '');
      expect(feedText).toContain('RRULE:FREQ=WEEKLY;BYDAY=TU');
      expect(feedText).toContain(`RECURRENCE-ID;TZID=Europe/Paris:${nextDate.replace(/-/g, '')}T190000`);
      await expectAccessible(pupil);

      // Once a session has ended, the pupil is asked on their next visit
      // and gives their feedback on a phone in a few taps.
      endFirstSession(lea.email);
      await pupil.page.setViewportSize({ width: 360, height: 740 });
      await goto(pupil, '/compte');
      await expect(pupil.page.getByTestId('feedback-notice')).toContainText('(1)');
      await pupil.page.getByTestId('feedback-notice').click();
      await expect(pupil.page).toHaveURL(/\/avis$/);
      const form = pupil.page.getByTestId('feedback-session');
      await expect(form).toHaveCount(1);
      await expect(form).toContainText(maelysName);
      await expectAccessible(pupil);
      if (javaScript) {
        // Sent without the rating: the field is named, nothing is kept.
        await form.getByTestId('feedback-took-place-yes').check();
        await form.getByTestId('feedback-confidence-4').check();
        await form.getByTestId('feedback-submit').click();
        await expect(pupil.page.getByText('Choisissez une note de 1 à 5.').first()).toBeVisible();
        await expect(pupil.page.getByTestId('feedback-session')).toHaveCount(1);
      }
      const again = pupil.page.getByTestId('feedback-session');
      await again.getByTestId('feedback-took-place-yes').check();
      await again.getByTestId('feedback-rating-5').check();
      await again.getByTestId('feedback-confidence-4').check();
      await again.getByTestId('feedback-comment').fill('Les dérivées sont plus claires !');
      await screenshot(pupil, 'pupil-feedback');
      await again.getByTestId('feedback-submit').click();
      await expect(pupil.page.getByTestId('feedback-none')).toBeVisible();
      await expectAccessible(pupil);

      // The tutor gives hers too: it took place, a rating, what they worked on.
      await goto(tutor, '/avis');
      const tutorForm = tutor.page.getByTestId('feedback-session');
      await expect(tutorForm).toHaveCount(1);
      await expect(tutorForm).toContainText(leaName);
      await tutorForm.getByTestId('feedback-took-place-yes').check();
      await tutorForm.getByTestId('feedback-rating-4').check();
      await tutorForm.getByTestId('feedback-worked-on').fill('Les dérivées, exercices 12 à 15.');
      await tutorForm.getByTestId('feedback-submit').click();
      await expect(tutor.page.getByTestId('feedback-none')).toBeVisible();

      // From the match on their account, the pupil reports a problem: the
      // coordinator is emailed (without its text) and their queue names
      // the pair.
      const coordinatorInbox = await new Inbox(coordinatorEmail).skipExisting();
      const concern = 'Mon tuteur m’a demandé mon numéro de téléphone personnel.';
      await goto(pupil, '/compte');
      await pupil.page.getByTestId('match-report').click();
      await expect(pupil.page).toHaveURL(/\/signaler\?binome=\d+$/);
      await ready(pupil);
      await pupil.page.getByLabel(/Que s’est-il passé/).fill(concern);
      await pupil.page.getByTestId('report-submit').click();
      await expect(pupil.page.getByTestId('report-sent')).toBeVisible();
      const reported = await coordinatorInbox.next();
      expect(reported.subject).toMatch(/un signalement vous attend/);
      expect(reported.text).not.toContain(concern);
      await goto(coordinator, '/coordination');
      await expect(coordinator.page.getByTestId('reports')).toContainText(concern);
      // (The other run's pupil may have reported in the same académie.)
      await expect(
        coordinator.page.getByTestId('report-match').filter({ hasText: `${leaName} / ${maelysName}` }),
      ).toHaveCount(1);

      // The tutor ends the pair: it leaves both accounts, and the pupil is
      // told why and that she keeps her place on the waiting list.
      const pupilEndInbox = await new Inbox(lea.email).skipExisting();
      await goto(tutor, '/compte');
      await tutor.page.getByTestId('match-end-open').click();
      await expectAccessible(tutor);
      await tutor.page.getByTestId('match-end-reason').selectOption('no_longer_available');
      await tutor.page.getByTestId('match-end').click();
      await expect(tutor.page.getByTestId('no-match')).toBeVisible();
      const endedEmail = await pupilEndInbox.nextWith(`Binôme${NNBSP}: votre binôme avec ${maelysName} est terminé`);
      expect(endedEmail.text).toContain('Plus disponible');
      expect(endedEmail.text).toContain('vous gardez votre place dans la liste d’attente');
      expect(endedEmail.attachments.find((a) => a.contentType === 'text/calendar')?.method).toBe('REQUEST');
      await goto(pupil, '/compte');
      await expect(pupil.page.getByTestId('no-match')).toBeVisible();

      // The tutor's volunteer attestation, from her account: the session
      // the pupil said took place, one hour.
      await goto(tutor, '/compte');
      await tutor.page.getByTestId('attestation-link').click();
      await expect(tutor.page).toHaveURL(/\/attestation$/);
      await ready(tutor);
      const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
      await tutor.page.getByTestId('attestation-from').fill(monthAgo);
      await tutor.page.getByTestId('attestation-to').fill(new Date().toISOString().slice(0, 10));
      await tutor.page.getByTestId('attestation-submit').click();
      await expect(tutor.page.getByTestId('attestation-sessions')).toHaveText('1');
      await expect(tutor.page.getByTestId('attestation-hours')).toHaveText('1 h 00');
      await expectAccessible(tutor);
      const pdfHref = await tutor.page.getByTestId('attestation-pdf').getAttribute('href');
      const pdf = await tutor.page.request.get(pdfHref!);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

      // The coordinator's dashboard counts the session held (the other
      // run's pair may count too) and draws it in a chart with a name.
      await goto(coordinator, '/coordination');
      await coordinator.page.getByTestId('dashboard-link').click();
      await expect(coordinator.page).toHaveURL(/\/coordination\/tableau-de-bord$/);
      await expect(coordinator.page.locator('[data-figure="held_this_year"] dd')).toHaveText(/^[1-9]\d*$/);
      // Both ratings (5 and 4) are counted: an average of two or more
      // ("notes", plural; one rating would read "1 note").
      await expect(coordinator.page.locator('[data-figure="average_rating"] dd')).toHaveText(/^\d,\d \/ 5 \(\d+ notes\)$/);
      await screenshot(coordinator, 'coordinator-dashboard');
      await expect(
        coordinator.page.getByRole('img', { name: 'Séances par semaine depuis la rentrée' }),
      ).toBeVisible();
      await expect(coordinator.page.getByTestId('schools-table')).toBeVisible();
      await expectAccessible(coordinator);

      for (const who of [pupil, tutor, coordinator]) {
        expect(who.errors, 'no uncaught error in the page').toEqual([]);
        await who.context.close();
      }
    });
  });
}
