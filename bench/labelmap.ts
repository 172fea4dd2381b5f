/**
 * Labelmap transfer paths on a real DVID, and gzip implementations across runtimes. Not part of
 * the test suite; results and the commands are recorded in docs/labelmap.md.
 *
 *   npx tsx bench/labelmap.ts            # 256³ read through each transfer path (+ writes)
 *   npx tsx bench/labelmap.ts reads      # reads only
 *   npx tsx bench/labelmap.ts gzip       # gzip: platform streams vs fflate in Node, Deno, Chromium
 *
 * Reads: starts a throwaway DVID v1.0.0 on 127.0.0.1 (test/support/dvid-server.ts) unless
 * DVID_URL is set, writes 256³ segmentations (64³ blocks) and reads the whole box back through
 * `raw`, `raw-lz4`, `blocks-lz4` and `blocks`, round-robin, ROUNDS times each; reports the
 * median and best wall time, the bytes on the wire (response bodies, counted in a separate pass)
 * and checks every result against what was written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DvidClient, LABELMAP_TRANSFERS, Volume, type LabelmapTransfer, type LabelmapWriteTransfer } from '../src/index.js';
import { countingFetch, median, randomId, rng, withDvid } from './support.js';

const mode = process.argv[2] ?? 'all';
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const N = 256;
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * An n³ Voronoi segmentation: seeds jittered on a `cell`-voxel grid, each cell a label (61-bit
 * IDs, some above 2^53), a fraction `zero` of the cells background.
 */
function voronoi(n: number, cell: number, zero: number, seed: number): BigUint64Array {
  const r = rng(seed);
  const g = Math.ceil(n / cell);
  const seeds = new Float64Array(g * g * g * 3);
  const ids = new BigUint64Array(g * g * g);
  for (let i = 0; i < g * g * g; i++) {
    seeds[3 * i] = ((i % g) + r()) * cell;
    seeds[3 * i + 1] = ((Math.floor(i / g) % g) + r()) * cell;
    seeds[3 * i + 2] = (Math.floor(i / (g * g)) + r()) * cell;
    ids[i] = r() < zero ? 0n : randomId(r);
  }
  const out = new BigUint64Array(n * n * n);
  let v = 0;
  for (let z = 0; z < n; z++) {
    const cz = Math.floor(z / cell);
    for (let y = 0; y < n; y++) {
      const cy = Math.floor(y / cell);
      for (let x = 0; x < n; x++) {
        const cx = Math.floor(x / cell);
        let best = 0;
        let bd = Infinity;
        for (let qz = Math.max(cz - 1, 0); qz <= Math.min(cz + 1, g - 1); qz++) {
          for (let qy = Math.max(cy - 1, 0); qy <= Math.min(cy + 1, g - 1); qy++) {
            for (let qx = Math.max(cx - 1, 0); qx <= Math.min(cx + 1, g - 1); qx++) {
              const i = (qz * g + qy) * g + qx;
              const d = (x - seeds[3 * i]) ** 2 + (y - seeds[3 * i + 1]) ** 2 + (z - seeds[3 * i + 2]) ** 2;
              if (d < bd) {
                bd = d;
                best = i;
              }
            }
          }
        }
        out[v++] = ids[best];
      }
    }
  }
  return out;
}

function mib(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

async function benchReads(url: string): Promise<void> {
  const client = new DvidClient(url, { app: 'dvid-ts-bench', timeout: 600_000 });
  const counter = { bytes: 0 };
  const counting = new DvidClient(url, { app: 'dvid-ts-bench', timeout: 600_000, fetch: countingFetch(counter) });
  const uuid = await client.createRepo({ alias: 'bench-labelmap' });
  const datasets = [
    { name: 'Voronoi, 32-voxel cells (~512 labels, 30% background)', cell: 32, zero: 0.3 },
    { name: 'Voronoi, 8-voxel cells (~32,768 labels, 10% background)', cell: 8, zero: 0.1 },
  ];
  console.log(`256³ labelmap read (${(N ** 3 * 8) / (1 << 20)} MiB of uint64), 64³ blocks, DVID at ${url}, Node ${process.version}, ${ROUNDS} rounds`);
  for (const [i, ds] of datasets.entries()) {
    const labels = voronoi(N, ds.cell, ds.zero, 17 + i);
    const name = `bench_${ds.cell}`;
    const seg = await client.createLabelmap(uuid, name, { blockSize: 64 });
    await seg.write([0, 0, 0, 0], [1, N, N, N], labels, { transfer: 'blocks', noindexing: true });
    const counted = await counting.labelmap(uuid, name);
    const bytes: Record<string, number> = {};
    for (const t of LABELMAP_TRANSFERS) {
      counter.bytes = 0;
      const v = await counted.read([0, 0, 0, 0], [1, N, N, N], { transfer: t });
      bytes[t] = counter.bytes;
      const got = v.data;
      for (let k = 0; k < got.length; k++) {
        if (got[k] !== labels[k]) throw new Error(`${t}: voxel ${k} is ${got[k]}, wrote ${labels[k]}`);
      }
    }
    const times: Record<string, number[]> = Object.fromEntries(LABELMAP_TRANSFERS.map((t) => [t, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of LABELMAP_TRANSFERS) {
        const t0 = performance.now();
        await seg.read([0, 0, 0, 0], [1, N, N, N], { transfer: t });
        times[t].push(performance.now() - t0);
      }
    }
    console.log(`\n${ds.name}`);
    console.log('| transfer | median ms | best ms | bytes on the wire |');
    console.log('|---|---:|---:|---:|');
    const ranked = [...LABELMAP_TRANSFERS].sort((a, b) => median(times[a]) - median(times[b]));
    for (const t of ranked) {
      console.log(`| ${t} | ${median(times[t]).toFixed(0)} | ${Math.min(...times[t]).toFixed(0)} | ${mib(bytes[t])} |`);
    }
  }
}

async function benchWrites(url: string): Promise<void> {
  const client = new DvidClient(url, { app: 'dvid-ts-bench', timeout: 600_000 });
  const uuid = await client.createRepo({ alias: 'bench-labelmap-writes' });
  const labels = voronoi(N, 32, 0.3, 99);
  const volume = Volume.from(labels, [1, N, N, N]);
  console.log(`\n256³ labelmap write into a fresh instance (Voronoi, 32-voxel cells), one run each; raw waits for indexing too`);
  console.log('| transfer | reply ms | until indexed ms |');
  console.log('|---|---:|---:|');
  const probe = labels[labels.findIndex((l) => l !== 0n)];
  let expected = 0n;
  for (const l of labels) if (l === probe) expected += 1n;
  for (const t of ['raw', 'raw-lz4', 'blocks'] as LabelmapWriteTransfer[]) {
    const seg = await client.createLabelmap(uuid, `w_${t.replace('-', '_')}`, { blockSize: 64 });
    const t0 = performance.now();
    await seg.write([0, 0, 0, 0], [1, N, N, N], volume, { transfer: t, mutate: false });
    const t1 = performance.now();
    await seg.waitForLabel(probe, { voxels: expected, timeout: 300_000, interval: 20 });
    const t2 = performance.now();
    console.log(`| ${t} | ${(t1 - t0).toFixed(0)} | ${(t2 - t0).toFixed(0)} |`);
  }
}

// ---- gzip across runtimes ----------------------------------------------------------------------

const GZIP_ENTRY = `
import { gunzipSync, gzipSync } from 'fflate';
import { gunzip, gzip } from './src/codecs/gzip.ts';
import { encodeLabelBlock } from './src/codecs/labelblock-encode.ts';

function rng(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
function block(k, seed) {
  const r = rng(seed); const s = []; const ids = [];
  for (let i = 0; i < k; i++) { s.push([r() * 64, r() * 64, r() * 64]); ids.push((BigInt(Math.floor(r() * 2 ** 29)) << 32n) | BigInt(Math.floor(r() * 2 ** 32))); }
  const out = new BigUint64Array(64 ** 3); let v = 0;
  for (let z = 0; z < 64; z++) for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) {
    let b = 0, bd = Infinity;
    for (let i = 0; i < k; i++) { const d = (x - s[i][0]) ** 2 + (y - s[i][1]) ** 2 + (z - s[i][2]) ** 2; if (d < bd) { bd = d; b = i; } }
    out[v++] = ids[b];
  }
  return out;
}
async function best(fn, rounds = 5) { let m = Infinity; for (let i = 0; i < rounds; i++) { const t0 = performance.now(); await fn(); m = Math.min(m, performance.now() - t0); } return m; }
export async function run() {
  const raw = []; for (let i = 0; i < 64; i++) raw.push(encodeLabelBlock(block(2 + (i % 5) * 10, 1000 + i), [64, 64, 64]));
  const packed = raw.map((b) => gzipSync(b));
  const big = new Uint8Array(64 * 64 * 64 * 8 * 8); for (let i = 0; i < big.length; i += 8) big[i] = (i >> 12) & 255;
  const bigPacked = gzipSync(big);
  const res = {
    blocks: packed.length, rawBytes: raw.reduce((a, b) => a + b.length, 0), gzBytes: packed.reduce((a, b) => a + b.length, 0),
    inflatePlatform: await best(async () => { for (const p of packed) await gunzip(p); }),
    inflatePlatform4: await best(async () => { for (let i = 0; i < packed.length; i += 4) await Promise.all(packed.slice(i, i + 4).map((p) => gunzip(p))); }),
    inflateFflate: await best(async () => { for (const p of packed) gunzipSync(p); }),
    deflatePlatform: await best(async () => { for (const b of raw) await gzip(b); }),
    deflateFflate: await best(async () => { for (const b of raw) gzipSync(b); }),
    bigInflatePlatform: await best(() => gunzip(bigPacked)),
    bigInflateFflate: await best(async () => gunzipSync(bigPacked)),
  };
  return res;
}
`;

async function benchGzip(): Promise<void> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'dvid-ts-gzbench-'));
  try {
    for (const format of ['esm', 'iife'] as const) {
      await build({
        stdin: { contents: GZIP_ENTRY, resolveDir: root, loader: 'js', sourcefile: 'gzbench-entry.mjs' },
        bundle: true,
        format,
        globalName: format === 'iife' ? 'gzbench' : undefined,
        platform: 'neutral',
        mainFields: ['module', 'main'],
        target: 'es2022',
        outfile: join(dir, format === 'esm' ? 'bench.mjs' : 'bench.js'),
        logLevel: 'silent',
      });
    }
    const results: [string, Record<string, number>][] = [];
    const node = (await import(join(dir, 'bench.mjs'))) as { run: () => Promise<Record<string, number>> };
    results.push([`Node ${process.version}`, await node.run()]);
    writeFileSync(join(dir, 'deno.mjs'), `import { run } from './bench.mjs'; console.log(JSON.stringify(await run()));`);
    const deno = spawnSync(join(root, 'node_modules/.bin/deno'), ['run', '--quiet', '--no-lock', '--allow-read', join(dir, 'deno.mjs')], {
      encoding: 'utf8',
    });
    const denoVersion = spawnSync(join(root, 'node_modules/.bin/deno'), ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    if (deno.status === 0) results.push([denoVersion, JSON.parse(deno.stdout)]);
    else console.log(`Deno skipped: ${deno.stderr}`);
    const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (existsSync(chromiumPath)) {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
      try {
        const page = await browser.newPage();
        await page.setContent('<!doctype html><title>gzbench</title>');
        await page.addScriptTag({ path: join(dir, 'bench.js') });
        const r = await page.evaluate(() => (globalThis as unknown as { gzbench: { run: () => Promise<Record<string, number>> } }).gzbench.run());
        results.push([`Chromium ${browser.version()}`, r]);
      } finally {
        await browser.close();
      }
    } else console.log(`Chromium skipped: ${chromiumPath} not found`);
    const r0 = results[0][1];
    console.log(
      `gzip, best of 5: inflate/deflate ${r0.blocks} DVID label blocks (64³, 2–42 labels; ${mib(r0.rawBytes)} ↔ ${mib(r0.gzBytes)} gzip'd), and one 16 MiB array`,
    );
    console.log('| runtime | inflate blocks: platform | platform, 4 at once | fflate | deflate blocks: platform | fflate | inflate 16 MiB: platform | fflate |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const [name, r] of results) {
      const f = (x: number) => `${x.toFixed(1)} ms`;
      console.log(
        `| ${name} | ${f(r.inflatePlatform)} | ${f(r.inflatePlatform4)} | ${f(r.inflateFflate)} | ${f(r.deflatePlatform)} | ${f(r.deflateFflate)} | ${f(r.bigInflatePlatform)} | ${f(r.bigInflateFflate)} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (mode === 'gzip') {
  await benchGzip();
} else {
  await withDvid(async (url) => {
    await benchReads(url);
    if (mode !== 'reads') await benchWrites(url);
  });
}
