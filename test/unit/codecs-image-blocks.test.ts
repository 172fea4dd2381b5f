import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, DvidArgumentError } from '../../src/errors.js';
import { encodeBlockRecordHeader } from '../../src/codecs/blockstream.js';
import { gzip } from '../../src/codecs/gzip.js';
import {
  copyImageBlockInto,
  decodeImageBlockPayload,
  decodeImageBlockPayloadAsync,
  imageBlockEncodingOf,
  readImageBlocksInto,
  type ImageBlockEncoding,
  type Triple,
} from '../../src/codecs/imageblock-stream.js';
import { decodeJpeg } from '../../src/codecs/jpeg.js';
import { encodeLz4Block } from '../../src/codecs/lz4.js';
import { decodePng } from '../../src/codecs/png.js';

const jpegBlock = new Uint8Array(readFileSync(new URL('../fixtures/jpeg-go/block-32x1024-q80.jpg', import.meta.url)));

/** Deterministic bytes for block `coord` of `n` bytes (smooth-ish so LZ4 has matches). */
function blockBytes(coord: Triple, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i >> 3) * 7 + coord[0] * 31 + coord[1] * 17 + coord[2] * 5 + (i % 13 === 0 ? i : 0)) & 255;
  return out;
}

function lz4Payload(raw: Uint8Array): Uint8Array {
  const packed = encodeLz4Block(raw);
  const out = new Uint8Array(4 + packed.length);
  new DataView(out.buffer).setUint32(0, raw.length, true);
  out.set(packed, 4);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function stream(records: { coord: Triple; payload: Uint8Array }[]): Uint8Array {
  return concat(records.flatMap((r) => [encodeBlockRecordHeader(r.coord as [number, number, number], r.payload.length), r.payload]));
}

/** Splits bytes into chunks at the given cut points. */
async function* chunked(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let prev = 0;
  for (const c of [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b)) {
    if (c > prev) yield bytes.subarray(prev, c);
    prev = Math.max(prev, c);
  }
  if (prev < bytes.length) yield bytes.subarray(prev);
}

/** The expected box: voxel by voxel from the block contents (absent blocks read 0). */
function expectedBox(blocks: Map<string, Uint8Array>, bs: Triple, bpv: number, start: Triple, size: Triple): Uint8Array {
  const out = new Uint8Array(size[0] * size[1] * size[2] * bpv);
  for (let z = 0; z < size[2]; z++) {
    for (let y = 0; y < size[1]; y++) {
      for (let x = 0; x < size[0]; x++) {
        const [gx, gy, gz] = [start[0] + x, start[1] + y, start[2] + z];
        const coord = [Math.floor(gx / bs[0]), Math.floor(gy / bs[1]), Math.floor(gz / bs[2])];
        const block = blocks.get(coord.join(','));
        if (!block) continue;
        const [lx, ly, lz] = [gx - coord[0] * bs[0], gy - coord[1] * bs[1], gz - coord[2] * bs[2]];
        const src = ((lz * bs[1] + ly) * bs[0] + lx) * bpv;
        out.set(block.subarray(src, src + bpv), ((z * size[1] + y) * size[0] + x) * bpv);
      }
    }
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('image block payloads', () => {
  const bs: Triple = [8, 4, 2];

  it('LZ4: uint32 size prefix + LZ4 block; a zero prefix means stored uncompressed', () => {
    const raw = blockBytes([1, 2, 3], 8 * 4 * 2 * 2);
    expect(sameBytes(decodeImageBlockPayload(lz4Payload(raw), 'lz4', { blockSize: bs, bytesPerVoxel: 2 }), raw)).toBe(true);
    const legacy = concat([new Uint8Array(4), raw]);
    expect(sameBytes(decodeImageBlockPayload(legacy, 'lz4', { blockSize: bs, bytesPerVoxel: 2 }), raw)).toBe(true);
    const into = new Uint8Array(raw.length);
    expect(decodeImageBlockPayload(lz4Payload(raw), 'lz4', { blockSize: bs, bytesPerVoxel: 2, into })).toBe(into);
  });

  it('LZ4: a size prefix other than the block size is a DecodeError naming the block', () => {
    const raw = blockBytes([0, 0, 0], 64);
    const payload = lz4Payload(raw);
    new DataView(payload.buffer).setUint32(0, 65, true);
    const err = (() => {
      try {
        decodeImageBlockPayload(payload, 'lz4', { blockSize: bs, bytesPerVoxel: 1, block: '4,5,6' });
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(err).toBeInstanceOf(DecodeError);
    expect(err!.block).toBe('4,5,6');
    expect(err!.message).toMatch(/size prefix says 65 bytes; a 8×4×2 block of 1-byte voxels has 64/);
    expect(() => decodeImageBlockPayload(Uint8Array.from([1, 2]), 'lz4', { blockSize: bs, bytesPerVoxel: 1 })).toThrow(/no size prefix/);
  });

  it('JPEG: a gray JPEG bx wide and by·bz high, decoded with the chosen IDCT', () => {
    const geometry = { blockSize: [32, 32, 32] as Triple, bytesPerVoxel: 1 };
    const a = decodeImageBlockPayload(jpegBlock, 'jpeg', { ...geometry, idct: 'loeffler' });
    expect(sameBytes(a, decodeJpeg(jpegBlock, { idct: 'loeffler' }).data as Uint8Array)).toBe(true);
    expect(() => decodeImageBlockPayload(jpegBlock, 'jpeg', { blockSize: [32, 32, 16], bytesPerVoxel: 1 })).toThrow(/32 × 1024/);
    expect(() => decodeImageBlockPayload(jpegBlock, 'jpeg', { blockSize: [32, 32, 16], bytesPerVoxel: 2 })).toThrow(/cannot hold 2-byte voxels/);
  });

  it('raw: exactly the block bytes', () => {
    const raw = blockBytes([0, 0, 0], 64 * 4);
    expect(decodeImageBlockPayload(raw, 'raw', { blockSize: bs, bytesPerVoxel: 4 })).toBe(raw);
    expect(() => decodeImageBlockPayload(raw.subarray(1), 'raw', { blockSize: bs, bytesPerVoxel: 4 })).toThrow(DecodeError);
  });

  it('gzip (async)', async () => {
    const raw = blockBytes([0, 1, 0], 64);
    const out = await decodeImageBlockPayloadAsync(await gzip(raw), 'gzip', { blockSize: bs, bytesPerVoxel: 1 });
    expect(sameBytes(out, raw)).toBe(true);
    await expect(decodeImageBlockPayloadAsync(raw, 'gzip', { blockSize: bs, bytesPerVoxel: 1 })).rejects.toThrow(DecodeError);
  });

  it('checks the geometry before decoding', () => {
    expect(() => decodeImageBlockPayload(new Uint8Array(4), 'raw', { blockSize: [0, 1, 1], bytesPerVoxel: 1 })).toThrow(DvidArgumentError);
    expect(() => decodeImageBlockPayload(new Uint8Array(4), 'raw', { blockSize: [1, 1, 1], bytesPerVoxel: 3 })).toThrow(DvidArgumentError);
  });

  it("maps DVID's Compression text to the default payload encoding", () => {
    expect(imageBlockEncodingOf('LZ4 compression, level -1')).toBe('lz4');
    expect(imageBlockEncodingOf('jpeg compression, level 32')).toBe('jpeg');
    expect(imageBlockEncodingOf('gzip compression, level -1')).toBe('gzip');
    expect(imageBlockEncodingOf('No compression, level -1')).toBe('raw');
    expect(imageBlockEncodingOf('Go Snappy compression, level -1')).toBeUndefined();
  });
});

describe('copyImageBlockInto', () => {
  it('copies exactly the overlap, whatever the box', () => {
    const bs: Triple = [4, 3, 2];
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: -1, max: 2 }), fc.integer({ min: -1, max: 2 }), fc.integer({ min: -1, max: 2 })),
        fc.tuple(fc.integer({ min: -5, max: 8 }), fc.integer({ min: -5, max: 8 }), fc.integer({ min: -5, max: 8 })),
        fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
        fc.constantFrom(1, 2, 8),
        (coord, start, size, bpv) => {
          const block = blockBytes(coord, 4 * 3 * 2 * bpv);
          const data = new Uint8Array(size[0] * size[1] * size[2] * bpv);
          const hit = copyImageBlockInto(block, coord, bs, { data, start, size, bytesPerVoxel: bpv });
          const want = expectedBox(new Map([[coord.join(','), block]]), bs, bpv, start, size);
          expect(sameBytes(data, want)).toBe(true);
          expect(hit).toBe(want.some((b, i) => b !== 0 || data[i] !== 0) || hit);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('readImageBlocksInto: streamed block streams', () => {
  const cases: [ImageBlockEncoding, number][] = [
    ['lz4', 1],
    ['lz4', 2],
    ['lz4', 8],
    ['raw', 4],
    ['gzip', 1],
  ];
  for (const [encoding, bpv] of cases) {
    it(`${encoding} payloads of ${bpv}-byte voxels under any chunking and box, absent blocks zero (fast-check)`, async () => {
      const bs: Triple = [8, 4, 4];
      const coords: Triple[] = [];
      for (let z = 0; z < 2; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) if ((x + y + z) % 4 !== 3) coords.push([x, y, z]);
      const blocks = new Map(coords.map((c) => [c.join(','), blockBytes(c, 8 * 4 * 4 * bpv)]));
      const payloads = await Promise.all(
        coords.map(async (c) => {
          const raw = blocks.get(c.join(','))!;
          return { coord: c, payload: encoding === 'lz4' ? lz4Payload(raw) : encoding === 'gzip' ? await gzip(raw) : raw };
        }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray(payloads, { minLength: payloads.length, maxLength: payloads.length }),
          fc.array(fc.nat(4000), { maxLength: 12 }),
          fc.tuple(fc.integer({ min: -2, max: 20 }), fc.integer({ min: -2, max: 6 }), fc.integer({ min: -1, max: 6 })),
          fc.tuple(fc.integer({ min: 1, max: 26 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 9 })),
          async (order, cuts, start, size) => {
            const bytes = stream(order);
            const data = new Uint8Array(size[0] * size[1] * size[2] * bpv);
            const summary = await readImageBlocksInto(chunked(bytes, cuts), { data, start, size, bytesPerVoxel: bpv }, { encoding, blockSize: bs });
            expect(summary.blocks).toBe(coords.length);
            expect(summary.streamBytes).toBe(bytes.length);
            expect(sameBytes(data, expectedBox(blocks, bs, bpv, start, size))).toBe(true);
          },
        ),
        { numRuns: encoding === 'gzip' ? 25 : 80 },
      );
    });
  }

  it('JPEG payloads: asks the IDCT resolver until it decides, then decodes with its answer', async () => {
    const bs: Triple = [32, 32, 32];
    const bytes = stream([
      { coord: [0, 0, 0], payload: jpegBlock },
      { coord: [1, 0, 0], payload: jpegBlock },
      { coord: [0, 1, 0], payload: jpegBlock },
    ]);
    const asked: string[] = [];
    const data = new Uint8Array(64 * 64 * 32);
    const summary = await readImageBlocksInto(bytes, { data, start: [0, 0, 0], size: [64, 64, 32], bytesPerVoxel: 1 }, {
      encoding: 'jpeg',
      blockSize: bs,
      idct: async (coord) => {
        asked.push(coord.join(','));
        return asked.length === 1 ? undefined : 'loeffler';
      },
    });
    expect(asked).toEqual(['0,0,0', '1,0,0']);
    expect(summary.idct).toBe('loeffler');
    // An undecided block is one both IDCTs decode alike, so it is decoded with 'chen-wang'.
    const gray = decodeJpeg(jpegBlock, { idct: 'loeffler' }).data as Uint8Array;
    const first = decodeJpeg(jpegBlock, { idct: 'chen-wang' }).data as Uint8Array;
    const want = expectedBox(new Map([['0,0,0', first], ['1,0,0', gray], ['0,1,0', gray]]), bs, 1, [0, 0, 0], [64, 64, 32]);
    expect(sameBytes(data, want)).toBe(true);
  });

  it('a truncated stream or a lying length is a DecodeError (what an appended DVID error looks like)', async () => {
    const bs: Triple = [8, 4, 4];
    const raw = blockBytes([0, 0, 0], 128);
    const good = stream([{ coord: [0, 0, 0], payload: lz4Payload(raw) }]);
    const target = () => ({ data: new Uint8Array(128), start: [0, 0, 0] as Triple, size: [8, 4, 4] as Triple, bytesPerVoxel: 1 });
    for (let n = 1; n < good.length; n += 3) {
      await expect(readImageBlocksInto(good.subarray(0, n), target(), { encoding: 'lz4', blockSize: bs })).rejects.toThrow(DecodeError);
    }
    const appended = concat([good, new TextEncoder().encode('Unable to GET data: storage failure (/api/node/x/g/subvolblocks).')]);
    await expect(readImageBlocksInto(appended, target(), { encoding: 'lz4', blockSize: bs })).rejects.toThrow(DecodeError);
    await expect(
      readImageBlocksInto(good, { ...target(), data: new Uint8Array(5) }, { encoding: 'lz4', blockSize: bs }),
    ).rejects.toThrow(DvidArgumentError);
  });

  it('reads a ReadableStream too', async () => {
    const bs: Triple = [8, 4, 4];
    const raw = blockBytes([0, 0, 0], 128);
    const bytes = stream([{ coord: [0, 0, 0], payload: raw }]);
    const body = new Response(bytes as Uint8Array<ArrayBuffer>).body!;
    const data = new Uint8Array(128);
    await readImageBlocksInto(body, { data, start: [0, 0, 0], size: [8, 4, 4], bytesPerVoxel: 1 }, { encoding: 'raw', blockSize: bs });
    expect(sameBytes(data, raw)).toBe(true);
  });
});

describe('PNG hostile input', () => {
  it('random byte edits throw nothing but DecodeError (fast-check)', () => {
    const valid = new Uint8Array(readFileSync(new URL('../fixtures/png-go/uint64-translucent.png', import.meta.url)));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const bytes = valid.slice();
        for (const [at, value] of edits) bytes[at] = value;
        try {
          decodePng(bytes, { maxPixels: 1 << 16 });
        } catch (err) {
          if (!(err instanceof DecodeError)) throw err;
        }
      }),
      { numRuns: 300 },
    );
  });
});
