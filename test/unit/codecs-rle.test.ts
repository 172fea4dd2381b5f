import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, DvidArgumentError } from '../../src/errors.js';
import {
  SPARSEVOL_CODEC,
  clipRuns,
  countRunVoxels,
  createRunList,
  decodeCoarseRles,
  decodeMaskBlocks,
  decodeRles,
  decodeStreamingRles,
  encodeRles,
  expandRuns,
  getRunBounds,
  maskBlocksToMask,
  maskBlocksToRuns,
  maskToRuns,
  runsToMask,
  type RunList,
} from '../../src/codecs/rle.js';
import { Volume } from '../../src/volume/index.js';

// ---- independent byte builders, written from the format description ---------------------------

function legacy(runs: number[][], header: Partial<{ d0: number; dims: number; runDim: number; count: number }> = {}): Uint8Array {
  const out = new Uint8Array(12 + 16 * runs.length);
  const dv = new DataView(out.buffer);
  out[0] = header.d0 ?? 0;
  out[1] = header.dims ?? 3;
  out[2] = header.runDim ?? 0;
  dv.setUint32(8, header.count ?? runs.length, true);
  runs.forEach((r, i) => r.forEach((v, k) => dv.setInt32(12 + 16 * i + 4 * k, v, true)));
  return out;
}

function streaming(runs: number[][]): Uint8Array {
  return legacy(runs).subarray(12);
}

/** A mask-blocks body from explicit per-voxel membership (naive, bit by bit, LSB first). */
function maskBlocksBytes(
  label: bigint,
  g: [number, number, number],
  blocks: { offset: [number, number, number]; inside: (x: number, y: number, z: number) => boolean }[],
): Uint8Array {
  const bytes: number[] = [];
  const u32 = (v: number) => bytes.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  g.forEach(u32);
  for (let k = 0n; k < 8n; k++) bytes.push(Number((label >> (8n * k)) & 255n));
  const [nx, ny, nz] = g.map((n) => 8 * n);
  for (const b of blocks) {
    b.offset.forEach(u32);
    let all = true;
    let none = true;
    for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) (b.inside(x, y, z) ? (none = false) : (all = false));
    if (none || all) {
      bytes.push(none ? 0 : 1);
      continue;
    }
    bytes.push(2);
    for (let sz = 0; sz < g[2]; sz++)
      for (let sy = 0; sy < g[1]; sy++)
        for (let sx = 0; sx < g[0]; sx++) {
          const bits: number[] = [];
          for (let z = 0; z < 8; z++) for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) bits.push(b.inside(sx * 8 + x, sy * 8 + y, sz * 8 + z) ? 1 : 0);
          if (bits.every((v) => v === 0)) bytes.push(0);
          else if (bits.every((v) => v === 1)) bytes.push(1);
          else {
            bytes.push(2);
            for (let k = 0; k < 64; k++) {
              let byte = 0;
              for (let i = 0; i < 8; i++) byte |= bits[8 * k + i] << i;
              bytes.push(byte);
            }
          }
        }
  }
  return Uint8Array.from(bytes);
}

function expectDecodeError(fn: () => unknown, offset?: number): DecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    const err = e as DecodeError;
    expect(err.codec).toBe(SPARSEVOL_CODEC);
    if (offset !== undefined) expect(err.offset).toBe(offset);
    return err;
  }
  throw new Error('expected a DecodeError');
}

const quads = (list: RunList) => Array.from({ length: list.count }, (_, i) => Array.from(list.runs.subarray(4 * i, 4 * i + 4)));

describe('legacy, streaming and coarse RLEs', () => {
  it('decodes DVID runs, signed coordinates included', () => {
    const runs = [
      [96, 63, 34, 32],
      [-5, -7, -9, 1],
      [2 ** 31 - 10, 0, 0, 10],
    ];
    expect(quads(decodeRles(legacy(runs)))).toEqual(runs);
    expect(quads(decodeStreamingRles(streaming(runs)))).toEqual(runs);
    expect(quads(decodeCoarseRles(legacy(runs)))).toEqual(runs);
  });

  it('reads an empty body as no runs (DVID: label present, nothing in bounds)', () => {
    expect(decodeRles(new Uint8Array(0)).count).toBe(0);
    expect(decodeStreamingRles(new Uint8Array(0)).count).toBe(0);
    expect(decodeRles(legacy([])).count).toBe(0);
  });

  it('decodes from an unaligned view of a larger buffer', () => {
    const body = legacy([[1, 2, 3, 4]]);
    const big = new Uint8Array(body.length + 3);
    big.set(body, 3);
    expect(quads(decodeRles(big.subarray(3)))).toEqual([[1, 2, 3, 4]]);
  });

  it('rejects lying headers and bad runs with the byte offset', () => {
    expectDecodeError(() => decodeRles(new Uint8Array(5)), 5);
    expectDecodeError(() => decodeRles(legacy([[0, 0, 0, 1]], { d0: 1 })), 0);
    expectDecodeError(() => decodeRles(legacy([[0, 0, 0, 1]], { dims: 2 })), 1);
    expectDecodeError(() => decodeRles(legacy([[0, 0, 0, 1]], { runDim: 1 })), 2);
    expectDecodeError(() => decodeRles(legacy([[0, 0, 0, 1]], { count: 2 })), 8);
    expectDecodeError(() => decodeRles(legacy([[0, 0, 0, 1]], { count: 0xffffffff })), 8);
    expectDecodeError(() => decodeRles(legacy([[0, 0, 0, 1], [0, 1, 0, 1]], { count: 1 })), 28);
    expectDecodeError(() => decodeRles(legacy([[0, 0, 0, 1], [0, 1, 0, 0]])), 12 + 16 + 12);
    expectDecodeError(() => decodeRles(legacy([[0, 0, 0, -3]])), 24);
    expectDecodeError(() => decodeRles(legacy([[2 ** 31 - 2, 0, 0, 5]])), 12);
    expectDecodeError(() => decodeStreamingRles(new Uint8Array(17)), 16);
    const err = expectDecodeError(() => decodeRles(legacy([[0, 0, 0, 0]]), { block: 'label 7' }));
    expect(err.block).toBe('label 7');
    expect(err.message).toContain('label 7');
  });

  it('encodes what it decodes (split bodies)', () => {
    const list = createRunList([[10, 20, 30, 5], [-1, 0, 2, 1]]);
    const bytes = encodeRles(list);
    expect(bytes.length).toBe(12 + 32);
    expect(Array.from(bytes.subarray(0, 12))).toEqual([0, 3, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]);
    expect(quads(decodeRles(bytes))).toEqual(quads(list));
  });

  it('createRunList checks its input', () => {
    expect(() => createRunList([[1, 2, 3]])).toThrow(DvidArgumentError);
    expect(() => createRunList([[1, 2, 3, 0]])).toThrow(DvidArgumentError);
    expect(() => createRunList([[1.5, 2, 3, 1]])).toThrow(DvidArgumentError);
    expect(() => createRunList(new Int32Array(5))).toThrow(DvidArgumentError);
  });

  it('counts, bounds and expands runs', () => {
    const list = createRunList([[5, 0, 0, 2], [0, 3, -1, 1]]);
    expect(countRunVoxels(list)).toBe(3);
    expect(getRunBounds(list)).toEqual({ start: [0, 0, -1], stop: [7, 4, 1] });
    expect(getRunBounds(createRunList([]))).toBeNull();
    expect(Array.from(expandRuns(list))).toEqual([5, 0, 0, 6, 0, 0, 0, 3, -1]);
    expect(() => expandRuns(list, 2)).toThrow(DvidArgumentError);
  });

  it('clips runs to a box (what DVID rounds to sub-blocks)', () => {
    const list = createRunList([[0, 5, 5, 100], [12, 9, 5, 4], [0, 10, 5, 50], [30, 5, 5, 5], [-10, 0, 0, 5]]);
    expect(quads(clipRuns(list, [10, 0, 0], [20, 10, 10]))).toEqual([[10, 5, 5, 10], [12, 9, 5, 4]]);
    expect(quads(clipRuns(list, [-Infinity, -Infinity, -Infinity], [Infinity, Infinity, Infinity]))).toEqual(quads(list));
    expect(clipRuns(list, [100, 0, 0], [200, 1, 1]).count).toBe(0);
  });

  it('paints runs into a mask over a box, clipping what lies outside', () => {
    const list = createRunList([[-2, 1, 1, 5], [3, 0, 0, 10], [0, 9, 0, 3]]);
    const mask = runsToMask(list, [0, 0, 0], [4, 2, 2]);
    expect(mask.shape).toEqual([1, 4, 2, 2]);
    expect(mask.axes).toBe('cxyz');
    const on: string[] = [];
    for (let z = 0; z < 2; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) if (mask.item(0, x, y, z)) on.push(`${x},${y},${z}`);
    expect(on).toEqual(['3,0,0', '0,1,1', '1,1,1', '2,1,1']);
  });

  it('mask → runs → mask is the identity (property)', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 })),
        fc.integer({ min: -100, max: 100 }),
        fc.array(fc.boolean(), { minLength: 180, maxLength: 180 }),
        ([nx, ny, nz], shift, bits) => {
          const mask = Volume.zeros([1, nx, ny, nz], 'uint8');
          for (let i = 0; i < nx * ny * nz; i++) mask.data[i] = bits[i % bits.length] ? 1 : 0;
          const origin = [shift, -shift, 2 * shift];
          const runs = maskToRuns(mask, origin);
          expect(countRunVoxels(runs)).toBe(mask.data.reduce((a, b) => a + b, 0));
          const back = runsToMask(runs, origin, [origin[0] + nx, origin[1] + ny, origin[2] + nz]);
          expect(Array.from(back.data)).toEqual(Array.from(mask.data));
          // Also through a transposed (strided) view of the same mask.
          const view = mask.transpose('czyx').transpose('cxyz');
          expect(quads(maskToRuns(view, origin))).toEqual(quads(runs));
        },
      ),
    );
  });
});

describe('binary-mask blocks (format=blocks)', () => {
  const ball = (cx: number, cy: number, cz: number, r: number) => (x: number, y: number, z: number) =>
    (x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2 <= r * r;

  it('decodes the header, the three block kinds and LSB-first masks', () => {
    const label = 2n ** 63n + 9n;
    const bytes = maskBlocksBytes(label, [2, 2, 2], [
      { offset: [0, 0, 0], inside: () => true },
      { offset: [16, 0, 0], inside: ball(3, 4, 5, 4) },
      { offset: [-16, 32, 0], inside: () => false },
    ]);
    const mb = decodeMaskBlocks(bytes);
    expect(mb.label).toBe(label);
    expect(mb.blockSize).toEqual([16, 16, 16]);
    expect(mb.blocks.map((b) => [b.offset, b.content])).toEqual([
      [[0, 0, 0], 1],
      [[16, 0, 0], 2],
      [[-16, 32, 0], 0],
    ]);
    const mixed = mb.blocks[1];
    expect(mixed.subBlocks?.length).toBe(8);
    // Voxel (1, 0, 0) of sub-block 0 is inside the ball iff bit 1 of mask byte 0 is set.
    const inside = ball(3, 4, 5, 4);
    const s0 = mixed.subBlocks?.[0];
    expect(s0).toBe(2);
    expect(((mixed.masks as Uint8Array)[0] >> 1) & 1).toBe(inside(1, 0, 0) ? 1 : 0);
    // The mask of the box covers exactly the ball plus the full block.
    const mask = maskBlocksToMask(mb, [0, 0, 0], [32, 16, 16]);
    for (let z = 0; z < 16; z++)
      for (let y = 0; y < 16; y++)
        for (let x = 0; x < 32; x++) expect(mask.item(0, x, y, z)).toBe(x < 16 || inside(x - 16, y, z) ? 1 : 0);
    const runs = maskBlocksToRuns(mb);
    let count = 16 ** 3;
    for (let z = 0; z < 16; z++) for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) if (inside(x, y, z)) count++;
    expect(countRunVoxels(runs)).toBe(count);
    expect(Array.from(runsToMask(runs, [0, 0, 0], [32, 16, 16]).data)).toEqual(Array.from(mask.data));
  });

  it('reads an empty body as no blocks', () => {
    const mb = decodeMaskBlocks(new Uint8Array(0));
    expect(mb).toEqual({ label: undefined, blockSize: undefined, blocks: [] });
    expect(maskBlocksToRuns(mb).count).toBe(0);
    expect(maskBlocksToMask(mb, [0, 0, 0], [2, 2, 2]).data.every((v) => v === 0)).toBe(true);
  });

  it('rejects truncated and inconsistent input, naming the block', () => {
    const good = maskBlocksBytes(5n, [1, 1, 1], [{ offset: [8, 16, 24], inside: ball(2, 2, 2, 2) }]);
    expectDecodeError(() => decodeMaskBlocks(good.subarray(0, 10)), 10);
    const zero = good.slice();
    zero[0] = 0;
    expectDecodeError(() => decodeMaskBlocks(zero), 0);
    expectDecodeError(() => decodeMaskBlocks(good.subarray(0, 25)), 20);
    const err = expectDecodeError(() => decodeMaskBlocks(good.subarray(0, good.length - 1)));
    expect(err.block).toBe('8,16,24');
    const badFlag = good.slice();
    badFlag[32] = 7;
    expect(expectDecodeError(() => decodeMaskBlocks(badFlag), 32).block).toBe('8,16,24');
    const badSub = good.slice();
    badSub[33] = 3;
    expectDecodeError(() => decodeMaskBlocks(badSub), 33);
  });

  it('never allocates more than the input justifies: a huge grid in a tiny body fails first', () => {
    const bytes = new Uint8Array(20 + 13 + 10);
    const dv = new DataView(bytes.buffer);
    dv.setUint32(0, 128, true);
    dv.setUint32(4, 128, true);
    dv.setUint32(8, 128, true);
    bytes[32] = 2;
    expectDecodeError(() => decodeMaskBlocks(bytes), 33);
  });
});

describe('hostile input (property)', () => {
  const decoders: [string, (b: Uint8Array) => unknown][] = [
    ['rles', decodeRles],
    ['srles', decodeStreamingRles],
    ['mask blocks', decodeMaskBlocks],
  ];
  const sample = [
    legacy([[1, 2, 3, 4], [5, 6, 7, 8], [-9, -10, -11, 12]]),
    maskBlocksBytes(7n, [1, 1, 2], [
      { offset: [0, 0, 0], inside: (x, y, z) => (x + y + z) % 3 === 0 },
      { offset: [8, 0, 0], inside: () => true },
      { offset: [16, 0, 0], inside: (x) => x < 4 },
    ]),
  ];

  for (const [name, decode] of decoders) {
    it(`${name}: truncated or mutated bytes decode or raise DecodeError, nothing else`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...sample),
          fc.nat(),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
          (base, cut, edits) => {
            const bytes = base.slice(0, cut % (base.length + 1));
            for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
            try {
              decode(bytes);
            } catch (e) {
              expect(e).toBeInstanceOf(DecodeError);
            }
          },
        ),
        { numRuns: 400 },
      );
    });
  }

  it('random bytes never throw anything but DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const [, decode] of decoders) {
          try {
            decode(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
