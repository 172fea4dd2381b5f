/**
 * Shape, stride and axis-letter arithmetic for strided volumes. Strides count elements (not
 * bytes) and may be negative; element `[i0, i1, ...]` lives at
 * `offset + i0 * strides[0] + i1 * strides[1] + ...`.
 *
 * @example
 * ```ts
 * contiguousStrides([2, 3, 4], 'F'); // [1, 2, 6]
 * contiguousStrides([2, 3, 4], 'C'); // [12, 4, 1]
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';

/**
 * Memory order of a contiguous volume: `'F'` (Fortran, pydvid's and DVID's: the first axis
 * varies fastest) or `'C'` (the last axis varies fastest).
 */
export type Order = 'F' | 'C';

/** Letters used for default axis names after the channel axis `c`. */
const SPATIAL_AXES = 'xyzt';

/**
 * Throws a DvidArgumentError unless `order` is `'F'` or `'C'`.
 *
 * @example
 * ```ts
 * assertOrder('F'); // ok
 * ```
 */
export function assertOrder(order: unknown): asserts order is Order {
  if (order !== 'F' && order !== 'C') {
    throw new DvidArgumentError('order', `expected 'F' or 'C', got ${JSON.stringify(order)}`);
  }
}

/**
 * Number of elements of a shape (1 for the 0-d shape `[]`).
 *
 * @example
 * ```ts
 * sizeOf([1, 64, 64, 64]); // 262144
 * ```
 */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/**
 * Throws a DvidArgumentError unless every entry is a non-negative safe integer.
 *
 * @example
 * ```ts
 * assertShape([1, 10, 10]); // ok
 * assertShape([1, -1]);     // throws
 * ```
 */
export function assertShape(shape: readonly number[], argument = 'shape'): void {
  if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw new DvidArgumentError(argument, `expected an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

/**
 * The strides of a contiguous volume of `shape` in the given order.
 *
 * @example
 * ```ts
 * contiguousStrides([3, 5], 'F'); // [1, 3]
 * ```
 */
export function contiguousStrides(shape: readonly number[], order: Order = 'F'): number[] {
  assertOrder(order);
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let k = 0; k < shape.length; k++) {
    const axis = order === 'F' ? k : shape.length - 1 - k;
    strides[axis] = step;
    step *= shape[axis];
  }
  return strides;
}

/**
 * True when a strided layout is contiguous in `order` (strides of axes of size 1 are ignored,
 * as in numpy). Empty layouts are contiguous.
 *
 * @example
 * ```ts
 * isContiguousLayout([3, 5], [1, 3], 'F'); // true
 * isContiguousLayout([3, 5], [1, 3], 'C'); // false
 * ```
 */
export function isContiguousLayout(shape: readonly number[], strides: readonly number[], order: Order = 'F'): boolean {
  assertOrder(order);
  if (sizeOf(shape) === 0) return true;
  let expected = 1;
  for (let k = 0; k < shape.length; k++) {
    const axis = order === 'F' ? k : shape.length - 1 - k;
    if (shape[axis] === 1) continue;
    if (strides[axis] !== expected) return false;
    expected *= shape[axis];
  }
  return true;
}

/**
 * The lowest and highest element index a strided layout addresses, or `undefined` when it
 * addresses no element (some axis has size 0).
 *
 * @example
 * ```ts
 * addressRange([3], [-1], 2); // { low: 0, high: 2 }
 * ```
 */
export function addressRange(
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): { low: number; high: number } | undefined {
  let low = offset;
  let high = offset;
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] === 0) return undefined;
    const reach = strides[k] * (shape[k] - 1);
    if (reach < 0) low += reach;
    else high += reach;
  }
  return { low, high };
}

/**
 * The default axis letters for `ndim` axes: `'c'` then `x`, `y`, `z`, `t` (so a 4-D volume is
 * `'cxyz'`, pydvid's convention). Beyond 5 axes there is no default.
 *
 * @throws DvidArgumentError when `ndim > 5`.
 * @example
 * ```ts
 * defaultAxes(4); // 'cxyz'
 * defaultAxes(0); // ''
 * ```
 */
export function defaultAxes(ndim: number): string {
  if (ndim === 0) return '';
  if (ndim > SPATIAL_AXES.length + 1) {
    throw new DvidArgumentError('axes', `there are no default names for ${ndim} axes; pass axes explicitly`);
  }
  return 'c' + SPATIAL_AXES.slice(0, ndim - 1);
}

/**
 * Throws a DvidArgumentError unless `axes` has one distinct ASCII letter per axis.
 *
 * @example
 * ```ts
 * assertAxes('czyx', 4); // ok
 * assertAxes('cxx', 3);  // throws: repeated letter
 * ```
 */
export function assertAxes(axes: string, ndim: number): void {
  if (typeof axes !== 'string' || !/^[A-Za-z]*$/.test(axes)) {
    throw new DvidArgumentError('axes', `expected a string of letters, got ${JSON.stringify(axes)}`);
  }
  if (axes.length !== ndim) {
    throw new DvidArgumentError('axes', `'${axes}' names ${axes.length} axes but the volume has ${ndim}`);
  }
  if (new Set(axes).size !== axes.length) {
    throw new DvidArgumentError('axes', `'${axes}' repeats a letter; each axis needs its own`);
  }
}

/**
 * Turns a transpose argument into a permutation of `0..ndim-1`: either a string that
 * rearranges the current axis letters (`'czyx'` for a `'cxyz'` volume) or an index array.
 *
 * @throws DvidArgumentError unless the argument names every axis exactly once.
 * @example
 * ```ts
 * toPermutation('czyx', 'cxyz'); // [0, 3, 2, 1]
 * toPermutation([1, 0], 'xy');   // [1, 0]
 * ```
 */
export function toPermutation(order: string | readonly number[], axes: string): number[] {
  const perm = typeof order === 'string' ? [...order].map((letter) => axes.indexOf(letter)) : [...order];
  const ok =
    perm.length === axes.length &&
    perm.every((p) => Number.isInteger(p) && p >= 0 && p < axes.length) &&
    new Set(perm).size === perm.length;
  if (!ok) {
    throw new DvidArgumentError(
      'axes',
      `${JSON.stringify(order)} is not a permutation of the axes '${axes}' (or of 0..${axes.length - 1})`,
    );
  }
  return perm;
}

/**
 * Throws a DvidArgumentError unless `shape`, `strides` and `offset` describe a layout whose
 * every addressed element lies inside an array of `length` elements.
 *
 * @example
 * ```ts
 * assertLayout(6, [2, 3], [3, 1], 0); // ok
 * assertLayout(5, [2, 3], [3, 1], 0); // throws: addresses element 5
 * ```
 */
export function assertLayout(length: number, shape: readonly number[], strides: readonly number[], offset: number): void {
  assertShape(shape);
  if (!Array.isArray(strides) || strides.length !== shape.length || strides.some((s) => !Number.isSafeInteger(s))) {
    throw new DvidArgumentError('strides', `expected ${shape.length} integers, got ${JSON.stringify(strides)}`);
  }
  if (!Number.isSafeInteger(offset)) throw new DvidArgumentError('offset', `expected an integer, got ${offset}`);
  const range = addressRange(shape, strides, offset);
  if (range && (range.low < 0 || range.high >= length)) {
    throw new DvidArgumentError(
      'shape',
      `the layout (shape [${shape.join(', ')}], strides [${strides.join(', ')}], offset ${offset}) addresses ` +
        `elements ${range.low}..${range.high}, but the array has ${length}`,
    );
  }
}
