import { beforeAll, expect, it } from 'vitest';
import {
  DvidArgumentError,
  DvidClient,
  fieldExists,
  isDvidError,
  matchesRegex,
  type DvidClient as Client,
  type NeuronRecord,
} from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

async function post<T>(client: Client, path: string, body: unknown): Promise<T> {
  return client.transport.requestJson<T>({ method: 'POST', path, body: JSON.stringify(body), attempted: `POST ${path}`, idempotent: false });
}
const commit = (c: Client, uuid: string) => post(c, `/api/node/${uuid}/commit`, { note: 'test' });
const newVersion = async (c: Client, uuid: string) => (await post<{ child: string }>(c, `/api/node/${uuid}/newversion`, {})).child;
const branch = async (c: Client, uuid: string, name: string) => (await post<{ child: string }>(c, `/api/node/${uuid}/branch`, { branch: name })).child;

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describeServer(`neuronjson (${server.kind})`, () => {
  const alice = newClient({ user: 'alice' });
  const bob = newClient({ user: 'bob' });
  let uuid: string;

  beforeAll(async () => {
    uuid = await newRepo(alice);
  });

  it('merges fields by default, stamps _user/_time, replaces on request, keeps conditional fields', async () => {
    const name = uniqueName('nj');
    const nj = await alice.createNeuronjson(uuid, name);
    const njBob = bob.neuronjson(uuid, name);
    await nj.put(100n, { type: 'KC', n: 1 });
    await njBob.put(100n, { status: 'Traced' });
    expect(await nj.get(100n)).toEqual({ n: 1, status: 'Traced', type: 'KC' });
    const all = (await nj.get(100n, { show: 'all' }))!;
    expect(all.type_user).toBe('alice');
    expect(all.status_user).toBe('bob');
    expect(all.status_time).toMatch(RFC3339);
    expect(await nj.get(100n, { show: 'user' })).toEqual({ n: 1, n_user: 'alice', status: 'Traced', status_user: 'bob', type: 'KC', type_user: 'alice' });
    expect(Object.keys((await nj.get(100n, { show: 'time' }))!).sort()).toEqual(['n', 'n_time', 'status', 'status_time', 'type', 'type_time']);

    // Unchanged values keep their stamps; conditional fields keep their value.
    await njBob.put(100n, { type: 'KC', n: 2, status: 'Orphan' }, { conditional: ['status'] });
    expect(await nj.get(100n, { show: 'user' })).toEqual({ n: 2, n_user: 'bob', status: 'Traced', status_user: 'bob', type: 'KC', type_user: 'alice' });
    expect(await nj.get(100n, { fields: ['type'] })).toEqual({ type: 'KC' });

    await njBob.put(100n, { bodyid: 100n, x: [1, 2] }, { replace: true });
    expect(await nj.get(100n)).toEqual({ bodyid: 100, x: [1, 2] });
    expect(await nj.has(100n)).toBe(true);
    await nj.delete(100n);
    expect(await nj.has(100n)).toBe(false);
    expect(await nj.get(100n)).toBeUndefined();
  });

  it('requires a user before sending a write, refuses body 0 and non-objects', async () => {
    let requests = 0;
    const noFetch = () => {
      requests += 1;
      return Promise.reject(new Error('no request expected'));
    };
    const anonymous = new DvidClient(server.url, { fetch: noFetch });
    const nj = anonymous.neuronjson(uuid, 'whatever');
    const err = await nj.put(5n, { a: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DvidArgumentError);
    expect(String((err as Error).message)).toContain("{ user: '...' }");
    await expect(nj.putMany(new Map([[5n, { a: 1 }]]))).rejects.toBeInstanceOf(DvidArgumentError);
    const named = new DvidClient(server.url, { user: 'x', fetch: noFetch });
    await expect(named.neuronjson(uuid, 'w').put(0n, { a: 1 })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(named.neuronjson(uuid, 'w').put(1n, [1] as unknown as NeuronRecord)).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(named.neuronjson(uuid, 'w').get(2 ** 60)).rejects.toBeInstanceOf(DvidArgumentError);
    expect(requests).toBe(0);
  });

  it('keys, key ranges, range values, batch reads and writes, all, fields (64-bit IDs exact)', async () => {
    const nj = await alice.createNeuronjson(uuid, uniqueName('nj'));
    const big = 2n ** 63n + 3n;
    await nj.putMany(
      new Map<bigint, NeuronRecord>([
        [7n, { bodyid: 7n, type: 'KC' }],
        [20n, { type: 'MBON', group: big }],
        [100n, { bodyid: 100n, type: 'PN', status: 'Traced' }],
        [big, { bodyid: big, type: 'KC' }],
      ]),
    );
    expect(await nj.keys()).toEqual([7n, 20n, 100n, big]);
    expect(await nj.keyRange(0n, 50n)).toEqual([7n, 20n]);
    expect(await nj.keyRange(101n, 2n ** 64n - 1n)).toEqual([big]);

    const range = await nj.range(0n, 99n);
    expect([...range.keys()]).toEqual([7n, 20n]);
    expect(range.get(20n)).toEqual({ type: 'MBON', group: big });

    const many = await nj.getMany([100n, 999n, big], { fields: ['type'] });
    expect([...many.entries()]).toEqual([
      [100n, { bodyid: 100, type: 'PN' }],
      [big, { bodyid: big, type: 'KC' }],
    ]);

    const all = await nj.all();
    expect(all).toEqual([
      { type: 'MBON', group: big },
      { bodyid: 7, type: 'KC' },
      { bodyid: 100, type: 'PN', status: 'Traced' },
      { bodyid: big, type: 'KC' },
    ]);
    expect(await nj.all({ fields: ['status'] })).toEqual([{ bodyid: 100, status: 'Traced' }]);
    expect(await nj.fields()).toEqual([
      'bodyid',
      'group',
      'group_time',
      'group_user',
      'status',
      'status_time',
      'status_user',
      'type',
      'type_time',
      'type_user',
    ]);
  });

  it('queries with DVID query objects: AND within an object, OR over a list, regex, existence, lists', async () => {
    const nj = await alice.createNeuronjson(uuid, uniqueName('nj'));
    await nj.put(7n, { bodyid: 7n, type: 'KC', roi: ['MB', 'LH'] });
    await nj.put(8n, { bodyid: 8n, type: 'KCab', status: 'Traced' });
    await nj.put(20n, { bodyid: 20n, type: 'MBON01', weight: 3 });
    await nj.put(21n, { bodyid: 21n, type: null });
    const ids = (records: NeuronRecord[]) => records.map((r) => r.bodyid);

    expect(ids(await nj.query({ type: 'KC' }))).toEqual([7]);
    expect(ids(await nj.query({ type: matchesRegex('KC') }))).toEqual([7, 8]);
    expect(ids(await nj.query([{ type: 'KC' }, { type: matchesRegex('MBON') }]))).toEqual([7, 20]);
    expect(ids(await nj.query({ type: ['KC', 'MBON01'] }))).toEqual([7, 20]);
    expect(ids(await nj.query({ roi: 'LH' }))).toEqual([7]);
    expect(ids(await nj.query({ status: fieldExists(true) }))).toEqual([8]);
    expect(ids(await nj.query({ type: fieldExists(false) }))).toEqual([21]);
    expect(ids(await nj.query({ bodyid: [7, 20], weight: 3 }))).toEqual([20]);
    expect(ids(await nj.query({}))).toEqual([7, 8, 20, 21]);
    expect(await nj.query([])).toEqual([]);
    expect(ids(await nj.query({ type: 'KC' }, { method: 'POST' }))).toEqual([7]);
    expect(await nj.queryIds({ type: matchesRegex('KC') })).toEqual([7n, 8n]);
    expect((await nj.query({ bodyid: 8 }, { show: 'user' }))[0]).toEqual({ bodyid: 8, status: 'Traced', status_user: 'alice', type: 'KCab', type_user: 'alice' });

    const bad = await nj.query({ type: 'KC' }, { method: 'POST', show: 'all' }).then(() => undefined, (e: unknown) => e);
    expect(bad).toBeUndefined();
  });

  it('stores, reads and deletes schemas', async () => {
    const nj = await alice.createNeuronjson(uuid, uniqueName('nj'));
    for (const kind of ['json_schema', 'schema', 'schema_batch'] as const) expect(await nj.schema(kind)).toBeUndefined();
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { type: { type: 'string' } } };
    await nj.putSchema('schema', schema);
    await nj.putSchema('schema_batch', { batch: true });
    expect(await nj.schema('schema')).toEqual(schema);
    expect(await nj.schema('schema_batch')).toEqual({ batch: true });
    await nj.deleteSchema('schema');
    expect(await nj.schema('schema')).toBeUndefined();
    await expect(nj.schema('nope' as 'schema')).rejects.toBeInstanceOf(DvidArgumentError);
  });

  it('instance tags', async () => {
    const nj = await alice.createNeuronjson(uuid, uniqueName('nj'), { tags: { a: '1' } });
    await nj.setTags({ b: '2' });
    expect(await nj.tags()).toEqual({ a: '1', b: '2' });
    const info = await nj.info();
    expect(info.Base.TypeName).toBe('neuronjson');
    expect(info.Base.Tags).toEqual({ a: '1', b: '2' });
    expect(info.Extended).toEqual({});
  });

  it('versions: the master head and other versions read their own records; fields only on the master head', async () => {
    const root = await newRepo(alice);
    const nj = await alice.createNeuronjson(root, 'nj');
    await nj.put(1n, { bodyid: 1n, type: 'A' });
    await commit(alice, root);
    const locked = await nj.put(2n, { type: 'B' }).catch((e: unknown) => e);
    expect(isDvidError(locked, 'http') && locked.responseText).toContain('locked node');
    expect(await nj.query({ type: 'A' }, { method: 'POST' })).toHaveLength(1); // POST /query is a read

    const master = await newVersion(alice, root);
    const side = await branch(alice, root, 'side');
    await nj.at(master).put(1n, { type: 'A2' });
    await nj.at(side).put(3n, { bodyid: 3n, type: 'C' });
    expect((await nj.at(master).get(1n))?.type).toBe('A2');
    expect((await nj.get(1n))?.type).toBe('A');
    expect(await nj.at(side).keys()).toEqual([1n, 3n]);
    expect(await nj.at(master).keys()).toEqual([1n]);
    expect((await nj.at(side).query({ type: 'C' })).map((r) => r.bodyid)).toEqual([3]);
    expect(await nj.at(master).fields()).toContain('type');
    const notHead = await nj.at(side).fields().catch((e: unknown) => e);
    expect(isDvidError(notHead, 'http') && notHead.responseText).toContain('no in-memory db');
  });
});
