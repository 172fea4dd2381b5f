import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockDvid } from '../../mocks/index.js';
import { providedServer } from '../support/context.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const deno = `${root}node_modules/.bin/deno`;

/** Runs the smoke script in Deno against `url`; resolves with its exit code and output. */
function runDeno(url: string, adminToken = ''): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      deno,
      [
        'run',
        '--quiet',
        '--no-lock',
        `--import-map=${root}test/runtimes/deno-import-map.json`,
        '--allow-net=127.0.0.1,localhost',
        '--allow-env',
        '--allow-read',
        `${root}test/runtimes/deno-smoke.ts`,
        url,
        adminToken,
      ],
      { cwd: root, env: { ...process.env, NO_COLOR: '1' } },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('Deno 2 runs the built package', () => {
  let mock: Awaited<ReturnType<typeof startMockDvid>>;
  beforeAll(async () => {
    expect(existsSync(`${root}dist/index.js`), 'dist/ is built by `npm test` before vitest runs').toBe(true);
    mock = await startMockDvid();
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('the seed quickstart passes against the mock DVID', async () => {
    const { code, out } = await runDeno(mock.url);
    expect(out).toContain('read back [4,100,100,100] by selection and by read(): all ones');
    expect(out).toMatch(/deno-smoke: OK \(Deno 2\./);
    expect(code).toBe(0);
  });

  const dvid = providedServer();
  it.skipIf(!dvid.url)('the seed quickstart passes against the real DVID', async () => {
    const { code, out } = await runDeno(dvid.url, dvid.adminToken);
    expect(out).toContain('read back [4,100,100,100] by selection and by read(): all ones');
    expect(code).toBe(0);
  });
});
