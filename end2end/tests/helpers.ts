// Shared steps of the browser tests: signing in and out through the real forms, unique
// names per project (js and nojs share one server and one database), and a quick
// HTTP-only way to create the accounts a test needs before it starts.
import { expect, request, type Page, type TestInfo } from '@playwright/test';
import { ADMIN, BASE_URL } from '../e2e-env';

export { ADMIN };

/** A password that passes the policy (8+ characters, not a common one). */
export const PASSWORD = 'plain tomato bicycle 42';

export type Role = 'admin' | 'operator' | 'viewer' | 'auditor';

/**
 * A username unique to this project (and to a repeat/retry of the test), so the js and
 * nojs runs never collide in the shared database: `name('op')` → `op-js`, `op-nojs`.
 * Usernames allow lowercase a-z, digits, '.', '_' and '-', up to 32 characters.
 */
export function uniqueName(testInfo: TestInfo, base: string): string {
  let name = `${base}-${testInfo.project.name}`;
  if (testInfo.repeatEachIndex > 0) name += `.${testInfo.repeatEachIndex}`;
  if (testInfo.retry > 0) name += `.r${testInfo.retry}`;
  return name.toLowerCase();
}

/** Fills and sends the sign-in form; does not check the outcome. */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  if (!page.url().includes('/login')) await page.goto('/login');
  await page.locator('#field-username').fill(username);
  await page.locator('#field-password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the form and waits for the dashboard (or `landing`). */
export async function login(page: Page, username: string, password: string, landing = '/'): Promise<void> {
  await page.goto('/login');
  await submitLogin(page, username, password);
  await expect(page).toHaveURL(new URL(landing, BASE_URL).href);
  await expectSignedInAs(page, username);
}

export async function loginAsAdmin(page: Page): Promise<void> {
  await login(page, ADMIN.username, ADMIN.password);
}

/** The header's user menu names the signed-in user. */
export async function expectSignedInAs(page: Page, username: string): Promise<void> {
  await expect(page.locator('details.user-menu > summary')).toContainText(username);
}

/** Opens the user menu (a <details>; works without JavaScript too). */
export async function openUserMenu(page: Page): Promise<void> {
  const menu = page.locator('details.user-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open).catch(() => false))) {
    await menu.locator('summary').click();
  }
  await expect(menu.locator('.user-menu-panel')).toBeVisible();
}

/** Signs out through the user menu's "Sign out" button and waits for the sign-in page. */
export async function logout(page: Page): Promise<void> {
  await openUserMenu(page);
  await page.locator('details.user-menu').getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('#field-username')).toBeVisible();
}

/** The main navigation's link labels, in order. */
export async function navLabels(page: Page): Promise<string[]> {
  const links = page.locator('nav.sidebar a');
  return (await links.allTextContents()).map((s) => s.trim());
}

/**
 * In the js project: waits until the page is hydrated (the password fields' "Show"
 * buttons are hidden until then). Only for pages with a password field.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('.toggle-visibility').first()).toBeVisible({ timeout: 15_000 });
}

/**
 * Makes sure an account exists (creating it as the admin over plain HTTP form posts, the
 * same requests the nojs browser sends) and returns its id. An account that already
 * exists is kept as it is. For tests whose subject is not the creation itself.
 */
export async function ensureUser(username: string, role: Role, password = PASSWORD): Promise<number> {
  const api = await request.newContext({ baseURL: BASE_URL });
  try {
    const signIn = await api.post('/login', { form: { username: ADMIN.username, password: ADMIN.password, next: '' } });
    expect(signIn.ok(), `admin sign-in over HTTP: ${signIn.status()}`).toBeTruthy();
    expect(new URL(signIn.url()).pathname, 'admin sign-in over HTTP should leave /login').toBe('/');
    const res = await api.post('/admin/users', { form: { username, role, password } });
    const html = await res.text();
    expect(res.ok(), `creating ${username}: HTTP ${res.status()}`).toBeTruthy();
    const created = html.includes(`User ${username} created`);
    const taken = html.includes('That username is taken.');
    expect(created || taken, `creating ${username}: neither "created" nor "taken" in the answer`).toBeTruthy();
    // Leptos may put hydration comments around the text: <a href="/admin/users/3"><!>name</a>
    const escaped = username.replace(/[.]/g, '\\.');
    const m = html.match(new RegExp(`href="/admin/users/(\\d+)"[^>]*>(?:<!--[^>]*-->|<!>)*${escaped}<`));
    expect(m, `no link to ${username} in the users table`).not.toBeNull();
    await api.post('/logout');
    return Number(m![1]);
  } finally {
    await api.dispose();
  }
}

/** Opens a user's admin page through the users table (as the signed-in admin). */
export async function openUserPage(page: Page, username: string): Promise<void> {
  await page.goto('/admin/users');
  await page.locator('#users-table').getByRole('link', { name: username, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`User ${username}`);
  await expect(page).toHaveURL(/\/admin\/users\/\d+$/);
}
