/**
 * The live desk: what one person does shows on another's screen at once, without a
 * reload, and nobody's typing is overwritten by it.
 */
import { expect, test, type Page } from '@playwright/test';
import { apiAs, login, ok, screenshot, seedArticle, signedInContext, userByEmail } from './support';

/** A claim assigned to reviewer1 with a source and a drafted verdict: ready to submit. */
async function claimReadyToSubmit(statement: string) {
  const api = await apiAs('editor1');
  const seed = seedArticle();
  const article = await ok<{ id: string }>(
    api.post('/api/v1/articles', { data: { ...seed, title: `${seed.title} (${statement})` } }),
  );
  const claim = await ok<{ id: string }>(
    api.post(`/api/v1/articles/${article.id}/claims`, {
      data: { quote: 'Belarus is a major producer of potash', statement },
    }),
  );
  const reviewer = await userByEmail(api, login('reviewer1').email);
  const due = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
  await ok(api.post(`/api/v1/claims/${claim.id}/assignments`, { data: { reviewer_id: reviewer.id, due_at: due } }));
  await api.dispose();
  const r = await apiAs('reviewer1');
  await ok(r.post(`/api/v1/claims/${claim.id}/sources`, { data: { url: 'https://pubs.usgs.gov/potash', title: 'USGS' } }));
  await ok(r.put(`/api/v1/claims/${claim.id}/verdict`, { data: { rating: 'true', summary: 'It is.' } }));
  await r.dispose();
  return { article, claim, reviewer };
}

/** The bell's unread count, as its label says it. */
async function unread(page: Page): Promise<number> {
  const bell = page.getByTestId('bell');
  await expect(bell).toHaveAttribute('data-unread', /^\d+$/);
  return Number(await bell.getAttribute('data-unread'));
}

/** The number on the dashboard's "claims wait for approval" card. */
async function waiting(page: Page): Promise<number> {
  const card = page.locator('.stat-card').filter({ hasText: /wait.? for approval/ });
  return Number(await card.locator('.stat-card__value').innerText());
}

test('a reviewer submits and the editor’s open queue, dashboard and bell show it within 2 s, without a reload', async ({
  browser,
}) => {
  const statement = `Belarus produces potash, live ${Date.now()}`;
  const { claim } = await claimReadyToSubmit(statement);

  const editor = await signedInContext(browser, 'editor1');
  await editor.page.goto('/queue');
  await expect(editor.page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  await expect(editor.page.getByRole('link', { name: statement })).toHaveCount(0);
  const dashboard = await editor.context.newPage();
  await dashboard.goto('/dashboard');
  await expect(dashboard.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  const before = await waiting(dashboard);
  const bellBefore = await unread(editor.page);
  for (const p of [editor.page, dashboard]) await expect(p.locator('html')).toHaveAttribute('data-live', 'live');
  let reloads = 0;
  for (const p of [editor.page, dashboard]) p.on('framenavigated', (f) => f === p.mainFrame() && reloads++);

  const reviewer = await signedInContext(browser, 'reviewer1');
  await reviewer.page.goto(`/claims/${claim.id}`);
  await reviewer.page.getByRole('button', { name: 'Submit for approval' }).click();
  const submitted = Date.now();
  await expect(reviewer.page.locator('.claim-kicker')).toContainText('Submitted');

  await expect(editor.page.getByRole('link', { name: statement })).toBeVisible({ timeout: 2_000 });
  await expect.poll(() => waiting(dashboard), { timeout: 2_000 - (Date.now() - submitted) }).toBe(before + 1);
  await expect.poll(() => unread(editor.page), { timeout: Math.max(100, 2_000 - (Date.now() - submitted)) }).toBe(
    bellBefore + 1,
  );
  expect(reloads).toBe(0);
  await screenshot(editor.page, 'live-queue-after-submit');

  // The bell opens the inbox; opening the notification marks it read and shows the claim.
  await editor.page.getByTestId('bell').click();
  await expect(editor.page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  const item = editor.page.getByRole('link', { name: new RegExp(`submitted “${statement}”`) });
  await expect(item).toBeVisible();
  await screenshot(editor.page, 'notifications-inbox');
  await item.click();
  await expect(editor.page).toHaveURL(new RegExp(`/claims/${claim.id}$`));
  await expect.poll(() => unread(editor.page)).toBe(bellBefore);
  await editor.context.close();
  await reviewer.context.close();
});

test('two people on one claim see each other, and a change never overwrites typing', async ({ browser }) => {
  const statement = `Belarus produces potash, presence ${Date.now()}`;
  const { claim } = await claimReadyToSubmit(statement);
  const editor = await signedInContext(browser, 'editor1');
  const reviewer = await signedInContext(browser, 'reviewer1');
  const api = await apiAs('editor1');
  const reviewerName = (await userByEmail(api, login('reviewer1').email)).display_name;
  await api.dispose();
  await editor.page.goto(`/claims/${claim.id}`);
  await expect(editor.page.locator('html')).toHaveAttribute('data-live', 'live');
  await reviewer.page.goto(`/claims/${claim.id}`);

  const presence = editor.page.getByTestId('presence');
  await expect(presence).toContainText(`${reviewerName} is viewing`);
  // The reviewer starts typing the summary: the editor sees which form.
  await reviewer.page.getByLabel('Summary').fill('It is, by the USGS yearbook.');
  await expect(presence).toContainText(`${reviewerName} is editing the verdict`);
  await screenshot(editor.page, 'live-presence-editing');

  // The editor types too; the reviewer saves first.
  const summary = editor.page.getByLabel('Summary');
  await summary.fill('Yes: Belarus mines about a fifth of the world’s potash.');
  await reviewer.page.getByRole('button', { name: 'Save verdict' }).click();
  await expect(reviewer.page.getByText('Saved', { exact: true })).toBeVisible();

  // Before any save is tried, the editor is told, and keeps every character.
  const notice = editor.page.getByTestId('changed-elsewhere');
  await expect(notice).toContainText(`${reviewerName} changed the verdict`);
  await expect(summary).toHaveValue('Yes: Belarus mines about a fifth of the world’s potash.');
  await notice.getByRole('button', { name: 'Show changes' }).click();
  const choice = editor.page.getByRole('alert').filter({ hasText: 'Someone else changed this' });
  await expect(choice).toContainText('Changed: Summary');
  await expect(choice).toContainText(reviewerName);
  await screenshot(editor.page, 'live-changed-elsewhere');
  await choice.getByRole('button', { name: 'Discard mine and load theirs' }).click();
  await expect(summary).toHaveValue('It is, by the USGS yearbook.');

  // Leaving the page takes the reviewer off the editor's screen at once.
  await reviewer.page.goto('/queue');
  await expect(presence).not.toContainText(reviewerName);
  await editor.context.close();
  await reviewer.context.close();
});
