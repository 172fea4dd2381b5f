/**
 * The mock DVID driven with plain fetch, both through `mock.fetch` (no HTTP) and through a
 * `startMockDvid` server (real HTTP on 127.0.0.1). Expected texts were observed on DVID v1.0.0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockDvid, startMockDvid, type MockDvid, type RunningMockDvid } from '../../mocks/index.js';

const VOXEL_TYPES = [
  { type: 'uint8blk', bytes: 1, array: Uint8Array },
  { type: 'uint16blk', bytes: 2, array: Uint16Array },
  { type: 'uint32blk', bytes: 4, array: Uint32Array },
  { type: 'uint64blk', bytes: 8, array: BigUint64Array },
  { type: 'float32blk', bytes: 4, array: Float32Array },
  { type: 'rgba8blk', bytes: 4, array: Uint8Array },
] as const;

interface Target {
  base: string;
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  mock: MockDvid;
}

/** Runs the same suite over mock.fetch and over a real HTTP server. */
const transports: [string, () => Promise<{ target: Target; stop: () => Promise<void> }>][] = [
  [
    'mock.fetch',
    async () => {
      const mock = createMockDvid();
      return { target: { base: 'http://mock.dvid', fetch: (i, init) => mock.fetch(i, init), mock }, stop: async () => {} };
    },
  ],
  [
    'startMockDvid over HTTP',
    async () => {
      const server = await startMockDvid();
      return {
        target: { base: server.url, fetch: (i, init) => fetch(i, init), mock: server.mock },
        stop: () => server.close(),
      };
    },
  ],
];

async function text(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

describe.each(transports)('mock DVID via %s', (_name, start) => {
  let t: Target;
  let stop: () => Promise<void>;
  const get = (path: string, init?: RequestInit) => t.fetch(t.base + path, init);
  const post = (path: string, body?: BodyInit) => t.fetch(t.base + path, { method: 'POST', body });
  const createRepo = async (body = '{"alias":"t","description":"d"}') => ((await (await post('/api/repos', body)).json()) as { root: string }).root;
  const createInstance = (uuid: string, config: Record<string, unknown>) => post(`/api/repo/${uuid}/instance`, JSON.stringify(config));

  beforeAll(async () => {
    ({ target: t, stop } = await start());
  });
  afterAll(async () => {
    await stop();
  });

  describe('server endpoints', () => {
    it('heartbeat is text/plain OK; HEAD has no body', async () => {
      const res = await get('/api/heartbeat?u=me&app=test');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect(await res.text()).toBe('OK');
      const head = await get('/api/heartbeat', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    });

    it('load, user latencies and config answer like DVID', async () => {
      await get('/api/heartbeat?u=alice');
      const latencies = (await (await get('/api/user-latencies')).json()) as Record<string, Record<string, unknown>>;
      expect(latencies.alice).toMatchObject({ User: 'alice', LastLatency: 0, MinLatency: 0, MaxLatency: 0 });
      expect(latencies.alice.LastPing).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(await (await get('/api/user-latencies?u=nobody')).json()).toEqual({ User: '', LastPing: '', LastLatency: 0, MinLatency: 0, MaxLatency: 0 });
      const load = (await (await get('/api/load')).json()) as Record<string, number>;
      expect(Object.keys(load)).toHaveLength(12);
      expect(load['GET requests']).toBe(0);
      const config = await get('/api/server/config');
      expect(config.headers.get('content-type')).toBe('text/plain');
      expect(await config.text()).toContain('[server]');
    });

    it('server info has DVID keys and only string values', async () => {
      const res = await get('/api/server/info');
      expect(res.headers.get('content-type')).toBe('application/json');
      const info = (await res.json()) as Record<string, unknown>;
      for (const key of ['Cores', 'Datastore Version', 'DVID Version', 'Storage backend', 'Server time', 'Server uptime', 'Host']) {
        expect(info).toHaveProperty(key);
      }
      expect(Object.values(info).every((v) => typeof v === 'string')).toBe(true);
      expect(info['Datastore Version']).toBe('0.11.0');
      expect(Object.keys(info)).toEqual([...Object.keys(info)].sort());
    });

    it('compiled-types lists all of v1.0.0; types lists those with instances', async () => {
      const compiled = (await (await get('/api/server/compiled-types')).json()) as Record<string, string>;
      expect(Object.keys(compiled)).toHaveLength(19);
      expect(compiled.uint8blk).toBe('github.com/janelia-flyem/dvid/datatype/imageblk/uint8.go');
      expect(compiled.labelmap).toBe('github.com/janelia-flyem/dvid/datatype/labelmap');
      const uuid = await createRepo();
      await createInstance(uuid, { typename: 'uint32blk', dataname: 'typed' });
      const types = (await (await get('/api/server/types')).json()) as Record<string, string>;
      expect(types.uint32blk).toBe('github.com/janelia-flyem/dvid/datatype/imageblk/uint32.go');
      expect(types.labelmap).toBeUndefined();
    });

    it('unknown paths are goji 404s', async () => {
      for (const path of ['/api/nonexistent', '/api/server/info/', '/api/server/nothing']) {
        const res = await get(path);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(await res.text()).toBe('404 page not found\n');
      }
      expect((await t.fetch(`${t.base}/api/repos`, { method: 'PUT' })).status).toBe(404);
    });

    it('unclean paths are redirected like Go ServeMux', async () => {
      const res = await get('/api/server//info', { redirect: 'manual' });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe('/api/server/info');
    });

    it('plain OPTIONS lists allowed methods like goji AutomaticOptions', async () => {
      const res = await get('/api/repos', { method: 'OPTIONS' });
      expect(res.status).toBe(200);
      expect(res.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
      expect((await get('/api/heartbeat', { method: 'OPTIONS' })).status).toBe(404);
    });
  });

  describe('repos', () => {
    it('POST /api/repos returns a 32-hex root reported by repos/info and repo info', async () => {
      const res = await post('/api/repos', '{"alias":"r1","description":"first"}');
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = await res.text();
      expect(body).toMatch(/^\{"root": "[0-9a-f]{32}"\}$/);
      const root = (JSON.parse(body) as { root: string }).root;
      const repos = (await (await get('/api/repos/info')).json()) as Record<string, { Root: string; Alias: string }>;
      expect(repos[root]).toMatchObject({ Root: root, Alias: 'r1' });
      const info = (await (await get(`/api/repo/${root}/info`)).json()) as Record<string, any>;
      expect(Object.keys(info)).toEqual([
        'Root', 'Alias', 'Description', 'Log', 'Properties', 'DataInstances', 'DAG', 'MutationID', 'SavedMutationID', 'Created', 'Updated',
      ]);
      expect(info.Description).toBe('first');
      expect(info.DAG.Root).toBe(root);
      expect(info.DAG.Nodes[root]).toMatchObject({ Branch: '', UUID: root, Locked: false, Parents: [], Children: [] });
      expect(info.MutationID).toBe(1000000000);
    });

    it('HEAD /api/repo/{uuid} answers 200 text/plain; GET on it is 404', async () => {
      const root = await createRepo();
      const head = await get(`/api/repo/${root}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('text/plain');
      expect((await get(`/api/repo/${root}`)).status).toBe(404);
    });

    it('UUID prefixes, branch syntax and DVID error texts', async () => {
      const a = await createRepo('{"root":"abcd0001"}');
      await createRepo('{"root":"abcd0002"}');
      expect(((await (await get('/api/repo/abcd0001:master/info')).json()) as { Root: string }).Root).toBe(a);
      const ambiguous = await get('/api/repo/abcd/info');
      expect(ambiguous.status).toBe(400);
      expect(ambiguous.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await ambiguous.text()).toBe('more than one UUID matches abcd (/api/repo/abcd/info).\n');
      expect(await text(await get('/api/repo/fff/info'))).toBe('could not find UUID with partial match to fff (/api/repo/fff/info).\n');
      expect(await text(await get('/api/repo/abcd0001:dev/info'))).toBe('branch "dev" not found in repo "abcd0001" (/api/repo/abcd0001:dev/info).\n');
      expect(await text(await post('/api/repos', '{"root":"abcd0002"}'))).toBe('UUID already exists in datastore (/api/repos).\n');
      expect((await get('/api/repo/abcd0001/bogus')).status).toBe(404);
      expect((await get('/api/repo/fff/bogus')).status).toBe(400);
    });

    it('bad repo JSON gets Go decoder messages', async () => {
      expect(await text(await post('/api/repos', '{"alias":1}'))).toBe(
        "POST on repos endpoint requires valid 'alias': Setting for 'alias' was not a string: 1 (/api/repos).\n",
      );
      expect(await text(await post('/api/repos', 'notjson'))).toBe(
        "Error decoding POSTed JSON config for new repo: Malformed JSON request in body: invalid character 'o' in literal null (expecting 'u') (/api/repos).\n",
      );
      expect((await post('/api/repos')).status).toBe(200);
    });

    it('repo log, node note and status', async () => {
      const root = await createRepo();
      expect((await post(`/api/repo/${root}/log`, '{"log":["hello"]}')).status).toBe(200);
      const log = (await (await get(`/api/repo/${root}/log`)).json()) as { log: string[] };
      expect(log.log[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}hello$/);
      await post(`/api/node/${root}/note`, '{"note":"n"}');
      expect(await (await get(`/api/node/${root}/note`)).json()).toEqual({ note: 'n' });
      expect(await text(await get(`/api/node/${root}/status`))).toBe('{"Locked":false}');
      expect(await text(await post(`/api/node/${root}/commit`))).toBe(
        `Malformed JSON request in body: unexpected end of JSON input (/api/node/${root}/commit).\n`,
      );
      expect(await text(await post(`/api/node/${root}/commit`, '{}'))).toBe(`{"committed": "${root}"}`);
      expect(await text(await get(`/api/node/${root}/status`))).toBe('{"Locked":true}');
    });
  });

  describe('instances', () => {
    let uuid: string;
    beforeAll(async () => {
      uuid = await createRepo();
    });

    it('creates every voxel type with DVID answer text', async () => {
      for (const { type } of VOXEL_TYPES) {
        const res = await createInstance(uuid, { typename: type, dataname: `new_${type}` });
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(`{"result": "Added new_${type} [${type}] to node ${uuid}"}`);
      }
    });

    it('refuses bad configs with DVID messages', async () => {
      const path = `/api/repo/${uuid}/instance`;
      const cases: [Record<string, unknown> | string, string][] = [
        [{ typename: 'uint8blk', dataname: 'x', BlockSize: [64, 64, 64] }, "Setting for 'BlockSize' was not a string: [64 64 64]"],
        [{ typename: 'uint8blk', dataname: 'x', BlockSize: 64 }, "Setting for 'BlockSize' was not a string: 64"],
        [{ typename: 'uint8blk', dataname: 'x', VoxelSize: 1234567 }, "Setting for 'VoxelSize' was not a string: 1.234567e+06"],
        [{ typename: 'uint8blk', dataname: 'x', Background: null }, "Setting for 'Background' was not a string: <nil>"],
        [{ typename: 'uint8blk', dataname: 'x', Background: '300' }, 'strconv.ParseUint: parsing "300": value out of range'],
        [{ typename: 'uint8blk', dataname: 'x', BlockSize: 'a,b,c' }, 'strconv.ParseInt: parsing "a": invalid syntax'],
        [{ typename: 'uint8blk', dataname: 'x', Compression: 'foo' }, 'Illegal compression specified: foo'],
        [{ typename: 'uint8blk', dataname: 'x', Versioned: 'maybe' }, "Illegal setting for 'versioned' (needs to be 'false', '0', 'true', or '1'): maybe"],
        [{ typename: 'uint8blk', dataname: 'log' }, 'cannot use reserved name "log"'],
        [{ typename: 'no-such-type', dataname: 'x' }, 'Data type "no-such-type" is not supported by current DVID server'],
        [{ dataname: 'x' }, "POST on repo endpoint requires specification of valid 'typename'"],
        [{ typename: 'uint8blk' }, "POST on repo endpoint requires specification of valid 'dataname'"],
        ['[1]', "Error decoding POSTed JSON config for 'new': Malformed JSON request in body: json: cannot unmarshal array into Go value of type map[string]interface {}"],
      ];
      for (const [config, message] of cases) {
        const res = await post(path, typeof config === 'string' ? config : JSON.stringify(config));
        expect(res.status).toBe(400);
        expect(await res.text()).toBe(`${message} (${path}).\n`);
      }
    });

    it('refuses a duplicate name', async () => {
      await createInstance(uuid, { typename: 'uint8blk', dataname: 'dup' });
      const res = await createInstance(uuid, { typename: 'uint16blk', dataname: 'dup' });
      expect(await res.text()).toBe(`Data named "dup" already exists in repo (root ${uuid}) (/api/repo/${uuid}/instance).\n`);
    });

    it('answers 501 for DVID types the mock does not emulate', async () => {
      const res = await createInstance(uuid, { typename: 'googlevoxels', dataname: 'gv' });
      expect(res.status).toBe(501);
      expect(await res.text()).toContain('not emulated');
    });

    it('info of a fresh instance: exact JSON', async () => {
      await createInstance(uuid, { typename: 'uint8blk', dataname: 'fresh' });
      const body = await text(await get(`/api/node/${uuid}/fresh/info`));
      const info = JSON.parse(body) as { Base: Record<string, unknown> };
      const base = body.slice(0, body.indexOf(',"Extended"'));
      expect(base).toBe(
        `{"Base":{"TypeName":"uint8blk","TypeURL":"github.com/janelia-flyem/dvid/datatype/imageblk/uint8.go","TypeVersion":"0.2",` +
          `"DataUUID":"${info.Base.DataUUID}","Name":"fresh","RepoUUID":"${uuid}","Compression":"LZ4 compression, level -1",` +
          `"Checksum":"No checksum","Syncs":[],"Versioned":true,"KVStore":"${info.Base.KVStore}","LogStore":"no mutation log set","Tags":null}`,
      );
      expect(body.slice(body.indexOf(',"Extended"'))).toBe(
        ',"Extended":{"Values":[{"DataType":"uint8","Label":"uint8"}],"Interpolable":true,"BlockSize":[32,32,32],"VoxelSize":[8,8,8],' +
          '"VoxelUnits":["nanometers","nanometers","nanometers"],"MinPoint":null,"MaxPoint":null,"MinIndex":null,"MaxIndex":null,' +
          '"Background":0,"GridStore":"","ScaleLevel":0},"Extents":{"MinPoint":null,"MaxPoint":null}}',
      );
      const meta = await get(`/api/node/${uuid}/fresh/metadata`);
      expect(meta.headers.get('content-type')).toBe('application/vnd.dvid-nd-data+json');
      const metaText = await meta.text();
      expect(metaText.endsWith('}\n')).toBe(true);
      expect(JSON.parse(metaText).Axes[0]).toEqual({ Label: 'X', Resolution: 8, Units: 'nanometers', Size: 0, Offset: 0 });
    });

    it('config strings set BlockSize, VoxelSize (float32), units, tags, compression', async () => {
      await createInstance(uuid, {
        typename: 'rgba8blk',
        dataname: 'configured',
        BlockSize: '16,16,16',
        VoxelSize: '4.5,4.5,40.1',
        VoxelUnits: 'nm,nm,nm',
        Compression: 'gzip:5',
        Tags: 'b=1,a=2',
        Versioned: false,
      });
      const body = await text(await get(`/api/node/${uuid}/configured/info`));
      expect(body).toContain('"Compression":"gzip compression, level 5"');
      expect(body).toContain('"Versioned":false');
      expect(body).toContain('"Tags":{"a":"2","b":"1"}');
      expect(body).toContain('"Values":[{"DataType":"uint8","Label":"red"},{"DataType":"uint8","Label":"green"},{"DataType":"uint8","Label":"blue"},{"DataType":"uint8","Label":"alpha"}]');
      expect(body).toContain('"BlockSize":[16,16,16],"VoxelSize":[4.5,4.5,40.1],"VoxelUnits":["nm","nm","nm"]');
    });

    it('instance errors: unknown name, unknown keyword, wrong method', async () => {
      const base = `/api/node/${uuid}`;
      expect(await text(await get(`${base}/nope/info`))).toBe(`invalid data instance name (${base}/nope/info).\n`);
      const host = new URL(t.base).host;
      expect(await text(await get(`${base}/fresh/bogus`))).toBe(
        `Bad API call (${base}/fresh/bogus) for data "fresh".  See API help at http://${host}/api/help/uint8blk\n`,
      );
      expect(await text(await t.fetch(`${t.base}${base}/fresh/info`, { method: 'DELETE' }))).toBe(
        `Data "fresh" can only handle GET or POST HTTP verbs (${base}/fresh/info).\n`,
      );
      expect(await text(await post(`${base}/fresh/info`))).toBe(`info endpoint only supports GET HTTP verb (${base}/fresh/info).\n`);
      expect((await get(`${base}/fresh/info`, { method: 'HEAD' })).status).toBe(400);
      expect((await get(`${base}/fresh`)).status).toBe(404);
    });
  });

  describe('voxels', () => {
    let uuid: string;
    beforeAll(async () => {
      uuid = await createRepo();
    });

    it.each(VOXEL_TYPES)('$type: raw round trip, sub-boxes, zeros outside, little-endian ZYX', async ({ type, bytes, array }) => {
      const name = `rt_${type}`;
      await createInstance(uuid, { typename: type, dataname: name, BlockSize: '8,8,8' });
      const [nx, ny, nz] = [16, 8, 8];
      const data = new Uint8Array(nx * ny * nz * bytes);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 255;
      const put = await post(`/api/node/${uuid}/${name}/raw/0_1_2/${nx}_${ny}_${nz}/-8_8_-16`, data);
      expect(put.status).toBe(200);
      expect(await put.text()).toBe('');
      const whole = await get(`/api/node/${uuid}/${name}/raw/0_1_2/${nx}_${ny}_${nz}/-8_8_-16`);
      expect(whole.headers.get('content-type')).toBe('application/octet-stream');
      expect(new Uint8Array(await whole.arrayBuffer())).toEqual(data);
      // An unaligned box overlapping the data: x -10..-5, y 7..9, z -9..-9.
      const box = new Uint8Array(await (await get(`/api/node/${uuid}/${name}/raw/0_1_2/6_3_1/-10_7_-9`)).arrayBuffer());
      expect(box.length).toBe(6 * 3 * 1 * bytes);
      for (let y = 0; y < 3; y++) {
        for (let x = 0; x < 6; x++) {
          const [wx, wy, wz] = [-10 + x, 7 + y, -9];
          const inside = wx >= -8 && wx < 8 && wy >= 8 && wy < 16 && wz >= -16 && wz < -8;
          const src = (((wz + 16) * ny + (wy - 8)) * nx + (wx + 8)) * bytes;
          const got = box.subarray((y * 6 + x) * bytes, (y * 6 + x + 1) * bytes);
          expect(Array.from(got)).toEqual(inside ? Array.from(data.subarray(src, src + bytes)) : new Array(bytes).fill(0));
        }
      }
      // The bytes decode as the dtype's little-endian values.
      const typed = new (array as unknown as new (b: ArrayBuffer) => ArrayLike<number | bigint>)(data.buffer);
      expect(typed.length).toBe((nx * ny * nz * 4) / (type === 'rgba8blk' ? 1 : 4));
    });

    it('rejects unaligned and wrongly sized POSTs with DVID texts', async () => {
      await createInstance(uuid, { typename: 'uint8blk', dataname: 'strict' });
      const path = `/api/node/${uuid}/strict/raw/0_1_2/32_32_32/1_0_0`;
      const unaligned = await post(path, new Uint8Array(32 ** 3));
      expect(unaligned.status).toBe(400);
      expect(await unaligned.text()).toBe(`cannot store voxels in non-block aligned geometry (1,0,0) -> (32,31,31) (${path}).\n`);
      const short = `/api/node/${uuid}/strict/raw/0_1_2/32_32_31/0_0_0`;
      expect(await text(await post(short, 'abc'))).toBe(
        `voxels data was 3 bytes, expected 31744 bytes for 3d volume (32,32,31) at offset (0,0,0) (${short}).\n`,
      );
      const bad = `/api/node/${uuid}/strict/raw/0_1_2/0_2_1/0_0_0`;
      expect(await text(await get(bad))).toBe(`Illegal geometry requested: 3d volume (0,2,1) at offset (0,0,0) (${bad}).\n`);
      const shape = `/api/node/${uuid}/strict/raw/0_1_3/2_2_2/0_0_0`;
      expect(await text(await get(shape))).toBe(`Unknown data shape specification (0_1_3) (${shape}).\n`);
      const twoD = `/api/node/${uuid}/strict/raw/xy/32_32/0_0_0`;
      expect(await text(await post(twoD, ''))).toBe(`DVID does not permit 2d mutations, only 3d block-aligned stores (${twoD}).\n`);
    });

    it('extents grow with writes, including negative coordinates', async () => {
      await createInstance(uuid, { typename: 'uint16blk', dataname: 'grow' });
      const mutationId = async () => ((await (await get(`/api/repo/${uuid}/info`)).json()) as { MutationID: number }).MutationID;
      const before = await mutationId();
      const block = new Uint8Array(32 ** 3 * 2);
      await post(`/api/node/${uuid}/grow/raw/0_1_2/32_32_32/-32_0_32`, block);
      let info = JSON.parse(await text(await get(`/api/node/${uuid}/grow/info`)));
      expect(info.Extents).toEqual({ MinPoint: [-32, 0, 32], MaxPoint: [-1, 31, 63] });
      expect(info.Extended.MinIndex).toEqual([-1, 0, 1]);
      expect(info.Extended.MaxIndex).toEqual([-1, 0, 1]);
      await post(`/api/node/${uuid}/grow/raw/0_1_2/32_32_32/32_64_0`, block);
      info = JSON.parse(await text(await get(`/api/node/${uuid}/grow/info`)));
      expect(info.Extents).toEqual({ MinPoint: [-32, 0, 0], MaxPoint: [63, 95, 63] });
      const meta = JSON.parse(await text(await get(`/api/node/${uuid}/grow/metadata`)));
      expect(meta.Axes.map((a: { Size: number; Offset: number }) => [a.Size, a.Offset])).toEqual([
        [96, -32],
        [96, 0],
        [64, 0],
      ]);
      expect((await mutationId()) - before).toBe(2);
    });

    it('POST extents and resolution', async () => {
      await createInstance(uuid, { typename: 'float32blk', dataname: 'ext' });
      expect((await post(`/api/node/${uuid}/ext/extents`, '{"MinPoint":[1,2,3],"MaxPoint":[40,50,60]}')).status).toBe(200);
      expect((await post(`/api/node/${uuid}/ext/resolution`, '[4,4,40.5]')).status).toBe(200);
      const meta = JSON.parse(await text(await get(`/api/node/${uuid}/ext/metadata`)));
      expect(meta.Axes[2]).toEqual({ Label: 'Z', Resolution: 40.5, Units: 'nanometers', Size: 58, Offset: 3 });
      const path = `/api/node/${uuid}/ext/extents`;
      expect(await text(await post(path, '{"MinPoint":[1.5]}'))).toBe(
        `json: cannot unmarshal number 1.5 into Go struct field extents3D.MinPoint of type int32 (${path}).\n`,
      );
      expect(await text(await post(path, ''))).toBe(`unexpected end of JSON input (${path}).\n`);
    });

    it('setBusy makes the next voxel requests answer 503 with the throttle text', async () => {
      await createInstance(uuid, { typename: 'uint8blk', dataname: 'busy' });
      t.mock.setBusy(2);
      for (let i = 0; i < 2; i++) {
        const res = await get(`/api/node/${uuid}/busy/raw/0_1_2/2_2_2/0_0_0`);
        expect(res.status).toBe(503);
        expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(await res.text()).toBe('Server already running 1 throttled operations (max = 1)\n\n');
      }
      expect((await get(`/api/node/${uuid}/busy/info`)).status).toBe(200);
      expect((await get(`/api/node/${uuid}/busy/raw/0_1_2/2_2_2/0_0_0`)).status).toBe(200);
    });

    it('throttle settings: 0 slots make throttle=on requests 503, others pass', async () => {
      await createInstance(uuid, { typename: 'uint8blk', dataname: 'thr' });
      const set = await post('/api/server/settings', '{"throttle":"0"}');
      expect(set.headers.get('content-type')).toBe('text/plain');
      expect(await set.text()).toBe('Maximum throttled ops set to 0 from 1\n');
      const raw = `/api/node/${uuid}/thr/raw/0_1_2/2_2_2/0_0_0`;
      for (const q of ['on', 'true']) {
        const res = await get(`${raw}?throttle=${q}`);
        expect(res.status).toBe(503);
        expect(await res.text()).toBe('Server already running 0 throttled operations (max = 0)\n\n');
      }
      expect((await get(`${raw}?throttle=1`)).status).toBe(200);
      expect((await get(raw)).status).toBe(200);
      expect(await text(await post('/api/server/settings', '{"throttle":3}'))).toBe(
        "POST on settings endpoint had bad parsing of 'throttle' key: Setting for 'throttle' was not a string: 3 (/api/server/settings).\n",
      );
      expect(await text(await post('/api/server/settings', '{"throttle":"1","gc":"100"}'))).toBe(
        'DVID server garbage collection target percentage set to 100 from 100\nMaximum throttled ops set to 1 from 0\n',
      );
      expect((await get(`${raw}?throttle=on`)).status).toBe(200);
    });
  });
});

describe('mock DVID options', () => {
  it('adminToken guards repo creation and settings', async () => {
    const mock = createMockDvid({ adminToken: 'secret' });
    const denied = await mock.fetch('http://h/api/repos', { method: 'POST', body: '{}' });
    expect(denied.status).toBe(400);
    expect(await denied.text()).toBe('Creating a repo requires admin privileges (/api/repos).\n');
    expect((await mock.fetch('http://h/api/repos?admintoken=secret', { method: 'POST', body: '{}' })).status).toBe(200);
    expect((await mock.fetch('http://h/api/server/settings', { method: 'POST', body: '{"throttle":"2"}' })).status).toBe(400);
    expect((await mock.fetch('http://h/api/server/settings?admintoken=secret', { method: 'POST', body: '{"throttle":"2"}' })).status).toBe(200);
  });

  it('without adminToken nothing is checked (DVID v1.0.0)', async () => {
    const mock = createMockDvid();
    expect((await mock.fetch('http://h/api/repos', { method: 'POST', body: '{}' })).status).toBe(200);
  });

  it('CORS list: rs/cors preflight and actual-request headers', async () => {
    const mock = createMockDvid({ corsOrigins: ['http://localhost:5173'] });
    const preflight = (origin: string, method: string, headers?: string) =>
      mock.fetch('http://h/api/repos', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': method, ...(headers ? { 'Access-Control-Request-Headers': headers } : {}) },
      });
    const ok = await preflight('http://localhost:5173', 'POST', 'content-type');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST');
    expect(ok.headers.get('access-control-allow-headers')).toBe('Content-Type');
    expect(ok.headers.get('vary')).toBe('Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    for (const refused of [
      await preflight('http://evil.example', 'POST'),
      await preflight('http://localhost:5173', 'PUT'),
      await preflight('http://localhost:5173', 'POST', 'x-custom'),
    ]) {
      expect(refused.status).toBe(204);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
    const actual = await mock.fetch('http://h/api/heartbeat', { headers: { Origin: 'http://localhost:5173' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(actual.headers.get('vary')).toBe('Origin');
    const other = await mock.fetch('http://h/api/heartbeat', { headers: { Origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const notFound = await mock.fetch('http://h/api/nope', { headers: { Origin: 'http://localhost:5173' } });
    expect(notFound.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it("CORS '*': allow-origin on every response, no preflight handling", async () => {
    const mock = createMockDvid({ corsOrigins: '*' });
    const res = await mock.fetch('http://h/api/heartbeat');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await mock.fetch('http://h/api/repos', {
      method: 'OPTIONS',
      headers: { Origin: 'http://a', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('no CORS option: no CORS headers', async () => {
    const res = await createMockDvid().fetch('http://h/api/heartbeat', { headers: { Origin: 'http://a' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBeNull();
  });

  it('baseUrl limits the handlers to one origin', async () => {
    const mock = createMockDvid({ baseUrl: 'http://mock.dvid' });
    expect((await mock.fetch('http://mock.dvid/api/heartbeat')).status).toBe(200);
    const elsewhere = await mock.fetch('http://other.host/api/heartbeat');
    expect(elsewhere.status).toBe(404);
  });

  it('reset empties the server', async () => {
    const mock = createMockDvid();
    await mock.fetch('http://h/api/repos', { method: 'POST', body: '{}' });
    expect(mock.state.repos.size).toBe(1);
    mock.reset();
    expect(await (await mock.fetch('http://h/api/repos/info')).text()).toBe('{}');
  });

  it('state can be seeded directly', async () => {
    const mock = createMockDvid();
    const root = mock.state.createRepo({ alias: 'seeded' }).root;
    mock.state.createInstance(root, { typename: 'uint8blk', dataname: 'gray', BlockSize: '16,16,16' });
    const info = JSON.parse(await (await mock.fetch(`http://h/api/node/${root}/gray/info`)).text());
    expect(info.Extended.BlockSize).toEqual([16, 16, 16]);
  });

  it('fetch honours an aborted signal', async () => {
    const mock = createMockDvid();
    const controller = new AbortController();
    controller.abort();
    await expect(mock.fetch('http://h/api/heartbeat', { signal: controller.signal })).rejects.toThrow();
  });
});

describe('startMockDvid', () => {
  let server: RunningMockDvid;
  it('listens on 127.0.0.1, streams binary, and stops on close', async () => {
    server = await startMockDvid({ corsOrigins: ['http://localhost:5173'] });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    const root = server.mock.state.createRepo().root;
    server.mock.state.createInstance(root, { typename: 'uint64blk', dataname: 'big', BlockSize: '64,64,64' });
    const data = new Uint8Array(64 ** 3 * 8);
    for (let i = 0; i < data.length; i += 4096) data[i] = 1 + ((i / 4096) % 250);
    expect((await fetch(`${server.url}/api/node/${root}/big/raw/0_1_2/64_64_64/0_0_0`, { method: 'POST', body: data })).status).toBe(200);
    const back = new Uint8Array(await (await fetch(`${server.url}/api/node/${root}/big/raw/0_1_2/64_64_64/0_0_0`)).arrayBuffer());
    expect(back.length).toBe(data.length);
    expect(back.every((v, i) => v === data[i])).toBe(true);
    const preflight = await fetch(`${server.url}/api/repos`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const head = await fetch(`${server.url}/api/repo/${root}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('63');
    await server.close();
    await expect(fetch(`${server.url}/api/heartbeat`)).rejects.toThrow();
    await server.close();
  });
});
