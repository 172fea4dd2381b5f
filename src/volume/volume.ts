/**
 * The in-memory volume: one TypedArray plus a strided layout, with numpy-style views.
 *
 * The default memory order is Fortran (`'F'`, the first axis fastest), pydvid's convention:
 * DVID's voxel bytes (x fastest, channels interleaved) are a `[c, x, y, z]` volume with no
 * copy. Views (`get`, `transpose`) never copy; `copy`, `toTypedArray` and `set` use the
 * run-based kernels of `copy.ts`.
 *
 * @example
 * ```ts
 * const vol = Volume.from(new Uint8Array(1 * 64 * 64 * 64), [1, 64, 64, 64]); // axes 'cxyz'
 * const plane = vol.get('0,:,:,10'); // a 64×64 view, no copy
 * plane.fill(255);
 * ```
 * @module
 */
import { DvidArgumentError, SelectionError } from '../errors.js';
import { resolveSelection, type Selection, type SelectionItem } from '../selection/index.js';
import { createVolumeAt, type VolumeAt } from './at.js';
import { copyStrided, copyToContiguous, fillStrided, sharesMemory } from './copy.js';
import {
  allocate,
  dtypeOf,
  toScalar,
  type AnyTypedArray,
  type DType,
  type DTypeOf,
  type Scalar,
  type TypedArrayFor,
} from './dtype.js';
import { toAssignSource } from './assign.js';
import {
  assertAxes,
  assertLayout,
  assertShape,
  contiguousStrides,
  defaultAxes,
  isContiguousLayout,
  sizeOf,
  toPermutation,
  type Order,
} from './layout.js';

/** Any selection form a Volume accepts: a string, one item, or an array of items. */
export type SelectionInput = string | SelectionItem | Selection;

/** Options for creating a contiguous volume. */
export interface VolumeOptions {
  /** One distinct letter per axis. Default `'c'` followed by `x`, `y`, `z`, `t` as needed. */
  axes?: string;
  /** Memory order. Default `'F'` (first axis fastest). */
  order?: Order;
}

/** Options for {@link Volume.from}. */
export interface VolumeFromOptions extends VolumeOptions {
  /** Element strides per axis; when given, `order` is ignored. */
  strides?: readonly number[];
  /** Element index of `[0, 0, ...]`. Default 0. */
  offset?: number;
}

/** What {@link Volume.set} accepts: a volume or TypedArray of the same dtype, or a scalar. */
export type VolumeValue<D extends DType> = Volume<D> | TypedArrayFor<D> | number | bigint;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * An n-dimensional strided view of one TypedArray. Element `[i, j, ...]` is
 * `data[offset + i * strides[0] + j * strides[1] + ...]`.
 *
 * @example
 * ```ts
 * const vol = Volume.zeros([1, 100, 100, 100], 'uint16');
 * vol.set(':,10:20', 7);
 * vol.get('0,15,0,0').item(); // 7
 * ```
 */
export class Volume<D extends DType = DType> {
  readonly data: TypedArrayFor<D>;
  readonly dtype: D;
  readonly shape: readonly number[];
  /** Element strides per axis; negative for reversed axes. */
  readonly strides: readonly number[];
  /** Element index of `[0, 0, ...]` in `data`. */
  readonly offset: number;
  /** One letter per axis, e.g. `'cxyz'`. */
  readonly axes: string;
  readonly ndim: number;
  /** Number of elements. */
  readonly size: number;
  #at: VolumeAt<D> | undefined;

  /**
   * Wraps `data` with the given layout after checking it: supported TypedArray, valid shape,
   * integer strides and offset, every addressed element inside `data`, valid axis letters.
   * {@link Volume.from} is the friendlier way in.
   *
   * @throws DvidArgumentError for any invalid part.
   * @example
   * ```ts
   * new Volume(new Float32Array(6), [2, 3], [3, 1], 0, 'xy'); // C-order 2×3
   * ```
   */
  constructor(data: TypedArrayFor<D>, shape: readonly number[], strides: readonly number[], offset: number, axes?: string) {
    const dtype = dtypeOf(data);
    if (dtype === undefined) {
      throw new DvidArgumentError('data', `expected a supported TypedArray, got ${Object.prototype.toString.call(data)}`);
    }
    assertLayout(data.length, shape, strides, offset);
    const names = axes ?? defaultAxes(shape.length);
    assertAxes(names, shape.length);
    this.data = data;
    this.dtype = dtype as D;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze([...strides]);
    this.offset = offset;
    this.axes = names;
    this.ndim = shape.length;
    this.size = sizeOf(shape);
  }

  /**
   * Wraps an existing TypedArray without copying. The dtype comes from the array; the layout
   * is contiguous in `order` (default `'F'`) unless `strides` are given.
   *
   * @throws DvidArgumentError when the layout addresses elements outside the array.
   * @example
   * ```ts
   * const bytes = new Uint8Array(2 * 3 * 4); // DVID order: x fastest
   * const vol = Volume.from(bytes, [1, 2, 3, 4]); // 'cxyz', F order
   * ```
   */
  static from<D extends DType = never>(data: TypedArrayFor<D>, shape?: readonly number[], options?: VolumeFromOptions): Volume<D>;
  static from<A extends AnyTypedArray>(data: A, shape?: readonly number[], options?: VolumeFromOptions): Volume<DTypeOf<A>>;
  static from(data: AnyTypedArray, shape?: readonly number[], options: VolumeFromOptions = {}): Volume {
    const dims = shape ?? [data.length];
    assertShape(dims);
    const strides = options.strides ?? contiguousStrides(dims, options.order ?? 'F');
    return new Volume(data, dims, strides, options.offset ?? 0, options.axes);
  }

  /**
   * A new contiguous volume of zeros.
   *
   * @example
   * ```ts
   * Volume.zeros([1, 10, 10], 'uint64').item(0, 0, 0); // 0n
   * ```
   */
  static zeros<D extends DType>(shape: readonly number[], dtype: D, options: VolumeOptions = {}): Volume<D> {
    assertShape(shape);
    const order = options.order ?? 'F';
    return new Volume(allocate(dtype, sizeOf(shape)), shape, contiguousStrides(shape, order), 0, options.axes);
  }

  /**
   * A new contiguous volume of ones.
   *
   * @example
   * ```ts
   * Volume.ones([2, 2], 'float32', { axes: 'yx' }).item(1, 1); // 1
   * ```
   */
  static ones<D extends DType>(shape: readonly number[], dtype: D, options: VolumeOptions = {}): Volume<D> {
    return Volume.full(shape, dtype, 1, options);
  }

  /**
   * A new contiguous volume with every element set to `value`.
   *
   * @throws DvidArgumentError when the dtype cannot hold `value` exactly.
   * @example
   * ```ts
   * Volume.full([3], 'uint64', 2n ** 60n).item(2); // 1152921504606846976n
   * ```
   */
  static full<D extends DType>(shape: readonly number[], dtype: D, value: number | bigint, options: VolumeOptions = {}): Volume<D> {
    const vol = Volume.zeros(shape, dtype, options);
    return vol.fill(value);
  }

  /**
   * The bracket view: `vol.at[':,1:3']` is `vol.get(':,1:3')`, and assigning to it calls
   * `set`. Created once per volume.
   *
   * @example
   * ```ts
   * vol.at['0,:,5'] = Volume.zeros([vol.shape[1]], vol.dtype);
   * ```
   */
  get at(): VolumeAt<D> {
    return (this.#at ??= createVolumeAt(this));
  }

  /**
   * A view (no copy) with numpy basic-indexing semantics: an integer drops its axis (negative
   * counts from the end; out of range is an error), a slice keeps it (clamped; a negative step
   * gives a negative stride), `...` and missing trailing items are whole axes. Selecting every
   * axis with an integer gives a 0-d volume; use {@link Volume.item} for the value itself.
   *
   * @throws SelectionError for malformed or out-of-range selections.
   * @example
   * ```ts
   * const vol = Volume.zeros([1, 8, 8, 8], 'uint8');
   * vol.get(':,2:6,::-1,4').shape; // [1, 4, 8]
   * vol.get('0,1:3').axes;         // 'xyz'
   * ```
   */
  get(selection: SelectionInput): Volume<D> {
    const resolved = resolveSelection(selection, this.shape, { axes: this.axes });
    const shape: number[] = [];
    const strides: number[] = [];
    let offset = this.offset;
    let axes = '';
    resolved.forEach((r, k) => {
      if (r.kind === 'index') {
        offset += r.index * this.strides[k];
        return;
      }
      offset += r.start * this.strides[k];
      shape.push(r.length);
      strides.push(r.step * this.strides[k]);
      axes += this.axes[k];
    });
    return new Volume(this.data, shape, strides, offset, axes);
  }

  /**
   * Writes into the selected region. `value` is one of:
   * - a Volume of the same dtype whose shape equals the selected shape exactly (axis letters
   *   are not compared; no broadcasting);
   * - a TypedArray of the same dtype with one element per selected element, read as the
   *   selected shape in F order (first axis fastest);
   * - a number or bigint, written to every selected element (checked against the dtype).
   * Overlapping source and target memory is handled by copying the source first.
   *
   * @throws SelectionError for a bad selection; DvidArgumentError for a bad value.
   * @example
   * ```ts
   * vol.set(':,0:2', 5);
   * vol.set('0,:,0,0', new Uint8Array(vol.shape[1]));
   * vol.set('...', vol.get('...,::-1')); // reverses the last axis in place
   * ```
   */
  set(selection: SelectionInput, value: VolumeValue<D>): this {
    this.get(selection).#assign(value);
    return this;
  }

  #assign(value: VolumeValue<D>): void {
    if (typeof value === 'number' || typeof value === 'bigint') {
      fillStrided(this, toScalar(this.dtype, value));
      return;
    }
    let source = toAssignSource(this, value);
    if (sharesMemory(this, source)) source = copyToContiguous(source);
    copyStrided(this, source);
  }

  /**
   * The element at `index` (one integer per axis; negative counts from the end), as a bigint
   * for 64-bit integer dtypes and a number otherwise. A 0-d volume takes no index.
   *
   * @throws DvidArgumentError for the wrong number of indices; SelectionError when out of range.
   * @example
   * ```ts
   * Volume.from(new BigUint64Array([2n ** 63n]), [1]).item(0); // 9223372036854775808n
   * Volume.from(new Uint8Array([1, 2, 3])).item(-1);           // 3
   * ```
   */
  item(...index: number[]): Scalar<D> {
    if (index.length !== this.ndim) {
      throw new DvidArgumentError('index', `expected ${this.ndim} integers, one per axis '${this.axes}', got ${index.length}`);
    }
    let address = this.offset;
    for (let k = 0; k < index.length; k++) {
      const n = this.shape[k];
      const i = index[k] < 0 ? index[k] + n : index[k];
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new SelectionError(`Index ${index[k]} is out of range for axis ${k} (${this.axes[k]}) of size ${n}`, {
          selection: index.join(','),
          item: k,
        });
      }
      address += i * this.strides[k];
    }
    return this.data[address] as Scalar<D>;
  }

  /**
   * A view with the axes rearranged: `order` is a permutation of the axis letters (`'czyx'`)
   * or of the axis indices. Without it the axes are reversed, as in numpy.
   *
   * @throws DvidArgumentError unless `order` names every axis once.
   * @example
   * ```ts
   * Volume.zeros([1, 2, 3, 4], 'uint8').transpose('czyx').shape; // [1, 4, 3, 2]
   * ```
   */
  transpose(order?: string | readonly number[]): Volume<D> {
    const perm = order === undefined ? [...this.shape.keys()].reverse() : toPermutation(order, this.axes);
    return new Volume(
      this.data,
      perm.map((p) => this.shape[p]),
      perm.map((p) => this.strides[p]),
      this.offset,
      perm.map((p) => this.axes[p]).join(''),
    );
  }

  /**
   * A new contiguous volume with the same values and axes, in `order` (default `'F'`).
   *
   * @example
   * ```ts
   * const c = vol.transpose().copy('C');
   * c.isContiguous('C'); // true
   * ```
   */
  copy(order: Order = 'F'): Volume<D> {
    const out = copyToContiguous(this, order);
    return new Volume(out.data, out.shape, out.strides, 0, this.axes);
  }

  /**
   * Sets every element to `value` and returns this volume.
   *
   * @throws DvidArgumentError when the dtype cannot hold `value` exactly.
   * @example
   * ```ts
   * Volume.zeros([4], 'int8').fill(-3).item(0); // -3
   * ```
   */
  fill(value: number | bigint): this {
    fillStrided(this, toScalar(this.dtype, value));
    return this;
  }

  /**
   * True when the elements lie in one run of `data` in `order` (default `'F'`).
   *
   * @example
   * ```ts
   * Volume.zeros([2, 3], 'uint8').isContiguous('F'); // true
   * Volume.zeros([2, 3], 'uint8').transpose().isContiguous('F'); // false
   * ```
   */
  isContiguous(order: Order = 'F'): boolean {
    return isContiguousLayout(this.shape, this.strides, order);
  }

  /**
   * The elements as one TypedArray in `order` (default `'F'`, DVID's byte order for
   * `[c, x, y, z]`). When the view is already contiguous in that order this is `data` itself
   * or a `subarray` of it (no copy, shares memory); otherwise a fresh copy.
   *
   * @example
   * ```ts
   * const bytes = vol.get(':,0:32').toTypedArray(); // ready to send to DVID
   * ```
   */
  toTypedArray(order: Order = 'F'): TypedArrayFor<D> {
    if (!this.isContiguous(order)) return this.copy(order).data;
    if (this.size === 0) return this.data.subarray(0, 0) as TypedArrayFor<D>;
    if (this.offset === 0 && this.size === this.data.length) return this.data;
    return this.data.subarray(this.offset, this.offset + this.size) as TypedArrayFor<D>;
  }

  /**
   * A volume of a new shape with the same elements read in `order` (default `'F'`): a view
   * when this volume is contiguous in that order, a copy otherwise. One entry may be -1.
   *
   * @throws DvidArgumentError when the sizes differ.
   * @example
   * ```ts
   * Volume.zeros([2, 3, 4], 'uint8').reshape([6, -1], { axes: 'xy' }).shape; // [6, 4]
   * ```
   */
  reshape(shape: readonly number[], options: VolumeOptions = {}): Volume<D> {
    const order = options.order ?? 'F';
    const known = sizeOf(shape.filter((n) => n !== -1));
    const dims = shape.map((n) => (n === -1 && known > 0 ? this.size / known : n));
    assertShape(dims);
    if (shape.filter((n) => n === -1).length > 1 || sizeOf(dims) !== this.size) {
      throw new DvidArgumentError('shape', `cannot reshape [${this.shape.join(', ')}] into [${shape.join(', ')}]`);
    }
    const base = this.isContiguous(order) ? this : this.copy(order);
    const axes = options.axes ?? (dims.length === this.ndim ? this.axes : defaultAxes(dims.length));
    return new Volume(base.toTypedArray(order), dims, contiguousStrides(dims, order), 0, axes);
  }

  /**
   * A small JSON summary (never the data).
   *
   * @example
   * ```ts
   * JSON.stringify(Volume.zeros([1, 2], 'uint8')); // '{"dtype":"uint8","shape":[1,2],"axes":"cx"}'
   * ```
   */
  toJSON(): { dtype: D; shape: number[]; axes: string } {
    return { dtype: this.dtype, shape: [...this.shape], axes: this.axes };
  }

  /**
   * A one-line summary, e.g. `Volume<uint8>(cxyz [1, 64, 64, 64])`.
   *
   * @example
   * ```ts
   * String(Volume.zeros([2], 'int8', { axes: 'x' })); // 'Volume<int8>(x [2])'
   * ```
   */
  toString(): string {
    return `Volume<${this.dtype}>(${this.axes} [${this.shape.join(', ')}])`;
  }

  /** What Node's `util.inspect` and `console.log` print: the summary, never the data. */
  [INSPECT](): string {
    return this.toString();
  }
}
