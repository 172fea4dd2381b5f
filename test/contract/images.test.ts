/**
 * Images and compressed transfers of voxel instances, against the real DVID and the mock with the
 * same assertions: PNG slices in every plane decode to exactly the /raw values for every voxel
 * type; JPEG slices, the stacked 3D JPEG and JPEG storage stay within the tolerance stated in
 * docs/images.md; block streams (LZ4 as stored by default, JPEG for JPEG-stored instances) equal
 * /raw exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DvidArgumentError,
  Volume,
  VoxelsMetadata,
  allocate,
  detectedJpegIdct,
  isDvidError,
  readSlice,
  type DType,
  type DvidClient,
  type VoxelsAccessor,
} from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

interface VoxelType {
  label: string;
  dtype: DType;
  channels: 1 | 4;
  bpv: number;
}

const TYPES: VoxelType[] = [
  { label: 'uint8blk', dtype: 'uint8', channels: 1, bpv: 1 },
  { label: 'uint16blk', dtype: 'uint16', channels: 1, bpv: 2 },
  { label: 'uint32blk', dtype: 'uint32', channels: 1, bpv: 4 },
  { label: 'uint64blk', dtype: 'uint64', channels: 1, bpv: 8 },
  { label: 'float32blk', dtype: 'float32', channels: 1, bpv: 4 },
  { label: 'rgba8blk', dtype: 'uint8', channels: 4, bpv: 4 },
];

/**
 * JPEG tolerances (docs/images.md), for the smooth test content below at DVID's default quality
 * 80 and above: largest |Δ| per 8-bit sample against /raw (rgba8: per RGB channel, which 4:2:0
 * chroma subsampling blurs). uint16 JPEGs carry only the high byte, so
 * their bound is 257 × the 8-bit bound + 255.
 */
const JPEG_TOLERANCE_8BIT = 8;
const JPEG_TOLERANCE_RGB = 24;
const JPEG_TOLERANCE_16BIT = 257 * JPEG_TOLERANCE_8BIT + 255;
/** JPEG storage and the 3D JPEG of noisy content (±20 noise around a smooth pattern). */
const JPEG_TOLERANCE_NOISY = 48;

const N = 64;

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
 * Random bytes for every voxel, except the slab z ∈ [40, 48) where the bytes Go's PNG encoder
 * reads as alpha are 0xff, so slices there travel as RGB instead of RGBA PNGs.
 */
function randomVolume(t: VoxelType, seed: number): Volume {
  const data = allocate(t.dtype, t.channels * N * N * N);
  const bytes = new Uint8Array(data.buffer);
  const r = rng(seed);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
  if (t.bpv >= 4) {
    const from = t.bpv === 8 ? 6 : 3;
    for (let z = 40; z < 48; z++) {
      for (let v = z * N * N; v < (z + 1) * N * N; v++) for (let k = from; k < t.bpv; k++) bytes[v * t.bpv + k] = 0xff;
    }
  }
  return Volume.from(data, [t.channels, N, N, N]);
}

/** Smooth content for the lossy paths: 8-bit pattern p(x, y, z), spread to the type. */
function smoothVolume(t: VoxelType, noise = 0, seed = 3): Volume {
  const data = allocate(t.dtype, t.channels * N * N * N);
  const r = rng(seed);
  let i = 0;
  for (let z = 0; z < N; z++) {
    for (let y = 0; y < N; y++) {
      for (let x = 0; x < N; x++) {
        const p = 128 + 60 * Math.sin(x / 7) * Math.cos(y / 9) + 30 * Math.cos(z / 5) + (noise ? (r() * 2 - 1) * noise : 0);
        const v = Math.max(0, Math.min(255, Math.round(p)));
        if (t.channels === 4) {
          (data as Uint8Array).set([v, 255 - v, Math.round(128 + 50 * Math.sin((x + y) / 11)), 255], 4 * i);
        } else if (t.dtype === 'uint16') {
          (data as Uint16Array)[i] = v * 256 + ((x * 7 + y) & 255);
        } else {
          (data as Uint8Array)[i] = v;
        }
        i++;
      }
    }
  }
  return Volume.from(data, [t.channels, N, N, N]);
}

/**
 * The values' bytes in F order. float32 views are copied as uint32 (element-wise float copies
 * may canonicalize NaN payloads, and random bytes hold many NaNs).
 */
function bytesOf(vol: Volume): Uint8Array {
  const data = vol.data;
  const source =
    data instanceof Float32Array
      ? Volume.from(new Uint32Array(data.buffer, data.byteOffset, data.length), vol.shape, { strides: vol.strides, offset: vol.offset })
      : vol;
  const a = source.toTypedArray('F');
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The plane of `raw` (a [c, x, y, z] Volume from 0) that a slice request covers, as bytes. */
function planeOf(raw: Volume, plane: 'xy' | 'xz' | 'yz', offset: number[], size: number[]): Uint8Array {
  const [x, y, z] = offset;
  const [w, h] = size;
  const sel =
    plane === 'xy' ? `:,${x}:${x + w},${y}:${y + h},${z}` : plane === 'xz' ? `:,${x}:${x + w},${y},${z}:${z + h}` : `:,${x},${y}:${y + w},${z}:${z + h}`;
  return bytesOf(raw.get(sel));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Largest |Δ| between two Volumes' values read as numbers (8- or 16-bit). */
function maxDiff(a: Volume, b: Volume): number {
  const x = a.toTypedArray('F') as ArrayLike<number>;
  const y = b.toTypedArray('F') as ArrayLike<number>;
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

async function createInstance(client: DvidClient, uuid: string, t: VoxelType, options: { resolution?: number[]; config?: Record<string, string> } = {}) {
  const name = uniqueName(t.label);
  const md = VoxelsMetadata.createDefault([t.channels, 0, 0, 0], t.dtype, 'cxyz', options.resolution ?? [8, 8, 8], 'nanometers');
  return client.createVoxels(uuid, name, md, { blockSize: 32, config: options.config });
}

describeServer(`images of voxel instances (${server.kind})`, () => {
  const client = newClient();
  let uuid: string;

  beforeAll(async () => {
    uuid = await newRepo(client);
  });

  for (const t of TYPES) {
    describe(t.label, () => {
      let v: VoxelsAccessor;
      let raw: Volume;

      beforeAll(async () => {
        v = await createInstance(client, uuid, t);
        await v.write([0, 0, 0, 0], [t.channels, N, N, N], randomVolume(t, 7));
        raw = await v.read([0, 0, 0, 0], [t.channels, N, N, N]);
      });

      it('PNG slices in all three planes, at unaligned offsets, decode to exactly the /raw values', async () => {
        const requests: ['xy' | 'xz' | 'yz', number[], number[]][] = [
          ['xy', [3, 5, 13], [50, 40]],
          ['xy', [0, 0, 44], [64, 64]], // inside the "opaque" slab: RGB instead of RGBA for 4- and 8-byte types
          ['xz', [7, 21, 2], [45, 60]],
          ['xz', [0, 63, 40], [64, 8]],
          ['yz', [30, 1, 9], [62, 33]],
          ['yz', [0, 0, 0], [1, 1]],
        ];
        for (const [plane, offset, size] of requests) {
          const slice = await v.slice(plane, offset, size);
          expect(slice.dtype).toBe(t.dtype);
          expect(slice.shape).toEqual([t.channels, ...size]);
          expect(slice.axes).toBe(`c${plane}`);
          expect(sameBytes(bytesOf(slice), planeOf(raw, plane, offset, size)), `${plane} at [${offset}]`).toBe(true);
        }
      });

      it("format 'raw' slices (one-voxel-thick /raw boxes) are the same values", async () => {
        for (const plane of ['xy', 'xz', 'yz'] as const) {
          const slice = await v.slice(plane, [5, 6, 7], [20, 30], { format: 'raw' });
          expect(slice.shape).toEqual([t.channels, 20, 30]);
          expect(sameBytes(bytesOf(slice), planeOf(raw, plane, [5, 6, 7], [20, 30]))).toBe(true);
        }
      });

      it('sliceImage returns the PNG as sent, with its content type and a Blob', async () => {
        const img = await v.sliceImage('xy', [0, 0, 1], [16, 8]);
        expect(img.format).toBe('png');
        expect(img.contentType).toBe('image/png');
        expect(Array.from(img.bytes.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
        const blob = img.blob();
        expect(blob.type).toBe('image/png');
        expect(blob.size).toBe(img.bytes.length);
      });

      it('a slice reaching past the stored data reads zeros there', async () => {
        const slice = await v.slice('xz', [48, 10, -8], [32, 24]);
        const bytes = bytesOf(slice);
        const row = 32 * t.bpv;
        for (let zi = 0; zi < 24; zi++) {
          for (let xi = 0; xi < 32; xi++) {
            const inside = 48 + xi < N && -8 + zi >= 0;
            const got = bytes.subarray(zi * row + xi * t.bpv, zi * row + (xi + 1) * t.bpv);
            const want = inside ? bytesOf(raw.get(`:,${48 + xi},10,${zi - 8}`)) : new Uint8Array(t.bpv);
            expect(sameBytes(got, want)).toBe(true);
          }
        }
      });

      it('LZ4 block streams (transfer: blocks) equal /raw exactly, aligned, unaligned and partly outside', async () => {
        const boxes: [number[], number[]][] = [
          [[0, 0, 0], [64, 64, 64]],
          [[5, 7, 9], [50, 41, 33]],
          [[-10, 40, 60], [20, 70, 70]],
        ];
        for (const [start, stop] of boxes) {
          const a = [0, ...start];
          const b = [t.channels, ...stop];
          const viaBlocks = await v.read(a, b, { transfer: 'blocks' });
          const viaRaw = await v.read(a, b, { transfer: 'raw' });
          expect(viaBlocks.shape).toEqual(viaRaw.shape);
          expect(viaBlocks.dtype).toBe(t.dtype);
          expect(sameBytes(bytesOf(viaBlocks), bytesOf(viaRaw)), `box [${start}]–[${stop}]`).toBe(true);
        }
        const sel = await v.get(':,3:60,10,0:64', { transfer: 'blocks' });
        expect(sameBytes(bytesOf(sel), bytesOf(raw.get(':,3:60,10,0:64')))).toBe(true);
      });

      if (t.bpv === 1 || t.dtype === 'uint16' || t.channels === 4) {
        it('JPEG slices stay within the stated tolerance of /raw', async () => {
          const smooth = await createInstance(client, uuid, t);
          await smooth.write([0, 0, 0, 0], [t.channels, N, N, N], smoothVolume(t));
          const bound = t.channels === 4 ? JPEG_TOLERANCE_RGB : t.dtype === 'uint16' ? JPEG_TOLERANCE_16BIT : JPEG_TOLERANCE_8BIT;
          for (const plane of ['xy', 'xz', 'yz'] as const) {
            const png = await smooth.slice(plane, [0, 0, 0], [N, N]);
            const jpeg = await smooth.slice(plane, [0, 0, 0], [N, N], { format: 'jpeg' });
            expect(jpeg.shape).toEqual(png.shape);
            expect(maxDiff(jpeg, png), `${plane} q80`).toBeLessThanOrEqual(bound);
            const better = await smooth.slice(plane, [0, 0, 0], [N, N], { format: 'jpeg', quality: 95 });
            expect(maxDiff(better, png), `${plane} q95`).toBeLessThanOrEqual(bound);
          }
          const img = await smooth.sliceImage('xy', [0, 0, 3], [N, N], { format: 'jpeg', quality: 60 });
          expect(img.contentType).toBe('image/jpeg');
          expect(Array.from(img.bytes.subarray(0, 2))).toEqual([0xff, 0xd8]);
        });
      } else {
        it("JPEG slices are refused before any request (DVID's JPEGs cannot carry these bytes)", async () => {
          await expect(v.slice('xy', [0, 0, 0], [8, 8], { format: 'jpeg' })).rejects.toThrow(DvidArgumentError);
          // The encoded image itself can still be fetched.
          const img = await v.sliceImage('xy', [0, 0, 0], [8, 8], { format: 'jpeg' });
          expect(img.format).toBe('jpeg');
        });
      }
    });
  }

  describe('JPEG-stored uint8blk', () => {
    let v: VoxelsAccessor;
    let written: Volume;
    let raw: Volume;
    const t = TYPES[0];

    beforeAll(async () => {
      v = await createInstance(client, uuid, t, { config: { Compression: 'jpeg' } });
      written = smoothVolume(t, 20, 5);
      await v.write([0, 0, 0, 0], [1, N, N, N], written);
      raw = await v.read([0, 0, 0, 0], [1, N, N, N]);
    });

    it('/raw returns DVID’s decoding of the stored JPEG blocks, within the tolerance of what was written', () => {
      expect(maxDiff(raw, written)).toBeLessThanOrEqual(JPEG_TOLERANCE_NOISY);
    });

    it('JPEG block streams decode to exactly the /raw values (the IDCT of DVID’s Go is detected)', async () => {
      const viaBlocks = await v.read([0, 0, 0, 0], [1, N, N, N], { transfer: 'blocks' });
      expect(sameBytes(bytesOf(viaBlocks), bytesOf(raw))).toBe(true);
      expect(['chen-wang', 'loeffler']).toContain(detectedJpegIdct(client.transport));
      const part = await v.read([0, 9, 17, 33], [1, 60, 50, 64], { transfer: 'blocks' });
      expect(sameBytes(bytesOf(part), bytesOf(raw.get(':,9:60,17:50,33:64')))).toBe(true);
    });

    it('an explicit IDCT is used as given: one of the two is exact', async () => {
      const results = await Promise.all(
        (['chen-wang', 'loeffler'] as const).map(async (jpegIdct) => {
          const c = newClient();
          const w = await c.voxels(uuid, v.name);
          const got = await w.read([0, 0, 0, 0], [1, 32, 32, 32], { transfer: 'blocks', jpegIdct });
          return maxDiff(got, raw.get(':,0:32,0:32,0:32'));
        }),
      );
      expect(Math.min(...results)).toBe(0);
      expect(Math.max(...results)).toBeLessThanOrEqual(1);
    });
  });

  describe('the 3D /raw/…/jpg form', () => {
    it('decodes into a Volume within the tolerance of /raw, and tall boxes are read in z ranges', async () => {
      const t = TYPES[0];
      const v = await createInstance(client, uuid, t);
      await v.write([0, 0, 0, 0], [1, N, N, N], smoothVolume(t, 20, 9));
      const raw = await v.read([0, 0, 0, 0], [1, N, N, N]);
      const viaJpeg = await v.read([0, 0, 0, 0], [1, N, N, N], { transfer: 'jpeg' });
      expect(viaJpeg.shape).toEqual([1, N, N, N]);
      expect(maxDiff(viaJpeg, raw)).toBeLessThanOrEqual(JPEG_TOLERANCE_NOISY);
      // 8 × 256 × 260: 256·260 rows exceed a JPEG's 65535, so two requests; outside the data is 0.
      const tall = await v.read([0, 0, 0, 0], [1, 8, 256, 260], { transfer: 'jpeg' });
      expect(tall.shape).toEqual([1, 8, 256, 260]);
      expect(maxDiff(tall.get(':,:,0:64,0:64'), raw.get(':,0:8,:,:'))).toBeLessThanOrEqual(JPEG_TOLERANCE_NOISY);
      expect(maxDiff(tall.get(':,:,96:256,96:260'), Volume.zeros([1, 8, 160, 164], 'uint8'))).toBeLessThanOrEqual(2);
    });

    it('is refused for types other than uint8, before any request', async () => {
      const v = await createInstance(client, uuid, TYPES[1]);
      await expect(v.read([0, 0, 0, 0], [1, 8, 8, 8], { transfer: 'jpeg' })).rejects.toThrow(DvidArgumentError);
      await expect(v.read([0, 0, 0, 0], [1, 8, 8, 8], { transfer: 'blocks', query: { roi: 'x' } })).rejects.toThrow(DvidArgumentError);
    });
  });

  describe('isotropic slices', () => {
    it('equal /raw slices when the voxel size is isotropic', async () => {
      const t = TYPES[1];
      const v = await createInstance(client, uuid, t);
      await v.write([0, 0, 0, 0], [1, N, N, N], randomVolume(t, 11));
      for (const plane of ['xy', 'xz', 'yz'] as const) {
        const iso = await v.slice(plane, [4, 5, 6], [40, 30], { isotropic: true });
        const plain = await v.slice(plane, [4, 5, 6], [40, 30]);
        expect(sameBytes(bytesOf(iso), bytesOf(plain))).toBe(true);
      }
    });

    it('are rescaled to square pixels for an anisotropic voxel size (size as requested)', async () => {
      const t = TYPES[0];
      const v = await createInstance(client, uuid, t, { resolution: [4, 4, 40] });
      // Values depend on x and y only, so every row of an XZ slice is the same, rescaled or not.
      const vol = Volume.zeros([1, N, N, N], 'uint8');
      for (let z = 0; z < N; z++) for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) vol.data[x + N * (y + N * z)] = (x * 3 + y * 5) & 255;
      await v.write([0, 0, 0, 0], [1, N, N, N], vol);
      const iso = await v.slice('xz', [0, 10, 0], [N, 50], { isotropic: true });
      expect(iso.shape).toEqual([1, N, 50]);
      for (let zi = 0; zi < 50; zi++) {
        expect(sameBytes(bytesOf(iso.get(`:,:,${zi}`)), bytesOf(vol.get(':,:,10,0')))).toBe(true);
      }
      const img = await v.sliceImage('xz', [0, 10, 0], [N, 50], { isotropic: true });
      expect(img.format).toBe('png');
    });
  });

  describe('arbitrary planes (/arb)', () => {
    it('uint8blk: a plane through voxel centres equals the XY slice; size follows ⌊distance/res⌋+1', async () => {
      const t = TYPES[0];
      const v = await createInstance(client, uuid, t);
      await v.write([0, 0, 0, 0], [t.channels, N, N, N], randomVolume(t, 13));
      const [x0, y0, z, w, h] = [3, 4, 20, 30, 25];
      const res = 8;
      const plane = await v.arb([x0 * res, y0 * res, z * res], [(x0 + w - 1) * res, y0 * res, z * res], [x0 * res, (y0 + h - 1) * res, z * res], res);
      expect(plane.shape).toEqual([t.channels, w, h]);
      expect(plane.axes).toBe('cuv');
      const xy = await v.slice('xy', [x0, y0, z], [w, h]);
      expect(sameBytes(bytesOf(plane), bytesOf(xy))).toBe(true);
      const oblique = await v.arbImage([0, 0, 0], [160, 0, 120], [0, 80, 0], 8, { format: 'jpeg' });
      expect(oblique.format).toBe('jpeg');
      const decoded = await v.arb([0, 0, 0], [160, 0, 120], [0, 80, 0], 8);
      expect(decoded.shape).toEqual([t.channels, 26, 11]);
    });

    it('is refused for other types: DVID v1.0.0 answers zeros (uint16 …) or misaddressed bytes (rgba8)', async () => {
      for (const t of [TYPES[1], TYPES[5]]) {
        const v = await createInstance(client, uuid, t);
        await expect(v.arb([0, 0, 0], [80, 0, 0], [0, 80, 0], 8)).rejects.toThrow(DvidArgumentError);
        await expect(v.arbImage([0, 0, 0], [80, 0, 0], [0, 80, 0], 8)).rejects.toThrow(DvidArgumentError);
      }
    });
  });

  describe('label slices (labelmap, packed like uint64blk)', () => {
    it('PNG slices at scale 0 and 1 decode to exactly the labelmap’s /raw values', async () => {
      const seg = await client.createLabelmap(uuid, uniqueName('seg'), { blockSize: 64, maxDownresLevel: 1 });
      for (const scale of [0, 1]) {
        const labels = new BigUint64Array(64 * 64 * 64);
        for (let i = 0; i < labels.length; i++) labels[i] = ((BigInt(i >> 9) + 1n) << 44n) + BigInt(scale * 1000 + (i & 7));
        await seg.write([0, 0, 0, 0], [1, 64, 64, 64], labels, { transfer: 'blocks', scale });
      }
      for (const scale of [0, 1]) {
        const ctx = { transport: client.transport, uuid, name: seg.name, dtype: 'uint64' as const, channels: 1, blockSize: [64, 64, 64], query: { scale } };
        for (const plane of ['xy', 'xz', 'yz'] as const) {
          const slice = await readSlice(ctx, plane, [3, 4, 5], [50, 40]);
          expect(slice.dtype).toBe('uint64');
          const box = plane === 'xy' ? [53, 44, 6] : plane === 'xz' ? [53, 5, 45] : [4, 54, 45];
          const raw = await seg.read([0, 3, 4, 5], [1, ...box], { scale, transfer: 'raw' });
          expect(sameBytes(bytesOf(slice), bytesOf(raw)), `scale ${scale} ${plane}`).toBe(true);
        }
      }
    });
  });

  describe('argument checks before any request', () => {
    it('bad planes, sizes, formats and qualities are DvidArgumentErrors', async () => {
      const v = await createInstance(client, uuid, TYPES[0]);
      await expect(v.slice('zx' as 'xy', [0, 0, 0], [8, 8])).rejects.toThrow(DvidArgumentError);
      await expect(v.slice('xy', [0, 0], [8, 8])).rejects.toThrow(DvidArgumentError);
      await expect(v.slice('xy', [0, 0, 0], [0, 8])).rejects.toThrow(DvidArgumentError);
      await expect(v.slice('xy', [0, 0, 0], [8, 8], { format: 'gif' as 'png' })).rejects.toThrow(DvidArgumentError);
      await expect(v.slice('xy', [0, 0, 0], [8, 8], { format: 'jpeg', quality: 0 })).rejects.toThrow(DvidArgumentError);
      await expect(v.slice('xy', [0, 0, 0], [8, 8], { quality: 90 })).rejects.toThrow(DvidArgumentError);
      await expect(v.slice('xy', [0, 0, 0], [8, 8], { format: 'raw', isotropic: true })).rejects.toThrow(DvidArgumentError);
      await expect(v.read([0, 0, 0, 0], [1, 8, 8, 8], { transfer: 'zip' as 'raw' })).rejects.toThrow(DvidArgumentError);
    });

    it('an unknown instance is DVID’s 400, typed', async () => {
      const v = await createInstance(client, uuid, TYPES[0]);
      const other = await newClient().voxels(uuid, v.name);
      // Same instance, fine; a missing one fails in open().
      expect(other.name).toBe(v.name);
      await expect(newClient().voxels(uuid, 'no_such_instance')).rejects.toSatisfy((e: unknown) => isDvidError(e, 'http') && e.status === 400);
    });
  });
});
