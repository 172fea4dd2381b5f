/**
 * The mock DVID's imagetile type (mocks/handlers/imagetile.ts): creation settings, the tile
 * spec and its checks, tiles round-tripping unchanged, blank and missing tiles, tile keys and
 * slices stitched from tiles, with the statuses and texts of DVID v1.0.0 (observed on a v1.0.0
 * server).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createMockDvid, type MockDvid } from '../../mocks/index.js';
import { decodeImage } from '../../src/codecs/image.js';
import { encodePng } from '../../src/codecs/png.js';

const SPEC = { MinTileCoord: [0, 0, 0], MaxTileCoord: [1, 1, 1], Levels: { 0: { Resolution: [8, 8.5, 8], TileSize: [16, 16, 16] }, 1: { Resolution: [16, 17, 16], TileSize: [16, 16, 16] } } };

describe('imagetile on the mock', () => {
  let mock: MockDvid;
  let uuid: string;
  const url = (path: string) => `http://mock.dvid/api/node/${uuid}/${path}`;
  const get = (path: string) => mock.fetch(url(path));
  const post = (path: string, body: string | Uint8Array) => mock.fetch(url(path), { method: 'POST', body: body as BodyInit });

  async function create(name: string, config: Record<string, unknown>): Promise<Response> {
    return mock.fetch(`http://mock.dvid/api/repo/${uuid}/instance`, { method: 'POST', body: JSON.stringify({ typename: 'imagetile', dataname: name, ...config }) });
  }

  async function expect400(response: Response, message: string, path: string): Promise<void> {
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(`${message} (/api/node/${uuid}/${path}).\n`);
  }

  beforeEach(async () => {
    mock = createMockDvid();
    uuid = (await (await mock.fetch('http://mock.dvid/api/repos', { method: 'POST', body: '{}' })).json()).root;
    await mock.fetch(`http://mock.dvid/api/repo/${uuid}/instance`, { method: 'POST', body: JSON.stringify({ typename: 'uint8blk', dataname: 'gray' }) });
  });

  it('creates instances with DVID’s settings checks and reports them in /info', async () => {
    expect(await (await create('t', { Format: 'png', Source: 'gray', Placeholder: 'true' })).json()).toEqual({ result: `Added t [imagetile] to node ${uuid}` });
    const info = await (await get('t/info')).json();
    expect(info.Base.Compression).toBe('No compression, level -1');
    expect(info.Extended).toEqual({ Source: 'gray', MinTileCoord: [0, 0, 0], MaxTileCoord: [0, 0, 0], Levels: {}, Placeholder: true, Encoding: 1, Quality: 0 });
    await create('l', { Format: 'LZ4' });
    expect((await (await get('l/info')).json()).Base.Compression).toBe('LZ4 compression, level -1');
    const refusals: [Record<string, unknown>, string][] = [
      [{ Format: 'gif' }, "Unknown encoding specified: 'gif' (should be 'lz4', 'png', or 'jpg'"],
      [{ Format: 'png', Compression: 'gzip' }, "Conflict between specified compression 'gzip' and format 'png'.  Suggest not dictating compression."],
      [{ Placeholder: 'maybe' }, "Cannot parse 'maybe' as a boolean.  Use 'true', 'false', '0', or '1'."],
      [{ Placeholder: true }, "Setting for 'Placeholder' was not a string: true"],
    ];
    for (const [config, message] of refusals) {
      const r = await create('x', config);
      expect(r.status).toBe(400);
      expect(await r.text()).toBe(`${message} (/api/repo/${uuid}/instance).\n`);
    }
  });

  it('checks and returns the tile spec as DVID does', async () => {
    await create('t', { Source: 'gray' });
    await expect400(await get('t/metadata'), 'tile metadata for imagetile "t" was not set\n', 't/metadata');
    await expect400(await get('t/tile/xy/0/0_0_0'), 'Tile metadata has not been POSTed yet.  GET requests require metadata to be POST.', 't/tile/xy/0/0_0_0');
    const refusals: [string, string][] = [
      ['{}', 'Could not find tile spec for level 0'],
      ['{"Levels":{"1":{}}}', 'Tile levels must be consecutive integers from [0,Max]: Got scale level 1 > # levels (1)\n'],
      ['{"Levels":{"a":{}}}', "Scaling 'a' needs to be a number for the scale level."],
      ['{"MinTileCoord":[1,"a",3]}', 'json: cannot unmarshal string into Go struct field metadataJSON.MinTileCoord of type int32'],
      ['{"Levels":{"0":{"Resolution":"x"}}}', 'json: cannot unmarshal string into Go struct field LevelSpec.Levels.Resolution of type dvid.NdFloat32'],
      ['{"Levels":{"0":{"Resolution":[8,8,8]},"1":{"Resolution":[4,8,8]}}}', "Resolutions between scale 0 and 1 aren't integral magnifications!"],
      ['nope', "invalid character 'o' in literal null (expecting 'u')"],
    ];
    for (const [body, message] of refusals) await expect400(await post('t/metadata', body), message, 't/metadata');
    expect((await post('t/metadata', JSON.stringify(SPEC))).status).toBe(200);
    expect(await (await get('t/metadata')).text()).toBe(
      '{"MinTileCoord":[0,0,0],"MaxTileCoord":[1,1,1],"Levels":{"0":{"Resolution":[8,8.5,8],"TileSize":[16,16,16]},"1":{"Resolution":[16,17,16],"TileSize":[16,16,16]}}}',
    );
  });

  it('stores tiles unchecked, serves them with the instance’s content type, blanks and 404s for missing ones', async () => {
    await create('t', { Source: 'gray' });
    await create('j', { Format: 'jpg' });
    for (const name of ['t', 'j']) await post(`${name}/metadata`, JSON.stringify(SPEC));
    expect((await post('t/tile/xy/0/0_0_0', new Uint8Array([1, 2, 3]))).status).toBe(200);
    const stored = await get('t/tile/xy/0/0_0_0');
    expect(stored.headers.get('content-type')).toBe('image/png');
    expect(Array.from(new Uint8Array(await stored.arrayBuffer()))).toEqual([1, 2, 3]);
    await post('j/tile/yz/0/3_0_1', new Uint8Array([0xff, 0xd8, 9]));
    expect((await get('j/tile/yz/0/3_0_1')).headers.get('content-type')).toBe('image/jpeg');
    const blank = await get('t/tile/xz/1/0_3_0');
    expect(decodeImage(new Uint8Array(await blank.arrayBuffer()))).toMatchObject({ width: 16, height: 16, channels: 1, depth: 8 });
    expect((await get('t/tile/xy/0/1_1_1/jpg')).headers.get('content-type')).toBe('image/jpeg');
    const missing = await get('t/tile/xy/0/1_1_1?noblanks=true');
    expect([missing.status, await missing.text()]).toEqual([404, '404 page not found\n']);
    expect((await get('t/tile/xy/0/-1_0_0?noblanks=true')).status).toBe(404);
    await expect400(await get('t/tile/xy/7/0_0_1'), 'Could not extract tiles for unspecified scale level 7', 't/tile/xy/7/0_0_1');
    await expect400(await get('t/tile/ab/0/0_0_1'), "Can't get 2D size from a non-2D shape: Unknown shape", 't/tile/ab/0/0_0_1');
    await expect400(
      await post('t/tile/ab/0/0_0_0', 'x'),
      `Error in posting tile with URL "node/${uuid}/t/tile/ab/0/0_0_0": Illegal tile plane: ab (Unknown data shape specification (ab))\n`,
      't/tile/ab/0/0_0_0',
    );
    const key = await (await get('t/tilekey/xz/2/-1_2_3')).json();
    expect(key.key).toMatch(/^01[0-9a-f]{8}03020002000000020380000003800000027fffffff[0-9a-f]{8}0000000003$/);
  });

  it('stitches slices from scale-0 tiles in the source’s type; missing tiles are zero or placeholders', async () => {
    await create('t', { Source: 'gray' });
    await create('p', { Source: 'gray', Placeholder: 'true' });
    for (const name of ['t', 'p']) await post(`${name}/metadata`, JSON.stringify(SPEC));
    const pixels = Uint8Array.from({ length: 256 }, (_, i) => i);
    await post('t/tile/xy/1/0_0_5', encodePng({ width: 16, height: 16, channels: 1, depth: 8, data: new Uint8Array(256) })); // scale 1: not used
    await post('t/tile/xy/0/1_0_5', encodePng({ width: 16, height: 16, channels: 1, depth: 8, data: pixels }));
    const slice = decodeImage(new Uint8Array(await (await get('t/raw/xy/8_4/12_2_5')).arrayBuffer()));
    expect(slice).toMatchObject({ width: 8, height: 4, channels: 1 });
    // Columns 12..15 fall in tile 0 (missing: 0), 16..19 in tile 1 at x 0..3.
    expect(Array.from((slice.data as Uint8Array).subarray(0, 8))).toEqual([0, 0, 0, 0, 32, 33, 34, 35]);
    const drawn = decodeImage(new Uint8Array(await (await get('p/raw/xy/16_16/0_0_5')).arrayBuffer()));
    expect((drawn.data as Uint8Array).some((v) => v !== 0)).toBe(true);
    await expect400(await get('t/raw/0_1_2/8_8_8/0_0_0'), 'Quadtrees can only return 2d images not 3d volume', 't/raw/0_1_2/8_8_8/0_0_0');
    await expect400(await post('t/raw/xy/8_8/0_0_0', ''), "imagetile 't' can only PUT tiles not images", 't/raw/xy/8_8/0_0_0');
    await create('nosource', {});
    await expect400(await get('nosource/raw/xy/8_8/0_0_0'), 'invalid data instance name', 'nosource/raw/xy/8_8/0_0_0');
    const del = await mock.fetch(url('t/tile'), { method: 'DELETE' });
    await expect400(del, 'Can only handle GET or POST HTTP verbs', 't/tile');
  });
});
