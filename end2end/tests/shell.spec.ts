// The signed-in shell: navigation, the placeholder pages, security headers, not-found,
// and screenshots (test-results/*-<project>.png) to look at.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { RESULTS_DIR } from '../e2e-env';
import { ensureUser, login, loginAsAdmin, openUserMenu, PASSWORD, uniqueName, waitForHydration } from './helpers';

const PAGES = [
  { label: 'Hosts', path: '/hosts' },
  { label: 'Jails', path: '/jails' },
  { label: 'Services', path: '/services' },
  { label: 'Jobs', path: '/jobs' },
];

test('the navigation opens each page', async ({ page }) => {
  await loginAsAdmin(page);
  const nav = page.locator('nav.sidebar');
  for (const p of PAGES) {
    await nav.getByRole('link', { name: p.label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${p.path}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.label);
    // the current page is marked in the navigation
    await expect(nav.getByRole('link', { name: p.label, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(nav.locator('a[aria-current="page"]')).toHaveCount(1);
  }
  await nav.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  // before any host: an empty state that says what will be there; after: the figures
  await expect(page.locator('main.content .empty-state, main.content #stat-hosts').first()).toBeVisible();
});

test('a viewer reads the jobs list but is offered no job to start', async ({ page }, testInfo) => {
  const viewer = uniqueName(testInfo, 'shell-viewer');
  await ensureUser(viewer, 'viewer');
  await login(page, viewer, PASSWORD);
  const res = await page.goto('/jobs');
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jobs');
  await expect(page.locator('#jobs-table, .empty-state').first()).toBeVisible();
  await page.goto('/jobs?state=cancelled&kind=wait');
  await expect(page.locator('.empty-state')).toContainText('No job matches these filters.');
  await page.goto('/hosts');
  await expect(page.getByRole('button', { name: 'Check connection' })).toHaveCount(0);
});

test('HTML pages carry a Content-Security-Policy with a fresh script nonce', async ({ page }) => {
  const first = await page.goto('/login');
  expect(first).not.toBeNull();
  const csp = first!.headers()['content-security-policy'];
  expect(csp, 'CSP header on /login').toBeTruthy();
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
  expect(nonce, 'a script nonce in the CSP').toBeTruthy();
  expect(csp).not.toContain("'unsafe-inline'");
  // the page's scripts carry that nonce
  const html = await first!.text();
  expect(html).toContain(`nonce="${nonce}"`);
  expect(first!.headers()['x-content-type-options']).toBe('nosniff');
  expect(first!.headers()['x-frame-options']).toBe('DENY');
  expect(first!.headers()['cache-control']).toBe('no-store');

  await loginAsAdmin(page);
  const second = await page.goto('/');
  const csp2 = second!.headers()['content-security-policy'];
  expect(csp2, 'CSP header on /').toBeTruthy();
  const nonce2 = csp2.match(/'nonce-([^']+)'/)?.[1];
  expect(nonce2).toBeTruthy();
  expect(nonce2, 'a new nonce per response').not.toBe(nonce);
  expect(await second!.text()).toContain(`nonce="${nonce2}"`);
});

test('an unknown page says so with status 404', async ({ page }) => {
  await loginAsAdmin(page);
  const res = await page.goto('/no/such/page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('screenshots of the main pages', async ({ page }, testInfo) => {
  const shot = (name: string) => path.join(RESULTS_DIR, `${name}-${testInfo.project.name}.png`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/login');
  await page.screenshot({ path: shot('login'), fullPage: true });

  await loginAsAdmin(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  await page.screenshot({ path: shot('dashboard'), fullPage: true });

  await openUserMenu(page);
  await page.screenshot({ path: shot('user-menu') });

  await page.goto('/admin/users');
  await expect(page.locator('#users-table')).toBeVisible();
  await page.screenshot({ path: shot('users'), fullPage: true });

  await page.goto('/audit');
  await expect(page.locator('#audit-table')).toBeVisible();
  await page.screenshot({ path: shot('audit'), fullPage: true });

  await page.goto('/hosts');
  await page.screenshot({ path: shot('hosts'), fullPage: true });

  // a narrow (phone) viewport: the layout must not overflow sideways
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/');
  await page.screenshot({ path: shot('dashboard-narrow'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'no sideways scrolling on a narrow screen').toBeLessThanOrEqual(0);
});

test.describe('hydration of every page', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'needs hydration');

  test('the main pages hydrate without script errors or CSP violations', async ({ page }) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`${page.url()}: pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${page.url()}: console.${m.type()}: ${m.text()}`);
    });
    await page.goto('/login');
    await waitForHydration(page);
    await loginAsAdmin(page);
    const pages = ['/', '/hosts', '/hosts/new', '/jails', '/jails/new', '/services', '/jobs', '/audit', '/admin/users',
      '/admin/users/1', '/admin/groups', '/account'];
    for (const p of pages) {
      await page.goto(p);
      await page.waitForLoadState('networkidle');
    }
    // pages with a password field show the hydration-only "Show" button
    for (const p of ['/admin/users', '/account']) {
      await page.goto(p);
      await waitForHydration(page);
    }
    expect(problems).toEqual([]);
  });
});
