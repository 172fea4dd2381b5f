/**
 * vitest globalSetup for the real-DVID suite: installs DVID if needed, starts one throwaway
 * server for the whole run and provides its URL and admin token to the tests:
 *
 *   import { inject } from 'vitest';
 *   const url = inject('dvidUrl');            // '' when the suite is skipped
 *   describe.skipIf(!url)('real DVID', () => { ... });
 *
 * Env: DVID_REQUIRED=1 turns "Go missing" into a hard error; DVID_CORS_ORIGIN=<origin>[,<origin>]
 * sets [server] corsDomains (browser tests); DVID_VERSION / DVID_BIN select the binary.
 */
import type { TestProject } from 'vitest/node';
import { DvidToolchainMissingError, startDvid } from './dvid-server';

import './context.js';

export default async function setupDvid({ provide }: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  const corsDomains = (process.env.DVID_CORS_ORIGIN ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    const dvid = await startDvid({ corsDomains });
    provide('dvidUrl', dvid.url);
    provide('dvidAdminToken', dvid.adminToken);
    provide('dvidKind', 'dvid');
    return () => dvid.stop();
  } catch (e) {
    if (e instanceof DvidToolchainMissingError && process.env.DVID_REQUIRED !== '1') {
      console.log(`real-DVID suite skipped: ${e.message}`);
      provide('dvidUrl', '');
      provide('dvidAdminToken', '');
      provide('dvidKind', 'dvid');
      return async () => {};
    }
    if (e instanceof DvidToolchainMissingError) {
      throw new Error(`DVID_REQUIRED=1 but DVID cannot be built: ${e.message}`);
    }
    throw e;
  }
}
