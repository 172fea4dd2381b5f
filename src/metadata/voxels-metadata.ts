/**
 * `VoxelsMetadata`: DVID's `/metadata` JSON for voxel instances (pydvid's VoxelsMetadata), with
 * pydvid's derived values: the channel axis first, `shape` as the stop coordinate.
 *
 * @example
 * ```ts
 * const md = VoxelsMetadata.createDefault([4, 0, 0, 0], 'uint8', 'cxyz', 1.0, '');
 * md.typename // 'rgba8blk'
 * md.shape    // [4, 0, 0, 0]
 * ```
 * @module
 */
import { DvidArgumentError, SchemaValidationError } from '../errors.js';
import { assertDType, type DType } from '../volume/dtype.js';
import { SCHEMAS } from './schemas.js';

/** One spatial axis of DVID's `/metadata`. */
export interface AxisJSON {
  Label: string;
  Resolution: number;
  Units: string;
  /** Extent in voxels (0 when empty). */
  Size: number;
  /** First voxel coordinate (DVID's MinPoint). */
  Offset: number;
}

/** One channel ("value") of DVID's `/metadata`. */
export interface ValueJSON {
  DataType: DType;
  Label: string;
}

/** DVID's `/metadata` JSON. `Properties` carries more keys (BlockSize, MinPoint, ...) on real servers. */
export interface VoxelsMetadataJSON {
  Axes: AxisJSON[];
  Properties: {
    Values: ValueJSON[];
    BlockSize?: number[];
    VoxelSize?: number[];
    VoxelUnits?: string[];
    [key: string]: unknown;
  };
}

/** Options for {@link VoxelsMetadata}'s constructor. */
export interface VoxelsMetadataOptions {
  /** Validate against the voxels-metadata schema. @default true */
  validate?: boolean;
}

/** DVID voxel type names by (dtype, channel count). */
const TYPENAMES: { dtype: DType; channels: number; typename: string }[] = [
  { dtype: 'uint8', channels: 1, typename: 'uint8blk' },
  { dtype: 'uint8', channels: 4, typename: 'rgba8blk' },
  { dtype: 'uint16', channels: 1, typename: 'uint16blk' },
  { dtype: 'uint32', channels: 1, typename: 'uint32blk' },
  { dtype: 'uint64', channels: 1, typename: 'uint64blk' },
  { dtype: 'float32', channels: 1, typename: 'float32blk' },
];

/**
 * The DVID type name for `channels` channels of `dtype` (e.g. 4 × uint8 → `rgba8blk`).
 * Throws a DvidArgumentError listing what DVID supports.
 *
 * @example
 * ```ts
 * voxelsTypename('uint16', 1) // 'uint16blk'
 * ```
 */
export function voxelsTypename(dtype: DType, channels: number): string {
  const found = TYPENAMES.find((t) => t.dtype === dtype && t.channels === channels);
  if (!found) {
    const supported = TYPENAMES.map((t) => `${t.channels} × ${t.dtype} (${t.typename})`).join(', ');
    throw new DvidArgumentError(
      'metadata',
      `DVID has no voxel type for ${channels} channel${channels === 1 ? '' : 's'} of ${dtype}; supported: ${supported}`,
    );
  }
  return found.typename;
}

/**
 * DVID's `/metadata` for a voxel instance, with pydvid's derived values.
 *
 * @example
 * ```ts
 * const md = new VoxelsMetadata(await (await fetch(`${url}/metadata`)).json());
 * console.log(md.axes, md.dtype, md.minIndex, md.shape);
 * ```
 */
export class VoxelsMetadata {
  /** The JSON this metadata was built from (a private deep copy). */
  readonly json: VoxelsMetadataJSON;

  constructor(json: VoxelsMetadataJSON | string, options: VoxelsMetadataOptions = {}) {
    let parsed: unknown;
    if (typeof json === 'string') {
      try {
        parsed = JSON.parse(json);
      } catch (cause) {
        throw new DvidArgumentError('metadata', `not valid JSON: ${(cause as Error).message}`);
      }
    } else {
      parsed = structuredClone(json);
    }
    if (options.validate ?? true) {
      const issues = SCHEMAS.voxelsMetadata.validate(parsed);
      if (issues.length > 0) throw new SchemaValidationError('voxels-metadata', issues);
    }
    this.json = parsed as VoxelsMetadataJSON;
    const types = new Set(this.json.Properties.Values.map((v) => v.DataType));
    if (types.size !== 1) {
      throw new DvidArgumentError('metadata', `channels of different types are not supported: ${[...types].join(', ')}`);
    }
  }

  /**
   * Metadata for a new volume, as pydvid's `create_default_metadata`: the channel axis first
   * (`shape[0]` is the channel count), sizes from `shape` (0 = empty, grows on write), offsets 0.
   *
   * @example
   * ```ts
   * VoxelsMetadata.createDefault([1, 0, 0, 0], 'uint16', 'cxyz', [4, 4, 40], 'nanometers');
   * ```
   */
  static createDefault(
    shape: readonly number[],
    dtype: DType,
    axes = 'cxyz',
    resolution: number | readonly number[] = 1,
    units: string | readonly string[] = 'nanometers',
  ): VoxelsMetadata {
    assertDType(dtype);
    if (axes[0] !== 'c') throw new DvidArgumentError('axes', `the channel axis must be first, got "${axes}"`);
    if (axes.length !== shape.length) {
      throw new DvidArgumentError('shape', `shape [${shape.join(', ')}] and axes "${axes}" have different lengths`);
    }
    if (!shape.every((n) => Number.isInteger(n) && n >= 0) || shape[0] < 1) {
      throw new DvidArgumentError('shape', `expected non-negative integers with at least one channel, got [${shape.join(', ')}]`);
    }
    const spatial = axes.length - 1;
    const res = typeof resolution === 'number' ? Array(spatial).fill(resolution) : [...resolution];
    const unit = typeof units === 'string' ? Array(spatial).fill(units) : [...units];
    if (res.length !== spatial || unit.length !== spatial) {
      throw new DvidArgumentError('resolution', `expected ${spatial} resolutions and units, one per spatial axis`);
    }
    return new VoxelsMetadata({
      Axes: [...axes.slice(1)].map((label, i) => ({
        Label: label.toUpperCase(),
        Resolution: res[i],
        Units: unit[i],
        Size: shape[i + 1],
        Offset: 0,
      })),
      Properties: { Values: Array.from({ length: shape[0] }, () => ({ DataType: dtype, Label: '' })) },
    });
  }

  /** Element type of every channel. */
  get dtype(): DType {
    return this.json.Properties.Values[0].DataType;
  }

  /** Number of channels (DVID's `Values`). */
  get channels(): number {
    return this.json.Properties.Values.length;
  }

  /** Axis keys, channel first: e.g. `'cxyz'`. */
  get axes(): string {
    return 'c' + this.json.Axes.map((a) => a.Label.toLowerCase()).join('');
  }

  /** pydvid's shape: `[channels, Offset+Size, ...]`, the exclusive stop coordinate per axis. */
  get shape(): number[] {
    return [this.channels, ...this.json.Axes.map((a) => a.Offset + a.Size)];
  }

  /** `[0, Offset, ...]`: the first stored coordinate per axis. */
  get minIndex(): number[] {
    return [0, ...this.json.Axes.map((a) => a.Offset)];
  }

  /** Voxel size per spatial axis. */
  get resolution(): number[] {
    return this.json.Axes.map((a) => a.Resolution);
  }

  /** Units per spatial axis. */
  get units(): string[] {
    return this.json.Axes.map((a) => a.Units);
  }

  /** DVID's block size per spatial axis, when the server reported it. */
  get blockSize(): number[] | undefined {
    return this.json.Properties.BlockSize ? [...this.json.Properties.BlockSize] : undefined;
  }

  /** The DVID type name for this dtype and channel count (throws if DVID has none). */
  get typename(): string {
    return voxelsTypename(this.dtype, this.channels);
  }

  /** The JSON form (a copy). */
  toJSON(): VoxelsMetadataJSON {
    return structuredClone(this.json);
  }
}
