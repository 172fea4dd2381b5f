/**
 * Selection values in object form: a {@link Slice} per sliced axis, an integer per indexed
 * axis, `null` for a whole axis and `'...'` for "as many whole axes as needed". The string
 * syntax (`':,10:110,20:120'`) parses to exactly these values; see `docs/selection-grammar.md`.
 *
 * @example
 * ```ts
 * const sel: Selection = [null, slice(10, 110), 5]; // same as ':,10:110,5'
 * ```
 * @module
 */

/**
 * A slice as the user writes it, `start:stop:step`, with `null` for an omitted part. This is
 * the *unresolved* form: negative numbers and `null` mean different things to each resolver,
 * so a resolved result is never fed back through a resolver as a Slice.
 *
 * @example
 * ```ts
 * const everyOther: Slice = { start: null, stop: null, step: 2 }; // '::2'
 * ```
 */
export interface Slice {
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
}

/**
 * One item of a selection: an integer (selects one position and drops the axis), a
 * {@link Slice}, `null` (the whole axis, like `:`) or `'...'` (an ellipsis).
 *
 * @example
 * ```ts
 * const items: SelectionItem[] = [3, slice(1, 4), null, '...'];
 * ```
 */
export type SelectionItem = number | Slice | null | '...';

/**
 * A whole selection, one item per comma-separated part. Read-only so that frozen, cached
 * parser results can be returned directly; a mutable array is accepted everywhere too.
 *
 * @example
 * ```ts
 * const sel: Selection = ['...', 0]; // same as '...,0'
 * ```
 */
export type Selection = readonly SelectionItem[];

/** The ellipsis item, spelled as in the string syntax. */
export const ELLIPSIS = '...';

/**
 * Makes a {@link Slice} like Python's `slice()`: one argument is the stop, two or three are
 * start, stop and step. `null` or `undefined` leaves a part omitted. Values are checked later,
 * when the slice is used in a selection.
 *
 * @example
 * ```ts
 * slice(5);           // { start: null, stop: 5, step: null }     ':5'
 * slice(2, 8);        // { start: 2, stop: 8, step: null }        '2:8'
 * slice(null, null, -1); // { start: null, stop: null, step: -1 } '::-1'
 * ```
 */
export function slice(stop: number | null | undefined): Slice;
export function slice(
  start: number | null | undefined,
  stop: number | null | undefined,
  step?: number | null,
): Slice;
export function slice(...args: (number | null | undefined)[]): Slice {
  if (args.length <= 1) return { start: null, stop: args[0] ?? null, step: null };
  return { start: args[0] ?? null, stop: args[1] ?? null, step: args[2] ?? null };
}

/**
 * True when `value` is a non-array object with a `start`, `stop` or `step` property, i.e.
 * looks like a {@link Slice}; missing parts count as omitted. The property values are not
 * checked here (`toSelection` checks them).
 *
 * @example
 * ```ts
 * isSlice(slice(3)); // true
 * isSlice(3);        // false
 * ```
 */
export function isSlice(value: unknown): value is Slice {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    ('start' in value || 'stop' in value || 'step' in value)
  );
}
