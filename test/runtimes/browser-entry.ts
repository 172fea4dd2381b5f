// Bundled by test/runtimes/chromium.test.ts (esbuild, `dvid-ts` aliased to the BUILT dist/) and
// loaded into a page served on 127.0.0.1: exposes the seed quickstart to the test.
import { DvidClient } from 'dvid-ts';
import { quickstart } from '../../examples/quickstart.js';

declare global {
  interface Window {
    runQuickstart: (url: string, adminToken?: string) => Promise<string[]>;
  }
}

window.runQuickstart = (url, adminToken) =>
  quickstart(new DvidClient(url, { adminToken, app: 'dvid-ts-browser-smoke' }), () => undefined);
