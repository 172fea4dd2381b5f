/**
 * The Go images DVID v1.0.0 builds from voxels (`(*Voxels).GetImage2d`, `dvid.ImageFromData`)
 * and what it does with them: PNG encoding (Go's `image/png` colour type per image kind,
 * RGB when every alpha is opaque), JPEG encoding (gray for `Gray`, YCbCr from the
 * alpha-premultiplied colour for every other kind), and the two rescalings of
 * `(*dvid.Image).ScaleImage`: nearest-neighbour `ResizeImage` and the box-filter
 * `InterpolateImage` (which reads 4- and 8-byte pixels as big-endian integers).
 *
 * @example
 * ```ts
 * const img = goImageFromVoxels(bytes, 64, 64, VOXEL_TYPES.uint16blk); // Gray16, bytes swapped
 * const png = encodeGoPng(img);
 * const half = interpolateGoImage(img, 32, 32);
 * ```
 * @module
 */
import { encodePng } from '../../src/codecs/png.js';
import type { DecodedImage } from '../../src/codecs/image.js';
import { encodeGoJpeg } from './jpeg-encode.js';

/**
 * A Go image: `Gray` (1 byte/pixel), `Gray16` (2, big-endian), `NRGBA` (4), `NRGBA64` (8,
 * big-endian samples), with `Pix` rows packed (stride = width × bytes per pixel). `values` is
 * how many values DVID stores per pixel (4 for rgba8blk, else 1), which picks the rescaling.
 *
 * @example
 * ```ts
 * const gray: GoImage = { kind: 'gray', values: 1, width: 2, height: 1, pix: new Uint8Array([0, 255]) };
 * ```
 */
export interface GoImage {
  kind: 'gray' | 'gray16' | 'nrgba' | 'nrgba64';
  values: 1 | 4;
  width: number;
  height: number;
  pix: Uint8Array;
}

/** The voxel layout an image is made from. */
export interface VoxelLayout {
  bytesPerVoxel: number;
  /** Values per voxel: 4 for rgba8blk. */
  values: { length: number };
}

/**
 * Bytes per pixel of a Go image kind.
 *
 * @example
 * ```ts
 * goPixelBytes('nrgba64') // 8
 * ```
 */
export function goPixelBytes(kind: GoImage['kind']): number {
  return { gray: 1, gray16: 2, nrgba: 4, nrgba64: 8 }[kind];
}

/**
 * The Go image kind DVID uses for a voxel layout (`GetImage2d`).
 *
 * @example
 * ```ts
 * goKindOf(VOXEL_TYPES.float32blk) // 'nrgba'
 * ```
 */
export function goKindOf(layout: VoxelLayout): GoImage['kind'] {
  switch (layout.bytesPerVoxel) {
    case 1:
      return 'gray';
    case 2:
      return 'gray16';
    case 4:
      return 'nrgba';
    default:
      return 'nrgba64';
  }
}

function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 2) {
    out[i] = bytes[i + 1];
    out[i + 1] = bytes[i];
  }
  return out;
}

/**
 * `GetImage2d`: voxel bytes (little-endian, x fastest) as the Go image DVID encodes; uint16
 * values are swapped to the big-endian order of `Gray16`, other kinds use the bytes as they are.
 *
 * @example
 * ```ts
 * goImageFromVoxels(new Uint8Array(8), 2, 1, VOXEL_TYPES.uint32blk).kind // 'nrgba'
 * ```
 */
export function goImageFromVoxels(bytes: Uint8Array, width: number, height: number, layout: VoxelLayout): GoImage {
  const kind = goKindOf(layout);
  const values = layout.values.length === 4 ? 4 : 1;
  return { kind, values, width, height, pix: kind === 'gray16' ? swapPairs(bytes) : bytes };
}

/**
 * The reverse of {@link goImageFromVoxels}: the voxel bytes of an image.
 *
 * @example
 * ```ts
 * voxelsFromGoImage(goImageFromVoxels(bytes, 8, 8, layout)) // equals bytes
 * ```
 */
export function voxelsFromGoImage(image: GoImage): Uint8Array {
  return image.kind === 'gray16' ? swapPairs(image.pix) : image.pix;
}

/**
 * A zeroed image of a kind (`BlankImage`).
 *
 * @example
 * ```ts
 * blankGoImage('gray', 1, 512, 512).pix.length // 262144
 * ```
 */
export function blankGoImage(kind: GoImage['kind'], values: 1 | 4, width: number, height: number): GoImage {
  return { kind, values, width, height, pix: new Uint8Array(width * height * goPixelBytes(kind)) };
}

function isOpaque(pix: Uint8Array, step: number, alphaBytes: number): boolean {
  for (let o = step - alphaBytes; o < pix.length; o += step) {
    for (let k = 0; k < alphaBytes; k++) if (pix[o + k] !== 255) return false;
  }
  return true;
}

function dropAlpha8(pix: Uint8Array): Uint8Array {
  const out = new Uint8Array((pix.length / 4) * 3);
  for (let i = 0, j = 0; i < pix.length; i += 4, j += 3) out.set(pix.subarray(i, i + 3), j);
  return out;
}

function samples16(pix: Uint8Array, keepAlpha: boolean): Uint16Array {
  const n = pix.length / 8;
  const ch = keepAlpha ? 4 : 3;
  const out = new Uint16Array(n * ch);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < ch; c++) out[i * ch + c] = (pix[8 * i + 2 * c] << 8) | pix[8 * i + 2 * c + 1];
  }
  return out;
}

/**
 * The samples Go's PNG encoder writes for an image: 8-bit gray, 16-bit gray, 8-bit RGB(A),
 * 16-bit RGB(A) — RGB when every alpha sample is opaque.
 *
 * @example
 * ```ts
 * goPngSamples(img).channels // 3 for an NRGBA image whose alpha bytes are all 255
 * ```
 */
export function goPngSamples(image: GoImage): DecodedImage {
  const { width, height, pix } = image;
  switch (image.kind) {
    case 'gray':
      return { width, height, channels: 1, depth: 8, data: pix };
    case 'gray16':
      return { width, height, channels: 1, depth: 16, data: samples16Gray(pix) };
    case 'nrgba':
      return isOpaque(pix, 4, 1)
        ? { width, height, channels: 3, depth: 8, data: dropAlpha8(pix) }
        : { width, height, channels: 4, depth: 8, data: pix };
    default: {
      const opaque = isOpaque(pix, 8, 2);
      return { width, height, channels: opaque ? 3 : 4, depth: 16, data: samples16(pix, !opaque) };
    }
  }
}

function samples16Gray(pix: Uint8Array): Uint16Array {
  const out = new Uint16Array(pix.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (pix[2 * i] << 8) | pix[2 * i + 1];
  return out;
}

/**
 * A PNG with the samples and colour type Go's encoder would write (the compressed bytes differ).
 *
 * @example
 * ```ts
 * encodeGoPng(blankGoImage('gray', 1, 16, 16)) // 8-bit gray PNG
 * ```
 */
export function encodeGoPng(image: GoImage): Uint8Array {
  return encodePng(goPngSamples(image));
}

/**
 * The 8-bit colour Go's JPEG encoder takes from each pixel of a non-gray image:
 * `At(x, y).RGBA() >> 8`, i.e. alpha-premultiplied (uint16 keeps its high byte).
 *
 * @example
 * ```ts
 * premultipliedRgb({ kind: 'nrgba', values: 4, width: 1, height: 1, pix: new Uint8Array([200, 100, 0, 128]) }) // [100, 50, 0]
 * ```
 */
export function premultipliedRgb(image: GoImage): Uint8Array {
  const n = image.width * image.height;
  const out = new Uint8Array(n * 3);
  const { pix } = image;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      let v: number;
      if (image.kind === 'gray16') v = pix[2 * i];
      else if (image.kind === 'nrgba') v = Math.floor((pix[4 * i + c] * 257 * pix[4 * i + 3]) / 255) >>> 8;
      else if (image.kind === 'nrgba64') {
        const sample = (pix[8 * i + 2 * c] << 8) | pix[8 * i + 2 * c + 1];
        const alpha = (pix[8 * i + 6] << 8) | pix[8 * i + 7];
        v = Math.floor((sample * alpha) / 65535) >>> 8;
      } else v = pix[i];
      out[3 * i + c] = v;
    }
  }
  return out;
}

/**
 * Go's `jpeg.Encode` of the image at a quality: 1 component for `Gray`, YCbCr 4:2:0 otherwise.
 *
 * @throws Error `jpeg: image is too large to encode` for a side ≥ 65536.
 * @example
 * ```ts
 * encodeGoJpegImage(img, 80)
 * ```
 */
export function encodeGoJpegImage(image: GoImage, quality: number): Uint8Array {
  if (image.kind === 'gray') return encodeGoJpeg({ width: image.width, height: image.height, channels: 1, data: image.pix }, quality);
  return encodeGoJpeg({ width: image.width, height: image.height, channels: 3, data: premultipliedRgb(image) }, quality);
}
