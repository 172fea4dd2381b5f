/**
 * DVID's 2D images: decoding PNG/JPEG to pixels, and turning DVID's per-type pixel packing
 * back into exact voxel values (and packing values the way DVID does, for mocks and tiles).
 *
 * How DVID packs voxels into a 2D image (DVID v1.0.0 `datatype/imageblk/imageblk.go`
 * `(*Voxels).GetImage2d`, encoded by Go's `image/png`, which writes an opaque NRGBA/NRGBA64
 * image as RGB without alpha):
 *
 * | voxel type | Go image | PNG | value from pixel |
 * | --- | --- | --- | --- |
 * | uint8 | `Gray` | 8-bit gray | the sample |
 * | uint16 | `Gray16` (bytes swapped to big-endian) | 16-bit gray | the sample |
 * | uint32, float32 | `NRGBA` over the little-endian bytes | 8-bit RGBA (RGB when every 4th byte is 255) | bytes R, G, B, A (A = 255 when absent) |
 * | uint64 | `NRGBA64` over the little-endian bytes | 16-bit RGBA (RGB when bytes 6–7 are all FF FF) | bytes R>>8, R&255, G>>8, …, A&255 |
 * | rgba8 (4 × uint8) | `NRGBA` | 8-bit RGBA (RGB when alpha is all 255) | R, G, B, A |
 *
 * JPEG (Go's `image/jpeg`) is grayscale for uint8 and 3-component YCbCr 4:2:0 for every other
 * type, made from the colour Go computes for each pixel (alpha-premultiplied RGB): uint16 keeps
 * only its high byte (R = G = B = value >> 8); rgba8 keeps R·A/255, G·A/255, B·A/255; the bytes
 * of uint32, uint64 and float32 values do not survive, so they are refused.
 *
 * @example
 * ```ts
 * const img = decodeImage(pngBytes);                          // pixels
 * const values = unpackDvidImage(img, 'uint64', 1);          // BigUint64Array, x fastest
 * const png = encodeDvidPng(values, width, height, 'uint64', 1); // what DVID would send
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';
import type { DecodedImage } from './decoded-image.js';
import { decodeJpeg, isJpeg, type JpegIdct } from './jpeg.js';
import { decodePng, encodePng, isPng } from './png.js';

export type { DecodedImage } from './decoded-image.js';

/** The image formats DVID serves. */
export type ImageFormat = 'png' | 'jpeg';

/** Voxel element types DVID packs into images (with `channels` 4 only for uint8: rgba8blk). */
export type DvidImageDType = 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'float32';

/** The TypedArray {@link unpackDvidImage} returns for each type. */
export type UnpackedArray = Uint8Array | Uint16Array | Uint32Array | Float32Array | BigUint64Array;

/** Options for {@link decodeImage}. */
export interface DecodeImageOptions {
  /** JPEG inverse DCT (see `decodeJpeg`). @default 'chen-wang' */
  idct?: JpegIdct;
  /** Refuse images with more pixels than this. @default 2 ** 28 */
  maxPixels?: number;
}

/** Options for {@link unpackDvidImage}. */
export interface UnpackDvidImageOptions {
  /**
   * The pixels come from a JPEG: accept what DVID's JPEGs carry (uint16 from the high byte,
   * rgba8 from RGB with alpha 255, uint8 from the first channel of a colour JPEG).
   * @default false
   */
  lossy?: boolean;
}

/**
 * Says whether bytes are a PNG or a JPEG, from their signature.
 *
 * @example
 * ```ts
 * sniffImageFormat(bytes) // 'png' | 'jpeg' | undefined
 * ```
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (isPng(bytes)) return 'png';
  if (isJpeg(bytes)) return 'jpeg';
  return undefined;
}

/**
 * Decodes a PNG or a JPEG (told apart by signature) into pixels.
 *
 * @throws {@link DecodeError} for anything else or for undecodable bytes.
 * @example
 * ```ts
 * const { width, height, channels, depth, data } = decodeImage(bytes, { idct: 'loeffler' });
 * ```
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): DecodedImage {
  const format = sniffImageFormat(bytes);
  if (format === 'png') return decodePng(bytes, options);
  if (format === 'jpeg') return decodeJpeg(bytes, options);
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new DecodeError('image', `neither PNG nor JPEG (first bytes: ${head || 'none'})`, { offset: 0 });
}

/**
 * Checks that `dtype` × `channels` is a type DVID packs into images and returns its bytes per
 * voxel.
 *
 * @throws {@link DvidArgumentError} otherwise.
 * @example
 * ```ts
 * dvidImageBytesPerVoxel('uint8', 4) // 4 (rgba8blk)
 * ```
 */
export function dvidImageBytesPerVoxel(dtype: string, channels: number): number {
  if (channels === 4 && dtype === 'uint8') return 4;
  if (channels === 1) {
    const size = { uint8: 1, uint16: 2, uint32: 4, uint64: 8, float32: 4 }[dtype as DvidImageDType];
    if (size) return size;
  }
  throw new DvidArgumentError('dtype', `DVID has no image packing for ${channels} × ${dtype} (voxel types: uint8, uint16, uint32, uint64, float32, 4 × uint8)`);
}

/**
 * True when DVID's JPEG images can carry values of this type at all (uint8, uint16 via its
 * high byte, rgba8 via RGB); false for uint32, uint64, float32.
 *
 * @example
 * ```ts
 * jpegCarriesValues('uint16', 1) // true (lossy, high byte only)
 * ```
 */
export function jpegCarriesValues(dtype: string, channels: number): boolean {
  return (channels === 1 && (dtype === 'uint8' || dtype === 'uint16')) || (channels === 4 && dtype === 'uint8');
}

function mismatch(image: DecodedImage, dtype: string, channels: number, expected: string): DecodeError {
  return new DecodeError(
    'dvid-image',
    `a ${image.depth}-bit ${image.channels}-channel image cannot hold ${channels === 4 ? 'rgba8' : dtype} voxels (DVID sends ${expected})`,
  );
}

/**
 * Turns an image DVID made from voxels back into the voxel values, x fastest then y, channels
 * interleaved: exactly the bytes `/raw` returns for the same voxels, viewed as the dtype's
 * TypedArray. The result may share memory with `image.data`.
 *
 * @throws {@link DecodeError} when the image's colour type and depth are not what DVID sends
 *   for the type; {@link DvidArgumentError} for a type DVID does not pack.
 * @example
 * ```ts
 * const img = decodePng(await res.bytes());       // a uint64blk XY slice: 16-bit RGBA
 * const labels = unpackDvidImage(img, 'uint64', 1); // BigUint64Array of width × height
 * ```
 */
export function unpackDvidImage(
  image: DecodedImage,
  dtype: DvidImageDType,
  channels: 1 | 4,
  options: UnpackDvidImageOptions = {},
): UnpackedArray {
  dvidImageBytesPerVoxel(dtype, channels);
  const n = image.width * image.height;
  const { data, depth } = image;
  const lossy = options.lossy === true;
  if (data.length !== n * image.channels) {
    throw new DecodeError('dvid-image', `${data.length} samples do not fill ${image.width} × ${image.height} × ${image.channels}`);
  }
  if (channels === 4) {
    if (depth !== 8 || (image.channels !== 4 && image.channels !== 3)) throw mismatch(image, dtype, channels, '8-bit RGBA or RGB');
    return toRgba8(data as Uint8Array, image.channels, n);
  }
  switch (dtype) {
    case 'uint8':
      if (depth === 8 && image.channels === 1) return data as Uint8Array;
      if (lossy && depth === 8 && image.channels === 3) return pickChannel(data as Uint8Array, 3, n);
      throw mismatch(image, dtype, channels, '8-bit gray');
    case 'uint16': {
      if (depth === 16 && image.channels === 1) return data as Uint16Array;
      if (lossy && depth === 8 && (image.channels === 1 || image.channels === 3)) {
        // DVID's JPEG of uint16 carries value >> 8 in R = G = B; spread it back over 16 bits.
        const out = new Uint16Array(n);
        const step = image.channels;
        for (let i = 0, j = 0; i < n; i++, j += step) out[i] = data[j] * 257;
        return out;
      }
      throw mismatch(image, dtype, channels, '16-bit gray');
    }
    case 'uint32':
    case 'float32': {
      if (depth !== 8 || (image.channels !== 4 && image.channels !== 3)) throw mismatch(image, dtype, channels, '8-bit RGBA or RGB');
      const bytes = toRgba8(data as Uint8Array, image.channels, n);
      return dtype === 'uint32' ? new Uint32Array(bytes.buffer, bytes.byteOffset, n) : new Float32Array(bytes.buffer, bytes.byteOffset, n);
    }
    case 'uint64': {
      if (depth !== 16 || (image.channels !== 4 && image.channels !== 3)) throw mismatch(image, dtype, channels, '16-bit RGBA or RGB');
      const src = data as Uint16Array;
      const bytes = new Uint8Array(n * 8);
      const step = image.channels;
      for (let i = 0, j = 0, o = 0; i < n; i++, j += step, o += 8) {
        const r = src[j];
        const g = src[j + 1];
        const b = src[j + 2];
        const a = step === 4 ? src[j + 3] : 0xffff;
        bytes[o] = r >>> 8;
        bytes[o + 1] = r & 255;
        bytes[o + 2] = g >>> 8;
        bytes[o + 3] = g & 255;
        bytes[o + 4] = b >>> 8;
        bytes[o + 5] = b & 255;
        bytes[o + 6] = a >>> 8;
        bytes[o + 7] = a & 255;
      }
      return new BigUint64Array(bytes.buffer, 0, n);
    }
    default:
      throw new DvidArgumentError('dtype', `DVID has no image packing for ${dtype}`);
  }
}

function toRgba8(data: Uint8Array, channels: number, n: number): Uint8Array {
  if (channels === 4) {
    // Own the buffer at offset 0 so 32-bit views are aligned.
    return data.byteOffset % 4 === 0 ? data : data.slice();
  }
  const out = new Uint8Array(n * 4);
  for (let i = 0, j = 0, o = 0; i < n; i++, j += 3, o += 4) {
    out[o] = data[j];
    out[o + 1] = data[j + 1];
    out[o + 2] = data[j + 2];
    out[o + 3] = 255;
  }
  return out;
}

function pickChannel(data: Uint8Array, step: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += step) out[i] = data[j];
  return out;
}

function asBytes(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Packs voxel values (x fastest, then y; channels interleaved) into the image DVID makes for
 * them, including Go's choice of RGB over RGBA when the alpha samples are all opaque.
 *
 * @throws {@link DvidArgumentError} for a wrong length or a type DVID does not pack.
 * @example
 * ```ts
 * const img = packDvidImage(new Uint32Array([1, 2, 3, 4]), 2, 2, 'uint32', 1); // 8-bit RGBA
 * ```
 */
export function packDvidImage(
  values: UnpackedArray,
  width: number,
  height: number,
  dtype: DvidImageDType,
  channels: 1 | 4,
): DecodedImage {
  const bpv = dvidImageBytesPerVoxel(dtype, channels);
  const n = width * height;
  if (values.byteLength !== n * bpv) {
    throw new DvidArgumentError('values', `${values.byteLength} bytes do not fill ${width} × ${height} voxels of ${bpv} bytes`);
  }
  if (channels === 1 && dtype === 'uint8') return { width, height, channels: 1, depth: 8, data: asBytes(values) };
  if (channels === 1 && dtype === 'uint16') {
    return { width, height, channels: 1, depth: 16, data: values instanceof Uint16Array ? values : new Uint16Array(asBytes(values).slice().buffer) };
  }
  const bytes = asBytes(values);
  if (dtype === 'uint64') {
    let opaque = true;
    for (let o = 6; o < bytes.length; o += 8) {
      if (bytes[o] !== 255 || bytes[o + 1] !== 255) {
        opaque = false;
        break;
      }
    }
    const ch = opaque ? 3 : 4;
    const out = new Uint16Array(n * ch);
    for (let i = 0, o = 0, j = 0; i < n; i++, o += 8, j += ch) {
      out[j] = (bytes[o] << 8) | bytes[o + 1];
      out[j + 1] = (bytes[o + 2] << 8) | bytes[o + 3];
      out[j + 2] = (bytes[o + 4] << 8) | bytes[o + 5];
      if (!opaque) out[j + 3] = (bytes[o + 6] << 8) | bytes[o + 7];
    }
    return { width, height, channels: ch, depth: 16, data: out };
  }
  // uint32, float32 and rgba8: the four bytes are R, G, B, A.
  let opaque = true;
  for (let o = 3; o < bytes.length; o += 4) {
    if (bytes[o] !== 255) {
      opaque = false;
      break;
    }
  }
  if (!opaque) return { width, height, channels: 4, depth: 8, data: bytes };
  const out = new Uint8Array(n * 3);
  for (let i = 0, o = 0, j = 0; i < n; i++, o += 4, j += 3) {
    out[j] = bytes[o];
    out[j + 1] = bytes[o + 1];
    out[j + 2] = bytes[o + 2];
  }
  return { width, height, channels: 3, depth: 8, data: out };
}

/**
 * The PNG DVID would send for these voxel values (same samples and colour type; the
 * compressed bytes differ from Go's).
 *
 * @example
 * ```ts
 * const png = encodeDvidPng(new Uint16Array(512 * 512), 512, 512, 'uint16', 1); // 16-bit gray
 * ```
 */
export function encodeDvidPng(
  values: UnpackedArray,
  width: number,
  height: number,
  dtype: DvidImageDType,
  channels: 1 | 4,
): Uint8Array {
  return encodePng(packDvidImage(values, width, height, dtype, channels));
}
