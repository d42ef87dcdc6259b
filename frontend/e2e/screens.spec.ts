/**
 * Every main screen: no serious or critical accessibility violation (axe-core), and a
 * full-page screenshot kept as an artefact (target/e2e/artifacts/screens/<name>.png) at
 * 1280 px wide, plus the queue and the claim page at a phone's 390 px, and every screen
 * again in the dark colour scheme (`-dark`), which axe checks for contrast too.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  apiAs,
  ok,
  screenshot,
  seriousViolations,
  signedInContext,
  userByEmail,
  login,
  type Who,
} from './support';

const PHONE = { width: 390, height: 844 };

/** The demo newsroom's seeded article and its first claim, assigned to reviewer2. */
const seed = { articleId: '', claimId: '' };

test.beforeAll(async () => {
  const api = await apiAs('editor1');
  // The seeded article (the flow test makes another from the same text).
  const articles = await ok<{ items: { id: string; title: string }[] }>(
    api.get('/api/v1/articles', { params: { limit: 200 } }),
  );
  type Row = { id: string; statement: string; assignments: unknown[] };
  let claim: Row | undefined;
  for (const article of articles.items.filter((a) => a.title.startsWith('Senior US diplomat visits Belarus'))) {
    const claims = await ok<{ items: Row[] }>(
      api.get('/api/v1/claims', { params: { article_id: article.id, limit: 50 } }),
    );
    claim = claims.items.find((c) => c.statement === "Ukraine started Russia's war");
    if (claim) {
      seed.articleId = article.id;
      break;
    }
  }
  if (!claim) throw new Error('the seeded demo article and its claim are missing');
  seed.claimId = claim.id;
  if (claim.assignments.length === 0) {
    const reviewer = await userByEmail(api, login('reviewer2').email);
    await ok(
      api.post(`/api/v1/claims/${claim.id}/assignments`, {
        data: {
          reviewer_id: reviewer.id,
          due_at: new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString(),
          note: 'Compare with what was said at the press conference.',
        },
      }),
    );
  }
  await api.dispose();
});

/** Waits until the screen has its heading and has stopped loading. */
async function settled(page: Page) {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('status').filter({ hasText: /Loading/ })).toHaveCount(0);
}

interface Screen {
  name: string;
  who: Who | null;
  path: () => string;
  phone?: boolean;
}

const SCREENS: Screen[] = [
  { name: 'login', who: null, path: () => '/login' },
  { name: 'queue', who: 'reviewer2', path: () => '/queue', phone: true },
  { name: 'queue-editor', who: 'editor1', path: () => '/queue?view=open' },
  { name: 'dashboard', who: 'editor1', path: () => '/dashboard' },
  { name: 'articles', who: 'editor1', path: () => '/articles' },
  { name: 'new-article', who: 'editor1', path: () => '/articles/new' },
  { name: 'article', who: 'editor1', path: () => `/articles/${seed.articleId}` },
  { name: 'claim', who: 'editor1', path: () => `/claims/${seed.claimId}` },
  { name: 'claim-reviewer', who: 'reviewer2', path: () => `/claims/${seed.claimId}`, phone: true },
  { name: 'publish', who: 'editor1', path: () => `/articles/${seed.articleId}/publish` },
  { name: 'exports', who: 'editor1', path: () => '/exports' },
  { name: 'messages', who: 'editor1', path: () => '/messages' },
  { name: 'users', who: 'admin', path: () => '/users' },
  { name: 'settings', who: 'admin', path: () => '/settings' },
  { name: 'webhooks', who: 'admin', path: () => '/webhooks' },
  { name: 'account', who: 'reviewer2', path: () => '/account' },
  { name: 'notifications', who: 'reviewer2', path: () => '/notifications', phone: true },
];

for (const screen of SCREENS) {
  const desktop = { width: 1280, height: 800 };
  const variants = [
    { suffix: '', viewport: desktop, colorScheme: 'light' as const },
    ...(screen.phone ? [{ suffix: '-phone', viewport: PHONE, colorScheme: 'light' as const }] : []),
    { suffix: '-dark', viewport: desktop, colorScheme: 'dark' as const },
  ];
  for (const { suffix, viewport, colorScheme } of variants) {
    const name = `${screen.name}${suffix}`;
    test(`${name}: no serious accessibility violation, screenshot`, async ({ browser }, testInfo) => {
      const options = { viewport, colorScheme };
      const { context, page } = screen.who
        ? await signedInContext(browser, screen.who, options)
        : await browser.newContext(options).then(async (c) => ({ context: c, page: await c.newPage() }));
      try {
        await page.goto(screen.path());
        await settled(page);
        // The page really is in the scheme under test (the dark one sets --bg to #121417).
        const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        expect(background, `${name}: page background`).toBe(
          colorScheme === 'dark' ? 'rgb(18, 20, 23)' : 'rgb(255, 255, 255)',
        );
        await screenshot(page, name);
        const violations = await seriousViolations(page, testInfo, name);
        expect(violations, `axe on ${name} (${page.url()})`).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
}
