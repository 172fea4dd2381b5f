/**
 * The imagetile type against the real DVID and the mock: creating instances, the tile spec,
 * tiles posted and read back in every plane and scale, missing tiles reported as placeholders,
 * and the slices DVID stitches from scale-0 tiles.
 */
import jpegJs from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DvidArgumentError,
  Volume,
  VoxelsMetadata,
  decodePng,
  encodePng,
  isDvidError,
  type ImagetileAccessor,
  type TileSpec,
  type VoxelsAccessor,
} from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

const N = 64;
const TILE = 32;

const SPEC: TileSpec = {
  minTileCoord: [0, 0, 0],
  maxTileCoord: [1, 1, 63],
  levels: [
    { resolution: [8, 8, 8], tileSize: [TILE, TILE, TILE] },
    { resolution: [16, 16, 16], tileSize: [TILE, TILE, TILE] },
  ],
};

function bytesOf(vol: Volume): Uint8Array {
  const a = vol.toTypedArray('F');
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describeServer(`imagetile (${server.kind})`, () => {
  const client = newClient();
  let uuid: string;
  let source: VoxelsAccessor<'uint8'>;
  let sourceVolume: Volume<'uint8'>;

  beforeAll(async () => {
    uuid = await newRepo(client);
    const md = VoxelsMetadata.createDefault([1, 0, 0, 0], 'uint8', 'cxyz', 8, 'nanometers');
    source = await client.createVoxels<'uint8'>(uuid, uniqueName('tilesource'), md, { blockSize: 32 });
    sourceVolume = Volume.zeros([1, N, N, N], 'uint8');
    for (let i = 0; i < sourceVolume.data.length; i++) sourceVolume.data[i] = (i * 13 + (i >> 6) * 7 + (i >> 12)) & 255;
    await source.write([0, 0, 0, 0], [1, N, N, N], sourceVolume);
  });

  /** The scale-0 tile of the source at a tile coordinate, as a [1, w, h] Volume. */
  function sourceTile(plane: 'xy' | 'xz' | 'yz', coord: number[]): Volume<'uint8'> {
    const [a, b, c] = coord;
    const sel =
      plane === 'xy'
        ? `:,${a * TILE}:${(a + 1) * TILE},${b * TILE}:${(b + 1) * TILE},${c}`
        : plane === 'xz'
          ? `:,${a * TILE}:${(a + 1) * TILE},${b},${c * TILE}:${(c + 1) * TILE}`
          : `:,${a},${b * TILE}:${(b + 1) * TILE},${c * TILE}:${(c + 1) * TILE}`;
    return sourceVolume.get(sel).copy();
  }

  describe('png tiles', () => {
    let tiles: ImagetileAccessor;

    beforeAll(async () => {
      tiles = await client.createImagetile(uuid, uniqueName('tiles'), { format: 'png', source: source.name });
    });

    it('opens with its format and source; the tile spec is unset, then round-trips', async () => {
      expect(tiles.format).toBe('png');
      expect(tiles.source).toBe(source.name);
      expect(tiles.placeholder).toBe(false);
      expect(await tiles.metadata()).toBeUndefined();
      await expect(tiles.tile('xy', 0, [0, 0, 0])).rejects.toSatisfy((e: unknown) => isDvidError(e, 'http') && e.status === 400);
      await tiles.postMetadata(SPEC);
      expect(await tiles.metadata()).toEqual(SPEC);
      const again = await client.imagetile(uuid, tiles.name);
      expect(again.format).toBe('png');
    });

    it('tiles posted as Volumes in every plane read back as the same pixels, and as the PNG stored', async () => {
      const posts: ['xy' | 'xz' | 'yz', number[]][] = [
        ['xy', [0, 0, 10]],
        ['xy', [1, 0, 10]],
        ['xy', [0, 1, 10]],
        ['xy', [1, 1, 10]],
        ['xz', [0, 20, 0]],
        ['xz', [1, 20, 1]],
        ['yz', [30, 1, 0]],
      ];
      for (const [plane, coord] of posts) {
        const tile = sourceTile(plane, coord);
        await tiles.postTile(plane, 0, coord, tile);
        const { placeholder, volume } = await tiles.tileVolume(plane, 0, coord);
        expect(placeholder).toBe(false);
        expect(volume!.shape).toEqual([1, TILE, TILE]);
        expect(volume!.axes).toBe(`c${plane}`);
        expect(sameBytes(bytesOf(volume!), bytesOf(tile)), `${plane} [${coord}]`).toBe(true);
      }
      // Bytes are returned exactly as posted.
      const png = encodePng({ width: TILE, height: TILE, channels: 1, depth: 8, data: bytesOf(sourceTile('xy', [0, 0, 11])) });
      await tiles.postTile('xy', 0, [0, 0, 11], png);
      const { image } = await tiles.tile('xy', 0, [0, 0, 11]);
      expect(image!.contentType).toBe('image/png');
      expect(sameBytes(image!.bytes, png)).toBe(true);
    });

    it('tiles at other scales round-trip', async () => {
      const half = Volume.zeros([1, TILE, TILE], 'uint8').fill(77);
      await tiles.postTile('xy', 1, [0, 0, 5], half);
      const { placeholder, volume } = await tiles.tileVolume('xy', 1, [0, 0, 5]);
      expect(placeholder).toBe(false);
      expect(Array.from(volume!.data as Uint8Array).every((b) => b === 77)).toBe(true);
    });

    it('a missing tile is reported as a placeholder; its blank image is fetched on request', async () => {
      expect(await tiles.tile('xy', 0, [1, 1, 50])).toEqual({ placeholder: true });
      const blank = await tiles.tile('xy', 0, [1, 1, 50], { blank: true });
      expect(blank.placeholder).toBe(true);
      expect(blank.image!.format).toBe('png');
      const decoded = decodePng(blank.image!.bytes);
      expect(decoded).toMatchObject({ width: TILE, height: TILE, channels: 1, depth: 8 });
      expect((decoded.data as Uint8Array).every((b) => b === 0)).toBe(true);
      const vol = await tiles.tileVolume('xz', 1, [0, 3, 0], { blank: true });
      expect(vol.placeholder).toBe(true);
      expect(vol.volume!.shape).toEqual([1, TILE, TILE]);
    });

    it('stitches /raw slices from scale-0 tiles: equal to the source where tiles exist, zero elsewhere', async () => {
      const whole = await tiles.slice('xy', [0, 0, 10], [N, N]);
      expect(whole.dtype).toBe('uint8');
      expect(sameBytes(bytesOf(whole), bytesOf(sourceVolume.get(':,:,:,10').copy()))).toBe(true);
      const part = await tiles.slice('xy', [5, 7, 10], [40, 30]);
      expect(sameBytes(bytesOf(part), bytesOf(sourceVolume.get(':,5:45,7:37,10').copy()))).toBe(true);
      const xz = await tiles.slice('xz', [3, 20, 4], [20, 20]);
      expect(sameBytes(bytesOf(xz), bytesOf(sourceVolume.get(':,3:23,20,4:24').copy()))).toBe(true);
      const empty = await tiles.slice('xy', [0, 0, 40], [N, N]);
      expect((empty.data as Uint8Array).every((b) => b === 0)).toBe(true);
      const iso = await tiles.slice('xy', [0, 0, 10], [N, N], { isotropic: true });
      expect(sameBytes(bytesOf(iso), bytesOf(whole))).toBe(true);
      const jpeg = await tiles.sliceImage('xy', [0, 0, 10], [N, N], { format: 'jpeg' });
      expect(jpeg.contentType).toBe('image/jpeg');
    });

    it('checks arguments before any request', async () => {
      await expect(tiles.postTile('xy', 0, [0, 0, 0], jpegBytes())).rejects.toThrow(DvidArgumentError);
      await expect(tiles.postTile('xy', -1, [0, 0, 0], Volume.zeros([1, 4, 4], 'uint8'))).rejects.toThrow(DvidArgumentError);
      await expect(tiles.tile('ab' as 'xy', 0, [0, 0, 0])).rejects.toThrow(DvidArgumentError);
      await expect(tiles.tile('xy', 0, [0, 0])).rejects.toThrow(DvidArgumentError);
      await expect(tiles.postTile('xy', 0, [0, 0, 0], Volume.zeros([2, 4, 4], 'uint8'))).rejects.toThrow(DvidArgumentError);
      await expect(tiles.slice('xy', [0, 0, 0], [4, 4], { format: 'raw' })).rejects.toThrow(DvidArgumentError);
    });
  });

  function jpegBytes(): Uint8Array {
    const rgba = new Uint8Array(TILE * TILE * 4);
    for (let i = 0; i < TILE * TILE; i++) rgba.set([i & 255, (i >> 2) & 255, 128, 255], 4 * i);
    return new Uint8Array(jpegJs.encode({ width: TILE, height: TILE, data: rgba }, 90).data);
  }

  describe('jpg and lz4 tiles', () => {
    it('jpg: JPEG bytes round-trip exactly with image/jpeg; PNGs and Volumes are refused', async () => {
      const tiles = await client.createImagetile(uuid, uniqueName('jtiles'), { format: 'jpg' });
      expect(tiles.format).toBe('jpg');
      expect(tiles.source).toBeUndefined();
      await tiles.postMetadata(SPEC);
      const bytes = jpegBytes();
      await tiles.postTile('yz', 0, [3, 0, 1], bytes);
      const { placeholder, image } = await tiles.tile('yz', 0, [3, 0, 1]);
      expect(placeholder).toBe(false);
      expect(image!.contentType).toBe('image/jpeg');
      expect(sameBytes(image!.bytes, bytes)).toBe(true);
      const { volume } = await tiles.tileVolume('yz', 0, [3, 0, 1]);
      expect(volume!.shape).toEqual([3, TILE, TILE]);
      const png = encodePng({ width: 2, height: 2, channels: 1, depth: 8, data: new Uint8Array(4) });
      await expect(tiles.postTile('xy', 0, [0, 0, 0], png)).rejects.toThrow(DvidArgumentError);
      await expect(tiles.postTile('xy', 0, [0, 0, 0], Volume.zeros([1, 4, 4], 'uint8'))).rejects.toThrow(DvidArgumentError);
      await expect(tiles.slice('xy', [0, 0, 0], [4, 4])).rejects.toThrow(DvidArgumentError);
      const blank = await tiles.tile('xy', 0, [0, 0, 9], { blank: true });
      expect(blank.placeholder).toBe(true);
      expect(blank.image!.format).toBe('jpeg');
    });

    it('lz4: opens, but posting tiles is refused (DVID expects Go-serialized images)', async () => {
      const tiles = await client.createImagetile(uuid, uniqueName('ltiles'), { format: 'lz4' });
      expect(tiles.format).toBe('lz4');
      await expect(tiles.postTile('xy', 0, [0, 0, 0], Volume.zeros([1, 4, 4], 'uint8'))).rejects.toThrow(DvidArgumentError);
    });

    it('placeholder: true draws something in place of missing tiles in /raw slices', async () => {
      const tiles = await client.createImagetile(uuid, uniqueName('ptiles'), { source: source.name, placeholder: true });
      expect(tiles.placeholder).toBe(true);
      await tiles.postMetadata(SPEC);
      const slice = await tiles.slice('xy', [0, 0, 3], [TILE, TILE]);
      expect((slice.data as Uint8Array).some((b) => b !== 0)).toBe(true);
      // The tile endpoint itself still reports the tile as missing.
      expect((await tiles.tile('xy', 0, [0, 0, 3])).placeholder).toBe(true);
    });

    it('opening a non-imagetile instance is a DvidArgumentError', async () => {
      await expect(client.imagetile(uuid, source.name)).rejects.toThrow(DvidArgumentError);
    });
  });
});
