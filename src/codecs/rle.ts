/**
 * Sparse volumes: the run-length encodings of labelmap `sparsevol` (`format=rles`, `srles`),
 * `sparsevol-coarse`, the `split`/`split-supervoxel` request bodies, and the binary-mask blocks
 * of `sparsevol?format=blocks`. Decoders return typed arrays of runs; helpers expand runs to
 * voxel coordinates or paint them into a mask Volume over a box.
 *
 * Formats, all integers little-endian (DVID `datatype/labelmap/labelidx.go` `writeLegacyRLE`,
 * `writeStreamingRLE`, `GetSparseCoarseVol`, `dvid/volumes.go` `ReadRLEs`,
 * `datatype/common/labels/compressed.go` `WriteRLEs`, `WriteBinaryBlocks`, `WriteBinaryBlock`):
 *
 * - **Legacy RLEs** (`format=rles`, the default, and the body of `split`): byte 0 = 0 (binary
 *   payload), byte 1 = 3 (dimensions), byte 2 = 0 (runs along x), byte 3 reserved, uint32 voxel
 *   count (DVID always writes 0), uint32 run count S, then S runs of int32 x, y, z (first
 *   voxel), int32 length along x. DVID's reader (`ReadRLEs`) checks only byte 0.
 * - **Streaming RLEs** (`format=srles`): the 16-byte runs alone.
 * - **Coarse RLEs** (`sparsevol-coarse`): the legacy layout, in **block** coordinates.
 * - Runs come block by block, merged across x-adjacent blocks; do not assume a global order.
 *   DVID answers 200 with an **empty body** when a label exists but has no voxels within the
 *   bounds or at the scale asked for: these decoders read an empty input as zero runs.
 * - **Binary-mask blocks** (`format=blocks`): a 20-byte header (uint32 gx, gy, gz sub-blocks
 *   per block, uint64 label), then per block int32 x, y, z (the **voxel** coordinate of the
 *   block's first voxel) and a content byte: 0 = no voxel of the label, 1 = all, 2 = mixed. A
 *   mixed block is followed by gx·gy·gz sub-blocks (z, y, x order), each a content byte and, for
 *   2, a 64-byte mask of 512 bits in z, y, x voxel order, **least-significant bit first** (bit i
 *   of byte k is voxel 8k + i; the opposite of the label block's MSB-first packing). Bounds
 *   select whole blocks: this format is never trimmed to the voxel.
 *
 * Hostile input raises {@link DecodeError} (codec `dvid-sparsevol`) with the byte offset (and
 * the block for mask blocks): lying run counts, truncation, non-positive run lengths, runs that
 * overflow int32, unknown content bytes. Nothing is allocated beyond what the input can hold.
 *
 * @example
 * ```ts
 * const runs = decodeRles(new Uint8Array(await res.arrayBuffer())); // GET .../sparsevol/7
 * countRunVoxels(runs);                      // voxels of label 7
 * const coords = expandRuns(runs);           // x, y, z per voxel
 * const mask = runsToMask(runs, [0, 0, 0], [64, 64, 64]); // uint8 Volume [1, 64, 64, 64]
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';
import { Volume } from '../volume/index.js';

/** The `codec` of every {@link DecodeError} raised here. */
export const SPARSEVOL_CODEC = 'dvid-sparsevol';

/** Bytes of the legacy RLE header. */
export const RLE_HEADER_BYTES = 12;
/** Bytes per run. */
export const RLE_RUN_BYTES = 16;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

/** A point or size [x, y, z]. */
export type Vec3 = [number, number, number];

/**
 * Runs along x: `runs[4i]`, `runs[4i+1]`, `runs[4i+2]` are x, y, z of run i's first voxel and
 * `runs[4i+3]` its length (≥ 1). Coordinates are voxels (or blocks for coarse sparse volumes).
 */
export interface RunList {
  /** Number of runs. */
  readonly count: number;
  /** 4 int32 per run: x, y, z, length. */
  readonly runs: Int32Array;
}

/** Options for the run decoders. */
export interface DecodeRlesOptions {
  /** What is being decoded (e.g. `label 7`), for error messages. */
  block?: string;
}

function fail(message: string, offset: number, block?: string): never {
  throw new DecodeError(SPARSEVOL_CODEC, message, { offset, block });
}

function checkBytes(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new DvidArgumentError('bytes', 'expected a Uint8Array');
}

/** Copies `count` runs starting at `bytes[p]` and checks every length. */
function readRuns(bytes: Uint8Array, p: number, count: number, block: string | undefined): RunList {
  const runs = new Int32Array(4 * count);
  if (LITTLE_ENDIAN) {
    new Uint8Array(runs.buffer).set(bytes.subarray(p, p + RLE_RUN_BYTES * count));
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let i = 0; i < 4 * count; i++) runs[i] = dv.getInt32(p + 4 * i, true);
  }
  for (let i = 0; i < count; i++) {
    const len = runs[4 * i + 3];
    if (len < 1) fail(`run ${i} has length ${len}; runs are at least 1 voxel long`, p + RLE_RUN_BYTES * i + 12, block);
    if (runs[4 * i] + len - 1 > INT32_MAX) {
      fail(`run ${i} (x ${runs[4 * i]}, length ${len}) runs past the int32 range`, p + RLE_RUN_BYTES * i, block);
    }
  }
  return { count, runs };
}

/**
 * Decodes legacy RLEs (`sparsevol` `format=rles`, `sparsevol-coarse`, split bodies): the 12-byte
 * header, then the runs. An empty input is zero runs (DVID's answer for a label with no voxels in
 * the bounds or at the scale asked for).
 *
 * @throws {@link DecodeError} when the header is not DVID's (descriptor 0, 3 dimensions, runs
 *   along x), the run count disagrees with the length, or a run is invalid.
 * @example
 * ```ts
 * const runs = decodeRles(body);
 * for (let i = 0; i < runs.count; i++) console.log(runs.runs.subarray(4 * i, 4 * i + 4));
 * ```
 */
export function decodeRles(bytes: Uint8Array, options: DecodeRlesOptions = {}): RunList {
  checkBytes(bytes);
  const block = options.block;
  if (bytes.length === 0) return { count: 0, runs: new Int32Array(0) };
  if (bytes.length < RLE_HEADER_BYTES) fail(`${bytes.length} bytes is shorter than the 12-byte RLE header`, bytes.length, block);
  if (bytes[0] !== 0) fail(`payload descriptor is ${bytes[0]}, expected 0 (binary)`, 0, block);
  if (bytes[1] !== 3) fail(`header says ${bytes[1]} dimensions, expected 3`, 1, block);
  if (bytes[2] !== 0) fail(`header says runs along dimension ${bytes[2]}, expected 0 (x)`, 2, block);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const count = dv.getUint32(8, true);
  const available = (bytes.length - RLE_HEADER_BYTES) / RLE_RUN_BYTES;
  if (count > available) fail(`header claims ${count} runs, but only ${Math.floor(available)} fit in ${bytes.length} bytes`, 8, block);
  if (count < available) fail(`header claims ${count} runs, but ${bytes.length} bytes hold ${available}`, RLE_HEADER_BYTES + RLE_RUN_BYTES * count, block);
  return readRuns(bytes, RLE_HEADER_BYTES, count, block);
}

/**
 * Decodes streaming RLEs (`sparsevol` `format=srles`): 16-byte runs with no header.
 *
 * @throws {@link DecodeError} when the length is not a multiple of 16 or a run is invalid.
 * @example
 * ```ts
 * const runs = decodeStreamingRles(body); // GET .../sparsevol/7?format=srles
 * ```
 */
export function decodeStreamingRles(bytes: Uint8Array, options: DecodeRlesOptions = {}): RunList {
  checkBytes(bytes);
  if (bytes.length % RLE_RUN_BYTES !== 0) {
    fail(`${bytes.length} bytes is not a whole number of 16-byte runs`, bytes.length - (bytes.length % RLE_RUN_BYTES), options.block);
  }
  return readRuns(bytes, 0, bytes.length / RLE_RUN_BYTES, options.block);
}

/**
 * Decodes a coarse sparse volume (`sparsevol-coarse`): legacy RLEs whose coordinates and lengths
 * are in **blocks**.
 *
 * @example
 * ```ts
 * const blocks = decodeCoarseRles(body); // runs of block coordinates
 * countRunVoxels(blocks);                // number of blocks
 * ```
 */
export function decodeCoarseRles(bytes: Uint8Array, options: DecodeRlesOptions = {}): RunList {
  return decodeRles(bytes, options);
}

/**
 * Creates a run list from x, y, z, length quadruples, checking each run.
 *
 * @throws {@link DvidArgumentError} for non-integers, lengths below 1, or values outside int32.
 * @example
 * ```ts
 * const runs = createRunList([[10, 20, 30, 5], [10, 21, 30, 5]]);
 * ```
 */
export function createRunList(runs: Int32Array | readonly (readonly number[])[]): RunList {
  const flat = runs instanceof Int32Array ? runs : Int32Array.from(runs.flatMap((r) => checkQuad(r)));
  if (flat.length % 4 !== 0) throw new DvidArgumentError('runs', `expected 4 numbers per run, got ${flat.length}`);
  const count = flat.length / 4;
  for (let i = 0; i < count; i++) {
    const len = flat[4 * i + 3];
    if (len < 1) throw new DvidArgumentError('runs', `run ${i} has length ${len}; runs are at least 1 voxel long`);
    if (flat[4 * i] + len - 1 > INT32_MAX) throw new DvidArgumentError('runs', `run ${i} runs past the int32 range`);
  }
  return { count, runs: flat };
}

function checkQuad(r: readonly number[]): number[] {
  if (r.length !== 4 || !r.every((v) => Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX)) {
    throw new DvidArgumentError('runs', `expected [x, y, z, length] int32 quadruples, got ${JSON.stringify(r)}`);
  }
  return [...r];
}

/**
 * Encodes runs as legacy RLEs, the body DVID's `split` and `split-supervoxel` read.
 *
 * @example
 * ```ts
 * const body = encodeRles(createRunList([[0, 0, 0, 64]])); // 28 bytes
 * ```
 */
export function encodeRles(list: RunList): Uint8Array {
  const n = list.count;
  const out = new Uint8Array(RLE_HEADER_BYTES + RLE_RUN_BYTES * n);
  const dv = new DataView(out.buffer);
  out[1] = 3;
  dv.setUint32(8, n, true);
  for (let i = 0; i < 4 * n; i++) dv.setInt32(RLE_HEADER_BYTES + 4 * i, list.runs[i], true);
  return out;
}

/**
 * Number of voxels (or blocks) the runs cover, overlaps counted twice.
 *
 * @example
 * ```ts
 * countRunVoxels(createRunList([[0, 0, 0, 5], [0, 1, 0, 3]])); // 8
 * ```
 */
export function countRunVoxels(list: RunList): number {
  let n = 0;
  for (let i = 0; i < list.count; i++) n += list.runs[4 * i + 3];
  return n;
}

/**
 * The bounding box of the runs: `start` inclusive, `stop` exclusive; `null` for no runs.
 *
 * @example
 * ```ts
 * getRunBounds(createRunList([[2, 3, 4, 5]])); // { start: [2, 3, 4], stop: [7, 4, 5] }
 * ```
 */
export function getRunBounds(list: RunList): { start: Vec3; stop: Vec3 } | null {
  if (list.count === 0) return null;
  const r = list.runs;
  const start: Vec3 = [Infinity, Infinity, Infinity];
  const stop: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < list.count; i++) {
    const x = r[4 * i];
    const y = r[4 * i + 1];
    const z = r[4 * i + 2];
    if (x < start[0]) start[0] = x;
    if (y < start[1]) start[1] = y;
    if (z < start[2]) start[2] = z;
    if (x + r[4 * i + 3] > stop[0]) stop[0] = x + r[4 * i + 3];
    if (y + 1 > stop[1]) stop[1] = y + 1;
    if (z + 1 > stop[2]) stop[2] = z + 1;
  }
  return { start, stop };
}

/**
 * Clips runs to a box: `start` inclusive, `stop` exclusive, either side optional per call (use
 * ±Infinity for an open side). Runs outside are dropped, runs crossing the box in x are cut.
 *
 * @example
 * ```ts
 * clipRuns(createRunList([[0, 5, 5, 100]]), [10, 0, 0], [20, 10, 10]); // one run: x 10, length 10
 * ```
 */
export function clipRuns(list: RunList, start: readonly number[], stop: readonly number[]): RunList {
  if (start.length !== 3 || stop.length !== 3) throw new DvidArgumentError('box', 'start and stop must be [x, y, z]');
  const r = list.runs;
  const out = new Int32Array(r.length);
  let n = 0;
  for (let i = 0; i < list.count; i++) {
    const y = r[4 * i + 1];
    const z = r[4 * i + 2];
    if (y < start[1] || y >= stop[1] || z < start[2] || z >= stop[2]) continue;
    const x0 = Math.max(r[4 * i], start[0]);
    const x1 = Math.min(r[4 * i] + r[4 * i + 3], stop[0]);
    if (x0 >= x1) continue;
    out[4 * n] = x0;
    out[4 * n + 1] = y;
    out[4 * n + 2] = z;
    out[4 * n + 3] = x1 - x0;
    n += 1;
  }
  return { count: n, runs: out.slice(0, 4 * n) };
}

/**
 * Expands runs to voxel coordinates: x, y, z per voxel, in run order.
 *
 * @param maxVoxels - refuse (with a {@link DvidArgumentError}) to expand more voxels than this.
 * @example
 * ```ts
 * expandRuns(createRunList([[5, 0, 0, 2]])); // Int32Array [5, 0, 0, 6, 0, 0]
 * ```
 */
export function expandRuns(list: RunList, maxVoxels = 1 << 26): Int32Array {
  const total = countRunVoxels(list);
  if (total > maxVoxels) throw new DvidArgumentError('runs', `${total} voxels is more than maxVoxels (${maxVoxels}) to expand`);
  const out = new Int32Array(3 * total);
  const r = list.runs;
  let p = 0;
  for (let i = 0; i < list.count; i++) {
    const x = r[4 * i];
    const y = r[4 * i + 1];
    const z = r[4 * i + 2];
    for (let k = 0; k < r[4 * i + 3]; k++, p += 3) {
      out[p] = x + k;
      out[p + 1] = y;
      out[p + 2] = z;
    }
  }
  return out;
}

function checkBox(start: readonly number[], stop: readonly number[]): Vec3 {
  if (start.length !== 3 || stop.length !== 3) throw new DvidArgumentError('box', 'start and stop must be [x, y, z]');
  const size: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    if (!Number.isInteger(start[a]) || !Number.isInteger(stop[a]) || stop[a] <= start[a]) {
      throw new DvidArgumentError('box', `expected integers with start < stop, got [${start.join(',')}]–[${stop.join(',')}]`);
    }
    size[a] = stop[a] - start[a];
  }
  return size;
}

/**
 * Paints runs into a new uint8 mask over the box `[start, stop)`: 1 where a run covers the
 * voxel, 0 elsewhere; parts of runs outside the box are ignored. The mask is a Fortran-order
 * Volume of shape `[1, nx, ny, nz]`, axes `'cxyz'`, like every label read.
 *
 * @example
 * ```ts
 * const mask = runsToMask(runs, [0, 0, 0], [64, 64, 64]);
 * mask.item(0, 10, 20, 30); // 1 if voxel (10, 20, 30) belongs to the label
 * ```
 */
export function runsToMask(list: RunList, start: readonly number[], stop: readonly number[]): Volume<'uint8'> {
  const [nx, ny, nz] = checkBox(start, stop);
  const out = new Uint8Array(nx * ny * nz);
  const r = list.runs;
  for (let i = 0; i < list.count; i++) {
    const y = r[4 * i + 1] - start[1];
    const z = r[4 * i + 2] - start[2];
    if (y < 0 || y >= ny || z < 0 || z >= nz) continue;
    const x0 = Math.max(r[4 * i] - start[0], 0);
    const x1 = Math.min(r[4 * i] + r[4 * i + 3] - start[0], nx);
    if (x0 >= x1) continue;
    const row = (z * ny + y) * nx;
    out.fill(1, row + x0, row + x1);
  }
  return Volume.from(out, [1, nx, ny, nz], { axes: 'cxyz' });
}

/**
 * Turns a mask into runs: every nonzero voxel of `mask` belongs to a run. `mask` is a Volume of
 * shape `[1, nx, ny, nz]` (axes `cxyz`) or `[nx, ny, nz]`, any dtype and layout; `origin` is the
 * DVID coordinate of its first voxel. Runs come in z, y, x order.
 *
 * @example
 * ```ts
 * const mask = Volume.zeros([1, 64, 64, 64], 'uint8');
 * mask.set('0,0:10,5,7', 1);
 * maskToRuns(mask, [128, 0, 0]); // one run: x 128, y 5, z 7, length 10
 * ```
 */
export function maskToRuns(mask: Volume, origin: readonly number[] = [0, 0, 0]): RunList {
  if (!(mask instanceof Volume)) throw new DvidArgumentError('mask', 'expected a Volume');
  let view = mask;
  if (mask.ndim === 4) {
    if (mask.shape[0] !== 1) throw new DvidArgumentError('mask', `expected one channel, got shape [${mask.shape.join(', ')}]`);
    view = mask.get([0]);
  }
  if (view.ndim !== 3) throw new DvidArgumentError('mask', `expected shape [1, nx, ny, nz] or [nx, ny, nz], got [${mask.shape.join(', ')}]`);
  if (origin.length !== 3 || !origin.every(Number.isInteger)) throw new DvidArgumentError('origin', 'expected integer [x, y, z]');
  const [nx, ny, nz] = view.shape;
  const [sx, sy, sz] = view.strides;
  const data = view.data as ArrayLike<number | bigint>;
  const out: number[] = [];
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let base = view.offset + y * sy + z * sz;
      let runStart = -1;
      for (let x = 0; x < nx; x++, base += sx) {
        // eslint-disable-next-line eqeqeq
        const on = data[base] != 0;
        if (on && runStart < 0) runStart = x;
        else if (!on && runStart >= 0) {
          out.push(origin[0] + runStart, origin[1] + y, origin[2] + z, x - runStart);
          runStart = -1;
        }
      }
      if (runStart >= 0) out.push(origin[0] + runStart, origin[1] + y, origin[2] + z, nx - runStart);
    }
  }
  return createRunList(Int32Array.from(out));
}

// ---- binary-mask blocks (format=blocks) ---------------------------------------------------------

/** One block of a `format=blocks` sparse volume. */
export interface MaskBlock {
  /** Voxel coordinate of the block's first voxel. */
  offset: Vec3;
  /** 0: no voxel of the label; 1: every voxel; 2: mixed (see `subBlocks` and `masks`). */
  content: 0 | 1 | 2;
  /** Mixed blocks only: content byte (0, 1, 2) of each 8³ sub-block, z, y, x order. */
  subBlocks?: Uint8Array;
  /**
   * Mixed blocks only: 64 bytes for each sub-block whose content is 2, in sub-block order; bit i
   * of byte k is voxel 8k + i of the sub-block, voxels in z, y, x order (LSB first).
   */
  masks?: Uint8Array;
}

/** A decoded `format=blocks` sparse volume. */
export interface MaskBlocks {
  /** The label DVID wrote in the header; undefined for an empty body. */
  label: bigint | undefined;
  /** Block size in voxels [nx, ny, nz] (8 × the header's sub-block counts); undefined for an empty body. */
  blockSize: Vec3 | undefined;
  /** Blocks in stream order. */
  blocks: MaskBlock[];
}

/**
 * Decodes the binary-mask blocks of `sparsevol?format=blocks`. An empty input (a label with no
 * blocks at the scale or within the bounds asked for) gives no blocks.
 *
 * @throws {@link DecodeError} naming block and offset for truncated input, bad sub-block
 *   counts, or content bytes other than 0, 1, 2.
 * @example
 * ```ts
 * const mb = decodeMaskBlocks(body);
 * const runs = maskBlocksToRuns(mb);
 * ```
 */
export function decodeMaskBlocks(bytes: Uint8Array, options: DecodeRlesOptions = {}): MaskBlocks {
  checkBytes(bytes);
  const len = bytes.length;
  if (len === 0) return { label: undefined, blockSize: undefined, blocks: [] };
  if (len < 20) fail(`${len} bytes is shorter than the 20-byte mask-blocks header`, len, options.block);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len);
  const g: Vec3 = [dv.getUint32(0, true), dv.getUint32(4, true), dv.getUint32(8, true)];
  for (let a = 0; a < 3; a++) {
    if (g[a] < 1 || g[a] > 128) fail(`${'xyz'[a]} sub-block count ${g[a]} is outside 1…128`, 4 * a, options.block);
  }
  const label = dv.getBigUint64(12, true);
  const nsb = g[0] * g[1] * g[2];
  const blocks: MaskBlock[] = [];
  let p = 20;
  while (p < len) {
    if (len - p < 13) fail(`input ends inside a block header (${len - p} of 13 bytes)`, p, options.block);
    const offset: Vec3 = [dv.getInt32(p, true), dv.getInt32(p + 4, true), dv.getInt32(p + 8, true)];
    const name = `${offset.join(',')}`;
    const content = bytes[p + 12];
    p += 13;
    if (content === 0 || content === 1) {
      blocks.push({ offset, content });
      continue;
    }
    if (content !== 2) fail(`block content byte is ${content}, expected 0, 1 or 2`, p - 1, name);
    if (len - p < nsb) fail(`input ends inside the sub-blocks of a mixed block`, p, name);
    // First pass: validate and count the mixed sub-blocks, so allocation follows the input.
    const start = p;
    let mixed = 0;
    for (let i = 0; i < nsb; i++) {
      if (p >= len) fail(`input ends before sub-block ${i}`, p, name);
      const c = bytes[p++];
      if (c > 2) fail(`sub-block ${i} content byte is ${c}, expected 0, 1 or 2`, p - 1, name);
      if (c === 2) {
        if (len - p < 64) fail(`input ends inside the mask of sub-block ${i} (${len - p} of 64 bytes)`, p, name);
        p += 64;
        mixed += 1;
      }
    }
    const subBlocks = new Uint8Array(nsb);
    const masks = new Uint8Array(64 * mixed);
    for (let i = 0, q = start, m = 0; i < nsb; i++) {
      const c = bytes[q++];
      subBlocks[i] = c;
      if (c === 2) {
        masks.set(bytes.subarray(q, q + 64), 64 * m++);
        q += 64;
      }
    }
    blocks.push({ offset, content: 2, subBlocks, masks });
  }
  return { label, blockSize: [8 * g[0], 8 * g[1], 8 * g[2]], blocks };
}

/** Calls `visit(x0, x1, y, z)` for each run of voxels (x in [x0, x1)) of one block. */
function forEachBlockRun(block: MaskBlock, size: Vec3, visit: (x0: number, x1: number, y: number, z: number) => void): void {
  const [nx, ny, nz] = size;
  const [ox, oy, oz] = block.offset;
  if (block.content === 0) return;
  if (block.content === 1) {
    for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) visit(ox, ox + nx, oy + y, oz + z);
    return;
  }
  const gx = nx / 8;
  const gy = ny / 8;
  const sub = block.subBlocks as Uint8Array;
  const masks = block.masks as Uint8Array;
  // Where each mixed sub-block's mask starts in `masks`.
  const maskAt = new Int32Array(sub.length);
  for (let i = 0, m = 0; i < sub.length; i++) if (sub[i] === 2) maskAt[i] = 64 * m++;
  for (let z = 0; z < nz; z++) {
    const sz = z >> 3;
    const vz = z & 7;
    for (let y = 0; y < ny; y++) {
      const sy = y >> 3;
      const vy = y & 7;
      let runStart = -1;
      for (let sx = 0; sx < gx; sx++) {
        const s = (sz * gy + sy) * gx + sx;
        const c = sub[s];
        if (c !== 2) {
          if (c === 1 && runStart < 0) runStart = sx * 8;
          else if (c === 0 && runStart >= 0) {
            visit(ox + runStart, ox + sx * 8, oy + y, oz + z);
            runStart = -1;
          }
          continue;
        }
        // One row of 8 voxels is one byte of the mask: voxel index (vz·8 + vy)·8 + vx.
        const bits = masks[maskAt[s] + vz * 8 + vy];
        for (let vx = 0; vx < 8; vx++) {
          const on = (bits >> vx) & 1;
          const x = sx * 8 + vx;
          if (on && runStart < 0) runStart = x;
          else if (!on && runStart >= 0) {
            visit(ox + runStart, ox + x, oy + y, oz + z);
            runStart = -1;
          }
        }
      }
      if (runStart >= 0) visit(ox + runStart, ox + nx, oy + y, oz + z);
    }
  }
}

/**
 * Converts binary-mask blocks to runs along x (one run list for all blocks, block by block;
 * runs are not merged across blocks).
 *
 * @example
 * ```ts
 * countRunVoxels(maskBlocksToRuns(decodeMaskBlocks(body))); // voxels of the label
 * ```
 */
export function maskBlocksToRuns(mb: MaskBlocks): RunList {
  if (!mb.blockSize) return { count: 0, runs: new Int32Array(0) };
  const out: number[] = [];
  for (const block of mb.blocks) {
    forEachBlockRun(block, mb.blockSize, (x0, x1, y, z) => out.push(x0, y, z, x1 - x0));
  }
  return { count: out.length / 4, runs: Int32Array.from(out) };
}

/**
 * Paints binary-mask blocks into a new uint8 mask over the box `[start, stop)` (shape
 * `[1, nx, ny, nz]`, axes `'cxyz'`, Fortran order); voxels outside the box are ignored.
 *
 * @example
 * ```ts
 * const mask = maskBlocksToMask(decodeMaskBlocks(body), [0, 0, 0], [128, 128, 128]);
 * ```
 */
export function maskBlocksToMask(mb: MaskBlocks, start: readonly number[], stop: readonly number[]): Volume<'uint8'> {
  const [nx, ny, nz] = checkBox(start, stop);
  const out = new Uint8Array(nx * ny * nz);
  if (mb.blockSize) {
    const size = mb.blockSize;
    for (const block of mb.blocks) {
      const o = block.offset;
      if (o[0] >= stop[0] || o[1] >= stop[1] || o[2] >= stop[2]) continue;
      if (o[0] + size[0] <= start[0] || o[1] + size[1] <= start[1] || o[2] + size[2] <= start[2]) continue;
      forEachBlockRun(block, size, (x0, x1, y, z) => {
        const yy = y - start[1];
        const zz = z - start[2];
        if (yy < 0 || yy >= ny || zz < 0 || zz >= nz) return;
        const a = Math.max(x0 - start[0], 0);
        const b = Math.min(x1 - start[0], nx);
        if (a < b) out.fill(1, (zz * ny + yy) * nx + a, (zz * ny + yy) * nx + b);
      });
    }
  }
  return Volume.from(out, [1, nx, ny, nz], { axes: 'cxyz' });
}
