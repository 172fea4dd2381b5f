/**
 * PNG decoding and encoding in every runtime, through the pure-JavaScript `fast-png` (16-bit
 * samples included). Browsers' native decoders are not used: they may reduce 16-bit PNGs to
 * 8 bits, apply colour management, and premultiply alpha in canvases, all of which change
 * the values DVID packs into its PNGs.
 *
 * @example
 * ```ts
 * const img = decodePng(bytes); // { width, height, channels, depth, data }
 * const again = encodePng(img); // lossless, any zlib settings
 * ```
 * @module
 */
import { decode as fastPngDecode, encode as fastPngEncode, convertIndexedToRgb } from 'fast-png';
import { DecodeError, DvidArgumentError } from '../errors.js';
import type { DecodedImage } from './decoded-image.js';

const CODEC = 'png';
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const DEFAULT_MAX_PIXELS = 2 ** 28;

/** Options for {@link decodePng}. */
export interface DecodePngOptions {
  /**
   * Refuse images with more pixels than this (read from the header, before inflating).
   * @default 2 ** 28
   */
  maxPixels?: number;
}

/**
 * True when `bytes` start with the PNG signature.
 *
 * @example
 * ```ts
 * isPng(bytes) // true for DVID's default 2D slice format
 * ```
 */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Decodes a PNG into row-major pixels with interleaved channels: 8-bit samples as a
 * `Uint8Array`, 16-bit samples as a `Uint16Array` of the sample values. Palette images are
 * expanded to RGB(A). Sub-byte grayscale (1, 2, 4 bits) is not supported.
 *
 * @throws {@link DecodeError} (codec `png`) for a bad signature, a truncated or corrupt stream,
 *   or an image above `maxPixels`.
 * @example
 * ```ts
 * // GET /api/node/{uuid}/grayscale16/raw/xy/512_512/0_0_100 → 16-bit gray PNG
 * const { width, height, depth, data } = decodePng(body); // depth 16, data: Uint16Array
 * ```
 */
export function decodePng(bytes: Uint8Array, options: DecodePngOptions = {}): DecodedImage {
  if (!isPng(bytes)) throw new DecodeError(CODEC, 'not a PNG (bad signature)', { offset: 0 });
  if (bytes.length < 33) throw new DecodeError(CODEC, 'truncated before the end of the IHDR chunk', { offset: bytes.length });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (width * height > maxPixels) {
    throw new DecodeError(CODEC, `image of ${width} × ${height} pixels exceeds the limit of ${maxPixels}`, { offset: 16 });
  }
  checkChunks(bytes);
  let png: ReturnType<typeof fastPngDecode>;
  try {
    png = fastPngDecode(bytes);
  } catch (cause) {
    throw new DecodeError(CODEC, `cannot decode: ${(cause as Error)?.message ?? cause}`, { cause });
  }
  let channels = png.channels;
  let depth: number = png.depth;
  let data = png.data;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = data.length / (png.width * png.height);
    depth = 8;
  }
  if (depth !== 8 && depth !== 16) {
    throw new DecodeError(CODEC, `${depth}-bit samples are not supported (DVID writes 8- and 16-bit PNGs)`);
  }
  if (channels < 1 || channels > 4) throw new DecodeError(CODEC, `unsupported channel count ${channels}`);
  const expected = png.width * png.height * channels;
  if (data.length !== expected) {
    throw new DecodeError(CODEC, `decoded ${data.length} samples, expected ${expected} (${png.width} × ${png.height} × ${channels})`);
  }
  const samples =
    depth === 16
      ? (data as Uint16Array)
      : data instanceof Uint8Array
        ? data
        : new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { width: png.width, height: png.height, channels: channels as 1 | 2 | 3 | 4, depth: depth as 8 | 16, data: samples };
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Walks the chunks: each inside the data with a correct CRC, IHDR first, IEND present. */
function checkChunks(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 8;
  let first = true;
  for (;;) {
    if (p + 12 > bytes.length) throw new DecodeError(CODEC, 'truncated: no IEND chunk', { offset: p });
    const length = view.getUint32(p);
    const end = p + 12 + length;
    if (end > bytes.length) throw new DecodeError(CODEC, `chunk of ${length} bytes runs past the data`, { offset: p });
    const type = String.fromCharCode(bytes[p + 4], bytes[p + 5], bytes[p + 6], bytes[p + 7]);
    if (first && type !== 'IHDR') throw new DecodeError(CODEC, `first chunk is ${JSON.stringify(type)}, not IHDR`, { offset: p });
    if (crc32(bytes, p + 4, p + 8 + length) !== view.getUint32(p + 8 + length)) {
      throw new DecodeError(CODEC, `bad CRC in the ${JSON.stringify(type)} chunk`, { offset: p });
    }
    if (type === 'IEND') return;
    first = false;
    p = end;
  }
}

/**
 * Encodes pixels as a PNG (any colour type with 1–4 channels, 8 or 16 bits). The bytes differ
 * from Go's encoder (zlib settings, filters) but decode to the same samples.
 *
 * @throws {@link DvidArgumentError} when the data length does not match the dimensions.
 * @example
 * ```ts
 * const tile = encodePng({ width: 512, height: 512, channels: 1, depth: 8, data: pixels });
 * ```
 */
export function encodePng(image: DecodedImage): Uint8Array {
  const { width, height, channels, depth, data } = image;
  if (data.length !== width * height * channels) {
    throw new DvidArgumentError('image', `${data.length} samples do not fill ${width} × ${height} × ${channels}`);
  }
  if ((depth === 16) !== data instanceof Uint16Array) {
    throw new DvidArgumentError('image', `${depth}-bit samples need a ${depth === 16 ? 'Uint16Array' : 'Uint8Array'}`);
  }
  return fastPngEncode({ width, height, channels, depth, data });
}
