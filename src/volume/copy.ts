/**
 * Copy and fill kernels for strided views of one TypedArray each.
 *
 * Strategy. Axes of size 1 are ignored. Every axis on which the destination walks backwards
 * is flipped in both views (pairs of elements stay paired, so the copy is unchanged), then
 * the axes are ordered by the destination's stride, smallest first. Neighbouring axes that
 * are contiguous in *both* views are merged into one longer axis, so a copy between two
 * contiguous layouts of the same order is a single run. The innermost axis is then moved
 * as a whole run with `TypedArray.prototype.set(src.subarray(...), dstOffset)` when both
 * views have stride 1 on it (`fill(value, from, to)` for a fill), and element by element
 * only when it is strided. Outer axes are walked with an odometer that updates both
 * offsets incrementally; no per-element index arithmetic or BigInt conversion happens.
 *
 * The kernels assume the two views do not overlap in memory; use {@link sharesMemory} and
 * copy the source first when they might.
 *
 * @example
 * ```ts
 * const src = { data: new Uint8Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], strides: [1, 2], offset: 0 };
 * const dst = { data: new Uint8Array(6), shape: [2, 3], strides: [3, 1], offset: 0 };
 * copyStrided(dst, src); // dst.data is [1, 3, 5, 2, 4, 6]
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';
import type { AnyTypedArray } from './dtype.js';
import { addressRange, contiguousStrides, sizeOf, type Order } from './layout.js';

/** The layout of a strided view: element `[i, j, ...]` is at `offset + i*strides[0] + j*strides[1] + ...`. */
export interface StridedView<A extends AnyTypedArray = AnyTypedArray> {
  readonly data: A;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** The parts of a TypedArray the kernels use, without the number/bigint split. */
interface RawArray {
  [index: number]: unknown;
  set(source: RawArray, offset?: number): void;
  subarray(begin?: number, end?: number): RawArray;
  fill(value: unknown, start?: number, end?: number): unknown;
}

interface Axis {
  n: number;
  dst: number;
  src: number;
}

interface Plan {
  /** Innermost first. */
  axes: Axis[];
  dstOffset: number;
  srcOffset: number;
}

function plan(dst: StridedView, src: StridedView | undefined): Plan | undefined {
  let dstOffset = dst.offset;
  let srcOffset = src?.offset ?? 0;
  const axes: Axis[] = [];
  for (let k = 0; k < dst.shape.length; k++) {
    const n = dst.shape[k];
    if (n === 0) return undefined;
    if (n === 1) continue;
    let d = dst.strides[k];
    let s = src?.strides[k] ?? 0;
    if (d < 0) {
      dstOffset += d * (n - 1);
      srcOffset += s * (n - 1);
      d = -d;
      s = -s;
    }
    axes.push({ n, dst: d, src: s });
  }
  axes.sort((a, b) => a.dst - b.dst || Math.abs(a.src) - Math.abs(b.src));
  const merged: Axis[] = [];
  for (const axis of axes) {
    const inner = merged[merged.length - 1];
    if (inner && axis.dst === inner.dst * inner.n && axis.src === inner.src * inner.n) inner.n *= axis.n;
    else merged.push({ ...axis });
  }
  return { axes: merged, dstOffset, srcOffset };
}

/** Calls `run(dstOffset, srcOffset)` for each position of the outer axes (all but the first). */
function walkOuter(p: Plan, run: (dstOffset: number, srcOffset: number) => void): void {
  const outer = p.axes.slice(1);
  const counters = new Array<number>(outer.length).fill(0);
  let d = p.dstOffset;
  let s = p.srcOffset;
  for (;;) {
    run(d, s);
    let k = 0;
    for (; k < outer.length; k++) {
      const axis = outer[k];
      d += axis.dst;
      s += axis.src;
      if (++counters[k] < axis.n) break;
      d -= axis.dst * axis.n;
      s -= axis.src * axis.n;
      counters[k] = 0;
    }
    if (k === outer.length) return;
  }
}

function assertSameShape(dst: StridedView, src: StridedView): void {
  const same = dst.shape.length === src.shape.length && dst.shape.every((n, k) => n === src.shape[k]);
  if (!same) {
    throw new DvidArgumentError('source', `shape [${src.shape.join(', ')}] does not match [${dst.shape.join(', ')}]`);
  }
}

/**
 * Copies every element of `src` into the same position of `dst`. Both views must have the
 * same shape and compatible element types (both bigint or both number arrays); they must not
 * overlap in memory.
 *
 * @throws DvidArgumentError when the shapes differ.
 * @example
 * ```ts
 * const a = { data: new Float32Array([1, 2, 3]), shape: [3], strides: [-1], offset: 2 };
 * const b = { data: new Float32Array(3), shape: [3], strides: [1], offset: 0 };
 * copyStrided(b, a); // b.data is [3, 2, 1]
 * ```
 */
export function copyStrided(dst: StridedView, src: StridedView): void {
  assertSameShape(dst, src);
  const p = plan(dst, src);
  if (!p) return;
  const dd = dst.data as unknown as RawArray;
  const sd = src.data as unknown as RawArray;
  if (p.axes.length === 0) {
    dd[p.dstOffset] = sd[p.srcOffset];
    return;
  }
  const { n, dst: dStep, src: sStep } = p.axes[0];
  if (dStep === 1 && sStep === 1) {
    walkOuter(p, (d, s) => dd.set(sd.subarray(s, s + n), d));
  } else {
    walkOuter(p, (d, s) => {
      for (let i = 0; i < n; i++, d += dStep, s += sStep) dd[d] = sd[s];
    });
  }
}

/**
 * Sets every element of `dst` to `value`, which must already be of the array's element type
 * (a bigint for BigInt64Array/BigUint64Array, a number otherwise).
 *
 * @example
 * ```ts
 * const v = { data: new Uint8Array(6), shape: [3], strides: [2], offset: 0 };
 * fillStrided(v, 7); // v.data is [7, 0, 7, 0, 7, 0]
 * ```
 */
export function fillStrided(dst: StridedView, value: number | bigint): void {
  const p = plan(dst, undefined);
  if (!p) return;
  const dd = dst.data as unknown as RawArray;
  if (p.axes.length === 0) {
    dd[p.dstOffset] = value;
    return;
  }
  const { n, dst: dStep } = p.axes[0];
  if (dStep === 1) {
    walkOuter(p, (d) => dd.fill(value, d, d + n));
  } else {
    walkOuter(p, (d) => {
      for (let i = 0; i < n; i++, d += dStep) dd[d] = value;
    });
  }
}

/**
 * True when two views may touch the same bytes: they share an ArrayBuffer and the byte
 * ranges they address intersect. Conservative: interleaved views that never touch the same
 * element still count as overlapping.
 *
 * @example
 * ```ts
 * const data = new Uint8Array(10);
 * sharesMemory({ data, shape: [5], strides: [1], offset: 0 }, { data, shape: [5], strides: [1], offset: 5 }); // false
 * ```
 */
export function sharesMemory(a: StridedView, b: StridedView): boolean {
  if (a.data.buffer !== b.data.buffer) return false;
  const ra = addressRange(a.shape, a.strides, a.offset);
  const rb = addressRange(b.shape, b.strides, b.offset);
  if (!ra || !rb) return false;
  const lowA = a.data.byteOffset + ra.low * a.data.BYTES_PER_ELEMENT;
  const highA = a.data.byteOffset + (ra.high + 1) * a.data.BYTES_PER_ELEMENT;
  const lowB = b.data.byteOffset + rb.low * b.data.BYTES_PER_ELEMENT;
  const highB = b.data.byteOffset + (rb.high + 1) * b.data.BYTES_PER_ELEMENT;
  return lowA < highB && lowB < highA;
}

/**
 * Copies a view into a new array of the same type, contiguous in `order` (default `'F'`).
 *
 * @example
 * ```ts
 * const v = { data: new Int16Array([1, 2, 3, 4]), shape: [2], strides: [-2], offset: 2 };
 * copyToContiguous(v).data; // Int16Array [3, 1]
 * ```
 */
export function copyToContiguous<A extends AnyTypedArray>(src: StridedView<A>, order: Order = 'F'): StridedView<A> {
  const Ctor = src.data.constructor as new (length: number) => A;
  const dst = { data: new Ctor(sizeOf(src.shape)), shape: src.shape, strides: contiguousStrides(src.shape, order), offset: 0 };
  copyStrided(dst, src);
  return dst;
}
