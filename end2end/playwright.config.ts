// Warden's browser tests: Debian's Chromium (/usr/bin/chromium, never a downloaded
// browser) against `target/debug/warden serve` on 127.0.0.1:18080, which the global
// setup starts with a fresh data dir and an admin account. Run: make e2e (or make test).
// Every test runs twice: project `js` (hydrated app) and project `nojs` (JavaScript off:
// plain HTML forms and links must work). Skip one with e.g.
//   test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'needs hydration');
import { defineConfig } from '@playwright/test';
import { BASE_URL, CHROMIUM, CHROMIUM_ARGS } from './e2e-env';

export default defineConfig({
  testDir: './tests',
  // Playwright wipes outputDir at start; server.log lives next to it in test-results/
  outputDir: './test-results/artifacts',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1, // 2 cores, and one server with one database for all tests
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'nojs', use: { javaScriptEnabled: false } },
  ],
});
