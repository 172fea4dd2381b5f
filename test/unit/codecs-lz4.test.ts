import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { boundLz4Block, decodeLz4Block, encodeLz4Block } from '../../src/codecs/lz4.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function expectDecodeError(fn: () => unknown, offset?: number, message?: RegExp): DecodeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    const e = err as DecodeError;
    expect(e.codec).toBe('lz4');
    if (offset !== undefined) expect(e.offset).toBe(offset);
    if (message) expect(e.message).toMatch(message);
    return e;
  }
  throw new Error('expected a DecodeError');
}

/** Round trip, with the strict decoder checking LZ4_decompress_safe's end-of-block rules. */
function roundTrip(data: Uint8Array): Uint8Array {
  const packed = encodeLz4Block(data);
  expect(packed.length).toBeLessThanOrEqual(boundLz4Block(data.length));
  expect(sameBytes(decodeLz4Block(packed, data.length, { strict: true }), data)).toBe(true);
  return packed;
}

describe('decodeLz4Block: known vectors', () => {
  it('decodes a hand-made block with an overlapping match', () => {
    // "abc", then copy 12 bytes from 3 back, then the literals "ABCDE".
    const block = Uint8Array.from([0x38, ...ascii('abc'), 0x03, 0x00, 0x50, ...ascii('ABCDE')]);
    const out = decodeLz4Block(block, 20, { strict: true });
    expect(new TextDecoder().decode(out)).toBe('abcabcabcabcabcABCDE');
  });

  it('decodes a hand-made block with literal and match length extensions', () => {
    // 20 literals (15 + 5), a 275-byte match at offset 1 (4 + 15 + 255 + 1), 5 literals.
    const literals = Array.from({ length: 20 }, (_, i) => i);
    const block = Uint8Array.from([0xff, 5, ...literals, 0x01, 0x00, 255, 1, 0x50, 100, 101, 102, 103, 104]);
    const out = decodeLz4Block(block, 300, { strict: true });
    expect(Array.from(out.subarray(0, 20))).toEqual(literals);
    expect(out.subarray(20, 295).every((b) => b === 19)).toBe(true);
    expect(Array.from(out.subarray(295))).toEqual([100, 101, 102, 103, 104]);
  });

  it('decodes a block written by the reference C LZ4', () => {
    const raw = fixture('tricky-label-block.u64').subarray(1048576, 1048576 + 16384);
    const out = decodeLz4Block(fixture('tricky-16k-at-1m.lz4block'), raw.length, { strict: true });
    expect(sameBytes(out, raw)).toBe(true);
  });

  it('decodes an empty block', () => {
    expect(decodeLz4Block(Uint8Array.of(0), 0).length).toBe(0);
    expect(encodeLz4Block(new Uint8Array(0))).toEqual(Uint8Array.of(0));
  });

  it('accepts end-of-block rule breaks unless strict', () => {
    // "abcd" then an 4-byte match ending the block: legal bytes, but not what LZ4 writes.
    const block = Uint8Array.from([0x40, ...ascii('abcd'), 0x04, 0x00, 0x00]);
    expect(new TextDecoder().decode(decodeLz4Block(block, 8))).toBe('abcdabcd');
    expectDecodeError(() => decodeLz4Block(block, 8, { strict: true }), 0, /12/);
  });

  it('decodes into a given destination exactly, never past it', () => {
    const data = new TextEncoder().encode('label '.repeat(200));
    const packed = encodeLz4Block(data);
    const backing = new Uint8Array(data.length + 20).fill(0xee);
    const dest = backing.subarray(10, 10 + data.length);
    expect(decodeLz4Block(packed, dest)).toBe(dest);
    expect(sameBytes(dest, data)).toBe(true);
    expect(backing.subarray(0, 10).every((b) => b === 0xee)).toBe(true);
    expect(backing.subarray(10 + data.length).every((b) => b === 0xee)).toBe(true);
    expectDecodeError(() => decodeLz4Block(packed, backing.subarray(10, 10 + data.length - 1)), undefined, /past/);
    expectDecodeError(() => decodeLz4Block(packed, new Uint8Array(data.length + 1)), packed.length, /expected/);
  });
});

describe('decodeLz4Block: malformed input', () => {
  it('names the problem and the byte offset', () => {
    const block = { block: '0,0,1' };
    expectDecodeError(() => decodeLz4Block(new Uint8Array(0), 0), 0, /empty/);
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0xf0), 20), 1, /literal length/);
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0x20, 1), 2), 1, /past the end of the input/);
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0x20, 1, 2), 1), 1, /past the 1-byte output/);
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0x10, 1, 1), 20), 2, /match offset/);
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0x00, 0x00, 0x00), 20), 1, /offset 0/);
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0x10, 7, 0x02, 0x00, 0x00), 20), 2, /before the start/);
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0x1f, 7, 0x01, 0x00), 40), 4, /match length/);
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0x1f, 7, 0x01, 0x00, 0x00, 0x00), 10), 0, /past the 10-byte output/);
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0x10, 7), 2), 2, /output is 1 bytes, expected 2/);
    const named = expectDecodeError(() => decodeLz4Block(Uint8Array.of(0x10, 7), 2, block));
    expect(named.block).toBe('0,0,1');
    expect(named.message).toContain('block 0,0,1');
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0), -1));
    expectDecodeError(() => decodeLz4Block(Uint8Array.of(0), 1.5));
  });

  it('rejects every truncation of a valid block', () => {
    const data = new TextEncoder().encode('abcdefgh'.repeat(40) + 'the end of it');
    const packed = encodeLz4Block(data);
    for (let len = 0; len < packed.length; len++) {
      expectDecodeError(() => decodeLz4Block(packed.subarray(0, len), data.length));
    }
  });

  it('throws only DecodeError, and terminates, for mutated blocks and wrong sizes', () => {
    const seeds = [
      encodeLz4Block(new TextEncoder().encode('segmentation '.repeat(100))),
      encodeLz4Block(new Uint8Array(new BigUint64Array(300).map((_, i) => BigInt(i >> 5) * 0x1_0000_0001n).buffer)),
      fixture('tricky-16k-at-1m.lz4block'),
    ];
    const sizes = [1300, 2400, 16384];
    fc.assert(
      fc.property(
        fc.nat(seeds.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }),
        fc.option(fc.nat()),
        fc.integer({ min: -50, max: 50 }),
        (which, edits, cut, sizeDelta) => {
          const bytes = seeds[which].slice();
          for (const [pos, value] of edits) bytes[pos % bytes.length] = value;
          const input = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
          const size = Math.max(0, sizes[which] + sizeDelta);
          for (const strict of [false, true]) {
            try {
              const out = decodeLz4Block(input, size, { strict });
              expect(out.length).toBe(size);
            } catch (err) {
              if (!(err instanceof DecodeError)) throw err;
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('encodeLz4Block', () => {
  it('round-trips every length from 0 to 100 (the 13-byte minimum for matches included)', () => {
    for (let n = 0; n <= 100; n++) {
      roundTrip(new Uint8Array(n).fill(9));
      roundTrip(Uint8Array.from({ length: n }, (_, i) => (i * 37) % 5));
    }
    // Below 13 bytes everything is literals.
    expect(encodeLz4Block(new Uint8Array(12))).toEqual(Uint8Array.of(0xc0, ...new Array(12).fill(0)));
    expect(encodeLz4Block(new Uint8Array(13)).length).toBeLessThan(14);
  });

  it('round-trips random (incompressible) bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (data) => {
        roundTrip(data);
      }),
      { numRuns: 200 },
    );
    const big = new Uint8Array(300000);
    let s = 12345;
    for (let i = 0; i < big.length; i++) big[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
    expect(roundTrip(big).length).toBeLessThanOrEqual(boundLz4Block(big.length));
  });

  it('round-trips repetitive data and compresses it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 300 })), {
          minLength: 1,
          maxLength: 20,
        }),
        (pieces) => {
          const parts = pieces.flatMap(([unit, times]) => new Array<Uint8Array>(times).fill(unit));
          const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let o = 0;
          for (const p of parts) {
            data.set(p, o);
            o += p.length;
          }
          const packed = roundTrip(data);
          if (data.length > 20000) expect(packed.length).toBeLessThan(data.length / 4);
        },
      ),
      { numRuns: 150 },
    );
    // Long runs and far matches (offsets up to 65535, none beyond).
    const far = new Uint8Array(200000);
    for (let i = 0; i < 1000; i++) far[i] = (i * 7) & 255;
    far.copyWithin(65535, 0, 1000);
    far.copyWithin(140000, 65535, 66535);
    roundTrip(far);
  });

  it('round-trips uint64 label volumes (the fixture block)', () => {
    const raw = fixture('tricky-label-block.u64');
    const packed = roundTrip(raw);
    expect(packed.length).toBeLessThan(raw.length / 5);
  });
});
