import { describe, expect, it } from 'vitest';
import { DvidArgumentError, SelectionError } from '../../src/errors.js';
import {
  assertWritableSelection,
  dvidResultShape,
  resolveDvidSelection,
  slice,
  type DvidResolvedSelection,
} from '../../src/selection/index.js';

// A 2-channel volume whose stored voxels span x in [-10, 90), y in [0, 50), z in [5, 25).
const extents = { minIndex: [0, -10, 0, 5], stop: [2, 90, 50, 25] };

function caught(fn: () => unknown): SelectionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SelectionError);
    return err as SelectionError;
  }
  throw new Error('expected a SelectionError');
}

describe('resolveDvidSelection', () => {
  it('fills omitted starts from minIndex and omitted stops from stop', () => {
    expect(resolveDvidSelection('', extents)).toEqual({
      start: [0, -10, 0, 5],
      stop: [2, 90, 50, 25],
      step: [1, 1, 1, 1],
      drop: [false, false, false, false],
    });
    expect(resolveDvidSelection(':,:3,40:,...', extents)).toMatchObject({ start: [0, -10, 40, 5], stop: [2, 3, 50, 25] });
  });

  it('reads negative numbers as signed coordinates, not counts from the end', () => {
    expect(resolveDvidSelection(':,:-1', extents).stop[1]).toBe(-1); // [-10, -1): 9 voxels
    const r = resolveDvidSelection(':,-5:-1,...,-3', extents);
    expect(r.start).toEqual([0, -5, 0, -3]);
    expect(r.stop).toEqual([2, -1, 50, -2]);
  });

  it('turns an integer i into [i, i+1) and drops the axis', () => {
    const r = resolveDvidSelection('1,...,7', extents);
    expect(r.start).toEqual([1, -10, 0, 7]);
    expect(r.stop).toEqual([2, 90, 50, 8]);
    expect(r.drop).toEqual([true, false, false, true]);
    expect(dvidResultShape(r)).toEqual([100, 50]);
  });

  it('does not clamp: boxes beyond the stored extents pass through for DVID to judge', () => {
    const r = resolveDvidSelection(':,-1000:1000,100', extents);
    expect(r.start).toEqual([0, -1000, 100, 5]);
    expect(r.stop).toEqual([2, 1000, 101, 25]);
  });

  it('keeps positive steps and tightens the box to the last selected coordinate', () => {
    const r = resolveDvidSelection(':,0:10:3,::4', extents);
    expect(r.step).toEqual([1, 3, 4, 1]);
    expect(r.start).toEqual([0, 0, 0, 5]);
    expect(r.stop).toEqual([2, 10, 49, 25]); // 0,3,6,9 → stop 10; 0..48 by 4 → stop 49
    expect(dvidResultShape(r)).toEqual([2, 4, 13, 20]);
  });

  it('accepts object-form selections the same way', () => {
    expect(resolveDvidSelection([null, slice(0, 10), '...', 6], extents)).toEqual(
      resolveDvidSelection(':,0:10,...,6', extents),
    );
  });

  it('rejects negative steps with advice to reverse locally', () => {
    const err = caught(() => resolveDvidSelection(':,::-1', extents));
    expect(err.item).toBe(1);
    expect(err.message).toMatch(/step -1/);
    expect(err.message).toMatch(/reverse the result locally/);
  });

  it('rejects step 0 (already at parse time)', () => {
    expect(caught(() => resolveDvidSelection(':,::0', extents)).item).toBe(1);
  });

  it.each<[string, number, RegExp]>([
    [':,5:5', 1, /start 5 is not below stop 5/],
    [':,6:2', 1, /start 6 is not below stop 2/],
    [':,:,:-1', 2, /start 0 is not below stop -1/],
    [':,:,:,30:', 3, /start 30 is not below stop 25/],
  ])('rejects the empty range in %j', (text, item, message) => {
    const err = caught(() => resolveDvidSelection(text, extents));
    expect(err.item).toBe(item);
    expect(err.message).toMatch(message);
  });

  it('explains negative coordinates when an empty range involves them', () => {
    const err = caught(() => resolveDvidSelection(':,0:-1', extents));
    expect(err.message).toMatch(/negative numbers are DVID coordinates, not counted from the end/);
  });

  it('rejects too many items', () => {
    expect(caught(() => resolveDvidSelection('0,0,0,0,0', extents)).item).toBe(4);
  });

  it('needs explicit bounds on axes whose extent is unknown', () => {
    const unknown = { minIndex: [0, 0], stop: [1, Number.NaN] };
    expect(resolveDvidSelection(':,0:10', unknown).stop).toEqual([1, 10]);
    expect(caught(() => resolveDvidSelection(':,0:', unknown)).message).toMatch(/omits the stop of axis 1/);
    // An axis filled in by padding has no item index to blame.
    const padded = caught(() => resolveDvidSelection(':', unknown));
    expect(padded.item).toBeUndefined();
    expect(padded.message).toMatch(/axis 1 omits the stop/);
  });

  it('rejects extents whose arrays differ in length', () => {
    expect(() => resolveDvidSelection('', { minIndex: [0, 0], stop: [1] })).toThrow(DvidArgumentError);
  });
});

describe('assertWritableSelection', () => {
  const write = (text: string, channels: number, ext = extents): void =>
    assertWritableSelection(resolveDvidSelection(text, ext), channels);
  const single = { minIndex: [0, 0, 0], stop: [1, 64, 64] };

  it('accepts unit steps that cover every channel', () => {
    expect(() => write(':,0:10,0:10', 2)).not.toThrow();
    expect(() => write('0:2,0:10', 2)).not.toThrow();
    expect(() => write('...,3', 2)).not.toThrow(); // dropping a spatial axis is fine
  });

  it('accepts an integer channel index only for single-channel data', () => {
    expect(() => write('0,0:8,0:8', 1, single)).not.toThrow();
    expect(() => write('0', 2)).toThrow(/must include every channel.*index 0 of 2 channels/);
  });

  it('rejects a subset of the channels', () => {
    expect(() => write('0:1', 2)).toThrow(/must include every channel.*\[0, 1\) of 2 channels/);
    expect(() => write('1:2', 2)).toThrow(SelectionError);
  });

  it('rejects steps', () => {
    expect(() => write(':,::2', 2)).toThrow(/steps cannot be used when writing to DVID \(axis 1 has step 2\)/);
  });

  it('checks the channel axis against the channel count, not the extents', () => {
    const wide: DvidResolvedSelection = { start: [0, 0], stop: [3, 4], step: [1, 1], drop: [false, false] };
    expect(() => assertWritableSelection(wide, 2)).toThrow(SelectionError);
    expect(() => assertWritableSelection(wide, 3)).not.toThrow();
  });
});
