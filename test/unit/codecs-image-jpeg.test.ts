import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import jpegJs from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { JPEG_IDCTS, decodeJpeg, isJpeg, type JpegIdct } from '../../src/codecs/jpeg.js';

const dir = new URL('../fixtures/jpeg-go/', import.meta.url);
const read = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const vectors = readdirSync(dir)
  .filter((f) => f.endsWith('.jpg'))
  .map((f) => f.slice(0, -4));
/** Which Go version each IDCT reproduces (the .gray files were written by that Go's image/jpeg). */
const GO_OF: Record<JpegIdct, string> = { 'chen-wang': 'go1.25', loeffler: 'go1.26' };

function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

function expectDecodeError(fn: () => unknown, message?: RegExp): DecodeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    const e = err as DecodeError;
    expect(e.codec).toBe('jpeg');
    if (message) expect(e.message).toMatch(message);
    return e;
  }
  throw new Error('expected a DecodeError');
}

describe('decodeJpeg: bit-exact with Go image/jpeg', () => {
  it('has test vectors for every IDCT', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(6);
  });

  for (const name of vectors) {
    for (const idct of JPEG_IDCTS) {
      it(`${name}: '${idct}' equals ${GO_OF[idct]}'s decoding`, () => {
        const img = decodeJpeg(read(`${name}.jpg`), { idct });
        const want = read(`${name}.${GO_OF[idct]}.gray`);
        const [w, h] = name.match(/(\d+)x(\d+)/)!.slice(1).map(Number);
        expect(img).toMatchObject({ width: w, height: h, channels: 1, depth: 8 });
        expect(mismatches(img.data, want)).toBe(0);
      });
    }
  }

  it('the two IDCTs really differ (so each vector checks something)', () => {
    const a = decodeJpeg(read('block-32x1024-q80.jpg'), { idct: 'chen-wang' });
    const b = decodeJpeg(read('block-32x1024-q80.jpg'), { idct: 'loeffler' });
    expect(mismatches(a.data, b.data)).toBeGreaterThan(100);
  });

  it("jpeg-js (a generic decoder) is off by ±1 on a few percent of the pixels", () => {
    const bytes = read('block-32x1024-q80.jpg');
    const js = jpegJs.decode(bytes, { useTArray: true, formatAsRGBA: false }).data;
    const want = read('block-32x1024-q80.go1.26.gray');
    let off = 0;
    for (let i = 0; i < want.length; i++) {
      const d = Math.abs(js[3 * i] - want[i]);
      expect(d).toBeLessThanOrEqual(1);
      if (d) off++;
    }
    expect(off).toBeGreaterThan(0);
  });

  it('defaults to the Chen–Wang IDCT (every DVID release binary so far)', () => {
    const bytes = read('smooth-64x64-q80.jpg');
    expect(mismatches(decodeJpeg(bytes).data, read('smooth-64x64-q80.go1.25.gray'))).toBe(0);
  });

  it('the Go ≥ 1.26 constants are round(v · 2^bits)', () => {
    // Reproduced here from the mathematical definitions; the decoder hard-codes them.
    const r = (v: number, bits: number) => Math.round(v * 2 ** bits);
    const c1 = Math.cos(Math.PI / 16);
    const s1 = Math.sin(Math.PI / 16);
    const c3 = Math.cos((3 * Math.PI) / 16);
    const s3 = Math.sin((3 * Math.PI) / 16);
    const i2 = Math.SQRT1_2;
    const c6 = Math.cos((6 * Math.PI) / 16);
    const s6 = Math.sin((6 * Math.PI) / 16);
    expect([r(c1, 12), r(s1, 12), r(c3, 12), r(s3, 12), r(i2, 8), r(i2, 14), r(i2 * c6, 12), r(i2 * s6, 12), r(i2 * c6, 18), r(i2 * s6, 18)]).toEqual([
      4017, 799, 3406, 2276, 181, 11585, 1108, 2676, 70936, 171254,
    ]);
  });
});

/** A minimal baseline gray JPEG writer for flat 8×8 blocks (DC only), with optional restarts. */
function flatJpeg(width: number, height: number, values: number[], restartInterval = 0): Uint8Array {
  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]) => out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body);
  segment(0xdb, [0x00, ...new Array(64).fill(1)]); // all-ones quantization table
  segment(0xc0, [8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0]);
  // DC table: 12 categories, 4-bit codes 0000…1011. AC table: only EOB, code "0".
  segment(0xc4, [0x00, 0, 0, 0, 12, ...new Array(12).fill(0), ...Array.from({ length: 12 }, (_, i) => i)]);
  segment(0xc4, [0x10, 1, ...new Array(15).fill(0), 0x00]);
  if (restartInterval) segment(0xdd, [restartInterval >> 8, restartInterval & 255]);
  segment(0xda, [1, 1, 0x00, 0, 63, 0]);
  let acc = 0;
  let n = 0;
  const put = (bits: number, count: number) => {
    for (let i = count - 1; i >= 0; i--) {
      acc = (acc << 1) | ((bits >> i) & 1);
      if (++n === 8) {
        out.push(acc);
        if (acc === 0xff) out.push(0);
        acc = 0;
        n = 0;
      }
    }
  };
  const flush = () => {
    while (n !== 0) put(1, 1);
  };
  let pred = 0;
  let rst = 0;
  values.forEach((v, i) => {
    if (restartInterval && i > 0 && i % restartInterval === 0) {
      flush();
      out.push(0xff, 0xd0 + (rst++ % 8));
      pred = 0;
    }
    const dc = 8 * (v - 128);
    const diff = dc - pred;
    pred = dc;
    const mag = Math.abs(diff);
    const cat = mag === 0 ? 0 : Math.floor(Math.log2(mag)) + 1;
    put(cat, 4);
    if (cat) put(diff >= 0 ? diff : diff + (1 << cat) - 1, cat);
    put(0, 1); // EOB
  });
  flush();
  out.push(0xff, 0xd9);
  return Uint8Array.from(out);
}

function flatExpected(width: number, height: number, values: number[]): Uint8Array {
  const bw = Math.ceil(width / 8);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = values[Math.floor(y / 8) * bw + Math.floor(x / 8)];
  return out;
}

describe('decodeJpeg: stream structure', () => {
  const values = [0, 17, 128, 255, 200, 3, 99, 250, 1];

  for (const idct of JPEG_IDCTS) {
    it(`decodes flat blocks exactly, partial edge blocks cropped (${idct})`, () => {
      const img = decodeJpeg(flatJpeg(20, 19, values), { idct });
      expect(img).toMatchObject({ width: 20, height: 19, channels: 1 });
      expect(mismatches(img.data, flatExpected(20, 19, values))).toBe(0);
    });

    it(`handles restart intervals (RSTn markers reset the DC predictor) (${idct})`, () => {
      for (const interval of [1, 2, 4]) {
        const img = decodeJpeg(flatJpeg(24, 24, values, interval), { idct });
        expect(mismatches(img.data, flatExpected(24, 24, values))).toBe(0);
      }
    });
  }

  it('accepts byte stuffing (FF 00 in the entropy data)', () => {
    // Find block values whose entropy data contains a 0xFF byte (written as FF 00).
    const hasStuffing = (b: Uint8Array) => {
      const sos = b.findIndex((v, i) => v === 0xff && b[i + 1] === 0xda);
      return sos > 0 && b.some((v, i) => i > sos + 10 && v === 0xff && b[i + 1] === 0);
    };
    let vals: number[] = [];
    let bytes: Uint8Array = new Uint8Array(0);
    for (let k = 1; k < 500 && !hasStuffing(bytes); k++) {
      vals = Array.from({ length: 8 }, (_, i) => (i * 37 * k + k * 11) % 256);
      bytes = flatJpeg(64, 8, vals);
    }
    expect(hasStuffing(bytes)).toBe(true);
    expect(mismatches(decodeJpeg(bytes).data, flatExpected(64, 8, vals))).toBe(0);
  });

  it('a missing restart marker is a DecodeError', () => {
    const bytes = flatJpeg(24, 24, values, 2);
    const i = bytes.findIndex((b, k) => b === 0xff && bytes[k + 1] === 0xd0);
    const broken = Uint8Array.from([...bytes.subarray(0, i), ...bytes.subarray(i + 2, -2)]);
    expectDecodeError(() => decodeJpeg(broken), /restart|ends inside/);
  });

  it('rejects non-JPEG input, oversized images and unknown IDCTs before decoding', () => {
    expect(isJpeg(Uint8Array.from([0xff, 0xd8]))).toBe(true);
    expect(isJpeg(Uint8Array.from([0x89, 0x50]))).toBe(false);
    expectDecodeError(() => decodeJpeg(Uint8Array.from([1, 2, 3])), /not a JPEG/);
    expectDecodeError(() => decodeJpeg(read('smooth-64x64-q80.jpg'), { maxPixels: 1000 }), /exceeds the limit/);
    expectDecodeError(() => decodeJpeg(read('smooth-64x64-q80.jpg'), { idct: 'islow' as JpegIdct }), /unknown IDCT/);
  });

  it('names the block in errors', () => {
    const e = expectDecodeError(() => decodeJpeg(read('smooth-64x64-q80.jpg').subarray(0, 700), { block: '1,2,3' }));
    expect(e.block).toBe('1,2,3');
    expect(e.message).toContain('block 1,2,3');
  });

  it('colour and progressive JPEGs go through jpeg-js (RGB, 3 channels)', () => {
    const rgba = new Uint8Array(16 * 8 * 4);
    for (let i = 0; i < 16 * 8; i++) rgba.set([i * 2, 255 - i, 100, 255], 4 * i);
    const bytes = new Uint8Array(jpegJs.encode({ width: 16, height: 8, data: rgba }, 95).data);
    const img = decodeJpeg(bytes);
    expect(img).toMatchObject({ width: 16, height: 8, channels: 3, depth: 8 });
    expect(Math.abs(img.data[0] - 0)).toBeLessThan(12);
    expect(Math.abs(img.data[1] - 255)).toBeLessThan(12);
  });
});

describe('decodeJpeg: hostile input', () => {
  const valid = read('smooth-64x64-q80.jpg');

  it('every truncation fails with a DecodeError', () => {
    for (let n = 0; n < valid.length - 2; n += 7) {
      expectDecodeError(() => decodeJpeg(valid.subarray(0, n)));
    }
  });

  it('random byte edits throw nothing but DecodeError (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const bytes = valid.slice();
        for (const [at, value] of edits) bytes[at] = value;
        try {
          const img = decodeJpeg(bytes, { maxPixels: 1 << 20 });
          expect(img.data.length).toBe(img.width * img.height * img.channels);
        } catch (err) {
          if (!(err instanceof DecodeError)) throw err;
        }
      }),
      { numRuns: 400 },
    );
  });
});
