/**
 * Selections: the slice-string syntax, its object form, and the two resolvers (numpy rules
 * for in-memory volumes, DVID coordinate rules for remote ones). Pure: no I/O.
 *
 * @example
 * ```ts
 * import { parseSelection, resolveSelection } from './selection/index.js';
 * resolveSelection(parseSelection('...,::-1'), [2, 3]);
 * ```
 * @module
 */
export { ELLIPSIS, isSlice, slice, type Selection, type SelectionItem, type Slice } from './slice.js';
export { formatItem, formatSelection, formatSlice } from './format.js';
export { parseSelection, SELECTION_CACHE_SIZE, toSelection } from './parse.js';
export { expandSelection, type AxisItem } from './expand.js';
export {
  resolveSelection,
  resolveSlice,
  type ResolvedAxis,
  type ResolvedIndex,
  type ResolvedSelection,
  type ResolvedSlice,
  type ResolveOptions,
} from './resolve.js';
export {
  assertWritableSelection,
  dvidResultShape,
  resolveDvidSelection,
  type DvidExtents,
  type DvidResolvedSelection,
} from './dvid.js';
