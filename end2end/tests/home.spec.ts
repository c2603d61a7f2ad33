import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const FRENCH_TITLE = 'Du tutorat bénévole pour les lycéens';
const ENGLISH_TITLE = 'Volunteer tutoring for lycée pupils';

async function languageCookie(page: Page): Promise<string | undefined> {
  const cookies = await page.context().cookies();
  return cookies.find((c) => c.name === 'binome_lang')?.value;
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the home page is served whole, in French', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(FRENCH_TITLE);
    await expect(page.locator('[data-academy]')).toHaveCount(30);
    await expect(page.locator('[data-academy="toulouse"]')).toHaveText('Toulouse');
    await expect(page.locator('[data-audience]')).toHaveCount(3);
  });

  test('the language switch works by following the link', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('language-switch').click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ENGLISH_TITLE);
    expect(await languageCookie(page)).toBe('en');
  });
});

test.describe('with JavaScript', () => {
  test('the page hydrates and switches language without a reload', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

    // A marker that a reload would wipe out.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByTestId('language-switch').click();

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ENGLISH_TITLE);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('language-switch')).toHaveText('Français');
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    expect(await languageCookie(page)).toBe('en');

    // The choice is remembered: the server renders the next visit in English.
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ENGLISH_TITLE);

    // And back to French.
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.getByTestId('language-switch').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(FRENCH_TITLE);
    expect(errors).toEqual([]);
  });

  for (const lang of ['fr', 'en']) {
    test(`no WCAG 2.1 AA violation on the home page (${lang})`, async ({ page, context }) => {
      await context.addCookies([{ name: 'binome_lang', value: lang, domain: '127.0.0.1', path: '/' }]);
      await page.goto('/');
      await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    });
  }

  test('the skip link moves the keyboard focus into the main content', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.keyboard.press('Tab');
    await expect(page.locator('.skip-link')).toBeFocused();
    await page.keyboard.press('Enter');
    // <main tabindex="-1"> takes the focus, so the next Tab starts there.
    const insideMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
    expect(insideMain).toBe(true);
  });

  test('a small screen gets a readable page with no horizontal scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto('/');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
