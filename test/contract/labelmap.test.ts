/**
 * labelmap against the server under test (real DVID v1.0.0 and the mock, same assertions):
 * every write path × every read path gives identical volumes, at every scale; DVID's blocks decode
 * to what /raw returns; sparse volumes cover exactly the voxels /raw gives the label; the per-label
 * calls agree with the voxels; merge, cleave and split change labels the way DVID documents.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gunzip } from '../../src/codecs/gzip.js';
import { decodeLabelBlock } from '../../src/codecs/labelblock.js';
import { readBlockStream } from '../../src/codecs/blockstream.js';
import {
  DvidArgumentError,
  LABELMAP_TRANSFERS,
  Volume,
  countRunVoxels,
  createRunList,
  expandRuns,
  isDvidError,
  maskBlocksToMask,
  runsToMask,
  type LabelmapAccessor,
  type LabelmapWriteTransfer,
  type RunList,
} from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

const BS = 64;
/**
 * The test box: 2 × 2 × 1 blocks of 64³. (Not at negative coordinates: DVID v1.0.0 panics
 * computing lower scales there and looks up single points in the wrong block; see
 * docs/labelmap.md. Negative coordinates are tested at one scale below.)
 */
const START: [number, number, number] = [64, 0, 64];
const SIZE: [number, number, number] = [128, 128, 64];
const HUGE = 0xffff_ffff_ffff_fff0n; // near 2^64
const TWO53 = 2n ** 53n;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The segmentation every test writes, x fastest over SIZE:
 * block (0,0): solid HUGE; block (1,0): label 0 for x < 96 (box x < 32), else 2^53+1;
 * block (0,1): Voronoi of 12 cells with IDs above 2^53, two of them background;
 * block (1,1): solid 2^53+2 except one 8³ sub-block holding 512 distinct labels 2^62+i.
 */
function makeSegmentation(): BigUint64Array {
  const [nx, ny, nz] = SIZE;
  const out = new BigUint64Array(nx * ny * nz);
  const r = rng(42);
  const seeds = Array.from({ length: 12 }, (_, i) => ({
    p: [r() * 64, r() * 64, r() * 64],
    id: i < 2 ? 0n : TWO53 + 1000n + BigInt(Math.floor(r() * 1e9)),
  }));
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const bx = x >> 6;
        const by = y >> 6;
        const lx = x & 63;
        const ly = y & 63;
        let label: bigint;
        if (bx === 0 && by === 0) label = HUGE;
        else if (bx === 1 && by === 0) label = lx < 32 ? 0n : TWO53 + 1n;
        else if (bx === 0 && by === 1) {
          let best = 0;
          let bd = Infinity;
          seeds.forEach((s, i) => {
            const d = (lx - s.p[0]) ** 2 + (ly - s.p[1]) ** 2 + (z - s.p[2]) ** 2;
            if (d < bd) {
              bd = d;
              best = i;
            }
          });
          label = seeds[best].id;
        } else {
          const inSub = lx >= 8 && lx < 16 && ly >= 8 && ly < 16 && z >= 8 && z < 16;
          label = inSub ? 2n ** 62n + BigInt((z - 8) * 64 + (ly - 8) * 8 + (lx - 8)) : TWO53 + 2n;
        }
        out[x + nx * (y + ny * z)] = label;
      }
  return out;
}

/** Crops a sub-box (box-relative start/size) out of an x-fastest array of `size`. */
function crop(labels: BigUint64Array, size: number[], start: number[], sub: number[]): BigUint64Array {
  const out = new BigUint64Array(sub[0] * sub[1] * sub[2]);
  let i = 0;
  for (let z = 0; z < sub[2]; z++)
    for (let y = 0; y < sub[1]; y++) {
      const row = start[0] + size[0] * (start[1] + y + size[1] * (start[2] + z));
      out.set(labels.subarray(row, row + sub[0]), i);
      i += sub[0];
    }
  return out;
}

/** Fails with the first differing voxel instead of a 1M-element diff. */
function expectSameLabels(got: BigUint64Array, want: BigUint64Array, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) expect(`${what}: voxel ${i} is ${got[i]}`).toBe(`${what}: voxel ${i} is ${want[i]}`);
  }
}

function countsOf(labels: BigUint64Array): Map<bigint, bigint> {
  const m = new Map<bigint, bigint>();
  for (const l of labels) if (l !== 0n) m.set(l, (m.get(l) ?? 0n) + 1n);
  return m;
}

/** Polls `sizes` until DVID's index agrees with `expected` (POST /raw indexes after replying). */
async function waitForSizes(seg: LabelmapAccessor, expected: Map<bigint, bigint>, timeout = 30_000): Promise<void> {
  const labels = [...expected.keys()];
  const want = labels.map((l) => expected.get(l));
  const t0 = Date.now();
  for (;;) {
    const got = Array.from(await seg.sizes(labels));
    if (got.every((v, i) => v === want[i])) return;
    if (Date.now() - t0 > timeout) expect(got).toEqual(want);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function maskEquals(mask: Volume<'uint8'>, labels: BigUint64Array, label: bigint, what: string): void {
  const m = mask.data;
  let diff = -1;
  for (let i = 0; i < labels.length; i++) {
    if ((m[i] === 1) !== (labels[i] === label)) {
      diff = i;
      break;
    }
  }
  expect(diff, `${what}: first voxel where the sparse volume and /raw disagree`).toBe(-1);
}

const box4 = (start: number[], size: number[]): [number[], number[]] => [[0, ...start], [1, ...start.map((s, a) => s + size[a])]];

describeServer(`labelmap (${server.kind})`, () => {
  const client = newClient();
  let uuid: string;
  const labels = makeSegmentation();
  const counts = countsOf(labels);
  const [boxStart, boxStop] = box4(START, SIZE);
  /** One instance per write path, written in beforeAll. */
  const written = new Map<LabelmapWriteTransfer, LabelmapAccessor>();

  beforeAll(async () => {
    uuid = await newRepo(client);
    for (const transfer of ['raw', 'raw-lz4', 'blocks'] as LabelmapWriteTransfer[]) {
      const seg = await client.createLabelmap(uuid, uniqueName(`seg_${transfer.replace('-', '_')}`), {
        blockSize: BS,
        maxDownresLevel: 2,
        voxelSize: [4, 4, 40],
        units: 'nanometers',
      });
      await seg.write(boxStart, boxStop, labels, transfer === 'blocks' ? { transfer, downres: true } : { transfer });
      written.set(transfer, seg);
    }
    // POST /raw replies before DVID has indexed the labels.
    for (const seg of written.values()) await waitForSizes(seg, counts);
  }, 180_000);

  it('createLabelmap sends DVID strings and the accessor exposes block size, scales and extents', async () => {
    const seg = written.get('raw') as LabelmapAccessor;
    expect(seg.blockSize).toEqual([64, 64, 64]);
    expect([seg.maxDownresLevel, seg.scaleCount]).toEqual([2, 3]);
    expect(seg.info.voxelSize).toEqual([4, 4, 40]);
    expect(seg.info.voxelUnits).toEqual(['nanometers', 'nanometers', 'nanometers']);
    expect(seg.info.indexedLabels).toBe(true);
    expect(seg.extents(0)).toEqual({ minIndex: [0, 64, 0, 64], shape: [1, 192, 128, 128] });
    expect(seg.extents(1)).toEqual({ minIndex: [0, 32, 0, 32], shape: [1, 96, 64, 64] });
    const fresh = await client.createLabelmap(uuid, uniqueName('empty'));
    expect([fresh.blockSize, fresh.maxDownresLevel, fresh.minIndex, fresh.shape]).toEqual([[64, 64, 64], 0, [0, 0, 0, 0], [1, 0, 0, 0]]);
    await expect(client.createLabelmap(uuid, uniqueName('bad'), { blockSize: 40 })).rejects.toBeInstanceOf(DvidArgumentError);
    const info = await client.transport.requestJson<{ Extended: { MaxDownresLevel: number; IndexedLabels: boolean } }>({
      path: `/api/node/${uuid}/${seg.name}/info`,
      attempted: 'read info',
    });
    expect(info.Extended.MaxDownresLevel).toBe(2);
    const unindexed = await client.createLabelmap(uuid, uniqueName('noindex'), { indexedLabels: false });
    expect(unindexed.info.indexedLabels).toBe(false);
  });

  for (const transfer of ['raw', 'raw-lz4', 'blocks'] as LabelmapWriteTransfer[]) {
    it(`written through ${transfer}: every read path returns the same labels, whole box and unaligned sub-box`, async () => {
      const seg = written.get(transfer) as LabelmapAccessor;
      const subStart = [5, 3, 7];
      const subSize = [100, 120, 50];
      const want = crop(labels, SIZE, subStart, subSize);
      for (const read of LABELMAP_TRANSFERS) {
        const all = await seg.read(boxStart, boxStop, { transfer: read });
        expect(all.shape).toEqual([1, ...SIZE]);
        expectSameLabels(all.data, labels, `${transfer} → ${read}`);
        const [s, e] = box4(subStart.map((v, a) => v + START[a]), subSize);
        expectSameLabels((await seg.read(s, e, { transfer: read })).data, want, `${transfer} → ${read} (sub-box)`);
      }
      // One exact aligned block: DVID v1.0.0 takes a different path for /raw of one block.
      const one = await seg.read([0, 128, 64, 64], [1, 192, 128, 128], { transfer: 'raw' });
      expectSameLabels(one.data, crop(labels, SIZE, [64, 64, 0], [64, 64, 64]), `${transfer} → one block`);
      const absent = await seg.read([0, 512, 512, 512], [1, 576, 576, 576], { transfer: 'raw' });
      expect(absent.data.every((v) => v === 0n)).toBe(true);
    });
  }

  it('every scale reads back the same through every path and from every write path', async () => {
    for (const scale of [1, 2]) {
      const ext = (written.get('raw') as LabelmapAccessor).extents(scale);
      let reference: BigUint64Array | undefined;
      for (const [transfer, seg] of written) {
        for (const read of LABELMAP_TRANSFERS) {
          const v = await seg.read(ext.minIndex, ext.shape, { transfer: read, scale });
          if (!reference) reference = v.data;
          else expectSameLabels(v.data, reference, `scale ${scale}: ${transfer} → ${read}`);
        }
      }
      // A solid block stays solid at lower resolution, and so does background.
      const f = 2 ** scale;
      const seg = written.get('raw') as LabelmapAccessor;
      expect(await seg.labelAt([64 / f, 0, 64 / f], { scale })).toBe(HUGE);
      expect(await seg.labelAt([128 / f, 0, 64 / f], { scale })).toBe(0n);
      expect(await seg.labelAt([Math.floor(127 / f), Math.floor(63 / f), Math.floor(127 / f)], { scale })).toBe(HUGE);
    }
  });

  it('the SDK encoder’s blocks are what DVID serves back, and DVID’s blocks decode to exactly /raw', async () => {
    const seg = written.get('blocks') as LabelmapAccessor;
    const response = await client.transport.request({
      path: `/api/node/${uuid}/${seg.name}/blocks/128_128_64/64_0_64`,
      query: { compression: 'blocks' },
      attempted: 'read DVID label blocks',
    });
    const seen: string[] = [];
    for await (const record of readBlockStream(response.body as ReadableStream<Uint8Array>)) {
      const block = decodeLabelBlock(await gunzip(record.data), { expectedSize: [64, 64, 64] });
      const [bx, by, bz] = record.coord;
      seen.push(record.coord.join(','));
      const raw = await seg.read([0, bx * 64, by * 64, bz * 64], [1, bx * 64 + 64, by * 64 + 64, bz * 64 + 64], { transfer: 'raw-lz4' });
      expectSameLabels(block.labels, raw.data, `block ${record.coord}`);
      expectSameLabels(block.labels, crop(labels, SIZE, [bx * 64 - START[0], by * 64 - START[1], bz * 64 - START[2]], [64, 64, 64]), `block ${record.coord} vs written`);
    }
    expect(seen.sort()).toEqual(['1,0,1', '1,1,1', '2,0,1', '2,1,1']);
  });

  it('sparse volumes (rles, srles, blocks) cover exactly the voxels where /raw has the label', async () => {
    const seg = written.get('raw-lz4') as LabelmapAccessor;
    const picks = [HUGE, TWO53 + 1n, TWO53 + 2n, 2n ** 62n, 2n ** 62n + 511n, [...counts.keys()].find((l) => l > TWO53 + 999n) as bigint];
    for (const label of picks) {
      const rles = (await seg.sparsevol(label)) as RunList;
      const srles = (await seg.sparsevol(label, { format: 'srles' })) as RunList;
      const blocks = await seg.sparsevol(label, { format: 'blocks' });
      expect(countRunVoxels(rles)).toBe(Number(counts.get(label)));
      if (label === 2n ** 62n + 511n) {
        // The one voxel of this label, as coordinates.
        expect(Array.from(expandRuns(rles))).toEqual([START[0] + 64 + 15, START[1] + 64 + 15, START[2] + 15]);
      }
      maskEquals(runsToMask(rles, START, START.map((s, a) => s + SIZE[a])), labels, label, `rles of ${label}`);
      maskEquals(runsToMask(srles, START, START.map((s, a) => s + SIZE[a])), labels, label, `srles of ${label}`);
      expect(blocks?.label).toBe(label);
      maskEquals(maskBlocksToMask(blocks!, START, START.map((s, a) => s + SIZE[a])), labels, label, `mask blocks of ${label}`);
    }
    // Bounds trim runs to the voxel (stop exclusive; the SDK clips what DVID rounds to sub-blocks).
    const bounded = (await seg.sparsevol(TWO53 + 1n, { bounds: { start: [168, 10, 70], stop: [178, 20, 80] } })) as RunList;
    expect(countRunVoxels(bounded)).toBe(10 * 10 * 10);
    const loose = (await seg.sparsevol(TWO53 + 1n, { bounds: { start: [168, 10, 70], stop: [178, 20, 80] }, exact: false })) as RunList;
    expect(countRunVoxels(loose)).toBeGreaterThanOrEqual(1000);
    // Nothing in bounds: DVID says 404 (the label index has no block there), the SDK says null.
    expect(await seg.sparsevol(TWO53 + 1n, { bounds: { start: [64, 0, 64], stop: [128, 64, 128] } })).toBeNull();
    // At scale 1 the runs match the scale-1 voxels.
    const ext = seg.extents(1);
    const s1 = await seg.read(ext.minIndex, ext.shape, { scale: 1 });
    const runs1 = (await seg.sparsevol(HUGE, { scale: 1 })) as RunList;
    maskEquals(runsToMask(runs1, ext.minIndex.slice(1), ext.shape.slice(1)), s1.data, HUGE, 'rles at scale 1');
    // Absent labels.
    expect(await seg.sparsevol(12345n)).toBeNull();
    expect(await seg.sparsevol(12345n, { format: 'blocks' })).toBeNull();
  });

  it('per-label reads agree with the voxels: sizes, bounds, coarse blocks, points, listing, max label', async () => {
    const seg = written.get('raw') as LabelmapAccessor;
    expect(await seg.size(HUGE)).toBe(64n ** 3n);
    expect(await seg.exists(HUGE)).toBe(true);
    expect(await seg.exists(12345n)).toBe(false);
    expect(await seg.size(12345n)).toBe(0n);
    const sample = [...counts.keys()].slice(0, 40);
    expect(Array.from(await seg.sizes([...sample, 12345n]))).toEqual([...sample.map((l) => counts.get(l)), 0n]);
    const ss = await seg.sparsevolSize(TWO53 + 1n);
    expect(ss).toEqual({ voxels: 32n * 64n * 64n, numBlocks: 1, minVoxel: [128, 0, 64], maxVoxel: [191, 63, 127] });
    expect(await seg.sparsevolSize(12345n)).toBeNull();
    const coarse = (await seg.sparsevolCoarse(TWO53 + 2n)) as RunList;
    expect(Array.from(coarse.runs)).toEqual([2, 1, 1, 1]);
    expect(await seg.sparsevolCoarse(12345n)).toBeNull();
    const points = [[64, 0, 64], [128, 0, 64], [168, 5, 70], [136, 72, 72], [143, 79, 79], [191, 127, 127]];
    const want = points.map(([x, y, z]) => labels[x - START[0] + SIZE[0] * (y - START[1] + SIZE[1] * (z - START[2]))]);
    expect(Array.from(await seg.labelsAt(points))).toEqual(want);
    expect(await seg.labelAt(points[4])).toBe(2n ** 62n + 511n);
    const listed = new Map<bigint, bigint>();
    for await (const { label, voxels } of seg.listLabels({ sizes: true })) listed.set(label, voxels as bigint);
    expect(listed).toEqual(counts);
    const firstTwo: bigint[] = [];
    for await (const { label } of seg.listLabels({ start: TWO53, number: 2 })) firstTwo.push(label);
    expect(firstTwo).toEqual([...counts.keys()].filter((l) => l >= TWO53).sort((a, b) => (a < b ? -1 : 1)).slice(0, 2));
    expect(await seg.maxLabel()).toBe(HUGE);
    const svs = await seg.supervoxels(HUGE);
    expect(Array.from(svs ?? [])).toEqual([HUGE]);
    const sizes = await seg.supervoxelSizes(TWO53 + 2n);
    expect(sizes).toEqual({ supervoxels: BigUint64Array.of(TWO53 + 2n), sizes: BigUint64Array.of(64n ** 3n - 512n) });
    expect(Array.from(await seg.mapping([HUGE, 12345n]))).toEqual([HUGE, 0n]);
    const mod = await seg.lastModified(HUGE);
    expect(mod).not.toBeNull();
    expect(await seg.lastModified(12345n)).toBeNull();
    await expect(seg.size(0)).rejects.toBeInstanceOf(DvidArgumentError);
  });

  it('negative coordinates round-trip through every write and read path (one scale)', async () => {
    const start = [-64, -64, -128];
    const sub = crop(labels, SIZE, [0, 0, 0], [128, 64, 64]);
    const [s, e] = box4(start, [128, 64, 64]);
    for (const transfer of ['raw', 'raw-lz4', 'blocks'] as LabelmapWriteTransfer[]) {
      const seg = await client.createLabelmap(uuid, uniqueName('neg'), { blockSize: BS });
      await seg.write(s, e, sub, { transfer });
      expect([seg.minIndex, seg.shape]).toEqual([[0, -64, -64, -128], [1, 64, 0, -64]]);
      for (const read of LABELMAP_TRANSFERS) {
        expectSameLabels((await seg.read(s, e, { transfer: read })).data, sub, `negative: ${transfer} → ${read}`);
      }
      const part = await seg.get(':,-50:-10,-20:0,-100:-90');
      expectSameLabels(part.copy().data, crop(sub, [128, 64, 64], [14, 44, 28], [40, 20, 10]), `negative: ${transfer} → get`);
      await waitForSizes(seg, new Map([[HUGE, 64n ** 3n]]));
      expect(await seg.sparsevolSize(HUGE)).toEqual({ voxels: 64n ** 3n, numBlocks: 1, minVoxel: [-64, -64, -128], maxVoxel: [-1, -1, -65] });
      const runs = (await seg.sparsevol(TWO53 + 1n)) as RunList;
      maskEquals(runsToMask(runs, start, [64, 0, -64]), sub, TWO53 + 1n, 'negative sparsevol');
      const points = [[-10, -10, -100], [-1, -1, -65], [63, -1, -65], [40, -60, -127]];
      const want = points.map(([x, y, z]) => sub[x - start[0] + 128 * (y - start[1] + 64 * (z - start[2]))]);
      expect(Array.from(await seg.labelsAt(points))).toEqual(want);
      expect(await seg.labelAt(points[0])).toBe(want[0]);
    }
  });

  it('an unaligned write keeps its neighbours (read-modify-write of supervoxels)', async () => {
    const seg = await client.createLabelmap(uuid, uniqueName('rmw'), { blockSize: BS });
    await seg.write([0, 0, 0, 0], [1, 64, 64, 64], 5n);
    await seg.set(':,10:20,20:30,30:40', Volume.full([1, 10, 10, 10], 'uint64', TWO53 + 9n));
    await seg.write([0, 70, 3, 3], [1, 75, 4, 4], 6n, { transfer: 'blocks' });
    const all = await seg.read([0, 0, 0, 0], [1, 128, 64, 64]);
    const c = countsOf(all.data);
    expect(c).toEqual(new Map([[5n, 64n ** 3n - 1000n], [TWO53 + 9n, 1000n], [6n, 5n]]));
    expect(all.item(0, 10, 20, 30)).toBe(TWO53 + 9n);
    expect(all.item(0, 20, 29, 39)).toBe(5n);
    expect(seg.shape).toEqual([1, 128, 64, 64]);
    expect(await seg.waitForLabel(TWO53 + 9n, { voxels: 1000, timeout: 30_000 })).toBe(1000n);
    await waitForSizes(seg, new Map([[5n, 64n ** 3n - 1000n], [TWO53 + 9n, 1000n]]));
  });

  it('precomputed lower scales ingest through POST /blocks?scale=N and read back through every path', async () => {
    const seg = await client.createLabelmap(uuid, uniqueName('scales'), { blockSize: BS, maxDownresLevel: 1 });
    await seg.write([0, 0, 0, 0], [1, 128, 128, 64], labels, { transfer: 'blocks', noindexing: true });
    // A different scale-1 volume than DVID would compute, to see that it is stored as given.
    const s1 = crop(labels, SIZE, [0, 0, 0], [64, 64, 64]).map((l) => (l === 0n ? 0n : l ^ 1n));
    await seg.write([0, 0, 0, 0], [1, 64, 64, 64], s1, { transfer: 'blocks', scale: 1 });
    for (const read of LABELMAP_TRANSFERS) {
      expectSameLabels((await seg.read([0, 0, 0, 0], [1, 64, 64, 64], { scale: 1, transfer: read })).data, s1, `scale 1 → ${read}`);
    }
    expectSameLabels((await seg.read([0, 0, 0, 0], [1, 128, 128, 64])).data, labels, 'scale 0 untouched');
    expect(seg.shape).toEqual([1, 128, 128, 64]);
  });

  describe('proofreading', () => {
    let seg: LabelmapAccessor;
    const A = TWO53 + 100n;
    const B = TWO53 + 200n;
    const C = 300n;
    beforeAll(async () => {
      seg = await client.createLabelmap(uuid, uniqueName('proof'), { blockSize: BS, maxDownresLevel: 1 });
      const v = Volume.zeros([1, 128, 64, 64], 'uint64');
      v.set(':,0:64', A); // block 0: A
      v.set(':,64:128,0:32', B); // block 1, lower half: B
      v.set(':,64:128,32:64', C); // block 1, upper half: C
      await seg.write([0, 0, 0, 0], [1, 128, 64, 64], v, { transfer: 'blocks', downres: true });
    });

    it('merge maps supervoxels to the target; cleave moves them to a new label; both return mutation IDs', async () => {
      const half = 64n * 32n * 64n;
      const merged = await seg.merge(A, [B]);
      expect(typeof merged.mutationId).toBe('bigint');
      expect(await seg.labelAt([70, 5, 5])).toBe(A);
      expect(await seg.labelAt([70, 5, 5], { supervoxels: true })).toBe(B);
      expect(await seg.labelAt([35, 5, 3], { scale: 1 })).toBe(A);
      expect(await seg.size(A)).toBe(64n ** 3n + half);
      expect(await seg.size(B, { supervoxels: true })).toBe(half);
      expect(await seg.exists(B)).toBe(false);
      expect(Array.from((await seg.supervoxels(A)) ?? []).sort()).toEqual([A, B].sort());
      expect(Array.from(await seg.mapping([B, C]))).toEqual([A, C]);
      const read = await seg.read([0, 64, 0, 0], [1, 128, 64, 64]);
      expect(read.item(0, 0, 0, 0)).toBe(A);
      const svRead = await seg.read([0, 64, 0, 0], [1, 128, 64, 64], { supervoxels: true, transfer: 'blocks' });
      expect(svRead.item(0, 0, 0, 0)).toBe(B);

      const cleaved = await seg.cleave(A, [B]);
      expect(cleaved.mutationId).toBeGreaterThan(merged.mutationId);
      expect(await seg.labelAt([70, 5, 5])).toBe(cleaved.cleavedLabel);
      expect(await seg.size(cleaved.cleavedLabel)).toBe(half);
      expect(await seg.size(A)).toBe(64n ** 3n);
      expect(Array.from((await seg.supervoxels(cleaved.cleavedLabel)) ?? [])).toEqual([B]);
      const refused = await seg.cleave(A, [A]).catch((e: unknown) => e);
      expect(isDvidError(refused, 'http') && refused.status).toBe(400);

      const log = await seg.mutations();
      const ids = log.map((m) => m.MutationID);
      expect(ids).toContain(merged.mutationId);
      expect(ids).toContain(cleaved.mutationId);
      const mod = await seg.lastModified(cleaved.cleavedLabel);
      expect(mod?.mutationId).toBe(cleaved.mutationId);
      expect([mod?.user, mod?.app]).toEqual(['tester', 'dvid-ts-contract']);
    });

    it('split moves the given voxels of a label to a new label', async () => {
      // 10 × 10 × 10 voxels of C.
      const runs = createRunList(Array.from({ length: 100 }, (_, i) => [80, 40 + (i % 10), 10 + Math.floor(i / 10), 10]));
      const before = await seg.size(C);
      const { label, mutationId } = await seg.split(C, runs);
      expect(typeof mutationId).toBe('bigint');
      expect(await seg.labelAt([85, 45, 15])).toBe(label);
      expect(await seg.labelAt([79, 45, 15])).toBe(C);
      expect(await seg.size(label)).toBe(1000n);
      expect(await seg.size(C)).toBe(before - 1000n);
      const runsBack = (await seg.sparsevol(label)) as RunList;
      expect(countRunVoxels(runsBack)).toBe(1000);
    });

    it('split-supervoxel gives the voxels and the rest new supervoxel IDs; the label keeps both', async () => {
      const runs = createRunList(Array.from({ length: 64 }, (_, i) => [0, i, 0, 8]));
      const result = await seg.splitSupervoxel(A, runs);
      expect(result.splitSupervoxel).not.toBe(result.remainSupervoxel);
      expect(await seg.labelAt([3, 5, 0], { supervoxels: true })).toBe(result.splitSupervoxel);
      expect(await seg.labelAt([30, 5, 30], { supervoxels: true })).toBe(result.remainSupervoxel);
      expect(await seg.labelAt([3, 5, 0])).toBe(A);
      expect(await seg.size(result.splitSupervoxel, { supervoxels: true })).toBe(512n);
      expect(Array.from((await seg.supervoxels(A)) ?? []).sort()).toEqual([result.splitSupervoxel, result.remainSupervoxel].sort());
    });

    it('renumber gives a label a new ID; nextLabel reserves fresh ones', async () => {
      const D = TWO53 + 4242n;
      const size = await seg.size(A);
      await seg.renumber([[D, A]]);
      expect(await seg.labelAt([30, 5, 30])).toBe(D);
      expect(await seg.size(D)).toBe(size);
      expect(await seg.exists(A)).toBe(false);
      const next = await seg.nextLabel();
      const { start, end } = await seg.nextLabel(5);
      expect(start).toBeGreaterThanOrEqual(next);
      expect(end - start).toBe(4n);
      expect(await seg.nextLabel()).toBe(end + 1n);
    });
  });
});

describeServer(`labelmap argument checks (${server.kind})`, () => {
  it('createLabelmap refuses bad settings before any request', async () => {
    const client = newClient({ fetch: () => Promise.reject(new Error('no request expected')) });
    await expect(client.createLabelmap('abc', 'x', { blockSize: [64, 64] })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(client.createLabelmap('abc', 'x', { blockSize: 2048 })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(client.createLabelmap('abc', 'x', { maxDownresLevel: -1 })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(client.createLabelmap('abc', 'x', { voxelSize: [1, 0, 1] })).rejects.toBeInstanceOf(DvidArgumentError);
  });
});
