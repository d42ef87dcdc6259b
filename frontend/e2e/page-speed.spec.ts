/**
 * Figures, not pass marks: how soon the queue, a claim page and an article page show
 * their data on a fresh load (navigation start to the data laid out), and how soon a
 * move between them inside the app does (click to the data laid out). Headless
 * Chromium on loopback against the release server; printed and appended to
 * target/e2e/figures.txt (bench/page-speed.sh runs only this). Nothing asserts on time.
 */
import { expect, test, type Page } from '@playwright/test';
import { apiAs, appendFigure, login, ok, seedArticle, signedInContext, userByEmail } from './support';

const RUNS = 5;
const MARKERS = {
  queue: 'main table tbody tr a',
  claim: '#claim-h1',
  article: '[data-testid="article-text"] mark',
} as const;
type Marker = keyof typeof MARKERS;

declare global {
  interface Window {
    __marks?: Partial<Record<Marker, number>>;
    __clickAt?: number;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function freshLoad(page: Page, path: string, marker: Marker): Promise<number> {
  await page.goto(path, { waitUntil: 'commit' });
  await page.waitForFunction((m) => window.__marks?.[m] !== undefined, marker, { timeout: 30_000 });
  return page.evaluate((m) => window.__marks![m]!, marker);
}

async function move(page: Page, click: () => Promise<void>, marker: Marker): Promise<number> {
  await click();
  await page.waitForFunction((m) => window.__marks?.[m] !== undefined, marker, { timeout: 30_000 });
  return page.evaluate((m) => window.__marks![m]! - window.__clickAt!, marker);
}

test('pages show their data soon after a fresh load and after a move (timed)', async ({ browser }) => {
  test.setTimeout(180_000);
  // A reviewer with a few claims of one article.
  const api = await apiAs('editor1');
  const seed = seedArticle();
  const article = await ok<{ id: string }>(api.post('/api/v1/articles', { data: { ...seed, title: `Speed ${Date.now()}` } }));
  const reviewer = await userByEmail(api, login('reviewer2').email);
  const due = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString();
  let claimId = '';
  for (const quote of ['Belarus is a major producer of potash', 'Russia plans to deploy 15 divisions']) {
    const c = await ok<{ id: string }>(api.post(`/api/v1/articles/${article.id}/claims`, { data: { quote } }));
    await ok(api.post(`/api/v1/claims/${c.id}/assignments`, { data: { reviewer_id: reviewer.id, due_at: due } }));
    claimId ||= c.id;
  }
  await api.dispose();

  const { context, page } = await signedInContext(browser, 'reviewer2');
  await context.addInitScript((markers: Record<string, string>) => {
    window.__marks = {};
    const check = () => {
      for (const [name, selector] of Object.entries(markers)) {
        const el = document.querySelector(selector);
        if (window.__marks![name as Marker] === undefined && el && el.getClientRects().length > 0) {
          window.__marks![name as Marker] = performance.now();
        }
      }
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
    // A click inside the app starts a move: the marks count from it.
    document.addEventListener(
      'click',
      () => {
        window.__clickAt = performance.now();
        window.__marks = {};
      },
      true,
    );
  }, MARKERS);

  const loads: Record<string, number[]> = { queue: [], claim: [], article: [] };
  const moves: Record<string, number[]> = { 'queue → claim': [], 'claim → article': [], 'article → queue': [] };
  for (let run = 0; run <= RUNS; run++) {
    const load = {
      queue: await freshLoad(page, '/queue', 'queue'),
      claim: await freshLoad(page, `/claims/${claimId}`, 'claim'),
      article: await freshLoad(page, `/articles/${article.id}`, 'article'),
    };
    await page.goto('/queue');
    await expect(page.locator(MARKERS.queue).first()).toBeVisible();
    const toClaim = await move(page, () => page.locator(`main table a[href="/claims/${claimId}"]`).click(), 'claim');
    const toArticle = await move(page, () => page.getByRole('link', { name: 'Read the whole article' }).click(), 'article');
    const toQueue = await move(page, () => page.getByRole('link', { name: 'My queue' }).click(), 'queue');
    // The first round warms the browser's cache and the server's; it is not counted.
    if (run === 0) continue;
    for (const [k, v] of Object.entries(load)) loads[k]!.push(v);
    moves['queue → claim']!.push(toClaim);
    moves['claim → article']!.push(toArticle);
    moves['article → queue']!.push(toQueue);
  }
  await context.close();

  const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms [${xs.map((x) => x.toFixed(0)).join(', ')}]`;
  const lines = [
    ...Object.entries(loads).map(([k, xs]) => `page speed: fresh load of the ${k} page shows its data: ${fmt(xs)} (goal 400 ms)`),
    ...Object.entries(moves).map(([k, xs]) => `page speed: move ${k} shows its data: ${fmt(xs)} (goal 150 ms)`),
  ];
  for (const line of lines) {
    console.log(line);
    appendFigure(`${line} (headless Chromium, loopback, release server, ${RUNS} runs)`);
    test.info().annotations.push({ type: 'figure', description: line });
  }
});
