/**
 * A figure, not a pass mark: how long a reviewer's queue takes to show 50 assigned
 * claims in headless Chromium on loopback, from navigation start to the 50th row
 * laid out. Printed and appended to target/e2e/figures.txt; nothing asserts on time.
 */
import { expect, test } from '@playwright/test';
import { appendFigure, apiAs, login, ok, signedInContext, userByEmail } from './support';

const CLAIMS = 50;
const WARM_RUNS = 5;

declare global {
  interface Window {
    __queueRowsAt?: number;
  }
}

test('the reviewer queue shows 50 claims (timed)', async ({ browser }) => {
  test.setTimeout(120_000);

  // 50 claims in one article, each assigned to the third reviewer.
  const api = await apiAs('editor1');
  const pad = (i: number) => String(i).padStart(2, '0');
  const sentences = Array.from(
    { length: CLAIMS },
    (_, i) => `Official ${pad(i + 1)} said the deficit reached ${pad(i + 1)}.5 percent last year.`,
  );
  const article = await ok<{ id: string }>(
    api.post('/api/v1/articles', {
      data: { title: 'Fifty statements on the budget', body: sentences.join('\n\n'), language: 'en' },
    }),
  );
  const reviewer = await userByEmail(api, login('reviewer3').email);
  const due = new Date(Date.now() + 5 * 24 * 3600 * 1000).toISOString();
  for (let i = 1; i <= CLAIMS; i++) {
    const created = await ok<{ id: string }>(
      api.post(`/api/v1/articles/${article.id}/claims`, {
        data: {
          quote: `the deficit reached ${pad(i)}.5 percent`,
          statement: `The deficit reached ${pad(i)}.5 percent last year (official ${pad(i)})`,
          priority: 'normal',
        },
      }),
    );
    await ok(
      api.post(`/api/v1/claims/${created.id}/assignments`, {
        data: { reviewer_id: reviewer.id, due_at: due },
      }),
    );
  }
  await api.dispose();

  // The reviewer's browser: a fresh context (cold cache), then reloads (warm cache).
  const { context, page } = await signedInContext(browser, 'reviewer3');
  await context.addInitScript((wanted: number) => {
    const check = () => {
      if (window.__queueRowsAt !== undefined) return;
      const rows = document.querySelectorAll('main table tbody tr');
      const last = rows[wanted - 1];
      if (rows.length >= wanted && last && last.getClientRects().length > 0) {
        window.__queueRowsAt = performance.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true });
  }, CLAIMS);

  const timings: number[] = [];
  for (let run = 0; run <= WARM_RUNS; run++) {
    await page.goto('/queue', { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__queueRowsAt !== undefined, null, { timeout: 30_000 });
    timings.push(await page.evaluate(() => window.__queueRowsAt!));
  }
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(CLAIMS + 1);
  await context.close();

  const [cold, ...warm] = timings;
  const sorted = [...warm].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const line =
    `queue: ${CLAIMS} claims visible ${cold!.toFixed(0)} ms after navigation start (cold cache), ` +
    `median ${median.toFixed(0)} ms over ${WARM_RUNS} warm loads ` +
    `[${warm.map((t) => t.toFixed(0)).join(', ')}] (headless Chromium, loopback, release server)`;
  console.log(line);
  appendFigure(line);
  test.info().annotations.push({ type: 'figure', description: line });
});
