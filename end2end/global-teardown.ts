// Global teardown: stop the server the global setup started and remove its data dir
// (kept when WARDEN_E2E_KEEP_DATA=1).
import { stopServer } from './server-control';

export default async function globalTeardown(): Promise<void> {
  await stopServer({ keepData: process.env.WARDEN_E2E_KEEP_DATA === '1' });
}
