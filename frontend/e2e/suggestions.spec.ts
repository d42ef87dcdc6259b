/**
 * Splitting an article with the desk's memory: a suggested clause becomes a claim with
 * one click, and earlier claims like a new one show up in the new-claim form and on
 * the claim page (the demo newsroom already checked "Zelensky has a 4% approval rating").
 */
import { expect, test } from '@playwright/test';
import { apiAs, ok, seedArticle, selectText, signedInContext } from './support';

const CLAUSE = 'Ukrainian President Volodymyr Zelensky has a 4% approval rating';

async function newSeedArticle(): Promise<string> {
  const api = await apiAs('editor2');
  const article = await ok<{ id: string }>(
    api.post('/api/v1/articles', { data: seedArticle() }),
  );
  await api.dispose();
  return article.id;
}

test('a suggested clause becomes a claim at its span with one click', async ({ browser }) => {
  const articleId = await newSeedArticle();
  const { context, page } = await signedInContext(browser, 'editor1');
  await page.goto(`/articles/${articleId}`);
  const panel = page.getByRole('region', { name: 'Suggested claims' });
  const add = panel.getByRole('button', { name: `Add as claim: ${CLAUSE}` });
  await expect(add).toBeVisible();
  // The suggestion names the figure to check in it.
  const item = panel.locator('li').filter({ has: page.getByRole('button', { name: `Add as claim: ${CLAUSE}`, exact: true }) });
  await expect(item.getByTestId('suggestion-figures')).toHaveText(
    'Figures to check: 4% (4 percent)',
  );
  await add.click();

  // The claim exists, is listed, and is highlighted in the text exactly at the clause.
  await expect(panel.getByRole('status')).toContainText(`Added ${CLAUSE}`);
  const claims = page.getByRole('region', { name: /^Claims/ });
  await expect(claims.getByRole('link', { name: CLAUSE })).toBeVisible();
  await expect(page.getByTestId('article-text').locator('mark')).toHaveText([CLAUSE]);
  // ... and the suggestion is no longer offered.
  await expect(add).toHaveCount(0);
  await context.close();
});

test('earlier claims like a new one show in the new-claim form and on the claim page', async ({
  browser,
}) => {
  const articleId = await newSeedArticle();
  const { context, page } = await signedInContext(browser, 'editor1');
  await page.goto(`/articles/${articleId}`);
  await selectText(page.getByTestId('article-text'), 'Zelensky has a 4% approval rating');
  await page.getByRole('button', { name: 'New claim from selection' }).click();

  const form = page.getByRole('region', { name: 'New claim' });
  await expect(form.getByLabel('Statement', { exact: true })).toHaveValue(
    'Zelensky has a 4% approval rating',
  );
  // The demo desk's own claim with this wording, from the seed newsroom.
  const earlier = form.getByRole('link', { name: 'Zelensky has a 4% approval rating', exact: true });
  await expect(earlier.first()).toBeVisible();
  const hrefs = (list: import('@playwright/test').Locator) =>
    list.locator('a[href^="/claims/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const inForm = await hrefs(form.locator('[aria-live="polite"]'));

  await form.getByRole('button', { name: 'Create claim' }).click();
  await expect(page).toHaveURL(/\/claims\/[0-9a-f-]{36}$/);
  const newId = page.url().split('/').pop()!;
  const similar = page.getByRole('region', { name: 'Similar earlier claims' });
  const links = similar.getByRole('link', { name: 'Zelensky has a 4% approval rating', exact: true });
  await expect(links.first()).toBeVisible();
  // Never the claim itself.
  for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    expect(href).not.toBe(`/claims/${newId}`);
  }
  // One search: the claim page lists what the form listed, in the same order.
  expect(await hrefs(similar)).toEqual(inForm);
  await context.close();
});
