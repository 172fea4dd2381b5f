/**
 * The mock DVID's image endpoints of voxel instances (mocks/images/): the JPEG encoder is Go
 * 1.26's byte for byte (digests of `image/jpeg` output for the same pixels), the box filter and
 * Go image packing behave as DVID's, and the HTTP answers have DVID v1.0.0's statuses, content
 * types and texts (observed on a v1.0.0 server, see docs/images.md).
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMockDvid, type MockDvid } from '../../mocks/index.js';
import { encodeGoJpegImage, goImageFromVoxels, goPngSamples, type GoImage } from '../../mocks/images/goimage.js';
import { interpolateGoImage, resizeGoImage } from '../../mocks/images/scale.js';
import { VOXEL_TYPES } from '../../mocks/types.js';
import { parseBlockStream } from '../../src/codecs/blockstream.js';
import { decodeImage } from '../../src/codecs/image.js';
import { decodeJpeg } from '../../src/codecs/jpeg.js';
import { decodeLz4Block } from '../../src/codecs/lz4.js';

const BYTES_PER_PIXEL = { gray: 1, gray16: 2, nrgba: 4, nrgba64: 8 } as const;

/** Deterministic pixels: a smooth pattern plus hashed noise (the same as the Go run used). */
function pixels(kind: GoImage['kind'], w: number, h: number): Uint8Array {
  const n = w * h * BYTES_PER_PIXEL[kind];
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.floor(i / BYTES_PER_PIXEL[kind]);
    const x = p % w;
    const y = Math.floor(p / w);
    out[i] = (Math.round(128 + 90 * Math.sin(x / 5) * Math.cos(y / 7)) + ((i * 2654435761) >>> 27)) & 255;
  }
  return out;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('Go-compatible JPEG encoder', () => {
  // SHA-256 of Go 1.26.8 `jpeg.Encode(w, &image.<Kind>{...}, &jpeg.Options{Quality: q})` for pixels() above.
  const GO_DIGESTS: [GoImage['kind'], number, number, number, string][] = [
    ['gray', 37, 23, 80, '138a82ba8412218b96cd4dd275fef0655bcc264006d99162b933a4db5e6846a0'],
    ['gray', 32, 1024, 80, '1827e4fc1116a496185444fb29675aa77f8b769b40bb1e76ecc71ceb1343ed35'],
    ['gray', 16, 16, 100, '3e5bb77302ac78af940183a6217e27d5c53de24e4b4426f4a57415a73e9ab953'],
    ['gray', 9, 17, 10, 'abd0a76dfa7cb5b1fccbb66e011ff27e6a9982f3fd95ce4c32a42fda0f68f9d8'],
    ['nrgba', 45, 33, 80, 'de90759482b4da52723d504e8f7b068b09fae3816f7ff858d0a8ef5e3e816536'],
    ['gray16', 40, 30, 95, '84c46669c1b0fef93d9bc73a7e3e09fd1ee8590070e0b6c1e91b8f140f6aac89'],
    ['nrgba64', 33, 17, 60, 'c1e3cc45610ccbc27c3ee7cdc9663df7e7404898f0f66d421a0dedd82e7c3959'],
  ];

  for (const [kind, w, h, q, digest] of GO_DIGESTS) {
    it(`${kind} ${w}×${h} at quality ${q} equals Go's bytes`, () => {
      expect(sha256(encodeGoJpegImage({ kind, values: 1, width: w, height: h, pix: pixels(kind, w, h) }, q))).toBe(digest);
    });
  }

  it('gray is one component, colour three (4:2:0); sides of 65536 are refused with Go’s text', () => {
    const gray = decodeJpeg(encodeGoJpegImage({ kind: 'gray', values: 1, width: 8, height: 8, pix: new Uint8Array(64).fill(90) }, 80));
    expect(gray.channels).toBe(1);
    expect(Array.from(gray.data as Uint8Array).every((v) => v === 90)).toBe(true);
    const colour = decodeImage(encodeGoJpegImage({ kind: 'nrgba', values: 4, width: 4, height: 4, pix: new Uint8Array(64).fill(255) }, 80));
    expect(colour.channels).toBe(3);
    expect(() => encodeGoJpegImage({ kind: 'gray', values: 1, width: 65536, height: 1, pix: new Uint8Array(65536) }, 80)).toThrow(
      'jpeg: image is too large to encode',
    );
  });
});

describe('Go images and rescaling', () => {
  it('packs voxels like GetImage2d and picks PNG colour types like Go', () => {
    const u16 = goImageFromVoxels(new Uint8Array([1, 2, 3, 4]), 2, 1, VOXEL_TYPES.uint16blk);
    expect(u16.kind).toBe('gray16');
    expect(Array.from(u16.pix)).toEqual([2, 1, 4, 3]);
    expect(goPngSamples(goImageFromVoxels(new Uint8Array([1, 2, 3, 255]), 1, 1, VOXEL_TYPES.uint32blk)).channels).toBe(3);
    expect(goPngSamples(goImageFromVoxels(new Uint8Array([1, 2, 3, 4]), 1, 1, VOXEL_TYPES.uint32blk)).channels).toBe(4);
    const u64 = goPngSamples(goImageFromVoxels(new Uint8Array([1, 2, 3, 4, 5, 6, 255, 255]), 1, 1, VOXEL_TYPES.uint64blk));
    expect(u64).toMatchObject({ channels: 3, depth: 16 });
    expect(Array.from(u64.data)).toEqual([0x0102, 0x0304, 0x0506]);
  });

  it('box-filters gray rows (a 2-row image magnified to 5 rows)', () => {
    const image: GoImage = { kind: 'gray', values: 1, width: 1, height: 2, pix: new Uint8Array([0, 100]) };
    expect(Array.from(interpolateGoImage(image, 1, 5).pix)).toEqual([0, 0, 50, 100, 100]);
    expect(Array.from(resizeGoImage(image, 1, 5).pix)).toEqual([0, 0, 0, 100, 100]);
  });

  it('reads one-value 4- and 8-byte pixels as big-endian integers, uint64 sums wrapping at 2^64', () => {
    const u32: GoImage = { kind: 'nrgba', values: 1, width: 2, height: 1, pix: new Uint8Array([0, 0, 1, 0, 0, 0, 0, 0]) };
    expect(Array.from(interpolateGoImage(u32, 1, 1).pix)).toEqual([0, 0, 0, 128]); // (256 + 0) / 2
    const u64: GoImage = { kind: 'nrgba64', values: 1, width: 2, height: 1, pix: new Uint8Array(16).fill(255) };
    // (2^64 − 1) · 2 wraps to 2^64 − 2; / 2 = 2^63 − 1.
    expect(Array.from(interpolateGoImage(u64, 1, 1).pix)).toEqual([127, 255, 255, 255, 255, 255, 255, 255]);
  });
});

describe('image endpoints of voxel instances', () => {
  let mock: MockDvid;
  let uuid: string;
  const url = (path: string) => `http://mock.dvid/api/node/${uuid}/${path}`;
  const get = (path: string) => mock.fetch(url(path));

  async function create(name: string, typename: string, config: Record<string, string> = {}) {
    const r = await mock.fetch(`http://mock.dvid/api/repo/${uuid}/instance`, { method: 'POST', body: JSON.stringify({ typename, dataname: name, ...config }) });
    expect(r.status).toBe(200);
  }

  async function write(name: string, bytes: Uint8Array, size = '64_64_32') {
    const r = await mock.fetch(url(`${name}/raw/0_1_2/${size}/0_0_0`), { method: 'POST', body: bytes as Uint8Array<ArrayBuffer> });
    expect(r.status).toBe(200);
  }

  beforeEach(async () => {
    mock = createMockDvid();
    uuid = (await (await mock.fetch('http://mock.dvid/api/repos', { method: 'POST', body: '{}' })).json()).root;
  });

  it('serves PNG and JPEG slices with DVID’s content types and errors', async () => {
    await create('g', 'uint8blk');
    await write('g', Uint8Array.from({ length: 64 * 64 * 32 }, (_, i) => i & 255));
    const png = await get('g/raw/xz/10_4/3_5_7');
    expect(png.headers.get('content-type')).toBe('image/png');
    const decoded = decodeImage(new Uint8Array(await png.arrayBuffer()));
    expect(decoded).toMatchObject({ width: 10, height: 4, channels: 1, depth: 8 });
    expect((decoded.data as Uint8Array)[0]).toBe((3 + 5 * 64 + 7 * 4096) & 255);
    const jpeg = await get('g/raw/xy/16_16/0_0_0/jpg:95');
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    const cases: [string, string][] = [
      ['g/raw/xy/8_8/0_0_0/gif', 'Illegal image format requested: gif'],
      ['g/raw/xy/8_8/0_0_0/jpg:abc', 'strconv.Atoi: parsing "abc": invalid syntax'],
      ['g/raw/xy/8_0/0_0_0', 'Illegal geometry requested: XY slice @ offset (0,0,0), size (8, 0)'],
      ['g/raw/0_1_2/8_8200_8/0_0_0/jpg', 'jpeg: image is too large to encode'],
    ];
    for (const [path, message] of cases) {
      const r = await get(path);
      expect(r.status).toBe(400);
      expect(await r.text()).toBe(`${message} (/api/node/${uuid}/${path}).\n`);
    }
    const ignored = await get('g/raw/0_1_2/2_2_2/0_0_0/png');
    expect(ignored.headers.get('content-type')).toBe('application/octet-stream');
    expect((await ignored.arrayBuffer()).byteLength).toBe(8);
  });

  it('isotropic XZ slices read round(h·4/40) rows and box-filter them to the size asked', async () => {
    await create('a', 'uint8blk', { VoxelSize: '4,4,40' });
    await write('a', Uint8Array.from({ length: 64 * 64 * 32 }, (_, i) => (Math.floor(i / 4096) * 8) & 255));
    const r = await get('a/isotropic/xz/4_10/0_0_0');
    const img = decodeImage(new Uint8Array(await r.arrayBuffer()));
    expect(img).toMatchObject({ width: 4, height: 10 });
    // One source row (z = 0, value 0) magnified to 10 rows.
    expect(Array.from(img.data as Uint8Array).every((v) => v === 0)).toBe(true);
  });

  it('block streams carry the stored payload per storage compression', async () => {
    const block = Uint8Array.from({ length: 32 * 32 * 32 }, (_, i) => (i >> 6) & 255);
    for (const [compression, magic] of [['lz4', [0, 0x80, 0, 0]], ['gzip', [0x1f, 0x8b]], ['none', [0, 0, 0, 0]], ['jpeg', [0xff, 0xd8]]] as const) {
      const name = `s_${compression}`;
      await create(name, 'uint8blk', { Compression: compression });
      await write(name, block, '32_32_32');
      const stored = parseBlockStream(new Uint8Array(await (await get(`${name}/subvolblocks/32_32_32/0_0_0`)).arrayBuffer()));
      expect(stored.length).toBe(1);
      expect(Array.from(stored[0].data.subarray(0, magic.length))).toEqual(magic);
      const raw = parseBlockStream(new Uint8Array(await (await get(`${name}/specificblocks?blocks=0,0,0&compression=uncompressed`)).arrayBuffer()));
      const voxels = new Uint8Array(await (await get(`${name}/raw/0_1_2/32_32_32/0_0_0`)).arrayBuffer());
      expect(Buffer.compare(Buffer.from(raw[0].data), Buffer.from(voxels))).toBe(0);
      if (compression === 'lz4') {
        const out = new Uint8Array(32 ** 3);
        decodeLz4Block(stored[0].data.subarray(4), out);
        expect(Buffer.compare(Buffer.from(out), Buffer.from(block))).toBe(0);
      }
      if (compression === 'jpeg') {
        // Stored lossily: /raw is the decoding of the stored JPEG.
        expect(Buffer.compare(Buffer.from(decodeJpeg(stored[0].data, { idct: 'loeffler' }).data), Buffer.from(voxels))).toBe(0);
      }
    }
    const refused = await get('s_lz4/subvolblocks/32_32_32/0_0_0?compression=jpeg');
    expect(await refused.text()).toBe(
      `can't encode JPEG: expected internal block data to be JPEG, was LZ4 compression instead (/api/node/${uuid}/s_lz4/subvolblocks/32_32_32/0_0_0).\n`,
    );
    const skipped = await get('s_lz4/specificblocks?blocks=0,0,0&compression=jpeg');
    expect(skipped.status).toBe(200);
    expect((await skipped.arrayBuffer()).byteLength).toBe(0);
    const unaligned = await get('s_lz4/subvolblocks/32_32_30/0_0_0');
    expect(await unaligned.text()).toContain("cannot use labels via 'block' endpoint in non-block aligned geometry (0,0,0) -> (31,31,29)");
  });

  it('throttles /subvolblocks and /arb with throttle=on', async () => {
    await create('t', 'uint8blk');
    mock.state.maxThrottledOps = 0;
    const r = await get('t/subvolblocks/32_32_32/0_0_0?throttle=on');
    expect(r.status).toBe(503);
    expect((await get('t/arb/0_0_0/8_0_0/0_8_0/8?throttle=true')).status).toBe(503);
    expect((await get('t/subvolblocks/32_32_32/0_0_0')).status).toBe(200);
  });

  it('/arb interpolates uint8 voxels and answers zeros for uint16', async () => {
    await create('u8', 'uint8blk');
    await write('u8', Uint8Array.from({ length: 64 * 64 * 32 }, (_, i) => (i % 64) * 2));
    const plane = decodeImage(new Uint8Array(await (await get('u8/arb/4_0_0/16_0_0/4_8_0/4')).arrayBuffer()));
    expect(plane).toMatchObject({ width: 4, height: 3 });
    // x = 0.5, 1, 1.5, 2 voxels: values 1, 2, 3, 4 (voxel x has value 2x).
    expect(Array.from((plane.data as Uint8Array).subarray(0, 4))).toEqual([1, 2, 3, 4]);
    await create('u16', 'uint16blk');
    await write('u16', new Uint8Array(64 * 64 * 32 * 2).fill(9));
    const zero = decodeImage(new Uint8Array(await (await get('u16/arb/0_0_0/16_0_0/0_8_0/8')).arrayBuffer()));
    expect(Array.from(zero.data).every((v) => v === 0)).toBe(true);
  });
  it('labelmap slices come in every format; /isotropic box-filters labels as DVID does', async () => {
    await create('seg', 'labelmap', { BlockSize: '64,64,64', VoxelSize: '4,4,40' });
    const labels = new BigUint64Array(64 ** 3);
    for (let i = 0; i < labels.length; i++) labels[i] = BigInt(Math.floor(i / 4096) * 10 + 1);
    await write('seg', new Uint8Array(labels.buffer), '64_64_64');
    const png = decodeImage(new Uint8Array(await (await get('seg/isotropic/xz/4_15/0_0_0')).arrayBuffer()));
    expect(png).toMatchObject({ width: 4, height: 15, channels: 4, depth: 16 });
    // round(15·4/40) = 2 source rows (z = 0, 1: labels 1 and 11) box-filtered to 15 rows; the
    // label's low byte is the high byte of the first 16-bit sample (big-endian uint64 averaging).
    const lows = Array.from({ length: 15 }, (_, r) => (png.data[r * 16] as number) >> 8);
    expect([lows[0], lows[7], lows[14]]).toEqual([1, 6, 11]);
    const jpeg = await get('seg/raw/xy/8_8/0_0_0/jpg');
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    const r = await get('seg/raw/xy/8_0/0_0_0');
    expect(await r.text()).toBe(`illegal geometry requested: XY slice @ offset (0,0,0), size (8, 0) (/api/node/${uuid}/seg/raw/xy/8_0/0_0_0).\n`);
  });
});
