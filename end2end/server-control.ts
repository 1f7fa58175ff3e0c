// Stopping the test server: used by the global teardown, and by the global setup to
// clear a server left by an interrupted run (found through STATE_FILE).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { STATE_FILE } from './e2e-env';

export interface ServerState {
  pid: number;
  dataDir: string;
}

function alive(pid: number): boolean {
  try {
    // a zombie (exited, not yet reaped) counts as gone
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function isWarden(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].endsWith('warden');
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

export async function stopServer(opts: { keepData?: boolean } = {}): Promise<void> {
  let state: ServerState | undefined;
  try {
    state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as ServerState;
  } catch {
    state = undefined;
  }
  const g = globalThis as { __wardenServer?: ChildProcess };
  const child = g.__wardenServer;
  const pid = child?.pid ?? state?.pid;
  if (pid && pid > 0 && alive(pid) && (child || isWarden(pid))) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    if (!(await waitGone(pid, 10_000))) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      await waitGone(pid, 5_000);
    }
  }
  g.__wardenServer = undefined;
  if (state?.dataDir && !opts.keepData && state.dataDir.includes('warden-e2e-')) {
    fs.rmSync(state.dataDir, { recursive: true, force: true });
  }
  fs.rmSync(STATE_FILE, { force: true });
}
