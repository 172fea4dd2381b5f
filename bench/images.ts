/**
 * Image transfer paths on a real DVID: a 512×512 XY slice and a 256³ grayscale box, each through
 * every path, wall time and bytes on the wire side by side. Not part of the test suite; results
 * and the command are recorded in docs/images.md.
 *
 *   npx tsx bench/images.ts            # both
 *   npx tsx bench/images.ts slice      # the 512×512 XY slice only
 *   npx tsx bench/images.ts box        # the 256³ box only
 *
 * Starts a throwaway DVID v1.0.0 on 127.0.0.1 (test/support/dvid-server.ts) unless DVID_URL is
 * set. The data is synthetic EM-like uint8 grayscale (smooth texture, dark cell boundaries,
 * per-voxel noise), written to an LZ4-stored uint8blk (DVID's default) and a JPEG-stored one.
 * Each path runs ROUNDS times round-robin (median and best reported); bytes are the response
 * bodies, counted in a separate pass. Every result is checked: exact paths against what was
 * written, lossy paths against a tolerance.
 */
import { DvidClient, Volume, VoxelsMetadata, detectedJpegIdct, type VoxelsAccessor } from '../src/index.js';
import { countingFetch, median, rng, withDvid } from './support.js';

const mode = process.argv[2] ?? 'all';
const ROUNDS = Number(process.env.ROUNDS ?? 5);

/** EM-like grayscale, x fastest: smooth texture, dark membranes on a jittered cell grid, noise. */
function emLike(nx: number, ny: number, nz: number, seed: number): Uint8Array {
  const r = rng(seed);
  const cell = 40;
  const phase = Array.from({ length: 6 }, () => r() * Math.PI * 2);
  const out = new Uint8Array(nx * ny * nz);
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const wy = Math.sin(y / 23 + phase[1]) * 6;
      for (let x = 0; x < nx; x++) {
        const tex = 150 + 25 * Math.sin(x / 17 + phase[0] + wy / 9) * Math.cos(y / 13 + phase[2]) + 15 * Math.sin(z / 11 + phase[3] + x / 31);
        const dx = Math.abs(((x + wy + 1000) % cell) - cell / 2);
        const dy = Math.abs(((y + Math.sin(x / 19 + phase[4]) * 6 + 1000) % cell) - cell / 2);
        const dz = Math.abs(((z + Math.sin(y / 29 + phase[5]) * 5 + 1000) % cell) - cell / 2);
        const edge = Math.max(dx, dy, dz) > cell / 2 - 2 ? 90 : 0;
        const noise = (r() + r() + r() - 1.5) * 18;
        const v = tex - edge + noise;
        out[i++] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  }
  return out;
}

function size(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

interface Path {
  name: string;
  /** Runs the path on an accessor; returns the decoded values (or undefined for encoded-only paths). */
  run: (v: VoxelsAccessor<'uint8'>) => Promise<Uint8Array | undefined>;
  /** Which instance: the LZ4-stored or the JPEG-stored one. */
  instance: 'lz4' | 'jpeg';
  /** Largest |Δ| accepted against the written values (0 = exact). */
  tolerance: number;
}

function compare(name: string, got: Uint8Array | undefined, want: Uint8Array, tolerance: number): string {
  if (!got) return 'encoded only';
  if (got.length !== want.length) throw new Error(`${name}: ${got.length} values, expected ${want.length}`);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (d > max) max = d;
    sum += d;
  }
  if (max > tolerance) throw new Error(`${name}: max |Δ| ${max} exceeds the tolerance ${tolerance}`);
  return max === 0 ? 'exact' : `max |Δ| ${max}, mean ${(sum / got.length).toFixed(2)}`;
}

async function runPaths(title: string, paths: Path[], accessors: Record<'lz4' | 'jpeg', [VoxelsAccessor<'uint8'>, VoxelsAccessor<'uint8'>]>, counter: { bytes: number }, want: Record<'lz4' | 'jpeg', Uint8Array>): Promise<void> {
  const bytes: Record<string, number> = {};
  const check: Record<string, string> = {};
  for (const p of paths) {
    const [, counted] = accessors[p.instance];
    await p.run(accessors[p.instance][0]); // warm-up (and, for JPEG blocks, IDCT detection)
    counter.bytes = 0;
    const got = await p.run(counted);
    bytes[p.name] = counter.bytes;
    check[p.name] = compare(p.name, got, want[p.instance], p.tolerance);
  }
  const times: Record<string, number[]> = Object.fromEntries(paths.map((p) => [p.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const p of paths) {
      const t0 = performance.now();
      await p.run(accessors[p.instance][0]);
      times[p.name].push(performance.now() - t0);
    }
  }
  console.log(`\n${title}`);
  console.log('| path | median ms | best ms | bytes on the wire | values |');
  console.log('|---|---:|---:|---:|---|');
  for (const p of paths) {
    console.log(`| ${p.name} | ${median(times[p.name]).toFixed(1)} | ${Math.min(...times[p.name]).toFixed(1)} | ${size(bytes[p.name])} | ${check[p.name]} |`);
  }
}

async function bench(url: string): Promise<void> {
  const client = new DvidClient(url, { app: 'dvid-ts-bench', timeout: 600_000 });
  const counter = { bytes: 0 };
  const counting = new DvidClient(url, { app: 'dvid-ts-bench', timeout: 600_000, fetch: countingFetch(counter) });
  const uuid = await client.createRepo({ alias: 'bench-images' });
  const md = VoxelsMetadata.createDefault([1, 0, 0, 0], 'uint8', 'cxyz', 8, 'nanometers');
  console.log(`DVID at ${url}, Node ${process.version}, ${ROUNDS} rounds, synthetic EM-like uint8, 32³ blocks`);

  async function instances(tag: string, nx: number, ny: number, nz: number, data: Uint8Array) {
    const out = {} as Record<'lz4' | 'jpeg', [VoxelsAccessor<'uint8'>, VoxelsAccessor<'uint8'>]>;
    const stored = {} as Record<'lz4' | 'jpeg', Uint8Array>;
    for (const kind of ['lz4', 'jpeg'] as const) {
      const name = `${tag}_${kind}`;
      const v = await client.createVoxels<'uint8'>(uuid, name, md, { blockSize: 32, config: kind === 'jpeg' ? { Compression: 'jpeg' } : {} });
      await v.write([0, 0, 0, 0], [1, nx, ny, nz], Volume.from(data, [1, nx, ny, nz]));
      out[kind] = [await client.voxels<'uint8'>(uuid, name), await counting.voxels<'uint8'>(uuid, name)];
      // What /raw returns: for the JPEG-stored instance, DVID's decoding of its stored blocks.
      stored[kind] = (await v.read([0, 0, 0, 0], [1, nx, ny, nz])).data;
    }
    return { out, stored };
  }

  if (mode === 'all' || mode === 'slice') {
    const [nx, ny, nz] = [512, 512, 32];
    const data = emLike(nx, ny, nz, 7);
    const { out, stored } = await instances('slice', nx, ny, nz, data);
    const z = 16;
    const wantSlice = (src: Uint8Array) => src.subarray(z * nx * ny, (z + 1) * nx * ny);
    const want = { lz4: wantSlice(stored.lz4), jpeg: wantSlice(stored.jpeg) };
    const paths: Path[] = [
      { name: 'PNG, decoded (`slice`)', instance: 'lz4', tolerance: 0, run: async (v) => (await v.slice('xy', [0, 0, z], [512, 512])).data },
      { name: 'PNG, encoded only (`sliceImage`)', instance: 'lz4', tolerance: 0, run: async (v) => void (await v.sliceImage('xy', [0, 0, z], [512, 512])) },
      { name: 'JPEG q80, decoded', instance: 'lz4', tolerance: 64, run: async (v) => (await v.slice('xy', [0, 0, z], [512, 512], { format: 'jpeg' })).data },
      { name: 'JPEG q80, encoded only', instance: 'lz4', tolerance: 0, run: async (v) => void (await v.sliceImage('xy', [0, 0, z], [512, 512], { format: 'jpeg' })) },
      { name: 'raw (1-voxel-thick /raw box)', instance: 'lz4', tolerance: 0, run: async (v) => (await v.slice('xy', [0, 0, z], [512, 512], { format: 'raw' })).data },
      { name: 'blocks, LZ4-stored (32 z-slab, cropped)', instance: 'lz4', tolerance: 0, run: async (v) => (await v.read([0, 0, 0, z], [1, 512, 512, z + 1], { transfer: 'blocks' })).data },
      { name: 'blocks, JPEG-stored (32 z-slab, cropped)', instance: 'jpeg', tolerance: 0, run: async (v) => (await v.read([0, 0, 0, z], [1, 512, 512, z + 1], { transfer: 'blocks' })).data },
    ];
    await runPaths(`512×512 XY slice (256 KiB of uint8) at z=${z}`, paths, out, counter, want);
  }

  if (mode === 'all' || mode === 'box') {
    for (const sparse of [false, true]) await benchBox(sparse);
  }

  async function benchBox(sparse: boolean): Promise<void> {
    const n = 256;
    const data = emLike(n, n, n, 11);
    if (sparse) {
      // Half the box outside the imaged region (x ≥ 128 is 0), as at the edges of a dataset.
      for (let i = 0; i < data.length; i += n) data.fill(0, i + n / 2, i + n);
    }
    const { out, stored } = await instances(sparse ? 'boxhalf' : 'box', n, n, n, data);
    const box = (v: VoxelsAccessor<'uint8'>, transfer: 'raw' | 'blocks' | 'jpeg') => v.read([0, 0, 0, 0], [1, n, n, n], { transfer });
    const paths: Path[] = [
      { name: 'raw (`/raw`, uncompressed)', instance: 'lz4', tolerance: 0, run: async (v) => (await box(v, 'raw')).data },
      { name: 'blocks, LZ4-stored (`/subvolblocks`)', instance: 'lz4', tolerance: 0, run: async (v) => (await box(v, 'blocks')).data },
      { name: 'raw, JPEG-stored instance', instance: 'jpeg', tolerance: 0, run: async (v) => (await box(v, 'raw')).data },
      { name: 'blocks, JPEG-stored (`/subvolblocks`, JPEG payloads)', instance: 'jpeg', tolerance: 0, run: async (v) => (await box(v, 'blocks')).data },
      { name: 'jpeg (`/raw/…/jpg`, one stacked JPEG, q80)', instance: 'lz4', tolerance: 64, run: async (v) => (await box(v, 'jpeg')).data },
    ];
    await runPaths(`256³ grayscale box (16 MiB of uint8)${sparse ? ', half of it empty (x ≥ 128 is 0)' : ', EM-like everywhere'}`, paths, out, counter, stored);
    console.log(`\nJPEG IDCT detected for this DVID: ${detectedJpegIdct(client.transport) ?? '(none)'}`);
    let max = 0;
    for (let i = 0; i < data.length; i++) max = Math.max(max, Math.abs(stored.jpeg[i] - data[i]));
    console.log(`JPEG storage itself (what /raw of the JPEG-stored instance returns vs what was written): max |Δ| ${max}`);
  }
}

await withDvid(bench);
