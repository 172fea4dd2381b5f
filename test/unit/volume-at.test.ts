import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DvidArgumentError, SelectionError } from '../../src/errors.js';
import { isSelectionKey, Volume } from '../../src/volume/index.js';

function sample(): Volume<'uint8'> {
  return Volume.from(new Uint8Array(24).map((_, i) => i), [2, 3, 4]);
}

describe('vol.at: bracket sugar', () => {
  it('reads a selection string as a view, like get()', () => {
    const vol = sample();
    const view = vol.at[':,1:3,::-1'];
    expect(view).toBeInstanceOf(Volume);
    expect(view.data).toBe(vol.data);
    expect(view.shape).toEqual([2, 2, 4]);
    expect(view.item(1, 0, 0)).toBe(vol.get(':,1:3,::-1').item(1, 0, 0));
  });

  it('reads numeric keys as integer selections', () => {
    const vol = sample();
    expect(vol.at[1].shape).toEqual([3, 4]);
    expect(vol.at[1].item(0, 0)).toBe(1);
    expect(vol.at[-1].item(0, 0)).toBe(1);
  });

  it('assigns through set()', () => {
    const vol = sample();
    vol.at['0,:,0'] = Volume.from(new Uint8Array([90, 91, 92]));
    expect([vol.item(0, 0, 0), vol.item(0, 1, 0), vol.item(0, 2, 0)]).toEqual([90, 91, 92]);
    (vol.at as unknown as Record<string, unknown>)['1'] = 7;
    expect(vol.get('1').copy().data.every((v) => v === 7)).toBe(true);
  });

  it('throws SelectionError for malformed selections', () => {
    const vol = sample();
    expect(() => vol.at['1:2:3:4']).toThrow(SelectionError);
    expect(() => vol.at['1.5']).toThrow(SelectionError);
    expect(() => vol.at['+3']).toThrow(SelectionError);
    expect(() => vol.at['5']).toThrow(/out of range/);
  });

  it('refuses to assign to keys that are not selections', () => {
    expect(() => {
      (sample().at as unknown as Record<string, unknown>).foo = 1;
    }).toThrow(DvidArgumentError);
  });

  it('is created once per volume', () => {
    const vol = sample();
    expect(vol.at).toBe(vol.at);
    expect(sample().at).not.toBe(vol.at);
  });

  it('exposes the volume it indexes', () => {
    const vol = sample();
    expect(vol.at.volume).toBe(vol);
  });
});

describe('vol.at: keys runtimes probe are not parsed', () => {
  const probes = ['then', 'toJSON', 'constructor', 'asymmetricMatch', '$$typeof', 'nodeType', '@@__IMMUTABLE_ITERABLE__@@', 'abc', '1e3'];

  it.each(probes)('%j is not a selection key', (key) => {
    expect(isSelectionKey(key)).toBe(false);
    expect(() => (sample().at as unknown as Record<string, unknown>)[key]).not.toThrow();
  });

  it('gives undefined for then, asymmetricMatch, $$typeof, nodeType and unknown names', () => {
    const at = sample().at as unknown as Record<string, unknown>;
    for (const key of ['then', 'asymmetricMatch', '$$typeof', 'nodeType', '@@__IMMUTABLE_ITERABLE__@@', 'abc', 'constructor']) {
      expect(at[key]).toBeUndefined();
    }
  });

  it('passes symbols through', () => {
    const at = sample().at as unknown as Record<symbol, unknown>;
    expect(at[Symbol.iterator]).toBeUndefined();
    expect(at[Symbol.toPrimitive]).toBeUndefined();
    expect(at[Symbol.toStringTag]).toBe('VolumeAt');
    expect(typeof at[Symbol.for('nodejs.util.inspect.custom')]).toBe('function');
    expect(Object.prototype.toString.call(at)).toBe('[object VolumeAt]');
  });

  it('can be awaited without turning into a thenable', async () => {
    const vol = sample();
    const awaited = await vol.at;
    expect(awaited).toBe(vol.at);
    expect(await Promise.resolve(vol.at)).toBe(vol.at);
  });

  it('JSON.stringify gives the volume summary', () => {
    expect(JSON.parse(JSON.stringify(sample().at))).toEqual({ dtype: 'uint8', shape: [2, 3, 4], axes: 'cxy' });
    expect(JSON.parse(JSON.stringify({ view: sample().at }))).toEqual({
      view: { dtype: 'uint8', shape: [2, 3, 4], axes: 'cxy' },
    });
  });

  it('util.inspect and String() print a summary', () => {
    expect(inspect(sample().at)).toBe('VolumeAt(Volume<uint8>(cxy [2, 3, 4]))');
    expect(inspect({ a: sample().at })).toContain('VolumeAt(Volume<uint8>(cxy [2, 3, 4]))');
    expect(String(sample().at)).toBe('VolumeAt(Volume<uint8>(cxy [2, 3, 4]))');
  });

  it('works with expect matchers', () => {
    const vol = sample();
    expect(vol.at).toBeDefined();
    expect(vol.at).toBeTruthy();
    expect(vol.at[':,0']).toEqual(vol.get(':,0'));
    expect(vol.at).toEqual(vol.at);
    expect(sample().at).toEqual(sample().at); // equal volumes, distinct objects
    const other = Volume.zeros([2, 3, 4], 'uint8');
    // A mismatch is reported as an assertion failure, not a SelectionError from a probed key.
    let failure: unknown;
    try {
      expect(vol.at).toEqual(other.at);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(SelectionError);
    expect((failure as Error).message).toMatch(/expected/i);
  });

  it('spreading and key listing show only the volume', () => {
    const vol = sample();
    expect(Object.keys(vol.at)).toEqual(['volume']);
    expect({ ...vol.at }).toEqual({ volume: vol });
  });
});
