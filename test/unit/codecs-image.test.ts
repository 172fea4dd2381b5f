import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, DvidArgumentError } from '../../src/errors.js';
import {
  decodeImage,
  dvidImageBytesPerVoxel,
  encodeDvidPng,
  jpegCarriesValues,
  packDvidImage,
  sniffImageFormat,
  unpackDvidImage,
  type DvidImageDType,
  type UnpackedArray,
} from '../../src/codecs/image.js';
import { decodePng, encodePng, isPng } from '../../src/codecs/png.js';

const png = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/png-go/${name}`, import.meta.url)));
const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Every DVID voxel type: [dtype, channels, element constructor]. */
const TYPES: [DvidImageDType, 1 | 4, string][] = [
  ['uint8', 1, 'Uint8Array'],
  ['uint16', 1, 'Uint16Array'],
  ['uint32', 1, 'Uint32Array'],
  ['float32', 1, 'Float32Array'],
  ['uint64', 1, 'BigUint64Array'],
  ['uint8', 4, 'Uint8Array'],
];

describe('PNGs written by Go the way DVID packs voxels', () => {
  // test/fixtures/png-go/gen.go: 13 × 7 images and the little-endian voxel bytes behind them.
  const cases: [string, DvidImageDType, 1 | 4, number, number][] = [
    ['uint8', 'uint8', 1, 8, 1],
    ['uint16', 'uint16', 1, 16, 1],
    ['rgba-translucent', 'uint32', 1, 8, 4],
    ['rgba-opaque', 'uint32', 1, 8, 3],
    ['rgba-translucent', 'float32', 1, 8, 4],
    ['rgba-opaque', 'float32', 1, 8, 3],
    ['rgba-translucent', 'uint8', 4, 8, 4],
    ['rgba-opaque', 'uint8', 4, 8, 3],
    ['uint64-translucent', 'uint64', 1, 16, 4],
    ['uint64-opaque', 'uint64', 1, 16, 3],
  ];
  for (const [file, dtype, channels, depth, pngChannels] of cases) {
    it(`${file}.png (${depth}-bit, ${pngChannels} channels) unpacks to the exact ${channels === 4 ? 'rgba8' : dtype} values`, () => {
      const img = decodePng(png(`${file}.png`));
      expect(img).toMatchObject({ width: 13, height: 7, depth, channels: pngChannels });
      const values = unpackDvidImage(img, dtype, channels);
      expect(values.length).toBe(13 * 7 * channels);
      expect(sameBytes(values, png(`${file}.le`))).toBe(true);
    });
  }

  it('packDvidImage chooses the colour type Go chooses (RGB when alpha is opaque)', () => {
    for (const [file, dtype, channels, depth, pngChannels] of cases) {
      const typed = retype(png(`${file}.le`), dtype);
      const packed = packDvidImage(typed, 13, 7, dtype, channels);
      expect(packed).toMatchObject({ depth, channels: pngChannels });
      expect(sameBytes(packed.data, decodePng(png(`${file}.png`)).data)).toBe(true);
    }
  });
});

function retype(bytes: Uint8Array, dtype: DvidImageDType): UnpackedArray {
  const b = bytes.slice();
  switch (dtype) {
    case 'uint8':
      return b;
    case 'uint16':
      return new Uint16Array(b.buffer);
    case 'uint32':
      return new Uint32Array(b.buffer);
    case 'float32':
      return new Float32Array(b.buffer);
    case 'uint64':
      return new BigUint64Array(b.buffer);
  }
}

describe('encodeDvidPng → decodePng → unpackDvidImage round trips (fast-check)', () => {
  for (const [dtype, channels, ctor] of TYPES) {
    it(`${channels === 4 ? 'rgba8' : dtype}: every bit pattern survives, opaque or not`, () => {
      const bpv = dvidImageBytesPerVoxel(dtype, channels);
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 9 }),
          fc.boolean(),
          fc.uint8Array({ minLength: 9 * 9 * 8, maxLength: 9 * 9 * 8 }),
          (w, h, opaque, random) => {
            const bytes = random.slice(0, w * h * bpv);
            if (opaque && bpv >= 4) {
              // Force the bytes Go's encoder treats as alpha to 0xff (RGB PNG).
              const from = bpv === 8 ? 6 : 3;
              for (let i = 0; i < w * h; i++) for (let k = from; k < bpv; k++) bytes[i * bpv + k] = 0xff;
            }
            const values = retype(bytes, dtype);
            const encoded = encodeDvidPng(values, w, h, dtype, channels);
            expect(isPng(encoded)).toBe(true);
            const back = unpackDvidImage(decodePng(encoded), dtype, channels);
            expect(back.constructor.name).toBe(ctor);
            expect(sameBytes(back, bytes)).toBe(true);
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('keeps NaN payloads of float32 and uint64 values above 2^53', () => {
    const f = new Float32Array(4);
    new Uint32Array(f.buffer).set([0x7fc00001, 0xffbfffff, 0x7f800000, 0x00000001]);
    expect(sameBytes(unpackDvidImage(decodePng(encodeDvidPng(f, 2, 2, 'float32', 1)), 'float32', 1), f)).toBe(true);
    const u = BigUint64Array.from([2n ** 64n - 1n, 2n ** 53n + 1n, 0n, 0xffff000000000001n]);
    const back = unpackDvidImage(decodePng(encodeDvidPng(u, 4, 1, 'uint64', 1)), 'uint64', 1) as BigUint64Array;
    expect(Array.from(back)).toEqual(Array.from(u));
  });
});

describe('unpackDvidImage: what does not fit', () => {
  const gray8 = { width: 2, height: 1, channels: 1 as const, depth: 8 as const, data: Uint8Array.from([1, 2]) };
  const rgb8 = { width: 1, height: 1, channels: 3 as const, depth: 8 as const, data: Uint8Array.from([10, 20, 30]) };

  it('refuses an image of the wrong colour type or depth for the voxel type', () => {
    expect(() => unpackDvidImage(gray8, 'uint16', 1)).toThrow(DecodeError);
    expect(() => unpackDvidImage(gray8, 'uint32', 1)).toThrow(DecodeError);
    expect(() => unpackDvidImage(gray8, 'uint64', 1)).toThrow(DecodeError);
    expect(() => unpackDvidImage(rgb8, 'uint8', 1)).toThrow(/cannot hold uint8/);
    expect(() => unpackDvidImage({ ...gray8, data: Uint8Array.from([1]) }, 'uint8', 1)).toThrow(DecodeError);
  });

  it('refuses voxel types DVID does not pack, before looking at the image', () => {
    expect(() => unpackDvidImage(gray8, 'int16' as DvidImageDType, 1)).toThrow(DvidArgumentError);
    expect(() => dvidImageBytesPerVoxel('uint16', 4)).toThrow(DvidArgumentError);
    expect(() => packDvidImage(new Uint8Array(3), 2, 2, 'uint8', 1)).toThrow(DvidArgumentError);
  });

  it('lossy (JPEG) unpacking: uint8 from colour, uint16 from the high byte, rgba8 with opaque alpha', () => {
    expect(Array.from(unpackDvidImage(rgb8, 'uint8', 1, { lossy: true }) as ArrayLike<number>)).toEqual([10]);
    expect(Array.from(unpackDvidImage(gray8, 'uint16', 1, { lossy: true }) as ArrayLike<number>)).toEqual([257, 514]);
    expect(Array.from(unpackDvidImage(rgb8, 'uint16', 1, { lossy: true }) as ArrayLike<number>)).toEqual([2570]);
    expect(Array.from(unpackDvidImage(rgb8, 'uint8', 4, { lossy: true }) as ArrayLike<number>)).toEqual([10, 20, 30, 255]);
    expect(() => unpackDvidImage(rgb8, 'uint32', 1, { lossy: true })).not.toThrow(); // RGB PNG of an opaque uint32
  });

  it('jpegCarriesValues lists the types DVID JPEGs keep', () => {
    expect(TYPES.map(([d, c]) => jpegCarriesValues(d, c))).toEqual([true, true, false, false, false, true]);
  });
});

describe('PNG and image sniffing', () => {
  it('decodes palette PNGs to RGB and rejects sub-byte gray and non-PNG bytes', () => {
    // fast-png writes palette images when given one.
    const withPalette = encodePng({ width: 2, height: 1, channels: 3, depth: 8, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    expect(decodePng(withPalette)).toMatchObject({ channels: 3, depth: 8 });
    expect(() => decodePng(Uint8Array.from([1, 2, 3]))).toThrow(/not a PNG/);
    expect(() => decodePng(png('uint8.png').subarray(0, 40))).toThrow(DecodeError);
    expect(() => decodePng(png('uint8.png'), { maxPixels: 10 })).toThrow(/exceeds the limit/);
  });

  it('sniffs PNG and JPEG and decodes either', () => {
    expect(sniffImageFormat(png('uint8.png'))).toBe('png');
    const jpg = new Uint8Array(readFileSync(new URL('../fixtures/jpeg-go/flat-16x8-q50.jpg', import.meta.url)));
    expect(sniffImageFormat(jpg)).toBe('jpeg');
    expect(decodeImage(jpg)).toMatchObject({ width: 16, height: 8, channels: 1 });
    expect(sniffImageFormat(Uint8Array.from([0, 1]))).toBeUndefined();
    expect(() => decodeImage(Uint8Array.from([0x47, 0x49, 0x46]))).toThrow(/neither PNG nor JPEG \(first bytes: 47 49 46\)/);
  });

  it('every truncation of a PNG is a DecodeError (the signature and IHDR are checked first)', () => {
    const bytes = png('uint64-translucent.png');
    for (let n = 0; n < bytes.length; n += 5) {
      expect(() => decodePng(bytes.subarray(0, n))).toThrow(DecodeError);
    }
  });
});
