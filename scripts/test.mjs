#!/usr/bin/env node
// `npm test`: build the package, then run every vitest project (unit, contract-mock,
// contract-dvid, runtimes) and print one closing line `tests: N passed, N failed, N skipped`.
// Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, env = process.env) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

if (run('npm', ['run', '--silent', 'build']) !== 0) {
  console.error('tests: build failed');
  process.exit(1);
}

// The browser test page is served on a port chosen here, so the real DVID can be started with
// that origin in corsDomains before the page exists.
const port = await new Promise((resolve, reject) => {
  const srv = createServer();
  srv.once('error', reject);
  srv.listen(0, '127.0.0.1', () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});
const env = {
  ...process.env,
  DVID_TS_PAGE_PORT: process.env.DVID_TS_PAGE_PORT ?? String(port),
  DVID_CORS_ORIGIN: process.env.DVID_CORS_ORIGIN ?? `http://127.0.0.1:${port}`,
};

mkdirSync(join(root, '.cache'), { recursive: true });
const report = join(root, '.cache', 'vitest-report.json');
const status = run(
  join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  env,
);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that failed without a failing test (setup or import error) counts as one failure.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  const failed = (r.numFailedTests ?? 0) + brokenFiles + (status !== 0 && !r.numFailedTests && !brokenFiles ? 1 : 0);
  console.log(`tests: ${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
}
process.exit(status);
