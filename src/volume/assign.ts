/**
 * Turns the value given to `Volume.set` into something the copy kernels can read, checking
 * dtype and shape. Kept apart from the Volume class so the rules sit in one small place.
 *
 * @example
 * ```ts
 * toAssignSource(target, new Uint8Array(target.size)); // a StridedView in F order
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';
import type { StridedView } from './copy.js';
import { dtypeOf, type AnyTypedArray, type DType } from './dtype.js';
import { contiguousStrides } from './layout.js';

/** A target region: what `toAssignSource` needs to know about it. */
export interface AssignTarget {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly size: number;
}

function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Checks a non-scalar value for assignment into `target` and returns it as a strided view:
 * a volume-like value (anything with `dtype`, `shape`, `strides`, `offset`, `data`) must have
 * the same dtype and exactly the same shape; a TypedArray must have the same dtype and
 * `target.size` elements, and is read as the target's shape in F order.
 *
 * @throws DvidArgumentError for a mismatched dtype, shape or length, or another kind of value.
 * @example
 * ```ts
 * const target = Volume.zeros([2, 3], 'uint8');
 * toAssignSource(target, new Uint8Array([1, 2, 3, 4, 5, 6])).strides; // [1, 2]
 * ```
 */
export function toAssignSource(target: AssignTarget, value: unknown): StridedView {
  if (ArrayBuffer.isView(value)) {
    const dtype = dtypeOf(value);
    if (dtype !== target.dtype) {
      throw new DvidArgumentError('value', `a ${dtype ?? value.constructor.name} array does not match the volume's ${target.dtype}`);
    }
    const length = (value as AnyTypedArray).length;
    if (length !== target.size) {
      throw new DvidArgumentError(
        'value',
        `the array has ${length} elements but the selection has ${target.size} (shape ${describeShape(target.shape)})`,
      );
    }
    return { data: value as AnyTypedArray, shape: target.shape, strides: contiguousStrides(target.shape, 'F'), offset: 0 };
  }
  if (typeof value === 'object' && value !== null && 'dtype' in value && 'shape' in value && 'strides' in value) {
    const source = value as StridedView & { dtype: DType };
    if (source.dtype !== target.dtype) {
      throw new DvidArgumentError('value', `dtype ${source.dtype} does not match the volume's ${target.dtype}`);
    }
    const same = source.shape.length === target.shape.length && source.shape.every((n, k) => n === target.shape[k]);
    if (!same) {
      throw new DvidArgumentError(
        'value',
        `shape ${describeShape(source.shape)} does not match the selected shape ${describeShape(target.shape)}`,
      );
    }
    return source;
  }
  throw new DvidArgumentError('value', `expected a Volume, a TypedArray, a number or a bigint, got ${typeof value}`);
}
