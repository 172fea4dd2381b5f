/**
 * Bracket sugar for volumes: `vol.at[':,10:110']` is `vol.get(':,10:110')` and
 * `vol.at[':,10:110'] = other` is `vol.set(':,10:110', other)`.
 *
 * A property key is read as a selection only when it consists of digits, spaces and the
 * characters `- + : , .` (numeric keys such as `vol.at[5]` arrive as `'5'` and qualify).
 * Every other key, and every symbol, is an ordinary property lookup on a small target object,
 * so the probes runtimes make — `then` (for `await`), `toJSON`, `constructor`,
 * `asymmetricMatch`, `$$typeof`, `nodeType`, `Symbol.iterator`, `util.inspect.custom`, … —
 * get `undefined` or a harmless summary instead of a parse error. The target has one
 * enumerable property, `volume`, so equality matchers compare the underlying volumes.
 *
 * @example
 * ```ts
 * const vol = Volume.zeros([1, 4, 4], 'uint8');
 * vol.at['0,1:3,1:3'] = Volume.ones([2, 2], 'uint8');
 * vol.at[':,0'].shape; // [1, 4]
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';
import type { DType } from './dtype.js';
import type { Volume } from './volume.js';

/**
 * The bracket view of a volume: any selection string is a key. Reading gives a view,
 * assigning writes through `Volume.set` (at runtime a TypedArray or a scalar may be assigned
 * too; TypeScript's index signatures only let the type say `Volume<D>`).
 *
 * @example
 * ```ts
 * const row: Volume<'uint8'> = vol.at['0,:,2'];
 * ```
 */
export interface VolumeAt<D extends DType> {
  /** The volume this view indexes. */
  readonly volume: Volume<D>;
  [selection: string]: Volume<D>;
}

const SELECTION_KEY = /^[-+0-9:,.\s]*$/;
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * True when a property key is treated as a selection by {@link createVolumeAt}.
 *
 * @example
 * ```ts
 * isSelectionKey(':,1:3'); // true
 * isSelectionKey('then');  // false
 * ```
 */
export function isSelectionKey(key: string | symbol): key is string {
  return typeof key === 'string' && SELECTION_KEY.test(key);
}

/**
 * Makes the bracket view of `volume`. `Volume.at` calls this once per volume and caches it.
 *
 * @example
 * ```ts
 * const at = createVolumeAt(vol);
 * at['1:3'].shape; // [2, ...]
 * ```
 */
export function createVolumeAt<D extends DType>(volume: Volume<D>): VolumeAt<D> {
  const target = Object.create(null) as Record<string | symbol, unknown>;
  Object.defineProperty(target, 'volume', { value: volume, enumerable: true });
  Object.defineProperty(target, 'toJSON', { value: () => volume.toJSON() });
  Object.defineProperty(target, INSPECT, { value: () => `VolumeAt(${volume.toString()})` });
  Object.defineProperty(target, Symbol.toStringTag, { value: 'VolumeAt' });
  Object.defineProperty(target, 'toString', { value: () => `VolumeAt(${volume.toString()})` });
  Object.freeze(target);
  return new Proxy(target, {
    get(t, key) {
      return isSelectionKey(key) ? volume.get(key) : Reflect.get(t, key);
    },
    set(_t, key, value) {
      if (!isSelectionKey(key)) {
        throw new DvidArgumentError('selection', `${String(key)} is not a selection; assign to vol.at['<selection>']`);
      }
      volume.set(key, value as Volume<D>);
      return true;
    },
  }) as unknown as VolumeAt<D>;
}
