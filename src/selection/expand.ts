/**
 * Lines a selection up with the axes of a volume: expands `'...'` into whole-axis items and
 * pads missing trailing axes, so each resolver sees exactly one item per axis. Shared by the
 * numpy resolver and the DVID resolver.
 *
 * @example
 * ```ts
 * expandSelection(['...', 5], 3).map((a) => a.item); // [null, null, 5]
 * ```
 * @module
 */
import { SelectionError } from '../errors.js';
import { formatSelection } from './format.js';
import { ELLIPSIS, type Selection, type Slice } from './slice.js';

/**
 * The item that applies to one axis, and where it came from in the selection (`itemIndex` is
 * -1 for an axis filled in by `'...'` or by padding).
 */
export interface AxisItem {
  readonly item: number | Slice | null;
  readonly itemIndex: number;
}

/**
 * Returns one {@link AxisItem} per axis of an `ndim`-dimensional volume.
 *
 * @throws SelectionError when the selection has more items (other than `'...'`) than the
 * volume has axes; `item` is the index of the first item too many.
 * @example
 * ```ts
 * expandSelection([1], 2); // [{ item: 1, itemIndex: 0 }, { item: null, itemIndex: -1 }]
 * ```
 */
export function expandSelection(selection: Selection, ndim: number): AxisItem[] {
  const ellipsisAt = selection.indexOf(ELLIPSIS);
  const explicit = ellipsisAt < 0 ? selection.length : selection.length - 1;
  if (explicit > ndim) {
    let seen = 0;
    let culprit = 0;
    for (let i = 0; i < selection.length; i++) {
      if (selection[i] === ELLIPSIS) continue;
      if (seen++ === ndim) {
        culprit = i;
        break;
      }
    }
    const text = formatSelection(selection);
    throw new SelectionError(
      `Invalid selection '${text}': it has ${explicit} items but the volume has only ${ndim} axes ` +
        `(item ${culprit} is the first one too many)`,
      { selection: text, item: culprit },
    );
  }
  const axes: AxisItem[] = [];
  const fill = (n: number): void => {
    for (let k = 0; k < n; k++) axes.push({ item: null, itemIndex: -1 });
  };
  for (let i = 0; i < selection.length; i++) {
    const item = selection[i];
    if (item === ELLIPSIS) fill(ndim - explicit);
    else axes.push({ item, itemIndex: i });
  }
  fill(ndim - axes.length);
  return axes;
}
