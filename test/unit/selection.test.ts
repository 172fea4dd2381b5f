import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDvidError, SelectionError } from '../../src/errors.js';
import {
  formatSelection,
  isSlice,
  parseSelection,
  SELECTION_CACHE_SIZE,
  slice,
  toSelection,
  type Selection,
} from '../../src/selection/index.js';

/** Runs `fn`, expecting a SelectionError, and returns it. */
function selectionError(fn: () => unknown): SelectionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SelectionError);
    return err as SelectionError;
  }
  throw new Error('expected a SelectionError, but nothing was thrown');
}

const all = { start: null, stop: null, step: null };

describe('slice()', () => {
  it('with one argument gives the stop, like Python', () => {
    expect(slice(5)).toEqual({ start: null, stop: 5, step: null });
  });
  it('with two or three arguments gives start, stop and step', () => {
    expect(slice(2, 8)).toEqual({ start: 2, stop: 8, step: null });
    expect(slice(null, null, -1)).toEqual({ start: null, stop: null, step: -1 });
    expect(slice(undefined, 3, undefined)).toEqual({ start: null, stop: 3, step: null });
  });
  it('is recognised by isSlice, unlike numbers, arrays and null', () => {
    expect(isSlice(slice(1))).toBe(true);
    expect(isSlice({ stop: 4 })).toBe(true);
    expect(isSlice(3)).toBe(false);
    expect(isSlice(null)).toBe(false);
    expect(isSlice([1, 2])).toBe(false);
    expect(isSlice({ begin: 1 })).toBe(false);
  });
});

describe('parseSelection: accepted syntax', () => {
  it.each<[string, Selection]>([
    [':,10:110,20:120', [all, slice(10, 110), slice(20, 120)]],
    ['...,5', ['...', 5]],
    ['5,...', [5, '...']],
    ['::-2', [slice(null, null, -2)]],
    ['-1', [-1]],
    [' 1 : 3 ', [slice(1, 3)]],
    ['1:', [slice(1, null)]],
    [':7', [slice(7)]],
    ['::', [all]],
    ['1::3', [slice(1, null, 3)]],
    ['-3:-1:1', [slice(-3, -1, 1)]],
    [' 0 , : , -2 : : -1 ', [0, all, slice(-2, null, -1)]],
    ['007', [7]],
    ['\t2\n', [2]],
  ])('%j', (text, expected) => {
    expect(parseSelection(text)).toEqual(expected);
  });

  it('turns -0 into 0', () => {
    expect(Object.is(parseSelection('-0')[0], 0)).toBe(true);
    expect(Object.is((parseSelection('-0:1')[0] as { start: number }).start, 0)).toBe(true);
  });

  it('reads the empty string, or only spaces, as the empty selection (select everything)', () => {
    expect(parseSelection('')).toEqual([]);
    expect(parseSelection('   ')).toEqual([]);
  });

  it('accepts integers up to the safe range', () => {
    expect(parseSelection(`${Number.MAX_SAFE_INTEGER}`)).toEqual([Number.MAX_SAFE_INTEGER]);
  });
});

describe('parseSelection: rejected syntax names the offending item', () => {
  it.each<[string, number, string, RegExp]>([
    ['1,,2', 1, '', /item 1 .* is empty/],
    ['1,', 1, '', /item 1 .* is empty/],
    [',1', 0, '', /item 0 .* is empty/],
    [':::', 0, ':::', /more than two colons/],
    ['0,1:2:3:4', 1, '1:2:3:4', /item 1 \('1:2:3:4'\) has more than two colons/],
    ['1.5', 0, '1.5', /'1.5', which is not a decimal integer/],
    ['abc', 0, 'abc', /not a decimal integer/],
    ['+3', 0, '+3', /not a decimal integer/],
    ['--1', 0, '--1', /not a decimal integer/],
    ['1e3', 0, '1e3', /not a decimal integer/],
    ['0x10', 0, '0x10', /not a decimal integer/],
    [':,1:x', 1, '1:x', /'x', which is not a decimal integer/],
    ['1 2', 0, '1 2', /not a decimal integer/],
    ['::0', 0, '::0', /step 0/],
    ['1:5:0', 0, '1:5:0', /step 0/],
    ['..', 0, '..', /not a decimal integer/],
    ['....', 0, '....', /not a decimal integer/],
    ['99999999999999999999', 0, '99999999999999999999', /beyond the safe integer range/],
  ])('%j fails at item %i', (text, item, itemText, message) => {
    const err = selectionError(() => parseSelection(text));
    expect(err.item).toBe(item);
    expect(err.selection).toBe(text);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`(${`'${itemText}'`})`);
    expect(isDvidError(err, 'selection')).toBe(true);
  });

  it('rejects a second ellipsis, pointing at it', () => {
    const err = selectionError(() => parseSelection('...,1,...'));
    expect(err.item).toBe(2);
    expect(err.message).toMatch(/second '\.\.\.'/);
  });
});

describe('parseSelection: cache', () => {
  it('returns the same frozen result for the same text', () => {
    const first = parseSelection('2:9:3,...');
    const second = parseSelection('2:9:3,...');
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(() => (first as unknown[]).push(1)).toThrow(TypeError);
  });

  it('gives equal results for texts that differ only in spacing', () => {
    expect(parseSelection(' 2 : 9 : 3 , ... ')).toEqual(parseSelection('2:9:3,...'));
  });

  it('stays bounded and still parses correctly after evictions', () => {
    const early = parseSelection('0:1,0:2');
    for (let i = 0; i < SELECTION_CACHE_SIZE + 10; i++) parseSelection(`${i}:${i + 1}`);
    const again = parseSelection('0:1,0:2');
    expect(again).not.toBe(early); // evicted, parsed anew
    expect(again).toEqual(early);
  });

  it('does not cache failures: a bad string fails every time', () => {
    expect(() => parseSelection('1,,')).toThrow(SelectionError);
    expect(() => parseSelection('1,,')).toThrow(SelectionError);
  });
});

describe('toSelection', () => {
  it('parses strings', () => {
    expect(toSelection('1:3')).toEqual([slice(1, 3)]);
  });
  it('treats the lone string "..." as the ellipsis item', () => {
    expect(toSelection('...')).toEqual(['...']);
  });
  it('wraps a single item', () => {
    expect(toSelection(5)).toEqual([5]);
    expect(toSelection(null)).toEqual([null]);
    expect(toSelection(slice(null, null, -1))).toEqual([slice(null, null, -1)]);
  });
  it('fills in missing slice parts with null and keeps null items', () => {
    expect(toSelection([null, { stop: 4 } as never, '...'])).toEqual([null, slice(4), '...']);
  });
  it('returns frozen arrays', () => {
    expect(Object.isFrozen(toSelection([1, 2]))).toBe(true);
  });
  it.each<[unknown[], number, RegExp]>([
    [[0, 1.5], 1, /item 1 \(1\.5\) is not a safe integer/],
    [[NaN], 0, /not a safe integer/],
    [[slice(0, 4, 0)], 0, /step 0/],
    [[null, slice(0.5, 4)], 1, /start 0.5/],
    [[{ start: 1, stop: '3', step: null }], 0, /stop 3, which is not a safe integer/],
    [['...', 1, '...'], 2, /second '\.\.\.'/],
    [[':'], 0, /pass the whole selection as one string/],
    [[undefined], 0, /not an integer, slice, null or '\.\.\.'/],
    [[[1, 2]], 0, /not an integer, slice/],
  ])('rejects %j at item %i', (input, item, message) => {
    const err = selectionError(() => toSelection(input as Selection));
    expect(err.item).toBe(item);
    expect(err.message).toMatch(message);
  });
});

describe('formatSelection', () => {
  it('writes the string syntax', () => {
    expect(formatSelection([null, slice(10, 110), 5, '...', slice(null, null, -2)])).toBe(':,10:110,5,...,::-2');
    expect(formatSelection([])).toBe('');
  });

  it('round-trips through parseSelection (null comes back as the whole slice)', () => {
    const bound = fc.option(fc.integer({ min: -50, max: 50 }), { nil: null });
    const step = fc.option(fc.integer({ min: -5, max: 5 }).filter((s) => s !== 0), { nil: null });
    const item = fc.oneof(
      fc.integer({ min: -50, max: 50 }),
      fc.constant(null),
      fc.record({ start: bound, stop: bound, step }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.nat(6), fc.boolean(), (items, at, withEllipsis) => {
        const sel: Selection = withEllipsis ? [...items.slice(0, at), '...', ...items.slice(at)] : items;
        const expected = sel.map((i) => (i === null ? all : i));
        expect(parseSelection(formatSelection(sel))).toEqual(expected);
      }),
    );
  });
});
