// Actions in the browser, through real SSH to a fake FreeBSD host in a network namespace
// (.ci/lib/test-hosts.sh, host 4, running the FreeBSD simulator): a Bastille jail "shop"
// with nginx is discovered and adopted by the admin (over HTTP, before the tests); an
// operator then restarts nginx in it from the service page — plan first, then the job's
// live output — and a viewer sees no action buttons and is refused when calling the
// server function or posting the form directly.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, request, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, BASE_URL, REPO_ROOT } from '../e2e-env';
import { PASSWORD, ensureUser, login, loginAsAdmin, uniqueName } from './helpers';

const HOSTS_DIR = '/tmp/warden-e2e-hosts';
const SCRIPT = path.join(REPO_ROOT, '.ci', 'lib', 'test-hosts.sh');
const SIM_BIN = path.join(REPO_ROOT, 'server', 'backend', 'tests', 'sim', 'bin');
const HOST = 4;
const STATE = path.join(HOSTS_DIR, `h${HOST}`, 'sim');
/** A jail name a hostile host could report (no `/`: the simulator keeps jails in directories). */
const EVIL = '<img src=x onerror=window.pwned=1>';

/** Runs a simulator tool on host 4's state, as the host's admin would have. */
function sim(tool: string, ...args: string[]): void {
  execFileSync(path.join(SIM_BIN, tool), args, { env: { ...process.env, WARDEN_SIM_STATE: STATE }, stdio: 'pipe' });
}

async function serverFn(api: APIRequestContext, endpoint: string, data: object): Promise<any> {
  const res = await api.post(`/api/${endpoint}`, { data });
  expect(res.ok(), `${endpoint}: HTTP ${res.status()}`).toBeTruthy();
  return res.json();
}

async function waitForJob(api: APIRequestContext, id: number): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const job = (await serverFn(api, 'job', { id })).Ok;
    if (!['queued', 'running'].includes(job.job.state)) return job;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`job ${id} did not finish`);
}

/** Waits on a job page until the job is `state` (reloading when there is no JavaScript). */
async function jobEnds(page: Page, js: boolean, state: string): Promise<void> {
  const shown = page.locator('h1 [data-state]');
  if (js) {
    await expect(shown).toHaveText(state, { timeout: 30_000 });
  } else {
    await expect(async () => {
      await page.reload();
      await expect(shown).toHaveText(state, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  }
}

/** The ids the tests act on, made once per project. */
let ids: { host: number; jail: number; service: number; hostName: string };

test.beforeAll(async ({}, testInfo) => {
  const api = await request.newContext({ baseURL: BASE_URL });
  const login = await api.post('/login', { form: { username: ADMIN.username, password: ADMIN.password, next: '' } });
  expect(login.ok()).toBeTruthy();
  const key = (await serverFn(api, 'warden_key', {})).Ok.public_key as string;
  fs.mkdirSync(HOSTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(HOSTS_DIR, 'authorized_keys'), `${key}\n`);
  execFileSync(SCRIPT, ['up', String(HOST), HOSTS_DIR, path.join(HOSTS_DIR, 'authorized_keys')], { stdio: 'pipe' });

  // The host as its admin left it: Bastille, a jail "shop" running nginx.
  for (const sub of ['jails', 'bastille', 'ezjail', 'etc', 'run']) fs.rmSync(path.join(STATE, sub), { recursive: true, force: true });
  for (const f of ['broken-jails', 'pkgs']) fs.rmSync(path.join(STATE, f), { recursive: true, force: true });
  fs.writeFileSync(path.join(STATE, 'managers'), 'bastille\n');
  fs.writeFileSync(path.join(STATE, 'services'), '/etc/rc.d/sshd\n');
  fs.writeFileSync(path.join(STATE, 'rc.conf'), 'sshd_enable="YES"\n');
  sim('bastille', 'create', 'shop', '14.3-RELEASE', '10.1.4.2');
  sim('pkg', '-j', 'shop', 'install', '-y', 'nginx');
  sim('sysrc', '-j', 'shop', 'nginx_enable=YES');
  sim('service', '-j', 'shop', 'nginx', 'start');
  // And a jail started by hand whose name is HTML.
  const evilDir = path.join(STATE, 'jails', EVIL);
  fs.mkdirSync(evilDir, { recursive: true });
  fs.writeFileSync(path.join(evilDir, 'running'), '9');
  fs.writeFileSync(path.join(evilDir, 'conf'), 'hostname=evil\npath=/j/evil\nipv4=10.1.4.9\nipv6=\n');

  // Into the inventory: add the host, approve its key, discover, adopt the jail.
  const hostName = uniqueName(testInfo, 'act-host');
  const created = await api.post('/hosts', { form: { name: hostName, address: `10.78.0.${HOST + 2}` } });
  const host = Number(new URL(created.url()).pathname.split('/').pop());
  expect(host).toBeGreaterThan(0);
  await api.post(`/hosts/${host}/host-key/fetch`);
  const offered = (await serverFn(api, 'host_key', { host_id: host })).Ok.offered.fingerprint as string;
  await api.post(`/hosts/${host}/host-key/approve`, { form: { fingerprint: offered } });
  const started = await api.post('/jobs', { form: { id: String(host), kind: 'discover' }, maxRedirects: 0 });
  const job = Number(started.headers()['location'].split('/').pop());
  const done = await waitForJob(api, job);
  expect(done.job.state, JSON.stringify(done)).toBe('succeeded');
  const detail = (await serverFn(api, 'host', { id: host })).Ok;
  const jail = detail.jails.find((j: any) => j.name === 'shop');
  expect(jail, JSON.stringify(detail.jails)).toBeTruthy();
  expect(jail.managed).toBe(false);
  await api.post(`/jails/${jail.id}/adopt`);
  const jailDetail = (await serverFn(api, 'jail', { id: jail.id })).Ok;
  expect(jailDetail.jail.managed).toBe(true);
  const service = jailDetail.services.find((s: any) => s.name === 'nginx');
  expect(service, JSON.stringify(jailDetail.services)).toBeTruthy();
  ids = { host, jail: jail.id, service: service.id, hostName };
  await api.dispose();
});

test('an operator restarts a service in a jail and watches the output', async ({ page }, testInfo) => {
  const js = testInfo.project.name === 'js';
  const operator = uniqueName(testInfo, 'act-op');
  await ensureUser(operator, 'operator');
  await login(page, operator, PASSWORD);

  await page.goto(`/services/${ids.service}`);
  await page.locator('#service-actions').getByRole('link', { name: 'Restart' }).click();
  await expect(page).toHaveURL(/\/actions\/new\?/);
  // The plan before anything runs: target, host, user, exact commands, the check.
  const plan = page.locator('#action-plan');
  await expect(plan.locator('h2')).toHaveText(`Restart service nginx in jail shop on ${ids.hostName}`);
  await expect(plan).toContainText(`Runs on host ${ids.hostName} as user root`);
  await expect(plan.locator('.plan-commands')).toHaveText('service -j shop nginx restart');
  await expect(plan.locator('.plan-checks')).toHaveText('service -j shop nginx onestatus');
  await page.screenshot({ path: testInfo.outputPath('plan.png'), fullPage: true });

  await page.getByRole('button', { name: /^Run: Restart service nginx/ }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.locator('h1')).toContainText('Restart service nginx in jail shop');
  await jobEnds(page, js, 'Succeeded');
  const log = page.locator('#job-log');
  await expect(log).toContainText('$ service -j shop nginx restart');
  await expect(log).toContainText('Starting nginx.');
  await expect(log).toContainText('confirmed: nginx is running in jail shop');
  await expect(page.locator('#job-plan')).toContainText('service -j shop nginx restart');
  await page.screenshot({ path: testInfo.outputPath('job.png'), fullPage: true });

  // The way back to the service, whose page shows the result.
  await page.locator('#job-subject').click();
  await expect(page).toHaveURL(new RegExp(`/services/${ids.service}$`));
  await expect(page.locator('dl')).toContainText('running');
});

test('a viewer sees no action buttons and is refused a direct call', async ({ page }, testInfo) => {
  const viewer = uniqueName(testInfo, 'act-viewer');
  await ensureUser(viewer, 'viewer');
  await login(page, viewer, PASSWORD);

  await page.goto(`/services/${ids.service}`);
  await expect(page.locator('#service-actions')).toContainText('Your role can read this service but not');
  await expect(page.locator('#service-actions').getByRole('link')).toHaveCount(0);
  await expect(page.locator('#service-actions').getByRole('button')).toHaveCount(0);
  await page.goto(`/jails/${ids.jail}`);
  await expect(page.locator('#jail-actions')).toContainText('Your role can read this jail but not');
  await expect(page.locator('#jail-actions').getByRole('link')).toHaveCount(0);
  await expect(page.locator('#jail-actions').getByRole('button')).toHaveCount(0);

  // Straight to the server function and the form post: refused.
  const form = { target: 'service', id: ids.service, op: 'restart' };
  const res = await page.request.post('/api/action_plan', { data: { form } });
  expect(await res.json()).toEqual({ Err: 'Forbidden' });
  const run = await page.request.post('/actions', {
    form: { target: 'service', id: String(ids.service), op: 'restart' },
    maxRedirects: 0,
  });
  expect(run.status()).toBe(403);
  // The plan page says so instead of showing a Run button.
  await page.goto(`/actions/new?target=service&id=${ids.service}&op=restart`);
  await expect(page.locator('#action-refused')).toContainText('not allowed');
  await expect(page.getByRole('button', { name: /^Run:/ })).toHaveCount(0);
});

test('a jail name that is HTML is shown as text and never used in a command', async ({ page }) => {
  await loginAsAdmin(page);
  await page.goto(`/hosts/${ids.host}`);
  const jails = page.locator('.jails-table');
  await expect(jails).toContainText(EVIL);
  await expect(jails.locator('img')).toHaveCount(0);
  await expect(page.locator('#host-drift')).toContainText(EVIL);
  await jails.getByRole('link', { name: EVIL }).click();
  await expect(page.locator('h1')).toHaveText(`Jail ${EVIL}`);
  await page.locator('#jail-actions').getByRole('button', { name: 'Adopt this jail' }).click();
  await expect(page.locator('.flash.flash-success')).toContainText('Jail adopted');
  await expect(page.locator('#actions-off')).toContainText('never puts into a command');
  await expect(page.locator('#jail-actions').getByRole('button', { name: 'Restart' })).toBeDisabled();
  expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
});

test('a jail is created from its host page and destroyed only when its name is typed', async ({ page }, testInfo) => {
  const js = testInfo.project.name === 'js';
  // One jail per project: both may run against host 4.
  const name = js ? 'tmpjs' : 'tmpnojs';
  const address = js ? '10.1.4.20' : '10.1.4.21';
  await loginAsAdmin(page);
  await page.goto(`/hosts/${ids.host}`);
  await page.getByRole('link', { name: 'Create a jail…' }).click();
  await page.getByLabel('Jail manager').selectOption('bastille');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Address').fill(address);
  await page.getByLabel(/^Release/).fill('14.3-RELEASE');
  await page.getByRole('button', { name: 'Show the plan' }).click();
  const plan = page.locator('#action-plan');
  await expect(plan.locator('h2')).toHaveText(`Create jail ${name} on ${ids.hostName}`);
  await expect(plan.locator('.plan-commands')).toContainText(`bastille create ${name} 14.3-RELEASE ${address}`);
  await page.getByRole('button', { name: /^Run: Create jail/ }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await jobEnds(page, js, 'Succeeded');
  await expect(page.locator('#job-log')).toContainText(`confirmed: Jail ${name} is running`);

  // The new jail is on its host's page; its Destroy shows the plan and asks for the name.
  await page.locator('#job-subject').click();
  await page.locator('.jails-table').getByRole('link', { name, exact: true }).click();
  await expect(page.locator('h1')).toHaveText(`Jail ${name}`);
  await page.locator('#jail-actions').getByRole('link', { name: 'Destroy…' }).click();
  await expect(plan.locator('h2')).toHaveText(`Destroy jail ${name} on ${ids.hostName}`);
  await expect(plan.locator('.plan-commands')).toContainText(`bastille destroy -y ${name}`);
  await expect(plan.locator('.plan-changes')).toContainText(name);
  const confirm = page.getByLabel("Type the jail's name to confirm");
  await confirm.fill('shop');
  await page.getByRole('button', { name: /^Run: Destroy jail/ }).click();
  // Refused on the field, the plan still shown (the back end queues nothing: ssh_jobs/freebsd.rs).
  await expect(page).toHaveURL(/\/actions\/new\?/);
  await expect(page.locator('.field-error')).toContainText(`Type the jail's name, ${name}, to confirm.`);
  await page.getByLabel("Type the jail's name to confirm").fill(name);
  await page.getByRole('button', { name: /^Run: Destroy jail/ }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await jobEnds(page, js, 'Succeeded');
  await expect(page.locator('#job-log')).toContainText(`confirmed: Bastille no longer lists jail ${name}`);
  await page.locator('#job-subject').click();
  await expect(page.locator('.jails-table')).not.toContainText(name);
  await expect(page.locator('.jails-table')).toContainText('shop');
});
