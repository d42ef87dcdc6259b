/**
 * Verdicts a desk can defend, in the browser: the claim page puts the claimed figure
 * next to the checked one, the reviewer records the real figure from a source and logs
 * an attempt to reach the claimant, the editor records the reply, and the public page
 * shows "Claimed · Actual" and the right-of-reply line.
 */
import { expect, test } from '@playwright/test';
import { apiAs, login, ok, screenshot, seriousViolations, signedInContext, userByEmail } from './support';

const QUOTE = 'The mayor says 12% of the city voted for him.';

test('a numeric claim is checked against the real figure, the claimant is asked, and the page shows both', async ({ browser }, testInfo) => {
  const editorApi = await apiAs('editor1');
  const article = await ok<{ id: string }>(
    editorApi.post('/api/v1/articles', { data: { title: 'City election night', body: `The count ended late. ${QUOTE} Turnout was high.` } }),
  );
  const claim = await ok<{ id: string; figure: { claimed: { as_stated: string } } }>(
    editorApi.post(`/api/v1/articles/${article.id}/claims`, { data: { quote: QUOTE, claimant: 'Mayor Petrenko' } }),
  );
  // The claimed figure was proposed from the words.
  expect(claim.figure.claimed.as_stated).toBe('12%');
  const reviewerRow = await userByEmail(editorApi, login('reviewer2').email);
  await ok(editorApi.post(`/api/v1/claims/${claim.id}/assignments`, { data: { reviewer_id: reviewerRow.id, due_at: '2099-01-01T12:00:00Z' } }));

  // The editor says what the figure measures.
  const editor = await signedInContext(browser, 'editor1');
  await editor.page.goto(`/claims/${claim.id}`);
  const figure = editor.page.getByRole('region', { name: 'The figure' });
  await expect(figure.getByTestId('figure-pair')).toContainText('Claimed12%');
  await expect(figure).toContainText('Not checked yet.');
  await figure.getByRole('button', { name: 'Edit the claimed figure' }).click();
  await figure.getByLabel('What it measures').fill('share of the vote for the mayor');
  await figure.getByLabel('Period').fill('2026 election');
  await figure.getByRole('button', { name: 'Save figure' }).click();
  await expect(figure).toContainText('share of the vote for the mayor · 2026 election');

  // The reviewer adds the source, records the real figure from it, and asks the mayor.
  const reviewer = await signedInContext(browser, 'reviewer2');
  const page = reviewer.page;
  await page.goto(`/claims/${claim.id}`);
  const sources = page.getByRole('region', { name: 'Sources' });
  await sources.getByLabel('URL', { exact: true }).fill('https://results.example.org/city-2026');
  await sources.getByLabel('Title').fill('Official results');
  await sources.getByLabel('Publisher').fill('City Electoral Commission');
  await sources.getByRole('button', { name: 'Add source' }).click();
  await expect(sources.getByRole('link', { name: 'Official results' })).toBeVisible();

  const checked = page.getByRole('region', { name: 'The figure' });
  await checked.getByRole('button', { name: 'Record the checked figure' }).click();
  // A mistyped number is refused by name, and what was typed stays.
  await checked.getByLabel('Value (percent)').fill('about 41');
  await checked.getByRole('button', { name: 'Save checked figure' }).click();
  await expect(checked.locator('.field-error')).toContainText('plain decimal');
  await checked.getByLabel('Value (percent)').fill('41,3');
  await checked.getByLabel('Period').fill('2026 election');
  await checked.getByLabel('From source').selectOption({ label: 'City Electoral Commission: Official results' });
  await checked.getByRole('button', { name: 'Save checked figure' }).click();
  await expect(checked.getByTestId('figure-pair')).toContainText('Checked41.3%');
  await expect(checked).toContainText('29.3 percentage points more than claimed · 3.44 times the claimed figure');

  const replies = page.getByRole('region', { name: 'Right of reply' });
  await expect(replies).toContainText('Nobody has asked Mayor Petrenko for comment yet.');
  await replies.getByRole('button', { name: 'Log an attempt to reach the claimant' }).click();
  await replies.getByLabel('How').selectOption('email');
  await replies.getByLabel('Whom (if not the claimant)').fill("the mayor's press office");
  await replies.getByLabel('What was asked').fill('Where does the 12% come from?');
  await replies.getByLabel(/Tell of this attempt on the public page/).check();
  await replies.getByRole('button', { name: 'Log attempt' }).click();
  await expect(replies.getByTestId('reply')).toContainText("asked the mayor's press office");
  await expect(replies.getByTestId('reply')).toContainText('On the public page');

  // The editor records the reply that came; the page shows the line it will publish.
  await editor.page.reload();
  const log = editor.page.getByRole('region', { name: 'Right of reply' });
  await log.getByRole('button', { name: 'Update' }).click();
  await log.getByLabel('Their reply').fill('We counted only the districts we won.');
  await log.getByLabel('Replied on').fill(await log.getByLabel('When').inputValue());
  await log.getByRole('button', { name: 'Save attempt' }).click();
  await expect(log.getByTestId('reply')).toContainText('We counted only the districts we won.');
  await expect(log.getByTestId('reply')).toContainText(/they replied the same day/);
  await screenshot(editor.page, 'claim-figure-and-reply');
  expect(await seriousViolations(editor.page, testInfo, 'claim-figure-and-reply')).toEqual([]);

  // Verdict, approval and publication, then the public page as a reader sees it.
  const reviewerApi = await apiAs('reviewer2');
  await ok(reviewerApi.put(`/api/v1/claims/${claim.id}/verdict`, { data: { rating: 'false', summary: 'The official count gives him 41.3%.', explanation: 'See the commission.' } }));
  await ok(reviewerApi.post(`/api/v1/claims/${claim.id}/transitions`, { data: { action: 'submit' } }));
  await ok(editorApi.post(`/api/v1/claims/${claim.id}/transitions`, { data: { action: 'approve' } }));
  const published = await ok<{ slug: string }>(
    editorApi.post(`/api/v1/articles/${article.id}/publish`, { data: { headline: 'Fact check: the mayor’s share', summary: 'One claim checked.' } }),
  );
  const reader = await browser.newContext();
  const pub = await reader.newPage();
  await pub.goto(`/p/${published.slug}`);
  await expect(pub.locator('.figure')).toHaveText('Claimed: 12% · Actual: 41.3% (City Electoral Commission, 2026 election)');
  await expect(pub.locator('.reply')).toContainText(
    "We asked the mayor's press office for comment on",
  );
  await expect(pub.locator('.reply')).toContainText('“We counted only the districts we won.”');
  await screenshot(pub, 'public-figure-and-reply');
  expect(await seriousViolations(pub, testInfo, 'public-figure-and-reply')).toEqual([]);

  await Promise.all([editor.context.close(), reviewer.context.close(), reader.close(), editorApi.dispose(), reviewerApi.dispose()]);
});

test('two reviewers rate a claim independently, and the editor approves one side by side', async ({ browser }, testInfo) => {
  const editorApi = await apiAs('editor2');
  const article = await ok<{ id: string }>(
    editorApi.post('/api/v1/articles', { data: { title: 'Interview on the war', body: 'He said it plainly. Ukraine started the war. Then he left.' } }),
  );
  const claim = await ok<{ id: string; independent_review: boolean }>(
    editorApi.post(`/api/v1/articles/${article.id}/claims`, { data: { quote: 'Ukraine started the war.', priority: 'urgent', independent_review: true } }),
  );
  expect(claim.independent_review).toBe(true);
  for (const who of ['reviewer1', 'reviewer3'] as const) {
    const row = await userByEmail(editorApi, login(who).email);
    await ok(editorApi.post(`/api/v1/claims/${claim.id}/assignments`, { data: { reviewer_id: row.id, due_at: '2099-01-01T12:00:00Z' } }));
  }
  const first = await signedInContext(browser, 'reviewer1');
  await first.page.goto(`/claims/${claim.id}`);
  const sources = first.page.getByRole('region', { name: 'Sources' });
  await sources.getByLabel('URL', { exact: true }).fill('https://www.un.org/en/ga/es-11/1');
  await sources.getByRole('button', { name: 'Add source' }).click();
  await expect(sources.getByRole('link', { name: 'https://www.un.org/en/ga/es-11/1' })).toBeVisible();

  const panel = first.page.getByRole('region', { name: 'Independent reviews' });
  await expect(panel.getByTestId('reviews-progress')).toContainText('0 of 2 reviewers have submitted.');
  await panel.getByLabel('Your rating').selectOption({ label: 'False' });
  await panel.getByLabel('Your summary').fill('Russia invaded Ukraine in February 2022; the UN said so.');
  await panel.getByRole('button', { name: 'Save proposal' }).click();
  await expect(first.page.getByRole('status').filter({ hasText: 'Your proposal is saved.' })).toBeVisible();
  await panel.getByRole('button', { name: 'Submit your proposal' }).click();
  await expect(panel.getByTestId('reviews-progress')).toContainText('1 of 2 reviewers have submitted.');

  // The second reviewer sees that one proposal is in, and nothing of it.
  const second = await signedInContext(browser, 'reviewer3');
  await second.page.goto(`/claims/${claim.id}`);
  const theirs = second.page.getByRole('region', { name: 'Independent reviews' });
  await expect(theirs.getByTestId('reviews-progress')).toContainText("1 of 2 reviewers have submitted. The others' ratings stay hidden");
  await expect(second.page.getByText('Russia invaded Ukraine in February 2022')).toHaveCount(0);
  await theirs.getByLabel('Your rating').selectOption({ label: 'Mostly false' });
  await theirs.getByLabel('Your summary').fill('The full-scale invasion was Russia’s; fighting began in 2014.');
  await theirs.getByRole('button', { name: 'Save proposal' }).click();
  await expect(theirs.getByRole('button', { name: 'Submit your proposal' })).toBeEnabled();
  await theirs.getByRole('button', { name: 'Submit your proposal' }).click();
  // Every proposal is in: now they see the other's too.
  await expect(theirs.getByTestId('proposals')).toContainText('Russia invaded Ukraine in February 2022; the UN said so.');

  // The editor sees both side by side, the disagreement named, and approves one.
  const editor = await signedInContext(browser, 'editor2');
  await editor.page.goto(`/claims/${claim.id}`);
  const decide = editor.page.getByRole('region', { name: 'Independent reviews' });
  await expect(decide.getByTestId('ratings-differ')).toContainText('The reviewers disagree');
  await expect(decide.getByTestId('proposals').getByRole('article')).toHaveCount(2);
  await screenshot(editor.page, 'claim-independent-reviews');
  expect(await seriousViolations(editor.page, testInfo, 'claim-independent-reviews')).toEqual([]);
  const name3 = (await userByEmail(editorApi, login('reviewer3').email)).display_name;
  await decide.getByRole('button', { name: `Approve ${name3}’s rating` }).click();
  const verdict = editor.page.getByRole('region', { name: 'Verdict' });
  await expect(verdict.getByText('Approved verdict')).toBeVisible();
  await expect(verdict).toContainText('Mostly false');
  await expect(verdict).toContainText('The full-scale invasion was Russia’s');

  // The dashboard counts the disagreement.
  await editor.page.goto('/dashboard');
  const agreement = editor.page.getByRole('region', { name: 'Agreement between independent reviewers' });
  await expect(agreement.getByTestId('agreement-desk')).toContainText('Claims reviewed twice or more');
  await expect(agreement.getByTestId('agreement-pairs')).toContainText(name3);

  await Promise.all([first.context.close(), second.context.close(), editor.context.close(), editorApi.dispose()]);
});
