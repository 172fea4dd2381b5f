/**
 * Image-block instances (uint8blk, uint16blk, uint32blk, uint64blk, float32blk, rgba8blk):
 * their properties as `imageblk.(*Properties).setByConfig` reads them, their extents, their
 * sparse voxel storage, and the `/info` and `/metadata` JSON DVID writes for them.
 *
 * @example
 * ```ts
 * const gray = createImageInstance(base, VOXEL_TYPES.uint8blk, new DvidConfig({ BlockSize: '64,64,64' }));
 * writeVoxels(gray, { offset: [0, 0, 0], size: [64, 64, 64] }, bytes);
 * imageInfoJson(gray) // '{"Base":{...},"Extended":{...,"MinPoint":[0,0,0],"MaxPoint":[63,63,63],...},"Extents":{...}}'
 * ```
 * @module
 */
import { BlockStore } from './blocks.js';
import type { DvidConfig } from './config.js';
import { goAtoi, goParseUint, GoParseError, goQuote } from './goformat.js';
import { float32, goJson } from './gojson.js';
import { blockOf, endPoint, formatPoint, parseFloat32List, parsePoint, type Point, type Point3, type Subvolume } from './geometry.js';
import { GoPanic } from './http.js';
import { storeAsJpeg } from './images/jpeg-storage.js';
import { baseInfo, type BaseInstance } from './instance.js';
import type { VoxelType } from './types.js';
import type { VersionNode } from './versioned.js';

/**
 * Voxel extents: first and last voxel written (inclusive), as DVID stores them.
 *
 * @example
 * ```ts
 * const extents: Extents = { min: [0, 0, 0], max: [63, 63, 63] };
 * ```
 */
export interface Extents {
  min: Point;
  max: Point;
}

/**
 * An image-block instance held by the mock.
 *
 * @example
 * ```ts
 * const gray = mock.state.getInstance(uuid, 'grayscale'); gray.store?.size // stored blocks
 * ```
 */
export interface ImageInstance extends BaseInstance {
  kind: 'imageblk';
  voxelType: VoxelType;
  blockSize: Point;
  voxelSize: number[];
  voxelUnits: string[];
  /** `MinPoint`/`MaxPoint` given in the creation config (used until data is written). */
  configMin: Point | null;
  configMax: Point | null;
  background: number;
  gridStore: string;
  scaleLevel: number;
  /** Extents as stored by writes and `POST /extents` (null before the first). */
  extents: Extents | null;
  /** Voxels, or null when the block size is not a usable 3D size. */
  store: BlockStore | null;
}

function readString(config: DvidConfig, key: string): string | undefined {
  const setting = config.getString(key);
  if (setting.error) throw new Error(setting.error);
  return setting.found ? setting.value : undefined;
}

function parseWith<T>(text: string | undefined, parse: (text: string) => T): T | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof GoParseError) throw new Error(err.message);
    throw err;
  }
}

function usableBlockSize(blockSize: Point): Point3 | null {
  return blockSize.length === 3 && blockSize.every((v) => v > 0) ? (blockSize as Point3) : null;
}

/**
 * Creates an image-block instance from its common part and the creation config, reading the
 * type-specific settings in DVID's order. Throws an Error with DVID's message on a bad value.
 *
 * @example
 * ```ts
 * createImageInstance(base, VOXEL_TYPES.uint8blk, new DvidConfig({ Background: '300' }))
 * // throws 'strconv.ParseUint: parsing "300": value out of range'
 * ```
 */
export function createImageInstance(base: BaseInstance, voxelType: VoxelType, config: DvidConfig): ImageInstance {
  const blockSize = parseWith(readString(config, 'BlockSize'), (s) => parsePoint(s, ',')) ?? [32, 32, 32];
  const voxelSize = parseWith(readString(config, 'VoxelSize'), (s) => parseFloat32List(s, ',')) ?? [8, 8, 8];
  const voxelUnits = readString(config, 'VoxelUnits')?.split(',') ?? ['nanometers', 'nanometers', 'nanometers'];
  const configMin = parseWith(readString(config, 'MinPoint'), (s) => parsePoint(s, ',')) ?? null;
  const configMax = parseWith(readString(config, 'MaxPoint'), (s) => parsePoint(s, ',')) ?? null;
  const background = parseWith(readString(config, 'Background'), (s) => goParseUint(s, 8)) ?? 0;
  const gridStore = readString(config, 'GridStore');
  if (gridStore !== undefined) {
    throw new Error(`bad store (${gridStore}) designated for GridStore: could not find store with alias ${goQuote(gridStore)} in TOML config file`);
  }
  const scaleLevel = parseWith(readString(config, 'ScaleLevel'), goAtoi) ?? 0;
  const usable = usableBlockSize(blockSize);
  const instance: ImageInstance = {
    ...base,
    kind: 'imageblk',
    voxelType,
    blockSize,
    voxelSize,
    voxelUnits,
    configMin,
    configMax,
    background,
    gridStore: '',
    scaleLevel,
    extents: null,
    store: null,
  };
  if (usable) instance.store = new BlockStore(usable, voxelType.bytesPerVoxel, instance);
  return instance;
}

/**
 * Grows the stored extents to include a written box (`PostExtents`).
 *
 * @example
 * ```ts
 * growExtents(gray, { offset: [0, 0, 0], size: [32, 32, 32] })
 * ```
 */
export function growExtents(instance: ImageInstance, box: Subvolume): void {
  const end = endPoint(box);
  if (!instance.extents) {
    instance.extents = { min: [...box.offset], max: end };
    return;
  }
  instance.extents = {
    min: instance.extents.min.map((v, d) => Math.min(v, box.offset[d] ?? v)),
    max: instance.extents.max.map((v, d) => Math.max(v, end[d] ?? v)),
  };
}

/**
 * Writes a block-aligned box of voxels at a version node and grows the extents (extents are
 * instance properties in DVID, shared by all versions). The caller has checked the alignment
 * and the byte count. JPEG-stored instances keep the decoding of each block's JPEG, as DVID.
 *
 * @example
 * ```ts
 * writeVoxels(gray, { offset: [0, 0, 0], size: [32, 32, 32] }, new Uint8Array(32 ** 3), node)
 * ```
 */
export function writeVoxels(instance: ImageInstance, box: Subvolume, data: Uint8Array, at?: VersionNode): void {
  instance.store!.write(box, data, at);
  storeAsJpeg(instance, box, at);
  growExtents(instance, box);
}

/**
 * Reads any box of voxels as a version node sees it (zeros where nothing was written).
 *
 * @example
 * ```ts
 * readVoxels(gray, { offset: [-5, 0, 0], size: [10, 1, 1] }, node) // Uint8Array(10)
 * ```
 */
export function readVoxels(instance: ImageInstance, box: Subvolume, at?: VersionNode): Uint8Array {
  return instance.store!.read(box, at);
}

/** The extents `GetExtents` reports: stored ones, else the config's Min/MaxPoint, else none. */
interface ReportedExtents {
  min: Point | null;
  max: Point | null;
  minIndex: Point | null;
  maxIndex: Point | null;
}

function reportedExtents(instance: ImageInstance): ReportedExtents {
  const min = instance.extents?.min ?? instance.configMin;
  const max = instance.extents?.max ?? instance.configMax;
  if (!min || !max) return { min: null, max: null, minIndex: null, maxIndex: null };
  if (instance.blockSize.length !== 3) {
    throw new Error(`can't get extents for data instance ${goQuote(instance.name)} when block size ${formatPoint(instance.blockSize)} isn't 3d`);
  }
  for (const point of [min, max]) {
    if (point.length !== 3) throw new Error(`can't get 3d point ${formatPoint(point)} for data ${goQuote(instance.name)}`);
  }
  const blockSize = usableBlockSize(instance.blockSize);
  if (!blockSize) throw new GoPanic('runtime error: integer divide by zero');
  return { min, max, minIndex: blockOf(min as Point3, blockSize), maxIndex: blockOf(max as Point3, blockSize) };
}

function properties(instance: ImageInstance, extents: ReportedExtents): Record<string, unknown> {
  return {
    Values: instance.voxelType.values,
    Interpolable: true,
    BlockSize: instance.blockSize,
    VoxelSize: instance.voxelSize.map(float32),
    VoxelUnits: instance.voxelUnits,
    MinPoint: extents.min,
    MaxPoint: extents.max,
    MinIndex: extents.minIndex,
    MaxIndex: extents.maxIndex,
    Background: instance.background,
    GridStore: instance.gridStore,
    ScaleLevel: instance.scaleLevel,
  };
}

/**
 * The JSON of `GET .../info` (`MarshalJSONExtents`).
 *
 * @example
 * ```ts
 * JSON.parse(imageInfoJson(gray)).Extents // { MinPoint: null, MaxPoint: null } before any write
 * ```
 */
export function imageInfoJson(instance: ImageInstance): string {
  return goJson(imageInfo(instance));
}

/**
 * The `/info` object (also the value under `DataInstances` in repo info).
 *
 * @example
 * ```ts
 * imageInfo(gray).Base
 * ```
 */
export function imageInfo(instance: ImageInstance): Record<string, unknown> {
  const extents = reportedExtents(instance);
  return {
    Base: baseInfo(instance),
    Extended: properties(instance, extents),
    Extents: { MinPoint: extents.min, MaxPoint: extents.max },
  };
}

const AXIS_LABELS = ['X', 'Y', 'Z', 't', 'c'];

/**
 * The JSON of `GET .../metadata` (`NdDataMetadata`), without the trailing newline DVID adds.
 * Axis `Size` is `MaxPoint − MinPoint + 1` and `Offset` is `MinPoint`, both 0 before any data.
 *
 * @example
 * ```ts
 * JSON.parse(imageMetadataJson(gray)).Axes[0] // { Label: 'X', Resolution: 8, Units: 'nanometers', Size: 0, Offset: 0 }
 * ```
 */
export function imageMetadataJson(instance: ImageInstance): string {
  const extents = reportedExtents(instance);
  const dims = instance.blockSize.length;
  const axes = [];
  for (let d = 0; d < dims; d++) {
    const resolution = instance.voxelSize[d];
    const units = instance.voxelUnits[d];
    if (resolution === undefined || units === undefined) {
      throw new GoPanic(`runtime error: index out of range [${d}] with length ${resolution === undefined ? instance.voxelSize.length : instance.voxelUnits.length}`);
    }
    const hasExtents = extents.min !== null && extents.max !== null;
    axes.push({
      Label: AXIS_LABELS[d],
      Resolution: float32(resolution),
      Units: units,
      Size: hasExtents ? extents.max![d] - extents.min![d] + 1 : 0,
      Offset: hasExtents ? extents.min![d] : 0,
    });
  }
  return goJson({ Axes: axes, Properties: properties(instance, extents) });
}

/**
 * Overwrites the stored extents (`POST .../extents`).
 *
 * @example
 * ```ts
 * setExtents(gray, [0, 0, 0], [99, 99, 99])
 * ```
 */
export function setExtents(instance: ImageInstance, min: Point3, max: Point3): void {
  instance.extents = { min, max };
}
