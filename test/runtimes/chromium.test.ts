import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockDvid } from '../../mocks/index.js';
import { providedServer } from '../support/context.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags for this machine (env skill notes): no sandbox as root, no background networking.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const required = process.env.CI === 'true' || process.env.CHROMIUM_REQUIRED === '1';
const available = existsSync(CHROMIUM);
if (!available && !required) console.log(`chromium smoke test skipped: ${CHROMIUM} not found (run scripts/install-system-deps.sh)`);

/** Bundles the smoke entry with `dvid-ts` resolved to the built dist/. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(root, 'test/runtimes/browser-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    plugins: [
      {
        // `dvid-ts` is the built package; the quickstart's Node-only runner imports the mock
        // lazily, and the page never runs it.
        name: 'dvid-ts-dist',
        setup(b) {
          b.onResolve({ filter: /^dvid-ts$/ }, () => ({ path: join(root, 'dist/index.js') }));
          b.onResolve({ filter: /^dvid-ts\/mock$/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
    // Resolve '#body-get' through package.json "imports" with browser conditions, as a user's
    // bundler would, not through the repo's tsconfig paths.
    tsconfigRaw: '{}',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Serves the page and the bundle on 127.0.0.1 at the port whose origin DVID allows. */
function servePage(js: string, port: number): Promise<Server> {
  const html = '<!doctype html><meta charset="utf-8"><title>dvid-ts smoke</title><script type="module" src="/bundle.js"></script>';
  const server = createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(js);
    } else if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe.skipIf(!available && !required)('headless Chromium runs the built package', () => {
  const port = Number(process.env.DVID_TS_PAGE_PORT ?? 0);
  let page: Page;
  let browser: Browser;
  let pageServer: Server;
  let origin: string;
  let mock: Awaited<ReturnType<typeof startMockDvid>>;

  beforeAll(async () => {
    expect(existsSync(join(root, 'dist/index.js')), 'dist/ is built by `npm test` before vitest runs').toBe(true);
    pageServer = await servePage(await bundle(), port);
    const address = pageServer.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
    mock = await startMockDvid({ corsOrigins: [origin] });
    // Playwright gives every launch a fresh, empty profile directory of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => typeof window.runQuickstart === 'function');
  });

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    await new Promise((r) => (pageServer ? pageServer.close(r) : r(undefined)));
  });

  it('the seed quickstart passes cross-origin against the mock DVID', async () => {
    const lines = await page.evaluate((url) => window.runQuickstart(url), mock.url);
    expect(lines).toContain('read back [4,100,100,100] by selection and by read(): all ones');
  });

  const dvid = providedServer();
  it.skipIf(!dvid.url)('the seed quickstart passes cross-origin against the real DVID (corsDomains)', async () => {
    expect(origin, 'the real DVID allows exactly this origin').toBe(process.env.DVID_CORS_ORIGIN);
    const lines = await page.evaluate(([url, token]) => window.runQuickstart(url, token), [dvid.url, dvid.adminToken] as const);
    expect(lines).toContain('read back [4,100,100,100] by selection and by read(): all ones');
  });
});
