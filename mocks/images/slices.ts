/**
 * 2D images of voxel instances as DVID v1.0.0 serves them (`imageblk` `ServeHTTP` →
 * `dvid.NewSliceFromStrings`, `dvid.Isotropy2D`, `GetImage`, `ScaleImage`, `WriteImageHttp`):
 * `GET /raw|isotropic/{plane}/{w}_{h}/{x}_{y}_{z}[/{format}]` and the stacked 3D JPEG of
 * `GET /raw/0_1_2/{nx}_{ny}_{nz}/{x}_{y}_{z}/jpg`. A slice is a one-voxel-thick box read like
 * `/raw` and packed into the Go image of the voxel type; `/isotropic` first reads the slice
 * shrunk along its coarser axis by the VoxelSize ratio (float32 arithmetic, rounded half up),
 * then box-filters it back to the requested size.
 *
 * @example
 * ```ts
 * const geometry = parseSliceGeometry(['node', uuid, 'gray', 'isotropic', 'xz', '64_50', '0_10_0'], [4, 4, 40], true);
 * geometry.read.size // [64, 5]: the box actually read
 * ```
 * @module
 */
import { GoPanic, notEmulated } from '../http.js';
import { checkSliceStrings, parsePoint, type Point3, type Subvolume } from '../geometry.js';
import { readVoxels, type ImageInstance } from '../imageblk.js';
import type { VersionNode } from '../versioned.js';
import { goImageFromVoxels, type GoImage, type VoxelLayout } from './goimage.js';
import { goImageResponse } from './image-response.js';
import { scaleGoImage } from './scale.js';

/** Largest response DVID builds (`server.MaxDataRequest`, 3 GiB). */
const MAX_DATA_REQUEST = 3 * 2 ** 30;

/** The axes (x = 0, y = 1, z = 2) across and down an orthogonal plane, by shape name. */
const PLANE_AXES: Record<string, [number, number]> = {
  xy: [0, 1],
  '0_1': [0, 1],
  '0,1': [0, 1],
  xz: [0, 2],
  '0_2': [0, 2],
  '0,2': [0, 2],
  yz: [1, 2],
  '1_2': [1, 2],
  '1,2': [1, 2],
};

const PLANE_NAMES = ['XY slice', 'XZ slice', 'YZ slice'];

/**
 * A parsed slice request: the plane's axes, the first voxel, the size asked for and the size
 * DVID reads before rescaling (equal unless `/isotropic` with unequal resolutions).
 *
 * @example
 * ```ts
 * const g: SliceGeometry = { axes: [0, 2], offset: [0, 10, 0], size: [64, 50], read: [64, 5] };
 * ```
 */
export interface SliceGeometry {
  axes: [number, number];
  offset: Point3;
  size: [number, number];
  read: [number, number];
}

/**
 * The axes of a 2D shape name (`xy`, `0_2`, `1,2`, any case), or undefined for other shapes.
 *
 * @example
 * ```ts
 * planeAxes('XZ') // [0, 2]
 * ```
 */
export function planeAxes(shape: string): [number, number] | undefined {
  return PLANE_AXES[shape.toLowerCase()];
}

/**
 * Go's `OrthogSlice.String`, e.g. `XZ slice @ offset (0,10,0), size (64, 0)`.
 *
 * @example
 * ```ts
 * describeSlice([0, 2], [0, 10, 0], [64, 0])
 * ```
 */
export function describeSlice(axes: [number, number], offset: Point3, size: [number, number]): string {
  const name = PLANE_NAMES[axes[0] + axes[1] - 1];
  return `${name} @ offset (${offset.join(',')}), size (${size[0]}, ${size[1]})`;
}

/** `dvid.Isotropy2D`: the size to read so that pixels become square after rescaling. */
function isotropicReadSize(axes: [number, number], size: [number, number], voxelSize: readonly number[]): [number, number] {
  for (const axis of axes) {
    if (axis >= voxelSize.length) throw new GoPanic(`runtime error: index out of range [${axis}] with length ${voxelSize.length}`);
  }
  const resX = Math.fround(voxelSize[axes[0]]);
  const resY = Math.fround(voxelSize[axes[1]]);
  if (resX === resY) return size;
  const scaled = (n: number, num: number, den: number) => Math.trunc(Math.fround(Math.fround(Math.fround(n * num) / den) + 0.5)) | 0;
  return resX < resY ? [size[0], scaled(size[1], resX, resY)] : [scaled(size[0], resY, resX), size[1]];
}

/**
 * Parses `…/{plane}/{w}_{h}/{x}_{y}_{z}` (parts 4–6 of the split API path) with DVID's checks
 * and messages, and works out the size to read for `/isotropic`.
 *
 * @throws Error with DVID's message for bad strings.
 * @example
 * ```ts
 * parseSliceGeometry(parts, instance.voxelSize, parts[3] === 'isotropic')
 * ```
 */
export function parseSliceGeometry(parts: readonly string[], voxelSize: readonly number[], isotropic: boolean): SliceGeometry {
  const [shape, sizeText, offsetText] = parts.slice(4, 7);
  const axes = planeAxes(shape);
  if (!axes) throw new Error(`Unknown data shape specification (${shape})`);
  checkSliceStrings(offsetText, sizeText);
  const offset = parsePoint(offsetText, '_') as Point3;
  const size = sizeText.split('_').map((part) => Number(part.trim())) as [number, number];
  const read = isotropic ? isotropicReadSize(axes, size, voxelSize) : size;
  return { axes, offset, size, read };
}

/**
 * The one-voxel-thick box a slice reads.
 *
 * @example
 * ```ts
 * sliceBox({ axes: [1, 2], offset: [30, 1, 9], size: [62, 33], read: [62, 33] }) // size [1, 62, 33]
 * ```
 */
export function sliceBox(geometry: SliceGeometry): Subvolume {
  const size: Point3 = [1, 1, 1];
  size[geometry.axes[0]] = geometry.read[0];
  size[geometry.axes[1]] = geometry.read[1];
  return { offset: geometry.offset, size };
}

/**
 * `NewVoxels` checks on the box of a slice: a positive voxel count and DVID's size limit.
 *
 * @example
 * ```ts
 * checkSliceSize(geometry, 8, path)
 * ```
 */
export function checkSliceSize(geometry: SliceGeometry, bytesPerVoxel: number, path: string): void {
  const [w, h] = geometry.read;
  if (w < 0 && h < 0) throw notEmulated(path, 'slices with two negative sizes');
  const voxels = w * h;
  if (voxels <= 0) throw new Error(`Illegal geometry requested: ${describeSlice(geometry.axes, geometry.offset, geometry.read)}`);
  if (voxels * bytesPerVoxel > MAX_DATA_REQUEST) {
    throw new Error(`Requested payload (${voxels * bytesPerVoxel} bytes) exceeds this DVID server's set limit (${MAX_DATA_REQUEST})`);
  }
}

/**
 * The response for slice voxels already read: packed, rescaled to the size asked for when it
 * differs, and encoded per the format segment (`parts[7]`).
 *
 * @example
 * ```ts
 * sliceResponse(bytes, geometry, VOXEL_TYPES.uint8blk, true, parts, path)
 * ```
 */
export function sliceResponse(
  bytes: Uint8Array,
  geometry: SliceGeometry,
  layout: VoxelLayout,
  interpolable: boolean,
  parts: readonly string[],
  path: string,
): Response {
  let image: GoImage = goImageFromVoxels(bytes, geometry.read[0], geometry.read[1], layout);
  if (geometry.read[0] !== geometry.size[0] || geometry.read[1] !== geometry.size[1]) {
    image = scaleGoImage(image, geometry.size[0], geometry.size[1], interpolable);
  }
  return goImageResponse(image, parts[7] ?? '', path);
}

/**
 * `GET /raw|isotropic/{plane}/…` of an image-block instance (the caller has checked the
 * method; `beforeRead` runs DVID's checks that come after the size checks: `roi`, block size).
 *
 * @example
 * ```ts
 * serveImageSlice(instance, version, parts, request.path)
 * ```
 */
export function serveImageSlice(
  instance: ImageInstance,
  version: VersionNode,
  parts: readonly string[],
  path: string,
  beforeRead: () => void = () => {},
): Response {
  const geometry = parseSliceGeometry(parts, instance.voxelSize, parts[3] === 'isotropic');
  checkSliceSize(geometry, instance.voxelType.bytesPerVoxel, path);
  beforeRead();
  const bytes = readVoxels(instance, sliceBox(geometry), version);
  return sliceResponse(bytes, geometry, instance.voxelType, true, parts, path);
}

/**
 * The 3D `/raw/0_1_2/{nx}_{ny}_{nz}/…/jpg` answer: the box's voxels as one image nx wide and
 * ny·nz high (row y + ny·z), JPEG at quality 80 (`parts[7]` is exactly `jpg` or `jpeg`).
 *
 * @example
 * ```ts
 * stackedJpegResponse(bytes, box, instance, parts, path) // 200 image/jpeg
 * ```
 */
export function stackedJpegResponse(bytes: Uint8Array, box: Subvolume, instance: ImageInstance, parts: readonly string[], path: string): Response {
  const image = goImageFromVoxels(bytes, box.size[0], box.size[1] * box.size[2], instance.voxelType);
  return goImageResponse(image, parts[7], path);
}
