import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SelectionError } from '../../src/errors.js';
import { resolveSelection, resolveSlice, slice, type ResolvedAxis, type Slice } from '../../src/selection/index.js';

/** Positions selected by a resolved slice. */
function positions(r: { start: number; step: number; length: number }): number[] {
  return Array.from({ length: r.length }, (_, k) => r.start + k * r.step);
}

/**
 * Reference: Python's `slice.indices(length)` written out the way CPython's
 * `PySlice_GetIndicesEx` documents it, followed by `range(start, stop, step)`.
 */
function pythonIndices(s: Slice, length: number): number[] {
  const step = s.step ?? 1;
  const lower = step < 0 ? -1 : 0;
  const upper = step < 0 ? length - 1 : length;
  const adjust = (value: number | null, fallback: number): number => {
    if (value === null) return fallback;
    if (value < 0) return Math.max(value + length, lower);
    return Math.min(value, upper);
  };
  const start = adjust(s.start, step < 0 ? upper : lower);
  const stop = adjust(s.stop, step < 0 ? lower : upper);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** `[size, start, stop, step, list(range(size))[start:stop:step]]`, printed by CPython 3. */
const PYTHON_GOLDEN: [number, number | null, number | null, number | null, number[]][] = [
  [0, -1, 0, -3, []],
  [0, 2, 4, -2, []],
  [0, 4, 1, 1, []],
  [0, 9, -3, -3, []],
  [0, 9, 2, null, []],
  [1, -9, 0, -3, []],
  [1, -9, 2, 4, [0]],
  [1, 2, 4, -3, []],
  [1, 4, -6, 4, []],
  [1, 9, -6, -2, [0]],
  [1, null, -1, -3, []],
  [1, null, -9, -2, [0]],
  [3, -1, null, -2, [2,0]],
  [3, -1, null, null, [2]],
  [3, -3, -6, -3, [0]],
  [3, -6, null, 4, [0]],
  [3, 1, -9, null, []],
  [3, 2, 0, 2, []],
  [3, 2, null, 2, [2]],
  [3, 6, null, 2, []],
  [3, 9, 4, 1, []],
  [3, null, 1, 4, [0]],
  [6, -1, -3, -1, [5,4]],
  [6, -3, null, -2, [3,1]],
  [6, -6, 0, -1, []],
  [6, -9, -1, 1, [0,1,2,3,4]],
  [6, 0, null, 2, [0,2,4]],
  [6, 2, -3, null, [2]],
  [6, 2, 6, 2, [2,4]],
  [6, 4, -9, 1, []],
  [6, 4, 2, -1, [4,3]],
  [6, 4, null, -3, [4,1]],
  [6, 9, 0, 2, []],
  [6, null, 2, 1, [0,1]],
  [7, -1, -3, 2, []],
  [7, -1, null, -3, [6,3,0]],
  [7, -1, null, null, [6]],
  [7, -3, -1, 4, [4]],
  [7, -3, 4, -3, []],
  [7, -6, 0, -2, [1]],
  [7, -6, 2, -3, []],
  [7, -9, -1, -2, []],
  [7, -9, 1, null, [0]],
  [7, -9, 2, null, [0,1]],
  [7, 0, -1, 2, [0,2,4]],
  [7, 1, 2, 1, [1]],
  [7, 1, 4, 1, [1,2,3]],
  [7, 1, null, 1, [1,2,3,4,5,6]],
  [7, 2, -9, -1, [2,1,0]],
  [7, 2, 0, null, []],
  [7, 2, 6, -3, []],
  [7, 2, 9, 1, [2,3,4,5,6]],
  [7, 4, 6, 4, [4]],
  [7, 4, 9, 2, [4,6]],
  [7, 6, -3, -3, [6]],
  [7, 6, 2, -1, [6,5,4,3]],
  [7, 9, -9, -1, [6,5,4,3,2,1,0]],
  [7, 9, 2, -2, [6,4]],
  [7, 9, 4, -3, [6]],
  [7, 9, 4, 4, []],
  [7, 9, null, 1, []],
  [7, null, -1, -3, []],
  [7, null, 1, 1, [0]],
  [7, null, null, -1, [6,5,4,3,2,1,0]]
,
];

describe('resolveSlice agrees with Python', () => {
  it.each(PYTHON_GOLDEN)('size %i, %j:%j:%j', (size, start, stop, step, expected) => {
    expect(positions(resolveSlice({ start, stop, step }, size))).toEqual(expected);
  });

  it('the reference implementation agrees with the same golden table', () => {
    for (const [size, start, stop, step, expected] of PYTHON_GOLDEN) {
      expect(pythonIndices({ start, stop, step }, size)).toEqual(expected);
    }
  });

  it('agrees with the reference for arbitrary slices and sizes (property)', () => {
    const bound = fc.option(fc.integer({ min: -30, max: 30 }), { nil: null });
    const step = fc.option(fc.integer({ min: -7, max: 7 }).filter((s) => s !== 0), { nil: null });
    fc.assert(
      fc.property(fc.nat(25), bound, bound, step, (size, start, stop, st) => {
        const s = { start, stop, step: st };
        const resolved = resolveSlice(s, size);
        expect(positions(resolved)).toEqual(pythonIndices(s, size));
        expect(resolved.step).toBe(st ?? 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('reports start 0 for an empty result, whatever the clamped start was', () => {
    expect(resolveSlice(slice(9, 2), 5)).toEqual({ kind: 'slice', start: 0, step: 1, length: 0 });
    expect(resolveSlice(slice(null, null, -1), 0)).toEqual({ kind: 'slice', start: 0, step: -1, length: 0 });
  });

  it('walks backwards for negative steps, starting from the end', () => {
    expect(resolveSlice(slice(null, null, -1), 4)).toEqual({ kind: 'slice', start: 3, step: -1, length: 4 });
    expect(resolveSlice(slice(null, null, -2), 5)).toEqual({ kind: 'slice', start: 4, step: -2, length: 3 });
  });

  it('clamps instead of failing', () => {
    expect(resolveSlice(slice(-100, 100), 5)).toEqual({ kind: 'slice', start: 0, step: 1, length: 5 });
    expect(resolveSlice(slice(100, -100, -1), 5)).toEqual({ kind: 'slice', start: 4, step: -1, length: 5 });
  });

  it('rejects step 0 given directly', () => {
    expect(() => resolveSlice(slice(0, 1, 0), 3)).toThrow(SelectionError);
  });
});

describe('resolveSelection (numpy rules)', () => {
  const whole = (n: number): ResolvedAxis => ({ kind: 'slice', start: 0, step: 1, length: n });

  it('resolves integers, counting negatives from the end', () => {
    expect(resolveSelection('1,-1', [3, 4])).toEqual([
      { kind: 'index', index: 1 },
      { kind: 'index', index: 3 },
    ]);
  });

  it('pads missing trailing axes with whole slices', () => {
    expect(resolveSelection('2', [3, 4, 5])).toEqual([{ kind: 'index', index: 2 }, whole(4), whole(5)]);
  });

  it('treats the empty selection and null as whole axes', () => {
    expect(resolveSelection('', [2, 3])).toEqual([whole(2), whole(3)]);
    expect(resolveSelection([null, null], [2, 3])).toEqual([whole(2), whole(3)]);
  });

  it('expands the ellipsis to fill the axes the other items leave', () => {
    expect(resolveSelection('...,0', [2, 3, 4])).toEqual([whole(2), whole(3), { kind: 'index', index: 0 }]);
    expect(resolveSelection('0,...,1:3', [2, 3, 4])).toEqual([
      { kind: 'index', index: 0 },
      whole(3),
      { kind: 'slice', start: 1, step: 1, length: 2 },
    ]);
    expect(resolveSelection('0,1,...,2', [2, 3, 4])).toEqual([
      { kind: 'index', index: 0 },
      { kind: 'index', index: 1 },
      { kind: 'index', index: 2 },
    ]);
  });

  it('accepts every selection form', () => {
    const expected = resolveSelection('1:3,::-1', [4, 4]);
    expect(resolveSelection([slice(1, 3), slice(null, null, -1)], [4, 4])).toEqual(expected);
    expect(resolveSelection(2, [4])).toEqual([{ kind: 'index', index: 2 }]);
  });

  it('resolves a 0-d shape only with the empty selection or a lone ellipsis', () => {
    expect(resolveSelection('', [])).toEqual([]);
    expect(resolveSelection('...', [])).toEqual([]);
    expect(() => resolveSelection('0', [])).toThrow(SelectionError);
  });

  it.each<[string, number[], number, RegExp]>([
    ['5', [5], 0, /item 0 \(5\) is out of range for axis 0 \(c\) of size 5/],
    ['-6', [5], 0, /item 0 \(-6\) is out of range for axis 0 \(c\) of size 5/],
    [':,...,7', [2, 3, 4], 2, /item 2 \(7\) is out of range for axis 2 \(y\) of size 4/],
    ['0', [0], 0, /out of range for axis 0 \(c\) of size 0/],
  ])('rejects the out-of-range integer in %j', (text, shape, item, message) => {
    let caught: unknown;
    try {
      resolveSelection(text, shape, { axes: 'cxy'.slice(0, shape.length) });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SelectionError);
    expect((caught as SelectionError).item).toBe(item);
    expect((caught as SelectionError).message).toMatch(message);
  });

  it('rejects more items than axes, pointing at the first item too many', () => {
    let caught: SelectionError | undefined;
    try {
      resolveSelection('0,...,1,2', [3, 3]);
    } catch (err) {
      caught = err as SelectionError;
    }
    expect(caught).toBeInstanceOf(SelectionError);
    expect(caught?.item).toBe(3);
    expect(caught?.message).toMatch(/3 items but the volume has only 2 axes/);
  });

  it('matches per-axis resolution for random selections (property)', () => {
    const bound = fc.option(fc.integer({ min: -8, max: 8 }), { nil: null });
    const step = fc.option(fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.oneof(fc.record({ start: bound, stop: bound, step }), fc.integer({ min: 0, max: 5 })), {
          maxLength: 4,
        }),
        (shape, raw) => {
          const items = raw.slice(0, shape.length).map((it, k) => (typeof it === 'number' ? it % shape[k] : it));
          const resolved = resolveSelection(items, shape);
          expect(resolved).toHaveLength(shape.length);
          resolved.forEach((r, k) => {
            const item = items[k];
            if (item === undefined) expect(r).toEqual(whole(shape[k]));
            else if (typeof item === 'number') expect(r).toEqual({ kind: 'index', index: item });
            else if (r.kind === 'slice') expect(positions(r)).toEqual(pythonIndices(item, shape[k]));
            else throw new Error('a slice resolved to an index');
          });
        },
      ),
    );
  });
});
