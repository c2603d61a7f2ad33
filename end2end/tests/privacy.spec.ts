// Data rights in the browser (issue 10): a pupil reads her data, downloads
// it as JSON, reads the privacy notice, and erases her account, with and
// without JavaScript; WCAG 2.1 AA on each page.
import { test, expect } from '@playwright/test';
import { expectAccessible, field, goto, newActor, signUpAndConfirm, uniqueAddress, uniqueName } from './actors';

const CONFIRM_WRONG = 'Tapez votre adresse électronique, exactement celle de votre compte, pour confirmer.';

for (const javaScript of [true, false]) {
  test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
    test('a pupil reads and downloads her data, then erases her account', async ({ browser, baseURL }) => {
      const pupil = await newActor(browser, baseURL!, javaScript);
      const person = { role: 'pupil' as const, firstName: 'Maëlle', lastName: uniqueName('Quéré'), email: uniqueAddress('maelle') };
      await signUpAndConfirm(pupil, person);
      const { page } = pupil;

      // Her data, from the account page.
      await page.getByTestId('my-data-link').click();
      await expect(page).toHaveURL(/\/compte\/donnees$/);
      await expect(page.getByTestId('data-whose')).toHaveText(`${person.firstName} ${person.lastName}`);
      await expect(page.getByTestId('data-users')).toContainText(person.email);
      await expectAccessible(pupil);
      const file = await page.request.get('/compte/donnees.json');
      expect(file.status()).toBe(200);
      expect(file.headers()['content-disposition']).toMatch(/^attachment; filename="binome-donnees-/);
      const data = await file.json();
      expect(data.format).toBe('binome-export/1');
      expect(data.tables.users[0].email).toBe(person.email);
      expect(JSON.stringify(data)).not.toContain('argon2');

      // The notice, from the foot of the page.
      await page.getByTestId('privacy-link').click();
      await expect(page).toHaveURL(/\/confidentialite$/);
      await expect(page.getByTestId('privacy-durations')).toContainText('18 mois');
      await expectAccessible(pupil);

      // Erasure: a wrong address is refused, field by field; hers erases.
      await goto(pupil, '/compte/donnees');
      await field(page, `Pour confirmer, tapez votre adresse électronique`).fill('autre@binome.test');
      await page.getByTestId('erase-submit').click();
      await expect(page.getByText(CONFIRM_WRONG)).toBeVisible();
      await field(page, `Pour confirmer, tapez votre adresse électronique`).fill(person.email.toUpperCase());
      await page.getByTestId('erase-submit').click();
      await expect(page).toHaveURL(/\/compte\/supprime$/);
      await expect(page.getByTestId('erased')).toBeVisible();
      await expectAccessible(pupil);
      // Signed out: the account page sends to the sign-in page.
      await goto(pupil, '/compte');
      await expect(page).toHaveURL(/\/connexion$/);
      expect(pupil.errors).toEqual([]);
      await pupil.context.close();
    });
  });
}
