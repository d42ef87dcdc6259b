/**
 * An admin's webhooks: add an endpoint pointing at a receiver on loopback (which the
 * e2e server's FACTDESK_OUTBOUND_ALLOW lets through), keep the secret shown once, send
 * a test event, and see it delivered in the log; the receiver checks the signature.
 */
import { expect, test } from '@playwright/test';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { screenshot, seriousViolations, signedInContext } from './support';

interface Got {
  headers: http.IncomingHttpHeaders;
  body: string;
}

test('an admin adds a webhook, sends a test event and sees it delivered, signed', async ({ browser }, testInfo) => {
  const got: Got[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;

  const { context, page } = await signedInContext(browser, 'admin');
  await page.goto('/webhooks');
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();

  // A private address the allow-list does not name is refused by name.
  const form = page.getByRole('region', { name: 'Add an endpoint' });
  await form.getByLabel('Name').fill('Desk receiver');
  await form.getByLabel('URL').fill('http://10.1.2.3/hook');
  await form.getByRole('button', { name: 'Add the endpoint' }).click();
  await expect(form.locator('.field-error').filter({ hasText: /private, loopback or link-local address/ })).toBeVisible();

  await form.getByLabel('URL').fill(`http://127.0.0.1:${port}/factdesk`);
  await form.getByLabel('A reader reports an error').check();
  await form.getByRole('button', { name: 'Add the endpoint' }).click();
  const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);

  const card = page.getByTestId('webhook').filter({ hasText: 'Desk receiver' });
  await expect(card.getByText('On', { exact: true })).toBeVisible();
  await card.getByRole('button', { name: 'Send a test event' }).click();
  const row = card.getByTestId('delivery').first();
  await expect(row).toContainText('Test event');
  await expect(row).toContainText('Delivered', { timeout: 10_000 });
  await expect(row).toContainText('HTTP 200');

  expect(got).toHaveLength(1);
  const [delivery] = got;
  const id = String(delivery!.headers['webhook-id']);
  const timestamp = String(delivery!.headers['webhook-timestamp']);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${delivery!.body}`).digest('base64');
  expect(String(delivery!.headers['webhook-signature']).split(' ')).toContain(`v1,${expected}`);
  expect(JSON.parse(delivery!.body).type).toBe('webhook.test');

  expect(await seriousViolations(page, testInfo, 'webhooks')).toEqual([]);
  await screenshot(page, 'webhooks');

  // Removing it asks first.
  await card.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove the endpoint' }).click();
  await expect(page.getByTestId('webhook').filter({ hasText: 'Desk receiver' })).toHaveCount(0);
  await context.close();
  receiver.close();
});
