// Run by test/runtimes/deno.test.ts: `deno run test/runtimes/deno-smoke.ts <dvidUrl> [adminToken]`.
// Loads the BUILT package (dist/, through test/runtimes/deno-import-map.json) and runs the seed
// quickstart; prints its lines and then `deno-smoke: OK`.
import { DvidClient } from 'dvid-ts';
import { quickstart } from '../../examples/quickstart.ts';

const [url, adminToken] = Deno.args;
await quickstart(new DvidClient(url, { adminToken: adminToken || undefined, app: 'dvid-ts-deno-smoke' }));
console.log(`deno-smoke: OK (Deno ${Deno.version.deno})`);
