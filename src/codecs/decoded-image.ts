/**
 * The pixel container every image codec returns ({@link DecodedImage}). It lives in its own
 * module so `png`, `jpeg` and `image` can share it without importing one another.
 *
 * @example
 * ```ts
 * const img: DecodedImage = decodePng(pngBytes);
 * img.width * img.height * img.channels === img.data.length; // true
 * ```
 * @module
 */

/**
 * Decoded pixels: row-major, channels interleaved; 16-bit samples as numbers.
 *
 * @example
 * ```ts
 * const gray: DecodedImage = { width: 2, height: 1, channels: 1, depth: 8, data: new Uint8Array([0, 255]) };
 * ```
 */
export interface DecodedImage {
  width: number;
  height: number;
  /** 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  depth: 8 | 16;
  data: Uint8Array | Uint16Array;
}
