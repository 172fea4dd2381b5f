/**
 * The slices an imagetile instance stitches from its scale-0 tiles (DVID v1.0.0
 * `imagetile.GetImage`): a blank image of the source instance's Go image type, the size of the
 * (isotropy-adjusted) slice, into which every intersecting tile is decoded (Go's `png.Decode`
 * or `jpeg.Decode`) and drawn with `draw.Draw(…, draw.Src)`, i.e. converted through Go's colour
 * models (identical copies for same-type NRGBA/NRGBA64). Missing tiles stay zero, or with
 * `Placeholder` are drawn as DVID's placeholder: white with two light-gray guide lines (DVID
 * also writes text there, which the mock leaves out). Tiles that fail to decode are skipped.
 *
 * @example
 * ```ts
 * const image = stitchSlice(geometry, spec.levels.get(0)!, source, (coord) => tileBytes(coord));
 * ```
 * @module
 */
import { decodeJpeg } from '../../src/codecs/jpeg.js';
import { decodeImage } from '../../src/codecs/image.js';
import type { DecodedImage } from '../../src/codecs/image.js';
import type { Point3 } from '../geometry.js';
import { blankGoImage, goKindOf, goPixelBytes, type GoImage, type VoxelLayout } from './goimage.js';
import type { SliceGeometry } from './slices.js';

/** A decoded tile: its size and each pixel as Go's alpha-premultiplied 16-bit RGBA. */
export interface TilePixels {
  width: number;
  height: number;
  /** `RGBA64At`: [r, g, b, a], 0..65535, premultiplied. */
  at(x: number, y: number): [number, number, number, number];
  /** Same-type pixels for draw's copy fast paths (NRGBA, NRGBA64), when the tile is one. */
  raw?: { kind: 'nrgba' | 'nrgba64'; pix: Uint8Array };
}

function premultiply(r: number, g: number, b: number, a: number): [number, number, number, number] {
  return [Math.floor((r * a) / 0xffff), Math.floor((g * a) / 0xffff), Math.floor((b * a) / 0xffff), a];
}

/** The RGBA64 colour of one decoded sample set, per the Go image type `png.Decode` returns. */
function pixelsOf(image: DecodedImage): TilePixels {
  const { width, height, channels, depth, data } = image;
  const wide = (v: number) => (depth === 16 ? v : v * 0x101);
  const sample = (i: number) => wide(data[i]);
  const at = (x: number, y: number): [number, number, number, number] => {
    const i = (y * width + x) * channels;
    switch (channels) {
      case 1:
        return [sample(i), sample(i), sample(i), 0xffff];
      case 2:
        return premultiply(sample(i), sample(i), sample(i), sample(i + 1));
      case 3:
        return [sample(i), sample(i + 1), sample(i + 2), 0xffff];
      default:
        return premultiply(sample(i), sample(i + 1), sample(i + 2), sample(i + 3));
    }
  };
  const tile: TilePixels = { width, height, at };
  if (channels === 4) tile.raw = { kind: depth === 8 ? 'nrgba' : 'nrgba64', pix: rawBytes(image) };
  return tile;
}

function rawBytes(image: DecodedImage): Uint8Array {
  if (image.depth === 8) return image.data as Uint8Array;
  const out = new Uint8Array(image.data.length * 2);
  image.data.forEach((v, i) => {
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 255;
  });
  return out;
}

/**
 * Decodes a stored tile as DVID does for `png` and `jpg` instances; undefined when the bytes do
 * not decode (DVID skips such tiles). One-component JPEGs are decoded with Go 1.26's IDCT;
 * colour JPEGs go through jpeg-js (Go's own YCbCr conversion is not reproduced).
 *
 * @example
 * ```ts
 * decodeTile(pngBytes)?.at(0, 0) // [r, g, b, a]
 * ```
 */
export function decodeTile(bytes: Uint8Array): TilePixels | undefined {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const gray = decodeJpeg(bytes, { idct: 'loeffler' });
      if (gray.channels === 1) return pixelsOf(gray);
    }
    return pixelsOf(decodeImage(bytes));
  } catch {
    return undefined;
  }
}

/**
 * DVID's placeholder for a missing tile (`dvid.PlaceholderImage`), without its text: white,
 * with 0xdd guide lines along row 10 and column 10, inset 10 pixels from the far edges.
 *
 * @example
 * ```ts
 * placeholderTile(512, 512).at(0, 0) // white
 * ```
 */
export function placeholderTile(width: number, height: number): TilePixels {
  const white = 0xffff;
  const ruler = 0xdd * 0x101;
  return {
    width,
    height,
    at(x, y) {
      const onRow = y === 10 && x >= 10 && x < width - 10;
      const onColumn = x === 10 && y >= 10 && y < height - 10;
      const v = onRow || onColumn ? ruler : white;
      return [v, v, v, 0xffff];
    },
  };
}

/** `SetRGBA64` of each Go image type. */
function setPixel(dst: GoImage, x: number, y: number, [r, g, b, a]: [number, number, number, number]): void {
  const bpp = goPixelBytes(dst.kind);
  const o = (y * dst.width + x) * bpp;
  if (dst.kind === 'gray' || dst.kind === 'gray16') {
    const gray = Math.floor((19595 * r + 38470 * g + 7471 * b + 32768) / 2 ** (dst.kind === 'gray' ? 24 : 16));
    if (dst.kind === 'gray') dst.pix[o] = gray & 255;
    else dst.pix.set([(gray >> 8) & 255, gray & 255], o);
    return;
  }
  const unpremultiply = (v: number) => (a !== 0 && a !== 0xffff ? Math.floor((v * 0xffff) / a) : v);
  const [nr, ng, nb] = [unpremultiply(r), unpremultiply(g), unpremultiply(b)];
  if (dst.kind === 'nrgba') dst.pix.set([nr >> 8, ng >> 8, nb >> 8, a >> 8], o);
  else dst.pix.set([nr >> 8, nr & 255, ng >> 8, ng & 255, nb >> 8, nb & 255, a >> 8, a & 255], o);
}

/**
 * `draw.Draw(dst, rect, tile, from, draw.Src)`: the part of `rect` (dst coordinates, end
 * exclusive) that lies in both images, tile pixel (from + offset into rect).
 *
 * @example
 * ```ts
 * drawTile(dst, [0, 0, 32, 32], tile, [0, 0]);
 * ```
 */
export function drawTile(dst: GoImage, rect: [number, number, number, number], tile: TilePixels, from: [number, number]): void {
  const [x0, y0, x1, y1] = rect;
  const copyBytes = tile.raw && tile.raw.kind === dst.kind ? goPixelBytes(dst.kind) : 0;
  for (let y = Math.max(y0, 0); y < Math.min(y1, dst.height); y++) {
    const sy = from[1] + (y - y0);
    if (sy < 0 || sy >= tile.height) continue;
    for (let x = Math.max(x0, 0); x < Math.min(x1, dst.width); x++) {
      const sx = from[0] + (x - x0);
      if (sx < 0 || sx >= tile.width) continue;
      if (copyBytes) {
        const s = (sy * tile.width + sx) * copyBytes;
        dst.pix.set(tile.raw!.pix.subarray(s, s + copyBytes), (y * dst.width + x) * copyBytes);
      } else setPixel(dst, x, y, tile.at(sx, sy));
    }
  }
}

/** Floor division and remainder as DVID's `Chunk` and `PointInChunk` compute them. */
function chunkOf(v: number, size: number): number {
  return Math.floor(v / size);
}

function inChunk(v: number, size: number): number {
  return v - chunkOf(v, size) * size;
}

/**
 * The coordinate of the tile holding a voxel of the slice plane (`PlaneToChunkPoint3d`):
 * `xy` [tx, ty, z], `xz` [tx, y, tz], `yz` [x, ty, tz].
 *
 * @example
 * ```ts
 * tileCoordOf([0, 2], [40, 20, 70], [32, 32, 32]) // [1, 20, 2]
 * ```
 */
export function tileCoordOf(axes: [number, number], voxel: Point3, tileSize: Point3): Point3 {
  const coord: Point3 = [voxel[0], voxel[1], voxel[2]];
  for (const axis of axes) coord[axis] = chunkOf(voxel[axis], tileSize[axis]);
  return coord;
}

/**
 * Stitches the slice `geometry.read` (before any isotropic rescaling) from scale-0 tiles.
 * `tileAt` returns a tile's pixels, or undefined for a missing tile.
 *
 * @example
 * ```ts
 * stitchSlice(geometry, [512, 512, 512], VOXEL_TYPES.uint8blk, (coord) => decodeTile(bytesAt(coord)))
 * ```
 */
export function stitchSlice(geometry: SliceGeometry, tileSize: Point3, layout: VoxelLayout, tileAt: (coord: Point3) => TilePixels | undefined): GoImage {
  const [w, h] = geometry.read;
  const dst = blankGoImage(goKindOf(layout), layout.values.length === 4 ? 4 : 1, w, h);
  const [ax, ay] = geometry.axes;
  const tileW = tileSize[ax];
  const tileH = tileSize[ay];
  const minX = geometry.offset[ax];
  const minY = geometry.offset[ay];
  // As DVID: the first tile ends at its chunk's last voxel, later ones one tile further each.
  for (let y0 = 0, y1 = (chunkOf(minY, tileH) + 1) * tileH - minY; y0 < h; y0 = y1, y1 += tileH) {
    for (let x0 = 0, x1 = (chunkOf(minX, tileW) + 1) * tileW - minX; x0 < w; x0 = x1, x1 += tileW) {
      const voxel: Point3 = [...geometry.offset];
      voxel[ax] += x0;
      voxel[ay] += y0;
      const tile = tileAt(tileCoordOf(geometry.axes, voxel, tileSize));
      if (!tile) continue;
      drawTile(dst, [x0, y0, x1, y1], tile, [inChunk(x0 + minX, tileW), inChunk(y0 + minY, tileH)]);
    }
  }
  return dst;
}
