/**
 * The selection string parser and the normaliser for every accepted selection form. The
 * grammar is written down in `docs/selection-grammar.md`; in short, a selection is items
 * separated by commas, each item an integer (`-1`), a slice (`start:stop:step`, parts
 * optional) or `...`, with spaces allowed around every part. The empty string selects
 * everything.
 *
 * Parsing checks syntax only (and rejects step 0); whether the items fit a volume is decided
 * by a resolver (`resolveSelection` or `resolveDvidSelection`).
 *
 * @example
 * ```ts
 * parseSelection(':,10:110,20:120'); // [slice(null,null), slice(10,110), slice(20,120)]
 * toSelection(5);                    // [5]
 * ```
 * @module
 */
import { SelectionError } from '../errors.js';
import { formatItem, formatSelection } from './format.js';
import { ELLIPSIS, isSlice, type Selection, type SelectionItem, type Slice } from './slice.js';

/** Most distinct selection strings whose parse results are kept. */
export const SELECTION_CACHE_SIZE = 512;

const cache = new Map<string, Selection>();

const INTEGER = /^-?[0-9]+$/;

function quote(text: string): string {
  return `'${text}'`;
}

function itemError(text: string, index: number, itemText: string, problem: string): SelectionError {
  return new SelectionError(`Invalid selection ${quote(text)}: item ${index} (${quote(itemText)}) ${problem}`, {
    selection: text,
    item: index,
  });
}

function parseInteger(part: string, text: string, index: number, itemText: string): number {
  if (!INTEGER.test(part)) {
    throw itemError(text, index, itemText, `contains ${quote(part)}, which is not a decimal integer`);
  }
  const value = Number(part);
  if (!Number.isSafeInteger(value)) {
    throw itemError(text, index, itemText, `contains ${part}, which is beyond the safe integer range`);
  }
  return value === 0 ? 0 : value; // turns -0 into 0
}

function parseItem(raw: string, text: string, index: number): SelectionItem {
  const itemText = raw.trim();
  if (itemText === '') throw itemError(text, index, itemText, 'is empty; write : for a whole axis');
  if (itemText === ELLIPSIS) return ELLIPSIS;
  const parts = itemText.split(':');
  if (parts.length === 1) return parseInteger(itemText, text, index, itemText);
  if (parts.length > 3) {
    throw itemError(text, index, itemText, 'has more than two colons; a slice is start:stop:step');
  }
  const [start, stop, step] = parts.map((p) => {
    const trimmed = p.trim();
    return trimmed === '' ? null : parseInteger(trimmed, text, index, itemText);
  });
  if (step === 0) throw itemError(text, index, itemText, 'has step 0; a step must be a nonzero integer');
  return Object.freeze({ start, stop, step: step ?? null });
}

/**
 * Parses a selection string into its object form. Results are cached by text and frozen, so
 * parsing the same string again is a map lookup.
 *
 * - `''` (or only spaces) is the empty selection and selects everything, like numpy's `a[()]`.
 * - A trailing or doubled comma is an error (`'1,'`, `'1,,2'`): write `:` for a whole axis.
 * - Integers are decimal with an optional `-`; `+3`, `1.5`, `1e3` and `0x10` are errors.
 * - An item with a colon is always a slice (`':'` parses to `slice(null, null)`).
 *
 * @throws SelectionError naming the offending item's index and text.
 * @example
 * ```ts
 * parseSelection('...,5');  // ['...', 5]
 * parseSelection('::-2');   // [{ start: null, stop: null, step: -2 }]
 * parseSelection(' 1 : 3 '); // [{ start: 1, stop: 3, step: null }]
 * parseSelection('1:2:3:4'); // throws SelectionError (item 0)
 * ```
 */
export function parseSelection(text: string): Selection {
  const cached = cache.get(text);
  if (cached !== undefined) {
    cache.delete(text); // re-insert: the map's order is least recently used first
    cache.set(text, cached);
    return cached;
  }
  const result = parseUncached(text);
  if (cache.size >= SELECTION_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(text, result);
  return result;
}

function parseUncached(text: string): Selection {
  if (typeof text !== 'string') {
    throw new SelectionError(`A selection string was expected, got ${typeof text}`, { selection: String(text) });
  }
  if (text.trim() === '') return Object.freeze([]);
  const items = text.split(',').map((raw, index) => parseItem(raw, text, index));
  checkSingleEllipsis(items, () => text);
  return Object.freeze(items);
}

function checkSingleEllipsis(items: readonly SelectionItem[], describe: () => string): void {
  const first = items.indexOf(ELLIPSIS);
  const second = first < 0 ? -1 : items.indexOf(ELLIPSIS, first + 1);
  if (second >= 0) {
    const text = describe();
    throw new SelectionError(
      `Invalid selection ${quote(text)}: item ${second} is a second '...'; at most one is allowed`,
      { selection: text, item: second },
    );
  }
}

function normalizePart(value: unknown, name: string, index: number, describe: () => string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value === 0 ? 0 : value;
  const text = describe();
  throw new SelectionError(
    `Invalid selection ${quote(text)}: item ${index} has ${name} ${String(value)}, which is not a safe integer`,
    { selection: text, item: index },
  );
}

function normalizeItem(item: unknown, index: number, describe: () => string): SelectionItem {
  if (item === null || item === ELLIPSIS) return item;
  if (typeof item === 'number') {
    if (Number.isSafeInteger(item)) return item === 0 ? 0 : item;
    const text = describe();
    throw new SelectionError(`Invalid selection ${quote(text)}: item ${index} (${item}) is not a safe integer`, {
      selection: text,
      item: index,
    });
  }
  if (isSlice(item)) {
    const s = item as Partial<Slice>;
    const start = normalizePart(s.start, 'start', index, describe);
    const stop = normalizePart(s.stop, 'stop', index, describe);
    const step = normalizePart(s.step, 'step', index, describe);
    if (step === 0) {
      const text = describe();
      throw new SelectionError(`Invalid selection ${quote(text)}: item ${index} has step 0; a step must be nonzero`, {
        selection: text,
        item: index,
      });
    }
    return Object.freeze({ start, stop, step });
  }
  const text = describe();
  const hint = typeof item === 'string' ? '; pass the whole selection as one string, or use slice()' : '';
  throw new SelectionError(
    `Invalid selection ${quote(text)}: item ${index} (${formatItem(item)}) is not an integer, slice, null or '...'${hint}`,
    { selection: text, item: index },
  );
}

/**
 * Normalises any accepted selection form to a frozen {@link Selection}: a string is parsed,
 * an array is checked item by item, and a single item becomes a one-item selection. Slice
 * objects come back with all three parts present (`null` where omitted).
 *
 * @throws SelectionError for a non-integer number, a step of 0, a repeated `'...'` or an
 * item of another type, naming the item's index.
 * @example
 * ```ts
 * toSelection('1:3');                 // [{ start: 1, stop: 3, step: null }]
 * toSelection([null, { stop: 4 }]);    // [null, { start: null, stop: 4, step: null }]
 * toSelection(slice(null, null, -1)); // [{ start: null, stop: null, step: -1 }]
 * ```
 */
export function toSelection(input: string | SelectionItem | Selection): Selection {
  if (typeof input === 'string' && input !== ELLIPSIS) return parseSelection(input);
  const items: readonly unknown[] = Array.isArray(input) ? input : [input];
  const describe = (): string => {
    try {
      return formatSelection(items);
    } catch {
      return '<unprintable selection>';
    }
  };
  const result = items.map((item, index) => normalizeItem(item, index, describe));
  checkSingleEllipsis(result, describe);
  return Object.freeze(result);
}
