/**
 * `npm run bench`: every benchmark, one after the other, outside the timed test suite.
 * Each bench/<name>.ts also runs alone: `npx tsx bench/<name>.ts`. Benchmarks that need a real
 * DVID start a throwaway one with the test harness (Go required).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const benches = ['codecs', 'labelmap', 'images'].filter((b) => only.length === 0 || only.includes(b));
let failed = 0;
for (const name of benches) {
  const file = `${here}${name}.ts`;
  if (!existsSync(file)) continue;
  console.log(`\n=== bench/${name}.ts ===`);
  const { status } = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
