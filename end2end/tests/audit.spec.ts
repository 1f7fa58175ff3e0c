// The audit log: what the admin sees, filters kept in the URL, and the exports.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, ensureUser, login, loginAsAdmin, PASSWORD, uniqueName } from './helpers';

const CSV_HEADER = 'id,time,actor,action,target,outcome,ip,details,hash';
/** Columns of #audit-table: #, Time, Actor, Action, Target, Outcome, Address, Details. */
const COL = { actor: 2, action: 3, target: 4, outcome: 5 } as const;

function column(page: Page, n: number) {
  return page.locator(`#audit-table tbody tr td:nth-child(${n + 1})`);
}

async function texts(page: Page, n: number): Promise<string[]> {
  return (await column(page, n).allTextContents()).map((s) => s.trim());
}

/** The CSV export behind a link: a real download with JavaScript, a plain GET without. */
async function fetchExport(page: Page, linkName: string, javaScriptEnabled: boolean): Promise<{ name: string; body: string }> {
  const link = page.getByRole('link', { name: linkName });
  const href = await link.getAttribute('href');
  expect(href).toBeTruthy();
  if (javaScriptEnabled) {
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = await download.path();
    return { name: download.suggestedFilename(), body: fs.readFileSync(file, 'utf8') };
  }
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain(linkName.includes('CSV') ? 'text/csv' : 'application/json');
  const disposition = res.headers()['content-disposition'] ?? '';
  const name = disposition.match(/filename="([^"]+)"/)?.[1] ?? '';
  return { name, body: await res.text() };
}

test('the admin sees sign-ins and created users in the audit log', async ({ page }, testInfo) => {
  const created = uniqueName(testInfo, 'aud');
  await ensureUser(created, 'viewer');
  await loginAsAdmin(page);
  await page.locator('nav.sidebar').getByRole('link', { name: 'Audit' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');

  const table = page.locator('#audit-table');
  await expect(table).toBeVisible();
  const loginRow = table.locator('tbody tr', { hasText: 'login.success' }).first();
  await expect(loginRow.locator(`td:nth-child(${COL.actor + 1})`)).toHaveText(ADMIN.username);
  await expect(loginRow.locator('.badge')).toHaveText('success');
  const createdRow = table.locator('tbody tr', { hasText: 'user.created' }).filter({ hasText: created });
  await expect(createdRow).toHaveCount(1);
  await expect(createdRow.locator(`td:nth-child(${COL.actor + 1})`)).toHaveText(ADMIN.username);
  await expect(createdRow).toContainText('viewer'); // details: the role
  // the admin account made by `warden user add` is there too
  await expect(table.locator('tbody tr', { hasText: 'user.created' }).filter({ hasText: ADMIN.username }).first()).toBeVisible();

  // newest first
  const ids = (await texts(page, 0)).map(Number);
  expect(ids.length).toBeGreaterThan(1);
  expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  await expect(page.locator('.pager')).toContainText(/Page 1 of \d+/);
});

test('filtering by action narrows the table and is kept in the URL', async ({ page }, testInfo) => {
  await ensureUser(uniqueName(testInfo, 'aud2'), 'viewer');
  await loginAsAdmin(page);
  await page.goto('/audit');
  const allCount = await column(page, COL.action).count();
  const actionsBefore = new Set(await texts(page, COL.action));
  expect(actionsBefore.has('login.success')).toBeTruthy();
  expect(actionsBefore.has('user.created')).toBeTruthy();

  await page.locator('#f-action').fill('user.created');
  await page.locator('#audit-filters').getByRole('button', { name: 'Apply' }).click();

  await expect(page).toHaveURL(/\/audit\?(.*&)?action=user\.created(&|$)/);
  await expect(page.locator('#f-action')).toHaveValue('user.created');
  const actions = await texts(page, COL.action);
  expect(actions.length).toBeGreaterThan(0);
  expect(actions.length).toBeLessThan(allCount);
  expect(new Set(actions)).toEqual(new Set(['user.created']));
  // pager and export links carry the filter
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', /action=user\.created/);

  // the URL alone is enough: a reload (or a shared link) shows the same
  const url = page.url();
  await page.goto('/');
  await page.goto(url);
  await expect(page.locator('#f-action')).toHaveValue('user.created');
  expect(new Set(await texts(page, COL.action))).toEqual(new Set(['user.created']));

  // a prefix matches the whole family; outcome narrows further
  await page.locator('#f-action').fill('login');
  await page.locator('#f-outcome').selectOption('success');
  await page.locator('#audit-filters').getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/action=login/);
  await expect(page).toHaveURL(/outcome=success/);
  await expect(page.locator('#f-outcome')).toHaveValue('success');
  const loginActions = new Set(await texts(page, COL.action));
  expect([...loginActions].every((a) => a.startsWith('login'))).toBeTruthy();
  expect(new Set(await texts(page, COL.outcome))).toEqual(new Set(['success']));

  // Clear drops every filter
  await page.locator('#audit-filters').getByRole('link', { name: 'Clear' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.locator('#f-action')).toHaveValue('');
  await expect(page.locator('#f-outcome')).toHaveValue('');
});

test('a filter that matches nothing says so', async ({ page }) => {
  await loginAsAdmin(page);
  await page.goto('/audit?action=no.such.action');
  await expect(page.locator('.empty-state')).toHaveText('No audit entries match these filters.');
  await expect(page.locator('#audit-table')).toHaveCount(0);
  await expect(page.getByText('0 entries')).toBeVisible();
});

test('Export CSV downloads the audit log with its header', async ({ page, javaScriptEnabled }) => {
  await loginAsAdmin(page);
  await page.goto('/audit');
  const { name, body } = await fetchExport(page, 'Export CSV', !!javaScriptEnabled);
  expect(name).toBe('warden-audit.csv');
  const lines = body.split(/\r?\n/);
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines.length).toBeGreaterThan(2);
  expect(body).toContain('"login.success"');
});

test('Export CSV of a filtered view exports only the matching rows', async ({ page, javaScriptEnabled }) => {
  await loginAsAdmin(page);
  await page.goto('/audit?action=user.created');
  const { body } = await fetchExport(page, 'Export CSV', !!javaScriptEnabled);
  const lines = body.split(/\r?\n/).filter((l) => l.length > 0);
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain('"user.created"');
});

test('Export JSON downloads a JSON array', async ({ page, javaScriptEnabled }) => {
  await loginAsAdmin(page);
  await page.goto('/audit');
  const { name, body } = await fetchExport(page, 'Export JSON', !!javaScriptEnabled);
  expect(name).toBe('warden-audit.json');
  const entries = JSON.parse(body) as Array<Record<string, unknown>>;
  expect(Array.isArray(entries)).toBeTruthy();
  expect(entries.length).toBeGreaterThan(1);
  expect(entries.some((e) => e.action === 'login.success')).toBeTruthy();
});

test('an operator is refused the audit log and its export', async ({ page }, testInfo) => {
  const operator = uniqueName(testInfo, 'aud-op');
  await ensureUser(operator, 'operator');
  await login(page, operator, PASSWORD);
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  const res = await page.request.get('/audit/export?format=csv');
  expect(res.status()).toBe(403);
  expect(await res.text()).not.toContain(CSV_HEADER);
});
