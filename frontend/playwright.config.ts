// End-to-end browser tests, run by scripts/e2e against the real release server (it
// sets the FACTDESK_E2E_* variables). Never downloads a browser: Debian's Chromium.
import { defineConfig } from '@playwright/test';

const artifacts = process.env.FACTDESK_E2E_ARTIFACTS ?? '../target/e2e/artifacts';

export default defineConfig({
  testDir: './e2e',
  outputDir: `${artifacts}/test-results`,
  // One worker: the flow is one story told in order, and the queue figure is measured
  // on a quiet machine (2 cores run the server, PostgreSQL and the browser).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['html', { outputFolder: `${artifacts}/report`, open: 'never' }],
    ['json', { outputFile: `${artifacts}/results.json` }],
  ],
  use: {
    baseURL: process.env.FACTDESK_E2E_BASE_URL,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/Kyiv',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    launchOptions: {
      executablePath: process.env.FACTDESK_E2E_CHROMIUM ?? '/usr/lib/chromium/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
