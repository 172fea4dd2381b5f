/**
 * Points, boxes and blocks as DVID parses and prints them (`dvid/point.go`, `geometry.go`):
 * `x_y_z` strings, shape names such as `0_1_2`, block alignment and floor-division block
 * coordinates for negative voxels. Parse failures throw Errors carrying DVID's messages.
 *
 * @example
 * ```ts
 * const box = parseSubvolume('-32_0_32', '32_32_32'); // { offset: [-32, 0, 32], size: [32, 32, 32] }
 * describeSubvolume(box) // '3d volume (32,32,32) at offset (-32,0,32)'
 * blockAligned(box, [32, 32, 32]) // true
 * ```
 * @module
 */
import { goParseFloat, goParseInt } from './goformat.js';

/**
 * A point of any dimension (DVID's `dvid.Point`).
 *
 * @example
 * ```ts
 * const blockSize: Point = [64, 64]; // DVID accepts 2D block sizes at creation
 * ```
 */
export type Point = number[];

/**
 * A 3D point.
 *
 * @example
 * ```ts
 * const offset: Point3 = [-32, 0, 64];
 * ```
 */
export type Point3 = [number, number, number];

/**
 * A 3D box: first voxel and size.
 *
 * @example
 * ```ts
 * const box: Subvolume = { offset: [0, 0, 0], size: [64, 64, 64] };
 * ```
 */
export interface Subvolume {
  offset: Point3;
  size: Point3;
}

/**
 * `dvid.StringToPoint`: 2 components make a 2D point, 3 a 3D point, more an n-D point;
 * each component a decimal int32 (whitespace around it allowed).
 *
 * @example
 * ```ts
 * parsePoint('64,64,64', ',') // [64, 64, 64]
 * ```
 */
export function parsePoint(text: string, separator: string): Point {
  const parts = text.split(separator);
  if (parts.length <= 1) throw new Error(`Cannot convert '${text}' into a Point.`);
  return parts.map((part) => goParseInt(part.trim(), 32));
}

/**
 * `dvid.NewSubvolumeFromStrings(offset, size, "_")` with DVID's checks and messages.
 *
 * @example
 * ```ts
 * parseSubvolume('0_0_0', '2_2') // throws 'Size must be 3 (not 2) dimensions'
 * ```
 */
export function parseSubvolume(offsetText: string, sizeText: string): Subvolume {
  const offset = parsePoint(offsetText, '_');
  if (offset.length !== 3) throw new Error(`Offset must be 3d coordinate, not ${offset.length}-d coordinate`);
  const size = parsePoint(sizeText, '_');
  if (size.length !== 3) throw new Error(`Size must be 3 (not ${size.length}) dimensions`);
  return { offset: offset as Point3, size: size as Point3 };
}

/**
 * Checks a 2D slice's size and offset strings like `dvid.NewSliceFromStrings`.
 *
 * @example
 * ```ts
 * checkSliceStrings('0_0_100', '512_256') // ok
 * ```
 */
export function checkSliceStrings(offsetText: string, sizeText: string): void {
  const offset = parsePoint(offsetText, '_');
  if (offset.length !== 3) throw new Error(`Offset must be 3d coordinate, not ${offset.length}-d coordinate`);
  const size = sizeText.split('_');
  if (size.length !== 2) throw new Error('Cannot parse into a 2d point');
  for (const part of size) goParseInt(part.trim(), 32);
}

/** Shape names DVID accepts in `/raw/{dims}/...` (`dataShapeStrings`), by dimensionality. */
const SHAPES: Record<string, 2 | 3 | 'arb'> = {
  xy: 2,
  xz: 2,
  yz: 2,
  vol: 3,
  arb: 'arb',
  '0_1': 2,
  '0_2': 2,
  '1_2': 2,
  '0_1_2': 3,
  '0,1': 2,
  '0,2': 2,
  '1,2': 2,
  '0,1,2': 3,
};

/**
 * Dimensions of a `/raw` shape string (case-insensitive), or DVID's error.
 *
 * @example
 * ```ts
 * shapeDimensions('0_1_2') // 3
 * shapeDimensions('XY') // 2
 * ```
 */
export function shapeDimensions(shape: string): 2 | 3 | 'arb' {
  const dims = SHAPES[shape.toLowerCase()];
  if (dims === undefined) throw new Error(`Unknown data shape specification (${shape})`);
  return dims;
}

/**
 * Formats a point like Go's `Point3d.String`, e.g. `(1,2,3)`.
 *
 * @example
 * ```ts
 * formatPoint([1, 2, 3]) // '(1,2,3)'
 * ```
 */
export function formatPoint(point: Point): string {
  return `(${point.join(',')})`;
}

/**
 * Last voxel of a box (inclusive).
 *
 * @example
 * ```ts
 * endPoint({ offset: [0, 0, 0], size: [32, 32, 32] }) // [31, 31, 31]
 * ```
 */
export function endPoint(box: Subvolume): Point3 {
  return [box.offset[0] + box.size[0] - 1, box.offset[1] + box.size[1] - 1, box.offset[2] + box.size[2] - 1];
}

/**
 * Describes a box like Go's `Subvolume.String`.
 *
 * @example
 * ```ts
 * describeSubvolume({ offset: [0, 0, 0], size: [2, 2, 2] }) // '3d volume (2,2,2) at offset (0,0,0)'
 * ```
 */
export function describeSubvolume(box: Subvolume): string {
  return `3d volume ${formatPoint(box.size)} at offset ${formatPoint(box.offset)}`;
}

/**
 * Number of voxels in a box (negative when a size is negative, as in Go).
 *
 * @example
 * ```ts
 * voxelCount({ offset: [0, 0, 0], size: [2, 3, 4] }) // 24
 * ```
 */
export function voxelCount(box: Subvolume): number {
  return box.size[0] * box.size[1] * box.size[2];
}

/**
 * `dvid.BlockAligned`: the box starts on a block's first voxel and ends on a block's last.
 *
 * @example
 * ```ts
 * blockAligned({ offset: [1, 0, 0], size: [32, 32, 32] }, [32, 32, 32]) // false
 * ```
 */
export function blockAligned(box: Subvolume, blockSize: Point3): boolean {
  const end = endPoint(box);
  for (let d = 0; d < 3; d++) {
    if (box.offset[d] % blockSize[d] !== 0) return false;
    if ((end[d] + 1) % blockSize[d] !== 0) return false;
  }
  return true;
}

/**
 * Block coordinate holding a voxel (floor division, so voxel -1 is in block -1).
 *
 * @example
 * ```ts
 * blockOf([-1, 0, 64], [32, 32, 32]) // [-1, 0, 2]
 * ```
 */
export function blockOf(point: Point3, blockSize: Point3): Point3 {
  return [
    Math.floor(point[0] / blockSize[0]),
    Math.floor(point[1] / blockSize[1]),
    Math.floor(point[2] / blockSize[2]),
  ];
}

/**
 * `dvid.StringToNdFloat32`: comma-separated floats (whitespace allowed), rounded to float32.
 *
 * @example
 * ```ts
 * parseFloat32List('4,4,40') // [4, 4, 40]
 * ```
 */
export function parseFloat32List(text: string, separator: string): number[] {
  return text.split(separator).map((part) => goParseFloat(part.trim(), 32));
}
