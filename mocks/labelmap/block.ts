/**
 * One stored label block of the mock labelmap: a table of distinct uint64 labels and, per
 * voxel (ZYX, x fastest), an index into that table — the in-memory counterpart of DVID's
 * compressed label block (`labels.Block`). Solid blocks keep no index array.
 *
 * A header relabel (DVID's `ReplaceLabels`, used by splits) only swaps the table, so the table
 * may then hold duplicates, exactly as DVID's does; sub-blocks are "uniform" when all their
 * voxels share one table index (DVID's `NumSBLabels == 1`), which is what its sparse-volume
 * writers look at.
 *
 * Voxels are moved as pairs of little-endian 32-bit words, never as one BigInt per voxel.
 *
 * @example
 * ```ts
 * const block = LabelBlock.fromLabels(new BigUint64Array(64 ** 3).fill(7n), [64, 64, 64]);
 * block.isSolid;      // true
 * block.counts();     // Map { 7n => 262144 }
 * ```
 * @module
 */
import type { Point3 } from '../geometry.js';

/** DVID's sub-block edge (`labels.SubBlockSize`). */
export const SUB_BLOCK = 8;

/** Largest label table kept in a Uint16Array index. */
const MAX_U16_TABLE = 65536;

/** A map key for a uint64 given as two words: a number when exact, else a string. */
function wordKey(lo: number, hi: number): number | string {
  return hi < 0x200000 ? hi * 4294967296 + lo : `${hi}:${lo}`;
}

/**
 * A block of supervoxel (or mapped) labels.
 *
 * @example
 * ```ts
 * const solid = LabelBlock.solid(5n, [64, 64, 64]);
 * solid.labelAt(3, 4, 5); // 5n
 * ```
 */
export class LabelBlock {
  private words?: Uint32Array;
  private uniform?: Int32Array;
  /** The gzip'd DVID encoding of this block, as received by `POST /blocks` or computed once. */
  gzipped?: Uint8Array;

  private constructor(
    readonly size: Point3,
    /** Label table. */
    readonly table: BigUint64Array,
    /** Per-voxel table index, or null for a solid block (every voxel is `table[0]`). */
    readonly index: Uint16Array | Uint32Array | null,
  ) {}

  /**
   * A block of one label.
   *
   * @example
   * ```ts
   * LabelBlock.solid(0n, [64, 64, 64]).counts().size; // 0
   * ```
   */
  static solid(label: bigint, size: Point3): LabelBlock {
    return new LabelBlock(size, BigUint64Array.of(label), null);
  }

  /**
   * Builds a block from its voxels as little-endian word pairs (2 words per voxel, ZYX).
   *
   * @example
   * ```ts
   * const block = LabelBlock.fromWords(new Uint32Array(2 * 64 ** 3), [64, 64, 64]); // solid 0
   * ```
   */
  static fromWords(words: Uint32Array, size: Point3): LabelBlock {
    const n = size[0] * size[1] * size[2];
    const index = new Uint32Array(n);
    const keys = new Map<number | string, number>();
    const tableWords: number[] = [];
    let prevLo = -1;
    let prevHi = -1;
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i];
      const hi = words[2 * i + 1];
      if (lo !== prevLo || hi !== prevHi) {
        const key = wordKey(lo, hi);
        let t = keys.get(key);
        if (t === undefined) {
          t = tableWords.length >> 1;
          keys.set(key, t);
          tableWords.push(lo, hi);
        }
        prevLo = lo;
        prevHi = hi;
        prev = t;
      }
      index[i] = prev;
    }
    const table = new BigUint64Array(Uint32Array.from(tableWords).buffer);
    if (table.length === 1) return new LabelBlock(size, table, null);
    if (table.length > MAX_U16_TABLE) return new LabelBlock(size, table, index);
    const small = new Uint16Array(n);
    small.set(index);
    return new LabelBlock(size, table, small);
  }

  /**
   * Builds a block from a uint64 array (ZYX, x fastest).
   *
   * @example
   * ```ts
   * LabelBlock.fromLabels(decodeLabelBlock(bytes).labels, [64, 64, 64]);
   * ```
   */
  static fromLabels(labels: BigUint64Array, size: Point3): LabelBlock {
    return LabelBlock.fromWords(new Uint32Array(labels.buffer, labels.byteOffset, labels.length * 2), size);
  }

  /** Number of voxels. */
  get voxels(): number {
    return this.size[0] * this.size[1] * this.size[2];
  }

  /** True when the table has one entry (DVID's `len(Labels) == 1`). */
  get isSolid(): boolean {
    return this.index === null;
  }

  /** The table as word pairs. */
  tableWords(): Uint32Array {
    this.words ??= new Uint32Array(this.table.buffer, this.table.byteOffset, this.table.length * 2);
    return this.words;
  }

  /**
   * The same voxels under another table of the same length (DVID's header relabel).
   *
   * @example
   * ```ts
   * block.withTable(block.table.map((l) => (l === 7n ? 9n : l)));
   * ```
   */
  withTable(table: BigUint64Array): LabelBlock {
    const block = new LabelBlock(this.size, table, this.index);
    block.uniform = this.uniform;
    return block;
  }

  /** Table index of voxel (x, y, z) (block-relative). */
  indexAt(x: number, y: number, z: number): number {
    return this.index ? this.index[(z * this.size[1] + y) * this.size[0] + x] : 0;
  }

  /** Label of voxel (x, y, z) (block-relative). */
  labelAt(x: number, y: number, z: number): bigint {
    return this.table[this.indexAt(x, y, z)];
  }

  /**
   * All voxels as word pairs, through `tableWords` (a mapped table's words, or the block's own).
   *
   * @example
   * ```ts
   * const bytes = new Uint8Array(block.expand().buffer); // the block's uint64 array
   * ```
   */
  expand(tableWords: Uint32Array = this.tableWords()): Uint32Array {
    const n = this.voxels;
    const out = new Uint32Array(2 * n);
    const index = this.index;
    if (!index) {
      const lo = tableWords[0];
      const hi = tableWords[1];
      if (lo !== 0 || hi !== 0) {
        for (let i = 0; i < n; i++) {
          out[2 * i] = lo;
          out[2 * i + 1] = hi;
        }
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      const t = 2 * index[i];
      out[2 * i] = tableWords[t];
      out[2 * i + 1] = tableWords[t + 1];
    }
    return out;
  }

  /**
   * Copies the part of this block inside a box into the box's word array. `origin` is the
   * block's first voxel, `boxOffset`/`boxSize` the box, all in the same coordinates.
   *
   * @example
   * ```ts
   * block.copyInto(out, [0, 0, 0], [100, 100, 10], [64, 0, 0]);
   * ```
   */
  copyInto(dest: Uint32Array, boxOffset: Point3, boxSize: Point3, origin: Point3, tableWords: Uint32Array = this.tableWords()): void {
    const from: number[] = [];
    const to: number[] = [];
    for (let d = 0; d < 3; d++) {
      from[d] = Math.max(boxOffset[d], origin[d]);
      to[d] = Math.min(boxOffset[d] + boxSize[d], origin[d] + this.size[d]);
      if (from[d] >= to[d]) return;
    }
    const [bx, by] = this.size;
    const [nx, ny] = boxSize;
    const index = this.index;
    for (let z = from[2]; z < to[2]; z++) {
      for (let y = from[1]; y < to[1]; y++) {
        let d = 2 * (((z - boxOffset[2]) * ny + (y - boxOffset[1])) * nx + (from[0] - boxOffset[0]));
        let s = ((z - origin[2]) * by + (y - origin[1])) * bx + (from[0] - origin[0]);
        for (let x = from[0]; x < to[0]; x++, s++, d += 2) {
          const t = index ? 2 * index[s] : 0;
          dest[d] = tableWords[t];
          dest[d + 1] = tableWords[t + 1];
        }
      }
    }
  }

  /**
   * Voxel counts of the non-zero labels (DVID's `CalcNumLabels` of one block).
   *
   * @example
   * ```ts
   * LabelBlock.solid(3n, [16, 16, 16]).counts(); // Map { 3n => 4096 }
   * ```
   */
  counts(): Map<bigint, number> {
    const out = new Map<bigint, number>();
    if (!this.index) {
      if (this.table[0] !== 0n) out.set(this.table[0], this.voxels);
      return out;
    }
    const perEntry = new Float64Array(this.table.length);
    const index = this.index;
    for (let i = 0; i < index.length; i++) perEntry[index[i]]++;
    perEntry.forEach((count, t) => {
      const label = this.table[t];
      if (count > 0 && label !== 0n) out.set(label, (out.get(label) ?? 0) + count);
    });
    return out;
  }

  /**
   * The table index every voxel of sub-block `sb` (numbered z, y, x) shares, or -1 when the
   * sub-block holds more than one (DVID's `NumSBLabels[sb] == 1`).
   */
  uniformIndex(sb: number): number {
    if (!this.index) return 0;
    this.uniform ??= this.findUniform();
    return this.uniform[sb];
  }

  private findUniform(): Int32Array {
    const [nx, ny, nz] = this.size;
    const gx = nx / SUB_BLOCK;
    const gy = ny / SUB_BLOCK;
    const gz = nz / SUB_BLOCK;
    const out = new Int32Array(gx * gy * gz);
    const index = this.index!;
    let sb = 0;
    for (let sz = 0; sz < gz; sz++) {
      for (let sy = 0; sy < gy; sy++) {
        for (let sx = 0; sx < gx; sx++, sb++) {
          const first = index[((sz * SUB_BLOCK) * ny + sy * SUB_BLOCK) * nx + sx * SUB_BLOCK];
          let same = true;
          for (let z = 0; z < SUB_BLOCK && same; z++) {
            for (let y = 0; y < SUB_BLOCK && same; y++) {
              const row = ((sz * SUB_BLOCK + z) * ny + sy * SUB_BLOCK + y) * nx + sx * SUB_BLOCK;
              for (let x = 0; x < SUB_BLOCK; x++) {
                if (index[row + x] !== first) {
                  same = false;
                  break;
                }
              }
            }
          }
          out[sb] = same ? first : -1;
        }
      }
    }
    return out;
  }

  /**
   * The voxels as a uint64 array (ZYX), through an optional mapped table.
   *
   * @example
   * ```ts
   * encodeLabelBlock(block.toLabels(), block.size);
   * ```
   */
  toLabels(table: BigUint64Array = this.table): BigUint64Array {
    const words = this.expand(new Uint32Array(table.buffer, table.byteOffset, table.length * 2));
    return new BigUint64Array(words.buffer);
  }
}
