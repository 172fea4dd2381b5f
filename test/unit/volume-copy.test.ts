import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DvidArgumentError } from '../../src/errors.js';
import {
  copyStrided,
  copyToContiguous,
  DTYPES,
  fillStrided,
  isBigIntDType,
  sharesMemory,
  typedArrayConstructor,
  Volume,
  type AnyTypedArray,
  type DType,
  type StridedView,
} from '../../src/volume/index.js';

/** Every index of `shape`, first axis fastest. */
function* indicesF(shape: readonly number[]): Generator<number[]> {
  const total = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    const pos: number[] = [];
    let rest = flat;
    for (const n of shape) {
      pos.push(rest % n);
      rest = Math.floor(rest / n);
    }
    yield pos;
  }
}

/** Reference read: the layout formula, evaluated directly. */
function at(view: StridedView, pos: readonly number[]): number | bigint {
  let address = view.offset;
  pos.forEach((i, k) => (address += i * view.strides[k]));
  return view.data[address];
}

/** Reference copy: one element at a time, in F order. */
function referenceCopy(dst: StridedView, src: StridedView): void {
  for (const pos of indicesF(dst.shape)) {
    let address = dst.offset;
    pos.forEach((i, k) => (address += i * dst.strides[k]));
    (dst.data as unknown as (number | bigint)[])[address] = at(src, pos);
  }
}

interface LayoutSpec {
  /** Axes from fastest to slowest in memory. */
  memoryOrder: number[];
  /** Unused elements added after each axis, making the layout strided. */
  gaps: number[];
  /** Axes walked backwards. */
  flips: boolean[];
  /** Elements before the first one. */
  lead: number;
  /** Distance between neighbours on the fastest axis (2 makes the innermost axis strided). */
  inner: number;
}

/** Builds a view of `shape` over a fresh array, following `spec`; unused elements hold a sentinel. */
function layoutView(dtype: DType, shape: number[], spec: LayoutSpec, fillValue: number): StridedView {
  const strides = new Array<number>(shape.length);
  let acc = spec.inner;
  for (const axis of spec.memoryOrder) {
    strides[axis] = acc;
    acc *= shape[axis] + spec.gaps[axis];
  }
  let offset = spec.lead;
  shape.forEach((n, k) => {
    if (spec.flips[k]) {
      offset += strides[k] * (n - 1);
      strides[k] = -strides[k];
    }
  });
  const data = new (typedArrayConstructor(dtype))(spec.lead + acc + 1) as AnyTypedArray;
  (data as unknown as { fill(v: unknown): void }).fill(isBigIntDType(dtype) ? BigInt(fillValue) : fillValue);
  return { data, shape, strides, offset };
}

const layoutSpec = (ndim: number): fc.Arbitrary<LayoutSpec> =>
  fc.record({
    memoryOrder: fc.shuffledSubarray([...Array(ndim).keys()], { minLength: ndim, maxLength: ndim }),
    gaps: fc.array(fc.nat(2), { minLength: ndim, maxLength: ndim }),
    flips: fc.array(fc.boolean(), { minLength: ndim, maxLength: ndim }),
    lead: fc.nat(3),
    inner: fc.constantFrom(1, 1, 2),
  });

/** Puts distinct values at every addressed element of a view. */
function number(view: StridedView, dtype: DType): void {
  let k = 1;
  for (const pos of indicesF(view.shape)) {
    let address = view.offset;
    pos.forEach((i, j) => (address += i * view.strides[j]));
    const v = dtype === 'int64' || dtype === 'uint64' ? 2n ** 60n + BigInt(k) : k % 100;
    (view.data as unknown as (number | bigint)[])[address] = v;
    k++;
  }
}

describe('copyStrided', () => {
  it('equals an element-by-element copy for any two layouts of the same shape (property)', () => {
    const scenario = fc
      .record({
        dtype: fc.constantFrom(...DTYPES),
        shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }),
      })
      .chain(({ dtype, shape }) =>
        fc.record({
          dtype: fc.constant(dtype),
          shape: fc.constant(shape),
          src: layoutSpec(shape.length),
          dst: layoutSpec(shape.length),
        }),
      );
    fc.assert(
      fc.property(scenario, ({ dtype, shape, src, dst }) => {
        const source = layoutView(dtype, shape, src, 0);
        number(source, dtype);
        const actual = layoutView(dtype, shape, dst, 7);
        const expected = layoutView(dtype, shape, dst, 7);
        copyStrided(actual, source);
        referenceCopy(expected, source);
        // Whole arrays compared: the selected elements and the untouched gaps.
        expect([...actual.data]).toEqual([...expected.data]);
      }),
      { numRuns: 500 },
    );
  });

  it('moves contiguous layouts of the same order as one run', () => {
    const proto = Object.getPrototypeOf(Uint8Array.prototype) as { set: (...a: unknown[]) => void };
    const spy = vi.spyOn(proto, 'set');
    const src = Volume.zeros([3, 4, 5], 'uint8');
    const dst = Volume.zeros([3, 4, 5], 'uint8');
    copyStrided(dst, src);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockClear();
    // A box of whole z-planes is still one run in both layouts.
    copyStrided(Volume.zeros([3, 4, 2], 'uint8'), src.get(':,:,1:3'));
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockClear();
    copyStrided(Volume.zeros([3, 2, 5], 'uint8'), src.get(':,1:3'));
    // x and y merge into runs of 6; z does not, because the source skips rows between planes.
    expect(spy).toHaveBeenCalledTimes(5);
    spy.mockClear();
    // Both walked backwards: still runs, after flipping both.
    copyStrided(Volume.zeros([3, 4, 5], 'uint8').get('::-1,::-1,::-1'), src.get('::-1,::-1,::-1'));
    expect(spy).toHaveBeenCalledTimes(1);
  });

  afterEach(() => vi.restoreAllMocks());

  it('rejects shapes that differ', () => {
    expect(() => copyStrided(Volume.zeros([2, 3], 'uint8'), Volume.zeros([3, 2], 'uint8'))).toThrow(DvidArgumentError);
    expect(() => copyStrided(Volume.zeros([6], 'uint8'), Volume.zeros([2, 3], 'uint8'))).toThrow(DvidArgumentError);
  });

  it('copies 0-d views', () => {
    const src = Volume.from(new BigUint64Array([2n ** 64n - 1n]), [1]).get('0');
    const dst = Volume.zeros([], 'uint64');
    copyStrided(dst, src);
    expect(dst.item()).toBe(2n ** 64n - 1n);
  });
});

describe('fillStrided and copyToContiguous', () => {
  it('fills exactly the addressed elements', () => {
    const data = new Int8Array(10);
    fillStrided({ data, shape: [2, 2], strides: [-1, 5], offset: 1 }, -4);
    expect([...data]).toEqual([-4, -4, 0, 0, 0, -4, -4, 0, 0, 0]);
    fillStrided({ data, shape: [2], strides: [3], offset: 2 }, 9);
    expect([...data]).toEqual([-4, -4, 9, 0, 0, 9, -4, 0, 0, 0]);
  });

  it('copies a view into a new array of the same type in either order', () => {
    const view = { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 2], strides: [-3, 1], offset: 3 };
    const f = copyToContiguous(view);
    expect(f.data).toBeInstanceOf(Float32Array);
    expect([...f.data]).toEqual([4, 1, 5, 2]);
    expect([...copyToContiguous(view, 'C').data]).toEqual([4, 5, 1, 2]);
  });
});

describe('sharesMemory', () => {
  const data = new Uint16Array(10);
  const view = (shape: number[], strides: number[], offset: number): StridedView => ({ data, shape, strides, offset });

  it('is false for separate buffers and for disjoint ranges of one buffer', () => {
    expect(sharesMemory(view([5], [1], 0), { ...view([5], [1], 0), data: new Uint16Array(10) })).toBe(false);
    expect(sharesMemory(view([5], [1], 0), view([5], [1], 5))).toBe(false);
    expect(sharesMemory(view([5], [1], 0), view([0], [1], 0))).toBe(false);
  });

  it('is true when ranges intersect, including through subarrays of the same buffer', () => {
    expect(sharesMemory(view([5], [1], 0), view([3], [-1], 4))).toBe(true);
    const sub = data.subarray(4);
    expect(sharesMemory(view([5], [1], 0), { data: sub, shape: [1], strides: [1], offset: 0 })).toBe(true);
    expect(sharesMemory(view([4], [1], 0), { data: sub, shape: [1], strides: [1], offset: 0 })).toBe(false);
  });
});

describe('Volume.set', () => {
  it('writes a Volume of the selected shape', () => {
    const vol = Volume.zeros([1, 4, 3], 'uint16');
    const patch = Volume.from(new Uint16Array([1, 2, 3, 4]), [2, 2]);
    vol.set('0,1:3,::2', patch);
    expect(vol.item(0, 1, 0)).toBe(1);
    expect(vol.item(0, 2, 0)).toBe(2);
    expect(vol.item(0, 1, 2)).toBe(3);
    expect(vol.item(0, 2, 2)).toBe(4);
    expect([...vol.data].filter((v) => v !== 0)).toHaveLength(4);
  });

  it('reads a TypedArray in F order of the selected shape', () => {
    const vol = Volume.zeros([3, 2], 'float64', { order: 'C' });
    vol.set('', new Float64Array([1, 2, 3, 4, 5, 6]));
    expect([vol.item(0, 0), vol.item(1, 0), vol.item(2, 0), vol.item(0, 1)]).toEqual([1, 2, 3, 4]);
    expect([...vol.data]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('broadcasts scalars, checked against the dtype', () => {
    const vol = Volume.zeros([2, 3], 'int64');
    vol.set(':,1', -(2n ** 62n));
    vol.set(':,2', 5);
    expect([...vol.data]).toEqual([0n, 0n, -(2n ** 62n), -(2n ** 62n), 5n, 5n]);
    expect(() => vol.set('0', 2n ** 63n)).toThrow(DvidArgumentError);
    expect(() => Volume.zeros([2], 'uint8').set('', 300)).toThrow(/300 is out of range for uint8/);
  });

  it('returns the volume for chaining', () => {
    const vol = Volume.zeros([2], 'uint8');
    expect(vol.set('0', 1).set('1', 2).data).toEqual(new Uint8Array([1, 2]));
  });

  it.each<[string, () => void, RegExp]>([
    ['a different shape', () => Volume.zeros([2, 3], 'uint8').set(':,0:2', Volume.zeros([2, 3], 'uint8')), /shape \[2, 3\] does not match the selected shape \[2, 2\]/],
    ['a transposed shape', () => Volume.zeros([2, 3], 'uint8').set('', Volume.zeros([3, 2], 'uint8')), /does not match/],
    ['a different dtype', () => Volume.zeros([2], 'uint8').set('', Volume.zeros([2], 'int8') as never), /dtype int8 does not match the volume's uint8/],
    ['a wrong array length', () => Volume.zeros([2, 3], 'uint8').set('', new Uint8Array(5)), /5 elements but the selection has 6/],
    ['a wrong array type', () => Volume.zeros([2], 'uint8').set('', new Uint16Array(2) as never), /does not match the volume's uint8/],
    ['a plain array', () => Volume.zeros([2], 'uint8').set('', [1, 2] as never), /expected a Volume, a TypedArray/],
    ['a string', () => Volume.zeros([2], 'uint8').set('', '1' as never), /expected a Volume, a TypedArray/],
  ])('rejects %s', (_, act, message) => {
    expect(act).toThrow(DvidArgumentError);
    expect(act).toThrow(message);
  });

  it('is correct when source and target overlap (reverse in place)', () => {
    const vol = Volume.from(new Int32Array([0, 1, 2, 3, 4, 5, 6]));
    vol.set('', vol.get('::-1'));
    expect([...vol.data]).toEqual([6, 5, 4, 3, 2, 1, 0]);
  });

  it('is correct when source and target overlap (shift by one, both directions)', () => {
    const right = Volume.from(new Uint8Array([1, 2, 3, 4, 5]));
    right.set('1:', right.get(':-1'));
    expect([...right.data]).toEqual([1, 1, 2, 3, 4]);
    const left = Volume.from(new Uint8Array([1, 2, 3, 4, 5]));
    left.set(':-1', left.get('1:'));
    expect([...left.data]).toEqual([2, 3, 4, 5, 5]);
  });

  it('is correct when a transposed view of itself is assigned', () => {
    const vol = Volume.from(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), [3, 3]);
    vol.set('', vol.transpose());
    expect([...vol.data]).toEqual([1, 4, 7, 2, 5, 8, 3, 6, 9]);
  });

  it('is correct when the TypedArray is a subarray of the target', () => {
    const vol = Volume.from(new Uint8Array([1, 2, 3, 4, 5, 6]), [6]);
    vol.set('2:', vol.data.subarray(0, 4));
    expect([...vol.data]).toEqual([1, 2, 1, 2, 3, 4]);
  });

  it('equals an element-by-element write for random overlapping views (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.nat(11),
        fc.nat(11),
        fc.constantFrom(-2, -1, 1, 2),
        fc.constantFrom(-2, -1, 1, 2),
        (n, a, b, sa, sb) => {
          const data = new Uint8Array(24).map((_, i) => i);
          const vol = Volume.from(data);
          const pick = (start: number, step: number): string =>
            step > 0 ? `${start % 12}::${step}` : `${12 + (start % 12)}::${step}`;
          const target = vol.get(pick(a, sa)).get(`:${n}`);
          const source = vol.get(pick(b, sb)).get(`:${target.shape[0]}`);
          if (source.shape[0] !== target.shape[0]) return;
          const before = [...indicesF(source.shape)].map((p) => source.item(...p));
          const expected = [...data];
          [...indicesF(target.shape)].forEach((p, k) => {
            expected[target.offset + p[0] * target.strides[0]] = before[k] as number;
          });
          target.set('', source);
          expect([...data]).toEqual(expected);
        },
      ),
    );
  });
});
