// Signing in and out, the way back to the page that asked for sign-in, and the one
// client-side interaction that proves the page hydrated (the password "Show" toggle).
import { expect, test } from '@playwright/test';
import { ADMIN, expectSignedInAs, loginAsAdmin, logout, submitLogin, uniqueName, waitForHydration } from './helpers';

test.describe('sign-in', () => {
  test('a wrong password shows the error on the field and keeps the username', async ({ page }, testInfo) => {
    // An account that does not exist: the answer must be the same as for a wrong
    // password, and the failure does not count against the admin's sign-in throttle.
    const username = uniqueName(testInfo, 'nobody');
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Sign in to Warden' })).toBeVisible();
    await submitLogin(page, username, 'not the password at all');

    await expect(page).toHaveURL(/\/login$/);
    const password = page.locator('#field-password');
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAttribute('aria-describedby', 'field-password-error');
    await expect(page.locator('#field-password-error')).toHaveClass(/field-error/);
    await expect(page.locator('#field-password-error')).toHaveText('Username or password is incorrect.');
    await expect(page.locator('.flash.flash-error')).toBeVisible();
    // the username is kept, the password is not
    await expect(page.locator('#field-username')).toHaveValue(username);
    await expect(page.locator('#field-username')).not.toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveValue('');

    // the error shows once: a reload is a clean form
    await page.reload();
    await expect(page.locator('.field-error')).toHaveCount(0);
    await expect(page.locator('#field-username')).toHaveValue('');
  });

  test('the admin signs in and lands on the dashboard', async ({ page }) => {
    await loginAsAdmin(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
    await expect(page.locator('main.content .card').first()).toContainText(`Signed in as ${ADMIN.username} with the role admin`);
    await expect(page.locator('details.user-menu .badge')).toHaveText('admin');
    await expect(page.getByRole('link', { name: 'Manage users' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Review the audit log' })).toBeVisible();
  });

  test('a visitor of a private page signs in and comes back to it', async ({ page }) => {
    await page.goto('/audit?action=login');
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(page.locator('input[type=hidden][name=next]')).toHaveValue('/audit?action=login');
    await submitLogin(page, ADMIN.username, ADMIN.password);
    await expect(page).toHaveURL(/\/audit\?action=login$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
    await expect(page.locator('#f-action')).toHaveValue('login');
  });

  test('the sign-in page of a signed-out visitor has no user menu', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.locator('details.user-menu')).toHaveCount(0);
    await expect(page.locator('nav.sidebar')).toHaveCount(0);
  });
});

test.describe('session cookie', () => {
  test('is HttpOnly and SameSite=Strict, and is renewed at sign-in', async ({ page, context }, testInfo) => {
    // a failed sign-in leaves a flash, so the visitor already has a session cookie
    await page.goto('/login');
    await submitLogin(page, uniqueName(testInfo, 'nobody2'), 'still not the password');
    await expect(page.locator('#field-password-error')).toBeVisible();
    const before = (await context.cookies()).find((c) => c.name === 'warden_session');
    expect(before, 'a session cookie after the failed sign-in').toBeTruthy();

    await submitLogin(page, ADMIN.username, ADMIN.password);
    await expect(page).toHaveURL(/\/$/);
    const after = (await context.cookies()).find((c) => c.name === 'warden_session');
    expect(after).toBeTruthy();
    expect(after!.httpOnly).toBe(true);
    expect(after!.sameSite).toBe('Strict');
    expect(after!.path).toBe('/');
    expect(after!.value, 'a fresh session id after sign-in').not.toBe(before!.value);
  });
});

test.describe('sign-out', () => {
  test('signing out ends the session', async ({ page }) => {
    await loginAsAdmin(page);
    await logout(page);
    // the old session is gone: private pages send us back to sign in
    await page.goto('/admin/users');
    await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fusers|\/login\?next=\/admin\/users/);
    await expect(page.locator('details.user-menu')).toHaveCount(0);
    // and signing in again works
    await submitLogin(page, ADMIN.username, ADMIN.password);
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expectSignedInAs(page, ADMIN.username);
  });
});

test.describe('hydration', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'needs hydration');

  test('the password "Show" toggle switches the input type', async ({ page }) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });

    await page.goto('/login');
    await waitForHydration(page);
    const input = page.locator('#field-password');
    const toggle = page.locator('.toggle-visibility[aria-controls="field-password"]');
    await input.fill('peek-a-boo secret');
    await expect(input).toHaveAttribute('type', 'password');
    await expect(toggle).toHaveText('Show');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');

    await toggle.click();
    await expect(input).toHaveAttribute('type', 'text');
    await expect(toggle).toHaveText('Hide');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(input).toHaveValue('peek-a-boo secret');

    await toggle.click();
    await expect(input).toHaveAttribute('type', 'password');
    await expect(toggle).toHaveText('Show');

    expect(problems, 'no script errors while hydrating').toEqual([]);
  });
});

test.describe('without JavaScript', () => {
  test.skip(({ javaScriptEnabled }) => !!javaScriptEnabled, 'only without JavaScript');

  test('the "Show" toggle stays hidden and the form still works', async ({ page }) => {
    await page.goto('/login');
    const toggle = page.locator('.toggle-visibility[aria-controls="field-password"]');
    await expect(toggle).toHaveCount(1);
    await expect(toggle).toBeHidden();
    await expect(toggle).toHaveAttribute('hidden', /.*/);
    await expect(page.locator('#field-password')).toHaveAttribute('type', 'password');
    await submitLogin(page, ADMIN.username, ADMIN.password);
    await expect(page).toHaveURL(/\/$/);
  });
});
