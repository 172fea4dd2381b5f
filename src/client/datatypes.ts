/**
 * The `DvidClient` factories of the non-voxel data types: keyvalue, roi, annotation,
 * neuronjson, labelsz. Accessors are made without a request; `create...` makes the instance
 * first (DVID's `POST /api/repo/{uuid}/instance`). `src/client.ts` adds these methods to
 * `DvidClient.prototype` and merges {@link DatatypeFactories} into its type.
 *
 * @example
 * ```ts
 * const kv = await client.createKeyvalue(uuid, 'config', { tags: { owner: 'alice' } });
 * const syn = client.annotation(uuid, 'synapses');
 * ```
 * @module
 */
import { AnnotationInstance } from '../datatypes/annotation-instance.js';
import type { InstanceContext } from '../datatypes/instance-common.js';
import { KeyvalueInstance } from '../datatypes/keyvalue-instance.js';
import { LabelszInstance } from '../datatypes/labelsz.js';
import { NeuronjsonInstance } from '../datatypes/neuronjson-instance.js';
import type { CallOptions, InstanceConfig } from '../datatypes/repo.js';
import { RoiInstance } from '../datatypes/roi.js';
import { DvidArgumentError } from '../errors.js';
import type { Transport } from '../transport/transport.js';

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
export interface DatatypeFactories {
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
  createLabelsz(uuid: string, name: string, options?: CreateLabelszOptions): Promise<LabelszInstance>;}

/** What the factories use of the client they are installed on. */
interface ClientCore extends DatatypeFactories {
  readonly transport: Transport;
  createInstance(uuid: string, name: string, typename: string, config?: InstanceConfig, options?: CallOptions): Promise<void>;
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

function instanceContext(client: { readonly transport: Transport }, uuid: string, name: string): InstanceContext {
  return { transport: client.transport, uuid, name };
}

/**
 * The implementations of {@link DatatypeFactories}, installed on `DvidClient.prototype` by
 * `src/client.ts`.
 *
 * @example
 * ```ts
 * Object.assign(DvidClient.prototype, datatypeFactories);
 * ```
 */
export const datatypeFactories: DatatypeFactories & ThisType<ClientCore> = {
  keyvalue(uuid: string, name: string): KeyvalueInstance {
    return new KeyvalueInstance(instanceContext(this, uuid, name));
  },
  async createKeyvalue(
    uuid: string,
    name: string,
    options: CreateDataInstanceOptions = {},
  ): Promise<KeyvalueInstance> {
    await this.createInstance(uuid, name, 'keyvalue', dataInstanceConfig(options), options);
    return this.keyvalue(uuid, name);
  },
  roi(uuid: string, name: string): RoiInstance {
    return new RoiInstance(instanceContext(this, uuid, name));
  },
  async createRoi(uuid: string, name: string, options: CreateRoiOptions = {}): Promise<RoiInstance> {
    const bs = options.blockSize;
    const blocks = bs === undefined ? undefined : typeof bs === 'number' ? [bs, bs, bs] : [...bs];
    if (blocks && (blocks.length !== 3 || !blocks.every((b) => Number.isInteger(b) && b > 0))) {
      throw new DvidArgumentError('blockSize', `expected one or three positive integers, got ${JSON.stringify(bs)}`);
    }
    await this.createInstance(uuid, name, 'roi', dataInstanceConfig(options, { BlockSize: blocks }), options);
    return this.roi(uuid, name);
  },
  annotation(uuid: string, name: string): AnnotationInstance {
    return new AnnotationInstance(instanceContext(this, uuid, name));
  },
  async createAnnotation(
    uuid: string,
    name: string,
    options: CreateAnnotationOptions = {},
  ): Promise<AnnotationInstance> {
    await this.createInstance(uuid, name, 'annotation', dataInstanceConfig(options), options);
    const accessor = this.annotation(uuid, name);
    if (options.sync) await accessor.sync(options.sync, { signal: options.signal });
    return accessor;
  },
  neuronjson(uuid: string, name: string): NeuronjsonInstance {
    return new NeuronjsonInstance(instanceContext(this, uuid, name));
  },
  async createNeuronjson(
    uuid: string,
    name: string,
    options: CreateDataInstanceOptions = {},
  ): Promise<NeuronjsonInstance> {
    await this.createInstance(uuid, name, 'neuronjson', dataInstanceConfig(options), options);
    return this.neuronjson(uuid, name);
  },
  labelsz(uuid: string, name: string): LabelszInstance {
    return new LabelszInstance(instanceContext(this, uuid, name));
  },
  async createLabelsz(
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
  },
};
