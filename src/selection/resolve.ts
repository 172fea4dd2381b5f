/**
 * The numpy-mode resolver, used for in-memory volumes: integers count from the end when
 * negative and must be in range; slices follow Python's `slice.indices` (clamped, negative
 * values from the end, defaults depending on the sign of the step).
 *
 * Resolved axes are a separate type from {@link Slice} on purpose: a resolved negative-step
 * slice has no "stop" to feed back through a resolver, only a start, a step and a length.
 *
 * @example
 * ```ts
 * resolveSelection('::-1,2', [4, 5]);
 * // [{ kind: 'slice', start: 3, step: -1, length: 4 }, { kind: 'index', index: 2 }]
 * ```
 * @module
 */
import { SelectionError } from '../errors.js';
import { expandSelection } from './expand.js';
import { formatSelection } from './format.js';
import { toSelection } from './parse.js';
import type { Selection, SelectionItem, Slice } from './slice.js';

/** A selected position: the axis is dropped from the result. */
export interface ResolvedIndex {
  readonly kind: 'index';
  /** The position, `0 <= index < size`. */
  readonly index: number;
}

/** A selected range: positions `start + k * step` for `0 <= k < length`. */
export interface ResolvedSlice {
  readonly kind: 'slice';
  /** First position (0 when `length` is 0). */
  readonly start: number;
  /** Nonzero; negative walks backwards. */
  readonly step: number;
  /** Number of positions selected, possibly 0. */
  readonly length: number;
}

/** What a selection picks on one axis of an in-memory volume. */
export type ResolvedAxis = ResolvedIndex | ResolvedSlice;

/** One {@link ResolvedAxis} per axis of the volume. */
export type ResolvedSelection = readonly ResolvedAxis[];

/** Options for {@link resolveSelection}. */
export interface ResolveOptions {
  /** Axis letters (e.g. `'cxyz'`), used only to name axes in error messages. */
  axes?: string;
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

/**
 * Resolves one slice against an axis of `size` positions with Python's rules: a missing start
 * or stop defaults to the first/last end in the direction of the step, negative values count
 * from the end, and out-of-range values are clamped (never an error).
 *
 * @example
 * ```ts
 * resolveSlice(slice(null, null, -2), 5); // { kind: 'slice', start: 4, step: -2, length: 3 }
 * resolveSlice(slice(-2, 100), 5);        // { kind: 'slice', start: 3, step: 1, length: 2 }
 * ```
 */
export function resolveSlice(s: Slice, size: number): ResolvedSlice {
  const step = s.step ?? 1;
  if (step === 0) throw new SelectionError('A slice step must be nonzero', { selection: formatSelection([s]) });
  const fromEnd = (v: number): number => (v < 0 ? v + size : v);
  let start: number;
  let length: number;
  if (step > 0) {
    start = s.start === null ? 0 : clamp(fromEnd(s.start), 0, size);
    const stop = s.stop === null ? size : clamp(fromEnd(s.stop), 0, size);
    length = stop > start ? Math.ceil((stop - start) / step) : 0;
  } else {
    // Walking backwards the last position is size - 1 and "before the first" is -1.
    start = s.start === null ? size - 1 : clamp(fromEnd(s.start), -1, size - 1);
    const stop = s.stop === null ? -1 : clamp(fromEnd(s.stop), -1, size - 1);
    length = start > stop ? Math.ceil((start - stop) / -step) : 0;
  }
  return { kind: 'slice', start: length === 0 ? 0 : start, step, length };
}

/**
 * Resolves a selection against a volume shape with numpy basic-indexing rules. Accepts every
 * form {@link toSelection} does. `'...'` expands to whole axes, missing trailing axes are
 * whole, and the result has one entry per axis.
 *
 * @throws SelectionError for an integer out of range (naming the axis, the index and the
 * size), for more items than axes, and for anything {@link toSelection} rejects.
 * @example
 * ```ts
 * resolveSelection(':,-1', [2, 3]);
 * // [{ kind: 'slice', start: 0, step: 1, length: 2 }, { kind: 'index', index: 2 }]
 * resolveSelection('3', [2]); // throws: item 0 (3) is out of range for axis 0 of size 2
 * ```
 */
export function resolveSelection(
  selection: string | SelectionItem | Selection,
  shape: readonly number[],
  options: ResolveOptions = {},
): ResolvedSelection {
  const sel = toSelection(selection);
  return expandSelection(sel, shape.length).map(({ item, itemIndex }, axis): ResolvedAxis => {
    const size = shape[axis];
    if (item === null) return { kind: 'slice', start: 0, step: 1, length: size };
    if (typeof item !== 'number') return resolveSlice(item, size);
    const index = item < 0 ? item + size : item;
    if (index < 0 || index >= size) {
      const text = formatSelection(sel);
      const name = options.axes?.[axis] ? ` (${options.axes[axis]})` : '';
      throw new SelectionError(
        `Invalid selection '${text}': item ${itemIndex} (${item}) is out of range for axis ${axis}${name} ` +
          `of size ${size}`,
        { selection: text, item: itemIndex },
      );
    }
    return { kind: 'index', index };
  });
}
