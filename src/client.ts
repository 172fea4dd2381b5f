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
import { AnnotationInstance } from './datatypes/annotation.js';
import type { InstanceContext } from './datatypes/instance-common.js';
import { KeyvalueInstance } from './datatypes/keyvalue.js';
import { LabelszInstance } from './datatypes/labelsz.js';
import { NeuronjsonInstance } from './datatypes/neuronjson.js';
import { RoiInstance } from './datatypes/roi.js';
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

// ---------------------------------------------------------------------------------------------
// Non-voxel data types: keyvalue, roi, annotation, neuronjson, labelsz. Accessors are made
// without a request; `create...` makes the instance first (DVID's POST /api/repo/{uuid}/instance).

/**
 * Options for the `create...` calls of the non-voxel data types.
 *
 * @example
 * ```ts
 * await client.createKeyvalue(uuid, 'config', { versioned: false, tags: { owner: 'alice' } } satisfies CreateDataInstanceOptions);
 * ```
 */
export interface CreateDataInstanceOptions extends CallOptions {
  /** `false` makes the instance unversioned: every UUID of the repo reads and writes the root. @default true */
  versioned?: boolean;
  /** Instance tags, set at creation. */
  tags?: Record<string, string>;
  /** Further instance config, sent as strings. */
  config?: InstanceConfig;
}

/**
 * Options for {@link DvidClient.createRoi}.
 *
 * @example
 * ```ts
 * await client.createRoi(uuid, 'mb', { blockSize: 64 } satisfies CreateRoiOptions);
 * ```
 */
export interface CreateRoiOptions extends CreateDataInstanceOptions {
  /** Block size of the ROI's runs, in voxels (a number means the same on every axis). @default 32 */
  blockSize?: number | readonly number[];
}

/**
 * Options for {@link DvidClient.createAnnotation}.
 *
 * @example
 * ```ts
 * await client.createAnnotation(uuid, 'synapses', { sync: 'segmentation' } satisfies CreateAnnotationOptions);
 * ```
 */
export interface CreateAnnotationOptions extends CreateDataInstanceOptions {
  /** A label instance (labelmap) to sync with right after creation. */
  sync?: string;
}

/**
 * Options for {@link DvidClient.createLabelsz}.
 *
 * @example
 * ```ts
 * await client.createLabelsz(uuid, 'counts', { sync: 'synapses', roi: { name: 'mb', uuid: committed } } satisfies CreateLabelszOptions);
 * ```
 */
export interface CreateLabelszOptions extends CreateDataInstanceOptions {
  /** The annotation instance to count (synced right after creation). */
  sync?: string;
  /** Count only inside a static ROI: its instance name and version. */
  roi?: { name: string; uuid: string };
}

/**
 * The factories of the non-voxel data types, added to {@link DvidClient} (declaration merging).
 *
 * @example
 * ```ts
 * const kv = client.keyvalue(uuid, 'config');
 * ```
 */
export interface DvidClient {
  /**
   * A keyvalue accessor at one version (no request is made).
   *
   * @example
   * ```ts
   * const kv = client.keyvalue(uuid, 'config');
   * await kv.putJson('settings', { a: 1 });
   * ```
   */
  keyvalue(uuid: string, name: string): KeyvalueInstance;
  /**
   * Creates a keyvalue instance and returns its accessor.
   *
   * @example
   * ```ts
   * const kv = await client.createKeyvalue(uuid, 'config', { versioned: false });
   * ```
   */
  createKeyvalue(uuid: string, name: string, options?: CreateDataInstanceOptions): Promise<KeyvalueInstance>;
  /**
   * An roi accessor at one version (no request is made).
   *
   * @example
   * ```ts
   * await client.roi(uuid, 'mb').get();
   * ```
   */
  roi(uuid: string, name: string): RoiInstance;
  /**
   * Creates an roi instance and returns its accessor.
   *
   * @example
   * ```ts
   * const roi = await client.createRoi(uuid, 'mb', { blockSize: 64 });
   * ```
   */
  createRoi(uuid: string, name: string, options?: CreateRoiOptions): Promise<RoiInstance>;
  /**
   * An annotation accessor at one version (no request is made).
   *
   * @example
   * ```ts
   * await client.annotation(uuid, 'synapses').byLabel(7n);
   * ```
   */
  annotation(uuid: string, name: string): AnnotationInstance;
  /**
   * Creates an annotation instance (optionally synced to a labelmap) and returns its accessor.
   *
   * @example
   * ```ts
   * const syn = await client.createAnnotation(uuid, 'synapses', { sync: 'segmentation' });
   * ```
   */
  createAnnotation(uuid: string, name: string, options?: CreateAnnotationOptions): Promise<AnnotationInstance>;
  /**
   * A neuronjson accessor at one version (no request is made). Writes need the client's `user`.
   *
   * @example
   * ```ts
   * await client.neuronjson(uuid, 'annotations').get(7n);
   * ```
   */
  neuronjson(uuid: string, name: string): NeuronjsonInstance;
  /**
   * Creates a neuronjson instance and returns its accessor.
   *
   * @example
   * ```ts
   * const nj = await client.createNeuronjson(uuid, 'annotations');
   * ```
   */
  createNeuronjson(uuid: string, name: string, options?: CreateDataInstanceOptions): Promise<NeuronjsonInstance>;
  /**
   * A labelsz accessor at one version (no request is made).
   *
   * @example
   * ```ts
   * await client.labelsz(uuid, 'counts').top(10, 'AllSyn');
   * ```
   */
  labelsz(uuid: string, name: string): LabelszInstance;
  /**
   * Creates a labelsz instance (optionally synced to an annotation instance) and returns its accessor.
   *
   * @example
   * ```ts
   * const sizes = await client.createLabelsz(uuid, 'counts', { sync: 'synapses' });
   * ```
   */
  createLabelsz(uuid: string, name: string, options?: CreateLabelszOptions): Promise<LabelszInstance>;
}

function dataInstanceConfig(options: CreateDataInstanceOptions, extra: InstanceConfig = {}): InstanceConfig {
  const tags = options.tags;
  if (tags !== undefined) {
    for (const [k, v] of Object.entries(tags)) {
      if (typeof v !== 'string' || k.includes(',') || k.includes('=') || v.includes(',') || v.includes('=')) {
        throw new DvidArgumentError('tags', `creation tags are sent as "k=v,k2=v2": keys and values must be strings without "," or "=" (${k})`);
      }
    }
  }
  return {
    versioned: options.versioned === undefined ? undefined : String(options.versioned),
    Tags: tags ? Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(',') : undefined,
    ...extra,
    ...options.config,
  };
}

function instanceContext(client: DvidClient, uuid: string, name: string): InstanceContext {
  return { transport: client.transport, uuid, name };
}

DvidClient.prototype.keyvalue = function keyvalue(this: DvidClient, uuid: string, name: string): KeyvalueInstance {
  return new KeyvalueInstance(instanceContext(this, uuid, name));
};

DvidClient.prototype.createKeyvalue = async function createKeyvalue(
  this: DvidClient,
  uuid: string,
  name: string,
  options: CreateDataInstanceOptions = {},
): Promise<KeyvalueInstance> {
  await this.createInstance(uuid, name, 'keyvalue', dataInstanceConfig(options), options);
  return this.keyvalue(uuid, name);
};

DvidClient.prototype.roi = function roi(this: DvidClient, uuid: string, name: string): RoiInstance {
  return new RoiInstance(instanceContext(this, uuid, name));
};

DvidClient.prototype.createRoi = async function createRoi(this: DvidClient, uuid: string, name: string, options: CreateRoiOptions = {}): Promise<RoiInstance> {
  const bs = options.blockSize;
  const blocks = bs === undefined ? undefined : typeof bs === 'number' ? [bs, bs, bs] : [...bs];
  if (blocks && (blocks.length !== 3 || !blocks.every((b) => Number.isInteger(b) && b > 0))) {
    throw new DvidArgumentError('blockSize', `expected one or three positive integers, got ${JSON.stringify(bs)}`);
  }
  await this.createInstance(uuid, name, 'roi', dataInstanceConfig(options, { BlockSize: blocks }), options);
  return this.roi(uuid, name);
};

DvidClient.prototype.annotation = function annotation(this: DvidClient, uuid: string, name: string): AnnotationInstance {
  return new AnnotationInstance(instanceContext(this, uuid, name));
};

DvidClient.prototype.createAnnotation = async function createAnnotation(
  this: DvidClient,
  uuid: string,
  name: string,
  options: CreateAnnotationOptions = {},
): Promise<AnnotationInstance> {
  await this.createInstance(uuid, name, 'annotation', dataInstanceConfig(options), options);
  const accessor = this.annotation(uuid, name);
  if (options.sync) await accessor.sync(options.sync, { signal: options.signal });
  return accessor;
};

DvidClient.prototype.neuronjson = function neuronjson(this: DvidClient, uuid: string, name: string): NeuronjsonInstance {
  return new NeuronjsonInstance(instanceContext(this, uuid, name));
};

DvidClient.prototype.createNeuronjson = async function createNeuronjson(
  this: DvidClient,
  uuid: string,
  name: string,
  options: CreateDataInstanceOptions = {},
): Promise<NeuronjsonInstance> {
  await this.createInstance(uuid, name, 'neuronjson', dataInstanceConfig(options), options);
  return this.neuronjson(uuid, name);
};

DvidClient.prototype.labelsz = function labelsz(this: DvidClient, uuid: string, name: string): LabelszInstance {
  return new LabelszInstance(instanceContext(this, uuid, name));
};

DvidClient.prototype.createLabelsz = async function createLabelsz(
  this: DvidClient,
  uuid: string,
  name: string,
  options: CreateLabelszOptions = {},
): Promise<LabelszInstance> {
  const roi = options.roi;
  if (roi && (!roi.name || roi.name.includes(',') || !roi.uuid || roi.uuid.includes(','))) {
    throw new DvidArgumentError('roi', 'expected {name, uuid} without ","');
  }
  await this.createInstance(uuid, name, 'labelsz', dataInstanceConfig(options, { ROI: roi ? `${roi.name},${roi.uuid}` : undefined }), options);
  const accessor = this.labelsz(uuid, name);
  if (options.sync) await accessor.sync(options.sync, { signal: options.signal });
  return accessor;
};

// ---------------------------------------------------------------------------------------------
// Repos and versions (src/datatypes/versions.ts): handles, references and the versioning verbs.
// Every `ref` may be a full UUID, a unique prefix, `prefix:branch`, `prefix:branch~N` or a tag.

import {
  Repo,
  Version,
  branchVersion,
  commitVersion,
  createVersion,
  getBranchVersions,
  isVersionLocked,
  mergeVersions,
  resolveMerge,
  resolveVersion,
  tagVersion,
  type CommitOptions,
  type MergeOptions,
  type NewVersionOptions,
  type TagOptions,
  type VersionRef,
} from './datatypes/versions.js';

export interface DvidClient {
  /**
   * A handle on the repo holding `ref`: typed info and DAG, alias/description, repo log,
   * branch histories, merges (no request is made).
   *
   * @example
   * ```ts
   * const { dag, alias } = await client.repo(uuid).info();
   * await client.repo(uuid).update({ description: 'after review' });
   * ```
   */
  repo(ref: VersionRef): Repo;
  /**
   * A handle on one version: note, log, commit status, commit/branch/newVersion/tag (no
   * request is made).
   *
   * @example
   * ```ts
   * const v = client.version(`${root}:master`);
   * await v.setNote('pass 2');
   * ```
   */
  version(ref: VersionRef): Version;
  /**
   * The full UUID a reference names (unique prefix, `prefix:branch`, `prefix:branch~N`, tag).
   *
   * @throws {@link VersionReferenceError} when the reference is unknown, ambiguous (with the
   *   candidates), names no branch, or is out of range.
   * @example
   * ```ts
   * const uuid = await client.resolveVersion('a1b2:review~1');
   * ```
   */
  resolveVersion(ref: VersionRef, options?: CallOptions): Promise<string>;
  /**
   * Commits (locks) a version; returns its full UUID. Later writes of versioned data there
   * fail with a `DvidHttpError` whose `locked` is true.
   *
   * @example
   * ```ts
   * await client.commit(uuid, { note: 'imported', log: ['source: /data/x'] });
   * ```
   */
  commit(ref: VersionRef, options?: CommitOptions): Promise<string>;
  /**
   * A new child of a committed version on the same branch; returns its UUID.
   *
   * @example
   * ```ts
   * const next = await client.newVersion(uuid);
   * ```
   */
  newVersion(parent: VersionRef, options?: NewVersionOptions): Promise<string>;
  /**
   * A new child of a committed version on a new named branch; returns its UUID.
   *
   * @example
   * ```ts
   * const review = await client.branch(uuid, 'review');
   * ```
   */
  branch(parent: VersionRef, name: string, options?: NewVersionOptions): Promise<string>;
  /**
   * Tags a committed version (a committed child whose UUID is the tag); returns the tag.
   *
   * @example
   * ```ts
   * await client.tag(uuid, 'release-1'); await client.voxels('release-1', 'grayscale');
   * ```
   */
  tag(ref: VersionRef, tag: string, options?: TagOptions): Promise<string>;
  /**
   * Conflict-free merge of committed versions (priority = order); returns the open child.
   *
   * @example
   * ```ts
   * const merged = await client.merge([main, review], { note: 'merged' });
   * ```
   */
  merge(parents: readonly VersionRef[], options?: MergeOptions): Promise<string>;
  /**
   * Merge that first deletes, for the named instances, what lower-priority parents would
   * contribute against higher-priority ones (DVID's `/resolve`); returns the child.
   *
   * @example
   * ```ts
   * const merged = await client.resolveMerge([main, review], ['grayscale']);
   * ```
   */
  resolveMerge(parents: readonly VersionRef[], data: readonly string[], options?: MergeOptions): Promise<string>;
  /**
   * A branch's history from its leaf back to the root (`branch-versions`).
   *
   * @example
   * ```ts
   * const [leaf] = await client.branchVersions(uuid, 'master');
   * ```
   */
  branchVersions(ref: VersionRef, branch: string, options?: CallOptions): Promise<string[]>;
  /**
   * True when the version is committed (`/status`).
   *
   * @example
   * ```ts
   * if (await client.isLocked(uuid)) uuid = await client.newVersion(uuid);
   * ```
   */
  isLocked(ref: VersionRef, options?: CallOptions): Promise<boolean>;
}

DvidClient.prototype.repo = function repo(this: DvidClient, ref: VersionRef): Repo {
  return new Repo(this.transport, ref);
};

DvidClient.prototype.version = function version(this: DvidClient, ref: VersionRef): Version {
  return new Version(this.transport, ref);
};

DvidClient.prototype.resolveVersion = function (this: DvidClient, ref: VersionRef, options?: CallOptions): Promise<string> {
  return resolveVersion(this.transport, ref, options);
};

DvidClient.prototype.commit = function commit(this: DvidClient, ref: VersionRef, options?: CommitOptions): Promise<string> {
  return commitVersion(this.transport, ref, options);
};

DvidClient.prototype.newVersion = function newVersion(this: DvidClient, parent: VersionRef, options?: NewVersionOptions): Promise<string> {
  return createVersion(this.transport, parent, options);
};

DvidClient.prototype.branch = function branch(this: DvidClient, parent: VersionRef, name: string, options?: NewVersionOptions): Promise<string> {
  return branchVersion(this.transport, parent, name, options);
};

DvidClient.prototype.tag = function tag(this: DvidClient, ref: VersionRef, name: string, options?: TagOptions): Promise<string> {
  return tagVersion(this.transport, ref, name, options);
};

DvidClient.prototype.merge = function merge(this: DvidClient, parents: readonly VersionRef[], options?: MergeOptions): Promise<string> {
  return mergeVersions(this.transport, parents, options);
};

DvidClient.prototype.resolveMerge = function (
  this: DvidClient,
  parents: readonly VersionRef[],
  data: readonly string[],
  options?: MergeOptions,
): Promise<string> {
  return resolveMerge(this.transport, parents, data, options);
};

DvidClient.prototype.branchVersions = function branchVersions(this: DvidClient, ref: VersionRef, branch: string, options?: CallOptions): Promise<string[]> {
  return getBranchVersions(this.transport, ref, branch, options);
};

DvidClient.prototype.isLocked = function isLocked(this: DvidClient, ref: VersionRef, options?: CallOptions): Promise<boolean> {
  return isVersionLocked(this.transport, ref, options);
};
