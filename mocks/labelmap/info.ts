/**
 * The JSON DVID v1.0.0 writes for a labelmap instance: `GET /info` (`MarshalJSONExtents`:
 * `Base`, `Extended` = imageblk properties plus `MaxLabel`, `MaxRepoLabel`, `NextLabel`,
 * `IndexedLabels`, `MaxDownresLevel`, and `Extents`) and `GET /metadata` (imageblk's
 * `NdDataMetadata`: three axes, no channel axis).
 *
 * @example
 * ```ts
 * JSON.parse(labelmapInfoJson(seg)).Extended.MaxDownresLevel; // 2
 * ```
 * @module
 */
import { blockOf, type Point, type Point3 } from '../geometry.js';
import { float32, goJson, sortedKeys } from '../gojson.js';
import { GoPanic } from '../http.js';
import { baseInfo } from '../instance.js';
import type { LabelmapInstance } from './store.js';

interface ReportedExtents {
  min: Point | null;
  max: Point | null;
  minIndex: Point | null;
  maxIndex: Point | null;
}

/** Stored extents, else the configured Min/MaxPoint, with their block coordinates. */
function reportedExtents(instance: LabelmapInstance): ReportedExtents {
  const min = instance.extents?.min ?? instance.configMin;
  const max = instance.extents?.max ?? instance.configMax;
  const blockSize = instance.blockSize;
  if (!min || !max || blockSize.length !== 3 || min.length !== 3 || max.length !== 3 || blockSize.some((v) => v <= 0)) {
    return { min: min ?? null, max: max ?? null, minIndex: null, maxIndex: null };
  }
  return { min, max, minIndex: blockOf(min as Point3, blockSize as Point3), maxIndex: blockOf(max as Point3, blockSize as Point3) };
}

/** imageblk's `Properties` of a labelmap. */
function properties(instance: LabelmapInstance, extents: ReportedExtents): Record<string, unknown> {
  return {
    Values: [{ DataType: 'uint64', Label: 'labelmap' }],
    Interpolable: false,
    BlockSize: instance.blockSize,
    VoxelSize: instance.voxelSize.map(float32),
    VoxelUnits: instance.voxelUnits,
    MinPoint: extents.min,
    MaxPoint: extents.max,
    MinIndex: extents.minIndex,
    MaxIndex: extents.maxIndex,
    Background: instance.background,
    GridStore: '',
    ScaleLevel: instance.scaleLevel,
  };
}

/**
 * The `/info` object (also listed under `DataInstances` in repo info).
 *
 * @example
 * ```ts
 * labelmapInfo(seg).Extents; // { MinPoint: null, MaxPoint: null } before any write
 * ```
 */
export function labelmapInfo(instance: LabelmapInstance): Record<string, unknown> {
  const extents = reportedExtents(instance);
  const maxLabel: Record<string, bigint> = {};
  for (const [version, label] of instance.maxLabel) maxLabel[String(version)] = label;
  return {
    Base: baseInfo(instance),
    Extended: {
      ...properties(instance, extents),
      MaxLabel: sortedKeys(maxLabel),
      MaxRepoLabel: instance.maxRepoLabel,
      NextLabel: instance.nextLabel,
      IndexedLabels: instance.indexedLabels,
      MaxDownresLevel: instance.maxDownresLevel,
    },
    Extents: { MinPoint: extents.min, MaxPoint: extents.max },
  };
}

/**
 * The body of `GET /info`.
 *
 * @example
 * ```ts
 * labelmapInfoJson(seg); // '{"Base":{...},"Extended":{...},"Extents":{...}}'
 * ```
 */
export function labelmapInfoJson(instance: LabelmapInstance): string {
  return goJson(labelmapInfo(instance));
}

const AXIS_LABELS = ['X', 'Y', 'Z', 't', 'c'];

/**
 * The body of `GET /metadata` without DVID's trailing newline; a Go panic when VoxelSize or
 * VoxelUnits has fewer entries than BlockSize has dimensions.
 *
 * @example
 * ```ts
 * JSON.parse(labelmapMetadataJson(seg)).Axes.length; // 3
 * ```
 */
export function labelmapMetadataJson(instance: LabelmapInstance): string {
  const extents = reportedExtents(instance);
  const axes = instance.blockSize.map((_, d) => {
    const resolution = instance.voxelSize[d];
    const units = instance.voxelUnits[d];
    if (resolution === undefined || units === undefined) {
      const length = resolution === undefined ? instance.voxelSize.length : instance.voxelUnits.length;
      throw new GoPanic(`runtime error: index out of range [${d}] with length ${length}`);
    }
    const known = extents.min !== null && extents.max !== null;
    return {
      Label: AXIS_LABELS[d],
      Resolution: float32(resolution),
      Units: units,
      Size: known ? extents.max![d] - extents.min![d] + 1 : 0,
      Offset: known ? extents.min![d] : 0,
    };
  });
  return goJson({ Axes: axes, Properties: properties(instance, extents) });
}
