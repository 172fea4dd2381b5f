/**
 * Differential test of the mock's image endpoints (in the real-DVID project; skipped with it
 * when Go is missing): the same ~690 requests — slices of every voxel type in every plane and format,
 * isotropic slices, the 3D JPEG, /arb, block streams of every storage compression, JPEG
 * storage, imagetile (spec, tiles, blanks, stitched slices) and labelmap slices, plus their
 * error paths — against a fresh DVID v1.0.0 (the repo's harness) and the mock. Answers must
 * agree in status and content type; bodies byte for byte (JPEG, block streams, texts after
 * replacing UUIDs, data UUIDs, store paths, local IDs and panic request IDs), PNGs by their
 * decoded samples, colour type and bit depth (the compressed bytes differ by encoder).
 *
 *   npx vitest run --project contract-dvid test/real/mock-images-differential.test.ts
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import '../support/context.js';
import { createMockDvid, type MockDvid } from '../../mocks/index.js';
import { decodeImage } from '../../src/codecs/image.js';
import { encodePng } from '../../src/codecs/png.js';

type Mode = 'auto' | 'shape';
interface Answer {
  status: number;
  type: string | null;
  body: Uint8Array;
}

const enabled = Boolean(inject('dvidUrl'));
const N = 64;
const T = 32;

function normalize(text: string, uuid: string): string {
  return text
    .replaceAll(uuid, '{uuid}')
    .replace(/"DataUUID":"\w+"/g, '')
    .replace(/"KVStore":"[^"]*","LogStore":"[^"]*"/g, '')
    .replace(/local id \d+, version id \d+/g, 'IDS')
    .replace(/"key": "01\w{8}(\w+)\w{8}0000000003"/, '"key": "01ID$1VERSION0000000003"')
    .replace(/http:\/\/[^/]+\/api\/help/, 'HOST/api/help')
    .replace(/Panic detected on request [^:]+:/, 'Panic:')
    .replace(/IP: [^,]+, URL/, 'IP, URL')
    .replace(/\n+$/, '\n');
}

function sortedRecords(b: Uint8Array): string {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const records: string[] = [];
  for (let p = 0; p + 16 <= b.length; p += 16 + view.getInt32(p + 12, true)) {
    records.push(Buffer.from(b.subarray(p, p + 16 + view.getInt32(p + 12, true))).toString('hex'));
  }
  return records.sort().join('|');
}

function samples(body: Uint8Array): string | undefined {
  try {
    const img = decodeImage(body);
    return `${img.width}x${img.height}x${img.channels}@${img.depth}:${Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength).toString('base64')}`;
  } catch {
    return undefined;
  }
}

/** Why two answers differ, or undefined when they agree. */
function difference(a: Answer, b: Answer, uuids: [string, string], path: string, mode: Mode): string | undefined {
  if (a.status !== b.status || a.type !== b.type) return `${a.status} ${a.type} vs ${b.status} ${b.type}: ${new TextDecoder().decode(b.body).slice(0, 200)}`;
  if (a.type === 'image/png' && a.status === 200) {
    const [sa, sb] = [samples(a.body), samples(b.body)];
    if (mode === 'shape') return sa?.split(':')[0] === sb?.split(':')[0] ? undefined : 'image shapes differ';
    if (sa !== undefined || sb !== undefined) return sa === sb ? undefined : `samples differ (${sa?.split(':')[0]} vs ${sb?.split(':')[0]})`;
  }
  if (a.status !== 200 || (a.type ?? '').includes('json')) {
    const [ta, tb] = [normalize(new TextDecoder().decode(a.body), uuids[0]), normalize(new TextDecoder().decode(b.body), uuids[1])];
    return ta === tb ? undefined : `\n  dvid: ${ta}  mock: ${tb}`;
  }
  if (mode === 'shape') return undefined;
  if (path.includes('specificblocks')) return sortedRecords(a.body) === sortedRecords(b.body) ? undefined : 'block records differ';
  return Buffer.compare(Buffer.from(a.body), Buffer.from(b.body)) === 0 ? undefined : `bytes differ (${a.body.length} vs ${b.body.length})`;
}

let seed = 7;
function random(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed >>> 24;
}

/** 64³ voxels: random bytes or a smooth pattern with a little noise; an opaque slab z ∈ [40, 48). */
function volume(bpv: number, kind: 'random' | 'smooth'): Uint8Array {
  const v = new Uint8Array(N * N * N * bpv);
  for (let i = 0; i < v.length; i++) {
    const p = Math.floor(i / bpv);
    const [x, y, z] = [p % N, Math.floor(p / N) % N, Math.floor(p / N / N)];
    v[i] = kind === 'random' ? random() : (Math.round(128 + 60 * Math.sin(x / 7) * Math.cos(y / 9) + 30 * Math.cos(z / 5)) + (i % bpv) * 40 + (random() % 9)) & 255;
    if (bpv >= 4 && z >= 40 && z < 48 && i % bpv >= (bpv === 8 ? 6 : 3)) v[i] = 255;
  }
  return v;
}

describe.skipIf(!enabled)('mock image endpoints vs DVID v1.0.0', () => {
  let stop: (() => Promise<void>) | undefined;
  let servers: { fetch: typeof fetch; url: string; uuid: string }[] = [];
  let mock: MockDvid;
  const differences: string[] = [];
  let requests = 0;

  async function both(method: string, path: string, body?: Uint8Array | string, mode: Mode = 'auto'): Promise<void> {
    const answers = await Promise.all(
      servers.map(async (s) => {
        const r = await s.fetch(`${s.url}${path.replace('{uuid}', s.uuid)}`, { method, body: body as BodyInit | undefined });
        return { status: r.status, type: r.headers.get('content-type'), body: new Uint8Array(await r.arrayBuffer()) };
      }),
    );
    requests += 1;
    const why = difference(answers[0], answers[1], [servers[0].uuid, servers[1].uuid], path, mode);
    if (why !== undefined) differences.push(`${method} ${path}: ${why}`);
  }

  const create = (name: string, typename: string, config: Record<string, unknown> = {}) =>
    both('POST', '/api/repo/{uuid}/instance', JSON.stringify({ typename, dataname: name, ...config }));

  beforeAll(async () => {
    const { startDvid } = await import('../support/dvid-server.js');
    const dvid = await startDvid();
    stop = () => dvid.stop();
    mock = createMockDvid();
    servers = [
      { fetch: (input, init) => fetch(input, init), url: dvid.url, uuid: '' },
      { fetch: mock.fetch as typeof fetch, url: 'http://mock.dvid', uuid: '' },
    ];
    for (const s of servers) {
      const r = await s.fetch(`${s.url}/api/repos?admintoken=${dvid.adminToken}`, { method: 'POST', body: '{}' });
      s.uuid = ((await r.json()) as { root: string }).root;
    }
  }, 600_000);

  beforeEach(() => {
    differences.length = 0;
  });

  afterAll(async () => {
    await stop?.();
  });

  it('slices, isotropic slices, the 3D JPEG, /arb and uncompressed blocks of every voxel type', async () => {
    const types: [string, number][] = [['uint8blk', 1], ['uint16blk', 2], ['uint32blk', 4], ['uint64blk', 8], ['float32blk', 4], ['rgba8blk', 4]];
    for (const [type, bpv] of types) {
      for (const kind of ['random', 'smooth'] as const) {
        const name = `${type}_${kind}`;
        await create(name, type, kind === 'smooth' ? { VoxelSize: '4,5,40' } : {});
        await both('POST', `/api/node/{uuid}/${name}/raw/0_1_2/${N}_${N}_${N}/0_0_0`, volume(bpv, kind));
        for (const [plane, size, offset] of [['xy', '50_40', '3_5_13'], ['xz', '45_60', '7_21_2'], ['yz', '62_33', '30_1_9'], ['xy', '64_64', '0_0_44'], ['0_2', '30_20', '-5_3_50']]) {
          for (const endpoint of ['raw', 'isotropic']) {
            await both('GET', `/api/node/{uuid}/${name}/${endpoint}/${plane}/${size}/${offset}`);
            await both('GET', `/api/node/{uuid}/${name}/${endpoint}/${plane}/${size}/${offset}/jpg:95`);
          }
          await both('GET', `/api/node/{uuid}/${name}/raw/${plane}/${size}/${offset}/jpg`);
        }
        for (const path of ['raw/0_1_2/20_10_5/3_4_5/jpg', 'raw/0_1_2/20_10_5/3_4_5/jpg:90', 'arb/0_0_0/160_0_120/0_80_0/8/png', 'arb/3.5_4_20/200_4_20/3.5_170_20.5/7.5/jpg:70']) {
          await both('GET', `/api/node/{uuid}/${name}/${path}`);
        }
        await both('GET', `/api/node/{uuid}/${name}/specificblocks?blocks=0,0,0,1,1,1,5,5,5&compression=uncompressed`);
        await both('GET', `/api/node/{uuid}/${name}/subvolblocks/64_64_64/0_0_0?compression=uncompressed`);
      }
    }
    expect(differences).toEqual([]);
  }, 600_000);

  it('block streams and reads per storage compression, JPEG storage included', async () => {
    for (const compression of ['jpeg', 'gzip', 'none', 'snappy', 'lz4']) {
      const name = `store_${compression}`;
      await create(name, 'uint8blk', { Compression: compression });
      await both('POST', `/api/node/{uuid}/${name}/raw/0_1_2/${N}_${N}_${N}/0_0_0`, volume(1, 'smooth'));
      for (const path of ['raw/0_1_2/64_64_64/0_0_0', 'raw/xy/64_64/0_0_7/jpg', 'specificblocks?blocks=1,0,1,0,0,0&compression=uncompressed', 'subvolblocks/64_64_64/0_0_0?compression=jpeg', 'subvolblocks/32_32_32/32_0_0?compression=jpeg', 'specificblocks?blocks=1,0,1,0,0,0&compression=jpeg']) {
        await both('GET', `/api/node/{uuid}/${name}/${path}`);
      }
      if (compression === 'jpeg' || compression === 'none') await both('GET', `/api/node/{uuid}/${name}/subvolblocks/64_64_64/0_0_0`);
    }
    await create('rgb16', 'rgba8blk', { BlockSize: '16,16,16', Compression: 'jpeg' });
    await both('POST', '/api/node/{uuid}/rgb16/raw/0_1_2/16_16_16/16_-16_0', new Uint8Array(16 ** 3 * 4).map((_, i) => (i * 5 + 9) & 255));
    await both('GET', '/api/node/{uuid}/rgb16/raw/0_1_2/18_2_2/15_-2_14');
    expect(differences).toEqual([]);
  }, 600_000);

  it('error paths of slices, block streams and /arb', async () => {
    await create('e', 'uint8blk');
    await both('POST', `/api/node/{uuid}/e/raw/0_1_2/${N}_${N}_${N}/0_0_0`, volume(1, 'random'));
    const paths = [
      'subvolblocks/64_64_30/0_0_0', 'subvolblocks/64_64_64/0_0_0?compression=lz4', 'subvolblocks/64_64_64/-32_0_0', 'subvolblocks/0_0_0/0_0_0', 'subvolblocks/a_0_0/0_0_0', 'subvolblocks/64_64',
      'specificblocks?blocks=0,0,a', 'specificblocks?blocks=0,0', 'specificblocks', 'specificblocks?blocks=0,0,0&prefetch=true', 'specificblocks?blocks=9,9,9',
      'raw/xy/8_8/0_0_0/png:abc', 'raw/xy/8_0/0_0_0', 'raw/xy/8_8/0_0_0/gif', 'raw/xy/8_8/0_0_0/jpg:abc', 'raw/xy/8_8/0_0_0/jpg:0', 'raw/xy/8_8/0_0_0/jpg:1000', 'raw/xy/8_8/0_0_0/png:5',
      'raw/xy/8_8_8/0_0_0', 'raw/xy/8_8/0_0', 'raw/xy/8_a/0_0_0', 'raw/XZ/8_8/0_0_0/JPG', 'isotropic/xy/8_-8/0_0_0', 'raw/0_1_2/8_8_8/0_0_0/png', 'raw/0_1_2/8_8200_8/0_0_0/jpg',
      'arb/0_0_0/80_0_0/0_80_0', 'arb/0_0_0/80_0_0/0_80_0/x', 'arb/0_0/80_0_0/0_80_0/8', 'arb/0_0_0/0_0_0/0_80_0/8', 'arb/0_0_0/80_0_0/0_80_0/8/gif', 'arb/-20_-20_-20/60_-20_-20/-20_60_-20/4/png', 'arb/0_0_0/8_0_0/0_8_0/0.3/png',
    ];
    for (const path of paths) await both('GET', `/api/node/{uuid}/e/${path}`);
    for (const path of ['subvolblocks/64_64_64/0_0_0', 'specificblocks?blocks=0,0,0', 'raw/xy/8_8/0_0_0', 'isotropic/xy/8_8/0_0_0']) await both('POST', `/api/node/{uuid}/e/${path}`);
    expect(differences).toEqual([]);
  }, 600_000);

  it('imagetile: creation, spec, tiles, blanks, keys and stitched slices', async () => {
    const source = volume(1, 'random');
    await create('src', 'uint8blk');
    await create('aniso', 'uint8blk', { VoxelSize: '4,4,40' });
    await create('src16', 'uint16blk');
    await both('POST', `/api/node/{uuid}/src/raw/0_1_2/${N}_${N}_${N}/0_0_0`, source);
    const tiles: [string, Record<string, unknown>][] = [
      ['t', { Format: 'png', Source: 'src' }], ['ta', { Source: 'aniso' }], ['t16', { Source: 'src16' }], ['tp', { Source: 'src', Placeholder: 'true' }], ['tl', { Format: 'lz4' }],
      ['bad1', { Format: 'gif' }], ['bad2', { Format: 'png', Compression: 'gzip' }], ['bad3', { Placeholder: 'maybe' }], ['bad4', { Placeholder: true }], ['t6', { Format: 'LZ4', Compression: 'LZ4' }],
    ];
    for (const [name, config] of tiles) await create(name, 'imagetile', config);
    for (const path of ['t/info', 'tl/info', 't/metadata', 't/tile/xy/0/0_0_0', 't/raw/xy/8_8/0_0_0']) await both('GET', `/api/node/{uuid}/${path}`);
    for (const body of ['{}', '{"Levels":{"1":{}}}', '{"Levels":{"a":{}}}', '{"MinTileCoord":"x"}', '{"MinTileCoord":[1,"a",3]}', '{"Levels":{"0":{"Resolution":"x"}}}', '{"Levels":[1]}', '[]', 'nope', '',
      '{"Levels":{"0":{"Resolution":[8,8,8]},"1":{"Resolution":[4,8,8]}}}', '{"Levels":{"0":{"Resolution":[8,8,8]},"1":{"Resolution":[16,16]}}}']) {
      await both('POST', '/api/node/{uuid}/tl/metadata', body);
    }
    const spec = JSON.stringify({ MinTileCoord: [0, 0, 0], MaxTileCoord: [1, 1, 63], Levels: { 0: { Resolution: [8, 8, 8], TileSize: [T, T, T] }, 1: { Resolution: [16, 16, 16], TileSize: [T, T, T] } } });
    for (const name of ['t', 'ta', 't16', 'tp', 'tl']) await both('POST', `/api/node/{uuid}/${name}/metadata`, spec);
    await both('GET', '/api/node/{uuid}/t/metadata');
    const tilePng = (plane: string, c: number[]) => {
      const out = new Uint8Array(T * T);
      for (let j = 0; j < T; j++) {
        for (let i = 0; i < T; i++) {
          const [x, y, z] = plane === 'xy' ? [c[0] * T + i, c[1] * T + j, c[2]] : plane === 'xz' ? [c[0] * T + i, c[1], c[2] * T + j] : [c[0], c[1] * T + i, c[2] * T + j];
          out[j * T + i] = source[x + N * (y + N * z)];
        }
      }
      return encodePng({ width: T, height: T, channels: 1, depth: 8, data: out });
    };
    const posts: [string, number[]][] = [['xy', [0, 0, 10]], ['xy', [1, 0, 10]], ['xy', [0, 1, 10]], ['xy', [1, 1, 10]], ['xz', [0, 20, 0]], ['xz', [1, 20, 1]], ['yz', [30, 1, 0]], ['xz', [0, 5, 0]], ['xz', [1, 5, 0]]];
    for (const name of ['t', 'ta', 't16', 'tp']) for (const [plane, c] of posts) await both('POST', `/api/node/{uuid}/${name}/tile/${plane}/0/${c.join('_')}`, tilePng(plane, c));
    const rgba = encodePng({ width: T, height: T, channels: 4, depth: 8, data: Uint8Array.from({ length: T * T * 4 }, (_, i) => (i * 31) & 255) });
    const rgb16 = encodePng({ width: T, height: T, channels: 3, depth: 16, data: Uint16Array.from({ length: T * T * 3 }, (_, i) => (i * 2551) & 65535) });
    for (const name of ['t', 't16']) {
      await both('POST', `/api/node/{uuid}/${name}/tile/xy/0/0_0_20`, rgba);
      await both('POST', `/api/node/{uuid}/${name}/tile/xy/0/1_0_20`, rgb16);
    }
    await both('POST', '/api/node/{uuid}/t/tile/xy/0/0_1_20', new Uint8Array([1, 2, 3]));
    for (const name of ['t', 'ta', 't16', 'tp']) {
      for (const slice of ['xy/64_64/0_0_10', 'xy/40_30/5_7_10', 'xz/20_20/3_20_4', 'yz/50_60/30_3_2', 'xy/64_64/0_0_20', 'xy/10_10/-5_-5_10', 'xz/64_50/0_5_0']) {
        // Placeholders carry text in DVID (not drawn by the mock): compare their size only.
        const mode: Mode = name === 'tp' ? 'shape' : 'auto';
        for (const endpoint of ['raw', 'isotropic']) await both('GET', `/api/node/{uuid}/${name}/${endpoint}/${slice}`, undefined, mode);
        await both('GET', `/api/node/{uuid}/${name}/raw/${slice}/jpg:85`, undefined, mode);
      }
    }
    for (const path of ['t/tile/xy/0/0_0_10', 't/tile/xy/0/1_1_50', 't/tile/xy/0/1_1_50/jpg', 't/tile/xz/1/0_3_0', 't/tile/xy/7/0_0_1', 't/tile/ab/0/0_0_1', 't/tile/ab/0/0_0_1?noblanks=true',
      't/tile/xy/0/1_1_50?noblanks=true', 't/tile/xy/0/-1_0_10', 't/tile/xy/0/0_0_1/gif', 't/tile/vol/0/0_0_1', 't/tile/xy/0/0_1_20', 't/tilekey/xy/0/1_2_3', 't/tilekey/xz/2/-1_2_3',
      't/raw/0_1_2/8_8_8/0_0_0', 't/raw/arb/8_8/0_0_0', 't/raw/xy', 't/raw/xy/0_8/0_0_0', 'tl/raw/xy/8_8/0_0_0', 't/foo', 't/raw/xy/8_8/0_0_0/gif']) {
      await both('GET', `/api/node/{uuid}/${path}`);
    }
    for (const path of ['t/tile/ab/0/0_0_0', 't/tile/xy/x/0_0_0', 't/tile/xy/0/0_0', 't/raw/xy/8_8/0_0_0', 't/tilekey/xy/0/1_2_3']) await both('POST', `/api/node/{uuid}/${path}`, 'abc');
    await both('DELETE', '/api/node/{uuid}/t/tile');
    expect(differences).toEqual([]);
  }, 600_000);

  it('labelmap slices in every format, isotropic included', async () => {
    await create('seg', 'labelmap', { BlockSize: '64,64,64', VoxelSize: '4,4,40' });
    const labels = new BigUint64Array(N ** 3);
    for (let i = 0; i < labels.length; i++) labels[i] = ((BigInt(i >> 9) + 1n) << 44n) + BigInt(i & 7) + (i % 5 === 0 ? 0xffff000000000000n : 0n);
    await both('POST', '/api/node/{uuid}/seg/raw/0_1_2/64_64_64/0_0_0', new Uint8Array(labels.buffer));
    for (const slice of ['xy/50_40/3_4_5', 'xz/64_50/0_10_0', 'yz/30_20/7_3_2', 'xy/20_20/-5_50_10']) {
      for (const path of [`raw/${slice}`, `isotropic/${slice}`, `raw/${slice}/jpg`, `raw/${slice}?supervoxels=true`]) await both('GET', `/api/node/{uuid}/seg/${path}`);
    }
    for (const path of ['raw/xy/8_0/0_0_0', 'raw/xy/8_8/0_0_0/gif', 'raw/xy/8_8/0_0_0/jpg:x']) await both('GET', `/api/node/{uuid}/seg/${path}`);
    expect(differences).toEqual([]);
    expect(requests, "requests sent to each server").toBeGreaterThan(650);
  }, 600_000);
});
