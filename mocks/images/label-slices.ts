/**
 * 2D slices of labelmap instances as DVID v1.0.0 serves them (`labelmap` `handleDataRequest`
 * → `NewLabels`, `GetImage`, `ScaleImage`, `WriteImageHttp`): the uint64 labels of a
 * one-voxel-thick box packed like uint64blk (`NRGBA64`), `/isotropic` sized by the instance's
 * VoxelSize and rescaled with the box filter of image-block instances (DVID builds the image
 * through the embedded `imageblk.Voxels`, whose `Interpolable` is true, so labels are averaged
 * as big-endian uint64 values), any image format of `dvid.WriteImageHttp`. Coordinates are in
 * voxels of the requested scale.
 *
 * @example
 * ```ts
 * labelSliceResponse(parts, instance.voxelSize, (box) => readBox(req, box, scale, supervoxels), path)
 * ```
 * @module
 */
import type { Subvolume } from '../geometry.js';
import { notEmulated } from '../http.js';
import { describeSlice, parseSliceGeometry, sliceBox, sliceResponse } from './slices.js';

const MAX_DATA_REQUEST = 3 * 2 ** 30;

/** uint64 labels: one 8-byte value per voxel. */
const LABELS = { bytesPerVoxel: 8, values: { length: 1 } };

/**
 * Answers `GET /raw|isotropic/{plane}/{w}_{h}/{x}_{y}_{z}[/{format}]` of a labelmap (the caller
 * has checked the method). `read` returns the labels of a box as little-endian uint64 bytes.
 *
 * @throws Error with DVID's message for a bad size, format or quality.
 * @example
 * ```ts
 * return labelSliceResponse(req.parts, req.instance.voxelSize, (box) => readBox(req, box, scale, false), req.request.path);
 * ```
 */
export function labelSliceResponse(parts: readonly string[], voxelSize: readonly number[], read: (box: Subvolume) => Uint8Array, path: string): Response {
  const geometry = parseSliceGeometry(parts, voxelSize, parts[3] === 'isotropic');
  const [w, h] = geometry.read;
  if (w < 0 && h < 0) throw notEmulated(path, 'slices with two negative sizes');
  if (w * h <= 0) throw new Error(`illegal geometry requested: ${describeSlice(geometry.axes, geometry.offset, geometry.read)}`);
  if (w * h * 8 > MAX_DATA_REQUEST) {
    throw new Error(`requested payload (${w * h * 8} bytes) exceeds this DVID server's set limit (${MAX_DATA_REQUEST})`);
  }
  return sliceResponse(read(sliceBox(geometry)), geometry, LABELS, true, parts, path);
}
