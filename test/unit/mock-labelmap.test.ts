/**
 * The mock's labelmap: its block representation, DVID's downsampling vote, the label-index
 * rules (ingest adds counts, a new index only takes its own label), DVID's run writer (runs
 * continued across x-neighbours, exact bounds overshooting to the sub-block end), the block
 * stream framing of GET /blocks, and the index and mapping changes of merge, cleave and split,
 * all through `mock.fetch` (no server).
 */
import { describe, expect, it } from 'vitest';
import { createMockDvid } from '../../mocks/index.js';
import { LabelBlock } from '../../mocks/labelmap/block.js';
import { downresOctants, groupOctants, octantNumber } from '../../mocks/labelmap/downres.js';
import { modifyIndexBlocks, newLabelIndex, indexVoxels } from '../../mocks/labelmap/labelindex.js';
import { writeRuns } from '../../mocks/labelmap/sparsevol.js';
import { parseBlockStream } from '../../src/codecs/blockstream.js';
import { encodeRles, createRunList } from '../../src/codecs/rle.js';

const S16: [number, number, number] = [16, 16, 16];

function fill(size: [number, number, number], f: (x: number, y: number, z: number) => bigint): BigUint64Array {
  const out = new BigUint64Array(size[0] * size[1] * size[2]);
  for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++) out[x + size[0] * (y + size[1] * z)] = f(x, y, z);
  return out;
}

function runsOf(bytes: Uint8Array): number[][] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[][] = [];
  for (let p = 0; p < bytes.length; p += 16) out.push([0, 4, 8, 12].map((o) => dv.getInt32(p + o, true)));
  return out;
}

describe('LabelBlock', () => {
  it('keeps a table of distinct labels, counts non-zero labels and finds uniform sub-blocks', () => {
    const big = 2n ** 64n - 5n;
    const block = LabelBlock.fromLabels(fill(S16, (x, y) => (x < 8 ? big : y < 8 ? 0n : 7n)), S16);
    expect(Array.from(block.table)).toEqual([big, 0n, 7n]);
    expect(block.counts()).toEqual(new Map([[big, 8 * 16 * 16], [7n, 8 * 8 * 16]]));
    expect(block.uniformIndex(0)).toBe(0); // x 0–7, y 0–7, z 0–7: all `big`
    expect(block.uniformIndex(1)).toBe(1); // x 8–15, y 0–7: all 0
    expect(LabelBlock.solid(5n, S16).isSolid).toBe(true);
    const mixed = LabelBlock.fromLabels(fill(S16, (x) => BigInt(x & 1)), S16);
    expect(mixed.uniformIndex(0)).toBe(-1);
  });

  it('copies the part inside a box through a mapped table', () => {
    const block = LabelBlock.fromLabels(fill(S16, (x) => (x < 4 ? 1n : 2n)), S16);
    const out = new Uint32Array(2 * 6);
    const mapped = BigUint64Array.of(10n, 20n);
    block.copyInto(out, [14, 0, 0], [6, 1, 1], [16, 0, 0], new Uint32Array(mapped.buffer));
    expect(Array.from(new BigUint64Array(out.buffer))).toEqual([0n, 0n, 10n, 10n, 10n, 10n]);
  });
});

describe('downres (DVID v1.0.0 vote)', () => {
  it('takes the most frequent non-zero label of each 2×2×2, ties to the smallest, all zero to 0', () => {
    const hires = LabelBlock.fromLabels(
      fill(S16, (x, y, z) => {
        if (x < 2 && y < 2 && z < 2) return x === 0 && y === 0 ? 0n : x === 1 && y === 1 ? 9n : 4n; // 4n ×4, 9n ×2, 0 ×2
        if (x < 4 && y < 2 && z < 2) return x === 2 ? 8n : 6n; // tie 8 vs 6 → 6
        return 0n;
      }),
      S16,
    );
    const lores = downresOctants(undefined, [hires, undefined, undefined, undefined, undefined, undefined, undefined, undefined], S16);
    expect([lores.labelAt(0, 0, 0), lores.labelAt(1, 0, 0), lores.labelAt(2, 0, 0)]).toEqual([4n, 6n, 0n]);
  });

  it('keeps solid octants solid, keeps unchanged octants of the stored block, panics on negative octants', () => {
    const solid = LabelBlock.solid(3n, S16);
    expect(downresOctants(undefined, Array(8).fill(solid), S16).isSolid).toBe(true);
    const stored = LabelBlock.solid(5n, S16);
    const partial = downresOctants(stored, [solid, undefined, undefined, undefined, undefined, undefined, undefined, undefined], S16);
    expect([partial.labelAt(0, 0, 0), partial.labelAt(15, 15, 15)]).toEqual([3n, 5n]);
    expect(octantNumber([1, 0, 1])).toBe(5);
    expect(() => groupOctants(new Map([['-1,0,0', solid]]))).toThrow('index out of range [-1]');
  });
});

describe('label index rules', () => {
  it('ingest adds counts; a new index only takes its own label; underflow is refused', () => {
    const idx = newLabelIndex(7n);
    modifyIndexBlocks(idx, 7n, new Map([[7n, new Map([['0,0,0', 100]])], [9n, new Map([['0,0,0', 5]])]]));
    expect(indexVoxels(idx)).toBe(100); // 9 is not a supervoxel of label 7
    modifyIndexBlocks(idx, 7n, new Map([[7n, new Map([['0,0,0', 100]])]]));
    expect(indexVoxels(idx)).toBe(200);
    expect(() => modifyIndexBlocks(idx, 7n, new Map([[7n, new Map([['1,0,0', -1]])]]))).toThrow("when it wasn't previously in that block");
  });
});

describe('run writer (labels.WriteRLEs)', () => {
  const solid = (coord: [number, number, number]) => ({ coord, block: LabelBlock.solid(7n, S16) });

  it('continues runs into the x-neighbour block and flushes them at a gap', () => {
    const runs = runsOf(writeRuns([solid([0, 0, 0]), solid([1, 0, 0]), solid([3, 0, 0])], new Set([7n]), { exact: true }));
    expect(runs.length).toBe(2 * 16 * 16);
    expect(runs).toContainEqual([0, 5, 5, 32]);
    expect(runs).toContainEqual([48, 5, 5, 16]);
  });

  it('with exact bounds, clips to them but lets runs in mixed blocks reach the next 8-voxel boundary', () => {
    const mixed = { coord: [0, 0, 0] as [number, number, number], block: LabelBlock.fromLabels(fill(S16, (x) => (x < 4 ? 0n : 7n)), S16) };
    const bounds = { voxel: { min: [9, 2, 3], max: [10, 2, 3] }, exact: true };
    expect(runsOf(writeRuns([mixed], new Set([7n]), bounds))).toEqual([[9, 2, 3, 7]]);
    expect(runsOf(writeRuns([solid([0, 0, 0])], new Set([7n]), bounds))).toEqual([[9, 2, 3, 2]]);
  });
});

/** A mock with one labelmap instance and helpers over `mock.fetch`. */
async function setup(blockSize = 16) {
  const mock = createMockDvid();
  const base = 'http://mock.dvid/api';
  const repo = (await (await mock.fetch(`${base}/repos`, { method: 'POST', body: '{}' })).json()) as { root: string };
  await mock.fetch(`${base}/repo/${repo.root}/instance`, {
    method: 'POST',
    body: JSON.stringify({ typename: 'labelmap', dataname: 'seg', BlockSize: `${blockSize},${blockSize},${blockSize}`, MaxDownresLevel: '1' }),
  });
  const node = `${base}/node/${repo.root}/seg`;
  const call = (path: string, init?: RequestInit) => mock.fetch(`${node}/${path}`, init);
  const text = async (path: string, init?: RequestInit) => {
    const response = await call(path, init);
    return `${response.status} ${await response.text()}`;
  };
  return { mock, call, text };
}

describe('mock labelmap over HTTP', () => {
  it('GET /blocks frames stored blocks as int32 bx, by, bz, uint32 n, payload; none → empty 200', async () => {
    const { call } = await setup();
    const labels = fill([32, 16, 16], (x) => (x < 16 ? 3n : 4n));
    expect((await call('raw/0_1_2/32_16_16/16_0_0', { method: 'POST', body: new Uint8Array(labels.buffer) as BodyInit })).status).toBe(200);
    const response = await call('blocks/64_16_16/0_0_0?compression=uncompressed');
    expect(response.headers.get('Content-Type')).toBe('application/octet-stream');
    const records = parseBlockStream(new Uint8Array(await response.arrayBuffer()));
    expect(records.map((r) => [r.coord, r.data.length])).toEqual([
      [[1, 0, 0], 16 ** 3 * 8],
      [[2, 0, 0], 16 ** 3 * 8],
    ]);
    expect(new BigUint64Array(records[1].data.slice().buffer)[0]).toBe(4n);
    const empty = await call('blocks/16_16_16/160_0_0');
    expect([empty.status, (await empty.arrayBuffer()).byteLength]).toEqual([200, 0]);
    expect((await call('blocks/20_16_16/0_0_0')).status).toBe(400);
  });

  it('merge, cleave and split move counts between label indices and update the mapping', async () => {
    const { call, text } = await setup();
    // block 0: label 10; block 1: y < 8 label 20, else 30.
    const labels = fill([32, 16, 16], (x, y) => (x < 16 ? 10n : y < 8 ? 20n : 30n));
    await call('raw/0_1_2/32_16_16/0_0_0?mutate=true', { method: 'POST', body: new Uint8Array(labels.buffer) as BodyInit });
    expect(await text('size/20')).toBe('200 {"voxels": 2048}');

    expect(await text('merge?u=me', { method: 'POST', body: '[10, 20]' })).toMatch(/^200 \{"MutationID": \d+\}$/);
    expect(await text('size/10')).toBe('200 {"voxels": 6144}');
    expect(await text('size/20')).toBe('404 ');
    expect(await text('size/20?supervoxels=true')).toBe('200 {"voxels": 2048}');
    expect(await text('label/20_1_1')).toBe('200 {"Label": 10}');
    expect(await text('label/20_1_1?supervoxels=true')).toBe('200 {"Label": 20}');
    expect(await text('lastmod/10')).toMatch(/^200 \{"mutation id": \d+, "last mod user": "me", "last mod app": "", "last mod time": "[^"]+" \}$/);

    const cleave = JSON.parse((await text('cleave/10', { method: 'POST', body: '[20]' })).slice(4)) as { CleavedLabel: number };
    expect(cleave.CleavedLabel).toBe(31); // max repo label 30, plus one
    expect(await text('size/10')).toBe('200 {"voxels": 4096}');
    expect(await text('size/31')).toBe('200 {"voxels": 2048}');
    expect(await text('supervoxels/31')).toBe('200 [20]');
    expect(await text('cleave/10', { method: 'POST', body: '[10]' })).toMatch(/^400 cannot cleave all supervoxels from the label 10 /);

    // Split 4 voxels of label 30 (the refused cleave still used up label 32; the split label is 33).
    const runs = encodeRles(createRunList([[20, 10, 3, 4]]));
    const split = JSON.parse((await text('split/30', { method: 'POST', body: runs as BodyInit })).slice(4)) as { label: number };
    expect(await text(`size/${split.label}`)).toBe('200 {"voxels": 4}');
    expect(await text('size/30')).toBe(`200 {"voxels": ${2048 - 4}}`);
    expect(await text(`label/21_10_3`)).toBe(`200 {"Label": ${split.label}}`);
    expect(await text('size/30?supervoxels=true')).toMatch(/^400 unable to get label 30 size: cannot get label for supervoxel 30, which has been split/);
    const svs = JSON.parse((await text('supervoxels/30')).slice(4)) as number[];
    expect(svs).toHaveLength(1);
    expect(await text(`size/${svs[0]}?supervoxels=true`)).toBe(`200 {"voxels": ${2048 - 4}}`);

    const log = JSON.parse((await text('mutations')).slice(4)) as { Action: string }[];
    expect(log.map((m) => m.Action)).toEqual(['merge-complete', 'cleave-complete', 'split-complete']);
  });
});
