/**
 * dvid-ts: an isomorphic TypeScript SDK for DVID (browser, Node, Deno).
 *
 * @example
 * ```ts
 * import { DvidClient, Volume, VoxelsMetadata } from 'dvid-ts';
 *
 * const client = new DvidClient('http://127.0.0.1:8000');
 * const v = await client.voxels(uuid, 'grayscale');
 * const cutout = await v.get(':,10:110,20:120,30:130');
 * ```
 * @module
 */
export { DvidClient, type CreateVoxelsOptions, type DvidClientOptions } from './client.js';
export * from './errors.js';
export {
  Transport,
  type FetchFunction,
  type JsonRequestOptions,
  type QueryValues,
  type RequestOptions,
  type TokenSource,
  type TransportOptions,
} from './transport/transport.js';
export {
  resolveRetryPolicy,
  type BusyRetryOptions,
  type BusyWaitInfo,
  type RetryOptions,
  type RetryPolicy,
  type RetryState,
} from './transport/retry.js';
export {
  VoxelsMetadata,
  voxelsTypename,
  type AxisJSON,
  type ValueJSON,
  type VoxelsMetadataJSON,
  type VoxelsMetadataOptions,
} from './metadata/voxels-metadata.js';
export {
  VoxelsAccessor,
  type VoxelsData,
  type VoxelsOpenOptions,
  type VoxelsReadOptions,
  type VoxelsWriteOptions,
} from './datatypes/voxels.js';
export {
  toDvidConfig,
  type CallOptions,
  type CreateRepoOptions,
  type InstanceConfig,
  type InstanceConfigValue,
  type RepoInfo,
  type RepoNodeJSON,
  type ReposInfo,
  type ServerInfo,
  type ServerSettings,
  type ServerTypes,
} from './datatypes/repo.js';
export * from './selection/index.js';
export * from './volume/index.js';
