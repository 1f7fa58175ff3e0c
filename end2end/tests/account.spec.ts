// The signed-in user's own password change (never the admin's: other tests sign in
// with it). Each test uses an account of its own.
import { expect, test, type Page } from '@playwright/test';
import { ensureUser, login, logout, openUserMenu, PASSWORD, submitLogin, uniqueName } from './helpers';

const NEW_PASSWORD = 'seven purple lanterns at dawn';

async function openAccountPage(page: Page): Promise<void> {
  await openUserMenu(page);
  await page.locator('details.user-menu').getByRole('link', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change your password');
}

async function changePassword(page: Page, current: string, next: string, confirm = next): Promise<void> {
  const form = page.locator('#change-password');
  await form.locator('#field-current_password').fill(current);
  await form.locator('#field-new_password').fill(next);
  await form.locator('#field-new_password_confirm').fill(confirm);
  await form.getByRole('button', { name: 'Change password' }).click();
}

test('a wrong current password is refused with the error on that field', async ({ page }, testInfo) => {
  const name = uniqueName(testInfo, 'acct-wrong');
  await ensureUser(name, 'viewer');
  await login(page, name, PASSWORD);
  await openAccountPage(page);
  await changePassword(page, 'this is not my password', NEW_PASSWORD);

  await expect(page).toHaveURL(/\/account$/);
  const current = page.locator('#field-current_password');
  await expect(current).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#field-current_password-error')).toHaveText('The current password is not correct.');
  await expect(page.locator('.flash.flash-error')).toBeVisible();
  await expect(page.locator('#field-new_password')).not.toHaveAttribute('aria-invalid', 'true');
  // no password is ever filled back in
  for (const id of ['#field-current_password', '#field-new_password', '#field-new_password_confirm']) {
    await expect(page.locator(id)).toHaveValue('');
  }

  // still signed in, and the old password still works
  await logout(page);
  await login(page, name, PASSWORD);
});

test('the two new passwords must match', async ({ page }, testInfo) => {
  const name = uniqueName(testInfo, 'acct-mismatch');
  await ensureUser(name, 'viewer');
  await login(page, name, PASSWORD);
  await page.goto('/account');
  await changePassword(page, PASSWORD, NEW_PASSWORD, `${NEW_PASSWORD}!`);
  await expect(page.locator('#field-new_password_confirm')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#field-new_password_confirm-error')).toHaveText('The two new passwords are not the same.');
});

test('a too short new password is refused by the policy', async ({ page }, testInfo) => {
  const name = uniqueName(testInfo, 'acct-short');
  await ensureUser(name, 'viewer');
  await login(page, name, PASSWORD);
  await page.goto('/account');
  await changePassword(page, PASSWORD, 'short');
  await expect(page.locator('#field-new_password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#field-new_password-error')).toHaveText('Use at least 8 characters.');
});

test('changing the own password with the current one; then only the new one works', async ({ page, browser, baseURL, javaScriptEnabled }, testInfo) => {
  const name = uniqueName(testInfo, 'acct-ok');
  await ensureUser(name, 'operator');

  // a second session of the same user, which the change signs out
  const other = await browser.newContext({ baseURL, javaScriptEnabled });
  const otherPage = await other.newPage();
  await login(otherPage, name, PASSWORD);

  await login(page, name, PASSWORD);
  await openAccountPage(page);
  await expect(page.locator('#field-new_password-hint')).toContainText('At least 8 characters');
  await changePassword(page, PASSWORD, NEW_PASSWORD);

  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('.flash.flash-success')).toHaveText(
    'Your password was changed. Your other sessions were signed out.',
  );
  await expect(page.locator('.field-error')).toHaveCount(0);

  // this session goes on, the other one ended
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  await otherPage.goto('/');
  await expect(otherPage).toHaveURL(/\/login$/);
  await other.close();

  await logout(page);
  await submitLogin(page, name, PASSWORD);
  await expect(page.locator('#field-password-error')).toHaveText('Username or password is incorrect.');
  await login(page, name, NEW_PASSWORD);
});
