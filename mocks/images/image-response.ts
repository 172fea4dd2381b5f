/**
 * DVID v1.0.0's `dvid.WriteImageHttp`: the optional format segment of image URLs (`png`,
 * `jpg`, `jpeg`, `jpg:90`, …) turned into the response — PNG by default, JPEG at quality 80
 * unless `:N` follows (any format parses `:N` with `strconv.Atoi` first), DVID's errors for
 * unknown formats. TIFF and BMP, which DVID also writes, answer the mock's 501.
 *
 * @example
 * ```ts
 * goImageResponse(image, 'jpg:90', path) // 200 image/jpeg
 * goImageResponse(image, 'gif', path)    // throws 'Illegal image format requested: gif'
 * ```
 * @module
 */
import { goAtoi, GoParseError } from '../goformat.js';
import { bodyResponse, notEmulated } from '../http.js';
import { encodeGoJpegImage, encodeGoPng, type GoImage } from './goimage.js';

/**
 * `dvid.DefaultJPEGQuality`.
 *
 * @example
 * ```ts
 * DEFAULT_JPEG_QUALITY // 80
 * ```
 */
export const DEFAULT_JPEG_QUALITY = 80;

/**
 * What a format segment asks for: the format name before `:` and the quality after it.
 *
 * @example
 * ```ts
 * parseImageFormat('jpg:90') // { name: 'jpg', quality: 90 }
 * ```
 */
export function parseImageFormat(formatText: string): { name: string; quality: number } {
  const parts = formatText.split(':');
  let quality = DEFAULT_JPEG_QUALITY;
  if (parts.length > 1) {
    try {
      quality = goAtoi(parts[1]);
    } catch (err) {
      if (err instanceof GoParseError) throw new Error(err.message);
      throw err;
    }
  }
  return { name: parts[0], quality };
}

/**
 * The image DVID writes for a Go image and a format segment (`''` when the URL has none).
 *
 * @throws Error with DVID's message for an unknown format, a bad quality or a JPEG too large;
 *   a 501 `DvidFailure` for TIFF and BMP.
 * @example
 * ```ts
 * const response = goImageResponse(image, '', '/api/node/.../raw/xy/64_64/0_0_0');
 * response.headers.get('Content-Type') // 'image/png'
 * ```
 */
export function goImageResponse(image: GoImage, formatText: string, path: string): Response {
  const { name, quality } = parseImageFormat(formatText);
  switch (name) {
    case '':
    case 'png':
      if (image.width <= 0 || image.height <= 0) throw new Error(`png: invalid format: invalid image size: ${image.width}x${image.height}`);
      return bodyResponse(encodeGoPng(image), 200, { 'Content-Type': 'image/png' });
    case 'jpg':
    case 'jpeg':
      return bodyResponse(encodeGoJpegImage(image, quality), 200, { 'Content-Type': 'image/jpeg' });
    case 'tif':
    case 'tiff':
    case 'bmp':
      throw notEmulated(path, `${name.toUpperCase()} image output`);
    default:
      throw new Error(`Illegal image format requested: ${name}`);
  }
}
