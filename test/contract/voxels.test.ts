import { beforeAll, expect, it } from 'vitest';
import {
  DvidArgumentError,
  SelectionError,
  Volume,
  VoxelsMetadata,
  allocate,
  isDvidError,
  type DType,
  type DvidClient,
} from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

interface VoxelType {
  typename: string;
  dtype: DType;
  channels: number;
}

const TYPES: VoxelType[] = [
  { typename: 'uint8blk', dtype: 'uint8', channels: 1 },
  { typename: 'uint16blk', dtype: 'uint16', channels: 1 },
  { typename: 'uint32blk', dtype: 'uint32', channels: 1 },
  { typename: 'uint64blk', dtype: 'uint64', channels: 1 },
  { typename: 'float32blk', dtype: 'float32', channels: 1 },
  { typename: 'rgba8blk', dtype: 'uint8', channels: 4 },
];

/** A volume whose every element differs from its neighbours (64-bit values above 2^53). */
function pattern(dtype: DType, shape: number[], seed = 1): Volume<DType> {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, size);
  for (let i = 0; i < size; i++) {
    const v = (i * 7919 + seed * 104729) % 65521;
    if (data instanceof BigUint64Array) data[i] = (1n << 60n) + BigInt(v) * 1_000_003n;
    else if (data instanceof Float32Array) data[i] = v / 4 - 1000.25;
    else if (data instanceof Uint8Array) data[i] = v & 0xff;
    else if (data instanceof Uint16Array) data[i] = v;
    else if (data instanceof Uint32Array) data[i] = v * 65599;
  }
  return Volume.from(data, shape);
}

async function createVolume(client: DvidClient, uuid: string, t: VoxelType, blockSize = 32) {
  const name = uniqueName(t.typename);
  const md = VoxelsMetadata.createDefault([t.channels, 0, 0, 0], t.dtype, 'cxyz', [4, 4, 40], 'nanometers');
  const v = await client.createVoxels(uuid, name, md, { blockSize });
  return { name, v };
}

describeServer(`voxel instances (${server.kind})`, () => {
  const client = newClient();
  let uuid: string;

  beforeAll(async () => {
    uuid = await newRepo(client);
  });

  for (const t of TYPES) {
    it(`${t.typename}: created from metadata, written and read back exactly, with extents and metadata`, async () => {
      const { name, v } = await createVolume(client, uuid, t);
      expect(v.axes).toBe('cxyz');
      expect(v.dtype).toBe(t.dtype);
      expect(v.shape).toEqual([t.channels, 0, 0, 0]);
      expect(v.blockSize).toEqual([32, 32, 32]);
      const info = await client.transport.requestJson<{ Base: { TypeName: string }; Extended: Record<string, unknown> }>({
        path: `/api/node/${uuid}/${name}/info`,
        attempted: 'read info',
      });
      expect(info.Base.TypeName).toBe(t.typename);
      expect(info.Extended.VoxelSize).toEqual([4, 4, 40]);

      const data = pattern(t.dtype, [t.channels, 64, 32, 32]);
      await v.write([0, 32, 0, -32], [t.channels, 96, 32, 0], data);
      expect(v.minIndex).toEqual([0, 32, 0, -32]);
      expect(v.shape).toEqual([t.channels, 96, 32, 0]);
      expect(v.metadata.json.Axes.map((a) => [a.Offset, a.Size])).toEqual([[32, 64], [0, 32], [-32, 32]]);

      const back = await v.read([0, 32, 0, -32], [t.channels, 96, 32, 0]);
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual([t.channels, 64, 32, 32]);
      expect(back.toTypedArray()).toEqual(data.toTypedArray());
      // Everything stored, by the default selection (minIndex to shape).
      const all = await v.get(':');
      expect(all.toTypedArray()).toEqual(data.toTypedArray());
    });
  }

  it('DVID\'s byte order is x fastest with channels interleaved: a Volume with no reordering', async () => {
    const t = TYPES[5];
    const { v } = await createVolume(client, uuid, t);
    const data = Volume.zeros([4, 32, 32, 32], 'uint8');
    data.set('0,1,0,0', 11); // red of voxel x=1
    data.set('3,0,2,0', 22); // alpha of voxel y=2
    data.set('1,0,0,3', 33); // green of voxel z=3
    await v.write([0, 0, 0, 0], [4, 32, 32, 32], data);
    const raw = await client.transport.requestBytes({
      path: `/api/node/${uuid}/${v.name}/raw/0_1_2/4_4_4/0_0_0`,
      attempted: 'read raw bytes',
    });
    // index = (((z * ny) + y) * nx + x) * 4 + channel
    expect(raw[(0 * 16 + 0 * 4 + 1) * 4 + 0]).toBe(11);
    expect(raw[(0 * 16 + 2 * 4 + 0) * 4 + 3]).toBe(22);
    expect(raw[(3 * 16 + 0 * 4 + 0) * 4 + 1]).toBe(33);
    expect(raw.reduce((a, b) => a + b, 0)).toBe(66);
  });

  it('an unaligned write goes through read-modify-write and keeps the neighbours', async () => {
    const { v } = await createVolume(client, uuid, TYPES[0]);
    await v.write([0, 0, 0, 0], [1, 64, 64, 64], Volume.full([1, 64, 64, 64], 'uint8', 5));
    await v.set(':,10:20,20:30,30:40', Volume.full([1, 10, 10, 10], 'uint8', 9));
    const all = await v.read([0, 0, 0, 0], [1, 64, 64, 64]);
    const values = all.toTypedArray();
    expect(values.filter((x) => x === 9).length).toBe(1000);
    expect(values.filter((x) => x === 5).length).toBe(64 ** 3 - 1000);
    expect(all.item(0, 10, 20, 30)).toBe(9);
    expect(all.item(0, 19, 29, 39)).toBe(9);
    expect(all.item(0, 20, 29, 39)).toBe(5);
  });

  it('DVID refuses an unaligned POST itself (the SDK never sends one)', async () => {
    const { v } = await createVolume(client, uuid, TYPES[0]);
    const err = await client.transport
      .request({
        method: 'POST',
        path: `/api/node/${uuid}/${v.name}/raw/0_1_2/10_10_10/5_5_5`,
        body: new Uint8Array(1000),
        attempted: 'post an unaligned box',
      })
      .catch((e) => e);
    expect(isDvidError(err, 'http')).toBe(true);
    expect(err.status).toBe(400);
    expect(err.responseText).toContain('non-block aligned');
    const refused = await v.write([0, 5, 5, 5], [1, 15, 15, 15], 1, { unaligned: 'error' }).catch((e) => e);
    expect(refused).toBeInstanceOf(DvidArgumentError);
    expect(refused.message).toContain('[0,0,0,0]–[1,32,32,32]');
  });

  it('signed (negative) coordinates read and write as DVID coordinates, not from the end', async () => {
    const { v } = await createVolume(client, uuid, TYPES[1]);
    const data = pattern('uint16', [1, 40, 20, 10], 3);
    await v.set(':,-50:-10,-20:0,-5:5', data);
    expect(v.minIndex).toEqual([0, -64, -32, -32]);
    expect(v.shape).toEqual([1, 0, 0, 32]);
    const back = await v.get(':,-50:-10,-20:0,-5:5');
    expect(back.toTypedArray()).toEqual(data.toTypedArray());
    expect((await v.get('0,-50,-20,-5')).item()).toBe(data.item(0, 0, 0, 0));
    // Around the write the stored blocks are zero.
    expect((await v.get(':,-64:-50,-32:-20,-32:-5')).toTypedArray().every((x) => x === 0)).toBe(true);
  });

  it('reads never-written regions as zeros', async () => {
    const { v } = await createVolume(client, uuid, TYPES[2]);
    await v.write([0, 0, 0, 0], [1, 32, 32, 32], 1);
    const box = await v.read([0, 100, 100, 100], [1, 110, 120, 130]);
    expect(box.shape).toEqual([1, 10, 20, 30]);
    expect(box.toTypedArray().every((x) => x === 0)).toBe(true);
  });

  it('steps fetch the bounding box and return a strided view; integers drop axes', async () => {
    const { v } = await createVolume(client, uuid, TYPES[3]);
    const data = pattern('uint64', [1, 64, 32, 32], 5);
    await v.write([0, 0, 0, 0], [1, 64, 32, 32], data);
    const stepped = await v.get('0,0:64:2,1:32:4,5');
    expect(stepped.shape).toEqual([32, 8]);
    expect(stepped.item(3, 2)).toBe(data.item(0, 6, 9, 5));
    expect(stepped.copy().toTypedArray()).toEqual(data.get('0,0:64:2,1:32:4,5').copy().toTypedArray());
    const rgbaLike = await v.get('...,7');
    expect(rgbaLike.shape).toEqual([1, 64, 32]);
  });

  it('checks writes before sending: steps, missing channels, dtype and shape', async () => {
    const { v } = await createVolume(client, uuid, TYPES[5]);
    const ones = Volume.ones([4, 32, 32, 32], 'uint8');
    await expect(v.set(':,0:64:2,0:32,0:32', ones)).rejects.toBeInstanceOf(SelectionError);
    await expect(v.set('0:3,0:32,0:32,0:32', Volume.ones([3, 32, 32, 32], 'uint8'))).rejects.toBeInstanceOf(SelectionError);
    await expect(v.set(':,0:32,0:32,0:32', Volume.ones([4, 32, 32, 32], 'uint16'))).rejects.toThrow(/dtype uint16/);
    // pydvid compared only element counts; a transposed shape with the same count is refused here.
    await expect(v.set(':,0:32,0:16,0:64', Volume.ones([4, 32, 64, 16], 'uint8'))).rejects.toThrow(/shape \[4, 32, 64, 16\]/);
    expect(v.shape).toEqual([4, 0, 0, 0]);
  });

  it('passes extra query arguments through and sends throttle=on when asked', async () => {
    const seen: string[] = [];
    const spy = newClient({
      fetch: (input, init) => {
        seen.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      },
    });
    const { name } = await createVolume(client, uuid, TYPES[0]);
    const v = await spy.voxels(uuid, name);
    await v.write([0, 0, 0, 0], [1, 32, 32, 32], 3);
    await v.read([0, 0, 0, 0], [1, 8, 8, 8], { throttle: true, query: { attenuation: 1 } });
    const last = new URL(seen[seen.length - 1]);
    expect(last.searchParams.get('throttle')).toBe('on');
    expect(last.searchParams.get('attenuation')).toBe('1');
    expect(last.searchParams.get('u')).toBe('tester');
  });
});
