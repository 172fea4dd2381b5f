/**
 * The mock's versioning primitives: VersionedStore's DAG resolution (DVID's findMatch), its
 * conflict search for /resolve, the DAG operations of MockDvidState, and the HTTP endpoints
 * with DVID v1.0.0's texts.
 */
import { describe, expect, it } from 'vitest';
import { createMockDvid } from '../../mocks/index.js';
import { VersionConflictError, VersionedStore, type VersionNode } from '../../mocks/versioned.js';

function node(versionId: number, ...parentNodes: VersionNode[]): VersionNode {
  return { versionId, parentNodes };
}

describe('VersionedStore', () => {
  const root = node(1);
  const a = node(2, root);
  const b = node(3, root);
  const merged = node(4, a, b);

  it('reads the nearest ancestor and keeps versions apart', () => {
    const store = new VersionedStore<string>();
    store.put(root, 'k', 'root');
    store.put(a, 'k', 'a');
    expect(store.get(root, 'k')).toBe('root');
    expect(store.get(a, 'k')).toBe('a');
    expect(store.get(b, 'k')).toBe('root');
    expect(store.getWithVersion(b, 'k')).toEqual({ value: 'root', versionId: 1 });
    expect(store.get(root, 'other')).toBeUndefined();
  });

  it('tombstones hide inherited values in the node and its descendants only', () => {
    const store = new VersionedStore<string>();
    store.put(root, 'k', 'root');
    store.delete(a, 'k');
    expect(store.has(a, 'k')).toBe(false);
    expect(store.has(root, 'k')).toBe(true);
    expect(store.keys(node(9, a))).toEqual([]);
    store.put(a, 'k', 'again');
    expect(store.get(a, 'k')).toBe('again');
  });

  it('a merge sees a change made on one side, a delete on one side, and fails on two changes', () => {
    const store = new VersionedStore<string>();
    store.put(root, 'one-side', 'old');
    store.put(b, 'one-side', 'new');
    store.put(root, 'deleted', 'old');
    store.delete(a, 'deleted');
    store.put(a, 'only-a', 'a');
    store.put(a, 'both', 'a');
    store.put(b, 'both', 'b');
    expect(store.get(merged, 'one-side')).toBe('new');
    expect(store.get(node(5, b, a), 'one-side')).toBe('new');
    expect(store.get(merged, 'deleted')).toBeUndefined();
    expect(store.get(merged, 'only-a')).toBe('a');
    expect(() => store.get(merged, 'both')).toThrow(VersionConflictError);
    expect(() => store.get(merged, 'both')).toThrow('found multiple kv for key "both" among parents: versions map[2:{} 3:{}]');
    store.put(merged, 'both', 'fixed');
    expect(store.get(merged, 'both')).toBe('fixed');
  });

  it('keys and entries follow UTF-8 byte order and inclusive ranges', () => {
    const store = new VersionedStore<number>();
    for (const [i, key] of ['b', 'a', 'é', 'c', 'Z'].entries()) store.put(root, key, i);
    expect(store.keys(root)).toEqual(['Z', 'a', 'b', 'c', 'é']);
    expect(store.keys(root, { from: 'a', to: 'b' })).toEqual(['a', 'b']);
    expect(store.entries(a, { from: 'c' })).toEqual([['c', 3], ['é', 2]]);
  });

  it('findConflicts lists what lower-priority parents must delete', () => {
    const store = new VersionedStore<string>();
    store.put(root, 'base', 'x');
    store.put(a, 'both', 'a');
    store.put(b, 'both', 'b');
    store.put(b, 'only-b', 'b');
    expect(store.findConflicts([a, b])).toEqual(new Map([[1, ['both']]]));
    expect(store.findConflicts([b, a])).toEqual(new Map([[1, ['both']]]));
  });

  it('registers with its owner for /resolve', async () => {
    const { storesOf } = await import('../../mocks/versioned.js');
    const owner = {};
    const store = new VersionedStore(owner);
    expect(storesOf(owner)).toEqual([store]);
    expect(storesOf({})).toEqual([]);
  });
});

describe('MockDvidState DAG', () => {
  it('commit, newVersion, branch heads, branch ancestry, tags, merge', () => {
    const { state } = createMockDvid();
    const repo = state.createRepo({ alias: 'dag' });
    const root = repo.root;
    expect(() => state.newVersion(root)).toThrow("can't branch an unlocked node");
    state.commit(root, { note: 'first', log: ['line'] });
    expect(() => state.commit(root)).toThrow(`node ${root} already committed`);
    const master1 = state.newVersion(root, { note: 'next' });
    expect(master1.branch).toBe('');
    expect(() => state.newVersion(root)).toThrow('branch already exists with given name');
    const dev = state.newVersion(root, { branch: 'dev' });
    expect(() => state.newVersion(root, { branch: 'dev' })).toThrow('branch already exists with given name');
    expect(state.resolveUuid(`${root}:dev`).uuid).toBe(dev.uuid);
    expect(state.resolveUuid(`${root}:master`).uuid).toBe(master1.uuid);
    expect(state.branchAncestry(repo, 'dev')).toEqual([dev.uuid, root]);
    expect(state.resolveUuid(`${root}:dev~1`).uuid).toBe(root);
    state.commit(master1.uuid);
    state.commit(dev.uuid);
    const tag = state.tag(master1.uuid, `t-${root}`);
    expect(tag.locked).toBe(true);
    expect(tag.branch).toBe(`tag-t-${root}`);
    expect(tag.note).toBe(`Tag of version ${master1.uuid} with "t-${root}"`);
    expect(state.resolveUuid(`t-${root}`).uuid).toBe(tag.uuid);
    const merged = state.merge([master1.uuid, dev.uuid], 'm');
    expect(merged.parents).toEqual([master1.versionId, dev.versionId]);
    expect(merged.branch).toBe('');
    expect(master1.children).toContain(merged.versionId);
    // Merges do not move DVID's branch head, but branch-versions walks down to them.
    expect(state.resolveUuid(`${root}:master`).uuid).toBe(master1.uuid);
    expect(state.branchAncestry(repo, 'master')).toEqual([merged.uuid, master1.uuid, dev.uuid, root]);
  });
});

describe('versioning over HTTP (DVID v1.0.0 texts)', () => {
  const mock = createMockDvid();
  const base = 'http://mock.dvid';
  const call = async (method: string, path: string, body?: string) => {
    const res = await mock.fetch(`${base}${path}`, { method, body });
    return { status: res.status, text: await res.text() };
  };
  const json = async (method: string, path: string, body?: string) => JSON.parse((await call(method, path, body)).text);

  it('commit, branch, newversion, tag, locked writes, merge and resolve', async () => {
    const root: string = (await json('POST', '/api/repos', '{"alias":"v"}')).root;
    expect((await call('POST', `/api/repo/${root}/instance`, '{"typename":"uint8blk","dataname":"g","BlockSize":"8,8,8"}')).status).toBe(200);
    expect(await call('POST', `/api/node/${root}/branch`, '{"branch":"x"}')).toEqual({
      status: 400,
      text: `can't branch an unlocked node (/api/node/${root}/branch).\n`,
    });
    expect(await call('POST', `/api/node/${root}/commit`, '{"note":"done","log":["a"]}')).toEqual({ status: 200, text: `{"committed": "${root}"}` });
    expect((await call('POST', `/api/node/${root}/commit`, '{}')).text).toBe(`Cannot do post on locked node ${root} (/api/node/${root}/commit).\n`);
    expect((await call('POST', `/api/node/${root}/note`, '{"note":"x"}')).text).toBe(`Cannot do post on locked node ${root} (/api/node/${root}/note).\n`);
    expect((await call('POST', `/api/repo/${root}/instance`, '{"typename":"uint8blk","dataname":"h"}')).text).toBe(
      `New data instance cannot be created on locked node ${root} (/api/repo/${root}/instance).\n`,
    );
    const raw = `/api/node/${root}/g/raw/0_1_2/8_8_8/0_0_0`;
    expect(await call('POST', raw, 'x'.repeat(512))).toEqual({
      status: 400,
      text: `Cannot do POST on endpoint "raw" of locked node ${root} (${raw}).\n`,
    });
    expect((await call('POST', `/api/node/${root}/branch`, '{"branch":"master"}')).text).toBe(`Cannot create a master branch (/api/node/${root}/branch).\n`);
    expect((await call('POST', `/api/node/${root}/branch`, '{"branch":"a","uuid":"xyz"}')).text).toBe(
      `Bad UUID provided: UUID must be 32 character hexidecimal string (/api/node/${root}/branch).\n`,
    );
    const a: string = (await json('POST', `/api/node/${root}/branch`, '{"branch":"a"}')).child;
    const b: string = (await json('POST', `/api/node/${root}/newversion`, '{"note":"b"}')).child;
    expect(await json('GET', `/api/repo/${root}/branch-versions/a`)).toEqual([a, root]);
    const block = (v: number) => new Uint8Array(512).fill(v);
    const write = (uuid: string, v: number) => mock.fetch(`${base}/api/node/${uuid}/g/raw/0_1_2/8_8_8/0_0_0`, { method: 'POST', body: block(v) });
    const read = async (uuid: string) => new Uint8Array(await (await mock.fetch(`${base}/api/node/${uuid}/g/raw/0_1_2/8_8_8/0_0_0`)).arrayBuffer())[0];
    expect((await write(a, 1)).status).toBe(200);
    expect((await write(b, 2)).status).toBe(200);
    expect([await read(root), await read(a), await read(b)]).toEqual([0, 1, 2]);
    const mergeBody = JSON.stringify({ mergeType: 'conflict-free', parents: [a, b] });
    expect((await call('POST', `/api/repo/${root}/merge`, mergeBody)).text).toBe(`can't branch an unlocked node (/api/repo/${root}/merge).\n`);
    await call('POST', `/api/node/${a}/commit`, '{}');
    await call('POST', `/api/node/${b}/commit`, '{}');
    const conflicted: string = (await json('POST', `/api/repo/${root}/merge`, mergeBody)).child;
    const failed = await call('GET', `/api/node/${conflicted}/g/raw/0_1_2/8_8_8/0_0_0`);
    expect(failed.status).toBe(400);
    expect(failed.text).toContain('found multiple kv for key');
    const resolved: string = (await json('POST', `/api/repo/${root}/resolve`, JSON.stringify({ data: ['g'], parents: [b, a], note: 'b wins' }))).child;
    expect(await read(resolved)).toBe(2);
    expect(await read(a)).toBe(1);
    const tag = await call('POST', `/api/node/${a}/tag`, `{"tag":"tag-${root}"}`);
    expect(tag).toEqual({ status: 200, text: `{"child": "tag-${root}"}` });
    expect(await read(`tag-${root}`)).toBe(1);
    expect(await call('GET', `/api/node/tag-${root}/status`)).toEqual({ status: 200, text: '{"Locked":true}' });
  });

  it('unversioned instances read and write at the root from any version', async () => {
    const root: string = (await json('POST', '/api/repos', '{}')).root;
    await call('POST', `/api/repo/${root}/instance`, '{"typename":"uint8blk","dataname":"u","BlockSize":"8,8,8","versioned":"false"}');
    await call('POST', `/api/node/${root}/commit`, '{}');
    const child: string = (await json('POST', `/api/node/${root}/newversion`, '{}')).child;
    await call('POST', `/api/node/${child}/commit`, '{}');
    const res = await mock.fetch(`${base}/api/node/${child}/u/raw/0_1_2/8_8_8/0_0_0`, { method: 'POST', body: new Uint8Array(512).fill(9) });
    expect(res.status).toBe(200);
    const back = new Uint8Array(await (await mock.fetch(`${base}/api/node/${root}/u/raw/0_1_2/1_1_1/0_0_0`)).arrayBuffer());
    expect(back[0]).toBe(9);
  });

  it('malformed bodies get Go messages', async () => {
    const root: string = (await json('POST', '/api/repos', '{}')).root;
    expect((await call('POST', `/api/node/${root}/commit`, '{"note":5}')).text).toBe(
      `Malformed JSON request in body: json: cannot unmarshal number into Go struct field .note of type string (/api/node/${root}/commit).\n`,
    );
    expect((await call('POST', `/api/repo/${root}/merge`, '{"parents":["a"]}')).text).toBe(
      `Must specify at least two parent UUIDs using 'parents' field (/api/repo/${root}/merge).\n`,
    );
    expect((await call('POST', `/api/repo/${root}/merge`, JSON.stringify({ parents: [root, 'zzzz'] }))).text).toBe(
      `can't match parent "zzzz": could not find UUID with partial match to zzzz (/api/repo/${root}/merge).\n`,
    );
    expect((await call('POST', `/api/repo/${root}/merge`, JSON.stringify({ parents: [root, root] }))).text).toBe(
      `'mergeType' must be 'conflict-free' at this time (/api/repo/${root}/merge).\n`,
    );
  });
});
