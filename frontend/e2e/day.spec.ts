/**
 * A desk's day without blind spots: what a user would notice when something goes
 * sideways (a save that lost a race against another tab, a page for another role).
 */
import { expect, test } from '@playwright/test';
import { apiAs, ok, seedArticle, signedInContext } from './support';

test('a conflicting save shows its notice in view and moves focus to it', async ({ browser }) => {
  const api = await apiAs('editor2');
  const article = await ok<{ id: string; version: number }>(
    api.post('/api/v1/articles', { data: seedArticle() }),
  );
  // A short window, so the notice at the top of the form is out of sight from Save.
  const { context, page } = await signedInContext(browser, 'editor1', {
    viewport: { width: 1280, height: 600 },
  });
  await page.goto(`/articles/${article.id}`);
  await page.getByRole('button', { name: 'Edit article' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Edited in the browser');

  // Someone else saves first.
  await ok(
    api.patch(`/api/v1/articles/${article.id}`, {
      data: { title: 'Edited elsewhere' },
      headers: { 'If-Match': `"${article.version}"` },
    }),
  );

  const save = page.getByRole('button', { name: 'Save article' });
  await save.scrollIntoViewIfNeeded();
  await save.click();
  const notice = page.getByRole('alert').filter({ hasText: 'Someone else changed this' });
  await expect(notice).toBeInViewport();
  await expect(notice).toBeFocused();
  // Nothing typed is lost.
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('Edited in the browser');
  await context.close();
  await api.dispose();
});

test('a page for other roles says whom it is for in plain words', async ({ browser }) => {
  const { context, page } = await signedInContext(browser, 'reviewer1');
  await page.goto('/exports');
  await expect(
    page.getByText('This page is for editors and admins. You are signed in as a reviewer.'),
  ).toBeVisible();
  await page.goto('/users');
  await expect(page.getByText('This page is for admins. You are signed in as a reviewer.')).toBeVisible();
  await context.close();
});
