import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, DvidArgumentError } from '../../src/errors.js';
import {
  BLOCK_STREAM_CODEC,
  BlockStreamParser,
  encodeBlockRecordHeader,
  encodeBlockStream,
  parseBlockStream,
  readBlockStream,
  type BlockRecord,
} from '../../src/codecs/blockstream.js';
import { GZIP_CODEC, gunzip, gzip } from '../../src/codecs/gzip.js';

/** A record written byte by byte from the format description (independent of the encoder). */
function record(coord: [number, number, number], payload: number[]): number[] {
  const out: number[] = [];
  const i32 = (v: number) => out.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255);
  coord.forEach(i32);
  i32(payload.length);
  out.push(...payload);
  return out;
}

/** Splits bytes at the given cut points into chunks. */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    if (p > last) out.push(bytes.slice(last, p));
    last = p;
  }
  return out;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
}

const simplify = (records: BlockRecord[]) => records.map((r) => ({ coord: r.coord, data: Array.from(r.data), offset: r.offset }));

describe('block stream', () => {
  it('parses DVID records: signed block coordinates, unordered, payload views', () => {
    const bytes = Uint8Array.from([...record([1, 0, 0], [9, 8, 7]), ...record([-1, -2, 2 ** 31 - 1], [1]), ...record([0, 0, 0], [5, 5])]);
    const records = parseBlockStream(bytes);
    expect(simplify(records)).toEqual([
      { coord: [1, 0, 0], data: [9, 8, 7], offset: 0 },
      { coord: [-1, -2, 2 ** 31 - 1], data: [1], offset: 19 },
      { coord: [0, 0, 0], data: [5, 5], offset: 36 },
    ]);
    expect(records[0].data.buffer).toBe(bytes.buffer); // no copy when a payload lies in one chunk
  });

  it('an empty stream has no records', () => {
    expect(parseBlockStream(new Uint8Array(0))).toEqual([]);
  });

  it('gives the same records whatever the chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            coord: fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 })),
            data: fc.uint8Array({ minLength: 1, maxLength: 40 }),
          }),
          { maxLength: 8 },
        ),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (records, cuts) => {
          const bytes = encodeBlockStream(records);
          const whole = simplify(parseBlockStream(bytes));
          expect(whole.map((r) => ({ coord: r.coord, data: r.data }))).toEqual(records.map((r) => ({ coord: r.coord, data: Array.from(r.data) })));
          const streamed: BlockRecord[] = [];
          for await (const r of readBlockStream(streamOf(chunked(bytes, cuts)))) streamed.push(r);
          expect(simplify(streamed)).toEqual(whole);
          const parser = new BlockStreamParser();
          const pushed = chunked(bytes, cuts).flatMap((c) => parser.push(c));
          parser.end();
          expect(simplify(pushed)).toEqual(whole);
          expect(parser.bytesRead).toBe(bytes.length);
          expect(parser.recordCount).toBe(records.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects zero, oversized and truncated records with block and offset', () => {
    const zero = Uint8Array.from([...record([1, 2, 3], [7]), ...record([4, 5, 6], [])]);
    let err = catchDecode(() => parseBlockStream(zero));
    expect([err.block, err.offset]).toEqual(['4,5,6', 17 + 12]);

    err = catchDecode(() => parseBlockStream(Uint8Array.from(record([1, 1, 1], [1, 2, 3, 4])), { maxBlockBytes: 3 }));
    expect([err.block, err.offset]).toEqual(['1,1,1', 12]);
    expect(err.message).toContain('4 payload bytes');

    const full = Uint8Array.from([...record([0, 0, 0], [1]), ...record([2, 0, 0], [1, 2, 3])]);
    err = catchDecode(() => parseBlockStream(full.subarray(0, full.length - 1)));
    expect([err.block, err.offset]).toEqual(['2,0,0', full.length - 1]);
    expect(err.message).toContain('2 of the 3 payload bytes');

    err = catchDecode(() => parseBlockStream(full.subarray(0, 17 + 5)));
    expect(err.offset).toBe(17);
    expect(err.message).toContain('record header');
  });

  it('a lying length never allocates: 4 GiB claimed in 20 bytes fails at the end', () => {
    const bytes = new Uint8Array(20);
    new DataView(bytes.buffer).setUint32(12, 0xffffffff, true);
    const parser = new BlockStreamParser({ maxBlockBytes: 2 ** 32 });
    expect(parser.push(bytes)).toEqual([]);
    expect(() => parser.end()).toThrow(DecodeError);
  });

  it('checkHeader can reject a record before its payload is gathered', () => {
    const bytes = Uint8Array.from([...record([0, 0, 0], [1]), ...record([9, 9, 9], [1])]);
    const seen: number[][] = [];
    expect(() =>
      parseBlockStream(bytes, {
        checkHeader: (coord) => {
          seen.push(coord);
          if (coord[0] > 5) throw new DecodeError(BLOCK_STREAM_CODEC, 'outside');
        },
      }),
    ).toThrow('outside');
    expect(seen).toEqual([[0, 0, 0], [9, 9, 9]]);
  });

  it('readBlockStream stops on abort and on errors mid-stream', async () => {
    const controller = new AbortController();
    const bytes = encodeBlockStream([{ coord: [0, 0, 0], data: new Uint8Array(4) }, { coord: [1, 0, 0], data: new Uint8Array(4) }]);
    const got: BlockRecord[] = [];
    await expect(
      (async () => {
        for await (const r of readBlockStream(streamOf(chunked(bytes, [10, 20, 30])), { signal: controller.signal })) {
          got.push(r);
          controller.abort(new Error('stop'));
        }
      })(),
    ).rejects.toThrow('stop');
    expect(got.length).toBe(1);
    await expect(
      (async () => {
        for await (const _ of readBlockStream(streamOf([bytes.subarray(0, 30)]))) void _;
      })(),
    ).rejects.toBeInstanceOf(DecodeError);
    // async iterables of chunks work too
    async function* gen() {
      yield bytes.subarray(0, 7);
      yield bytes.subarray(7);
    }
    const fromIter: BlockRecord[] = [];
    for await (const r of readBlockStream(gen())) fromIter.push(r);
    expect(fromIter.map((r) => r.coord)).toEqual([[0, 0, 0], [1, 0, 0]]);
  });

  it('encodes headers and refuses what DVID would refuse', () => {
    expect(Array.from(encodeBlockRecordHeader([-1, 2, 3], 256))).toEqual([255, 255, 255, 255, 2, 0, 0, 0, 3, 0, 0, 0, 0, 1, 0, 0]);
    expect(() => encodeBlockRecordHeader([0, 0, 0], 0)).toThrow(DvidArgumentError);
    expect(() => encodeBlockRecordHeader([2 ** 31, 0, 0], 1)).toThrow(DvidArgumentError);
  });

  it('truncated or mutated streams parse or raise DecodeError, nothing else (property)', () => {
    const base = encodeBlockStream([
      { coord: [0, 0, 0], data: new Uint8Array(30).fill(1) },
      { coord: [1, -1, 0], data: new Uint8Array(3).fill(2) },
    ]);
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.array(fc.nat(), { maxLength: 5 }), (cut, edits, cuts) => {
        const bytes = base.slice(0, cut % (base.length + 1));
        for (const [at, v] of edits) if (bytes.length) bytes[at % bytes.length] = v;
        const parser = new BlockStreamParser({ maxBlockBytes: 64 });
        try {
          for (const c of chunked(bytes, cuts)) parser.push(c);
          parser.end();
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

function catchDecode(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

async function catchDecodeAsync(p: Promise<unknown>): Promise<DecodeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

describe('gzip (platform streams)', () => {
  const text = new TextEncoder().encode('DVID label blocks '.repeat(500));

  it('round-trips with itself and with Go-compatible zlib output', async () => {
    const packed = await gzip(text);
    expect(packed[0]).toBe(0x1f);
    expect(Array.from(gunzipSync(packed))).toEqual(Array.from(text));
    expect(Array.from(await gunzip(gzipSync(text)))).toEqual(Array.from(text));
    expect(Array.from(await gunzip(gzipSync(text), { expectedBytes: text.length }))).toEqual(Array.from(text));
    expect((await gunzip(gzipSync(new Uint8Array(0))))).toHaveLength(0);
  });

  it('refuses output beyond maxOutputBytes (a gzip bomb) and sizes other than expected', async () => {
    const bomb = gzipSync(new Uint8Array(50 << 20));
    expect(bomb.length).toBeLessThan(100_000);
    const err = await catchDecodeAsync(gunzip(bomb, { maxOutputBytes: 1 << 20, block: '1,2,3' }));
    expect(err.codec).toBe(GZIP_CODEC);
    expect(err.block).toBe('1,2,3');
    expect(err.message).toContain('maxOutputBytes');
    await catchDecodeAsync(gunzip(gzipSync(text), { expectedBytes: text.length - 1 }));
    await catchDecodeAsync(gunzip(gzipSync(text), { expectedBytes: text.length + 1 }));
  });

  it('turns corrupt, truncated and non-gzip input into DecodeError', async () => {
    const good = gzipSync(text);
    await catchDecodeAsync(gunzip(good.subarray(0, good.length - 4)));
    await catchDecodeAsync(gunzip(good.subarray(0, 10)));
    await catchDecodeAsync(gunzip(text));
    const flipped = good.slice();
    flipped[good.length - 6] ^= 0xff; // CRC32
    await catchDecodeAsync(gunzip(flipped));
    await expect(gunzip('x' as unknown as Uint8Array)).rejects.toBeInstanceOf(DvidArgumentError);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(gunzip(gzipSync(text), { signal: controller.signal })).rejects.toThrow('cancelled');
  });

  it('mutated gzip streams inflate or raise DecodeError, nothing else (property)', async () => {
    const good = gzipSync(text);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), async (cut, edits) => {
        const bytes = good.slice(0, Math.max(cut % (good.length + 1), 0));
        for (const [at, v] of edits) if (bytes.length) bytes[at % bytes.length] = v;
        try {
          await gunzip(bytes, { maxOutputBytes: 1 << 20 });
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 150 },
    );
  });
});
