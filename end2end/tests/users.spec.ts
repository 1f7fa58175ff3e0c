// User administration by the admin: creating accounts, what each role then sees,
// disabling (with confirmation) and resetting a password (one-time password).
import { expect, test, type Page } from '@playwright/test';
import {
  ensureUser, expectSignedInAs, login, loginAsAdmin, logout, navLabels, openUserPage, PASSWORD, submitLogin, uniqueName,
} from './helpers';

const EVERYONE = ['Dashboard', 'Hosts', 'Jails', 'Services', 'Jobs'];

async function addUser(page: Page, username: string, role: string, password: string): Promise<void> {
  const form = page.locator('#create-user');
  await form.locator('#field-username').fill(username);
  await form.locator('#field-role').selectOption(role);
  await form.locator('#field-password').fill(password);
  await form.getByRole('button', { name: 'Add user' }).click();
}

test.describe('creating users', () => {
  test('the admin creates an operator and a viewer', async ({ page }, testInfo) => {
    const operator = uniqueName(testInfo, 'op');
    const viewer = uniqueName(testInfo, 'viewer');
    await loginAsAdmin(page);
    await page.locator('nav.sidebar').getByRole('link', { name: 'Admin' }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users');
    await expect(page.locator('#field-role option')).toHaveText([/^admin/, /^operator/, /^viewer/, /^auditor/, /^none/]);

    await addUser(page, operator, 'operator', PASSWORD);
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(page.locator('.flash.flash-success')).toHaveText(`User ${operator} created with the role operator.`);
    const opRow = page.locator('#users-table tbody tr', { has: page.getByRole('link', { name: operator, exact: true }) });
    await expect(opRow).toHaveCount(1);
    await expect(opRow.locator('.badge').first()).toHaveText('operator');
    await expect(opRow).toContainText('active');
    await expect(opRow).toContainText('never');
    // the form is empty again after success
    await expect(page.locator('#create-user #field-username')).toHaveValue('');

    await addUser(page, viewer, 'viewer', PASSWORD);
    await expect(page.locator('.flash.flash-success')).toHaveText(`User ${viewer} created with the role viewer.`);
    const viewerRow = page.locator('#users-table tbody tr', { has: page.getByRole('link', { name: viewer, exact: true }) });
    await expect(viewerRow.locator('.badge').first()).toHaveText('viewer');
    await expect(opRow).toHaveCount(1); // still there

    // the message shows once: not on the next page, nor back on this one
    await page.locator('nav.sidebar').getByRole('link', { name: 'Hosts' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hosts');
    await expect(page.locator('.flash')).toHaveCount(0);
    await page.goto('/admin/users');
    await expect(page.locator('#users-table')).toBeVisible();
    await expect(page.locator('.flash')).toHaveCount(0);
  });

  test('a bad username shows the error on the field and keeps the input', async ({ page }) => {
    await loginAsAdmin(page);
    await page.goto('/admin/users');
    const before = await page.locator('#users-table tbody tr').count();
    await addUser(page, 'bad;name', 'viewer', PASSWORD);

    await expect(page).toHaveURL(/\/admin\/users$/);
    const username = page.locator('#create-user #field-username');
    await expect(username).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#field-username-error')).toHaveClass(/field-error/);
    await expect(page.locator('#field-username-error')).toContainText('Use 1 to 32 characters');
    await expect(page.locator('.flash.flash-error')).toBeVisible();
    await expect(username).toHaveValue('bad;name');
    await expect(page.locator('#create-user #field-role')).toHaveValue('viewer');
    await expect(page.locator('#create-user #field-password')).toHaveValue('');
    await expect(page.locator('#users-table tbody tr')).toHaveCount(before);
  });

  test('a username that is taken is refused', async ({ page }, testInfo) => {
    const name = uniqueName(testInfo, 'dup');
    await ensureUser(name, 'viewer');
    await loginAsAdmin(page);
    await page.goto('/admin/users');
    await addUser(page, name, 'operator', PASSWORD);
    await expect(page.locator('#field-username-error')).toHaveText('That username is taken.');
    const row = page.locator('#users-table tbody tr', { has: page.getByRole('link', { name, exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row.locator('.badge').first()).toHaveText('viewer');
  });
});

test.describe('what each role sees', () => {
  test('a new operator signs in and sees the operator navigation', async ({ page }, testInfo) => {
    const operator = uniqueName(testInfo, 'op');
    await ensureUser(operator, 'operator');
    await login(page, operator, PASSWORD);
    await expect(page.locator('details.user-menu .badge')).toHaveText('operator');
    expect(await navLabels(page)).toEqual([...EVERYONE, 'Groups']);
    await expect(page.getByRole('link', { name: 'Manage users' })).toHaveCount(0);
    await expect(page.locator('main.content .card').first()).toContainText('with the role operator');
  });

  test('a new viewer signs in, sees the viewer navigation and is refused the admin page', async ({ page }, testInfo) => {
    const viewer = uniqueName(testInfo, 'viewer');
    await ensureUser(viewer, 'viewer');
    await login(page, viewer, PASSWORD);
    await expect(page.locator('details.user-menu .badge')).toHaveText('viewer');
    expect(await navLabels(page)).toEqual(EVERYONE);

    await page.goto('/admin/users');
    await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
    await expect(page.locator('#users-table')).toHaveCount(0);
    await expect(page.locator('#create-user')).toHaveCount(0);
    // the audit log is not theirs either
    await page.goto('/audit');
    await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
    await expect(page.locator('#audit-table')).toHaveCount(0);
  });

  test('a viewer cannot create users by posting the form anyway', async ({ page }, testInfo) => {
    const viewer = uniqueName(testInfo, 'viewer2');
    const victim = uniqueName(testInfo, 'sneaky');
    await ensureUser(viewer, 'viewer');
    await login(page, viewer, PASSWORD);
    // the same request the admin form sends, from the viewer's session
    const res = await page.request.post('/admin/users', {
      form: { username: victim, role: 'admin', password: PASSWORD },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('Not allowed');
    await logout(page);
    await loginAsAdmin(page);
    await page.goto('/admin/users');
    await expect(page.locator('#users-table').getByRole('link', { name: victim, exact: true })).toHaveCount(0);
  });

  test('the admin navigation has Audit, Groups and Admin', async ({ page }) => {
    await loginAsAdmin(page);
    expect(await navLabels(page)).toEqual([...EVERYONE, 'Audit', 'Groups', 'Admin']);
  });
});

test.describe('managing a user', () => {
  test('disabling asks first, names the user, and then the user can no longer sign in', async ({ page, browser, baseURL, javaScriptEnabled }, testInfo) => {
    const name = uniqueName(testInfo, 'dis');
    await ensureUser(name, 'viewer');

    // the user is signed in elsewhere while the admin disables the account
    const other = await browser.newContext({ baseURL, javaScriptEnabled });
    const theirPage = await other.newPage();
    await login(theirPage, name, PASSWORD);

    await loginAsAdmin(page);
    await openUserPage(page, name);
    await expect(page.locator('.confirm-box')).toHaveCount(0);
    await expect(page.locator('dl')).toContainText('active');
    await page.getByRole('link', { name: 'Disable account…' }).click();

    await expect(page).toHaveURL(/\?confirm=disable$/);
    const box = page.locator('.confirm-box');
    await expect(box).toBeVisible();
    await expect(box.getByRole('heading')).toHaveText(`Disable the account ${name}?`);
    await expect(box).toContainText('signed out everywhere');
    // nothing happened yet
    await expect(page.locator('dl')).toContainText('active');
    await box.getByRole('button', { name: `Disable ${name}` }).click();

    await expect(page).toHaveURL(/\/admin\/users\/\d+$/);
    await expect(page.locator('.flash.flash-success')).toHaveText('The account is disabled and its sessions are ended.');
    await expect(page.locator('.confirm-box')).toHaveCount(0);
    await expect(page.locator('dl')).toContainText('disabled');
    await expect(page.getByRole('button', { name: 'Enable account' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Disable account…' })).toHaveCount(0);

    // their open session ended
    await theirPage.goto('/');
    await expect(theirPage).toHaveURL(/\/login$/);
    await other.close();

    // and they cannot sign in again
    await logout(page);
    await submitLogin(page, name, PASSWORD);
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.locator('#field-password-error')).toHaveText('Username or password is incorrect.');
    await expect(page.locator('details.user-menu')).toHaveCount(0);
  });

  test('cancelling the confirmation changes nothing', async ({ page }, testInfo) => {
    const name = uniqueName(testInfo, 'keep');
    await ensureUser(name, 'viewer');
    await loginAsAdmin(page);
    await openUserPage(page, name);
    await page.getByRole('link', { name: 'Disable account…' }).click();
    await expect(page.locator('.confirm-box')).toBeVisible();
    await page.locator('.confirm-box').getByRole('link', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(/\/admin\/users\/\d+$/);
    await expect(page.locator('.confirm-box')).toHaveCount(0);
    await expect(page.locator('dl')).toContainText('active');
  });

  test('resetting a password shows a one-time password that then signs the user in', async ({ page }, testInfo) => {
    const name = uniqueName(testInfo, 'rst');
    await ensureUser(name, 'operator');
    await loginAsAdmin(page);
    await openUserPage(page, name);
    await page.getByRole('link', { name: 'Reset password…' }).click();

    await expect(page).toHaveURL(/\?confirm=reset$/);
    const box = page.locator('.confirm-box');
    await expect(box.getByRole('heading')).toHaveText(`Reset the password of ${name}?`);
    await box.getByRole('button', { name: `Reset password of ${name}` }).click();

    await expect(page).toHaveURL(/\/admin\/users\/\d+$/);
    await expect(page.locator('.flash.flash-success')).toContainText('The password was reset');
    const secret = page.locator('#one-time-password');
    await expect(secret).toBeVisible();
    const oneTime = (await secret.textContent())?.trim() ?? '';
    expect(oneTime.length, 'one-time password length').toBeGreaterThanOrEqual(8);

    // shown once: gone after a reload
    await page.reload();
    await expect(page.locator('#one-time-password')).toHaveCount(0);

    await logout(page);
    // the old password no longer works
    await submitLogin(page, name, PASSWORD);
    await expect(page.locator('#field-password-error')).toHaveText('Username or password is incorrect.');
    // the one-time password does
    await submitLogin(page, name, oneTime);
    await expect(page).toHaveURL(/\/$/);
    await expectSignedInAs(page, name);
  });

  test('changing the role of a user', async ({ page }, testInfo) => {
    const name = uniqueName(testInfo, 'promo');
    await ensureUser(name, 'viewer');
    await loginAsAdmin(page);
    await openUserPage(page, name);
    const form = page.locator('#change-role');
    await expect(form.locator('#field-role')).toHaveValue('viewer');
    await form.locator('#field-role').selectOption('auditor');
    await form.getByRole('button', { name: 'Change role' }).click();
    await expect(page.locator('.flash.flash-success')).toHaveText('The role is now auditor.');
    await expect(page.locator('dl .badge')).toHaveText('auditor');
    await expect(page.locator('#change-role #field-role')).toHaveValue('auditor');

    await logout(page);
    await login(page, name, PASSWORD);
    expect(await navLabels(page)).toEqual([...EVERYONE, 'Audit']);
  });

  test('the admin cannot disable or re-role themselves from their own page', async ({ page }) => {
    await loginAsAdmin(page);
    await openUserPage(page, 'admin');
    await expect(page.locator('#change-role')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Disable account…' })).toHaveCount(0);
    await expect(page.locator('#sessions-table .badge', { hasText: 'this session' })).toHaveCount(1);
  });
});
