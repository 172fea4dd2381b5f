/**
 * DVID's compressed label block format: encoding. The format is described in `labelblock.ts`;
 * the facts the encoder adds, from DVID `datatype/common/labels/compressed.go`:
 *
 * - Block edges must be multiples of 8 (`setSubvolume`) and at most 1024 (`MaxBlockSize`,
 *   `encodeBlock`). DVID's own encoder also demands edges of at least 16 (`setSubvolume`), but
 *   its decoder (`setExportedVars`) accepts 8, so 8 is allowed here. For labelmap the block
 *   size must equal the instance's BlockSize anyway (DVID `datatype/labelmap`).
 * - Any label-table and palette order is valid; values use exactly `bitsFor(Ns)` bits
 *   (`bitsFor`), MSB first (`encodeBlock`). This encoder lists labels in order of first
 *   appearance (sub-block order, then voxel order), so its output is deterministic.
 * - A block with one label is written as a 24-byte solid block (`MakeSolidBlock`).
 * - Sub-blocks are never written with Ns = 0: DVID's decoder reads that as all-zero, but
 *   `(*PositionedBlock).writeRLEs` (sparsevol) fails on such a sub-block, and DVID's encoder
 *   never emits it.
 *
 * Like the decoder, the encoder never creates a BigInt per voxel: it reads the labels as
 * pairs of 32-bit words and hashes those.
 *
 * @example
 * ```ts
 * const bytes = encodeLabelBlock(labels, [64, 64, 64]); // gzip before POST /blocks
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';

/** True on little-endian platforms (all current browsers, Node and Deno targets). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const SUB_BLOCK_VOXELS = 512;

// Per-sub-block hash table: 1024 slots for at most 512 labels, reset by bumping a generation.
const LOCAL_SLOTS = 1024;
const localGen = new Uint32Array(LOCAL_SLOTS);
const localSlot = new Uint16Array(LOCAL_SLOTS);
let generation = 0;
/** Local palette of the current sub-block, word pairs in memory order. */
const localPal = new Uint32Array(2 * SUB_BLOCK_VOXELS);
/** Local index of each voxel of the current sub-block. */
const localIdx = new Uint16Array(SUB_BLOCK_VOXELS);

function bitsFor(n: number): number {
  return n < 2 ? 0 : 32 - Math.clz32(n - 1);
}

function hash(w0: number, w1: number): number {
  return Math.imul(w0 ^ Math.imul(w1, 0x85ebca6b), 0x9e3779b1);
}

/** Open-addressing map from a uint64 (two words) to its index in the block label table. */
class LabelTable {
  /** Labels in order of insertion, word pairs in memory order. */
  words: Uint32Array;
  size = 0;
  private slots: Int32Array;
  private shift: number;
  constructor() {
    this.words = new Uint32Array(2 * 64);
    this.slots = new Int32Array(128).fill(-1);
    this.shift = 32 - 7;
  }
  indexOf(w0: number, w1: number): number {
    const mask = this.slots.length - 1;
    for (let h = hash(w0, w1) >>> this.shift; ; h = (h + 1) & mask) {
      const s = this.slots[h];
      if (s < 0) {
        const idx = this.size++;
        if (2 * idx + 2 > this.words.length) {
          const grown = new Uint32Array(this.words.length * 2);
          grown.set(this.words);
          this.words = grown;
        }
        this.words[2 * idx] = w0;
        this.words[2 * idx + 1] = w1;
        this.slots[h] = idx;
        if (2 * this.size > this.slots.length) this.rehash();
        return idx;
      }
      if (this.words[2 * s] === w0 && this.words[2 * s + 1] === w1) return s;
    }
  }
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const shift = this.shift - 1;
    const mask = slots.length - 1;
    for (let i = 0; i < this.size; i++) {
      let h = hash(this.words[2 * i], this.words[2 * i + 1]) >>> shift;
      while (slots[h] >= 0) h = (h + 1) & mask;
      slots[h] = i;
    }
    this.slots = slots;
    this.shift = shift;
  }
}

/** Growable byte buffer for the packed voxel values. */
class Bytes {
  data: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint8Array(capacity);
  }
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const grown = new Uint8Array(Math.max(this.data.length * 2, this.length + n));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}

/**
 * Encodes a uint64 label array (ZYX order, x fastest) as one DVID compressed label block,
 * which decodes back to exactly the same labels. Gzip it before `POST .../blocks`.
 *
 * @param labels - nx·ny·nz labels.
 * @param size - block size [nx, ny, nz]; each a multiple of 8 from 8 to 1024.
 * @throws {@link DvidArgumentError} for a bad size or a label array of the wrong length.
 * @example
 * ```ts
 * const labels = new BigUint64Array(64 * 64 * 64).fill(7n);
 * labels[0] = 9n;
 * const bytes = encodeLabelBlock(labels, [64, 64, 64]);
 * decodeLabelBlock(bytes).labels; // equal to labels
 * ```
 */
export function encodeLabelBlock(labels: BigUint64Array, size: readonly [number, number, number]): Uint8Array {
  if (!(labels instanceof BigUint64Array)) throw new DvidArgumentError('labels', 'expected a BigUint64Array');
  if (!Array.isArray(size) || size.length !== 3) throw new DvidArgumentError('size', 'expected [nx, ny, nz]');
  for (let a = 0; a < 3; a++) {
    const s = size[a];
    if (!Number.isInteger(s) || s < 8 || s > 1024 || s % 8 !== 0) {
      throw new DvidArgumentError('size', `${'xyz'[a]} size ${s} is not a multiple of 8 from 8 to 1024`);
    }
  }
  const [nx, ny, nz] = size;
  if (labels.length !== nx * ny * nz) {
    throw new DvidArgumentError('labels', `has ${labels.length} elements, but a ${nx}×${ny}×${nz} block needs ${nx * ny * nz}`);
  }
  const gx = nx / 8;
  const gy = ny / 8;
  const gz = nz / 8;
  const nsb = gx * gy * gz;
  const words = new Uint32Array(labels.buffer, labels.byteOffset, labels.length * 2);

  // Solid block?
  const f0 = words[0];
  const f1 = words[1];
  let solid = true;
  for (let i = 2; i < words.length; i += 2) {
    if (words[i] !== f0 || words[i + 1] !== f1) {
      solid = false;
      break;
    }
  }
  if (solid) return writeBlock(gx, gy, gz, new Uint32Array([f0, f1]), 1, undefined, undefined, 0, undefined);

  const table = new LabelTable();
  const counts = new Uint16Array(nsb);
  let indices = new Uint32Array(Math.max(16, 2 * nsb));
  let totalIndices = 0;
  const values = new Bytes(Math.max(1024, nsb * 128));
  const rowStride = 2 * nx;
  const sliceStride = 2 * nx * ny;
  let sb = 0;
  for (let sbz = 0; sbz < gz; sbz++) {
    for (let sby = 0; sby < gy; sby++) {
      for (let sbx = 0; sbx < gx; sbx++, sb++) {
        const start = sbz * 8 * sliceStride + sby * 8 * rowStride + sbx * 16;
        const ns = collectSubBlock(words, start, rowStride, sliceStride);
        counts[sb] = ns;
        if (totalIndices + ns > indices.length) {
          const grown = new Uint32Array(Math.max(indices.length * 2, totalIndices + ns));
          grown.set(indices);
          indices = grown;
        }
        for (let k = 0; k < ns; k++) indices[totalIndices++] = table.indexOf(localPal[2 * k], localPal[2 * k + 1]);
        const b = bitsFor(ns);
        if (b > 0) {
          values.reserve(64 * b);
          packValues(values.data, values.length, b);
          values.length += 64 * b;
        }
      }
    }
  }
  return writeBlock(gx, gy, gz, table.words, table.size, counts, indices, totalIndices, values);
}

/**
 * Fills `localPal`/`localIdx` for the sub-block whose first voxel is at word `start`, and
 * returns its number of distinct labels.
 */
function collectSubBlock(words: Uint32Array, start: number, rowStride: number, sliceStride: number): number {
  if (++generation === 0xffffffff) {
    localGen.fill(0);
    generation = 1;
  }
  const gen = generation;
  let ns = 0;
  let prev0 = 0;
  let prev1 = 0;
  let prevIdx = -1;
  let v = 0;
  for (let z = 0; z < 8; z++) {
    for (let y = 0; y < 8; y++) {
      let w = start + z * sliceStride + y * rowStride;
      for (let x = 0; x < 8; x++, w += 2, v++) {
        const w0 = words[w];
        const w1 = words[w + 1];
        if (w0 === prev0 && w1 === prev1 && prevIdx >= 0) {
          localIdx[v] = prevIdx;
          continue;
        }
        let h = hash(w0, w1) >>> 22;
        let idx: number;
        for (;;) {
          if (localGen[h] !== gen) {
            idx = ns++;
            localGen[h] = gen;
            localSlot[h] = idx;
            localPal[2 * idx] = w0;
            localPal[2 * idx + 1] = w1;
            break;
          }
          const s = localSlot[h];
          if (localPal[2 * s] === w0 && localPal[2 * s + 1] === w1) {
            idx = s;
            break;
          }
          h = (h + 1) & (LOCAL_SLOTS - 1);
        }
        localIdx[v] = idx;
        prev0 = w0;
        prev1 = w1;
        prevIdx = idx;
      }
    }
  }
  return ns;
}

/** Packs the 512 local indices, b bits each, MSB first: each row of 8 takes b bytes. */
function packValues(out: Uint8Array, pos: number, b: number): void {
  for (let row = 0; row < 64; row++) {
    const i = row * 8;
    if (b <= 4) {
      let w = 0;
      for (let x = 0; x < 8; x++) w = (w << b) | localIdx[i + x];
      for (let k = b - 1; k >= 0; k--) out[pos++] = (w >>> (8 * k)) & 0xff;
    } else {
      let acc = 0;
      let nacc = 0;
      for (let x = 0; x < 8; x++) {
        acc = (acc << b) | localIdx[i + x];
        nacc += b;
        while (nacc >= 8) {
          nacc -= 8;
          out[pos++] = (acc >>> nacc) & 0xff;
        }
      }
    }
  }
}

function writeBlock(
  gx: number,
  gy: number,
  gz: number,
  tableWords: Uint32Array,
  n: number,
  counts: Uint16Array | undefined,
  indices: Uint32Array | undefined,
  totalIndices: number,
  values: Bytes | undefined,
): Uint8Array {
  const nsb = gx * gy * gz;
  const multi = n > 1;
  const tableEnd = 16 + 8 * n;
  const indexOff = tableEnd + (multi ? 2 * nsb : 0);
  const valuesOff = indexOff + (multi ? 4 * totalIndices : 0);
  const total = valuesOff + (multi && values ? values.length : 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, gx, true);
  dv.setUint32(4, gy, true);
  dv.setUint32(8, gz, true);
  dv.setUint32(12, n, true);
  const lo = LITTLE_ENDIAN ? 0 : 1;
  for (let i = 0, p = 16; i < n; i++, p += 8) {
    dv.setUint32(p, tableWords[2 * i + lo], true);
    dv.setUint32(p + 4, tableWords[2 * i + 1 - lo], true);
  }
  if (!multi || !counts || !indices || !values) return out;
  for (let i = 0, p = tableEnd; i < nsb; i++, p += 2) dv.setUint16(p, counts[i], true);
  for (let i = 0, p = indexOff; i < totalIndices; i++, p += 4) dv.setUint32(p, indices[i], true);
  out.set(values.data.subarray(0, values.length), valuesOff);
  return out;
}
