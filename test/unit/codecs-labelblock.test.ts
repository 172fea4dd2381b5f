import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, DvidArgumentError } from '../../src/errors.js';
import {
  LABEL_BLOCK_CODEC,
  decodeLabelBlock,
  decodeLabelBlockInto,
  readLabelBlockHeader,
} from '../../src/codecs/labelblock.js';
import { encodeLabelBlock } from '../../src/codecs/labelblock-encode.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

// ---------------------------------------------------------------------------------------------
// An independent, deliberately naive reference: builds blocks from an explicit structure, bit by
// bit, and expands them with bigint arithmetic. It can express what no encoder emits (Ns = 0,
// duplicate table entries, unused palette entries, widths above 9 bits).

type Triple = [number, number, number];

interface SubBlockSpec {
  /** Indices into the label table; length is Ns. */
  palette: number[];
  /** 512 local indices (z, y, x order), only when Ns ≥ 2. */
  values?: number[];
}

interface BlockSpec {
  g: Triple;
  table: bigint[];
  subs: SubBlockSpec[];
}

function bitsFor(n: number): number {
  let b = 0;
  while (2 ** b < n) b++;
  return n < 2 ? 0 : b;
}

function buildBlock(spec: BlockSpec): Uint8Array {
  const { g, table, subs } = spec;
  const parts: number[] = [];
  const u32 = (v: number) => parts.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  const u16 = (v: number) => parts.push(v & 255, (v >>> 8) & 255);
  g.forEach(u32);
  u32(table.length);
  for (const label of table) {
    for (let k = 0n; k < 8n; k++) parts.push(Number((label >> (8n * k)) & 255n));
  }
  if (table.length > 1) {
    for (const s of subs) u16(s.palette.length);
    for (const s of subs) s.palette.forEach(u32);
    for (const s of subs) {
      const b = bitsFor(s.palette.length);
      if (b === 0) continue;
      const bits: number[] = [];
      for (const v of s.values!) for (let k = b - 1; k >= 0; k--) bits.push((v >> k) & 1);
      for (let i = 0; i < bits.length; i += 8) {
        let byte = 0;
        for (let k = 0; k < 8; k++) byte = (byte << 1) | bits[i + k];
        parts.push(byte);
      }
    }
  }
  return Uint8Array.from(parts);
}

function expand(spec: BlockSpec): BigUint64Array {
  const [gx, gy, gz] = spec.g;
  const nx = gx * 8;
  const ny = gy * 8;
  const out = new BigUint64Array(gx * gy * gz * 512);
  if (spec.table.length === 1) return out.fill(spec.table[0]);
  let sb = 0;
  for (let sz = 0; sz < gz; sz++)
    for (let sy = 0; sy < gy; sy++)
      for (let sx = 0; sx < gx; sx++, sb++) {
        const s = spec.subs[sb];
        for (let i = 0; i < 512; i++) {
          const x = sx * 8 + (i % 8);
          const y = sy * 8 + ((i >> 3) % 8);
          const z = sz * 8 + (i >> 6);
          let label = 0n;
          if (s.palette.length === 1) label = spec.table[s.palette[0]];
          else if (s.palette.length > 1) label = spec.table[s.palette[s.values![i]]];
          out[(z * ny + y) * nx + x] = label;
        }
      }
  return out;
}

const NAN_LIKE = [0xffffffffffffffffn, 0x7ff8000000000001n, 0xfff0000000000001n, 0x7ff0000000000000n];

const labelArb = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.integer({ min: 0, max: 5 }).map(BigInt),
  fc.constantFrom(...NAN_LIKE, 2n ** 63n + 5n, 2n ** 53n + 1n),
);

/** Random block structures, including what no encoder writes. */
const blockSpecArb: fc.Arbitrary<BlockSpec> = fc
  .record({
    g: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    table: fc.array(labelArb, { minLength: 1, maxLength: 12 }),
  })
  .chain(({ g, table }) => {
    const nsb = g[0] * g[1] * g[2];
    const sub: fc.Arbitrary<SubBlockSpec> = fc
      .oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 3, arbitrary: fc.constant(1) },
        { weight: 6, arbitrary: fc.integer({ min: 2, max: 20 }) },
        { weight: 1, arbitrary: fc.integer({ min: 500, max: 1100 }) },
      )
      .chain((ns) =>
        fc.record({
          palette: fc.array(fc.nat(table.length - 1), { minLength: ns, maxLength: ns }),
          values: ns >= 2 ? fc.array(fc.nat(ns - 1), { minLength: 512, maxLength: 512 }) : fc.constant(undefined),
        }),
      );
    return fc.record({
      g: fc.constant(g),
      table: fc.constant(table),
      subs: table.length === 1 ? fc.constant([]) : fc.array(sub, { minLength: nsb, maxLength: nsb }),
    });
  });

/** Random label volumes with few labels in runs, like segmentation. */
const volumeArb = fc
  .record({
    g: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    pool: fc.array(labelArb, { minLength: 1, maxLength: 40 }),
    seed: fc.integer(),
    runLength: fc.integer({ min: 1, max: 300 }),
  })
  .map(({ g, pool, seed, runLength }) => {
    const size: Triple = [g[0] * 8, g[1] * 8, g[2] * 8];
    const labels = new BigUint64Array(size[0] * size[1] * size[2]);
    let s = seed >>> 0;
    let current = pool[0];
    for (let i = 0; i < labels.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      if (s % runLength === 0) current = pool[s % pool.length];
      labels[i] = current;
    }
    return { size, labels };
  });

/** Index of the first difference, or -1 (vitest's deep equality is slow on megabytes). */
function firstDifference(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function expectDecodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

// ---------------------------------------------------------------------------------------------

describe('decodeLabelBlock: the libdvid-cpp fixture', () => {
  const block = fixture('tricky-label-block.dvidblock');
  const expected = fixture('tricky-label-block.u64');

  it('decodes to exactly the .u64 bytes', () => {
    const { size, labels } = decodeLabelBlock(block);
    expect(size).toEqual([64, 64, 64]);
    expect(firstDifference(new Uint8Array(labels.buffer), expected)).toBe(-1);
  });

  it('decodes the same from an unaligned copy', () => {
    const shifted = new Uint8Array(block.length + 3);
    shifted.set(block, 3);
    const { labels } = decodeLabelBlock(shifted.subarray(3));
    expect(firstDifference(new Uint8Array(labels.buffer), expected)).toBe(-1);
  });

  it('reads the header without decoding voxels', () => {
    const header = readLabelBlockHeader(block);
    expect(header.size).toEqual([64, 64, 64]);
    expect(header.subBlocks).toEqual([8, 8, 8]);
    expect(header.labels.length).toBe(15933);
    expect(header.solid).toBe(false);
    expect(header.byteLength).toBe(block.length);
    const distinct = new Set(new BigUint64Array(expected.buffer, expected.byteOffset, expected.length / 8));
    expect(new Set(header.labels)).toEqual(distinct);
  });

  it('round-trips through encodeLabelBlock', () => {
    const labels = new BigUint64Array(expected.slice().buffer);
    const encoded = encodeLabelBlock(labels, [64, 64, 64]);
    expect(firstDifference(new Uint8Array(decodeLabelBlock(encoded).labels.buffer), expected)).toBe(-1);
    // Same minimal sizes as libdvid-cpp's encoder: every sub-block uses bitsFor(Ns) bits.
    expect(encoded.length).toBe(block.length);
  });

  it('decodes into a larger volume, whole and cropped, like slicing the decoded block', () => {
    const full = new BigUint64Array(expected.slice().buffer);
    const vol = new BigUint64Array(100 * 70 * 66);
    decodeLabelBlockInto(block, vol, 3 + 2 * 100 + 1 * 7000, [1, 100, 7000]);
    for (const [x, y, z] of [[0, 0, 0], [63, 63, 63], [17, 40, 9], [5, 63, 0]]) {
      expect(vol[3 + x + (2 + y) * 100 + (1 + z) * 7000]).toBe(full[x + y * 64 + z * 4096]);
    }
    const out = new BigUint64Array(20 * 30 * 5);
    decodeLabelBlockInto(block, out, 0, [1, 20, 600], { crop: { min: [3, 30, 50], max: [23, 60, 55] } });
    for (let z = 0; z < 5; z++)
      for (let y = 0; y < 30; y++)
        for (let x = 0; x < 20; x++) expect(out[x + y * 20 + z * 600]).toBe(full[3 + x + (30 + y) * 64 + (50 + z) * 4096]);
  });
});

describe('decodeLabelBlock: hand-made blocks', () => {
  it('decodes the worked example of dvid-api.md §6 and encodes it byte for byte', () => {
    // 16³ block, label 7 everywhere except voxel (0,0,0) = 9.
    const bytes = buildBlock({
      g: [2, 2, 2],
      table: [9n, 7n],
      subs: [
        { palette: [0, 1], values: [0, ...new Array(511).fill(1)] },
        ...new Array(7).fill({ palette: [1] }),
      ],
    });
    expect(bytes.length).toBe(148);
    expect(bytes[84]).toBe(0x7f);
    expect(bytes.subarray(85).every((b) => b === 0xff)).toBe(true);
    const { size, labels } = decodeLabelBlock(bytes);
    expect(size).toEqual([16, 16, 16]);
    expect(labels[0]).toBe(9n);
    expect(labels.subarray(1).every((l) => l === 7n)).toBe(true);
    expect(encodeLabelBlock(labels, [16, 16, 16])).toEqual(bytes);
  });

  it('decodes a solid block of 24 bytes and encodes one', () => {
    const label = 2n ** 63n + 5n;
    const bytes = buildBlock({ g: [8, 8, 8], table: [label], subs: [] });
    expect(bytes.length).toBe(24);
    const { labels } = decodeLabelBlock(bytes);
    expect(labels.length).toBe(64 ** 3);
    expect(labels.every((l) => l === label)).toBe(true);
    expect(encodeLabelBlock(labels, [64, 64, 64])).toEqual(bytes);
    expect(encodeLabelBlock(new BigUint64Array(512), [8, 8, 8]).length).toBe(24);
  });

  it('reads Ns = 0 sub-blocks as label 0, and duplicate or zero table entries', () => {
    const spec: BlockSpec = {
      g: [2, 1, 1],
      table: [5n, 0n, 5n, 2n ** 64n - 1n],
      subs: [{ palette: [] }, { palette: [2, 0, 3], values: Array.from({ length: 512 }, (_, i) => i % 3) }],
    };
    const { labels } = decodeLabelBlock(buildBlock(spec));
    expect(firstDifference(labels, expand(spec))).toBe(-1);
    expect(labels[0]).toBe(0n);
    expect(labels[8]).toBe(5n);
    expect(labels[10]).toBe(2n ** 64n - 1n);
  });

  it('decodes widths beyond 9 bits (Ns up to 65535), MSB first', () => {
    for (const ns of [600, 1025, 5000, 9000, 65535]) {
      const table = Array.from({ length: 40 }, (_, i) => BigInt(i) * 0x1_0000_0001n + 3n);
      const spec: BlockSpec = {
        g: [1, 1, 1],
        table,
        subs: [
          {
            palette: Array.from({ length: ns }, (_, i) => (i * 7) % table.length),
            values: Array.from({ length: 512 }, (_, i) => (i * 2654435761) % ns),
          },
        ],
      };
      const bytes = buildBlock(spec);
      expect(bytes.length).toBe(16 + 8 * 40 + 2 + 4 * ns + 64 * bitsFor(ns));
      expect(firstDifference(decodeLabelBlock(bytes).labels, expand(spec))).toBe(-1);
    }
  });

  it('matches the reference expansion for random structures', () => {
    fc.assert(
      fc.property(blockSpecArb, (spec) => {
        const bytes = buildBlock(spec);
        const expected = expand(spec);
        expect(firstDifference(decodeLabelBlock(bytes).labels, expected)).toBe(-1);
        expect(readLabelBlockHeader(bytes).byteLength).toBe(bytes.length);
        // Trailing bytes are ignored, as DVID does.
        const padded = new Uint8Array(bytes.length + 5);
        padded.set(bytes);
        expect(firstDifference(decodeLabelBlock(padded).labels, expected)).toBe(-1);
      }),
      { numRuns: 150 },
    );
  });
});

describe('encodeLabelBlock', () => {
  const roundTrip = (labels: BigUint64Array, size: Triple) => {
    const bytes = encodeLabelBlock(labels, size);
    const decoded = decodeLabelBlock(bytes);
    expect(decoded.size).toEqual(size);
    expect(firstDifference(decoded.labels, labels)).toBe(-1);
    return bytes;
  };

  it('round-trips one 8³ sub-block holding 512 distinct labels (9-bit values)', () => {
    const labels = BigUint64Array.from({ length: 512 }, (_, i) => 2n ** 63n + BigInt(i * 977));
    const bytes = roundTrip(labels, [8, 8, 8]);
    expect(bytes.length).toBe(16 + 8 * 512 + 2 + 4 * 512 + 64 * 9);
    const big = new BigUint64Array(16 * 16 * 16);
    for (let i = 0; i < 512; i++) big[(i >> 6) * 256 + ((i >> 3) & 7) * 16 + (i & 7) + 8] = labels[i];
    roundTrip(big, [16, 16, 16]);
  });

  it('round-trips label 0 regions and IDs above 2^53, including NaN bit patterns', () => {
    const labels = new BigUint64Array(32 * 16 * 24);
    const ids = [0n, 2n ** 63n + 5n, 2n ** 53n + 1n, 2n ** 64n - 1n, ...NAN_LIKE, 1n, 2n ** 32n];
    for (let i = 0; i < labels.length; i++) labels[i] = i % 1000 < 400 ? 0n : ids[(i >> 5) % ids.length];
    roundTrip(labels, [32, 16, 24]);
    const into = new BigUint64Array(labels.length);
    decodeLabelBlockInto(encodeLabelBlock(labels, [32, 16, 24]), into, 0, [1, 32, 512]);
    expect(firstDifference(into, labels)).toBe(-1);
  });

  it('never writes Ns = 0 and writes label 0 like any other label', () => {
    const bytes = encodeLabelBlock(new BigUint64Array(16 ** 3).map((_, i) => (i < 100 ? 3n : 0n)), [16, 16, 16]);
    const view = new DataView(bytes.buffer);
    const n = view.getUint32(12, true);
    for (let i = 0; i < 8; i++) expect(view.getUint16(16 + 8 * n + 2 * i, true)).toBeGreaterThan(0);
  });

  it('round-trips random volumes and writes the documented length', () => {
    fc.assert(
      fc.property(volumeArb, ({ size, labels }) => {
        const bytes = roundTrip(labels, size);
        const view = new DataView(bytes.buffer);
        const n = view.getUint32(12, true);
        if (n === 1) {
          expect(bytes.length).toBe(24);
          return;
        }
        const nsb = (size[0] * size[1] * size[2]) / 512;
        let total = 16 + 8 * n + 2 * nsb;
        for (let i = 0; i < nsb; i++) {
          const ns = view.getUint16(16 + 8 * n + 2 * i, true);
          expect(ns).toBeGreaterThan(0);
          total += 4 * ns + 64 * bitsFor(ns);
        }
        expect(bytes.length).toBe(total);
        expect(new Set(readLabelBlockHeader(bytes).labels)).toEqual(new Set(labels));
      }),
      { numRuns: 150 },
    );
  });

  it('rejects sizes that are not multiples of 8 from 8 to 1024, and wrong lengths', () => {
    const bad: [number, number, number][] = [[12, 16, 16], [0, 8, 8], [8, 8, 1032], [8.5, 8, 8], [-8, 8, 8]];
    for (const size of bad) {
      expect(() => encodeLabelBlock(new BigUint64Array(512), size)).toThrow(DvidArgumentError);
    }
    expect(() => encodeLabelBlock(new BigUint64Array(511), [8, 8, 8])).toThrow(DvidArgumentError);
    expect(() => encodeLabelBlock(new BigUint64Array(512) as never, [8, 8] as never)).toThrow(DvidArgumentError);
    expect(() => encodeLabelBlock(new BigInt64Array(512) as never, [8, 8, 8])).toThrow(DvidArgumentError);
  });
});

describe('decodeLabelBlockInto', () => {
  it('matches slicing the decoded block for random crops, offsets and strides (also negative)', () => {
    fc.assert(
      fc.property(
        volumeArb,
        fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 5 }),
        ({ size, labels }, r, flip, pad) => {
          const min = [0, 1, 2].map((a) => r[a] % (size[a] + 1)) as Triple;
          const max = [0, 1, 2].map((a) => min[a] + (r[a + 3] % (size[a] - min[a] + 1))) as Triple;
          const ext = [0, 1, 2].map((a) => max[a] - min[a]);
          const strides = [1, ext[0] + pad, (ext[0] + pad) * (ext[1] + 1)] as Triple;
          const total = strides[2] * (ext[2] + 1) + pad;
          let offset = pad;
          for (let a = 0; a < 3; a++) {
            if (flip[a]) {
              offset += strides[a] * Math.max(ext[a] - 1, 0);
              strides[a] = -strides[a];
            }
          }
          const bytes = encodeLabelBlock(labels, size);
          const sentinel = 0xdeadn;
          const dest = new BigUint64Array(total).fill(sentinel);
          expect(decodeLabelBlockInto(bytes, dest, offset, strides, { crop: { min, max } })).toEqual(size);
          let written = 0;
          for (let z = 0; z < ext[2]; z++)
            for (let y = 0; y < ext[1]; y++)
              for (let x = 0; x < ext[0]; x++) {
                const d = offset + x * strides[0] + y * strides[1] + z * strides[2];
                const s = min[0] + x + (min[1] + y) * size[0] + (min[2] + z) * size[0] * size[1];
                expect(dest[d]).toBe(labels[s]);
                written++;
              }
          const untouched = dest.filter((v) => v === sentinel).length;
          expect(untouched).toBeGreaterThanOrEqual(total - written);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('decodes solid blocks into place', () => {
    const bytes = encodeLabelBlock(new BigUint64Array(4096).fill(0x7ff8000000000001n), [16, 16, 16]);
    const dest = new BigUint64Array(20 * 20 * 20);
    decodeLabelBlockInto(bytes, dest, 2 + 2 * 20 + 2 * 400, [1, 20, 400]);
    expect(dest[2 + 2 * 20 + 2 * 400]).toBe(0x7ff8000000000001n);
    expect(dest[17 + 17 * 20 + 17 * 400]).toBe(0x7ff8000000000001n);
    expect(dest[18 + 17 * 20 + 17 * 400]).toBe(0n);
    expect(dest.filter((v) => v !== 0n).length).toBe(4096);
  });

  it('works on subarrays: labels to encode and destinations with a byte offset', () => {
    for (const id of [41n, 2n ** 64n - 1n]) {
      const backing = new BigUint64Array(5 + 4096 + 5).fill(0xabcn);
      const labels = backing.subarray(5, 5 + 4096).map((_, i) => (i % 7 === 0 ? id : BigInt(i >> 9)));
      backing.set(labels, 5);
      const bytes = encodeLabelBlock(backing.subarray(5, 5 + 4096), [16, 16, 16]);
      const out = new BigUint64Array(3 + 4096 + 3).fill(0xdefn);
      decodeLabelBlockInto(bytes, out.subarray(3, 3 + 4096), 0, [1, 16, 256]);
      expect(firstDifference(out.subarray(3, 3 + 4096), labels)).toBe(-1);
      expect([...out.subarray(0, 3), ...out.subarray(3 + 4096)]).toEqual(new Array(6).fill(0xdefn));
    }
  });

  it('rejects crops outside the block and destinations that are too small', () => {
    const bytes = encodeLabelBlock(new BigUint64Array(4096).map((_, i) => BigInt(i % 3)), [16, 16, 16]);
    const dest = new BigUint64Array(4096);
    expect(() => decodeLabelBlockInto(bytes, dest, 0, [1, 16, 256], { crop: { min: [0, 0, 0], max: [17, 16, 16] } })).toThrow(DvidArgumentError);
    expect(() => decodeLabelBlockInto(bytes, dest, 0, [1, 16, 256], { crop: { min: [5, 0, 0], max: [4, 16, 16] } })).toThrow(DvidArgumentError);
    expect(() => decodeLabelBlockInto(bytes, dest, 1, [1, 16, 256])).toThrow(DvidArgumentError);
    expect(() => decodeLabelBlockInto(bytes, dest, 0, [-1, 16, 256])).toThrow(DvidArgumentError);
    expect(() => decodeLabelBlockInto(bytes, dest, 0, [1, 16, 256.5])).toThrow(DvidArgumentError);
    // An empty crop writes nothing, wherever it points.
    expect(decodeLabelBlockInto(bytes, new BigUint64Array(0), 0, [1, 1, 1], { crop: { min: [3, 3, 3], max: [3, 9, 9] } })).toEqual([16, 16, 16]);
  });
});

describe('decodeLabelBlock: hostile input', () => {
  const valid = encodeLabelBlock(
    BigUint64Array.from({ length: 16 * 16 * 16 }, (_, i) => [0n, 7n, 2n ** 63n, 12n, 99n][(i * 31) % 5 === 0 ? i % 5 : (i >> 6) % 3]),
    [16, 16, 16],
  );

  it('rejects every truncation with a DecodeError naming codec, block and offset', () => {
    for (let len = 0; len < valid.length; len++) {
      const err = expectDecodeError(() => decodeLabelBlock(valid.subarray(0, len), { block: '1,2,3' }));
      expect(err.codec).toBe(LABEL_BLOCK_CODEC);
      expect(err.block).toBe('1,2,3');
      expect(err.offset).toBeTypeOf('number');
      expect(err.offset).toBeLessThanOrEqual(len);
      expect(err.message).toContain('block 1,2,3');
    }
  });

  it('names what is wrong and where', () => {
    const at = (bytes: Uint8Array) => expectDecodeError(() => decodeLabelBlock(bytes));
    const header = (gx: number, gy: number, gz: number, n: number, extra = 8) => {
      const b = new Uint8Array(16 + extra);
      const v = new DataView(b.buffer);
      [gx, gy, gz, n].forEach((x, i) => v.setUint32(4 * i, x, true));
      return b;
    };
    expect(at(header(0, 8, 8, 1)).offset).toBe(0);
    expect(at(header(8, 129, 8, 1)).offset).toBe(4);
    expect(at(header(8, 8, 8, 0)).offset).toBe(12);
    const huge = at(header(8, 8, 8, 0xffffffff));
    expect(huge.offset).toBe(16);
    expect(huge.message).toMatch(/label table/);
    // More sub-block counts than bytes.
    expect(at(header(8, 8, 8, 2, 16 + 100)).offset).toBe(32);
    // Palette index outside the table.
    const spec: BlockSpec = { g: [1, 1, 1], table: [1n, 2n], subs: [{ palette: [1, 2], values: new Array(512).fill(1) }] };
    const badIndex = at(buildBlock(spec));
    expect(badIndex.offset).toBe(16 + 16 + 2 + 4);
    expect(badIndex.message).toMatch(/palette index 2/);
    // Local index ≥ Ns (Ns = 3, 2-bit values, voxel 5 says 3).
    const values = new Array(512).fill(0);
    values[5] = 3;
    const local = at(buildBlock({ g: [1, 1, 1], table: [1n, 2n], subs: [{ palette: [0, 1, 0], values }] }));
    expect(local.message).toMatch(/voxel 5 of sub-block 0 has local index 3/);
    expect(local.offset).toBe(16 + 16 + 2 + 12 + 1);
    // Too big to allocate without an expected size; fine to read the header.
    const solid1024 = header(128, 128, 128, 1);
    expect(at(solid1024).message).toMatch(/maxVoxels/);
    expect(readLabelBlockHeader(solid1024).size).toEqual([1024, 1024, 1024]);
    // Wrong size for the instance.
    expect(() => decodeLabelBlock(valid, { expectedSize: [64, 64, 64] })).toThrow(/expected 64×64×64/);
    expect(decodeLabelBlock(valid, { expectedSize: [16, 16, 16] }).size).toEqual([16, 16, 16]);
  });

  it('throws only DecodeError, and terminates, for mutated encodings', () => {
    const seeds = [
      valid,
      fixture('tricky-label-block.dvidblock').subarray(0, 4000),
      buildBlock({ g: [1, 1, 2], table: [0n, 1n, 2n], subs: [{ palette: [] }, { palette: [0, 1, 2], values: new Array(512).fill(2) }] }),
    ];
    fc.assert(
      fc.property(
        fc.nat(seeds.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat()),
        (which, edits, cut) => {
          const bytes = seeds[which].slice();
          // Aim most edits at the header and counts, where lies matter most.
          for (const [pos, value] of edits) bytes[pos % Math.min(bytes.length, pos % 2 ? 64 : bytes.length)] = value;
          const input = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
          for (const run of [
            () => decodeLabelBlock(input, { maxVoxels: 64 ** 3 }),
            () => decodeLabelBlockInto(input, new BigUint64Array(64 ** 3), 0, [1, 64, 4096], { expectedSize: [16, 16, 16] }),
            () => readLabelBlockHeader(input),
          ]) {
            try {
              run();
            } catch (err) {
              if (!(err instanceof DecodeError)) throw err;
            }
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});
