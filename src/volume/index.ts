/**
 * In-memory volumes: dtypes, strided layouts, copy kernels and the `Volume` class. Pure and
 * synchronous.
 *
 * @example
 * ```ts
 * import { Volume } from './volume/index.js';
 * const vol = Volume.zeros([1, 64, 64, 64], 'uint8');
 * ```
 * @module
 */
export * from './dtype.js';
export {
  addressRange,
  assertAxes,
  assertLayout,
  assertOrder,
  assertShape,
  contiguousStrides,
  defaultAxes,
  isContiguousLayout,
  sizeOf,
  toPermutation,
  type Order,
} from './layout.js';
export { copyStrided, copyToContiguous, fillStrided, sharesMemory, type StridedView } from './copy.js';
export { toAssignSource, type AssignTarget } from './assign.js';
export { createVolumeAt, isSelectionKey, type VolumeAt } from './at.js';
export { Volume, type SelectionInput, type VolumeFromOptions, type VolumeOptions, type VolumeValue } from './volume.js';
