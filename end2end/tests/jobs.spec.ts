// SSH trust and jobs in the browser, against a real sshd: two fake FreeBSD hosts in
// network namespaces (.ci/lib/test-hosts.sh). The admin fetches a host's key, compares it
// with the host's own (ssh-keygen -lf), approves it, then checks the connection from the
// hosts list's selection and follows the job to its end: live over Server-Sent Events with
// JavaScript (no reload), by reloading without.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, request, test, type Page } from '@playwright/test';
import { ADMIN, BASE_URL, REPO_ROOT } from '../e2e-env';
import { loginAsAdmin, uniqueName } from './helpers';

const HOSTS_DIR = '/tmp/warden-e2e-hosts';
const SCRIPT = path.join(REPO_ROOT, '.ci', 'lib', 'test-hosts.sh');

/** Brings up three hosts that accept Warden's key (read from the running server). */
test.beforeAll(async () => {
  const api = await request.newContext({ baseURL: BASE_URL });
  const login = await api.post('/login', {
    form: { username: ADMIN.username, password: ADMIN.password, next: '' },
    maxRedirects: 0,
  });
  expect(login.status()).toBe(303);
  const res = await api.post('/api/warden_key', { data: {} });
  const key = (await res.json()).Ok.public_key as string;
  expect(key).toMatch(/^ssh-ed25519 /);
  fs.mkdirSync(HOSTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(HOSTS_DIR, 'authorized_keys'), `${key}\n`);
  execFileSync(SCRIPT, ['up', '3', HOSTS_DIR, path.join(HOSTS_DIR, 'authorized_keys')], { stdio: 'pipe' });
  await api.dispose();
});

/** The fingerprint the host itself reports for its key. */
function hostFingerprint(n: number): string {
  const out = execFileSync('ssh-keygen', ['-lf', path.join(HOSTS_DIR, `h${n}`, 'ssh_host_ed25519_key.pub')]);
  return out.toString().split(' ')[1];
}

async function addHost(page: Page, name: string, address: string): Promise<string> {
  await page.goto('/hosts/new');
  await page.locator('#field-name').fill(name);
  await page.locator('#field-address').fill(address);
  await page.getByRole('button', { name: /add host|save/i }).click();
  await expect(page).toHaveURL(/\/hosts\/\d+$/);
  return new URL(page.url()).pathname;
}

test('the admin approves a host key and checks the connection from the hosts list', async ({ page }, testInfo) => {
  const js = testInfo.project.name === 'js';
  const n = js ? 1 : 2;
  const name = uniqueName(testInfo, 'ssh-host');
  await loginAsAdmin(page);
  const hostPath = await addHost(page, name, `10.78.0.${n + 2}`);

  // No trust yet: Warden refuses to connect.
  await expect(page.locator('#no-host-key')).toBeVisible();
  await expect(page.locator('#host-jobs')).toContainText('Approve the host key first');

  // Fetch: the offered fingerprint is the host's own.
  await page.getByRole('button', { name: 'Fetch host key' }).click();
  await expect(page).toHaveURL(new RegExp(`${hostPath}$`));
  const fingerprint = hostFingerprint(n);
  await expect(page.locator('.flash.flash-success')).toContainText(fingerprint);
  await expect(page.locator('#offered-fingerprint')).toHaveText(fingerprint);

  await page.getByRole('button', { name: 'Approve this key' }).click();
  await expect(page.locator('.flash.flash-success')).toContainText(`Host key ${fingerprint} approved`);
  await expect(page.locator('#pinned-fingerprint')).toHaveText(fingerprint);
  await page.screenshot({ path: testInfo.outputPath('host-page.png'), fullPage: true });

  // Select the host in the list and check its connection.
  await page.goto(`/hosts?q=${name}`);
  await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  await page.getByRole('button', { name: 'Check connection' }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.locator('.flash.flash-success')).toContainText('Check connection on 1 host');
  const jobPath = new URL(page.url()).pathname;

  const state = page.locator('h1 [data-state]');
  if (js) {
    // Live: the badge, the host table and the log update without a reload.
    await expect(state).toHaveText('Succeeded', { timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe(jobPath);
  } else {
    await expect(async () => {
      await page.reload();
      await expect(state).toHaveText('Succeeded', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  }
  await expect(page.locator('#job-hosts')).toContainText('Logged in as root');
  await expect(page.locator('#job-hosts')).toContainText(fingerprint);
  await expect(page.locator('#job-log')).toContainText(`FreeBSD host${n} 14.3-RELEASE-p2`);
  await expect(page.locator('#job-log')).toContainText('$ uname -a');
  await page.screenshot({ path: testInfo.outputPath('job-page.png'), fullPage: true });

  // The whole log downloads as text.
  const log = await page.request.get(`${jobPath}/log.txt`);
  expect(log.status()).toBe(200);
  expect(await log.text()).toContain(`${name} out| root`);

  // The jobs list shows it.
  await page.goto('/jobs?state=succeeded');
  await expect(page.locator('#jobs-table')).toContainText(`#${jobPath.split('/').pop()}`);
});

test('a job cannot start on a host whose key is not approved', async ({ page }, testInfo) => {
  const name = uniqueName(testInfo, 'untrusted');
  await loginAsAdmin(page);
  const hostPath = await addHost(page, name, '10.78.0.3');
  const id = hostPath.split('/').pop() ?? '';
  const res = await page.request.post('/jobs', { form: { id, kind: 'check_connection' }, maxRedirects: 0 });
  expect(res.status()).toBe(303);
  await page.goto(res.headers()['location']);
  const state = page.locator('h1 [data-state]');
  await expect(async () => {
    await page.reload();
    await expect(state).toHaveText('Failed', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.locator('#job-hosts')).toContainText('Host key not approved');
});

test('a running job streams its output live and ends without a reload', async ({ page }, testInfo) => {
  test.skip(!testInfo.project.use.javaScriptEnabled, 'the live stream needs JavaScript');
  const name = uniqueName(testInfo, 'flaky-host');
  await loginAsAdmin(page);
  const hostPath = await addHost(page, name, '10.78.0.5');
  await page.getByRole('button', { name: 'Fetch host key' }).click();
  await page.getByRole('button', { name: 'Approve this key' }).click();
  await expect(page.locator('#pinned-fingerprint')).toHaveText(hostFingerprint(3));
  // sshd stops: the job retries with backoff for several seconds, then fails.
  execFileSync(SCRIPT, ['kill', '3', HOSTS_DIR]);
  try {
    await page.goto(hostPath);
    await page.getByRole('button', { name: 'Check connection' }).click();
    await expect(page).toHaveURL(/\/jobs\/\d+$/);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    const state = page.locator('h1 [data-state]');
    await expect(state).toHaveText(/Queued|Running/);
    await expect(page.locator('#job-log')).toContainText('retrying in', { timeout: 10_000 });
    await expect(state).toHaveText('Failed', { timeout: 30_000 });
    await expect(page.locator('#job-hosts')).toContainText('Connection refused (gave up after 4 attempts)');
    // The count follows the streamed lines too.
    const shown = await page.locator('#job-log .log-line').count();
    await expect(page.locator('.log-window')).toContainText(`${shown} lines in all`);
    expect(navigations, 'the page was reloaded').toBe(0);
  } finally {
    execFileSync(SCRIPT, ['start', '3', HOSTS_DIR]);
  }
});
