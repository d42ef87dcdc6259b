/**
 * What the browser tests share: the server scripts/e2e started, the demo logins it
 * seeded, the SMTP sink's mailbox, signing in, API calls, accessibility checks and
 * screenshots.
 */
import AxeBuilder from '@axe-core/playwright';
import {
  expect,
  request,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type TestInfo,
} from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests with scripts/e2e`);
  return value;
}

export const baseUrl = () => env('FACTDESK_E2E_BASE_URL');
export const artifactsDir = () => env('FACTDESK_E2E_ARTIFACTS');

// ---------------------------------------------------------------------------------
// The demo newsroom's logins (written by the server's first start)

export type Who = 'admin' | 'editor1' | 'editor2' | 'reviewer1' | 'reviewer2' | 'reviewer3';

export interface Login {
  email: string;
  role: string;
  password: string;
}

export function login(who: Who): Login {
  const text = fs.readFileSync(env('FACTDESK_E2E_LOGINS'), 'utf8');
  const email = `${who}@demo.factdesk.test`;
  for (const line of text.split('\n')) {
    const [role, address, password] = line.trim().split(/\s+/);
    if (address === email && role && password) return { email, role, password };
  }
  throw new Error(`no login for ${email} in ${env('FACTDESK_E2E_LOGINS')}`);
}

/** Signs in through the login page, as a person does. */
export async function signInWithForm(page: Page, who: Who) {
  const { email, password } = login(who);
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** A new browser context signed in as `who` (the session cookie from the login API). */
export async function signedInContext(
  browser: Browser,
  who: Who,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const { email, password } = login(who);
  const res = await context.request.post('/api/v1/auth/login', { data: { email, password } });
  expect(res.status(), `signing in ${email}`).toBe(200);
  return { context, page: await context.newPage() };
}

/** An API client with `who`'s Bearer token. */
export async function apiAs(who: Who): Promise<APIRequestContext> {
  const anonymous = await request.newContext({ baseURL: baseUrl() });
  const { email, password } = login(who);
  const res = await anonymous.post('/api/v1/auth/login', { data: { email, password } });
  expect(res.status(), `signing in ${email}`).toBe(200);
  const { token } = (await res.json()) as { token: string };
  await anonymous.dispose();
  return request.newContext({
    baseURL: baseUrl(),
    extraHTTPHeaders: { Authorization: `Bearer ${token}`, 'X-Requested-With': 'factdesk' },
  });
}

/** The JSON answer of an API call that must succeed. */
export async function ok<T = unknown>(
  call: Promise<import('@playwright/test').APIResponse>,
): Promise<T> {
  const res = await call;
  if (!res.ok()) throw new Error(`${res.url()}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
}

export async function userByEmail(api: APIRequestContext, email: string): Promise<UserRow> {
  const page = await ok<{ items: UserRow[] }>(
    api.get('/api/v1/users', { params: { q: email, limit: 10 } }),
  );
  const user = page.items.find((u) => u.email === email);
  if (!user) throw new Error(`no user ${email}`);
  return user;
}

// ---------------------------------------------------------------------------------
// The seed article (the project's own copy)

export function seedArticle(): { title: string; body: string } {
  const file = fileURLToPath(new URL('../../demo/seed-article.txt', import.meta.url));
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const title = (lines[0] ?? '').trim();
  const byline = lines.findIndex((l) => l.trimStart().startsWith('by '));
  const body = lines
    .slice(byline + 1)
    .join('\n')
    .trim();
  return { title, body };
}

// ---------------------------------------------------------------------------------
// Selecting text in the page

/**
 * Selects the first occurrence of `text` inside `container` with a DOM Range (across
 * element boundaries if need be), then sends the mouseup a person's selection ends with.
 */
export async function selectText(container: Locator, text: string) {
  await container.evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    let all = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push(n as Text);
      all += (n as Text).data;
    }
    const start = all.indexOf(wanted);
    if (start < 0) throw new Error(`"${wanted}" is not in the element's text`);
    const end = start + wanted.length;
    const range = document.createRange();
    let offset = 0;
    for (const node of nodes) {
      const next = offset + node.data.length;
      if (start >= offset && start < next) range.setStart(node, start - offset);
      if (end > offset && end <= next) {
        range.setEnd(node, end - offset);
        break;
      }
      offset = next;
    }
    const selection = window.getSelection();
    if (!selection) throw new Error('no selection API');
    selection.removeAllRanges();
    selection.addRange(range);
    const rect = range.getBoundingClientRect();
    const at = { bubbles: true, cancelable: true, clientX: rect.right, clientY: rect.bottom };
    const target = range.endContainer.parentElement ?? root;
    target.dispatchEvent(new MouseEvent('mouseup', at));
    document.dispatchEvent(new Event('selectionchange'));
  }, text);
}

// ---------------------------------------------------------------------------------
// Email, as the SMTP sink kept it

export interface Mail {
  file: string;
  rcpt_tos: string[];
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export function mails(): Mail[] {
  const dir = env('FACTDESK_E2E_MAIL_DIR');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .sort()
    .map((f) => ({ file: path.join(dir, f), ...JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/** Waits for the first message that `match` accepts. */
export async function waitForMail(match: (m: Mail) => boolean, timeout = 30_000): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        found = mails().find(match);
        return Boolean(found);
      },
      { timeout, message: 'waiting for the email at the SMTP server' },
    )
    .toBe(true);
  return found!;
}

// ---------------------------------------------------------------------------------
// Accessibility and screenshots

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir(), 'screens', `${name}.png`), fullPage: true });
}

/** axe-core on the page as it is; returns the serious and critical violations. */
export async function seriousViolations(page: Page, testInfo: TestInfo, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (results.violations.length > 0) {
    await testInfo.attach(`axe-${name}.json`, {
      body: JSON.stringify(results.violations, null, 2),
      contentType: 'application/json',
    });
  }
  return bad.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
}

export function appendFigure(line: string) {
  const file = env('FACTDESK_E2E_FIGURES');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}
