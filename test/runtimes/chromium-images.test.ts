/**
 * Headless Chromium decodes DVID's images with the SDK's decoders and gets exactly the values
 * Node gets: 16-bit PNG slices (uint64 as 16-bit RGBA, uint16 as 16-bit gray), an 8-bit PNG slice
 * and a stored JPEG block, from the real DVID when one runs (bytes fetched in Node and handed to
 * the page, so no CORS is involved) and from the Go-written fixtures always.
 *
 * The decoders are bundled from the sources (esbuild, browser platform), so this test does not
 * depend on a fresh dist/.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DvidClient,
  Volume,
  VoxelsMetadata,
  decodeImage,
  decodeImageBlockPayload,
  readBlockStream,
  unpackDvidImage,
  type DvidImageDType,
  type JpegIdct,
} from '../../src/index.js';
import { providedServer } from '../support/context.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
if (!available && !required) console.log(`chromium image test skipped: ${CHROMIUM} not found (run scripts/install-system-deps.sh)`);

/** The page's entry: decode PNG/JPEG bytes exactly as Node does, return the values' bytes. */
const ENTRY = `
import { decodeImage, decodeImageBlockPayload, unpackDvidImage } from 'dvid-ts';
const hex = (a) => { const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength); let s = ''; for (const v of b) s += v.toString(16).padStart(2, '0'); return s; };
window.decodeSlice = (bytes, dtype, channels) => hex(unpackDvidImage(decodeImage(Uint8Array.from(bytes)), dtype, channels));
window.decodeJpegBlock = (bytes, blockSize, idct) => hex(decodeImageBlockPayload(Uint8Array.from(bytes), 'jpeg', { blockSize, bytesPerVoxel: 1, idct }));
window.userAgentInfo = () => navigator.userAgent;
`;

declare global {
  interface Window {
    decodeSlice: (bytes: number[], dtype: DvidImageDType, channels: 1 | 4) => string;
    decodeJpegBlock: (bytes: number[], blockSize: number[], idct: JpegIdct) => string;
    userAgentInfo: () => string;
  }
}

function hex(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

async function bundle(dir: string): Promise<string> {
  const entry = join(dir, 'entry.js');
  await import('node:fs/promises').then((fs) => fs.writeFile(entry, ENTRY));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    alias: { 'dvid-ts': join(root, 'src/index.ts'), '#body-get': join(root, 'src/transport/body-get-browser.ts') },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

function servePage(js: string): Promise<Server> {
  const html = '<!doctype html><meta charset="utf-8"><title>dvid-ts images</title><script type="module" src="/bundle.js"></script>';
  const server = createServer((req, res) => {
    if (req.url === '/bundle.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(js);
    else if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const fixture = (path: string) => new Uint8Array(readFileSync(join(root, 'test/fixtures', path)));

describe.skipIf(!available && !required)('headless Chromium decodes DVID images like Node', () => {
  let browser: Browser;
  let page: Page;
  let pageServer: Server;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dvid-ts-chromium-images-'));
    pageServer = await servePage(await bundle(dir));
    const address = pageServer.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => typeof window.decodeSlice === 'function');
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (pageServer ? pageServer.close(r) : r(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function inPage(bytes: Uint8Array, dtype: DvidImageDType, channels: 1 | 4): Promise<string> {
    return page.evaluate(([b, d, c]) => window.decodeSlice(b, d, c), [Array.from(bytes), dtype, channels] as const);
  }

  it('Go-written PNG fixtures (16-bit RGBA uint64, 16-bit gray uint16, RGBA uint32) unpack to the same bytes', async () => {
    const cases: [string, DvidImageDType, 1 | 4][] = [
      ['uint64-translucent', 'uint64', 1],
      ['uint64-opaque', 'uint64', 1],
      ['uint16', 'uint16', 1],
      ['rgba-translucent', 'uint32', 1],
      ['rgba-opaque', 'uint8', 4],
      ['uint8', 'uint8', 1],
    ];
    for (const [name, dtype, channels] of cases) {
      const png = fixture(`png-go/${name}.png`);
      const node = hex(unpackDvidImage(decodeImage(png), dtype, channels));
      expect(node).toBe(hex(fixture(`png-go/${name}.le`)));
      expect(await inPage(png, dtype, channels), name).toBe(node);
    }
  });

  it('a Go-written JPEG block decodes to the same pixels as Go with either IDCT', async () => {
    const jpeg = fixture('jpeg-go/block-32x1024-q80.jpg');
    for (const [idct, go] of [['chen-wang', 'go1.25'], ['loeffler', 'go1.26']] as const) {
      const got = await page.evaluate(([b, i]) => window.decodeJpegBlock(b, [32, 32, 32], i), [Array.from(jpeg), idct] as const);
      expect(got).toBe(hex(fixture(`jpeg-go/block-32x1024-q80.${go}.gray`)));
    }
  });

  const dvid = providedServer();
  it.skipIf(!dvid.url)('PNG slices and a JPEG block from the real DVID decode to the same values in Chromium and Node', async () => {
    const client = new DvidClient(dvid.url, { adminToken: dvid.adminToken, app: 'dvid-ts-chromium-images' });
    const uuid = await client.createRepo({ alias: `chromium-images-${process.pid}` });
    const N = 32;
    for (const [dtype, channels] of [['uint64', 1], ['uint16', 1], ['uint8', 1]] as const) {
      const md = VoxelsMetadata.createDefault([channels, 0, 0, 0], dtype, 'cxyz', 8, 'nanometers');
      const v = await client.createVoxels(uuid, `img_${dtype}`, md, { blockSize: N });
      const vol = Volume.zeros([channels, N, N, N], dtype);
      const bytes = new Uint8Array(vol.data.buffer);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + (i >> 9)) & 255;
      await v.write([0, 0, 0, 0], [channels, N, N, N], vol);
      const img = await v.sliceImage('xz', [0, 7, 0], [N, N]);
      const node = hex(unpackDvidImage(decodeImage(img.bytes), dtype, channels));
      const raw = await v.slice('xz', [0, 7, 0], [N, N], { format: 'raw' });
      expect(node).toBe(hex(raw.toTypedArray()));
      expect(await inPage(img.bytes, dtype, channels), dtype).toBe(node);
    }
    // A stored JPEG block of a JPEG-stored uint8blk, as /subvolblocks sends it.
    const md = VoxelsMetadata.createDefault([1, 0, 0, 0], 'uint8', 'cxyz', 8, 'nanometers');
    const g = await client.createVoxels(uuid, 'img_jpeg', md, { blockSize: N, config: { Compression: 'jpeg' } });
    const vol = Volume.zeros([1, N, N, N], 'uint8');
    for (let i = 0; i < vol.data.length; i++) vol.data[i] = Math.round(128 + 90 * Math.sin(i / 37) * Math.cos(i / 1500));
    await g.write([0, 0, 0, 0], [1, N, N, N], vol);
    const res = await client.transport.request({ path: `/api/node/${uuid}/img_jpeg/subvolblocks/${N}_${N}_${N}/0_0_0`, query: { compression: 'jpeg' }, attempted: 'read a JPEG block' });
    let payload: Uint8Array | undefined;
    for await (const record of readBlockStream(res.body!)) payload = record.data.slice();
    expect(payload).toBeDefined();
    const raw = await g.read([0, 0, 0, 0], [1, N, N, N]);
    for (const idct of ['chen-wang', 'loeffler'] as const) {
      const node = hex(decodeImageBlockPayload(payload!, 'jpeg', { blockSize: [N, N, N], bytesPerVoxel: 1, idct }));
      const browserHex = await page.evaluate(([b, i, n]) => window.decodeJpegBlock(b, [n, n, n], i), [Array.from(payload!), idct, N] as const);
      expect(browserHex).toBe(node);
    }
    // And one of the IDCTs reproduces DVID's own decoding of the block exactly.
    const exact = await Promise.all(
      (['chen-wang', 'loeffler'] as const).map((idct) => hex(decodeImageBlockPayload(payload!, 'jpeg', { blockSize: [N, N, N], bytesPerVoxel: 1, idct })) === hex(raw.toTypedArray())),
    );
    expect(exact).toContain(true);
  });
});
