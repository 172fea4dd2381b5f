/**
 * A baseline JPEG encoder that makes the bytes DVID v1.0.0 makes when built with Go ≥ 1.26
 * (`image/jpeg` `Encode`): quantization tables of ITU T.81 Annex K scaled by the quality as Go
 * scales them, the Loeffler–Ligtenberg–Moschytz forward DCT in Go's 32-bit fixed point, Go's
 * rounding of quantized coefficients, the standard Huffman tables, no APP0 marker. Gray images
 * are one component; colour images are YCbCr 4:2:0 with Go's integer RGB → YCbCr conversion
 * and 2×2 chroma averaging. Edges are padded by repeating the last row and column, as Go does.
 *
 * @example
 * ```ts
 * const jpeg = encodeGoJpeg({ width: 32, height: 1024, channels: 1, data: blockBytes }, 80);
 * jpeg[0] === 0xff && jpeg[1] === 0xd8 // true
 * ```
 * @module
 */

/**
 * Pixels to encode: gray samples (`channels: 1`) or RGB triples (`channels: 3`, the colour Go
 * computes for each pixel, already alpha-premultiplied), row-major.
 *
 * @example
 * ```ts
 * const image: JpegSourceImage = { width: 2, height: 1, channels: 1, data: new Uint8Array([0, 255]) };
 * ```
 */
export interface JpegSourceImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/**
 * Go's message for images too large for a JPEG (either side ≥ 65536).
 *
 * @example
 * ```ts
 * try { encodeGoJpeg(huge) } catch (err) { (err as Error).message === JPEG_TOO_LARGE }
 * ```
 */
export const JPEG_TOO_LARGE = 'jpeg: image is too large to encode';

/** Annex K.1 tables in zig-zag order (luminance, chrominance). */
const UNSCALED_QUANT: readonly (readonly number[])[] = [
  [
    16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51, 56,
    55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
  ],
  [
    17, 18, 18, 24, 21, 24, 47, 26, 26, 47, 99, 66, 56, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  ],
];

interface HuffmanSpec {
  /** Number of codes of each length 1..16. */
  counts: readonly number[];
  /** Symbols in code order. */
  values: Uint8Array;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const DC_SYMBOLS = hexBytes('000102030405060708090a0b');

/** Annex K.3 tables: luminance DC, luminance AC, chrominance DC, chrominance AC. */
const HUFFMAN_SPECS: readonly HuffmanSpec[] = [
  { counts: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], values: DC_SYMBOLS },
  {
    counts: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125],
    values: hexBytes(
      '01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa',
    ),
  },
  { counts: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], values: DC_SYMBOLS },
  {
    counts: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119],
    values: hexBytes(
      '000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa',
    ),
  },
];

/** A code table: for each symbol, its code bits and length. */
interface HuffmanCodes {
  code: Uint32Array;
  length: Uint8Array;
}

function buildCodes(spec: HuffmanSpec): HuffmanCodes {
  const codes: HuffmanCodes = { code: new Uint32Array(256), length: new Uint8Array(256) };
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < spec.counts[len - 1]; i++) {
      const symbol = spec.values[k++];
      codes.code[symbol] = code++;
      codes.length[symbol] = len;
    }
    code <<= 1;
  }
  return codes;
}

const HUFFMAN_CODES = HUFFMAN_SPECS.map(buildCodes);

/** Natural-order index of each zig-zag position. */
const UNZIG: Uint8Array = (() => {
  const out = new Uint8Array(64);
  let i = 0;
  for (let s = 0; s < 15; s++) {
    const cells: number[] = [];
    for (let row = 0; row < 8; row++) {
      const col = s - row;
      if (col >= 0 && col < 8) cells.push(row * 8 + col);
    }
    if (s % 2 === 0) cells.reverse(); // even diagonals run bottom-left → top-right
    for (const cell of cells) out[i++] = cell;
  }
  return out;
})();

/** A 60-bit fixed-point constant rounded to `bits` fractional bits. */
function fixed(value: bigint, bits: number): number {
  return Number((value + (1n << BigInt(59 - bits))) >> BigInt(60 - bits));
}

const COS1 = 1130768441178740757n;
const SIN1 = 224923827593068887n;
const COS3 = 958619196450722178n;
const SIN3 = 640528868967736374n;
const SQRT2 = 1630477228166597777n;
const SQRT2_COS6 = 623956622067911264n;
const SQRT2_SIN6 = 1506364539328854985n;

/** Rotation constants at the two precisions the column and row passes use. */
const K18 = { c3: fixed(COS3, 18), s3: fixed(SIN3, 18), c1: fixed(COS1, 18), s1: fixed(SIN1, 18), c6: fixed(SQRT2_COS6, 18), s6: fixed(SQRT2_SIN6, 18) };
const K14 = { c3: fixed(COS3, 14), s3: fixed(SIN3, 14), c1: fixed(COS1, 14), s1: fixed(SIN1, 14), c6: fixed(SQRT2_COS6, 14), s6: fixed(SQRT2_SIN6, 14) };
const ROOT2_12 = fixed(SQRT2, 12);
const ROOT2_14 = fixed(SQRT2, 14);

/** Rotates and scales (x0, x1) with three multiplications; results as int32. */
function rotate(x0: number, x1: number, kcos: number, ksin: number): [number, number] {
  const ksum = kcos * (x0 + x1);
  return [(ksum + (ksin - kcos) * x1) | 0, (ksum - (kcos + ksin) * x0) | 0];
}

/** Forward DCT of the columns: samples 0..255 in, fixed point with 18 fractional bits out. */
function transformColumns(b: Int32Array): void {
  for (let i = 0; i < 8; i++) {
    let x0 = b[i], x1 = b[8 + i], x2 = b[16 + i], x3 = b[24 + i];
    let x4 = b[32 + i], x5 = b[40 + i], x6 = b[48 + i], x7 = b[56 + i];
    [x0, x7] = [x0 + x7, x0 - x7];
    [x1, x6] = [x1 + x6, x1 - x6];
    [x2, x5] = [x2 + x5, x2 - x5];
    [x3, x4] = [x3 + x4, x3 - x4];
    [x4, x7] = rotate(x4, x7, K18.c3, K18.s3);
    [x5, x6] = rotate(x5, x6, K18.c1, K18.s1);
    [x0, x3] = [x0 + x3, x0 - x3];
    [x1, x2] = [x1 + x2, x1 - x2];
    [x2, x3] = rotate(x2, x3, K18.c6, K18.s6);
    [x0, x1] = [x0 + x1, x0 - x1];
    b[i] = (x0 - 1024) << 18; // the level shift of 128 on every sample
    b[32 + i] = x1 << 18;
    b[16 + i] = x2;
    b[48 + i] = x3;
    [x4, x6] = [(x4 + x6) | 0, (x4 - x6) | 0];
    [x7, x5] = [(x7 + x5) | 0, (x7 - x5) | 0];
    x5 = Math.imul(x5 >> 12, ROOT2_12);
    x6 = Math.imul(x6 >> 12, ROOT2_12);
    [x7, x4] = [(x7 + x4) | 0, (x7 - x4) | 0];
    b[8 + i] = x7;
    b[24 + i] = x5;
    b[40 + i] = x6;
    b[56 + i] = x4;
  }
}

function roundShift(x: number): number {
  return ((x + (1 << 17)) | 0) >> 18;
}

/** Forward DCT of the rows: coefficients ×8 as integers out. */
function transformRows(b: Int32Array): void {
  for (let r = 0; r < 64; r += 8) {
    let x0 = b[r], x1 = b[r + 1], x2 = b[r + 2], x3 = b[r + 3];
    let x4 = b[r + 4], x5 = b[r + 5], x6 = b[r + 6], x7 = b[r + 7];
    [x0, x7] = [(x0 + x7) | 0, (x0 - x7) | 0];
    [x1, x6] = [(x1 + x6) | 0, (x1 - x6) | 0];
    [x2, x5] = [(x2 + x5) | 0, (x2 - x5) | 0];
    [x3, x4] = [(x3 + x4) | 0, (x3 - x4) | 0];
    [x4, x7] = rotate(x4 >> 14, x7 >> 14, K14.c3, K14.s3);
    [x5, x6] = rotate(x5 >> 14, x6 >> 14, K14.c1, K14.s1);
    [x0, x3] = [(x0 + x3) | 0, (x0 - x3) | 0];
    [x1, x2] = [(x1 + x2) | 0, (x1 - x2) | 0];
    [x2, x3] = rotate(x2 >> 14, x3 >> 14, K14.c6, K14.s6);
    [x0, x1] = [(x0 + x1) | 0, (x0 - x1) | 0];
    [x4, x6] = [(x4 + x6) | 0, (x4 - x6) | 0];
    [x7, x5] = [(x7 + x5) | 0, (x7 - x5) | 0];
    x5 = Math.imul(x5 >> 14, ROOT2_14);
    x6 = Math.imul(x6 >> 14, ROOT2_14);
    [x7, x4] = [(x7 + x4) | 0, (x7 - x4) | 0];
    b[r] = roundShift(x0);
    b[r + 1] = roundShift(x7);
    b[r + 2] = roundShift(x2);
    b[r + 3] = roundShift(x5);
    b[r + 4] = roundShift(x1);
    b[r + 5] = roundShift(x6);
    b[r + 6] = roundShift(x3);
    b[r + 7] = roundShift(x4);
  }
}

/** Go's `div`: a / b rounded to nearest, halves away from zero. */
function divRound(a: number, b: number): number {
  return a >= 0 ? Math.trunc((a + (b >> 1)) / b) : -Math.trunc((-a + (b >> 1)) / b);
}

/** The two quantization tables (zig-zag order) for a quality, clamped to 1..100 as Go does. */
function scaledQuant(quality: number): Uint8Array[] {
  const q = Math.min(100, Math.max(1, Math.trunc(quality)));
  const scale = q < 50 ? Math.trunc(5000 / q) : 200 - 2 * q;
  return UNSCALED_QUANT.map((table) => Uint8Array.from(table, (v) => Math.min(255, Math.max(1, Math.trunc((v * scale + 50) / 100)))));
}

/** Accumulates the entropy-coded bytes (with 0xFF stuffing) and the marker segments. */
class JpegWriter {
  private buffer = new Uint8Array(4096);
  private length = 0;
  private bits = 0;
  private nBits = 0;

  writeByte(b: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = b;
  }

  write(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.writeByte(bytes[i]);
  }

  /** Appends the low `n` bits of `value`, most significant first. */
  emit(value: number, n: number): void {
    this.bits = (this.bits << n) | (value & ((1 << n) - 1));
    this.nBits += n;
    while (this.nBits >= 8) {
      const b = (this.bits >>> (this.nBits - 8)) & 255;
      this.writeByte(b);
      if (b === 0xff) this.writeByte(0);
      this.nBits -= 8;
      this.bits &= (1 << this.nBits) - 1;
    }
  }

  emitSymbol(table: number, symbol: number): void {
    const codes = HUFFMAN_CODES[table];
    this.emit(codes.code[symbol], codes.length[symbol]);
  }

  /** A run of zeros followed by a non-zero (or, for DC, any) value. */
  emitValue(table: number, run: number, value: number): void {
    const magnitude = Math.abs(value);
    const size = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
    this.emitSymbol(table, (run << 4) | size);
    if (size > 0) this.emit(value < 0 ? value - 1 : value, size);
  }

  marker(code: number, payloadLength: number): void {
    this.write([0xff, code, (payloadLength + 2) >> 8, (payloadLength + 2) & 255]);
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function writeHeaders(out: JpegWriter, image: JpegSourceImage, quant: Uint8Array[]): void {
  out.write([0xff, 0xd8]);
  out.marker(0xdb, 2 * 65);
  quant.forEach((table, i) => {
    out.writeByte(i);
    out.write(table);
  });
  const n = image.channels;
  out.marker(0xc0, 6 + 3 * n);
  out.write([8, image.height >> 8, image.height & 255, image.width >> 8, image.width & 255, n]);
  if (n === 1) out.write([1, 0x11, 0]);
  else out.write([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const specs = HUFFMAN_SPECS.slice(0, n === 1 ? 2 : 4);
  out.marker(0xc4, specs.reduce((sum, s) => sum + 17 + s.values.length, 0));
  specs.forEach((spec, i) => {
    out.writeByte([0x00, 0x10, 0x01, 0x11][i]);
    out.write(spec.counts);
    out.write(spec.values);
  });
  if (n === 1) out.write([0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0]);
  else out.write([0xff, 0xda, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0]);
}

/** Transforms, quantizes and entropy-codes one block; returns its DC for the next delta. */
function writeBlock(out: JpegWriter, block: Int32Array, quant: Uint8Array, table: 0 | 1, prevDC: number): number {
  transformColumns(block);
  transformRows(block);
  const dc = divRound(block[0], 8 * quant[0]);
  out.emitValue(2 * table, 0, dc - prevDC);
  let run = 0;
  for (let zig = 1; zig < 64; zig++) {
    const ac = divRound(block[UNZIG[zig]], 8 * quant[zig]);
    if (ac === 0) {
      run++;
      continue;
    }
    for (; run > 15; run -= 16) out.emitSymbol(2 * table + 1, 0xf0);
    out.emitValue(2 * table + 1, run, ac);
    run = 0;
  }
  if (run > 0) out.emitSymbol(2 * table + 1, 0x00);
  return dc;
}

/** Copies the 8×8 region at (x, y) of a plane into a block, repeating the last row/column. */
function loadBlock(plane: Uint8Array, width: number, height: number, x: number, y: number, block: Int32Array): void {
  for (let j = 0; j < 8; j++) {
    const row = Math.min(y + j, height - 1) * width;
    for (let i = 0; i < 8; i++) block[8 * j + i] = plane[row + Math.min(x + i, width - 1)];
  }
}

/** Go's `color.RGBToYCbCr`, as three planes. */
function toYCbCrPlanes(image: JpegSourceImage): [Uint8Array, Uint8Array, Uint8Array] {
  const n = image.width * image.height;
  const y = new Uint8Array(n);
  const cb = new Uint8Array(n);
  const cr = new Uint8Array(n);
  const clamp = (v: number) => ((v & 0xff000000) === 0 ? v >> 16 : ~(v >> 31) & 255);
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    const r = image.data[o], g = image.data[o + 1], b = image.data[o + 2];
    y[i] = (19595 * r + 38470 * g + 7471 * b + (1 << 15)) >> 16;
    cb[i] = clamp((-11056 * r - 21712 * g + 32768 * b + (257 << 15)) | 0);
    cr[i] = clamp((32768 * r - 27440 * g - 5328 * b + (257 << 15)) | 0);
  }
  return [y, cb, cr];
}

/** Go's 4:2:0 chroma: each 16×16 area averaged 2×2 into one 8×8 block. */
function subsample(dst: Int32Array, src: Int32Array[]): void {
  for (let i = 0; i < 4; i++) {
    const offset = ((i & 2) << 4) | ((i & 1) << 2);
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        const j = 16 * y + 2 * x;
        dst[8 * y + x + offset] = (src[i][j] + src[i][j + 1] + src[i][j + 8] + src[i][j + 9] + 2) >> 2;
      }
    }
  }
}

function writeGrayScan(out: JpegWriter, image: JpegSourceImage, quant: Uint8Array[]): void {
  const block = new Int32Array(64);
  let prev = 0;
  for (let y = 0; y < image.height; y += 8) {
    for (let x = 0; x < image.width; x += 8) {
      loadBlock(image.data, image.width, image.height, x, y, block);
      prev = writeBlock(out, block, quant[0], 0, prev);
    }
  }
}

function writeColourScan(out: JpegWriter, image: JpegSourceImage, quant: Uint8Array[]): void {
  const [yPlane, cbPlane, crPlane] = toYCbCrPlanes(image);
  const { width, height } = image;
  const block = new Int32Array(64);
  const cb = [0, 1, 2, 3].map(() => new Int32Array(64));
  const cr = [0, 1, 2, 3].map(() => new Int32Array(64));
  let prevY = 0, prevCb = 0, prevCr = 0;
  for (let y = 0; y < height; y += 16) {
    for (let x = 0; x < width; x += 16) {
      for (let i = 0; i < 4; i++) {
        const px = x + (i & 1) * 8;
        const py = y + (i & 2) * 4;
        loadBlock(yPlane, width, height, px, py, block);
        loadBlock(cbPlane, width, height, px, py, cb[i]);
        loadBlock(crPlane, width, height, px, py, cr[i]);
        prevY = writeBlock(out, block, quant[0], 0, prevY);
      }
      subsample(block, cb);
      prevCb = writeBlock(out, block, quant[1], 1, prevCb);
      subsample(block, cr);
      prevCr = writeBlock(out, block, quant[1], 1, prevCr);
    }
  }
}

/**
 * Encodes an image as Go's `jpeg.Encode` does with `Options{Quality: quality}`.
 *
 * @throws Error with Go's message when a side is 65536 or more.
 * @example
 * ```ts
 * encodeGoJpeg({ width: 64, height: 64, channels: 3, data: rgb }, 90) // 3-component 4:2:0 JPEG
 * ```
 */
export function encodeGoJpeg(image: JpegSourceImage, quality = 80): Uint8Array {
  if (image.width >= 65536 || image.height >= 65536) throw new Error(JPEG_TOO_LARGE);
  const quant = scaledQuant(quality);
  const out = new JpegWriter();
  writeHeaders(out, image, quant);
  if (image.width > 0 && image.height > 0) {
    if (image.channels === 1) writeGrayScan(out, image, quant);
    else writeColourScan(out, image, quant);
  }
  out.emit(0x7f, 7);
  out.write([0xff, 0xd9]);
  return out.bytes();
}
