/**
 * The DVID-mode resolver, used for remote volumes. Numbers are absolute DVID coordinates:
 * a negative number is a signed coordinate, not a count from the end, and nothing is
 * clamped, so a coordinate bug is never hidden. The result is the bounding box to request,
 * plus the step and the dropped axes to apply to the fetched block.
 *
 * Rules, per axis (the channel axis is axis 0 and follows the same rules):
 * - omitted start → `minIndex[axis]`; omitted stop → `stop[axis]` (the exclusive stop
 *   coordinate, pydvid's `shape`);
 * - an integer `i` → the box `[i, i + 1)`, and the axis is dropped from the result;
 * - a positive step is allowed: the box is fetched and the caller takes a strided view; the
 *   box's stop is tightened to one past the last selected coordinate;
 * - a negative step, an empty range (`start >= stop`), or more items than axes are errors.
 *
 * @example
 * ```ts
 * resolveDvidSelection(':,10:20,::2,5', { minIndex: [0, 0, 0, 0], stop: [1, 64, 64, 64] });
 * // { start: [0, 10, 0, 5], stop: [1, 20, 63, 6], step: [1, 1, 2, 1], drop: [false, false, false, true] }
 * ```
 * @module
 */
import { DvidArgumentError, SelectionError } from '../errors.js';
import { expandSelection } from './expand.js';
import { formatSelection } from './format.js';
import { toSelection } from './parse.js';
import type { Selection, SelectionItem } from './slice.js';

/** Where a remote volume's stored voxels lie, channel axis included at index 0. */
export interface DvidExtents {
  /** First coordinate per axis (0 for the channel axis). */
  readonly minIndex: readonly number[];
  /** Exclusive stop coordinate per axis (the channel count for the channel axis). */
  readonly stop: readonly number[];
}

/** The box to request from DVID and how to cut the result, one entry per axis. */
export interface DvidResolvedSelection {
  /** First coordinate of the box (inclusive). */
  readonly start: readonly number[];
  /** Stop coordinate of the box (exclusive); always greater than `start`. */
  readonly stop: readonly number[];
  /** Step to take through the fetched box; always positive. */
  readonly step: readonly number[];
  /** True where an integer selected the axis, which is then dropped from the result. */
  readonly drop: readonly boolean[];
}

function axisError(text: string, itemIndex: number, axis: number, problem: string): SelectionError {
  const where = itemIndex >= 0 ? `item ${itemIndex}` : `axis ${axis}`;
  return new SelectionError(`Invalid selection '${text}': ${where} ${problem}`, {
    selection: text,
    ...(itemIndex >= 0 ? { item: itemIndex } : {}),
  });
}

/**
 * Resolves a selection against a remote volume's extents with DVID's rules (see the module
 * documentation). Accepts every form `toSelection` does.
 *
 * @throws SelectionError for a negative step (reverse the result locally instead), an empty
 * range, an omitted bound on an axis whose extent is unknown, or too many items.
 * @throws DvidArgumentError when `minIndex` and `stop` differ in length.
 * @example
 * ```ts
 * const extents = { minIndex: [0, -10, 0], stop: [1, 10, 5] };
 * resolveDvidSelection('...,-3', extents).start; // [0, -10, -3]: -3 is a coordinate
 * resolveDvidSelection('::-1', extents);         // throws SelectionError
 * ```
 */
export function resolveDvidSelection(
  selection: string | SelectionItem | Selection,
  extents: DvidExtents,
): DvidResolvedSelection {
  const { minIndex, stop: stopIndex } = extents;
  if (minIndex.length !== stopIndex.length) {
    throw new DvidArgumentError(
      'extents',
      `minIndex has ${minIndex.length} axes but stop has ${stopIndex.length}; both include the channel axis`,
    );
  }
  const sel = toSelection(selection);
  const text = formatSelection(sel);
  const result = { start: [] as number[], stop: [] as number[], step: [] as number[], drop: [] as boolean[] };
  expandSelection(sel, minIndex.length).forEach(({ item, itemIndex }, axis) => {
    const bound = (given: number | null, fallback: number, which: string): number => {
      if (given !== null) return given;
      if (Number.isFinite(fallback)) return fallback;
      throw axisError(text, itemIndex, axis, `omits the ${which} of axis ${axis}, whose extent is unknown; give it explicitly`);
    };
    if (typeof item === 'number') {
      result.start.push(item);
      result.stop.push(item + 1);
      result.step.push(1);
      result.drop.push(true);
      return;
    }
    const step = item?.step ?? 1;
    if (step < 0) {
      throw axisError(
        text,
        itemIndex,
        axis,
        `has step ${step}; DVID returns ascending boxes only, so select with a positive step and ` +
          `reverse the result locally (e.g. result.get('...,::-1'))`,
      );
    }
    const start = bound(item?.start ?? null, minIndex[axis], 'start');
    const stop = bound(item?.stop ?? null, stopIndex[axis], 'stop');
    if (start >= stop) {
      const negative = start < 0 || stop < 0 ? '; negative numbers are DVID coordinates, not counted from the end' : '';
      throw axisError(text, itemIndex, axis, `selects nothing on axis ${axis}: start ${start} is not below stop ${stop}${negative}`);
    }
    const count = Math.ceil((stop - start) / step);
    result.start.push(start);
    result.stop.push(start + (count - 1) * step + 1);
    result.step.push(step);
    result.drop.push(false);
  });
  return result;
}

/**
 * The shape of the result of a resolved DVID selection, after the step is taken and the
 * integer-selected axes are dropped.
 *
 * @example
 * ```ts
 * dvidResultShape({ start: [0, 0, 4], stop: [1, 9, 5], step: [1, 2, 1], drop: [false, false, true] }); // [1, 5]
 * ```
 */
export function dvidResultShape(resolved: DvidResolvedSelection): number[] {
  const shape: number[] = [];
  for (let axis = 0; axis < resolved.start.length; axis++) {
    if (!resolved.drop[axis]) {
      shape.push(Math.ceil((resolved.stop[axis] - resolved.start[axis]) / resolved.step[axis]));
    }
  }
  return shape;
}

function describeResolved(resolved: DvidResolvedSelection): string {
  return resolved.start
    .map((start, axis) => {
      if (resolved.drop[axis]) return String(start);
      const step = resolved.step[axis];
      return `${start}:${resolved.stop[axis]}${step === 1 ? '' : `:${step}`}`;
    })
    .join(',');
}

/**
 * Checks that a resolved DVID selection can be written: every step must be 1 (DVID has no
 * strided writes), and the channel axis (axis 0) must cover every channel `[0, channels)`.
 * An integer channel index is allowed only for single-channel data (`0` with `channels === 1`).
 *
 * @throws SelectionError describing the first problem.
 * @example
 * ```ts
 * const extents = { minIndex: [0, 0], stop: [1, 100] };
 * assertWritableSelection(resolveDvidSelection('0,10:20', extents), 1); // ok
 * assertWritableSelection(resolveDvidSelection(':,::2', extents), 1);   // throws: steps cannot be used
 * ```
 */
export function assertWritableSelection(resolved: DvidResolvedSelection, channels: number): void {
  const text = describeResolved(resolved);
  const stepped = resolved.step.findIndex((s) => s !== 1);
  if (stepped >= 0) {
    throw new SelectionError(
      `Invalid selection '${text}' for a write: steps cannot be used when writing to DVID ` +
        `(axis ${stepped} has step ${resolved.step[stepped]})`,
      { selection: text },
    );
  }
  const start = resolved.start[0];
  const stop = resolved.stop[0];
  const allChannels = start === 0 && stop === channels && (!resolved.drop[0] || channels === 1);
  if (!allChannels) {
    const picked = resolved.drop[0] ? `index ${start}` : `[${start}, ${stop})`;
    throw new SelectionError(
      `Invalid selection '${text}' for a write: a write to DVID must include every channel, but the ` +
        `channel axis selects ${picked} of ${channels} channel${channels === 1 ? '' : 's'} ` +
        `(write 0:${channels} or leave the channel item as ':')`,
      { selection: text },
    );
  }
}
