/**
 * DVID v1.0.0's sparse-volume encodings of a label, written from the stored supervoxel blocks
 * the label index names (`labels.WriteRLEs`, `WriteBinaryBlocks`, `GetSparseCoarseVol`):
 *
 * - runs (`rles`/`srles`): `int32 x, y, z, length` along x, block by block in ZYX order; a run
 *   reaching a block's +x face is held back and continued into the next block when that block
 *   is the x-neighbour, otherwise flushed. With exact bounds the block is clipped to them, but
 *   inside blocks of several labels a run steps over whole uniform 8-voxel sub-block rows, so it
 *   may end past `maxx` at the next multiple of 8 — DVID's behaviour, kept here.
 * - binary blocks (`blocks`): header `uint32 gx, gy, gz`, `uint64 label`, then per block its
 *   voxel offset, a content byte and, for mixed blocks, per sub-block a content byte and for
 *   mixed sub-blocks a 64-byte mask (LSB first).
 * - coarse: the blocks as runs of block coordinates.
 *
 * @example
 * ```ts
 * const runs = writeRuns(blocks, new Set([7n]), { exact: true }); // Uint8Array of 16-byte runs
 * ```
 * @module
 */
import { GoParseError } from '../goformat.js';
import type { Point3 } from '../geometry.js';
import { SUB_BLOCK, type LabelBlock } from './block.js';
import { boundsSet, type OptionalBounds } from './labelindex.js';

/**
 * DVID's `dvid.Bounds`: optional voxel bounds, the block bounds derived from them, and whether
 * runs are trimmed to the voxel bounds.
 *
 * @example
 * ```ts
 * const bounds: SparseBounds = { voxel: parseBounds(query), exact: true };
 * ```
 */
export interface SparseBounds {
  voxel?: OptionalBounds;
  block?: OptionalBounds;
  exact: boolean;
}

/** A stored block with its block coordinate. */
export interface PlacedBlock {
  coord: Point3;
  block: LabelBlock;
}

const KEYS: [string, 'min' | 'max', number][] = [
  ['minx', 'min', 0],
  ['maxx', 'max', 0],
  ['miny', 'min', 1],
  ['maxy', 'max', 1],
  ['minz', 'min', 2],
  ['maxz', 'max', 2],
];

/**
 * `dvid.OptionalBoundsFromQueryString`: `minx` … `maxz` as int32 (inclusive), Go's messages.
 *
 * @example
 * ```ts
 * parseBounds(new URLSearchParams('minx=10&maxx=20')); // { min: [10, undefined, undefined], max: [20, ...] }
 * ```
 */
export function parseBounds(query: URLSearchParams): OptionalBounds {
  const bounds: OptionalBounds = { min: [undefined, undefined, undefined], max: [undefined, undefined, undefined] };
  for (const [key, side, axis] of KEYS) {
    const text = query.get(key) ?? '';
    if (text === '') continue;
    if (!/^[+-]?\d+$/.test(text)) throw new GoParseError('ParseInt', text, 'invalid syntax');
    const value = BigInt(text);
    if (value < -(2n ** 31n) || value >= 2n ** 31n) throw new GoParseError('ParseInt', text, 'value out of range');
    bounds[side][axis] = Number(value);
  }
  return bounds;
}

/**
 * `OptionalBounds.Divide`: each set side divided by the block size with Go's truncation.
 *
 * @example
 * ```ts
 * divideBounds(bounds, [64, 64, 64]);
 * ```
 */
export function divideBounds(bounds: OptionalBounds, size: Point3): OptionalBounds {
  const divide = (v: number | undefined, d: number) => (v === undefined ? undefined : Math.trunc(v / size[d]));
  return { min: bounds.min.map(divide), max: bounds.max.map(divide) };
}

/** Little-endian writer that grows as needed. */
class ByteSink {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }

  int32(v: number): void {
    this.reserve(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }

  uint64(v: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, v, true);
    this.length += 8;
  }

  byte(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  bytes(v: Uint8Array): void {
    this.reserve(v.length);
    this.buf.set(v, this.length);
    this.length += v.length;
  }

  run(x: number, y: number, z: number, n: number): void {
    this.int32(x);
    this.int32(y);
    this.int32(z);
    this.int32(n);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Runs held at a block's +x face, by `y,z`. */
type HeldRuns = Map<string, [number, number, number, number]>;

/** Table entries of a block whose label is in the set. */
function chosenEntries(block: LabelBlock, labels: ReadonlySet<bigint>): boolean[] {
  return Array.from(block.table, (label) => labels.has(label));
}

/** `writeSolidBlockRLEs`: every row of the (clipped) block, continuing held runs. */
function solidRuns(min: Point3, max: Point3, held: HeldRuns): void {
  for (let z = min[2]; z <= max[2]; z++) {
    for (let y = min[1]; y <= max[1]; y++) {
      const key = `${y},${z}`;
      const run = held.get(key);
      const dx = max[0] - min[0] + 1;
      if (run) run[3] += dx;
      else held.set(key, [min[0], y, z, dx]);
    }
  }
}

/** `PositionedBlock.writeRLEs` of one block holding at least one chosen label. */
function blockRuns(placed: PlacedBlock, labels: ReadonlySet<bigint>, bounds: SparseBounds, held: HeldRuns, out: ByteSink): void {
  const { block, coord } = placed;
  const [nx, ny] = block.size;
  const offset = coord.map((c, d) => c * block.size[d]) as Point3;
  const min = [...offset] as Point3;
  const max = offset.map((v, d) => v + block.size[d] - 1) as Point3;
  if (bounds.exact && boundsSet(bounds.voxel)) {
    for (let d = 0; d < 3; d++) {
      const lo = bounds.voxel.min[d];
      const hi = bounds.voxel.max[d];
      if (lo !== undefined && lo > min[d]) min[d] = lo;
      if (hi !== undefined && hi < max[d]) max[d] = hi;
    }
  }
  if (block.isSolid) {
    solidRuns(min, max, held);
    return;
  }
  const chosen = chosenEntries(block, labels);
  const gx = nx / SUB_BLOCK;
  const gy = ny / SUB_BLOCK;
  for (let vz = min[2]; vz <= max[2]; vz++) {
    const z = vz - offset[2];
    for (let vy = min[1]; vy <= max[1]; vy++) {
      const y = vy - offset[1];
      const sbRow = Math.floor(z / SUB_BLOCK) * gy * gx + Math.floor(y / SUB_BLOCK) * gx;
      const key = `${vy},${vz}`;
      let run = held.get(key);
      for (let vx = min[0]; vx <= max[0]; ) {
        const x = vx - offset[0];
        const uniform = block.uniformIndex(sbRow + Math.floor(x / SUB_BLOCK));
        const dx = uniform >= 0 ? SUB_BLOCK - (x % SUB_BLOCK) : 1;
        const foreground = chosen[uniform >= 0 ? uniform : block.indexAt(x, y, z)];
        if (foreground) {
          if (run) run[3] += dx;
          else run = [vx, vy, vz, dx];
        } else if (run) {
          out.run(...run);
          run = undefined;
        }
        vx += dx;
      }
      if (run) held.set(key, run);
      else held.delete(key);
    }
  }
}

/**
 * `labels.WriteRLEs`: the runs (16 bytes each, no header) of the voxels whose label is in
 * `labels`, over blocks sorted in ZYX order.
 *
 * @example
 * ```ts
 * const bytes = writeRuns(blocks, new Set([7n]), { exact: true });
 * bytes.length / 16; // number of runs
 * ```
 */
export function writeRuns(blocks: readonly PlacedBlock[], labels: ReadonlySet<bigint>, bounds: SparseBounds): Uint8Array {
  const out = new ByteSink();
  const held: HeldRuns = new Map();
  let previous: Point3 | undefined;
  const flush = () => {
    for (const run of held.values()) out.run(...run);
    held.clear();
  };
  for (const placed of blocks) {
    if (!placed.block.table.some((label) => labels.has(label))) continue;
    const c = placed.coord;
    if (previous && !(previous[0] + 1 === c[0] && previous[1] === c[1] && previous[2] === c[2])) flush();
    blockRuns(placed, labels, bounds, held, out);
    previous = c;
  }
  flush();
  return out.result();
}

/**
 * DVID's legacy RLE header for a body of runs: `0, 3, 0, 0`, `uint32 0`, `uint32 runs`.
 *
 * @example
 * ```ts
 * legacyRles(runs); // header + runs
 * ```
 */
export function legacyRles(runs: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + runs.length);
  out[1] = 3;
  new DataView(out.buffer).setUint32(8, runs.length / 16, true);
  out.set(runs, 12);
  return out;
}

/** The 64-byte mask of one mixed sub-block (bit i of byte k = voxel 8k+i, z, y, x order). */
function subBlockMask(block: LabelBlock, chosen: boolean[], sx: number, sy: number, sz: number): { mask: Uint8Array; fg: boolean; bg: boolean } {
  const mask = new Uint8Array(64);
  let fg = false;
  let bg = false;
  let bit = 0;
  for (let z = 0; z < SUB_BLOCK; z++) {
    for (let y = 0; y < SUB_BLOCK; y++) {
      for (let x = 0; x < SUB_BLOCK; x++, bit++) {
        if (chosen[block.indexAt(sx * SUB_BLOCK + x, sy * SUB_BLOCK + y, sz * SUB_BLOCK + z)]) {
          mask[bit >> 3] |= 1 << (bit & 7);
          fg = true;
        } else {
          bg = true;
        }
      }
    }
  }
  return { mask, fg, bg };
}

/** `WriteBinaryBlock` of one block holding a chosen label. */
function binaryBlock(placed: PlacedBlock, chosen: boolean[], out: ByteSink): void {
  const { block, coord } = placed;
  coord.forEach((c, d) => out.int32(c * block.size[d]));
  const mixed = chosen.some((c) => !c);
  out.byte(mixed ? 2 : 1);
  if (!mixed) return;
  const [gx, gy, gz] = block.size.map((v) => v / SUB_BLOCK);
  let sb = 0;
  for (let sz = 0; sz < gz; sz++) {
    for (let sy = 0; sy < gy; sy++) {
      for (let sx = 0; sx < gx; sx++, sb++) {
        const uniform = block.uniformIndex(sb);
        if (uniform >= 0) {
          out.byte(chosen[uniform] ? 1 : 0);
          continue;
        }
        const { mask, fg, bg } = subBlockMask(block, chosen, sx, sy, sz);
        if (fg && bg) {
          out.byte(2);
          out.bytes(mask);
        } else {
          out.byte(fg ? 1 : 0);
        }
      }
    }
  }
}

/**
 * `labels.WriteBinaryBlocks`: the binary-mask stream of the blocks holding a chosen label
 * (empty when none does).
 *
 * @example
 * ```ts
 * writeBinaryBlocks(7n, blocks, new Set([7n]));
 * ```
 */
export function writeBinaryBlocks(mainLabel: bigint, blocks: readonly PlacedBlock[], labels: ReadonlySet<bigint>): Uint8Array {
  const out = new ByteSink();
  let header = false;
  for (const placed of blocks) {
    const chosen = chosenEntries(placed.block, labels);
    if (!chosen.some(Boolean)) continue;
    if (!header) {
      placed.block.size.forEach((v) => out.int32(v / SUB_BLOCK));
      out.uint64(mainLabel);
      header = true;
    }
    binaryBlock(placed, chosen, out);
  }
  return out.result();
}

/**
 * `GetSparseCoarseVol`'s body: the legacy header and runs of consecutive block coordinates
 * along x (blocks sorted ZYX).
 *
 * @example
 * ```ts
 * coarseRles([[1, 0, 0], [2, 0, 0]]); // one run [1, 0, 0, 2]
 * ```
 */
export function coarseRles(blocks: readonly Point3[]): Uint8Array {
  const out = new ByteSink();
  let start: Point3 | undefined;
  let length = 0;
  for (const c of blocks) {
    if (start && start[1] === c[1] && start[2] === c[2] && start[0] + length === c[0]) {
      length++;
      continue;
    }
    if (start) out.run(start[0], start[1], start[2], length);
    start = c;
    length = 1;
  }
  if (start) out.run(start[0], start[1], start[2], length);
  return legacyRles(out.result());
}
