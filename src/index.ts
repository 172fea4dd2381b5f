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
  type SendWithBodyFunction,
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
  LabelReadOptions,
  LabelsAtOptions,
  LastModified,
  ListLabelsOptions,
  ListedLabel,
  SparsevolBounds,
  SparsevolOptions,
  SparsevolSize,
} from './datatypes/labelmap-labels.js';
export type {
  CleaveResult,
  MergeResult,
  SplitResult,
  SplitSupervoxelOptions,
  SplitSupervoxelResult,
} from './datatypes/labelmap-mutations.js';
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
  decodeImage,
  dvidImageBytesPerVoxel,
  encodeDvidPng,
  jpegCarriesValues,
  packDvidImage,
  sniffImageFormat,
  unpackDvidImage,
  type DecodeImageOptions,
  type DecodedImage,
  type DvidImageDType,
  type ImageFormat,
  type UnpackDvidImageOptions,
  type UnpackedArray,
} from './codecs/image.js';
export { decodePng, encodePng, isPng, type DecodePngOptions } from './codecs/png.js';
export { JPEG_IDCTS, decodeJpeg, isJpeg, type DecodeJpegOptions, type JpegIdct } from './codecs/jpeg.js';
export {
  IMAGE_BLOCK_ENCODINGS,
  copyImageBlockInto,
  decodeImageBlockPayload,
  decodeImageBlockPayloadAsync,
  imageBlockEncodingOf,
  readImageBlocksInto,
  type DecodeImageBlockOptions,
  type ImageBlockEncoding,
  type ImageBlockTarget,
  type ImageBlocksSummary,
  type ReadImageBlocksOptions,
  type Triple,
} from './codecs/imageblock-stream.js';
export {
  DEFAULT_VOXELS_TRANSFER,
  SLICE_PLANES,
  VOXELS_TRANSFERS,
  decodeInstanceImage,
  detectJpegIdct,
  detectedJpegIdct,
  fetchArbImage,
  fetchSliceImage,
  readArb,
  readSlice,
  readVoxelBoxBytes,
  type ArbImageOptions,
  type ArbOptions,
  type EncodedImage,
  type ImageInstanceContext,
  type ImageRequestOptions,
  type SliceImageOptions,
  type SliceOptions,
  type SlicePlane,
  type VoxelBoxReadOptions,
  type VoxelsTransfer,
} from './datatypes/voxels-images.js';
export {
  ImagetileAccessor,
  createImagetile,
  fromDvidTileSpec,
  toDvidTileSpec,
  type CreateImagetileOptions,
  type ImagetileCallOptions,
  type ImagetileFormat,
  type PostTileOptions,
  type TileImage,
  type TileLevelSpec,
  type TileReadOptions,
  type TileSpec,
  type TileVolume,
} from './datatypes/imagetile.js';
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
export * from './codecs/keyvalue-proto.js';
export * from './datatypes/keyvalue.js';
export * from './datatypes/keyvalue-instance.js';
export * from './datatypes/roi.js';
export * from './datatypes/annotation.js';
export * from './datatypes/annotation-write.js';
export * from './datatypes/annotation-read.js';
export * from './datatypes/annotation-instance.js';
export * from './datatypes/neuronjson.js';
export * from './datatypes/neuronjson-instance.js';
export * from './datatypes/labelsz.js';
export {
  type CreateAnnotationOptions,
  type CreateDataInstanceOptions,
  type CreateLabelszOptions,
  type CreateRoiOptions,
} from './client/datatypes.js';
export { Repo, Version } from './datatypes/version-handles.js';
export {
  findBranchHead,
  findLeafVersions,
  listAncestors,
  toRepoDetails,
  type RepoDag,
  type RepoDetails,
  type RepoInstance,
  type RepoVersion,
} from './datatypes/versions-dag.js';
export {
  appendNodeLog,
  appendRepoLog,
  branchVersion,
  commitVersion,
  createVersion,
  fetchRepoDetails,
  getBranchVersions,
  getNodeLog,
  getNodeNote,
  getRepoLog,
  isVersionLocked,
  mergeVersions,
  resolveMerge,
  resolveVersion,
  setNodeNote,
  tagVersion,
  updateRepoInfo,
  type CommitOptions,
  type MergeOptions,
  type NewVersionOptions,
  type TagOptions,
  type UpdateRepoOptions,
  type VersionRef,
} from './datatypes/versions.js';
