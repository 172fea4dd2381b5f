import { beforeAll, expect, it } from 'vitest';
import { DvidHttpError, isDvidError } from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

const VOXEL_TYPES = ['uint8blk', 'uint16blk', 'uint32blk', 'uint64blk', 'float32blk', 'rgba8blk'];

describeServer(`server and repos (${server.kind})`, () => {
  const client = newClient();
  let uuid: string;

  beforeAll(async () => {
    uuid = await newRepo(client);
  });

  it('serverInfo returns string values, validated against the schema', async () => {
    const info = await client.serverInfo();
    expect(Object.values(info).every((v) => typeof v === 'string')).toBe(true);
    expect(info).toHaveProperty('Cores');
    expect(info['Storage backend']).toMatch(/badger|memory|mock/);
  });

  it('compiledTypes lists every voxel type DVID offers, plus labelmap and keyvalue', async () => {
    const types = await client.compiledTypes();
    for (const t of [...VOXEL_TYPES, 'labelmap', 'keyvalue']) expect(types).toHaveProperty(t);
    expect(types.uint8blk).toBe('github.com/janelia-flyem/dvid/datatype/imageblk/uint8.go');
  });

  it('serverTypes lists the types that have instances', async () => {
    await client.createInstance(uuid, uniqueName('u16'), 'uint16blk');
    const types = await client.serverTypes();
    expect(types.uint16blk).toBe('github.com/janelia-flyem/dvid/datatype/imageblk/uint16.go');
  });

  it('createRepo returns a 32-hex root UUID that reposInfo and repoInfo report', async () => {
    expect(uuid).toMatch(/^[0-9a-f]{32}$/);
    const repos = await client.reposInfo();
    expect(repos[uuid]).toBeDefined();
    expect(repos[uuid].Root).toBe(uuid);
    const repo = await client.repoInfo(uuid);
    expect(repo.Alias).toMatch(/^contract-/);
    expect(repo.Description).toBe('dvid-ts contract test');
    expect(repo.DAG.Root).toBe(uuid);
    expect(repo.DAG.Nodes[uuid].Locked).toBe(false);
    expect(repo.DAG.Nodes[uuid].Parents ?? []).toEqual([]);
  });

  it('a unique UUID prefix works wherever a UUID does', async () => {
    const repo = await client.repoInfo(uuid.slice(0, 12));
    expect(repo.Root).toBe(uuid);
  });

  it('an unknown UUID is a 400 with DVID\'s text', async () => {
    const err = await client.repoInfo('0123456789abcdef0123456789abcdef').catch((e) => e);
    expect(err).toBeInstanceOf(DvidHttpError);
    expect(err.status).toBe(400);
    expect(err.responseText).toContain('0123456789abcdef0123456789abcdef');
    expect(err.message).toContain('read repo info of 0123456789abcdef0123456789abcdef');
  });

  it('an unknown instance name is a 400 naming the instance', async () => {
    const err = await client.voxels(uuid, 'no_such_instance').catch((e) => e);
    expect(isDvidError(err, 'http')).toBe(true);
    expect(err.status).toBe(400);
    expect(err.responseText).toMatch(/invalid data instance name|no_such_instance/);
  });

  it('createInstance sends numbers and arrays as the strings DVID requires', async () => {
    const name = uniqueName('cfg');
    await client.createInstance(uuid, name, 'uint8blk', { BlockSize: [16, 16, 16], VoxelSize: [4, 4, 40], Background: 7 });
    const info = await client.transport.requestJson<{ Extended: Record<string, unknown> }>({
      path: `/api/node/${uuid}/${name}/info`,
      attempted: 'read info',
    });
    expect(info.Extended.BlockSize).toEqual([16, 16, 16]);
    expect(info.Extended.VoxelSize).toEqual([4, 4, 40]);
    expect(info.Extended.Background).toBe(7);
  });

  it('DVID itself rejects non-string config values (which is why the SDK converts them)', async () => {
    const err = await client.transport
      .request({
        method: 'POST',
        path: `/api/repo/${uuid}/instance`,
        body: JSON.stringify({ typename: 'uint8blk', dataname: uniqueName('raw'), BlockSize: 32 }),
        attempted: 'create an instance with a numeric BlockSize',
      })
      .catch((e) => e);
    expect(isDvidError(err, 'http')).toBe(true);
    expect(err.status).toBe(400);
    expect(err.responseText).toContain("was not a string");
  });

  it('a duplicate instance name is refused', async () => {
    const name = uniqueName('dup');
    await client.createInstance(uuid, name, 'uint8blk');
    const err = await client.createInstance(uuid, name, 'uint8blk').catch((e) => e);
    expect(isDvidError(err, 'http')).toBe(true);
    expect(err.status).toBe(400);
  });

  it('an unknown type name is refused', async () => {
    const err = await client.createInstance(uuid, uniqueName('bad'), 'no-such-type').catch((e) => e);
    expect(isDvidError(err, 'http')).toBe(true);
    expect(err.status).toBe(400);
    expect(err.responseText).toContain('no-such-type');
  });
});
