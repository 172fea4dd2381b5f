import { beforeAll, expect, it } from 'vitest';
import {
  DvidArgumentError,
  DvidClient,
  DvidHttpError,
  isDvidError,
  type DvidClient as Client,
} from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

/** Version-DAG calls made with the raw transport (the SDK's repo API is separate work). */
async function post<T>(client: Client, path: string, body: unknown): Promise<T> {
  return client.transport.requestJson<T>({
    method: 'POST',
    path,
    body: JSON.stringify(body),
    attempted: `POST ${path}`,
    idempotent: false,
  });
}
const commit = (c: Client, uuid: string) => post(c, `/api/node/${uuid}/commit`, { note: 'test' });
const newVersion = async (c: Client, uuid: string) => (await post<{ child: string }>(c, `/api/node/${uuid}/newversion`, {})).child;
const branch = async (c: Client, uuid: string, name: string) => (await post<{ child: string }>(c, `/api/node/${uuid}/branch`, { branch: name })).child;
const merge = async (c: Client, uuid: string, parents: string[]) =>
  (await post<{ child: string }>(c, `/api/repo/${uuid}/merge`, { mergeType: 'conflict-free', parents, note: 'merge' })).child;

const bytes = (...v: number[]) => new Uint8Array(v);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

describeServer(`keyvalue (${server.kind})`, () => {
  const client = newClient();
  let uuid: string;

  beforeAll(async () => {
    uuid = await newRepo(client);
  });

  it('stores and reads bytes, text and JSON; HEAD, missing keys, delete', async () => {
    const kv = await client.createKeyvalue(uuid, uniqueName('kv'));
    const all = new Uint8Array(256).map((_, i) => i);
    await kv.put('binary', all);
    await kv.put('greeting', 'hello, wörld');
    await kv.putJson('settings', { threshold: 0.5, label: 2n ** 60n + 1n, nested: [1, 'two', null] });

    expect(await kv.get('binary')).toEqual(all);
    expect(await kv.getText('greeting')).toBe('hello, wörld');
    expect(await kv.getJson('settings')).toEqual({ threshold: 0.5, label: 2n ** 60n + 1n, nested: [1, 'two', null] });
    expect(await kv.has('greeting')).toBe(true);
    expect(await kv.has('nope')).toBe(false);
    expect(await kv.get('nope')).toBeUndefined();
    expect(await kv.getText('nope')).toBeUndefined();
    expect(await kv.getJson('nope')).toBeUndefined();

    await kv.put('greeting', 'replaced');
    expect(await kv.getText('greeting')).toBe('replaced');

    await kv.delete('greeting');
    expect(await kv.has('greeting')).toBe(false);
    expect(await kv.get('greeting')).toBeUndefined();
    await kv.delete('never-existed'); // DVID does not check

    // Raw DVID answers: 404 with DVID's text for a missing key, HEAD 404 without a body.
    const res = await client.transport.request({ path: `/api/node/${uuid}/${kv.name}/key/nope`, attempted: 'probe', okStatuses: [404] });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Key "nope" not found\n');
  });

  it('treats an empty value as DVID v1.0.0 does: listed and HEAD 200, but GET 404', async () => {
    const kv = await client.createKeyvalue(uuid, uniqueName('kv'));
    await kv.put('empty', new Uint8Array(0));
    await kv.put('full', 'x');
    expect(await kv.has('empty')).toBe(true);
    expect(await kv.keys()).toEqual(['empty', 'full']);
    expect(await kv.get('empty')).toBeUndefined();
    expect([...(await kv.rangeValues('a', 'z', { as: 'text' }))]).toEqual([['full', 'x']]);
    expect([...(await kv.getMany(['empty', 'full'], { as: 'text' }))]).toEqual([['full', 'x']]);
  });

  it('lists keys and key ranges in byte order, and reads range values as bytes, text or JSON', async () => {
    const kv = await client.createKeyvalue(uuid, uniqueName('kv'));
    const keys = ['b', 'a', 'a b', 'a+20', 'Z', 'é', 'c?d', 'c#d', 'k-10', 'k-2'];
    for (const k of keys) await kv.putJson(k, { key: k });
    const ordered = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(await kv.keys()).toEqual(ordered);
    expect(await kv.keyRange('a', 'b')).toEqual(['a', 'a b', 'a+20', 'b']);
    expect(await kv.keyRange('k-1', 'k-9')).toEqual(['k-10', 'k-2']);
    expect(await kv.keyRange('x', 'y')).toEqual([]);

    const json = await kv.rangeValues('a', 'b', { as: 'json' });
    expect([...json.keys()]).toEqual(['a', 'a b', 'a+20', 'b']);
    expect(json.get('a b')).toEqual({ key: 'a b' });
    const raw = await kv.rangeValues('c', 'd');
    expect(text(raw.get('c?d'))).toBe('{"key":"c?d"}');
    expect((await kv.rangeValues('é', 'é', { as: 'text' })).get('é')).toBe('{"key":"é"}');
  });

  it('batch reads and writes with DVID protobuf forms', async () => {
    const kv = await client.createKeyvalue(uuid, uniqueName('kv'));
    await kv.putMany({ one: '1', two: bytes(2, 2), three: '{"n":3}' });
    await kv.putMany(new Map([['four', '4']]));
    expect(await kv.keys()).toEqual(['four', 'one', 'three', 'two']);
    const got = await kv.getMany(['two', 'missing', 'one']);
    expect([...got.keys()]).toEqual(['two', 'one']);
    expect(got.get('two')).toEqual(bytes(2, 2));
    expect((await kv.getMany(['three'], { as: 'json' })).get('three')).toEqual({ n: 3 });
    expect((await kv.getMany([])).size).toBe(0);
  });

  it('reads byte ranges of a value (Range on newer DVID, cut locally where the server ignores it)', async () => {
    const kv = await client.createKeyvalue(uuid, uniqueName('kv'));
    await kv.put('abc', 'abcdefghij');
    expect(text(await kv.get('abc', { range: { start: 2, end: 4 } }))).toBe('cde');
    expect(text(await kv.get('abc', { range: { start: 7 } }))).toBe('hij');
    expect(text(await kv.get('abc', { range: { start: 8, end: 100 } }))).toBe('ij');
    expect(text(await kv.get('abc', { range: { suffix: 3 } }))).toBe('hij');
    const err = await kv.get('abc', { range: { start: 10 } }).catch((e: unknown) => e);
    expect(isDvidError(err, 'http') && (err as DvidHttpError).status).toBe(416);
    expect(await kv.get('missing', { range: { start: 0, end: 1 } })).toBeUndefined();
  });

  it('refuses keys DVID cannot address before any request', async () => {
    let requests = 0;
    const strict = new DvidClient(server.url, {
      fetch: () => {
        requests += 1;
        return Promise.reject(new Error('no request expected'));
      },
    });
    const kv = strict.keyvalue(uuid, 'whatever');
    for (const bad of ['a/b', '/', '', '.', '..']) {
      await expect(kv.get(bad)).rejects.toBeInstanceOf(DvidArgumentError);
      await expect(kv.put(bad, 'x')).rejects.toBeInstanceOf(DvidArgumentError);
    }
    await expect(kv.keyRange('a/', 'b')).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(kv.getMany(['ok', 'a/b'])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(kv.putMany({ 'x/y': '1' })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(kv.put('k', 5 as unknown as string)).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(kv.put('50%', 'x')).rejects.toBeInstanceOf(DvidArgumentError);
    expect(requests).toBe(0);
  });

  it('lists keys containing "%" written by other clients (DVID v1.0.0 mangles them in its JSON listing)', async () => {
    const kv = await client.createKeyvalue(uuid, uniqueName('kv'));
    await kv.put('plain', '1');
    const raw = `/api/node/${uuid}/${kv.name}/key/${encodeURIComponent('a%20b')}`;
    await client.transport.request({ method: 'POST', path: raw, body: 'pct', attempted: 'write a % key directly' });
    expect(await kv.getText('a%20b')).toBe('pct');
    expect(await kv.keys()).toEqual(['a%20b', 'plain']);
    expect(await kv.keyRange('a', 'q')).toEqual(['a%20b', 'plain']);
  });

  it('instance tags: read, add, replace, clear', async () => {
    const kv = await client.createKeyvalue(uuid, uniqueName('kv'), { tags: { owner: 'alice' } });
    expect(await kv.tags()).toEqual({ owner: 'alice' });
    await kv.setTags({ stage: 'draft' });
    expect(await kv.tags()).toEqual({ owner: 'alice', stage: 'draft' });
    await kv.setTags({ stage: 'final' }, { replace: true });
    expect(await kv.tags()).toEqual({ stage: 'final' });
    await kv.setTags({}, { replace: true });
    expect(await kv.tags()).toEqual({});
    expect((await kv.info()).Base.TypeName).toBe('keyvalue');
  });

  it('versions: children inherit, locked nodes refuse writes, unversioned instances ignore versions', async () => {
    const root = await newRepo(client);
    const kv = await client.createKeyvalue(root, 'kv');
    const flat = await client.createKeyvalue(root, 'flat', { versioned: false });
    await kv.put('a', 'root-a');
    await kv.put('gone', 'x');
    await commit(client, root);
    const err = await kv.put('a', 'late').catch((e: unknown) => e);
    expect(isDvidError(err, 'http') && (err as DvidHttpError).status).toBe(400);
    expect((err as DvidHttpError).responseText).toBe(`Cannot do POST on endpoint "key" of locked node ${root} (/api/node/${root}/kv/key/a).`);
    expect(await kv.has('a')).toBe(true); // reads are fine

    const child = await newVersion(client, root);
    const kvChild = kv.at(child);
    expect(await kvChild.getText('a')).toBe('root-a');
    await kvChild.put('a', 'child-a');
    await kvChild.delete('gone');
    expect(await kvChild.getText('a')).toBe('child-a');
    expect(await kvChild.keys()).toEqual(['a']);
    expect(await kv.getText('a')).toBe('root-a');
    expect(await kv.keys()).toEqual(['a', 'gone']);

    // Unversioned: every UUID is the root, and the root's lock does not apply.
    await flat.at(child).put('shared', '1');
    expect(await flat.getText('shared')).toBe('1');
    await flat.put('shared', '2');
    expect(await flat.at(child).getText('shared')).toBe('2');
  });

  it('branches and a conflict-free merge: each version sees its own values', async () => {
    const root = await newRepo(client);
    const kv = await client.createKeyvalue(root, 'kv');
    await kv.putMany({ common: 'c', left: 'L0', right: 'R0' });
    await commit(client, root);
    const master = await newVersion(client, root);
    const side = await branch(client, root, 'side');
    await kv.at(master).put('left', 'L1');
    await kv.at(master).put('onlyMaster', 'm');
    await kv.at(side).put('right', 'R1');
    await kv.at(side).delete('common');
    await commit(client, master);
    await commit(client, side);
    const merged = await merge(client, root, [master, side]);

    expect(Object.fromEntries(await kv.rangeValues('a', 'z', { as: 'text' }))).toEqual({ common: 'c', left: 'L0', right: 'R0' });
    expect(Object.fromEntries(await kv.at(master).rangeValues('a', 'z', { as: 'text' }))).toEqual({
      common: 'c',
      left: 'L1',
      onlyMaster: 'm',
      right: 'R0',
    });
    expect(Object.fromEntries(await kv.at(side).rangeValues('a', 'z', { as: 'text' }))).toEqual({ left: 'L0', right: 'R1' });
    expect(Object.fromEntries(await kv.at(merged).rangeValues('a', 'z', { as: 'text' }))).toEqual({ left: 'L1', onlyMaster: 'm', right: 'R1' });
    expect(await kv.at(`${root.slice(0, 8)}:side`).getText('right')).toBe('R1');
  });
});
