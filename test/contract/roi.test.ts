import { beforeAll, expect, it } from 'vitest';
import { DvidArgumentError, DvidClient, countRoiBlocks, isDvidError, type DvidClient as Client, type RoiSpan } from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

async function post<T>(client: Client, path: string, body: unknown): Promise<T> {
  return client.transport.requestJson<T>({ method: 'POST', path, body: JSON.stringify(body), attempted: `POST ${path}`, idempotent: false });
}
const commit = (c: Client, uuid: string) => post(c, `/api/node/${uuid}/commit`, { note: 'test' });
const newVersion = async (c: Client, uuid: string) => (await post<{ child: string }>(c, `/api/node/${uuid}/newversion`, {})).child;
const branch = async (c: Client, uuid: string, name: string) => (await post<{ child: string }>(c, `/api/node/${uuid}/branch`, { branch: name })).child;
const merge = async (c: Client, uuid: string, parents: string[]) =>
  (await post<{ child: string }>(c, `/api/repo/${uuid}/merge`, { mergeType: 'conflict-free', parents, note: 'merge' })).child;

/** Reference mask: 1 where the voxel's block (floor division) is in a span. */
function expectedMask(spans: RoiSpan[], bs: number, start: number[], stop: number[]): number[] {
  const out: number[] = [];
  for (let z = start[2]; z < stop[2]; z++)
    for (let y = start[1]; y < stop[1]; y++)
      for (let x = start[0]; x < stop[0]; x++) {
        const [bx, by, bz] = [Math.floor(x / bs), Math.floor(y / bs), Math.floor(z / bs)];
        out.push(spans.some(([sz, sy, x0, x1]) => sz === bz && sy === by && bx >= x0 && bx <= x1) ? 1 : 0);
      }
  return out;
}

describeServer(`roi (${server.kind})`, () => {
  const client = newClient();
  let uuid: string;

  beforeAll(async () => {
    uuid = await newRepo(client);
  });

  it('puts (replacing), reads and deletes spans; info reports block size and Z extent', async () => {
    const roi = await client.createRoi(uuid, uniqueName('roi'));
    expect(await roi.get()).toEqual([]);
    const info0 = await roi.info();
    expect(info0.Extended).toEqual({ BlockSize: [32, 32, 32], MinZ: 2147483647, MaxZ: -2147483648 });

    await roi.put([
      [1, 2, -2, 0],
      [0, 0, 3, 3],
      [0, 0, 0, 1],
      [0, 0, 0, 1],
    ]);
    expect(await roi.get()).toEqual([
      [0, 0, 0, 1],
      [0, 0, 3, 3],
      [1, 2, -2, 0],
    ]);
    expect((await roi.info()).Extended).toEqual({ BlockSize: [32, 32, 32], MinZ: 0, MaxZ: 1 });

    await roi.put([[5, 5, 5, 6]]);
    expect(await roi.get()).toEqual([[5, 5, 5, 6]]);

    await roi.delete();
    expect(await roi.get()).toEqual([]);
    expect((await roi.info()).Extended).toEqual({ BlockSize: [32, 32, 32], MinZ: 2147483647, MaxZ: -2147483648 });
  });

  it('refuses bad spans before any request (DVID would already have emptied the ROI)', async () => {
    let requests = 0;
    const strict = new DvidClient(server.url, {
      fetch: () => {
        requests += 1;
        return Promise.reject(new Error('no request expected'));
      },
    });
    const roi = strict.roi(uuid, 'whatever');
    await expect(roi.put([[0, 0, 3, 1]])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(roi.put([[0, 0, 1]] as unknown as RoiSpan[])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(roi.put([[0, 0, 0.5, 1]])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(roi.mask([0, 0, 0], [0, 4, 4])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(roi.contains([[1, 2]])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(roi.partition(0)).rejects.toBeInstanceOf(DvidArgumentError);
    expect(requests).toBe(0);

    // What DVID itself does with such a span: 400, and the ROI is emptied.
    const real = await client.createRoi(uuid, uniqueName('roi'));
    await real.put([[0, 0, 0, 1]]);
    const err = await client.transport
      .request({ method: 'POST', path: `/api/node/${uuid}/${real.name}/roi`, body: '[[0,0,3,1]]', attempted: 'bad span' })
      .catch((e: unknown) => e);
    expect(isDvidError(err, 'http') && err.status).toBe(400);
    expect(isDvidError(err, 'http') && err.responseText).toContain('Got weird span [0, 0, 3, 1].  span[3] (X1) < span[2] (X0)');
    expect(await real.get()).toEqual([]);
  });

  it('masks a box as a uint8 Volume, including negative coordinates and block edges', async () => {
    const roi = await client.createRoi(uuid, uniqueName('roi'), { blockSize: 8 });
    const spans: RoiSpan[] = [
      [0, 0, -1, -1],
      [0, 0, 1, 2],
      [-1, 1, 0, 0],
    ];
    await roi.put(spans);
    for (const [start, stop] of [
      [
        [-12, -2, -3],
        [20, 12, 4],
      ],
      [
        [0, 0, 0],
        [8, 8, 8],
      ],
      [
        [-20, 0, 0],
        [-5, 1, 1],
      ],
    ]) {
      const mask = await roi.mask(start, stop);
      expect(mask.dtype).toBe('uint8');
      expect(mask.axes).toBe('cxyz');
      expect(mask.shape).toEqual([1, stop[0] - start[0], stop[1] - start[1], stop[2] - start[2]]);
      expect(Array.from(mask.toTypedArray())).toEqual(expectedMask(spans, 8, start, stop));
    }
    // DVID's own /mask rounds the start block toward zero: a span wholly left of block -1 is skipped.
    const raw = await client.transport.requestBytes({ path: `/api/node/${uuid}/${roi.name}/mask/0_1_2/8_1_1/-12_0_0`, attempted: 'raw mask' });
    expect(Array.from(raw)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    await roi.put([[0, 0, -2, -2]]);
    const raw2 = await client.transport.requestBytes({ path: `/api/node/${uuid}/${roi.name}/mask/0_1_2/8_1_1/-12_0_0`, attempted: 'raw mask' });
    expect(Array.from(raw2)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from((await roi.mask([-12, 0, 0], [-4, 1, 1])).toTypedArray())).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('answers point queries in request order (floor division for negative points)', async () => {
    const roi = await client.createRoi(uuid, uniqueName('roi'));
    await roi.put([
      [0, 0, -1, -1],
      [0, 0, 1, 1],
    ]);
    expect(await roi.contains([[-1, 0, 0], [-32, 0, 0], [-33, 0, 0], [0, 0, 0], [32, 0, 0], [63, 31, 31], [64, 0, 0], [5, -1, 0], [5, 0, -1]])).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(await roi.contains([])).toEqual([]);
  });

  it('partitions into subvolumes of batchSize³ blocks', async () => {
    const roi = await client.createRoi(uuid, uniqueName('roi'));
    const spans: RoiSpan[] = [
      [0, 0, 0, 1],
      [0, 0, 3, 3],
      [1, 2, -2, 0],
    ];
    await roi.put(spans);
    const p = await roi.partition(2);
    expect(p.NumSubvolumes).toBe(p.Subvolumes.length);
    expect(p.NumActiveBlocks).toBe(countRoiBlocks(spans));
    expect(p.ROI).toEqual({ MinChunk: [-2, 0, 0], MaxChunk: [3, 2, 1] });
    expect(p.Subvolumes.map((s) => [s.MinChunk, s.MaxChunk, s.ActiveBlocks])).toEqual([
      [[0, 0, 0], [1, 1, 1], 2],
      [[2, 0, 0], [3, 1, 1], 1],
      [[-2, 2, 0], [-1, 3, 1], 2],
      [[0, 2, 0], [1, 3, 1], 1],
    ]);
    expect(p.Subvolumes[2]).toEqual({
      MinPoint: [-64, 64, 0],
      MaxPoint: [-1, 127, 63],
      MinChunk: [-2, 2, 0],
      MaxChunk: [-1, 3, 1],
      TotalBlocks: 8,
      ActiveBlocks: 2,
    });
    const optimized = await roi.partition(2, { optimized: true });
    expect(optimized.NumActiveBlocks).toBe(4 + 1 + 1);
  });

  it('versions: each branch keeps its own ROI; delete hides the parent ROI; merge sees both changes', async () => {
    const root = await newRepo(client);
    const a = await client.createRoi(root, 'a');
    const b = await client.createRoi(root, 'b');
    await a.put([[0, 0, 0, 3]]);
    await b.put([[1, 1, 1, 1]]);
    await commit(client, root);
    expect(isDvidError(await a.put([[9, 9, 9, 9]]).catch((e: unknown) => e), 'http')).toBe(true);
    expect(await a.contains([[0, 0, 0]])).toEqual([true]); // ptquery is allowed on a locked node

    const master = await newVersion(client, root);
    const side = await branch(client, root, 'side');
    await a.at(master).put([[0, 0, 0, 0]]);
    await b.at(side).delete();
    expect(await a.at(master).get()).toEqual([[0, 0, 0, 0]]);
    expect(await a.at(side).get()).toEqual([[0, 0, 0, 3]]);
    expect(await b.at(side).get()).toEqual([]);
    expect(await b.at(master).get()).toEqual([[1, 1, 1, 1]]);
    expect(await a.get()).toEqual([[0, 0, 0, 3]]);
    await commit(client, master);
    await commit(client, side);
    const merged = await merge(client, root, [master, side]);
    expect(await a.at(merged).get()).toEqual([[0, 0, 0, 0]]);
    expect(await b.at(merged).get()).toEqual([]);
  });
});
