/**
 * The datatypes compiled into DVID v1.0.0 (`cmd/dvid/main.go`), with the URL and version each
 * registers, and the voxel layout of the six image-block types the mock emulates.
 *
 * @example
 * ```ts
 * COMPILED_TYPES.uint8blk.url // 'github.com/janelia-flyem/dvid/datatype/imageblk/uint8.go'
 * VOXEL_TYPES.rgba8blk.bytesPerVoxel // 4
 * ```
 * @module
 */

/**
 * A datatype as DVID registers it.
 *
 * @example
 * ```ts
 * COMPILED_TYPES.labelmap // { name: 'labelmap', url: 'github.com/janelia-flyem/dvid/datatype/labelmap', version: '0.1' }
 * ```
 */
export interface CompiledType {
  name: string;
  url: string;
  version: string;
}

const DATATYPE = 'github.com/janelia-flyem/dvid/datatype';

function compiled(name: string, path: string, version: string): [string, CompiledType] {
  return [name, { name, url: `${DATATYPE}/${path}`, version }];
}

/**
 * Every datatype of DVID v1.0.0, by name.
 *
 * @example
 * ```ts
 * Object.keys(COMPILED_TYPES).length // 19
 * ```
 */
export const COMPILED_TYPES: Readonly<Record<string, CompiledType>> = Object.fromEntries([
  compiled('annotation', 'annotation', '0.1'),
  compiled('float32blk', 'imageblk/float32.go', '0.1'),
  compiled('googlevoxels', 'googlevoxels', '0.1'),
  compiled('imagetile', 'imagetile', '0.1'),
  compiled('keyvalue', 'keyvalue', '0.2'),
  compiled('labelarray', 'labelarray', '0.1'),
  compiled('labelblk', 'labelblk', '0.1'),
  compiled('labelmap', 'labelmap', '0.1'),
  compiled('labelsz', 'labelsz', '0.1'),
  compiled('labelvol', 'labelvol', '0.1'),
  compiled('multichan16', 'multichan16', '0.1'),
  compiled('neuronjson', 'neuronjson', '0.1'),
  compiled('rgba8blk', 'imageblk/rgba8.go', '0.2'),
  compiled('roi', 'roi', '0.1'),
  compiled('tarsupervoxels', 'tarsupervoxels', '0.1'),
  compiled('uint16blk', 'imageblk/uint16.go', '0.1'),
  compiled('uint32blk', 'imageblk/uint32.go', '0.1'),
  compiled('uint64blk', 'imageblk/uint64.go', '0.1'),
  compiled('uint8blk', 'imageblk/uint8.go', '0.2'),
]);

/**
 * One value of a voxel, as `Extended.Values` lists it.
 *
 * @example
 * ```ts
 * VOXEL_TYPES.rgba8blk.values[0] // { DataType: 'uint8', Label: 'red' }
 * ```
 */
export interface VoxelValue {
  DataType: string;
  Label: string;
}

/**
 * Layout of an image-block type.
 *
 * @example
 * ```ts
 * VOXEL_TYPES.uint64blk.bytesPerVoxel // 8
 * ```
 */
export interface VoxelType {
  name: string;
  values: readonly VoxelValue[];
  bytesPerVoxel: number;
}

function voxelType(name: string, dataType: string, bytes: number, labels: readonly string[]): [string, VoxelType] {
  return [name, { name, values: labels.map((Label) => ({ DataType: dataType, Label })), bytesPerVoxel: bytes * labels.length }];
}

/**
 * The image-block (imageblk) types, by name.
 *
 * @example
 * ```ts
 * Object.keys(VOXEL_TYPES) // ['uint8blk', 'uint16blk', 'uint32blk', 'uint64blk', 'float32blk', 'rgba8blk']
 * ```
 */
export const VOXEL_TYPES: Readonly<Record<string, VoxelType>> = Object.fromEntries([
  voxelType('uint8blk', 'uint8', 1, ['uint8']),
  voxelType('uint16blk', 'uint16', 2, ['uint16']),
  voxelType('uint32blk', 'uint32', 4, ['uint32']),
  voxelType('uint64blk', 'uint64', 8, ['uint64']),
  voxelType('float32blk', 'float32', 4, ['float32']),
  voxelType('rgba8blk', 'uint8', 1, ['red', 'green', 'blue', 'alpha']),
]);

/**
 * True when the mock emulates instances of this type.
 *
 * @example
 * ```ts
 * isEmulatedType('uint16blk') // true
 * isEmulatedType('labelmap') // false
 * ```
 */
export function isEmulatedType(name: string): boolean {
  return Object.hasOwn(VOXEL_TYPES, name);
}
