/**
 * `(*dvid.Image).ScaleImage` of DVID v1.0.0 (`dvid/image.go`): interpolable images (every
 * imageblk type) go through `InterpolateImage`, a box filter that magnifies the source by the
 * destination size and minifies by the source size with integer sums; others through
 * `ResizeImage`, nearest neighbour. The box filter reads a 4-byte pixel of a one-value image
 * (uint32, float32) as one big-endian uint32 and an 8-byte one (uint64) as one big-endian
 * uint64 whose sums wrap at 2^64, exactly as DVID does; rgba8 is filtered per channel.
 *
 * @example
 * ```ts
 * scaleGoImage(img, 64, 50, true) // what /isotropic returns after reading the smaller slice
 * ```
 * @module
 */
import { goPixelBytes, type GoImage } from './goimage.js';

/** How one pixel's samples are read and written for the box filter. */
interface SampleCodec {
  /** Samples per pixel summed separately. */
  count: number;
  read(pix: Uint8Array, pixel: number, sample: number): bigint;
  write(pix: Uint8Array, pixel: number, sample: number, value: bigint): void;
}

function bigEndianCodec(bytes: number, count: number): SampleCodec {
  const mask = (1n << BigInt(8 * bytes)) - 1n;
  return {
    count,
    read(pix, pixel, sample) {
      let v = 0n;
      const o = (pixel * count + sample) * bytes;
      for (let k = 0; k < bytes; k++) v = (v << 8n) | BigInt(pix[o + k]);
      return v;
    },
    write(pix, pixel, sample, value) {
      let v = value & mask;
      const o = (pixel * count + sample) * bytes;
      for (let k = bytes - 1; k >= 0; k--) {
        pix[o + k] = Number(v & 255n);
        v >>= 8n;
      }
    },
  };
}

function codecFor(image: GoImage): SampleCodec {
  switch (image.kind) {
    case 'gray':
      return bigEndianCodec(1, 1);
    case 'gray16':
      return bigEndianCodec(2, 1);
    case 'nrgba':
      return image.values === 4 ? bigEndianCodec(1, 4) : bigEndianCodec(4, 1);
    default:
      return image.values === 4 ? bigEndianCodec(2, 4) : bigEndianCodec(8, 1);
  }
}

const WRAP = (1n << 64n) - 1n;

/** Per destination pixel and sample, the weighted sums (exact: bigint wrapping at 2^64, or numbers when they stay below 2^53). */
interface Sums {
  add(index: number, value: bigint, weight: number): void;
  quotient(index: number, n: number): bigint;
}

function numberSums(length: number): Sums {
  const sums = new Float64Array(length);
  return {
    add: (index, value, weight) => {
      sums[index] += Number(value) * weight;
    },
    quotient: (index, n) => BigInt(Math.floor(sums[index] / n)),
  };
}

function bigintSums(length: number): Sums {
  const sums: bigint[] = new Array(length).fill(0n);
  return {
    add: (index, value, weight) => {
      sums[index] = (sums[index] + value * BigInt(weight)) & WRAP;
    },
    quotient: (index, n) => sums[index] / BigInt(n),
  };
}

/** Adds `value × weight` into the sums of every destination pixel a source pixel covers. */
function spread(sums: Sums, count: number, value: bigint[], x: number, y: number, src: [number, number], dst: [number, number]): void {
  const [dx, dy] = src;
  const [ww, hh] = dst;
  let py = y * hh;
  for (let remy = hh; remy > 0; ) {
    const qy = Math.min(dy - (py % dy), remy);
    let px = x * ww;
    let index = Math.floor(py / dy) * ww + Math.floor(px / dx);
    for (let remx = ww; remx > 0; ) {
      const qx = Math.min(dx - (px % dx), remx);
      for (let c = 0; c < count; c++) sums.add(index * count + c, value[c], qx * qy);
      index++;
      px += qx;
      remx -= qx;
    }
    py += qy;
    remy -= qy;
  }
}

/**
 * `InterpolateImage`: the box filter (same size: the image itself).
 *
 * @example
 * ```ts
 * interpolateGoImage(img, img.width, Math.round(img.height * 10)) // magnified 10× in y
 * ```
 */
export function interpolateGoImage(image: GoImage, width: number, height: number): GoImage {
  if (width <= 0 || height <= 0) throw new Error(`Attempted to interpolate to ${width} x ${height} pixels`);
  if (image.width === width && image.height === height) return image;
  if (image.width <= 0 || image.height <= 0) throw new Error(`Attempted to interpolate source image of ${image.width} x ${image.height} pixels`);
  const codec = codecFor(image);
  const n = image.width * image.height;
  // A destination sum is at most (largest sample) × n.
  const sampleBits = (8 * goPixelBytes(image.kind)) / codec.count;
  const exact = sampleBits + Math.log2(n) < 52;
  const sums = (exact ? numberSums : bigintSums)(width * height * codec.count);
  const value: bigint[] = new Array(codec.count).fill(0n);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      for (let c = 0; c < codec.count; c++) value[c] = codec.read(image.pix, y * image.width + x, c);
      spread(sums, codec.count, value, x, y, [image.width, image.height], [width, height]);
    }
  }
  const out: GoImage = { ...image, width, height, pix: new Uint8Array(width * height * goPixelBytes(image.kind)) };
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < codec.count; c++) codec.write(out.pix, i, c, sums.quotient(i * codec.count + c, n));
  }
  return out;
}

/**
 * `ResizeImage`: nearest neighbour, pixel (x, y) from (⌊x·srcW/dstW⌋, ⌊y·srcH/dstH⌋).
 *
 * @example
 * ```ts
 * resizeGoImage(labels, 64, 64)
 * ```
 */
export function resizeGoImage(image: GoImage, width: number, height: number): GoImage {
  if (width <= 0 || height <= 0) throw new Error(`Attempted to resize to ${width} x ${height} pixels`);
  if (image.width === width && image.height === height) return image;
  if (image.width <= 0 || image.height <= 0) throw new Error(`Attempted to resize source image of ${image.width} x ${image.height} pixels`);
  const bpp = goPixelBytes(image.kind);
  const out: GoImage = { ...image, width, height, pix: new Uint8Array(width * height * bpp) };
  for (let y = 0; y < height; y++) {
    const sy = Math.floor((y * image.height) / height);
    for (let x = 0; x < width; x++) {
      const sx = Math.floor((x * image.width) / width);
      const from = (sy * image.width + sx) * bpp;
      out.pix.set(image.pix.subarray(from, from + bpp), (y * width + x) * bpp);
    }
  }
  return out;
}

/**
 * `ScaleImage`: interpolated for interpolable data, else nearest neighbour.
 *
 * @example
 * ```ts
 * scaleGoImage(img, 64, 50, true)
 * ```
 */
export function scaleGoImage(image: GoImage, width: number, height: number, interpolable: boolean): GoImage {
  return interpolable ? interpolateGoImage(image, width, height) : resizeGoImage(image, width, height);
}
