// Shared settings of the browser tests: the Playwright config, the global setup and
// teardown, and the tests themselves (`import { ADMIN } from '../e2e-env'`) read them.
import os from 'node:os';
import path from 'node:path';

/** Repository root (end2end/..). */
export const REPO_ROOT = path.resolve(__dirname, '..');
/** Port of the Warden server the tests talk to (WARDEN_E2E_PORT overrides). */
export const PORT = Number(process.env.WARDEN_E2E_PORT ?? 18080);
export const LISTEN = `127.0.0.1:${PORT}`;
export const BASE_URL = `http://${LISTEN}`;
/** The server binary (`make build` makes it; WARDEN_E2E_BIN overrides, e.g. a release build). */
export const WARDEN_BIN = process.env.WARDEN_E2E_BIN ?? path.join(REPO_ROOT, 'target', 'debug', 'warden');
/** What `make build` writes: pkg/warden.js, pkg/warden_bg.wasm, pkg/warden.css, public/ files. */
export const SITE_ROOT = process.env.WARDEN_E2E_SITE_ROOT ?? path.join(REPO_ROOT, 'target', 'site');
/** The account the global setup creates before the server starts. */
export const ADMIN = { username: 'admin', password: 'correct horse battery' } as const;
/** Debian's Chromium (never a Playwright-downloaded browser). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
export const RESULTS_DIR = path.join(__dirname, 'test-results');
/** The server's stdout + stderr. */
export const SERVER_LOG = path.join(RESULTS_DIR, 'server.log');
/** pid + data dir of the running test server (outside test-results, which Playwright wipes). */
export const STATE_FILE = path.join(os.tmpdir(), `warden-e2e-${PORT}.json`);
