/**
 * A desk's day without blind spots: what a user would notice when something goes
 * sideways (a save that lost a race against another tab, a page for another role).
 */
import { expect, test } from '@playwright/test';
import { apiAs, login, ok, screenshot, seedArticle, selectText, signedInContext, userByEmail, waitForMail } from './support';

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

/** An article from the seed with two claims: one for reviewer1 (with a note), one for reviewer2. */
async function articleForTwoReviewers(note: string) {
  const api = await apiAs('editor1');
  const seed = seedArticle();
  const article = await ok<{ id: string }>(
    api.post('/api/v1/articles', {
      data: { ...seed, title: `${seed.title} (${Date.now()})`, url: 'https://kyivindependent.com/belarus-visit/' },
    }),
  );
  const mine = await ok<{ id: string }>(
    api.post(`/api/v1/articles/${article.id}/claims`, {
      data: { quote: 'Belarus is a major producer of potash', statement: 'Belarus is a major potash producer' },
    }),
  );
  const theirs = await ok<{ id: string }>(
    api.post(`/api/v1/articles/${article.id}/claims`, {
      data: {
        quote: 'Russia plans to deploy 15 divisions',
        statement: 'Russia plans to deploy 15 divisions in Belarus',
      },
    }),
  );
  const due = new Date(Date.now() + 3 * 3600 * 1000 + 120_000).toISOString();
  for (const [claim, who, text] of [
    [mine.id, 'reviewer1', note],
    [theirs.id, 'reviewer2', 'Not for reviewer1'],
  ] as const) {
    const reviewer = await userByEmail(api, login(who).email);
    await ok(api.post(`/api/v1/claims/${claim}/assignments`, { data: { reviewer_id: reviewer.id, due_at: due, note: text } }));
  }
  await api.dispose();
  return { article, mine, theirs };
}

/** A published page with reviewer1's claim approved on it (reviewer2's still open). */
async function publishedPage(note: string) {
  const { article, mine } = await articleForTwoReviewers(note);
  const reviewer = await apiAs('reviewer1');
  await ok(reviewer.post(`/api/v1/claims/${mine.id}/sources`, { data: { url: 'https://pubs.usgs.gov/potash', title: 'USGS' } }));
  await ok(reviewer.put(`/api/v1/claims/${mine.id}/verdict`, { data: { rating: 'true', summary: 'It is.' } }));
  await ok(reviewer.post(`/api/v1/claims/${mine.id}/transitions`, { data: { action: 'submit' } }));
  await reviewer.dispose();
  const editor = await apiAs('editor1');
  await ok(editor.post(`/api/v1/claims/${mine.id}/transitions`, { data: { action: 'approve' } }));
  const published = await ok<{ slug: string }>(
    editor.post(`/api/v1/articles/${article.id}/publish`, { data: { headline: `${note} check ${Date.now()}`, summary: 'One claim.' } }),
  );
  await editor.dispose();
  return { article, mine, published };
}

test('a reviewer sees the note, the due time, the quote in its paragraph and the whole article', async ({ browser }) => {
  const note = 'Compare with the USGS mineral yearbook.\nSay which year.';
  const { article, mine } = await articleForTwoReviewers(note);
  const { context, page } = await signedInContext(browser, 'reviewer1');
  await page.goto(`/claims/${mine.id}`);

  const brief = page.getByRole('region', { name: 'Your assignment' });
  await expect(brief.getByTestId('assignment-note')).toHaveText(note);
  await expect(brief).toContainText(/due in 3 hours/);
  await expect(brief).toContainText(/EET|EEST|GMT\+/);

  const quote = page.getByRole('region', { name: 'Quote in context' });
  await expect(quote.locator('mark')).toHaveText('Belarus is a major producer of potash');
  await expect(quote).toContainText('a key ingredient in fertilizer');
  await expect(page.getByRole('link', { name: 'Original article' })).toHaveAttribute(
    'href',
    'https://kyivindependent.com/belarus-visit/',
  );
  await screenshot(page, 'reviewer-claim-brief');

  await quote.getByRole('link', { name: 'Read the whole article' }).click();
  await expect(page).toHaveURL(new RegExp(`/articles/${article.id}#claim-${mine.id}$`));
  await expect(page.getByRole('heading', { name: 'Your claims in this article (1)' })).toBeVisible();
  const text = page.getByTestId('article-text');
  await expect(text).toContainText('Russia plans to deploy 15 divisions');
  // Only the reviewer's own claim is highlighted; the other stays plain text.
  await expect(text.locator('mark')).toHaveCount(1);
  await expect(text.locator('mark')).toHaveText('Belarus is a major producer of potash');
  await expect(text.locator('mark')).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Edit article' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Publish…' })).toHaveCount(0);
  await expect(page.getByText('Not for your role')).toHaveCount(0);
  await screenshot(page, 'reviewer-article');
  await context.close();
});

test('a half-typed verdict, source and comment survive a reload, a menu click and an expired session', async ({
  browser,
}) => {
  const { mine } = await articleForTwoReviewers('Drafts');
  const { context, page } = await signedInContext(browser, 'reviewer1');
  await page.goto(`/claims/${mine.id}`);
  const summary = page.getByLabel('Summary');
  await summary.fill('Belarus mined about 7 million tonnes of potash');
  await page.getByLabel('URL', { exact: true }).fill('https://pubs.usgs.gov/potash-2024');
  await page.getByLabel('Add a comment').fill('USGS has the 2024 figure');

  // A reload keeps all three (the browser asks first; the test says leave).
  page.once('dialog', (d) => void d.accept());
  await page.reload();
  await expect(page.getByLabel('Summary')).toHaveValue('Belarus mined about 7 million tonnes of potash');
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await expect(page.getByLabel('URL', { exact: true })).toHaveValue('https://pubs.usgs.gov/potash-2024');
  await expect(page.getByLabel('Add a comment')).toHaveValue('USGS has the 2024 figure');

  // A menu click asks first; staying keeps the page as it is.
  await page.getByRole('link', { name: 'My queue' }).click();
  const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(leave).toBeVisible();
  await leave.getByRole('button', { name: 'Stay and save' }).click();
  await expect(page).toHaveURL(new RegExp(`/claims/${mine.id}`));

  // The session ends; saving asks for the password over the page, then saves.
  await context.clearCookies();
  await page.getByRole('button', { name: 'Save verdict' }).click();
  const expired = page.getByRole('dialog', { name: 'Your session expired' });
  await expect(expired).toBeVisible();
  await screenshot(page, 'session-expired-dialog');
  await expired.getByLabel('Password').fill(login('reviewer1').password);
  await expired.getByRole('button', { name: 'Sign in and carry on' }).click();
  await expect(expired).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Verdict saved.' }).first()).toBeVisible();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  // Saved: a reload shows the server's draft, and nothing is "restored".
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByText('USGS has the 2024 figure').first()).toBeVisible();
  await page.getByRole('button', { name: 'Add source' }).click();
  await expect(page.getByRole('link', { name: 'https://pubs.usgs.gov/potash-2024' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Summary')).toHaveValue('Belarus mined about 7 million tonnes of potash');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
  await expect(page.getByLabel('Add a comment')).toHaveValue('');
  // Nothing unsaved: the menu goes straight on.
  await page.getByRole('link', { name: 'My queue' }).click();
  await expect(page).toHaveURL(/\/queue$/);
  await context.close();
});

test('on a phone the app menu folds behind a Menu button', async ({ browser }) => {
  const { context, page } = await signedInContext(browser, 'editor1', { viewport: { width: 390, height: 844 } });
  await page.goto('/queue');
  const header = page.locator('header.site-header');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  const box = await header.boundingBox();
  expect(box!.height).toBeLessThan(844 / 8);
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await expect(nav).toBeVisible();
  await nav.getByRole('link', { name: 'Claims' }).click();
  await expect(page).toHaveURL(/\/claims$/);
  await expect(nav).toBeHidden();
  await context.close();
});

test('an invitation link leaves the address bar, says only the error that holds, and goes on to the app', async ({
  browser,
}) => {
  const admin = await apiAs('admin');
  const email = `new.reviewer.${Date.now()}@demo.factdesk.test`;
  await ok(admin.post('/api/v1/users', { data: { email, display_name: 'New Reviewer', role: 'reviewer' } }));
  await admin.dispose();
  const mail = await waitForMail((m) => m.rcpt_tos.includes(email));
  const link = /https?:\/\/\S+\/accept-invite#token=[\w-]+/.exec(mail.text)?.[0];
  expect(link, 'the invitation email holds the link').toBeTruthy();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL(link!).pathname + new URL(link!).hash);
  await expect(page.getByRole('heading', { name: 'Welcome to Factdesk' })).toBeVisible();
  // The token is out of the address bar at once, and a reload still shows the form.
  await expect(page).toHaveURL(/\/accept-invite$/);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Welcome to Factdesk' })).toBeVisible();

  const password = page.getByLabel('New password');
  const repeat = page.getByLabel('Repeat the password');
  await password.fill('short');
  await repeat.fill('short');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(page.getByText(/at least 12 characters/).first()).toBeVisible();
  await password.fill('a long enough passphrase');
  await repeat.fill('a long enough passphrase!');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(page.getByText('The two passwords differ.')).toBeVisible();
  await expect(page.getByText(/must be at least 12 characters/)).toHaveCount(0);
  await repeat.fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(page).toHaveURL(/\/queue$/);
  await page.reload();
  await expect(page).toHaveURL(/\/queue$/);
  await page.goto('/accept-invite');
  await expect(page).toHaveURL(/\/queue$/);
  await context.close();
});

test('an editor publishes the approved claim while another is still being checked, told so before the click', async ({
  browser,
}) => {
  const { article, mine } = await articleForTwoReviewers('Partial');
  const { context, page } = await signedInContext(browser, 'editor1');
  await page.goto(`/articles/${article.id}/publish`);
  const outlook = page.getByTestId('publish-outlook');
  await expect(outlook).toContainText('Publishing needs at least one approved claim');
  await expect(page.getByRole('button', { name: 'Publish', exact: true })).toBeDisabled();

  const reviewer = await apiAs('reviewer1');
  await ok(reviewer.post(`/api/v1/claims/${mine.id}/sources`, { data: { url: 'https://pubs.usgs.gov/potash', title: 'USGS potash' } }));
  await ok(reviewer.put(`/api/v1/claims/${mine.id}/verdict`, { data: { rating: 'true', summary: 'Belarus is a top-three producer.' } }));
  await ok(reviewer.post(`/api/v1/claims/${mine.id}/transitions`, { data: { action: 'submit' } }));
  await reviewer.dispose();
  const editor = await apiAs('editor1');
  await ok(editor.post(`/api/v1/claims/${mine.id}/transitions`, { data: { action: 'approve' } }));
  await editor.dispose();

  await page.reload();
  await expect(outlook).toHaveText(
    'Publish puts 1 newly approved claim on the page. 1 claim is still being checked and left out.',
  );
  const notIncluded = page.locator('#not-included + p + ul');
  await expect(notIncluded).toContainText('Russia plans to deploy 15 divisions in Belarus');
  await expect(notIncluded).toContainText('it goes public when approved and the article is republished');
  await screenshot(page, 'publish-partial');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByText('Published.', { exact: false }).first()).toBeVisible();
  await page.getByRole('status').getByRole('link', { name: 'Open the public page' }).click();
  await expect(page.getByText('Belarus is a major potash producer').first()).toBeVisible();
  await expect(page.getByText('Russia plans to deploy 15 divisions in Belarus')).toHaveCount(0);
  await context.close();
});

test('an editor edits a claim and moves its quote to other words of the article', async ({ browser }) => {
  const { mine } = await articleForTwoReviewers('Edit me');
  const { context, page } = await signedInContext(browser, 'editor1');
  await page.goto(`/claims/${mine.id}`);
  await page.getByRole('button', { name: 'Edit claim' }).click();
  const form = page.getByRole('form', { name: 'Edit the claim' });
  await form.getByLabel('Statement').fill('Belarus is a major potash producer, a fertilizer ingredient');
  await form.getByLabel('Priority').selectOption('high');
  await form.getByRole('button', { name: 'Choose other words in the article' }).click();
  await selectText(form.getByTestId('article-text'), 'Belarus is a major producer of potash, a key ingredient in fertilizer');
  await expect(form.getByTestId('edit-quote')).toHaveText(
    'Belarus is a major producer of potash, a key ingredient in fertilizer',
  );
  await form.getByRole('button', { name: 'Save claim' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Belarus is a major potash producer, a fertilizer ingredient',
  );
  await expect(page.getByRole('region', { name: 'Quote in context' }).locator('mark')).toHaveText(
    'Belarus is a major producer of potash, a key ingredient in fertilizer',
  );
  await expect(page.getByText('High priority')).toBeVisible();
  await context.close();
});

test('an editor assigns several claims at once and is told which one was refused', async ({ browser }) => {
  const api = await apiAs('editor1');
  const seed = seedArticle();
  const title = `Bulk ${Date.now()}`;
  const article = await ok<{ id: string }>(api.post('/api/v1/articles', { data: { ...seed, title } }));
  const quotes = ['Belarus is a major producer of potash', 'Russia plans to deploy 15 divisions', 'three political prisoners'];
  const ids: string[] = [];
  for (const quote of quotes) {
    ids.push((await ok<{ id: string }>(api.post(`/api/v1/articles/${article.id}/claims`, { data: { quote } }))).id);
  }
  // One of them is dropped meanwhile: dropping it again is refused.
  await ok(api.post(`/api/v1/claims/${ids[2]}/transitions`, { data: { action: 'drop', comment: 'Not a claim' } }));
  await api.dispose();

  const { context, page } = await signedInContext(browser, 'editor1');
  await page.goto(`/claims?article_id=${article.id}`);
  await page.getByRole('checkbox', { name: 'Select every claim listed' }).check();
  const bar = page.getByRole('form', { name: '3 claims selected' });
  await bar.getByLabel('Change priority').check();
  await bar.getByLabel('New priority').selectOption('urgent');
  await bar.getByRole('button', { name: 'Change priority of 3 claims' }).click();
  // Done: nothing is ticked any more, and the result stays in view.
  await expect(page.getByTestId('bulk-result')).toContainText('3 claims changed.');

  await page.getByRole('checkbox', { name: 'Select every claim listed' }).check();
  await bar.getByLabel('Drop').check();
  await bar.getByLabel('Why drop them').fill('Duplicates of last week');
  await bar.getByRole('button', { name: 'Drop 3 claims' }).click();
  const result = page.getByTestId('bulk-result');
  await expect(result).toContainText('2 claims dropped. 1 not (still selected):');
  await expect(result).toContainText('three political prisoners');
  await screenshot(page, 'claims-bulk');
  await expect(page.getByRole('checkbox', { name: 'Select “three political prisoners”' })).toBeChecked();
  await context.close();
});

test("a reader's error report lands in the editors' inbox, linked to its claim, and is answered from there", async ({
  browser,
}) => {
  const { mine, published } = await publishedPage('Inbox');

  // An anonymous reader reports an error on the claim.
  const readerAddress = `reader.${Date.now()}@example.org`;
  const reader = await browser.newContext();
  const pub = await reader.newPage();
  await pub.goto(`/p/${published.slug}`);
  await pub.getByLabel('Which claim').selectOption({ label: 'Belarus is a major potash producer' });
  await pub.getByLabel('What is wrong').fill('Canada produces more potash than Belarus.');
  await pub.getByLabel(/Your email/).fill(readerAddress);
  await pub.getByRole('button', { name: 'Send the report' }).click();
  await expect(pub.getByText('Thank you: your report reached our editors.')).toBeVisible();
  await reader.close();
  const alert = await waitForMail((m) => m.subject.includes('reports an error') && m.text.includes('Canada produces more potash'));
  expect(alert.text).toContain('about the claim "Belarus is a major potash producer"');

  const { context, page } = await signedInContext(browser, 'editor1');
  await page.goto('/dashboard');
  await expect(page.getByRole('link', { name: /Readers' reports/ })).toContainText(/\d+/);
  await page.getByRole('link', { name: /Readers' reports/ }).click();
  const item = page.getByTestId('error-report').filter({ hasText: 'Canada produces more potash than Belarus.' });
  await expect(item.getByRole('link', { name: 'Belarus is a major potash producer' })).toHaveAttribute(
    'href',
    `/claims/${mine.id}`,
  );
  await item.getByLabel('Reply to the reader').fill('Thank you: we are adding the ranking.');
  await screenshot(page, 'reader-reports-inbox');
  await item.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Reply sent to ${readerAddress}.` })).toContainText(
    'It is under “Answered” now.',
  );
  // Answered reports leave the "New" list; they are under "Answered".
  await page.getByRole('button', { name: 'Answered' }).click();
  const answered = page.getByTestId('error-report').filter({ hasText: 'Canada produces more potash than Belarus.' });
  await expect(answered.getByText('Thank you: we are adding the ranking.')).toBeVisible();
  const answer = await waitForMail((m) => m.rcpt_tos.includes(readerAddress));
  expect(answer.text).toContain('Thank you: we are adding the ranking.');
  await context.close();
});

test('pasting an article that is on the desk already offers to open it', async ({ browser }) => {
  const api = await apiAs('editor1');
  const title = `Twice pasted ${Date.now()}`;
  const existing = await ok<{ id: string }>(
    api.post('/api/v1/articles', { data: { title, body: 'The same text, pasted twice.', outlet: 'Kyiv Independent' } }),
  );
  await api.dispose();
  const { context, page } = await signedInContext(browser, 'editor1');
  await page.goto('/articles/new');
  await page.getByLabel('Article text').fill('The same text, pasted twice.');
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Create article' }).click();
  const warning = page.getByTestId('duplicate-article');
  await expect(warning).toContainText('This article is on the desk already');
  await expect(warning).toContainText('Kyiv Independent');
  await warning.getByRole('link', { name: 'Open it' }).click();
  await expect(page).toHaveURL(new RegExp(`/articles/${existing.id}$`));
  await context.close();
});

test("on a phone the public page's error form fits the screen", async ({ browser }) => {
  const { published } = await publishedPage('Phone');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`/p/${published.slug}`);
  for (const field of ['Which claim', 'What is wrong', /Your email/]) {
    const box = (await page.getByLabel(field).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await context.close();
});

test('recipients of a message each show their name over their address, apart from the others', async ({ browser }) => {
  const { context, page } = await signedInContext(browser, 'editor1');
  await page.goto('/messages');
  const rows = page.locator('.check-grid .check-row');
  await expect(rows.first()).toBeVisible();
  const boxes = [];
  for (let i = 0; i < (await rows.count()); i++) boxes.push((await rows.nth(i).boundingBox())!);
  // No two cells overlap, and each address stays inside its cell.
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart, `recipients ${i} and ${j} overlap`).toBe(true);
    }
    const address = rows.nth(i).locator('.muted');
    const box = (await address.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(boxes[i]!.x + boxes[i]!.width + 1);
  }
  await screenshot(page, 'message-recipients');
  await context.close();
});
