// Global setup: a fresh data dir, an admin account, then `warden serve` on 127.0.0.1:18080.
// The global teardown (global-teardown.ts) stops the server again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import {
  ADMIN, BASE_URL, CHROMIUM, LISTEN, REPO_ROOT, RESULTS_DIR, SERVER_LOG, SITE_ROOT, STATE_FILE, WARDEN_BIN,
} from './e2e-env';
import { stopServer, type ServerState } from './server-control';

const HEALTH_TIMEOUT_MS = 30_000;

/** Environment for every warden command of the test run. */
function wardenEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The tests use their own database: SQLite in the fresh data dir, unless
  // WARDEN_E2E_DATABASE_URL asks for another one (e.g. the test PostgreSQL).
  delete env.WARDEN_DATABASE_URL;
  if (process.env.WARDEN_E2E_DATABASE_URL) env.WARDEN_DATABASE_URL = process.env.WARDEN_E2E_DATABASE_URL;
  return {
    ...env,
    WARDEN_DATA_DIR: dataDir,
    WARDEN_LISTEN: LISTEN,
    // what cargo-leptos would set; Leptos reads them at run time
    LEPTOS_SITE_ROOT: SITE_ROOT,
    LEPTOS_SITE_PKG_DIR: 'pkg',
    LEPTOS_OUTPUT_NAME: 'warden',
    LEPTOS_SITE_ADDR: LISTEN,
    RUST_LOG: process.env.RUST_LOG ?? 'info',
    RUST_BACKTRACE: '1',
  };
}

async function healthy(timeoutMs = 1_000): Promise<boolean> {
  try {
    const res = await fetch(`${BASE_URL}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.status === 200;
  } catch {
    return false;
  }
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function need(file: string, hint: string): void {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: ${hint}`);
}

export default async function globalSetup(_config: FullConfig): Promise<void> {
  need(WARDEN_BIN, 'build it first (make build)');
  need(path.join(SITE_ROOT, 'pkg', 'warden.js'), 'build the browser bundle first (make build)');
  need(path.join(SITE_ROOT, 'pkg', 'warden_bg.wasm'), 'build the browser bundle first (make build)');
  need(CHROMIUM, 'install Debian\'s chromium (make test-setup)');

  // A server left over by an interrupted run would answer in place of ours.
  await stopServer();
  if (await healthy()) {
    throw new Error(`something already answers on ${BASE_URL}/healthz; stop it (port ${LISTEN}) and rerun`);
  }

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-e2e-'));
  const env = wardenEnv(dataDir);
  const log = fs.openSync(SERVER_LOG, 'w');
  const note = (s: string) => fs.writeSync(log, `# ${s}\n`);
  note(`data dir ${dataDir}; site root ${SITE_ROOT}; listen ${LISTEN}`);

  // 1. the admin account (the password on stdin, as a user would pipe it)
  note(`${WARDEN_BIN} user add --username ${ADMIN.username} --role admin --password-stdin`);
  const add = spawnSync(
    WARDEN_BIN,
    ['user', 'add', '--username', ADMIN.username, '--role', 'admin', '--password-stdin'],
    { cwd: REPO_ROOT, env, input: `${ADMIN.password}\n`, stdio: ['pipe', log, log], timeout: 60_000 },
  );
  if (add.error || add.status !== 0) {
    fs.closeSync(log);
    throw new Error(
      `warden user add failed (${add.error?.message ?? `exit ${add.status}, signal ${add.signal}`}); ` +
        `log ${SERVER_LOG}:\n${tail(SERVER_LOG)}`,
    );
  }

  // 2. the server, its output into test-results/server.log
  note(`${WARDEN_BIN} serve`);
  const child: ChildProcess = spawn(WARDEN_BIN, ['serve'], { cwd: REPO_ROOT, env, stdio: ['ignore', log, log] });
  fs.closeSync(log); // the child holds its own copy
  const state: ServerState = { pid: child.pid ?? -1, dataDir };
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));
  (globalThis as { __wardenServer?: ChildProcess }).__wardenServer = child;

  const status: { exited: string | null } = { exited: null };
  child.on('exit', (code, signal) => { status.exited = `exit code ${code}, signal ${signal}`; });
  child.on('error', (err) => { status.exited = `spawn error: ${err.message}`; });

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (!(await healthy())) {
    if (status.exited !== null || Date.now() > deadline) {
      const why = status.exited ?? `no 200 from ${BASE_URL}/healthz within ${HEALTH_TIMEOUT_MS / 1000} s`;
      await stopServer();
      throw new Error(`warden serve did not come up (${why}); log ${SERVER_LOG}:\n${tail(SERVER_LOG)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  // for the tests (workers inherit the environment of the global setup)
  process.env.WARDEN_E2E_DATA_DIR = dataDir;
  process.env.WARDEN_E2E_SERVER_LOG = SERVER_LOG;
  process.env.WARDEN_E2E_ADMIN_USER = ADMIN.username;
  process.env.WARDEN_E2E_ADMIN_PASSWORD = ADMIN.password;
}
