import { describe, expect, it } from 'vitest';
import { createMockDvid } from '../../mocks/index.js';
import {
  DvidArgumentError,
  DvidClient,
  DvidTimeoutError,
  checkElements,
  groupElementsByBlock,
  normalizeElement,
  parseElements,
  pollUntil,
  setInstanceSync,
  setInstanceTags,
  sortElements,
} from '../../src/index.js';

describe('annotation elements', () => {
  it('checks and normalises elements', () => {
    expect(checkElements([{ Pos: [1, 2, 3], Kind: 'Note' }])).toEqual([{ Pos: [1, 2, 3], Kind: 'Note', Tags: [], Prop: {}, Rels: [] }]);
    expect(() => checkElements([{ Pos: [1, 2, 3], Kind: 'Note', Tags: ['a', 1 as unknown as string] }])).toThrow(/Tags/);
    expect(() => checkElements([{ Pos: [1, 2, 3], Kind: 'Note', Rels: [{ Rel: 'PreSynTo', To: [1, 2] }] }])).toThrow(/Rels\[0\]\.To/);
    expect(normalizeElement({ Pos: [1, 2, 3], Kind: 'Note', Tags: null, Prop: null })).toEqual({ Pos: [1, 2, 3], Kind: 'Note', Tags: [], Prop: {} });
    expect(normalizeElement({ Pos: [1, 2, 3], Kind: 'Note', Tags: [], Prop: {}, Rels: null }).Rels).toEqual([]);
    expect(parseElements('null')).toEqual([]);
    expect(() => parseElements('{"a":1}')).toThrow(/array of elements/);
  });

  it('groups elements by block with floor division and sorts by z, y, x', () => {
    const groups = groupElementsByBlock(
      [
        { Pos: [-1, 0, 0], Kind: 'Note' },
        { Pos: [63, 64, 0], Kind: 'Note' },
        { Pos: [0, 0, 0], Kind: 'Note' },
      ],
      [64, 64, 64],
    );
    expect(Object.keys(groups).sort()).toEqual(['-1,0,0', '0,0,0', '0,1,0']);
    const sorted = sortElements([{ Pos: [5, 0, 1] }, { Pos: [9, 9, 0] }, { Pos: [1, 0, 1] }]);
    expect(sorted.map((e) => e.Pos)).toEqual([
      [9, 9, 0],
      [1, 0, 1],
      [5, 0, 1],
    ]);
  });

  it('fills in verbose relationships itself where the server ignores relationships=verbose', async () => {
    const mock = createMockDvid();
    const client = new DvidClient('http://mock.dvid', { fetch: mock.fetch });
    const uuid = await client.createRepo();
    const syn = await client.createAnnotation(uuid, 'syn');
    await syn.post([
      { Pos: [1, 1, 1], Kind: 'PreSyn', Tags: ['t'], Rels: [{ Rel: 'PreSynTo', To: [2, 2, 2] }, { Rel: 'PreSynTo', To: [9, 9, 9] }] },
      { Pos: [2, 2, 2], Kind: 'PostSyn', Prop: { c: '1' }, Rels: [{ Rel: 'PostSynTo', To: [1, 1, 1] }] },
    ]);
    const [e] = await syn.byTag('t', { relationships: 'verbose' });
    expect(e.Rels).toEqual([
      { Rel: 'PreSynTo', To: [2, 2, 2], Kind: 'PostSyn', Prop: { c: '1' } },
      { Rel: 'PreSynTo', To: [9, 9, 9] },
    ]);
  });
});

describe('instance tags, syncs and polling', () => {
  const never: DvidClient = new DvidClient('http://dvid.test', { fetch: () => Promise.reject(new Error('no request expected')) });
  const ctx = { transport: never.transport, uuid: 'abc', name: 'x' };

  it('checks tags and sync names before any request', async () => {
    await expect(setInstanceTags(ctx, { a: 1 as unknown as string })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(setInstanceSync(ctx, ['a,b'])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(setInstanceSync(ctx, [])).rejects.toThrow(/replace: true/);
  });

  it('polls until accepted, times out with what was awaited, and stops on abort', async () => {
    let n = 0;
    expect(await pollUntil(async () => ++n, (v) => v === 3, { what: 'three', interval: 1 })).toBe(3);
    const timeout = await pollUntil(async () => 0, () => false, { what: 'never', timeout: 30, interval: 10 }).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(DvidTimeoutError);
    expect((timeout as Error).message).toContain('wait for never (last seen: 0)');
    const controller = new AbortController();
    const aborted = pollUntil(async () => 0, () => false, { what: 'x', timeout: 10_000, interval: 1000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(aborted).rejects.toThrow('stop');
  });
});
