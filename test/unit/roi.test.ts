import { describe, expect, it } from 'vitest';
import { DvidArgumentError, DvidClient, checkSpans, countRoiBlocks, rasterizeRoi, type RoiSpan } from '../../src/index.js';

/** Brute force: voxel inside when floor(voxel / blockSize) is in a span. */
function reference(spans: RoiSpan[], bs: number[], start: number[], stop: number[]): number[] {
  const out: number[] = [];
  for (let z = start[2]; z < stop[2]; z++)
    for (let y = start[1]; y < stop[1]; y++)
      for (let x = start[0]; x < stop[0]; x++) {
        const b = [Math.floor(x / bs[0]), Math.floor(y / bs[1]), Math.floor(z / bs[2])];
        out.push(spans.some(([sz, sy, x0, x1]) => sz === b[2] && sy === b[1] && b[0] >= x0 && b[0] <= x1) ? 1 : 0);
      }
  return out;
}

describe('roi helpers', () => {
  it('rasterizes spans over any box like floor-division block lookup', () => {
    const spans: RoiSpan[] = [
      [0, 0, -2, 1],
      [0, 1, 3, 3],
      [-1, -1, -1, 0],
      [2, 0, 0, 0],
    ];
    const bs = [4, 3, 5];
    for (const [start, stop] of [
      [
        [-9, -4, -6],
        [17, 6, 12],
      ],
      [
        [0, 0, 0],
        [1, 1, 1],
      ],
      [
        [-3, 2, 9],
        [2, 4, 11],
      ],
    ]) {
      const v = rasterizeRoi(spans, bs, start, stop);
      expect(v.shape).toEqual([1, stop[0] - start[0], stop[1] - start[1], stop[2] - start[2]]);
      expect(v.axes).toBe('cxyz');
      expect(Array.from(v.toTypedArray())).toEqual(reference(spans, bs, start, stop));
    }
  });

  it('counts blocks once where spans overlap', () => {
    expect(countRoiBlocks([])).toBe(0);
    expect(
      countRoiBlocks([
        [0, 0, 0, 3],
        [0, 0, 2, 5],
        [0, 0, 7, 7],
        [1, 0, 0, 0],
      ]),
    ).toBe(8);
  });

  it('checks spans: four int32, x1 ≥ x0', () => {
    expect(checkSpans([[1, 2, 3, 3]])).toEqual([[1, 2, 3, 3]]);
    expect(() => checkSpans([[0, 0, 3, 2]])).toThrow(/x1 \(2\) < x0 \(3\)/);
    expect(() => checkSpans([[0, 0, 2 ** 31, 2 ** 31]])).toThrow(DvidArgumentError);
    expect(() => checkSpans({} as never)).toThrow(DvidArgumentError);
  });

  it('builds masks for boxes left of zero from the spans instead of /mask', async () => {
    const paths: string[] = [];
    const client = new DvidClient('http://dvid.test', {
      fetch: async (input, init) => {
        const path = new URL(new Request(input as RequestInfo, init).url).pathname;
        paths.push(path);
        if (path.endsWith('/info')) return new Response('{"Base":{},"Extended":{"BlockSize":[8,8,8],"MinZ":0,"MaxZ":0}}');
        if (path.endsWith('/roi')) return new Response('[[0,0,-2,-2]]');
        return new Response(new Uint8Array(8));
      },
    });
    const mask = await client.roi('abc', 'r').mask([-12, 0, 0], [-4, 1, 1]);
    expect(Array.from(mask.toTypedArray())).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(paths.sort()).toEqual(['/api/node/abc/r/info', '/api/node/abc/r/roi']);
    paths.length = 0;
    await client.roi('abc', 'r').mask([0, 0, 0], [8, 1, 1]);
    expect(paths).toEqual(['/api/node/abc/r/mask/0_1_2/8_1_1/0_0_0']);
  });
});
