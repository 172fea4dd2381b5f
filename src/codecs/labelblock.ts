/**
 * DVID's compressed label block format (labelmap, labelarray): decoding.
 * Encoding is in `labelblock-encode.ts`.
 *
 * Facts about the format, all from DVID `datatype/common/labels/compressed.go` unless noted:
 *
 * - A block covers nx × ny × nz voxels, each a multiple of 8, at most 1024 (`MaxBlockSize`),
 *   split into 8 × 8 × 8 sub-blocks (`SubBlockSize`): gx = nx/8, gy = ny/8, gz = nz/8 and
 *   Nsb = gx·gy·gz (doc comment of type `Block`).
 * - All integers are little-endian. Layout (doc comment of `Block`, `(*Block).setExportedVars`):
 *   `uint32 gx, gy, gz` (sub-block counts, not voxels), `uint32 N` (label-table length, ≥ 1),
 *   `N × uint64` labels; and only when N > 1: `Nsb × uint16` per-sub-block label counts Ns[i],
 *   then for each sub-block in turn Ns[i] `uint32` indices into the label table (its palette),
 *   then the packed voxel values.
 * - N = 1 is a solid block: every voxel is label[0] (`MakeSolidBlock`, `MakeLabelVolume`).
 * - The label table may hold duplicates and zeros, e.g. after merges (`(*Block).MergeLabels`
 *   zeroes merged entries instead of rewriting indices).
 * - Sub-blocks are stored z outer, then y, then x; voxels inside a sub-block likewise, x fastest
 *   (`MakeLabelVolume`).
 * - Ns[i] = 0: the whole sub-block is label 0; Ns[i] = 1: the whole sub-block is
 *   label[palette[0]]; neither has voxel values (`MakeLabelVolume`).
 * - Otherwise each voxel is a local index into the sub-block's palette, `bitsFor(Ns)` =
 *   ⌈log2 Ns⌉ bits wide (`bitsFor`), packed most-significant bit first (`getPackedValue`,
 *   `leftBitMask`), and each sub-block's values start on a fresh byte (`MakeLabelVolume` rounds
 *   the bit position up to a byte after each sub-block; 512·b bits is always whole bytes).
 * - DVID refuses blocks shorter than 24 bytes (`UnmarshalBinary`), with N = 0, or with
 *   gx, gy or gz above 128 (`setExportedVars`). It ignores bytes after the voxel values
 *   (`SBValues = data[pos:]`), and so does this decoder.
 *
 * Beyond what DVID writes: a valid block has Ns ≤ 512 (9 bits), and DVID's own reader
 * (`getPackedValue`) reads at most two bytes per value so cannot read wider values. This decoder
 * follows the format's definition of the bit string for any width up to 16 bits (Ns ≤ 65535),
 * and rejects local indices ≥ Ns and palette indices ≥ N, which DVID would read as garbage.
 *
 * Decoding never creates a BigInt per voxel: the label table is copied into a `Float64Array`
 * (each uint64 reinterpreted bit for bit), and voxels are written through a `Float64Array` view
 * of the destination, one 8-byte copy per voxel. NaN bit patterns are the one case engines may
 * not copy faithfully, so a block whose table holds one is decoded as table indices and then
 * expanded with 32-bit word copies. Measurements are in `docs/codecs.md`.
 *
 * @example
 * ```ts
 * const { size, labels } = decodeLabelBlock(inflated); // size [64, 64, 64], labels ZYX, x fastest
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';

/** The `codec` of every {@link DecodeError} raised here. */
export const LABEL_BLOCK_CODEC = 'dvid-labelblock';

/** Edge of a sub-block in voxels (`SubBlockSize`). */
export const SUB_BLOCK_SIZE = 8;
/** Largest block edge in voxels (`MaxBlockSize`). */
export const MAX_BLOCK_SIZE = 1024;
/** Default for {@link DecodeLabelBlockOptions.maxVoxels}: 256³ (a 128 MiB result). */
export const DEFAULT_MAX_BLOCK_VOXELS = 256 * 256 * 256;

const MAX_SUB_BLOCKS_PER_AXIS = MAX_BLOCK_SIZE / SUB_BLOCK_SIZE;

/** True on little-endian platforms (all current browsers, Node and Deno targets). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Voxel extents of a block along x, y and z. */
export type BlockSize = [nx: number, ny: number, nz: number];

/** A decoded block: its size and its labels in ZYX order (x fastest). */
export interface LabelBlock {
  size: BlockSize;
  labels: BigUint64Array;
}

/** Options shared by the decoders. */
export interface DecodeLabelBlockOptions {
  /** Name of the block (e.g. its block coordinate `"3,4,5"`), used in error messages. */
  block?: string;
  /**
   * The block size the caller expects (for labelmap, the instance's BlockSize); a block of any
   * other size is rejected before anything is allocated.
   */
  expectedSize?: readonly [number, number, number];
  /**
   * Largest voxel count {@link decodeLabelBlock} will allocate for. A 24-byte solid block may
   * claim up to 1024³ voxels (8 GiB), so hostile input is capped here.
   * @default 16777216 (256³), or no cap when `expectedSize` is given (it bounds the size)
   */
  maxVoxels?: number;
}

/** A box of voxels inside a block: `min` inclusive, `max` exclusive, both as [x, y, z]. */
export interface BlockCrop {
  min: readonly [number, number, number];
  max: readonly [number, number, number];
}

/** Options for {@link decodeLabelBlockInto}. */
export interface DecodeLabelBlockIntoOptions extends DecodeLabelBlockOptions {
  /** Decode only this box of the block; the voxel at `crop.min` goes to `destOffset`. */
  crop?: BlockCrop;
}

/** What {@link readLabelBlockHeader} finds without decoding voxels. */
export interface LabelBlockHeader {
  /** Block size in voxels. */
  size: BlockSize;
  /** Sub-block counts [gx, gy, gz]. */
  subBlocks: [number, number, number];
  /** The block label table (may contain duplicates and 0). */
  labels: BigUint64Array;
  /** True for a solid block (one label table entry). */
  solid: boolean;
  /** Bytes the block occupies (trailing bytes beyond this are ignored). */
  byteLength: number;
}

/** Parsed, validated layout of a block; everything needed to write voxels. */
interface Parsed {
  gx: number;
  gy: number;
  gz: number;
  n: number;
  /** Copy of the label table; each uint64 reinterpreted bit for bit as a float64. */
  table: Float64Array;
  /** False when some label's bits form a NaN, whose payload engines may not preserve. */
  nanFree: boolean;
  /** Per-sub-block counts (only when N > 1). */
  counts: Uint16Array | undefined;
  /** Byte offset of the palette indices. */
  indexOff: number;
  /** Byte offset of the voxel values. */
  valuesOff: number;
  /** Largest Ns over the sub-blocks. */
  maxCount: number;
  byteLength: number;
}

function bitsFor(n: number): number {
  return n < 2 ? 0 : 32 - Math.clz32(n - 1);
}

function parse(bytes: Uint8Array, options: DecodeLabelBlockOptions): Parsed {
  const block = options.block;
  const fail = (message: string, offset: number): never => {
    throw new DecodeError(LABEL_BLOCK_CODEC, message, { block, offset });
  };
  if (!(bytes instanceof Uint8Array)) {
    throw new DvidArgumentError('bytes', 'expected a Uint8Array holding one DVID label block');
  }
  const len = bytes.length;
  if (len < 16) fail(`block is ${len} bytes, shorter than the 16-byte header`, len);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len);
  const gx = dv.getUint32(0, true);
  const gy = dv.getUint32(4, true);
  const gz = dv.getUint32(8, true);
  const dims = [gx, gy, gz];
  for (let a = 0; a < 3; a++) {
    if (dims[a] === 0 || dims[a] > MAX_SUB_BLOCKS_PER_AXIS) {
      fail(`${'xyz'[a]} sub-block count ${dims[a]} is outside 1…${MAX_SUB_BLOCKS_PER_AXIS}`, 4 * a);
    }
  }
  if (options.expectedSize) {
    const e = options.expectedSize;
    if (gx * 8 !== e[0] || gy * 8 !== e[1] || gz * 8 !== e[2]) {
      fail(`block is ${gx * 8}×${gy * 8}×${gz * 8} voxels, expected ${e[0]}×${e[1]}×${e[2]}`, 0);
    }
  }
  const n = dv.getUint32(12, true);
  if (n === 0) fail('label table is empty (N = 0)', 12);
  if (n > (len - 16) / 8) fail(`label table of ${n} labels needs ${8 * n} bytes, only ${len - 16} left`, 16);
  const table = readTable(bytes, dv, n);
  const nanFree = isNanFree(table);
  const tableEnd = 16 + 8 * n;
  if (n === 1) {
    return {
      gx, gy, gz, n, table, nanFree,
      counts: undefined, indexOff: tableEnd, valuesOff: tableEnd, maxCount: 0, byteLength: tableEnd,
    };
  }
  const nsb = gx * gy * gz;
  if (nsb > (len - tableEnd) / 2) {
    fail(`${nsb} sub-block counts need ${2 * nsb} bytes, only ${len - tableEnd} left`, tableEnd);
  }
  const counts = new Uint16Array(nsb);
  let totalIndices = 0;
  let valueBytes = 0;
  let maxCount = 0;
  for (let i = 0, p = tableEnd; i < nsb; i++, p += 2) {
    const c = bytes[p] | (bytes[p + 1] << 8);
    counts[i] = c;
    totalIndices += c;
    valueBytes += 64 * bitsFor(c);
    if (c > maxCount) maxCount = c;
  }
  const indexOff = tableEnd + 2 * nsb;
  if (totalIndices > (len - indexOff) / 4) {
    fail(`${totalIndices} palette indices need ${4 * totalIndices} bytes, only ${len - indexOff} left`, indexOff);
  }
  const valuesOff = indexOff + 4 * totalIndices;
  for (let i = 0, p = indexOff; i < totalIndices; i++, p += 4) {
    const idx = dv.getUint32(p, true);
    if (idx >= n) fail(`palette index ${idx} is outside the ${n}-entry label table`, p);
  }
  if (valueBytes > len - valuesOff) {
    // Name the first sub-block whose values are missing.
    let p = valuesOff;
    for (let i = 0; i < nsb; i++) {
      const need = 64 * bitsFor(counts[i]);
      if (p + need > len) fail(`values of sub-block ${i} need ${need} bytes, only ${len - p} left`, p);
      p += need;
    }
  }
  return { gx, gy, gz, n, table, nanFree, counts, indexOff, valuesOff, maxCount, byteLength: valuesOff + valueBytes };
}

/** Copies the label table into a Float64Array whose elements have the labels' exact bits. */
function readTable(bytes: Uint8Array, dv: DataView, n: number): Float64Array {
  const table = new Float64Array(n);
  if (LITTLE_ENDIAN) {
    new Uint8Array(table.buffer).set(bytes.subarray(16, 16 + 8 * n));
  } else {
    const words = new Uint32Array(table.buffer);
    for (let i = 0, p = 16; i < n; i++, p += 8) {
      words[2 * i + 1] = dv.getUint32(p, true);
      words[2 * i] = dv.getUint32(p + 4, true);
    }
  }
  return table;
}

function isNanFree(table: Float64Array): boolean {
  for (let i = 0; i < table.length; i++) if (table[i] !== table[i]) return false;
  return true;
}

/**
 * Reads a block's size and label table without decoding voxels (like neuclease's
 * `parse_labelarray_data`), after checking that the whole block is present.
 *
 * @throws {@link DecodeError} for truncated or inconsistent blocks.
 * @example
 * ```ts
 * const { size, labels, solid } = readLabelBlockHeader(inflated);
 * if (solid && labels[0] === 0n) console.log('empty block');
 * ```
 */
export function readLabelBlockHeader(bytes: Uint8Array, options: DecodeLabelBlockOptions = {}): LabelBlockHeader {
  const p = parse(bytes, options);
  return {
    size: [p.gx * 8, p.gy * 8, p.gz * 8],
    subBlocks: [p.gx, p.gy, p.gz],
    labels: new BigUint64Array(p.table.buffer),
    solid: p.n === 1,
    byteLength: p.byteLength,
  };
}

/**
 * Decodes one DVID compressed label block (already un-gzipped) into a new array.
 *
 * @returns the block size [nx, ny, nz] and its nx·ny·nz labels in ZYX order (x fastest).
 * @throws {@link DecodeError} (codec `dvid-labelblock`) naming the block and the byte offset for
 *   truncated input, lying counts, out-of-range indices, or a size above `maxVoxels` or
 *   different from `expectedSize`.
 * @example
 * ```ts
 * // one block of GET .../blocks/64_64_64/0_0_0?compression=blocks, after gunzip
 * const { size, labels } = decodeLabelBlock(inflated, { block: '0,0,0', expectedSize: [64, 64, 64] });
 * labels[0]; // label of voxel (0, 0, 0), a bigint
 * ```
 */
export function decodeLabelBlock(bytes: Uint8Array, options: DecodeLabelBlockOptions = {}): LabelBlock {
  const p = parse(bytes, options);
  const nx = p.gx * 8;
  const ny = p.gy * 8;
  const nz = p.gz * 8;
  const voxels = nx * ny * nz;
  // An expected size already bounds the allocation; otherwise cap it.
  const maxVoxels = options.maxVoxels ?? (options.expectedSize ? Infinity : DEFAULT_MAX_BLOCK_VOXELS);
  if (voxels > maxVoxels) {
    throw new DecodeError(
      LABEL_BLOCK_CODEC,
      `block claims ${nx}×${ny}×${nz} = ${voxels} voxels, more than maxVoxels (${maxVoxels})`,
      { block: options.block, offset: 0 },
    );
  }
  const labels = new BigUint64Array(voxels);
  if (p.n === 1) {
    // One BigInt for the whole block; fresh arrays are already 0.
    const label = new BigUint64Array(p.table.buffer)[0];
    if (label !== 0n) labels.fill(label);
  } else {
    writeVoxels(bytes, p, labels, 0, 1, nx, nx * ny, [0, 0, 0], [nx, ny, nz], options.block);
  }
  return { size: [nx, ny, nz], labels };
}

/**
 * Decodes one DVID compressed label block straight into a larger uint64 volume, optionally
 * only a box of it, so blocks can be cropped into a result without a temporary array.
 *
 * Voxel (x, y, z) of the block (or of the crop box, counted from `crop.min`) goes to
 * `dest[destOffset + x·sx + y·sy + z·sz]`. Strides are in elements and may be negative.
 * On a {@link DecodeError} the destination may be partly written. Only the part of the block
 * that is decoded has its voxel values checked.
 *
 * @param destStrides - element strides [sx, sy, sz] of the destination.
 * @returns the block size [nx, ny, nz].
 * @throws {@link DvidArgumentError} when the crop is not inside the block or a written element
 *   would fall outside `dest`; {@link DecodeError} for bad block bytes.
 * @example
 * ```ts
 * // Put block (1, 0, 0) of a 64³-block labelmap into a 128×64×64 volume (x fastest).
 * const volume = new BigUint64Array(128 * 64 * 64);
 * decodeLabelBlockInto(inflated, volume, 64, [1, 128, 128 * 64]);
 * // Only voxels x 10…19, y 0…63, z 5 of the block, into a 10×64 slice:
 * const slice = new BigUint64Array(10 * 64);
 * decodeLabelBlockInto(inflated, slice, 0, [1, 10, 640], { crop: { min: [10, 0, 5], max: [20, 64, 6] } });
 * ```
 */
export function decodeLabelBlockInto(
  bytes: Uint8Array,
  dest: BigUint64Array,
  destOffset: number,
  destStrides: readonly [number, number, number],
  options: DecodeLabelBlockIntoOptions = {},
): BlockSize {
  const p = parse(bytes, options);
  const size: BlockSize = [p.gx * 8, p.gy * 8, p.gz * 8];
  const min: [number, number, number] = [0, 0, 0];
  const max: [number, number, number] = [size[0], size[1], size[2]];
  if (options.crop) {
    for (let a = 0; a < 3; a++) {
      const lo = options.crop.min[a];
      const hi = options.crop.max[a];
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > size[a] || lo > hi) {
        throw new DvidArgumentError('crop', `${'xyz'[a]} range [${lo}, ${hi}) is not inside the block's 0…${size[a]}`);
      }
      min[a] = lo;
      max[a] = hi;
    }
  }
  if (!(dest instanceof BigUint64Array)) throw new DvidArgumentError('dest', 'expected a BigUint64Array');
  if (!Number.isSafeInteger(destOffset)) throw new DvidArgumentError('destOffset', `${destOffset} is not an integer`);
  let lowest = destOffset;
  let highest = destOffset;
  let empty = false;
  for (let a = 0; a < 3; a++) {
    const s = destStrides[a];
    if (!Number.isSafeInteger(s)) throw new DvidArgumentError('destStrides', `${s} is not an integer`);
    const extent = max[a] - min[a];
    if (extent === 0) empty = true;
    const reach = s * (extent - 1);
    if (reach < 0) lowest += reach;
    else highest += reach;
  }
  if (empty) return size;
  if (lowest < 0 || highest >= dest.length) {
    throw new DvidArgumentError(
      'dest',
      `writing ${max[0] - min[0]}×${max[1] - min[1]}×${max[2] - min[2]} voxels at offset ${destOffset} with strides ` +
        `[${destStrides.join(', ')}] reaches elements ${lowest}…${highest}, outside the ${dest.length}-element array`,
    );
  }
  const [sx, sy, sz] = destStrides;
  // Element index of block voxel (0, 0, 0); outside the array when cropping, never written.
  const base = destOffset - min[0] * sx - min[1] * sy - min[2] * sz;
  writeVoxels(bytes, p, dest, base, sx, sy, sz, min, max, options.block);
  return size;
}

/**
 * Writes the voxels of the block that fall in [min, max) to `dest`, block voxel (x, y, z) going
 * to element `base + x·sx + y·sy + z·sz`.
 *
 * Labels are copied as float64 values carrying the labels' bits, which is exact for every bit
 * pattern except NaNs (engines that NaN-box, like SpiderMonkey and JavaScriptCore, may rewrite
 * NaN payloads). If the label table holds a NaN pattern (labels ≥ 0x7FF0…01 with all exponent
 * bits set), table *indices* are decoded instead and then replaced by word-pair copies.
 */
function writeVoxels(
  bytes: Uint8Array,
  p: Parsed,
  dest: BigUint64Array,
  base: number,
  sx: number,
  sy: number,
  sz: number,
  min: readonly number[],
  max: readonly number[],
  block: string | undefined,
): void {
  const out = new Float64Array(dest.buffer, dest.byteOffset, dest.length);
  if (p.nanFree) {
    writeSubBlocks(bytes, p, p.table, 0, out, base, sx, sy, sz, min, max, block);
    return;
  }
  // Index N stands for the label 0 of Ns = 0 sub-blocks.
  const indices = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) indices[i] = i;
  writeSubBlocks(bytes, p, indices, p.n, out, base, sx, sy, sz, min, max, block);
  const words = new Uint32Array(dest.buffer, dest.byteOffset, dest.length * 2);
  const tableWords = new Uint32Array(2 * p.n + 2);
  tableWords.set(new Uint32Array(p.table.buffer));
  for (let z = min[2]; z < max[2]; z++) {
    for (let y = min[1]; y < max[1]; y++) {
      let d = base + z * sz + y * sy + min[0] * sx;
      for (let x = min[0]; x < max[0]; x++, d += sx) {
        const t = 2 * out[d];
        words[2 * d] = tableWords[t];
        words[2 * d + 1] = tableWords[t + 1];
      }
    }
  }
}

/** Scratch palette shared by calls (JS runs one call at a time per realm). */
let scratchPalette = new Float64Array(512);

/**
 * Decodes the sub-blocks (or solid block) of `p` with `table` as the label table and `zero`
 * as the value of Ns = 0 sub-blocks.
 */
function writeSubBlocks(
  bytes: Uint8Array,
  p: Parsed,
  table: Float64Array,
  zero: number,
  out: Float64Array,
  base: number,
  sx: number,
  sy: number,
  sz: number,
  min: readonly number[],
  max: readonly number[],
  block: string | undefined,
): void {
  if (p.n === 1) {
    fillBox(out, table[0], base, sx, sy, sz, min[0], max[0], min[1], max[1], min[2], max[2]);
    return;
  }
  const { gx, gy, gz } = p;
  const counts = p.counts as Uint16Array;
  // Palette entries up to the next power of two, so any b-bit index reads inside the array.
  const paletteSize = 1 << bitsFor(p.maxCount);
  if (scratchPalette.length < paletteSize) scratchPalette = new Float64Array(paletteSize);
  const pal = scratchPalette;
  let indexPos = p.indexOff;
  let valuePos = p.valuesOff;
  let sb = 0;
  for (let sbz = 0; sbz < gz; sbz++) {
    const oz = sbz * 8;
    const z0 = Math.max(min[2] - oz, 0);
    const z1 = Math.min(max[2] - oz, 8);
    for (let sby = 0; sby < gy; sby++) {
      const oy = sby * 8;
      const y0 = Math.max(min[1] - oy, 0);
      const y1 = Math.min(max[1] - oy, 8);
      for (let sbx = 0; sbx < gx; sbx++, sb++) {
        const ns = counts[sb];
        const b = bitsFor(ns);
        const ox = sbx * 8;
        const x0 = Math.max(min[0] - ox, 0);
        const x1 = Math.min(max[0] - ox, 8);
        if (z0 < z1 && y0 < y1 && x0 < x1) {
          const sbBase = base + ox * sx + oy * sy + oz * sz;
          if (ns < 2) {
            const label = ns === 0 ? zero : table[readU32(bytes, indexPos)];
            fillBox(out, label, sbBase, sx, sy, sz, x0, x1, y0, y1, z0, z1);
          } else {
            for (let k = 0, q = indexPos; k < ns; k++, q += 4) pal[k] = table[readU32(bytes, q)];
            let bad: number;
            if (x0 !== 0 || x1 !== 8) {
              bad = writePartialRows(bytes, valuePos, b, ns - 1, pal, out, sbBase, sx, sy, sz, x0, x1, y0, y1, z0, z1);
            } else if (b === 1) {
              writeRows1(bytes, valuePos, pal, out, sbBase, sx, sy, sz, y0, y1, z0, z1);
              bad = 0;
            } else if (b === 2) {
              bad = writeRows2(bytes, valuePos, ns - 1, pal, out, sbBase, sx, sy, sz, y0, y1, z0, z1);
            } else if (b <= 4) {
              bad = writeRowsUpTo4(bytes, valuePos, b, ns - 1, pal, out, sbBase, sx, sy, sz, y0, y1, z0, z1);
            } else {
              bad = writePartialRows(bytes, valuePos, b, ns - 1, pal, out, sbBase, sx, sy, sz, 0, 8, y0, y1, z0, z1);
            }
            if (bad < 0) reportBadIndex(bytes, valuePos, b, ns, sb, block);
          }
        }
        indexPos += 4 * ns;
        valuePos += 64 * b;
      }
    }
  }
}

function readU32(bytes: Uint8Array, p: number): number {
  return (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
}

function fillBox(
  out: Float64Array,
  value: number,
  base: number,
  sx: number,
  sy: number,
  sz: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  z0: number,
  z1: number,
): void {
  if (sx === 1 && x1 - x0 >= 32) {
    // Long contiguous rows (solid blocks): the native fill is faster. Exact for non-NaN values.
    for (let z = z0; z < z1; z++) {
      for (let y = y0; y < y1; y++) {
        const d = base + z * sz + y * sy + x0;
        out.fill(value, d, d + x1 - x0);
      }
    }
    return;
  }
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      let d = base + z * sz + y * sy + x0 * sx;
      for (let x = x0; x < x1; x++, d += sx) out[d] = value;
    }
  }
}

// The row kernels below decode rows [y0, y1) × [z0, z1) of one sub-block whose values start at
// byte `valuePos`. A row of 8 b-bit values is exactly b bytes. Kernels for palettes that are
// not a power of two return a negative number if some index exceeded `last` (= Ns − 1).

/** 1-bit values (Ns = 2): one byte per row, never out of range. */
function writeRows1(
  bytes: Uint8Array,
  valuePos: number,
  pal: Float64Array,
  out: Float64Array,
  sbBase: number,
  sx: number,
  sy: number,
  sz: number,
  y0: number,
  y1: number,
  z0: number,
  z1: number,
): void {
  const p0 = pal[0];
  const p1 = pal[1];
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      let d = sbBase + z * sz + y * sy;
      const w = bytes[valuePos + z * 8 + y];
      for (let bit = 0x80; bit !== 0; bit >>>= 1, d += sx) out[d] = (w & bit) === 0 ? p0 : p1;
    }
  }
}

/** 2-bit values (Ns = 3 or 4): two bytes per row. */
function writeRows2(
  bytes: Uint8Array,
  valuePos: number,
  last: number,
  pal: Float64Array,
  out: Float64Array,
  sbBase: number,
  sx: number,
  sy: number,
  sz: number,
  y0: number,
  y1: number,
  z0: number,
  z1: number,
): number {
  let bad = 0;
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      let d = sbBase + z * sz + y * sy;
      const r = valuePos + (z * 8 + y) * 2;
      const w = (bytes[r] << 8) | bytes[r + 1];
      for (let shift = 14; shift >= 0; shift -= 2, d += sx) {
        const v = (w >>> shift) & 3;
        bad |= last - v;
        out[d] = pal[v];
      }
    }
  }
  return bad;
}

/** 3- or 4-bit values: a row's 8·b bits fit one 32-bit word. */
function writeRowsUpTo4(
  bytes: Uint8Array,
  valuePos: number,
  b: number,
  last: number,
  pal: Float64Array,
  out: Float64Array,
  sbBase: number,
  sx: number,
  sy: number,
  sz: number,
  y0: number,
  y1: number,
  z0: number,
  z1: number,
): number {
  const mask = (1 << b) - 1;
  let bad = 0;
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      let d = sbBase + z * sz + y * sy;
      const r = valuePos + (z * 8 + y) * b;
      let w = (bytes[r] << 16) | (bytes[r + 1] << 8) | bytes[r + 2];
      if (b === 4) w = (w << 8) | bytes[r + 3];
      for (let shift = 7 * b; shift >= 0; shift -= b, d += sx) {
        const v = (w >>> shift) & mask;
        bad |= last - v;
        out[d] = pal[v];
      }
    }
  }
  return bad;
}

/** Any width up to 16 bits, voxels x0 ≤ x < x1 of each row. */
function writePartialRows(
  bytes: Uint8Array,
  valuePos: number,
  b: number,
  last: number,
  pal: Float64Array,
  out: Float64Array,
  sbBase: number,
  sx: number,
  sy: number,
  sz: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  z0: number,
  z1: number,
): number {
  const mask = (1 << b) - 1;
  let bad = 0;
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      let d = sbBase + z * sz + y * sy + x0 * sx;
      let r = valuePos + (z * 8 + y) * b;
      let acc = 0;
      let nacc = 0;
      for (let x = 0; x < x1; x++) {
        while (nacc < b) {
          acc = (acc << 8) | bytes[r++];
          nacc += 8;
        }
        nacc -= b;
        if (x < x0) continue;
        const v = (acc >>> nacc) & mask;
        bad |= last - v;
        out[d] = pal[v];
        d += sx;
      }
    }
  }
  return bad;
}

/** Slow path after a bad local index was seen: find the first one and throw. */
function reportBadIndex(
  bytes: Uint8Array,
  valuePos: number,
  b: number,
  ns: number,
  sb: number,
  block: string | undefined,
): never {
  for (let i = 0; i < 512; i++) {
    const bit = i * b;
    let v = 0;
    for (let k = 0; k < b; k++) {
      const at = bit + k;
      v = (v << 1) | ((bytes[valuePos + (at >>> 3)] >>> (7 - (at & 7))) & 1);
    }
    if (v >= ns) {
      throw new DecodeError(
        LABEL_BLOCK_CODEC,
        `voxel ${i} of sub-block ${sb} has local index ${v}, but the sub-block has only ${ns} labels`,
        { block, offset: valuePos + (bit >>> 3) },
      );
    }
  }
  throw new DecodeError(LABEL_BLOCK_CODEC, `sub-block ${sb} has a local index ≥ ${ns}`, { block, offset: valuePos });
}
