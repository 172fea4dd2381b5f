import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DvidArgumentError, SelectionError } from '../../src/errors.js';
import { slice, type Slice } from '../../src/selection/index.js';
import { DTYPES, isBigIntDType, Volume, type DType } from '../../src/volume/index.js';

/** Every index of `shape`, first axis fastest (F order). */
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

/** Position of `pos` in F order. */
function flatF(pos: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let k = shape.length - 1; k >= 0; k--) flat = flat * shape[k] + pos[k];
  return flat;
}

/** Values of a volume in F order, read element by element with item(). */
function valuesF(vol: Volume): (number | bigint)[] {
  return [...indicesF(vol.shape)].map((pos) => vol.item(...pos));
}

/** A volume whose element at each position is that position's F-order index. */
function numbered(shape: number[], order: 'F' | 'C' = 'F'): Volume<'int32'> {
  const vol = Volume.zeros(shape, 'int32', { order, axes: 'abcdef'.slice(0, shape.length) });
  for (const pos of indicesF(shape)) vol.set(pos, flatF(pos, shape));
  return vol;
}

/** Python's slice.indices followed by range(), as the reference for selected positions. */
function pythonRange(s: Slice, n: number): number[] {
  const step = s.step ?? 1;
  const lower = step < 0 ? -1 : 0;
  const upper = step < 0 ? n - 1 : n;
  const adjust = (v: number | null, fallback: number): number =>
    v === null ? fallback : v < 0 ? Math.max(v + n, lower) : Math.min(v, upper);
  const start = adjust(s.start, step < 0 ? upper : lower);
  const stop = adjust(s.stop, step < 0 ? lower : upper);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

describe('Volume.zeros / ones / full', () => {
  it.each(DTYPES)('creates %s volumes of the right TypedArray and value', (dtype) => {
    const zero = isBigIntDType(dtype) ? 0n : 0;
    const one = isBigIntDType(dtype) ? 1n : 1;
    const z = Volume.zeros([2, 3], dtype);
    expect(z.dtype).toBe(dtype);
    expect(z.data).toHaveLength(6);
    expect(valuesF(z)).toEqual(Array(6).fill(zero));
    expect(valuesF(Volume.ones([2, 3], dtype))).toEqual(Array(6).fill(one));
    expect(valuesF(Volume.full([4], dtype, 7))).toEqual(Array(4).fill(isBigIntDType(dtype) ? 7n : 7));
  });

  it('keeps 64-bit values above 2^53 exact', () => {
    const big = 2n ** 64n - 3n;
    const vol = Volume.full([2, 2], 'uint64', big);
    expect(vol.data).toBeInstanceOf(BigUint64Array);
    expect(vol.item(1, 1)).toBe(big);
    expect(Volume.full([1], 'int64', -(2n ** 62n) - 1n).item(0)).toBe(-(2n ** 62n) - 1n);
  });

  it.each<[DType, number | bigint]>([
    ['uint8', 256],
    ['int8', -129],
    ['uint16', -1],
    ['int32', 1.5],
    ['uint64', -1n],
    ['uint64', 2n ** 64n],
    ['int64', 0.5],
  ])('rejects a %s fill value the dtype cannot hold (%s)', (dtype, value) => {
    expect(() => Volume.full([2], dtype, value)).toThrow(DvidArgumentError);
  });

  it('lays out F order by default and C order on request', () => {
    expect(Volume.zeros([2, 3, 4], 'uint8').strides).toEqual([1, 2, 6]);
    expect(Volume.zeros([2, 3, 4], 'uint8', { order: 'C' }).strides).toEqual([12, 4, 1]);
    expect(() => Volume.zeros([2], 'uint8', { order: 'X' as 'F' })).toThrow(DvidArgumentError);
  });

  it('rejects bad shapes and dtypes', () => {
    expect(() => Volume.zeros([2, -1], 'uint8')).toThrow(DvidArgumentError);
    expect(() => Volume.zeros([2.5], 'uint8')).toThrow(DvidArgumentError);
    expect(() => Volume.zeros([2], 'uint128' as DType)).toThrow(DvidArgumentError);
  });
});

describe('axes', () => {
  it("defaults to 'c' then x, y, z, t", () => {
    expect(Volume.zeros([], 'uint8').axes).toBe('');
    expect(Volume.zeros([1], 'uint8').axes).toBe('c');
    expect(Volume.zeros([1, 2, 3, 4], 'uint8').axes).toBe('cxyz');
    expect(Volume.zeros([1, 1, 1, 1, 1], 'uint8').axes).toBe('cxyzt');
  });

  it('needs explicit letters beyond five axes', () => {
    expect(() => Volume.zeros([1, 1, 1, 1, 1, 1], 'uint8')).toThrow(/no default names for 6 axes/);
    expect(Volume.zeros([1, 1, 1, 1, 1, 1], 'uint8', { axes: 'abcdef' }).ndim).toBe(6);
  });

  it.each(['cxx', 'cx', 'cxyz', 'c1y', 'c y'])('rejects %j for a 3-D volume', (axes) => {
    expect(() => Volume.zeros([1, 2, 3], 'uint8', { axes })).toThrow(DvidArgumentError);
  });
});

describe('Volume.from', () => {
  it('wraps the array without copying and takes the dtype from it', () => {
    const data = new Int16Array(24);
    const vol = Volume.from(data, [2, 3, 4]);
    expect(vol.data).toBe(data);
    expect(vol.dtype).toBe('int16');
    vol.set('1,2,3', -5);
    expect(data[23]).toBe(-5);
  });

  it('defaults to a 1-D view of the whole array', () => {
    const vol = Volume.from(new Float64Array([1.5, 2.5]));
    expect(vol.shape).toEqual([2]);
    expect(vol.item(1)).toBe(2.5);
  });

  it("reads DVID's byte stream (x fastest, channels interleaved) as [c, x, y, z] with no copy", () => {
    const [C, X, Y, Z] = [2, 3, 2, 2];
    const bytes = new Uint8Array(C * X * Y * Z).map((_, i) => i);
    const vol = Volume.from(bytes, [C, X, Y, Z]);
    expect(vol.axes).toBe('cxyz');
    for (const [c, x, y, z] of indicesF([C, X, Y, Z])) {
      expect(vol.item(c, x, y, z)).toBe(c + C * (x + X * (y + Y * z)));
    }
  });

  it('accepts C order, explicit strides and an offset', () => {
    const data = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(valuesF(Volume.from(data, [2, 3], { order: 'C' }))).toEqual([0, 3, 1, 4, 2, 5]);
    const odd = Volume.from(data, [3], { strides: [-2], offset: 6 });
    expect(valuesF(odd)).toEqual([6, 4, 2]);
  });

  it('rejects layouts that reach outside the array', () => {
    const data = new Uint8Array(6);
    expect(() => Volume.from(data, [2, 4])).toThrow(/addresses elements 0\.\.7, but the array has 6/);
    expect(() => Volume.from(data, [3], { strides: [-1], offset: 1 })).toThrow(DvidArgumentError);
    expect(Volume.from(data, [3], { strides: [2], offset: 1 }).item(2)).toBe(0); // 1, 3, 5: inside
    expect(() => Volume.from(data, [3], { strides: [2], offset: 2 })).toThrow(/elements 2\.\.6/);
    expect(() => Volume.from(data, [2], { strides: [1, 1] })).toThrow(DvidArgumentError);
    expect(() => Volume.from(data, [2], { offset: 0.5 })).toThrow(DvidArgumentError);
    // Empty layouts address nothing, so any offset is inside.
    expect(Volume.from(data, [0, 100]).size).toBe(0);
  });

  it('rejects arrays that are not a supported TypedArray', () => {
    expect(() => Volume.from(new Uint8ClampedArray(4) as never)).toThrow(DvidArgumentError);
    expect(() => Volume.from([1, 2, 3] as never, [3])).toThrow(DvidArgumentError);
  });
});

describe('get: numpy basic indexing as views', () => {
  it('returns views that share memory', () => {
    const vol = Volume.zeros([2, 4, 4], 'uint16');
    const view = vol.get(':,1:3,::2');
    expect(view.data).toBe(vol.data);
    view.fill(9);
    expect(vol.item(1, 2, 2)).toBe(9);
    expect(vol.item(1, 2, 1)).toBe(0);
    expect(vol.item(1, 0, 0)).toBe(0);
  });

  it('drops axes selected by integers, with their letters', () => {
    const vol = Volume.zeros([1, 5, 6, 7], 'uint8');
    const view = vol.get('0,:,3');
    expect(view.shape).toEqual([5, 7]);
    expect(view.axes).toBe('xz');
    expect(vol.get('...,2').axes).toBe('cxy');
  });

  it('gives negative strides for negative steps', () => {
    const vol = Volume.from(new Uint8Array([0, 1, 2, 3, 4, 5]));
    const rev = vol.get('::-2');
    expect(rev.strides).toEqual([-2]);
    expect(valuesF(rev)).toEqual([5, 3, 1]);
    expect(valuesF(rev.get('::-1'))).toEqual([1, 3, 5]);
  });

  it('selecting every axis by integer gives a 0-d volume', () => {
    const vol = numbered([3, 4]);
    const point = vol.get('2,-1');
    expect(point.ndim).toBe(0);
    expect(point.shape).toEqual([]);
    expect(point.size).toBe(1);
    expect(point.item()).toBe(flatF([2, 3], [3, 4]));
  });

  it('keeps empty selections valid', () => {
    const empty = numbered([3, 4]).get('2:2');
    expect(empty.shape).toEqual([0, 4]);
    expect(empty.copy().data).toHaveLength(0);
  });

  it('accepts object selections and numeric items', () => {
    const vol = numbered([3, 4]);
    expect(valuesF(vol.get([slice(1, 3), 0]))).toEqual(valuesF(vol.get('1:3,0')));
    expect(valuesF(vol.get(1))).toEqual(valuesF(vol.get('1')));
  });

  it('rejects out-of-range integers and bad syntax with SelectionError naming the axis letter', () => {
    const vol = Volume.zeros([1, 5], 'uint8');
    expect(() => vol.get(':,5')).toThrow(/item 1 \(5\) is out of range for axis 1 \(x\) of size 5/);
    expect(() => vol.get('1:2:3:4')).toThrow(SelectionError);
    expect(() => vol.get('0,0,0')).toThrow(SelectionError);
  });

  it('matches an element-by-element reference, including views of views (property)', () => {
    const item = (n: number) =>
      fc.oneof(
        fc.integer({ min: -n, max: n - 1 }),
        fc.record({
          start: fc.option(fc.integer({ min: -n - 2, max: n + 2 }), { nil: null }),
          stop: fc.option(fc.integer({ min: -n - 2, max: n + 2 }), { nil: null }),
          step: fc.option(fc.constantFrom(-3, -2, -1, 1, 2, 3), { nil: null }),
        }),
      );
    const layout = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
      .chain((shape) => fc.tuple(fc.constant(shape), fc.tuple(...shape.map(item)), fc.constantFrom('F' as const, 'C' as const)));
    fc.assert(
      fc.property(layout, fc.boolean(), ([shape, items, order], twice) => {
        const base = numbered(shape, order);
        // Optionally take a view of a view: first reverse every axis, then apply the items.
        const source = twice ? base.get(shape.map(() => slice(null, null, -1))) : base;
        const map = (k: number, i: number): number => (twice ? shape[k] - 1 - i : i);
        const view = source.get(items);
        const perAxis = items.map((it, k) =>
          typeof it === 'number' ? [it < 0 ? it + shape[k] : it] : pythonRange(it, shape[k]),
        );
        const kept = items.map((it) => typeof it !== 'number');
        expect(view.shape).toEqual(perAxis.filter((_, k) => kept[k]).map((p) => p.length));
        for (const pos of indicesF(view.shape)) {
          let j = 0;
          const src = perAxis.map((choices, k) => map(k, choices[kept[k] ? pos[j++] : 0]));
          expect(view.item(...pos)).toBe(flatF(src, shape));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('item', () => {
  it('counts negative indices from the end', () => {
    const vol = numbered([3, 4]);
    expect(vol.item(-1, -1)).toBe(11);
    expect(vol.item(-3, 0)).toBe(0);
  });

  it('returns bigints for 64-bit dtypes', () => {
    const vol = Volume.from(new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]));
    expect(vol.item(0)).toBe(-(2n ** 63n));
    expect(vol.item(1)).toBe(2n ** 63n - 1n);
  });

  it('needs one integer per axis, each in range', () => {
    const vol = Volume.zeros([2, 3], 'uint8');
    expect(() => vol.item(0)).toThrow(DvidArgumentError);
    expect(() => vol.item(0, 3)).toThrow(/Index 3 is out of range for axis 1 \(x\) of size 3/);
    expect(() => vol.item(-3, 0)).toThrow(SelectionError);
    expect(() => vol.item(0.5, 0)).toThrow(SelectionError);
  });
});

describe('transpose', () => {
  it('permutes by axis letters', () => {
    const vol = numbered([2, 3, 4]); // axes 'abc'
    const t = vol.transpose('cab');
    expect(t.shape).toEqual([4, 2, 3]);
    expect(t.axes).toBe('cab');
    expect(t.data).toBe(vol.data);
    expect(t.item(3, 1, 2)).toBe(vol.item(1, 2, 3));
  });

  it('permutes by index array, and reverses by default', () => {
    const vol = Volume.zeros([1, 2, 3, 4], 'uint8');
    expect(vol.transpose([0, 3, 2, 1]).axes).toBe('czyx');
    expect(vol.transpose().shape).toEqual([4, 3, 2, 1]);
    expect(vol.transpose().axes).toBe('zyxc');
  });

  it.each<[string | number[]]>([['czy'], ['cxyw'], ['cxxz'], [[0, 1, 2]], [[0, 1, 2, 2]], [[0, 1, 2, 4]]])(
    'rejects %j for a cxyz volume',
    (order) => {
      expect(() => Volume.zeros([1, 2, 3, 4], 'uint8').transpose(order)).toThrow(DvidArgumentError);
    },
  );
});

describe('contiguity, copy and toTypedArray', () => {
  it('knows which views are contiguous in which order', () => {
    const vol = Volume.zeros([2, 3, 4], 'uint8');
    expect(vol.isContiguous()).toBe(true);
    expect(vol.isContiguous('C')).toBe(false);
    expect(vol.transpose().isContiguous('C')).toBe(true);
    expect(vol.get(':,:,1:3').isContiguous('F')).toBe(true);
    expect(vol.get(':,1:3').isContiguous('F')).toBe(false);
    // Strides of size-1 axes do not matter.
    expect(Volume.zeros([1, 3], 'uint8', { order: 'C' }).isContiguous('F')).toBe(true);
    expect(vol.get('0:1,0:1').isContiguous('F')).toBe(false); // elements 0, 6, 12, 18
    expect(vol.get('::-1').isContiguous('F')).toBe(false);
  });

  it('toTypedArray returns the data itself, or a subarray, when no copy is needed', () => {
    const vol = numbered([2, 3, 4]);
    expect(vol.toTypedArray()).toBe(vol.data);
    const tail = vol.get(':,:,2:4').toTypedArray();
    expect(tail.buffer).toBe(vol.data.buffer);
    expect(tail.byteOffset).toBe(12 * 4);
    expect([...tail]).toEqual([...Array(12).keys()].map((i) => 12 + i));
  });

  it('toTypedArray copies into the requested order otherwise', () => {
    const vol = numbered([2, 3]);
    const c = vol.toTypedArray('C');
    expect(c.buffer).not.toBe(vol.data.buffer);
    expect([...c]).toEqual([0, 2, 4, 1, 3, 5]);
    const strided = vol.get(':,::2').toTypedArray();
    expect([...strided]).toEqual([0, 1, 4, 5]);
  });

  it('copy makes an independent contiguous volume in either order, keeping axes', () => {
    const view = numbered([3, 4]).get('::-1,1:');
    for (const order of ['F', 'C'] as const) {
      const copy = view.copy(order);
      expect(copy.isContiguous(order)).toBe(true);
      expect(copy.axes).toBe(view.axes);
      expect(valuesF(copy)).toEqual(valuesF(view));
      expect(copy.data.buffer).not.toBe(view.data.buffer);
    }
  });

  it('copies 64-bit values exactly in both orders', () => {
    const vol = Volume.from(new BigUint64Array([2n ** 64n - 1n, 2n ** 53n + 1n, 3n, 2n ** 60n]), [2, 2]);
    expect([...vol.toTypedArray('C')]).toEqual([2n ** 64n - 1n, 3n, 2n ** 53n + 1n, 2n ** 60n]);
    expect(valuesF(vol.transpose().copy())).toEqual([2n ** 64n - 1n, 3n, 2n ** 53n + 1n, 2n ** 60n]);
  });
});

describe('reshape', () => {
  it('is a view when the data is contiguous in the order', () => {
    const vol = numbered([2, 3, 4]);
    const flat = vol.reshape([-1], { axes: 'x' });
    expect(flat.shape).toEqual([24]);
    expect(flat.data).toBe(vol.data);
    expect(valuesF(flat)).toEqual([...Array(24).keys()]);
  });

  it('copies otherwise, and reads in the requested order', () => {
    const vol = numbered([2, 3]);
    expect(valuesF(vol.transpose().reshape([6], { axes: 'x' }))).toEqual([0, 2, 4, 1, 3, 5]);
    // C order reads 0, 2, 4, 1, 3, 5 and refills [3, 2] row by row.
    const c = vol.reshape([3, 2], { order: 'C' });
    expect([c.item(0, 0), c.item(0, 1), c.item(1, 0), c.item(1, 1), c.item(2, 0), c.item(2, 1)]).toEqual([0, 2, 4, 1, 3, 5]);
  });

  it('rejects sizes that do not match', () => {
    expect(() => Volume.zeros([2, 3], 'uint8').reshape([4, 2])).toThrow(DvidArgumentError);
    expect(() => Volume.zeros([2, 3], 'uint8').reshape([-1, -1])).toThrow(DvidArgumentError);
  });
});

describe('summaries', () => {
  const vol = Volume.zeros([1, 512, 512, 64], 'uint16');

  it('toJSON gives dtype, shape and axes only', () => {
    expect(JSON.parse(JSON.stringify(vol))).toEqual({ dtype: 'uint16', shape: [1, 512, 512, 64], axes: 'cxyz' });
  });

  it('util.inspect prints a one-line summary, not the data', () => {
    expect(inspect(vol)).toBe('Volume<uint16>(cxyz [1, 512, 512, 64])');
    expect(String(vol.get('0,:,:,3'))).toBe('Volume<uint16>(xy [512, 512])');
  });
});
