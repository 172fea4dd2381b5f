/**
 * JPEG decoding with the same integer arithmetic as DVID's own decoder.
 *
 * DVID is written in Go and decodes its JPEG-stored blocks with Go's `image/jpeg` (DVID
 * `dvid/serialize.go` `DeserializeData`). Go has used two integer inverse DCTs:
 *
 * - `'chen-wang'`: Go 1.25 and earlier (every DVID release built before 2026). The 2-D IDCT
 *   is the Chen–Wang fast algorithm with the fixed-point scaling of the MPEG-2 reference
 *   decoder (11-bit row constants `2048·√2·cos(kπ/16)`, rounding offsets 128 / 8192, final
 *   shifts 8 and 14), and a short cut for rows whose AC coefficients are all zero.
 * - `'loeffler'`: Go 1.26 and later. The Loeffler–Ligtenberg–Moschytz 11-multiply algorithm
 *   run backwards, with its constants rounded to 8, 12, 14 or 18 fractional bits.
 *
 * Both are exact integer functions, so a decoder that performs the same operations on 32-bit
 * integers gets the same pixels as DVID, bit for bit, in every JavaScript runtime. Other
 * decoders (browsers' libjpeg-turbo, jpeg-js) differ from both by ±1 on a few percent of the
 * pixels. This module decodes **baseline and extended sequential Huffman JPEGs with one 8-bit
 * component** (what DVID stores for `Compression: jpeg` instances and what it serves for
 * uint8 slices) with either IDCT; everything else (colour, progressive) is handed to the
 * pure-JavaScript `jpeg-js` decoder, whose results are not bit-identical to Go's.
 *
 * Which Go built a server cannot be asked over HTTP; `detectJpegIdct` in the SDK compares one
 * stored block both ways. The default here is `'chen-wang'`, the IDCT of every DVID release
 * binary published so far.
 *
 * @example
 * ```ts
 * const img = decodeJpeg(bytes, { idct: 'loeffler' }); // { width, height, channels: 1, depth: 8, data }
 * ```
 * @module
 */
import jpegJs from 'jpeg-js';
import { DecodeError } from '../errors.js';
import type { DecodedImage } from './decoded-image.js';

/** Which integer inverse DCT to run: Go ≤ 1.25 (`'chen-wang'`) or Go ≥ 1.26 (`'loeffler'`). */
export type JpegIdct = 'chen-wang' | 'loeffler';

/** Every IDCT {@link decodeJpeg} implements. */
export const JPEG_IDCTS: readonly JpegIdct[] = ['chen-wang', 'loeffler'];

/** Options for {@link decodeJpeg}. */
export interface DecodeJpegOptions {
  /**
   * The inverse DCT, to match the Go version that built DVID.
   * @default 'chen-wang'
   */
  idct?: JpegIdct;
  /** Name of the block being decoded (e.g. a block coordinate), used in error messages. */
  block?: string;
  /**
   * Refuse images with more pixels than this before allocating.
   * @default 2 ** 28
   */
  maxPixels?: number;
}

const CODEC = 'jpeg';
const DEFAULT_MAX_PIXELS = 2 ** 28;

/** Natural (row-major) index of the k-th coefficient in zig-zag order (ITU T.81 Figure A.6). */
const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63,
]);

/** Bits looked up at once when decoding Huffman codes. */
const LOOKUP_BITS = 9;

/** A Huffman table ready for decoding (ITU T.81 Annex C and F.2.2.3). */
interface HuffmanTable {
  /** For each 9-bit prefix: `(codeLength << 8) | symbol`, or 0 when the code is longer. */
  lookup: Uint16Array;
  /** Largest code of each length 1..16 (index = length), −1 when none. */
  maxCode: Int32Array;
  /** Index into `symbols` of the first code of each length, minus that code. */
  offset: Int32Array;
  symbols: Uint8Array;
}

interface Component {
  id: number;
  quantTable: number;
}

/** Returns the Huffman table described by 16 code counts and the symbols, or throws. */
function buildHuffmanTable(counts: Uint8Array, symbols: Uint8Array, at: number, block?: string): HuffmanTable {
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  const maxCode = new Int32Array(17).fill(-1);
  const offset = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1];
    if (n > 0) {
      offset[length] = k - code;
      for (let i = 0; i < n; i++) {
        if (length <= LOOKUP_BITS) {
          const shift = LOOKUP_BITS - length;
          const first = code << shift;
          const entry = (length << 8) | symbols[k];
          lookup.fill(entry, first, first + (1 << shift));
        }
        code++;
        k++;
      }
      maxCode[length] = code - 1;
      if (code > 1 << length) {
        throw new DecodeError(CODEC, `Huffman table has too many codes of length ${length}`, { block, offset: at });
      }
    }
    code <<= 1;
  }
  return { lookup, maxCode, offset, symbols };
}

/**
 * Reads the entropy-coded segment: byte stuffing (FF 00), markers (stops feeding real bits and
 * pads with zeros; consuming padding is an error), restart markers.
 */
class BitReader {
  private readonly bytes: Uint8Array;
  private readonly block: string | undefined;
  pos: number;
  /** Up to 32 buffered bits, the oldest in the most significant position. */
  private acc = 0;
  bits = 0;
  /** Zero bits appended after a marker or the end of input (not real data). */
  padding = 0;
  constructor(bytes: Uint8Array, pos: number, block: string | undefined) {
    this.bytes = bytes;
    this.pos = pos;
    this.block = block;
  }

  /** Makes at least 25 bits available (padding with zeros at a marker or the end). */
  fill(): void {
    const bytes = this.bytes;
    while (this.bits <= 24) {
      let byte = 0;
      if (this.padding === 0 && this.pos < bytes.length) {
        byte = bytes[this.pos];
        if (byte === 0xff) {
          const next = this.pos + 1 < bytes.length ? bytes[this.pos + 1] : -1;
          if (next === 0x00) {
            this.pos += 2;
          } else {
            byte = 0;
            this.padding += 8;
          }
        } else {
          this.pos += 1;
        }
      } else {
        this.padding += 8;
      }
      this.acc = ((this.acc << 8) | byte) >>> 0;
      this.bits += 8;
    }
  }

  /** Decodes one Huffman symbol. */
  decode(table: HuffmanTable): number {
    if (this.bits < 16) this.fill();
    const peek = (this.acc >>> (this.bits - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1);
    const entry = table.lookup[peek];
    if (entry !== 0) {
      this.bits -= entry >>> 8;
      return entry & 0xff;
    }
    const word = (this.acc >>> (this.bits - 16)) & 0xffff;
    for (let length = LOOKUP_BITS + 1; length <= 16; length++) {
      const code = word >>> (16 - length);
      if (code <= table.maxCode[length]) {
        this.bits -= length;
        return table.symbols[table.offset[length] + code];
      }
    }
    throw new DecodeError(CODEC, 'bad Huffman code', { block: this.block, offset: this.pos });
  }

  /** Reads `n` (0–16) bits and sign-extends them as in ITU T.81 F.2.2.1 (EXTEND). */
  receiveExtend(n: number): number {
    if (n === 0) return 0;
    if (this.bits < 16) this.fill();
    this.bits -= n;
    const v = (this.acc >>> this.bits) & ((1 << n) - 1);
    return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
  }

  /** True when more bits were consumed than the input had before a marker or its end. */
  get overrun(): boolean {
    return this.bits < this.padding;
  }

  /** Drops buffered bits and skips to just past the next RSTn marker. */
  restart(): void {
    this.acc = 0;
    this.bits = 0;
    this.padding = 0;
    const bytes = this.bytes;
    while (this.pos + 1 < bytes.length) {
      if (bytes[this.pos] === 0xff && bytes[this.pos + 1] >= 0xd0 && bytes[this.pos + 1] <= 0xd7) {
        this.pos += 2;
        return;
      }
      this.pos += 1;
    }
    throw new DecodeError(CODEC, 'missing restart marker', { block: this.block, offset: this.pos });
  }
}

/** Go ≤ 1.25 / MPEG-2 reference constants: 2048·√2·cos(kπ/16), and 256/√2. */
const W1 = 2841;
const W2 = 2676;
const W3 = 2408;
const W5 = 1609;
const W6 = 1108;
const W7 = 565;
const R2 = 181;

/** Chen–Wang integer IDCT in place on a natural-order block of dequantized coefficients. */
function idctChenWang(b: Int32Array): void {
  const imul = Math.imul;
  for (let o = 0; o < 64; o += 8) {
    if ((b[o + 1] | b[o + 2] | b[o + 3] | b[o + 4] | b[o + 5] | b[o + 6] | b[o + 7]) === 0) {
      b.fill(b[o] << 3, o, o + 8);
      continue;
    }
    let x0 = ((b[o] << 11) + 128) | 0;
    let x1 = b[o + 4] << 11;
    let x2 = b[o + 6];
    let x3 = b[o + 2];
    let x4 = b[o + 1];
    let x5 = b[o + 7];
    let x6 = b[o + 5];
    let x7 = b[o + 3];
    // Odd part, first rotation pair.
    let t = imul(W7, x4 + x5);
    x4 = (t + imul(W1 - W7, x4)) | 0;
    x5 = (t - imul(W1 + W7, x5)) | 0;
    t = imul(W3, x6 + x7);
    x6 = (t - imul(W3 - W5, x6)) | 0;
    x7 = (t - imul(W3 + W5, x7)) | 0;
    // Even part.
    t = (x0 + x1) | 0;
    x0 = (x0 - x1) | 0;
    x1 = imul(W6, x3 + x2);
    x2 = (x1 - imul(W2 + W6, x2)) | 0;
    x3 = (x1 + imul(W2 - W6, x3)) | 0;
    x1 = (x4 + x6) | 0;
    x4 = (x4 - x6) | 0;
    x6 = (x5 + x7) | 0;
    x5 = (x5 - x7) | 0;
    x7 = (t + x3) | 0;
    t = (t - x3) | 0;
    x3 = (x0 + x2) | 0;
    x0 = (x0 - x2) | 0;
    x2 = (imul(R2, x4 + x5) + 128) >> 8;
    x4 = (imul(R2, x4 - x5) + 128) >> 8;
    b[o] = (x7 + x1) >> 8;
    b[o + 1] = (x3 + x2) >> 8;
    b[o + 2] = (x0 + x4) >> 8;
    b[o + 3] = (t + x6) >> 8;
    b[o + 4] = (t - x6) >> 8;
    b[o + 5] = (x0 - x4) >> 8;
    b[o + 6] = (x3 - x2) >> 8;
    b[o + 7] = (x7 - x1) >> 8;
  }
  for (let c = 0; c < 8; c++) {
    let y0 = ((b[c] << 8) + 8192) | 0;
    let y1 = b[c + 32] << 8;
    let y2 = b[c + 48];
    let y3 = b[c + 16];
    let y4 = b[c + 8];
    let y5 = b[c + 56];
    let y6 = b[c + 40];
    let y7 = b[c + 24];
    let t = (imul(W7, y4 + y5) + 4) | 0;
    y4 = (t + imul(W1 - W7, y4)) >> 3;
    y5 = (t - imul(W1 + W7, y5)) >> 3;
    t = (imul(W3, y6 + y7) + 4) | 0;
    y6 = (t - imul(W3 - W5, y6)) >> 3;
    y7 = (t - imul(W3 + W5, y7)) >> 3;
    t = (y0 + y1) | 0;
    y0 = (y0 - y1) | 0;
    y1 = (imul(W6, y3 + y2) + 4) | 0;
    y2 = (y1 - imul(W2 + W6, y2)) >> 3;
    y3 = (y1 + imul(W2 - W6, y3)) >> 3;
    y1 = (y4 + y6) | 0;
    y4 = (y4 - y6) | 0;
    y6 = (y5 + y7) | 0;
    y5 = (y5 - y7) | 0;
    y7 = (t + y3) | 0;
    t = (t - y3) | 0;
    y3 = (y0 + y2) | 0;
    y0 = (y0 - y2) | 0;
    y2 = (imul(R2, y4 + y5) + 128) >> 8;
    y4 = (imul(R2, y4 - y5) + 128) >> 8;
    b[c] = (y7 + y1) >> 14;
    b[c + 8] = (y3 + y2) >> 14;
    b[c + 16] = (y0 + y4) >> 14;
    b[c + 24] = (t + y6) >> 14;
    b[c + 32] = (t - y6) >> 14;
    b[c + 40] = (y0 - y4) >> 14;
    b[c + 48] = (y3 - y2) >> 14;
    b[c + 56] = (y7 - y1) >> 14;
  }
}

// Go ≥ 1.26 constants: round(v · 2^bits) for the values named (cos1 = cos π/16, ...,
// s2i = 1/√2, s2iCos6 = cos(6π/16)/√2, s2iSin6 = sin(6π/16)/√2).
const COS1_12 = 4017;
const SIN1_12 = 799;
const COS3_12 = 3406;
const SIN3_12 = 2276;
const S2I_8 = 181;
const S2I_14 = 11585;
const S2I_COS6_12 = 1108;
const S2I_SIN6_12 = 2676;
const S2I_COS6_18 = 70936;
const S2I_SIN6_18 = 171254;

/** Loeffler integer IDCT (Go ≥ 1.26 fixed-point) in place on a natural-order block. */
function idctLoeffler(b: Int32Array): void {
  const imul = Math.imul;
  // Rotation by an angle with constants k·cos and −k·sin, three multiplies:
  //   p = kc·(u + v); u' = p + (−ks − kc)·v; v' = p − (kc − ks)·u.
  for (let o = 0; o < 64; o += 8) {
    let a0 = b[o] << 17;
    let a7 = b[o + 1];
    let a2 = b[o + 2];
    let a5 = b[o + 3];
    let a1 = b[o + 4] << 17;
    let a6 = b[o + 5];
    let a3 = b[o + 6];
    let a4 = b[o + 7];
    let t = (a0 + a1) | 0;
    a1 = (a0 - a1) | 0;
    a0 = t;
    let p = imul(S2I_COS6_18, a2 + a3);
    t = (p + imul(-S2I_SIN6_18 - S2I_COS6_18, a3)) | 0;
    a3 = (p - imul(S2I_COS6_18 - S2I_SIN6_18, a2)) | 0;
    a2 = t;
    t = (a1 + a2) | 0;
    a2 = (a1 - a2) | 0;
    a1 = t;
    t = (a0 + a3) | 0;
    a3 = (a0 - a3) | 0;
    a0 = t;
    a4 <<= 7;
    a7 <<= 7;
    t = (a7 + a4) | 0;
    a4 = (a7 - a4) | 0;
    a7 = t;
    a6 = imul(a6, S2I_8);
    a5 = imul(a5, S2I_8);
    t = (a7 + a5) | 0;
    a5 = (a7 - a5) | 0;
    a7 = t;
    t = (a4 + a6) | 0;
    a6 = (a4 - a6) | 0;
    a4 = t;
    let u = a4 >> 2;
    let v = a7 >> 2;
    p = imul(COS3_12, u + v);
    a4 = (p + imul(-SIN3_12 - COS3_12, v)) | 0;
    a7 = (p - imul(COS3_12 - SIN3_12, u)) | 0;
    u = a5 >> 2;
    v = a6 >> 2;
    p = imul(COS1_12, u + v);
    a5 = (p + imul(-SIN1_12 - COS1_12, v)) | 0;
    a6 = (p - imul(COS1_12 - SIN1_12, u)) | 0;
    b[o] = a0 + a7;
    b[o + 7] = a0 - a7;
    b[o + 1] = a1 + a6;
    b[o + 6] = a1 - a6;
    b[o + 2] = a2 + a5;
    b[o + 5] = a2 - a5;
    b[o + 3] = a3 + a4;
    b[o + 4] = a3 - a4;
  }
  for (let c = 0; c < 8; c++) {
    let a0 = (b[c] + (1 << 19)) | 0;
    let a7 = b[c + 8];
    let a2 = b[c + 16];
    let a5 = b[c + 24];
    let a1 = b[c + 32];
    let a6 = b[c + 40];
    let a3 = b[c + 48];
    let a4 = b[c + 56];
    let t = (a0 + a1) >> 2;
    a1 = (a0 - a1) >> 2;
    a0 = t;
    let u = a2 >> 13;
    let v = a3 >> 13;
    let p = imul(S2I_COS6_12, u + v);
    a2 = (p + imul(-S2I_SIN6_12 - S2I_COS6_12, v)) | 0;
    a3 = (p - imul(S2I_COS6_12 - S2I_SIN6_12, u)) | 0;
    t = (a1 + a2) | 0;
    a2 = (a1 - a2) | 0;
    a1 = t;
    t = (a0 + a3) | 0;
    a3 = (a0 - a3) | 0;
    a0 = t;
    t = (a7 + a4) | 0;
    a4 = (a7 - a4) | 0;
    a7 = t;
    a5 = imul(a5 >> 13, S2I_14);
    a6 = imul(a6 >> 13, S2I_14);
    t = (a7 + a5) | 0;
    a5 = (a7 - a5) | 0;
    a7 = t;
    t = (a4 + a6) | 0;
    a6 = (a4 - a6) | 0;
    a4 = t;
    u = a4 >> 14;
    v = a7 >> 14;
    p = imul(COS3_12, u + v);
    a4 = (p + imul(-SIN3_12 - COS3_12, v)) | 0;
    a7 = (p - imul(COS3_12 - SIN3_12, u)) | 0;
    u = a5 >> 14;
    v = a6 >> 14;
    p = imul(COS1_12, u + v);
    a5 = (p + imul(-SIN1_12 - COS1_12, v)) | 0;
    a6 = (p - imul(COS1_12 - SIN1_12, u)) | 0;
    b[c] = (a0 + a7) >> 18;
    b[c + 56] = (a0 - a7) >> 18;
    b[c + 8] = (a1 + a6) >> 18;
    b[c + 48] = (a1 - a6) >> 18;
    b[c + 16] = (a2 + a5) >> 18;
    b[c + 40] = (a2 - a5) >> 18;
    b[c + 24] = (a3 + a4) >> 18;
    b[c + 32] = (a3 - a4) >> 18;
  }
}

/** What the marker parser found before the first scan. */
interface Frame {
  width: number;
  height: number;
  components: Component[];
  /** True for SOF0/SOF1 (sequential Huffman, 8-bit). */
  sequential: boolean;
}

/**
 * True when `bytes` start with a JPEG SOI marker (FF D8).
 *
 * @example
 * ```ts
 * isJpeg(new Uint8Array([0xff, 0xd8, 0xff, 0xdb])); // true
 * ```
 */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8;
}

/**
 * Decodes a JPEG. One-component baseline/extended sequential images (DVID's grayscale) are
 * decoded here with Go's integer IDCT (`options.idct`), so the pixels equal DVID's own
 * decoding; other JPEGs (colour, progressive) go through `jpeg-js` and come back as 3-channel
 * RGB, not bit-identical to Go.
 *
 * @throws {@link DecodeError} (codec `jpeg`, with `offset`) for truncated or malformed data.
 * @example
 * ```ts
 * // A block of a JPEG-stored uint8blk with 32³ blocks is a 32 × 1024 gray JPEG (ZYX order).
 * const { width, height, data } = decodeJpeg(payload, { idct: 'loeffler', block: '1,2,3' });
 * ```
 */
export function decodeJpeg(bytes: Uint8Array, options: DecodeJpegOptions = {}): DecodedImage {
  const block = options.block;
  const fail = (message: string, offset: number): never => {
    throw new DecodeError(CODEC, message, { block, offset });
  };
  if (!isJpeg(bytes)) fail('not a JPEG (no FF D8 start-of-image marker)', 0);
  const idct = options.idct ?? 'chen-wang';
  if (idct !== 'chen-wang' && idct !== 'loeffler') fail(`unknown IDCT ${JSON.stringify(idct)}`, 0);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;

  const quant: (Int32Array | undefined)[] = [];
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let frame: Frame | undefined;
  let restartInterval = 0;
  let pos = 2;

  for (;;) {
    // Find the next marker, skipping fill bytes.
    if (pos >= bytes.length) fail('unexpected end of data before a marker', pos);
    if (bytes[pos] !== 0xff) fail(`expected a marker, found byte 0x${bytes[pos].toString(16)}`, pos);
    while (pos < bytes.length && bytes[pos] === 0xff) pos++;
    if (pos >= bytes.length) fail('unexpected end of data in a marker', pos);
    const marker = bytes[pos];
    const markerAt = pos - 1;
    pos++;
    if (marker === 0xd9) fail('end of image before any scan', markerAt);
    if (marker >= 0xd0 && marker <= 0xd7) continue; // stray RSTn outside a scan
    if (pos + 2 > bytes.length) fail('truncated segment length', pos);
    const length = (bytes[pos] << 8) | bytes[pos + 1];
    if (length < 2 || pos + length > bytes.length) fail(`segment length ${length} runs past the data`, pos);
    const seg = pos + 2;
    const end = pos + length;
    pos = end;

    if (marker === 0xdb) {
      // DQT: one or more tables, 8- or 16-bit entries, in zig-zag order.
      let p = seg;
      while (p < end) {
        const pq = bytes[p] >> 4;
        const tq = bytes[p] & 15;
        const entry = pq === 0 ? 1 : 2;
        if (pq > 1 || tq > 3 || p + 1 + 64 * entry > end) fail('bad quantization table', p);
        const table = new Int32Array(64);
        for (let k = 0; k < 64; k++) {
          table[k] = entry === 1 ? bytes[p + 1 + k] : (bytes[p + 1 + 2 * k] << 8) | bytes[p + 2 + 2 * k];
        }
        quant[tq] = table;
        p += 1 + 64 * entry;
      }
    } else if (marker === 0xc4) {
      // DHT: one or more tables.
      let p = seg;
      while (p < end) {
        if (p + 17 > end) fail('truncated Huffman table', p);
        const tc = bytes[p] >> 4;
        const th = bytes[p] & 15;
        if (tc > 1 || th > 3) fail('bad Huffman table class or id', p);
        const counts = bytes.subarray(p + 1, p + 17);
        let total = 0;
        for (let i = 0; i < 16; i++) total += counts[i];
        if (total === 0 || total > 256 || p + 17 + total > end) fail('bad Huffman table size', p);
        const table = buildHuffmanTable(counts, bytes.subarray(p + 17, p + 17 + total), p, block);
        (tc === 0 ? dcTables : acTables)[th] = table;
        p += 17 + total;
      }
    } else if (marker === 0xdd) {
      if (length !== 4) fail('bad DRI segment', seg);
      restartInterval = (bytes[seg] << 8) | bytes[seg + 1];
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (frame) fail('more than one frame header', markerAt);
      if (length < 8) fail('truncated frame header', seg);
      const precision = bytes[seg];
      const height = (bytes[seg + 1] << 8) | bytes[seg + 2];
      const width = (bytes[seg + 3] << 8) | bytes[seg + 4];
      const n = bytes[seg + 5];
      if (length !== 8 + 3 * n || n === 0) fail('bad frame header length', seg);
      const components: Component[] = [];
      for (let i = 0; i < n; i++) {
        components.push({ id: bytes[seg + 6 + 3 * i], quantTable: bytes[seg + 8 + 3 * i] & 15 });
      }
      frame = { width, height, components, sequential: (marker === 0xc0 || marker === 0xc1) && precision === 8 };
      if (width === 0 || height === 0) fail(`unsupported image size ${width} × ${height}`, seg);
      if (width * height > maxPixels) fail(`image of ${width} × ${height} pixels exceeds the limit of ${maxPixels}`, seg);
      if (!frame.sequential || n !== 1) return decodeWithJpegJs(bytes, frame, block, maxPixels);
    } else if (marker === 0xda) {
      if (!frame) fail('scan before the frame header', markerAt);
      const f = frame as Frame;
      const ns = bytes[seg];
      if (ns !== 1 || length !== 6 + 2 * ns) fail('a one-component image needs a one-component scan', seg);
      const comp = f.components[0];
      if (bytes[seg + 1] !== comp.id) fail('scan names an unknown component', seg + 1);
      const dc = dcTables[bytes[seg + 2] >> 4];
      const ac = acTables[bytes[seg + 2] & 15];
      const q = quant[comp.quantTable];
      if (!dc || !ac) fail('scan uses an undefined Huffman table', seg + 2);
      if (!q) fail('component uses an undefined quantization table', seg);
      return decodeGrayScan(bytes, end, f, q as Int32Array, dc as HuffmanTable, ac as HuffmanTable, restartInterval, idct, block);
    }
    // APPn, COM and other segments are skipped.
  }
}

function decodeGrayScan(
  bytes: Uint8Array,
  start: number,
  frame: Frame,
  q: Int32Array,
  dcTable: HuffmanTable,
  acTable: HuffmanTable,
  restartInterval: number,
  idct: JpegIdct,
  block: string | undefined,
): DecodedImage {
  const { width, height } = frame;
  const blocksX = Math.ceil(width / 8);
  const blocksY = Math.ceil(height / 8);
  const out = new Uint8Array(width * height);
  const coef = new Int32Array(64);
  const reader = new BitReader(bytes, start, block);
  const transform = idct === 'loeffler' ? idctLoeffler : idctChenWang;
  const imul = Math.imul;
  let pred = 0;
  let mcu = 0;
  for (let by = 0; by < blocksY; by++) {
    for (let bx = 0; bx < blocksX; bx++) {
      if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
        reader.restart();
        pred = 0;
      }
      mcu++;
      coef.fill(0);
      const t = reader.decode(dcTable);
      if (t > 16) throw new DecodeError(CODEC, 'DC difference category above 16', { block, offset: reader.pos });
      pred = (pred + reader.receiveExtend(t)) | 0;
      coef[0] = imul(pred, q[0]);
      for (let k = 1; k < 64; k++) {
        const rs = reader.decode(acTable);
        const s = rs & 15;
        const r = rs >> 4;
        if (s === 0) {
          if (r !== 15) break; // end of block
          k += 15; // ZRL: sixteen zeros
          continue;
        }
        k += r;
        if (k > 63) break;
        coef[ZIGZAG[k]] = imul(reader.receiveExtend(s), q[k]);
      }
      if (reader.overrun) {
        throw new DecodeError(CODEC, `entropy-coded data ends inside block ${bx},${by}`, { block, offset: reader.pos });
      }
      transform(coef);
      const x0 = bx * 8;
      const y0 = by * 8;
      const xn = Math.min(8, width - x0);
      const yn = Math.min(8, height - y0);
      for (let y = 0; y < yn; y++) {
        let o = (y0 + y) * width + x0;
        const r = y * 8;
        for (let x = 0; x < xn; x++) {
          const c = coef[r + x];
          out[o++] = c < -128 ? 0 : c > 127 ? 255 : c + 128;
        }
      }
    }
  }
  return { width, height, channels: 1, depth: 8, data: out };
}

function decodeWithJpegJs(bytes: Uint8Array, frame: Frame, block: string | undefined, maxPixels: number): DecodedImage {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpegJs.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: false,
      maxResolutionInMP: Math.max(1, Math.ceil(maxPixels / 1e6)),
      maxMemoryUsageInMB: 2048,
    });
  } catch (cause) {
    throw new DecodeError(CODEC, `jpeg-js could not decode the image: ${(cause as Error)?.message ?? cause}`, { block, cause });
  }
  const { width, height } = decoded;
  if (width !== frame.width || height !== frame.height) {
    throw new DecodeError(CODEC, `decoded ${width} × ${height}, the header says ${frame.width} × ${frame.height}`, { block });
  }
  const data = decoded.data;
  if (frame.components.length === 1) {
    // jpeg-js returns gray as RGB triplets; keep one channel.
    const gray = new Uint8Array(width * height);
    for (let i = 0, j = 0; i < gray.length; i++, j += 3) gray[i] = data[j];
    return { width, height, channels: 1, depth: 8, data: gray };
  }
  if (data.length !== width * height * 3) {
    throw new DecodeError(CODEC, `jpeg-js returned ${data.length} bytes for a ${width} × ${height} RGB image`, { block });
  }
  return { width, height, channels: 3, depth: 8, data };
}
