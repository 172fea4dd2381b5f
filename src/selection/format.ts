/**
 * Writes selections back in the string syntax, for messages and logs.
 *
 * @example
 * ```ts
 * formatSelection([null, slice(10, 110), 5]); // ':,10:110,5'
 * ```
 * @module
 */
import { isSlice, type Selection, type SelectionItem, type Slice } from './slice.js';

/**
 * Writes one slice as `start:stop` or `start:stop:step`, leaving omitted parts empty.
 *
 * @example
 * ```ts
 * formatSlice(slice(null, null, -1)); // '::-1'
 * formatSlice(slice(2, 8));           // '2:8'
 * ```
 */
export function formatSlice(s: Slice): string {
  const part = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
  const head = `${part(s.start)}:${part(s.stop)}`;
  return s.step === null || s.step === undefined ? head : `${head}:${part(s.step)}`;
}

/**
 * Writes one selection item: an integer as itself, `null` as `:`, a slice with
 * {@link formatSlice}. Anything else is described with `String()` (for error messages about
 * invalid items).
 *
 * @example
 * ```ts
 * formatItem(null); // ':'
 * ```
 */
export function formatItem(item: SelectionItem | unknown): string {
  if (item === null) return ':';
  if (isSlice(item)) return formatSlice(item);
  if (typeof item === 'string') return item;
  return String(item);
}

/**
 * Writes a selection in the string syntax. `parseSelection(formatSelection(sel))` selects
 * the same thing as `sel` (a `null` comes back as the slice `:`).
 *
 * @example
 * ```ts
 * formatSelection(['...', slice(null, null, 2)]); // '...,::2'
 * formatSelection([]);                           // ''
 * ```
 */
export function formatSelection(selection: Selection | readonly unknown[]): string {
  return selection.map(formatItem).join(',');
}
