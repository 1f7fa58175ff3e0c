// The inventory in the browser: groups, hosts, jails and services through the
// forms; lists with filters, sorting and paging in the URL; roles scoped to a
// group; deleting asks first and names what goes with the object.
import { expect, test, type Page } from '@playwright/test';
import { ensureUser, login, loginAsAdmin, logout, PASSWORD, uniqueName } from './helpers';

/** Posts a form as the signed-in page's user (the request a nojs browser sends). */
async function post(page: Page, path: string, form: Record<string, string>): Promise<string> {
  const res = await page.request.post(path, { form, maxRedirects: 0 });
  expect(res.status(), `POST ${path}`).toBe(303);
  return res.headers()['location'] ?? '';
}

async function addGroup(page: Page, name: string): Promise<void> {
  await post(page, '/admin/groups', { name, description: '' });
}

/** Adds a host over HTTP and returns its id. */
async function addHost(page: Page, name: string, group: string): Promise<number> {
  const to = await post(page, '/hosts', { name, address: '10.9.0.1', group });
  const id = Number(to.match(/\/hosts\/(\d+)$/)?.[1]);
  expect(id, `host ${name} created (→ ${to})`).toBeGreaterThan(0);
  return id;
}

test('the admin adds a group, a host, a jail and a service through the forms', async ({ page }, testInfo) => {
  const group = uniqueName(testInfo, 'web-prod');
  const host = uniqueName(testInfo, 'fw1');
  await loginAsAdmin(page);

  await page.goto('/admin/groups');
  const groupForm = page.locator('#create-group');
  await groupForm.locator('#field-name').fill(group);
  await groupForm.getByRole('button', { name: 'Add group' }).click();
  await expect(page.locator('.flash.flash-success')).toHaveText(`Group ${group} created.`);
  await expect(page.locator('#groups-table')).toContainText(group);

  await page.goto('/hosts');
  await page.getByRole('link', { name: 'Add a host' }).click();
  await expect(page).toHaveURL(/\/hosts\/new$/);
  const hostForm = page.locator('#host-form');
  await hostForm.locator('#field-name').fill(host);
  await hostForm.locator('#field-address').fill('10.77.0.2');
  await hostForm.locator('#field-group').selectOption(group);
  await hostForm.locator('#field-tags').fill('dmz tier:1');
  await hostForm.getByRole('button', { name: 'Add host' }).click();
  await expect(page).toHaveURL(/\/hosts\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Host ${host}`);
  await expect(page.locator('.flash.flash-success')).toHaveText('Host added.');
  await expect(page.locator('dl')).toContainText('root@10.77.0.2:22');
  await expect(page.locator('dl .tag')).toHaveText(['dmz', 'tier:1']);

  await page.getByRole('link', { name: 'Add a jail' }).click();
  const jailForm = page.locator('#jail-form');
  await expect(jailForm.locator('#field-host_id option:checked')).toHaveText(host);
  await jailForm.locator('#field-name').fill('web01');
  await jailForm.locator('#field-manager').selectOption('bastille');
  await jailForm.locator('#field-state').selectOption('running');
  await jailForm.locator('#field-addresses').fill('10.1.0.2, 2001:db8::2');
  await jailForm.getByRole('button', { name: 'Add jail' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jail web01');
  await expect(page.locator('dl')).toContainText('10.1.0.2, 2001:db8::2');
  await expect(page.locator('dl')).toContainText('Bastille');

  await page.getByRole('link', { name: 'Add a service' }).click();
  const serviceForm = page.locator('#service-form');
  await expect(serviceForm.locator('#field-jail_id option:checked')).toHaveText('jail web01');
  await serviceForm.locator('#field-name').fill('nginx');
  await serviceForm.locator('#field-enabled').check();
  await serviceForm.locator('#field-ports').fill('tcp/80, tcp/443');
  await serviceForm.getByRole('button', { name: 'Add service' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Service nginx');
  await expect(page.locator('dl')).toContainText('tcp/80, tcp/443');
  await page.locator('dl').getByRole('link', { name: 'web01' }).click();
  await expect(page.locator('.services-table')).toContainText('nginx');

  // every change is in the audit log
  await page.goto(`/audit?target=${host}`);
  await expect(page.locator('#audit-table')).toContainText('host.created');
  await expect(page.locator('#audit-table')).toContainText('jail.created');
});

test('a bad name is refused on its field and what was typed stays', async ({ page }) => {
  await loginAsAdmin(page);
  await page.goto('/hosts/new');
  const form = page.locator('#host-form');
  await form.locator('#field-name').fill('web;rm -rf');
  await form.locator('#field-address').fill('$(id)');
  await form.getByRole('button', { name: 'Add host' }).click();
  await expect(page).toHaveURL(/\/hosts\/new$/);
  await expect(page.locator('#field-name-error')).toContainText('letters, digits');
  await expect(page.locator('#field-address-error')).toContainText('IPv4 address');
  await expect(page.locator('#field-name')).toHaveValue('web;rm -rf');
  await expect(page.locator('#field-name')).toHaveAttribute('aria-invalid', 'true');
});

test('the jails list filters, sorts and pages on the server, and the URL keeps the view', async ({ page }, testInfo) => {
  const host = uniqueName(testInfo, 'many');
  await loginAsAdmin(page);
  const hostId = await addHost(page, host, '');
  for (let i = 0; i < 55; i++) {
    await post(page, '/jails', {
      host_id: String(hostId), name: `j${String(i).padStart(2, '0')}`, manager: 'ezjail',
      state: i % 5 === 0 ? 'running' : 'stopped',
    });
  }
  await page.goto(`/jails?host=${host}`);
  const rows = page.locator('#jails-table tbody tr');
  await expect(rows).toHaveCount(50);
  await expect(page.locator('.pager')).toContainText('Showing 1–50 of 55');
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toContainText('j50');

  // filter by state with the form; the URL carries it
  await page.goto(`/jails?host=${host}`);
  await page.locator('#f-state').selectOption('running');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/state=running/);
  await expect(rows).toHaveCount(11);
  await expect(page.locator('.pager')).toContainText('of 11');

  // sort by name, reversed
  await page.locator('#jails-table thead').getByRole('link', { name: /Name/ }).click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect(rows.first()).toContainText('j50');
  // a shared URL shows the same view
  const shared = page.url();
  await page.goto('/');
  await page.goto(shared);
  await expect(rows.first()).toContainText('j50');
});

test('an operator scoped to one group sees and changes only that group', async ({ page }, testInfo) => {
  const mine = uniqueName(testInfo, 'g-mine');
  const theirs = uniqueName(testInfo, 'g-theirs');
  const user = uniqueName(testInfo, 'scoped');
  await loginAsAdmin(page);
  await addGroup(page, mine);
  await addGroup(page, theirs);
  await addHost(page, `${mine}-host`, mine);
  const theirHost = await addHost(page, `${theirs}-host`, theirs);
  // a user with no global role, then operator in one group on the user page
  await page.goto('/admin/users');
  const create = page.locator('#create-user');
  await create.locator('#field-username').fill(user);
  await create.locator('#field-role').selectOption('none');
  await create.locator('#field-password').fill(PASSWORD);
  await create.getByRole('button', { name: 'Add user' }).click();
  await page.locator('#users-table').getByRole('link', { name: user, exact: true }).click();
  const grant = page.locator('#grant-form');
  await grant.locator('#field-group_role').selectOption('operator');
  await grant.locator('#field-grant-group').selectOption(mine);
  await grant.getByRole('button', { name: 'Grant' }).click();
  await expect(page.locator('.flash.flash-success')).toHaveText(`Role operator granted in ${mine}.`);
  await expect(page.locator('#group-roles')).toContainText(`operator in ${mine}`);
  await logout(page);

  await login(page, user, PASSWORD);
  await page.goto('/hosts');
  await expect(page.locator('#hosts-table')).toContainText(`${mine}-host`);
  await expect(page.locator('#hosts-table')).not.toContainText(`${theirs}-host`);
  await expect(page.locator('#hosts-table tbody tr')).toHaveCount(1);
  await page.goto(`/hosts/${theirHost}`);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.locator('main.content')).not.toContainText(`${theirs}-host`);
  // the group picker offers only their group
  await page.goto('/hosts/new');
  await expect(page.locator('#field-group option')).toHaveText([mine]);
});

test('deleting a host asks first, names it and what goes with it', async ({ page }, testInfo) => {
  const host = uniqueName(testInfo, 'doomed');
  await loginAsAdmin(page);
  const id = await addHost(page, host, '');
  await post(page, '/jails', { host_id: String(id), name: 'web01', manager: 'ezjail' });
  await page.goto(`/hosts/${id}`);
  await page.getByRole('link', { name: 'Delete…' }).click();
  const confirm = page.locator('.confirm');
  await expect(confirm.getByRole('heading')).toHaveText(`Delete host ${host}?`);
  await expect(confirm).toContainText('1 jail(s) and 0 service(s)');
  await confirm.getByRole('link', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(new RegExp(`/hosts/${id}$`));
  await expect(page.locator('.confirm')).toHaveCount(0);

  await page.getByRole('link', { name: 'Delete…' }).click();
  await page.locator('.confirm').getByRole('button', { name: 'Delete host' }).click();
  await expect(page).toHaveURL(/\/hosts$/);
  await expect(page.locator('.flash.flash-success')).toHaveText(`Host ${host} deleted from the inventory.`);
  await page.goto(`/hosts?q=${host}`);
  await expect(page.locator('#hosts-table tbody tr')).toHaveCount(0);
});

test('a viewer sees the inventory without the buttons that change it', async ({ page }, testInfo) => {
  const viewer = uniqueName(testInfo, 'inv-viewer');
  const host = uniqueName(testInfo, 'seen');
  await ensureUser(viewer, 'viewer');
  await loginAsAdmin(page);
  const id = await addHost(page, host, '');
  await logout(page);
  await login(page, viewer, PASSWORD);
  await page.goto('/hosts');
  await expect(page.getByRole('link', { name: 'Add a host' })).toHaveCount(0);
  await page.goto(`/hosts/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Host ${host}`);
  await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Delete…' })).toHaveCount(0);
  const res = await page.request.post(`/hosts/${id}/delete`, { maxRedirects: 0 });
  expect(res.status()).toBe(403);
});

test('several jails are deleted at once after a confirmation that names each', async ({ page }, testInfo) => {
  const host = uniqueName(testInfo, 'bulk');
  await loginAsAdmin(page);
  const id = await addHost(page, host, '');
  for (const name of ['b1', 'b2', 'b3']) await post(page, '/jails', { host_id: String(id), name, manager: 'ezjail' });
  await page.goto(`/jails?host=${host}`);
  await page.getByRole('checkbox', { name: `Select ${host}/b1` }).check();
  await page.getByRole('checkbox', { name: `Select ${host}/b3` }).check();
  await page.getByRole('button', { name: 'Delete selected jails…' }).click();
  await expect(page).toHaveURL(/\/jails\/delete\?id=\d+&id=\d+$/);
  await expect(page.locator('#confirm-title')).toHaveText('Delete these 2 jails?');
  await expect(page.locator('#bulk-items li')).toHaveText([`${host}/b1`, `${host}/b3`]);
  await page.getByRole('button', { name: 'Delete 2 jails' }).click();
  await expect(page).toHaveURL(/\/jails$/);
  await expect(page.locator('.flash.flash-success')).toHaveText(`Deleted 2 jails from the inventory: ${host}/b1, ${host}/b3.`);
  await page.goto(`/jails?host=${host}`);
  await expect(page.locator('#jails-table tbody tr')).toHaveCount(1);
  await expect(page.locator('#jails-table tbody')).toContainText('b2');
});
