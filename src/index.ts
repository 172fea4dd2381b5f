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
export { type CreateLabelmapOptions } from './client.js';
export {
  LabelmapAccessor,
  fetchLabelmapInfo,
  type LabelmapData,
  type LabelmapExtents,
  type LabelmapInfo,
  type LabelmapOpenOptions,
  type LabelmapReadOptions,
  type LabelmapWriteOptions,
} from './datatypes/labelmap.js';
export { toLabelId, type LabelId, type LabelmapCallOptions, type LabelmapContext } from './datatypes/labelmap-common.js';
export {
  DEFAULT_READ_TRANSFER,
  LABELMAP_TRANSFERS,
  readLabelBox,
  type LabelmapTransfer,
  type ReadLabelBoxOptions,
} from './datatypes/labelmap-read.js';
export {
  LABELMAP_WRITE_TRANSFERS,
  encodeLabelBlocks,
  waitForLabelSize,
  writeLabelBox,
  type LabelmapWriteTransfer,
  type WaitForLabelOptions,
  type WriteLabelBoxOptions,
} from './datatypes/labelmap-write.js';
export type {
  CleaveResult,
  LabelReadOptions,
  LabelsAtOptions,
  LastModified,
  ListLabelsOptions,
  ListedLabel,
  MergeResult,
  SparsevolBounds,
  SparsevolOptions,
  SparsevolSize,
  SplitResult,
  SplitSupervoxelOptions,
  SplitSupervoxelResult,
} from './datatypes/labelmap-labels.js';
export {
  BLOCK_RECORD_HEADER_BYTES,
  BLOCK_STREAM_CODEC,
  BlockStreamParser,
  encodeBlockRecordHeader,
  encodeBlockStream,
  parseBlockStream,
  readBlockStream,
  type BlockRecord,
  type BlockStreamOptions,
} from './codecs/blockstream.js';
export { GZIP_CODEC, gunzip, gzip, hasGzipStreams, type GunzipOptions, type GzipOptions } from './codecs/gzip.js';
export {
  RLE_HEADER_BYTES,
  RLE_RUN_BYTES,
  SPARSEVOL_CODEC,
  clipRuns,
  countRunVoxels,
  createRunList,
  decodeCoarseRles,
  decodeMaskBlocks,
  decodeRles,
  decodeStreamingRles,
  encodeRles,
  expandRuns,
  getRunBounds,
  maskBlocksToMask,
  maskBlocksToRuns,
  maskToRuns,
  runsToMask,
  type DecodeRlesOptions,
  type MaskBlock,
  type MaskBlocks,
  type RunList,
} from './codecs/rle.js';
export {
  checkPoint3,
  getInstanceInfo,
  getInstanceSyncs,
  getInstanceTags,
  instancePath,
  pollUntil,
  setInstanceSync,
  setInstanceTags,
  type InstanceBaseInfo,
  type InstanceCallOptions,
  type InstanceContext,
  type InstanceInfo,
  type PollOptions,
  type SetSyncOptions,
  type SetTagsOptions,
} from './datatypes/instance-common.js';
export * from './datatypes/keyvalue.js';
export * from './datatypes/roi.js';
export * from './datatypes/annotation.js';
export * from './datatypes/neuronjson.js';
export * from './datatypes/labelsz.js';
export {
  type CreateAnnotationOptions,
  type CreateDataInstanceOptions,
  type CreateLabelszOptions,
  type CreateRoiOptions,
} from './client.js';
