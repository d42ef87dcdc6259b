/**
 * One claim's whole life, as the desk lives it, in order: an editor splits an article
 * into a claim and assigns it; the reviewer gets the email, checks the claim and
 * submits a verdict; the editor sends it back once, then approves and publishes; the
 * verdict is on the public page and in the CSV export; another reviewer cannot see it.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import {
  baseUrl,
  login,
  seedArticle,
  selectText,
  signInWithForm,
  signedInContext,
  waitForMail,
} from './support';

test.describe.configure({ mode: 'serial' });

const STATEMENT = 'Zelensky has a 4% approval rating';
const QUOTE = '4% approval rating';
const SOURCE_URL = 'https://kiis.com.ua/?lang=eng&cat=reports&id=1481';
const SOURCE_TITLE = 'KIIS: Trust in Zelensky, February 2025';
const SUMMARY_1 = 'Polls in February 2025 put trust in Zelensky near 57%, not 4%.';
const EXPLANATION = 'The **KIIS** poll of February 2025 measured trust at 57%. <script>document.title = "hacked"</script>';
const SUMMARY_2 = 'KIIS found 57% of Ukrainians trusted Zelensky in February 2025; no poll shows 4%.';

let editor: { context: BrowserContext; page: Page };
let reviewer: { context: BrowserContext; page: Page };
let articleId = '';
let claimId = '';

test.beforeAll(async ({ browser }) => {
  editor = { context: await browser.newContext(), page: undefined as unknown as Page };
  editor.page = await editor.context.newPage();
  reviewer = await signedInContext(browser, 'reviewer1');
});

test.afterAll(async () => {
  await editor?.context.close();
  await reviewer?.context.close();
});

test('an editor splits the seed article into a claim and assigns a reviewer', async () => {
  const page = editor.page;
  await signInWithForm(page, 'editor1');

  // The article, pasted in.
  const article = seedArticle();
  await page.goto('/articles/new');
  await page.getByLabel('Title', { exact: true }).fill(article.title);
  await page.getByLabel('Article text', { exact: true }).fill(article.body);
  await page.getByRole('button', { name: 'Create article' }).click();
  // The demo desk holds this article already: the app says so first, and the editor
  // creates it anyway (this story's own copy).
  const duplicate = page.getByTestId('duplicate-article');
  await expect(duplicate.or(page.getByRole('heading', { level: 1, name: article.title }))).toBeVisible();
  if (await duplicate.count()) await duplicate.getByRole('button', { name: 'Create it anyway' }).click();
  await expect(page).toHaveURL(/\/articles\/[0-9a-f-]{36}$/);
  articleId = page.url().split('/').pop()!;

  // A claim from a selection in its text.
  const text = page.getByTestId('article-text');
  await expect(text).toContainText(QUOTE);
  await selectText(text, QUOTE);
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText(QUOTE);
  await page.getByRole('button', { name: 'New claim from selection' }).click();
  await page.getByLabel('Statement', { exact: true }).fill(STATEMENT);
  await page.getByRole('button', { name: 'Create claim' }).click();
  await expect(page).toHaveURL(/\/claims\/[0-9a-f-]{36}$/);
  claimId = page.url().split('/').pop()!;
  await expect(page.getByRole('heading', { level: 1 })).toContainText(STATEMENT);
  await expect(page.getByText(QUOTE).first()).toBeVisible();

  // Assign it to the first reviewer, due in three days.
  const due = new Date(Date.now() + 3 * 24 * 3600 * 1000);
  const local = `${due.toISOString().slice(0, 10)}T17:00`;
  await page.getByLabel('Reviewer', { exact: true }).selectOption({ label: 'Rosa Reviewer' });
  await page.getByLabel('Due', { exact: true }).fill(local);
  await page.getByLabel('Note', { exact: true }).fill('Check the polls from February 2025, KIIS first.');
  await page.getByRole('button', { name: 'Assign' }).click();
  await expect(
    page.getByRole('region', { name: 'Reviewers' }).getByText('Rosa Reviewer').first(),
  ).toBeVisible();
});

test('the reviewer gets the email, finds the claim in the queue, checks it and submits', async () => {
  // The assignment email reached the SMTP server, with a link to the claim.
  const link = `${baseUrl()}/claims/${claimId}`;
  const mail = await waitForMail((m) => m.text.includes(link) || m.html.includes(link));
  expect(mail.rcpt_tos).toEqual([login('reviewer1').email]);
  expect(mail.to).toContain(login('reviewer1').email);
  expect(mail.subject).toContain('New claim to check');
  expect(mail.subject).toContain(STATEMENT);
  expect(mail.text).toContain(link);

  // The queue lists it; its row links to the claim by its statement.
  const page = reviewer.page;
  await page.goto('/queue');
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: STATEMENT }) });
  await expect(row).toHaveCount(1);
  await row.getByRole('link', { name: STATEMENT }).click();
  await expect(page).toHaveURL(new RegExp(`/claims/${claimId}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(STATEMENT);

  // A source.
  const sourceForm = page.getByRole('form', { name: 'Add a source' });
  await sourceForm.getByLabel('URL', { exact: true }).fill(SOURCE_URL);
  await sourceForm.getByLabel('Title', { exact: true }).fill(SOURCE_TITLE);
  await sourceForm.getByRole('button', { name: 'Add source' }).click();
  await expect(
    page.getByRole('region', { name: 'Sources' }).getByText(SOURCE_TITLE).first(),
  ).toBeVisible();

  // Submitting too early says in words what is missing, not by the server's field paths.
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  const missing = page.getByRole('alert').filter({ hasText: 'a rating is required' });
  await expect(missing).toContainText('Rating: a rating is required before submitting');
  await expect(missing).not.toContainText('verdict.');

  // The verdict, then submit it; once the verdict is saved, the list of what was missing goes.
  await page.getByLabel('Rating', { exact: true }).selectOption({ label: 'False' });
  await page.getByLabel('Summary', { exact: true }).fill(SUMMARY_1);
  await page.getByLabel('Explanation', { exact: true }).fill(EXPLANATION);
  await page.getByRole('button', { name: 'Save verdict' }).click();
  await expect(page.getByText('Verdict saved.')).toBeVisible();
  await expect(missing).toHaveCount(0);
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(page.getByText('The claim is now submitted.')).toBeVisible();
});

test('the editor sends it back once, then approves and publishes it', async () => {
  const page = editor.page;
  await page.goto(`/claims/${claimId}`);
  // The explanation reads as its Markdown renders; a script in it is not run or shown.
  await expect(page.locator('.claim-explanation strong', { hasText: 'KIIS' })).toBeVisible();
  await expect(page.locator('.claim-explanation script')).toHaveCount(0);
  // The history says which fields each change touched, before and after.
  const history = page.getByRole('region', { name: 'History' });
  const toggles = history.locator('summary');
  await expect(toggles.first()).toBeVisible();
  for (let i = 0; i < (await toggles.count()); i++) await toggles.nth(i).click();
  await expect(history.getByRole('cell', { name: SUMMARY_1 }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Request changes' }).click();
  await page.getByLabel('Comment', { exact: true }).fill('Name the poll and its date in the summary.');
  await page.getByRole('button', { name: 'Send back to reviewer' }).click();
  await expect(page.getByText('The claim is now in review.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  // The reviewer revises the summary and submits again.
  const rpage = reviewer.page;
  await rpage.goto(`/claims/${claimId}`);
  await expect(rpage.getByText('Name the poll and its date in the summary.').first()).toBeVisible();
  await rpage.getByLabel('Summary', { exact: true }).fill(SUMMARY_2);
  await rpage.getByRole('button', { name: 'Save verdict' }).click();
  await expect(rpage.getByText('Verdict saved.')).toBeVisible();
  await rpage.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(rpage.getByText('The claim is now submitted.')).toBeVisible();

  // The editor approves.
  await page.goto(`/claims/${claimId}`);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('The claim is now approved.')).toBeVisible();

  // Publishes the article, and the public page shows the verdict. A first headline
  // starts as a fact-check headline.
  await page.goto(`/articles/${articleId}/publish`);
  const headline = page.getByLabel('Headline', { exact: true });
  await expect(headline).toHaveValue(/^Fact check: /);
  const published = await headline.inputValue();
  await page.getByLabel('Summary', { exact: true }).fill('One claim checked by the desk.');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const publicLink = page.getByRole('link', { name: 'Open the public page' }).first();
  await expect(publicLink).toBeVisible();
  await publicLink.click();
  await expect(page).toHaveURL(/\/p\/[^/]+$/);
  await expect(page.getByText(STATEMENT).first()).toBeVisible();
  await expect(page.getByText('False', { exact: true }).first()).toBeVisible();
  await expect(page.getByText(SUMMARY_2).first()).toBeVisible();

  // Coming back, the form holds what is public, so republishing never blanks the page.
  await page.goto(`/articles/${articleId}/publish`);
  await expect(page.getByLabel('Headline', { exact: true })).toHaveValue(published);
  await expect(page.getByLabel('Summary', { exact: true })).toHaveValue('One claim checked by the desk.');
});

test('the CSV export holds the claim', async () => {
  const page = editor.page;
  await page.goto('/exports');
  // The option reads "CSV (spreadsheet)".
  await page.getByLabel('Format', { exact: true }).selectOption('csv');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  const file = await download.path();
  const csv = fs.readFileSync(file, 'utf8');
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  // A byte-order mark first, so Excel reads the Cyrillic and the typographic quotes as UTF-8.
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain(STATEMENT);
  expect(csv).toContain(SUMMARY_2);
});

test('another reviewer cannot open the claim', async ({ browser }) => {
  const other = await signedInContext(browser, 'reviewer2');
  await other.page.goto(`/claims/${claimId}`);
  await expect(other.page.getByRole('heading', { name: 'Claim not found' })).toBeVisible();
  await expect(other.page.getByText(STATEMENT)).toHaveCount(0);
  await other.context.close();
});
