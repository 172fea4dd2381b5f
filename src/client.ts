/**
 * `DvidClient`: the entry point. Holds the connection options (user, app, tokens, timeout,
 * retry policy, signal, fetch) and makes accessors for each data type.
 *
 * @example
 * ```ts
 * import { DvidClient, Volume } from 'dvid-ts';
 *
 * const client = new DvidClient('http://127.0.0.1:8000', { user: 'alice', app: 'my-tool' });
 * const uuid = await client.createRepo({ alias: 'scratch' });
 * const v = await client.createVoxels(uuid, 'grayscale', VoxelsMetadata.createDefault([1, 0, 0, 0], 'uint8'));
 * await v.set(':,0:64,0:64,0:64', Volume.ones([1, 64, 64, 64], 'uint8'));
 * ```
 * @module
 */
import {
  createInstance,
  createRepo,
  getCompiledTypes,
  getReposInfo,
  getRepoInfo,
  getServerInfo,
  getServerTypes,
  postServerSettings,
  type CallOptions,
  type CreateRepoOptions,
  type InstanceConfig,
  type RepoInfo,
  type ReposInfo,
  type ServerInfo,
  type ServerSettings,
  type ServerTypes,
} from './datatypes/repo.js';
import { VoxelsAccessor, type VoxelsOpenOptions } from './datatypes/voxels.js';
import { LabelmapAccessor, type LabelmapOpenOptions } from './datatypes/labelmap.js';
import { ImagetileAccessor, createImagetile, type CreateImagetileOptions, type ImagetileCallOptions } from './datatypes/imagetile.js';
import { datatypeFactories, type DatatypeFactories } from './client/datatypes.js';
import { versionMethods, type VersionMethods } from './client/versions.js';
import { DvidArgumentError } from './errors.js';
import type { VoxelsMetadata } from './metadata/voxels-metadata.js';
import { Transport, type TransportOptions } from './transport/transport.js';
import type { DType } from './volume/dtype.js';

/** Options for {@link DvidClient}. */
export interface DvidClientOptions extends Omit<TransportOptions, 'url'> {
  /**
   * Validate DVID's JSON against the SDK's schemas.
   * @default true
   */
  validate?: boolean;
}

/** Options for {@link DvidClient.createVoxels}. */
export interface CreateVoxelsOptions extends CallOptions {
  /**
   * DVID block size per spatial axis (a number means the same on every axis).
   * @default the metadata's BlockSize, else DVID's default (32³ for voxel types)
   */
  blockSize?: number | readonly number[];
  /** Further instance config (e.g. `{Compression: 'gzip'}`), sent as strings. */
  config?: InstanceConfig;
}

/**
 * The per-area methods of {@link DvidClient}, written in their own modules and merged into its
 * type here: the non-voxel data-type factories (`src/client/datatypes.ts`: keyvalue, roi,
 * annotation, neuronjson, labelsz) and the repo/version calls (`src/client/versions.ts`).
 *
 * @example
 * ```ts
 * const kv = client.keyvalue(uuid, 'config');
 * const uuid2 = await client.newVersion(await client.commit(uuid));
 * ```
 */
export interface DvidClient extends DatatypeFactories, VersionMethods {}

/**
 * A connection to one DVID server.
 *
 * @example
 * ```ts
 * const client = new DvidClient(process.env.DVID_URL!, { adminToken: process.env.DVID_ADMIN_TOKEN });
 * console.log(await client.serverInfo());
 * ```
 */
export class DvidClient {
  /** The transport every call goes through (for advanced use and data-type modules). */
  readonly transport: Transport;

  constructor(url: string, options: DvidClientOptions = {}) {
    this.transport = new Transport({ ...options, url });
  }

  /** DVID's base URL, without a trailing slash. */
  get url(): string {
    return this.transport.baseUrl;
  }

  /**
   * `GET /api/server/info`: versions, cores, storage backends (all values are strings).
   *
   * @example
   * ```ts
   * const info = await client.serverInfo();
   * ```
   */
  serverInfo(options?: CallOptions): Promise<ServerInfo> {
    return getServerInfo(this.transport, options);
  }

  /**
   * `GET /api/server/types`: the data types that have instances, name → type URL.
   *
   * @example
   * ```ts
   * Object.keys(await client.serverTypes()) // ['uint8blk', ...]
   * ```
   */
  serverTypes(options?: CallOptions): Promise<ServerTypes> {
    return getServerTypes(this.transport, options);
  }

  /**
   * `GET /api/server/compiled-types`: every data type the server can create.
   *
   * @example
   * ```ts
   * 'labelmap' in (await client.compiledTypes())
   * ```
   */
  compiledTypes(options?: CallOptions): Promise<ServerTypes> {
    return getCompiledTypes(this.transport, options);
  }

  /**
   * `POST /api/server/settings` (admin): e.g. `{throttle: 2}` allows two concurrent
   * `throttle=on` operations. Returns DVID's text reply.
   *
   * @example
   * ```ts
   * await client.updateServerSettings({ throttle: 4 }); // 'Maximum throttled ops set to 4 from 1'
   * ```
   */
  updateServerSettings(settings: ServerSettings, options?: CallOptions): Promise<string> {
    return postServerSettings(this.transport, settings, options);
  }

  /**
   * `GET /api/repos/info`: every repo keyed by root UUID (pydvid's `get_repos_info`).
   *
   * @example
   * ```ts
   * for (const [root, repo] of Object.entries(await client.reposInfo())) console.log(root, repo.Alias);
   * ```
   */
  reposInfo(options?: CallOptions): Promise<ReposInfo> {
    return getReposInfo(this.transport, options);
  }

  /**
   * `GET /api/repo/{uuid}/info` for the repo holding `uuid`.
   *
   * @example
   * ```ts
   * const repo = await client.repoInfo(uuid);
   * Object.keys(repo.DataInstances ?? {});
   * ```
   */
  repoInfo(uuid: string, options?: CallOptions): Promise<RepoInfo> {
    return getRepoInfo(this.transport, uuid, options);
  }

  /**
   * Creates a repo and returns its root UUID. Current DVID requires the admin token
   * (the client's `adminToken`); v1.0.0 does not.
   *
   * @example
   * ```ts
   * const uuid = await client.createRepo({ alias: 'scratch', description: 'tests' });
   * ```
   */
  createRepo(options?: CreateRepoOptions): Promise<string> {
    return createRepo(this.transport, options);
  }

  /**
   * Creates an instance of any type. Config values may be numbers, booleans or arrays: they are
   * sent as the strings DVID requires (`BlockSize: [64, 64, 64]` → `"64,64,64"`).
   *
   * @example
   * ```ts
   * await client.createInstance(uuid, 'seg', 'labelmap', { BlockSize: [64, 64, 64], MaxDownresLevel: 2 });
   * ```
   */
  createInstance(uuid: string, name: string, typename: string, config?: InstanceConfig, options?: CallOptions): Promise<void> {
    return createInstance(this.transport, uuid, name, typename, config, options);
  }

  /**
   * Creates a voxel instance from pydvid-style metadata (the type follows dtype and channel
   * count: 4 × uint8 is `rgba8blk`) and returns its accessor. Unlike pydvid, the metadata's
   * resolution and units are sent (units are left to DVID's default when empty).
   *
   * @example
   * ```ts
   * const md = VoxelsMetadata.createDefault([4, 0, 0, 0], 'uint8', 'cxyz', 1.0, '');
   * const v = await client.createVoxels(uuid, 'my_volume', md);
   * ```
   */
  async createVoxels<D extends DType = DType>(
    uuid: string,
    name: string,
    metadata: VoxelsMetadata,
    options: CreateVoxelsOptions = {},
  ): Promise<VoxelsAccessor<D>> {
    const spatial = metadata.axes.length - 1;
    const blockSize = options.blockSize ?? metadata.blockSize;
    const blocks = typeof blockSize === 'number' ? Array(spatial).fill(blockSize) : blockSize;
    if (blocks && (blocks.length !== spatial || !blocks.every((b) => Number.isInteger(b) && b > 0))) {
      throw new DvidArgumentError('blockSize', `expected ${spatial} positive integers, got ${JSON.stringify(blockSize)}`);
    }
    const units = metadata.units;
    await this.createInstance(
      uuid,
      name,
      metadata.typename,
      {
        BlockSize: blocks,
        VoxelSize: metadata.resolution,
        VoxelUnits: units.every((u) => u === '') ? undefined : units,
        ...options.config,
      },
      options,
    );
    return this.voxels<D>(uuid, name, options);
  }

  /**
   * Opens a voxel instance (pydvid's VoxelsAccessor): fetches its metadata.
   *
   * @example
   * ```ts
   * const v = await client.voxels(uuid, 'grayscale');
   * console.log(v.axes, v.dtype, v.minIndex, v.shape);
   * ```
   */
  voxels<D extends DType = DType>(uuid: string, name: string, options?: VoxelsOpenOptions): Promise<VoxelsAccessor<D>> {
    return VoxelsAccessor.open<D>(this.transport, uuid, name, options);
  }

  /**
   * Creates a labelmap instance (DVID's segmentation type) and returns its accessor. Values are
   * sent as the strings DVID requires; units are always sent for all three axes (DVID v1.0.0's
   * `/metadata` fails with a 500 on an instance given fewer).
   *
   * @throws {@link DvidArgumentError} before any request for a block size that is not a multiple
   *   of 16 from 16 to 1024, or a bad scale count.
   * @example
   * ```ts
   * const seg = await client.createLabelmap(uuid, 'segmentation', {
   *   blockSize: 64, voxelSize: [8, 8, 8], units: 'nanometers', maxDownresLevel: 2,
   * });
   * ```
   */
  async createLabelmap(uuid: string, name: string, options: CreateLabelmapOptions = {}): Promise<LabelmapAccessor> {
    const triple = <T>(v: T | readonly T[] | undefined, what: string): T[] | undefined => {
      if (v === undefined) return undefined;
      const list = Array.isArray(v) ? [...(v as readonly T[])] : [v as T, v as T, v as T];
      if (list.length !== 3) throw new DvidArgumentError(what, `expected one value or three, got ${JSON.stringify(v)}`);
      return list;
    };
    const blocks = triple(options.blockSize, 'blockSize');
    if (blocks && !blocks.every((b) => Number.isInteger(b) && b >= 16 && b <= 1024 && b % 16 === 0)) {
      throw new DvidArgumentError('blockSize', `labelmap blocks must be multiples of 16 from 16 to 1024, got ${JSON.stringify(options.blockSize)}`);
    }
    const voxelSize = triple(options.voxelSize, 'voxelSize');
    if (voxelSize && !voxelSize.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0)) {
      throw new DvidArgumentError('voxelSize', `expected positive numbers, got ${JSON.stringify(options.voxelSize)}`);
    }
    const units = triple(options.units, 'units');
    const levels = options.maxDownresLevel;
    if (levels !== undefined && (!Number.isInteger(levels) || levels < 0 || levels > 255)) {
      throw new DvidArgumentError('maxDownresLevel', `expected an integer 0…255, got ${levels}`);
    }
    await this.createInstance(
      uuid,
      name,
      'labelmap',
      {
        BlockSize: blocks,
        VoxelSize: voxelSize,
        VoxelUnits: units,
        MaxDownresLevel: levels,
        IndexedLabels: options.indexedLabels,
        ...options.config,
      },
      options,
    );
    return this.labelmap(uuid, name, { signal: options.signal });
  }

  /**
   * Opens a labelmap instance (fetches its `/info`). `scale` and `supervoxels` set the defaults
   * of every read through the accessor.
   *
   * @example
   * ```ts
   * const seg = await client.labelmap(uuid, 'segmentation');
   * const labels = await seg.get(':,0:256,0:256,100');
   * ```
   */
  labelmap(uuid: string, name: string, options?: LabelmapOpenOptions): Promise<LabelmapAccessor> {
    return LabelmapAccessor.open(this.transport, uuid, name, options);
  }

  /**
   * Creates an imagetile instance (multiscale XY/XZ/YZ tiles) and returns its accessor.
   *
   * @example
   * ```ts
   * const tiles = await client.createImagetile(uuid, 'tiles', { format: 'png', source: 'grayscale' });
   * ```
   */
  createImagetile(uuid: string, name: string, options?: CreateImagetileOptions): Promise<ImagetileAccessor> {
    return createImagetile(this.transport, uuid, name, options);
  }

  /**
   * Opens an imagetile instance (fetches its `/info`).
   *
   * @example
   * ```ts
   * const tiles = await client.imagetile(uuid, 'tiles');
   * const { placeholder, image } = await tiles.tile('xy', 0, [0, 0, 100]);
   * ```
   */
  imagetile(uuid: string, name: string, options?: ImagetileCallOptions): Promise<ImagetileAccessor> {
    return ImagetileAccessor.open(this.transport, uuid, name, options);
  }
}

/** Options for {@link DvidClient.createLabelmap}. */
export interface CreateLabelmapOptions extends CallOptions {
  /** Block size in voxels (multiples of 16; a number means the same on every axis). @default DVID's 64³ */
  blockSize?: number | readonly number[];
  /** Voxel size per axis. @default DVID's 8 */
  voxelSize?: number | readonly number[];
  /** Units of the voxel size per axis. @default DVID's 'nanometers' */
  units?: string | readonly string[];
  /** Highest scale level (scales 0…n exist and are computed on writes). @default 0 */
  maxDownresLevel?: number;
  /** Keep a label index (needed by sparsevol, sizes, merge, cleave, split). @default true */
  indexedLabels?: boolean;
  /** Further instance config, sent as strings. */
  config?: InstanceConfig;
}

// The per-area method groups, installed once on the prototype (their types are merged above).
// This runs because client.ts is always imported for DvidClient itself, so the groups cannot be
// dropped as side-effect-only modules ("sideEffects": false).
Object.assign(DvidClient.prototype, datatypeFactories, versionMethods);
