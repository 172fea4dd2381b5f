/**
 * LabelmapAccessor against a scripted fetch: the four read paths decode what DVID sends (blocks in
 * any order, any chunking, absent blocks), writes send what DVID expects, arguments are checked
 * before any request, and mutations are never retried.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBlockStream, parseBlockStream } from '../../src/codecs/blockstream.js';
import { decodeLabelBlock } from '../../src/codecs/labelblock.js';
import { encodeLabelBlock } from '../../src/codecs/labelblock-encode.js';
import { decodeLz4Block, encodeLz4Block } from '../../src/codecs/lz4.js';
import { createRunList, decodeRles } from '../../src/codecs/rle.js';
import { stringifyJsonWithBigInts } from '../../src/transport/json.js';
import {
  DecodeError,
  DvidArgumentError,
  DvidClient,
  DvidHttpError,
  DvidTimeoutError,
  LABELMAP_TRANSFERS,
  SelectionError,
  Volume,
  toLabelId,
  type LabelmapAccessor,
} from '../../src/index.js';

const BS = 16;
const BIG = (1n << 64n) - 1n;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An in-memory labelmap: a dense x-fastest array over [0, n) with 16³ blocks. */
class Store {
  readonly labels: BigUint64Array;
  readonly absent = new Set<string>();
  constructor(readonly n: [number, number, number], seed: number) {
    const r = rng(seed);
    this.labels = new BigUint64Array(n[0] * n[1] * n[2]);
    const palette = [0n, 7n, 2n ** 60n + 3n, BIG, 12345n, 2n ** 53n + 1n];
    for (let i = 0; i < this.labels.length; i++) this.labels[i] = r() < 0.7 ? palette[Math.floor(i / 97) % palette.length] : palette[Math.floor(r() * palette.length)];
  }
  at(x: number, y: number, z: number): bigint {
    if (this.absent.has(`${Math.floor(x / BS)},${Math.floor(y / BS)},${Math.floor(z / BS)}`)) return 0n;
    if (x < 0 || y < 0 || z < 0 || x >= this.n[0] || y >= this.n[1] || z >= this.n[2]) return 0n;
    return this.labels[x + this.n[0] * (y + this.n[1] * z)];
  }
  box(start: number[], size: number[]): BigUint64Array {
    const out = new BigUint64Array(size[0] * size[1] * size[2]);
    let i = 0;
    for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++) out[i++] = this.at(start[0] + x, start[1] + y, start[2] + z);
    return out;
  }
  stored(b: number[]): boolean {
    return !this.absent.has(b.join(',')) && b.every((v, a) => v >= 0 && v * BS < this.n[a]);
  }
}

function chunkedBody(bytes: Uint8Array, seed: number): ReadableStream<Uint8Array> {
  const r = rng(seed);
  let p = 0;
  return new ReadableStream({
    pull(controller) {
      if (p >= bytes.length) return controller.close();
      const n = 1 + Math.floor(r() * 700);
      controller.enqueue(bytes.slice(p, p + n));
      p += n;
    },
  });
}

const INFO = (extra: Record<string, unknown> = {}) => ({
  Base: { TypeName: 'labelmap', Name: 'seg', DataUUID: 'd', Compression: 'gzip compression, level -1' },
  Extended: { BlockSize: [BS, BS, BS], VoxelSize: [8, 8, 8], VoxelUnits: ['nanometers', 'nanometers', 'nanometers'], MaxDownresLevel: 2, IndexedLabels: true, MaxRepoLabel: BIG, ...extra },
  Extents: { MinPoint: [0, 0, 0], MaxPoint: [47, 31, 31] },
});

type Handler = (req: Request, url: URL) => Response | Promise<Response> | undefined;

/** A client whose fetch is `handler`; /info is answered unless the handler does. */
function fakeDvid(handler: Handler, infoExtra: Record<string, unknown> = {}) {
  const calls: { method: string; url: URL; body: Uint8Array }[] = [];
  const fetchImpl = async (input: Request | string | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    const url = new URL(req.url);
    const body = new Uint8Array(await req.clone().arrayBuffer());
    calls.push({ method: req.method, url, body });
    const res = await handler(req, url);
    if (res) return res;
    if (url.pathname.endsWith('/info')) return new Response(stringifyJsonWithBigInts(INFO(infoExtra)));
    return new Response('unexpected request', { status: 400 });
  };
  const client = new DvidClient('http://dvid.test', { fetch: fetchImpl, retry: { limit: 2, backoffLimit: 1 } });
  return { client, calls, requests: () => calls.filter((c) => !c.url.pathname.endsWith('/info')) };
}

/** Serves GET /blocks and /raw from a Store, blocks in shuffled order, bodies in random chunks. */
function serveStore(store: Store, seed = 1): Handler {
  return (_req, url) => {
    const parts = url.pathname.split('/');
    const kw = parts[5];
    if (kw === 'blocks' && _req.method === 'GET') {
      const size = parts[6].split('_').map(Number);
      const off = parts[7].split('_').map(Number);
      const compression = url.searchParams.get('compression') ?? 'lz4';
      const records: { coord: [number, number, number]; data: Uint8Array }[] = [];
      for (let bz = off[2] / BS; bz < (off[2] + size[2]) / BS; bz++)
        for (let by = off[1] / BS; by < (off[1] + size[1]) / BS; by++)
          for (let bx = off[0] / BS; bx < (off[0] + size[0]) / BS; bx++) {
            if (!store.stored([bx, by, bz])) continue;
            const labels = store.box([bx * BS, by * BS, bz * BS], [BS, BS, BS]);
            const raw = new Uint8Array(labels.buffer);
            const data =
              compression === 'blocks' ? gzipSync(encodeLabelBlock(labels, [BS, BS, BS])) : compression === 'lz4' ? encodeLz4Block(raw) : raw;
            records.push({ coord: [bx, by, bz], data });
          }
      const r = rng(seed);
      records.sort(() => r() - 0.5);
      return new Response(chunkedBody(encodeBlockStream(records), seed), { headers: { 'Content-Type': 'application/octet-stream' } });
    }
    if (kw === 'raw' && _req.method === 'GET') {
      const size = parts[7].split('_').map(Number);
      const off = parts[8].split('_').map(Number);
      const raw = new Uint8Array(store.box(off, size).buffer);
      const body = url.searchParams.get('compression') === 'lz4' ? encodeLz4Block(raw) : raw;
      return new Response(chunkedBody(body, seed));
    }
    return undefined;
  };
}

describe('opening a labelmap', () => {
  it('reads /info: block size, scales, extents derived per scale, big max label', async () => {
    const { client } = fakeDvid(() => undefined);
    const seg = await client.labelmap('abc', 'seg');
    expect(seg.blockSize).toEqual([16, 16, 16]);
    expect([seg.maxDownresLevel, seg.scaleCount]).toEqual([2, 3]);
    expect([seg.axes, seg.dtype]).toEqual(['cxyz', 'uint64']);
    expect(seg.info.maxRepoLabel).toBe(BIG);
    expect(seg.extents(0)).toEqual({ minIndex: [0, 0, 0, 0], shape: [1, 48, 32, 32] });
    expect(seg.extents(2)).toEqual({ minIndex: [0, 0, 0, 0], shape: [1, 12, 8, 8] });
    expect(seg.withDefaults({ scale: 1 }).shape).toEqual([1, 24, 16, 16]);
    expect(() => seg.extents(3)).toThrow(DvidArgumentError);
    await expect(client.labelmap('abc', 'seg', { scale: 3 })).rejects.toBeInstanceOf(DvidArgumentError);
  });

  it('refuses other instance types', async () => {
    const { client } = fakeDvid((_r, url) => (url.pathname.endsWith('/info') ? Response.json({ Base: { TypeName: 'uint8blk', Name: 'g', DataUUID: 'x' }, Extended: {} }) : undefined));
    await expect(client.labelmap('abc', 'g')).rejects.toThrow(/not a labelmap/);
  });
});

describe('reading through the four transfer paths', () => {
  const store = new Store([48, 32, 32], 3);
  store.absent.add('1,1,0'); // a block DVID never stored: reads as 0

  for (const transfer of LABELMAP_TRANSFERS) {
    it(`${transfer}: an unaligned box decodes to exactly the stored labels (blocks in any order, any chunking)`, async () => {
      for (const seed of [1, 2, 3]) {
        const { client } = fakeDvid(serveStore(store, seed));
        const seg = await client.labelmap('abc', 'seg');
        const start = [0, 3, 5, 2];
        const stop = [1, 45, 30, 31];
        const v = await seg.read(start, stop, { transfer });
        expect(v.shape).toEqual([1, 42, 25, 29]);
        expect(v.dtype).toBe('uint64');
        expect(Array.from(v.data)).toEqual(Array.from(store.box([3, 5, 2], [42, 25, 29])));
      }
    });
  }

  it('asks DVID for the block-aligned cover with the right compression, scale and supervoxels', async () => {
    const { client, requests } = fakeDvid(serveStore(store));
    const seg = await client.labelmap('abc', 'seg');
    await seg.read([0, 3, 5, 2], [1, 20, 20, 20], { transfer: 'blocks', scale: 1, supervoxels: true });
    await seg.read([0, 3, 5, 2], [1, 20, 20, 20], { transfer: 'blocks-lz4', throttle: true });
    await seg.read([0, 3, 5, 2], [1, 20, 20, 20], { transfer: 'raw-lz4' });
    const urls = requests().map((c) => c.url.pathname.split('/').slice(5).join('/') + c.url.search);
    expect(urls).toEqual([
      'blocks/32_32_32/0_0_0?compression=blocks&scale=1&supervoxels=true',
      'blocks/32_32_32/0_0_0?compression=lz4&throttle=on',
      'raw/0_1_2/17_15_18/3_5_2?compression=lz4',
    ]);
  });

  it('reads a single aligned block through /blocks (DVID v1.0.0 fails /raw of one absent block)', async () => {
    const { client, requests } = fakeDvid(serveStore(store));
    const seg = await client.labelmap('abc', 'seg');
    const v = await seg.read([0, 16, 16, 0], [1, 32, 32, 16], { transfer: 'raw' });
    expect(v.data.every((l) => l === 0n)).toBe(true); // the absent block
    const w = await seg.read([0, 0, 0, 0], [1, 16, 16, 16], { transfer: 'raw-lz4' });
    expect(Array.from(w.data)).toEqual(Array.from(store.box([0, 0, 0], [16, 16, 16])));
    expect(requests().map((c) => c.url.pathname.split('/')[5] + c.url.search)).toEqual(['blocks?compression=uncompressed', 'blocks?compression=lz4']);
  });

  it('get() resolves selections in DVID coordinates at the read scale, dropping integer axes', async () => {
    const { client } = fakeDvid(serveStore(store));
    const seg = await client.labelmap('abc', 'seg');
    const slab = await seg.get(':,4:40,3:9,7');
    expect(slab.shape).toEqual([1, 36, 6]);
    expect(slab.item(0, 10, 2)).toBe(store.at(14, 5, 7));
    const strided = await seg.get('0,::5,0,0');
    expect(strided.shape).toEqual([10]);
    expect(strided.item(3)).toBe(store.at(15, 0, 0));
    await expect(seg.get('::-1')).rejects.toBeInstanceOf(SelectionError);
  });

  it('raises DecodeError for short raw bodies, stray blocks and corrupt payloads', async () => {
    const short = fakeDvid((_r, url) => (url.pathname.includes('/raw/') ? new Response(new Uint8Array(100)) : undefined));
    const seg1 = await short.client.labelmap('abc', 'seg');
    await expect(seg1.read([0, 0, 0, 0], [1, 10, 10, 10], { transfer: 'raw' })).rejects.toThrow(/sent 100 bytes/);

    const stray = fakeDvid((_r, url) =>
      url.pathname.includes('/blocks/') ? new Response(encodeBlockStream([{ coord: [5, 0, 0], data: new Uint8Array(8) }]) as BodyInit) : undefined,
    );
    const seg2 = await stray.client.labelmap('abc', 'seg');
    const err = await seg2.read([0, 0, 0, 0], [1, 16, 16, 16], { transfer: 'blocks' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).block).toBe('5,0,0');
    expect((err as DecodeError).message).toContain('appended');

    // DVID's error text after a 200: the text's bytes parse as a garbage header.
    const appended = fakeDvid((_r, url) =>
      url.pathname.includes('/blocks/') ? new Response(new TextEncoder().encode('unable to GET data: storage failure (/api/node/...)\n')) : undefined,
    );
    const seg3 = await appended.client.labelmap('abc', 'seg');
    await expect(seg3.read([0, 0, 0, 0], [1, 16, 16, 16], { transfer: 'blocks-lz4' })).rejects.toBeInstanceOf(DecodeError);

    const corrupt = fakeDvid((_r, url) =>
      url.pathname.includes('/blocks/') ? new Response(encodeBlockStream([{ coord: [0, 0, 0], data: gzipSync(new Uint8Array(30)) }]) as BodyInit) : undefined,
    );
    const seg4 = await corrupt.client.labelmap('abc', 'seg');
    const err4 = await seg4.read([0, 0, 0, 0], [1, 16, 16, 16], { transfer: 'blocks' }).catch((e: unknown) => e);
    expect(err4).toBeInstanceOf(DecodeError);
    expect((err4 as DecodeError).block).toBe('0,0,0');
  });

  it('checks boxes before any request', async () => {
    const { client, requests } = fakeDvid(serveStore(store));
    const seg = await client.labelmap('abc', 'seg');
    await expect(seg.read([0, 0, 0], [1, 1, 1])).rejects.toBeInstanceOf(SelectionError);
    await expect(seg.read([0, 5, 0, 0], [1, 5, 1, 1])).rejects.toBeInstanceOf(SelectionError);
    await expect(seg.read([0, 0, 0, 0], [2, 1, 1, 1])).rejects.toBeInstanceOf(SelectionError);
    await expect(seg.read([0, 0, 0, 0], [1, 1, 1, 1], { transfer: 'gzip' as never })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.read([0, 0, 0, 0], [1, 1, 1, 1], { scale: 5 })).rejects.toBeInstanceOf(DvidArgumentError);
    expect(requests()).toHaveLength(0);
  });
});

describe('writing', () => {
  function capture() {
    return fakeDvid((req, url) => (req.method === 'POST' ? new Response(null, { status: 200 }) : url.pathname.includes('/info') ? undefined : undefined));
  }
  const labels = new Store([32, 16, 16], 9).box([0, 0, 0], [32, 16, 16]);

  it('raw: POST /raw with mutate=true and the exact bytes; raw-lz4: an LZ4 block of them', async () => {
    const { client, requests } = capture();
    const seg = await client.labelmap('abc', 'seg');
    await seg.write([0, 16, 0, 0], [1, 48, 16, 16], Volume.from(labels, [1, 32, 16, 16]));
    await seg.write([0, 16, 0, 0], [1, 48, 16, 16], labels, { transfer: 'raw-lz4', mutate: false });
    const [raw, lz4] = requests();
    expect(raw.url.pathname.split('/').slice(5).join('/') + raw.url.search).toBe('raw/0_1_2/32_16_16/16_0_0?mutate=true');
    expect(raw.body).toEqual(new Uint8Array(labels.buffer));
    expect(lz4.url.search).toBe('?compression=lz4');
    expect(decodeLz4Block(lz4.body, labels.byteLength)).toEqual(new Uint8Array(labels.buffer));
  });

  it('blocks: one gzip’d DVID label block per block, at the given scale, with downres/noindexing', async () => {
    const { client, requests } = capture();
    const seg = await client.labelmap('abc', 'seg');
    await seg.write([0, -16, 16, 0], [1, 16, 32, 16], labels, { transfer: 'blocks', downres: true, noindexing: true });
    await seg.write([0, 0, 0, 0], [1, 32, 16, 16], labels, { transfer: 'blocks', scale: 2 });
    const [a, b] = requests();
    expect(a.url.pathname.endsWith('/blocks')).toBe(true);
    expect(a.url.search).toBe('?downres=true&noindexing=true');
    expect(b.url.search).toBe('?scale=2');
    const records = parseBlockStream(a.body);
    expect(records.map((r) => r.coord)).toEqual([[-1, 1, 0], [0, 1, 0]]);
    for (const [i, r] of records.entries()) {
      const block = decodeLabelBlock(new Uint8Array(gunzipSync(r.data)), { expectedSize: [16, 16, 16] });
      const expected = new BigUint64Array(16 ** 3);
      for (let z = 0; z < 16; z++) for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) expected[x + 16 * (y + 16 * z)] = labels[i * 16 + x + 32 * (y + 16 * z)];
      expect(block.labels).toEqual(expected);
    }
  });

  it('unaligned boxes: reads the aligned cover as supervoxels at the write scale, pastes, writes it back', async () => {
    const store = new Store([48, 32, 32], 4);
    const served = serveStore(store);
    const { client, requests } = fakeDvid((req, url) => (req.method === 'POST' ? new Response(null) : served(req, url)));
    const seg = await client.labelmap('abc', 'seg');
    await seg.set(':,3:5,4:6,7', 99n);
    const [read, post] = requests();
    expect(read.url.search).toContain('supervoxels=true');
    expect(post.url.pathname.split('/').slice(5).join('/')).toBe('raw/0_1_2/16_16_16/0_0_0');
    const written = new BigUint64Array(post.body.buffer.slice(0));
    const expected = store.box([0, 0, 0], [16, 16, 16]);
    for (const [x, y] of [[3, 4], [4, 4], [3, 5], [4, 5]]) expected[x + 16 * (y + 16 * 7)] = 99n;
    expect(written).toEqual(expected);
    await expect(seg.set(':,3:5,4:6,7', 1n, { unaligned: 'error' })).rejects.toThrow(/not aligned/);
  });

  it('refuses, before any request, what DVID would get wrong', async () => {
    const { client, requests } = capture();
    const seg = await client.labelmap('abc', 'seg');
    await expect(seg.write([0, 0, 0, 0], [1, 16, 16, 16], 1n, { scale: 1 })).rejects.toThrow(/scale 0 only/);
    await expect(seg.write([0, 0, 0, 0], [1, 16, 16, 16], 1n, { transfer: 'blocks', scale: 1, downres: true })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.write([0, 0, 0, 0], [1, 16, 16, 16], 1n, { noindexing: true })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.write([0, 0, 0, 0], [1, 16, 16, 16], Volume.zeros([1, 16, 16, 16], 'uint32') as never)).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.write([0, 0, 0, 0], [1, 16, 16, 16], new BigUint64Array(5))).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.write([0, 0, 0, 0], [1, 16, 16, 16], 2 ** 60)).rejects.toThrow(/bigint/);
    expect(requests()).toHaveLength(0);
  });
});

describe('per-label calls', () => {
  it('parse 64-bit IDs exactly and turn 404 into null / 0n / false', async () => {
    const { client } = fakeDvid((_r, url) => {
      const kw = url.pathname.split('/')[5];
      if (kw === 'label') return new Response(`{"Label": ${BIG}}`);
      if (url.pathname.endsWith(`/${BIG}`) || kw === 'maxlabel') return undefined;
      if (['size', 'sparsevol', 'supervoxels', 'supervoxel-sizes', 'lastmod', 'sparsevol-size', 'sparsevol-coarse'].includes(kw)) {
        return new Response(null, { status: 404 });
      }
      return undefined;
    });
    const seg = await client.labelmap('abc', 'seg');
    expect(await seg.labelAt([1, 2, 3])).toBe(BIG);
    expect(await seg.size(5n)).toBe(0n);
    expect(await seg.exists(5)).toBe(false);
    expect(await seg.sparsevol(5n)).toBeNull();
    expect(await seg.sparsevol(5n, { format: 'blocks' })).toBeNull();
    expect(await seg.sparsevolSize(5n)).toBeNull();
    expect(await seg.sparsevolCoarse(5n)).toBeNull();
    expect(await seg.supervoxels(5n)).toBeNull();
    expect(await seg.supervoxelSizes(5n)).toBeNull();
    expect(await seg.lastModified(5n)).toBeNull();
  });

  it('sends sparsevol options as DVID query arguments (bounds stop exclusive → max inclusive)', async () => {
    const { client, requests } = fakeDvid((_r, url) => (url.pathname.includes('/sparsevol/') ? new Response(new Uint8Array(0)) : undefined));
    const seg = await client.labelmap('abc', 'seg', { scale: 1 });
    const got = await seg.sparsevol(2n ** 62n, { format: 'srles', bounds: { start: [0, 10, 20], stop: [64, 30, 40] }, exact: false, supervoxels: true });
    expect(got?.count).toBe(0);
    const url = requests()[0].url;
    expect(url.pathname.endsWith(`/sparsevol/${2n ** 62n}`)).toBe(true);
    expect(Object.fromEntries(url.searchParams)).toEqual({ format: 'srles', minx: '0', miny: '10', minz: '20', maxx: '63', maxy: '29', maxz: '39', exact: 'false', scale: '1', supervoxels: 'true' });
    await expect(seg.sparsevol(1n, { bounds: { start: [5, 5, 5], stop: [5, 6, 6] } })).rejects.toBeInstanceOf(DvidArgumentError);
  });

  it('checks IDs before any request: 0, negatives, unsafe numbers, empty or self merges', async () => {
    const { client, requests } = fakeDvid(() => undefined);
    const seg = await client.labelmap('abc', 'seg');
    await expect(seg.size(0)).rejects.toThrow(/background/);
    await expect(seg.size(-1)).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.size(2 ** 60)).rejects.toThrow(/bigint/);
    await expect(seg.size(1n << 64n)).rejects.toThrow(/uint64/);
    await expect(seg.merge(5n, [])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.merge(5n, [6n, 5n])).rejects.toThrow(/itself/);
    await expect(seg.cleave(5n, [])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.split(5n, createRunList([]))).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.nextLabel(0)).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.labelAt([1.5, 0, 0])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(seg.renumber([])).rejects.toBeInstanceOf(DvidArgumentError);
    expect(requests()).toHaveLength(0);
    expect(toLabelId(7, 'x')).toBe(7n);
  });

  it('never retries mutations; retries idempotent reads', async () => {
    let n = 0;
    const { client, requests } = fakeDvid((_r, url) => {
      const kw = url.pathname.split('/')[5];
      if (kw === 'merge' || kw === 'cleave' || kw === 'split') return new Response('boom', { status: 500 });
      if (kw === 'label') return ++n < 2 ? new Response('boom', { status: 500 }) : new Response('{"Label": 3}');
      return undefined;
    });
    const seg = await client.labelmap('abc', 'seg');
    await expect(seg.merge(1n, [2n])).rejects.toBeInstanceOf(DvidHttpError);
    await expect(seg.cleave(1n, [2n])).rejects.toBeInstanceOf(DvidHttpError);
    await expect(seg.split(1n, createRunList([[0, 0, 0, 1]]))).rejects.toBeInstanceOf(DvidHttpError);
    expect(requests()).toHaveLength(3);
    expect(await seg.labelAt([0, 0, 0])).toBe(3n);
    expect(requests()).toHaveLength(5);
  });

  it('sends mutation bodies as exact 64-bit JSON and RLEs; parses their replies', async () => {
    const { client, requests } = fakeDvid((_r, url) => {
      const kw = url.pathname.split('/')[5];
      if (kw === 'merge') return new Response(`{"MutationID": ${2n ** 60n}}`);
      if (kw === 'cleave') return new Response(`{"CleavedLabel": ${BIG}, "MutationID": 2}`);
      if (kw === 'split') return new Response('{"label": 9, "MutationID": 3}');
      if (kw === 'split-supervoxel') return new Response('{"SplitSupervoxel": 10, "RemainSupervoxel": 11, "MutationID": 4}');
      if (kw === 'renumber') return new Response(null);
      if (kw === 'nextlabel') return new Response('{"start": 100, "end": 109}');
      return undefined;
    });
    const seg = await client.labelmap('abc', 'seg');
    expect(await seg.merge(BIG, [2n ** 53n + 1n, 3])).toEqual({ mutationId: 2n ** 60n });
    expect(await seg.cleave(7n, [BIG])).toEqual({ cleavedLabel: BIG, mutationId: 2n });
    const runs = createRunList([[1, 2, 3, 4]]);
    expect(await seg.split(7n, runs)).toEqual({ label: 9n, mutationId: 3n });
    expect(await seg.splitSupervoxel(8n, runs, { split: 20n, remain: 21n, downres: false })).toEqual({ splitSupervoxel: 10n, remainSupervoxel: 11n, mutationId: 4n });
    await seg.renumber(new Map([[100n, 7n]]));
    expect(await seg.nextLabel(10)).toEqual({ start: 100n, end: 109n });
    const bodies = requests().map((c) => new TextDecoder().decode(c.body));
    expect(bodies[0]).toBe(`[${BIG},${2n ** 53n + 1n},3]`);
    expect(bodies[1]).toBe(`[${BIG}]`);
    expect(decodeRles(requests()[2].body).runs).toEqual(runs.runs);
    expect(requests()[3].url.search).toBe('?split=20&remain=21&downres=false');
    expect(bodies[4]).toBe('[100,7]');
    expect(requests().map((c) => c.method)).toEqual(['POST', 'POST', 'POST', 'POST', 'POST', 'POST']);
  });

  it('falls back to per-point and per-label requests where GET cannot carry a body; mapping refuses', async () => {
    const { client, requests } = fakeDvid((_r, url) => {
      const parts = url.pathname.split('/');
      if (parts[5] === 'label') return new Response(`{"Label": ${parts[6].split('_')[0]}}`);
      if (parts[5] === 'size') return parts[6] === '2' ? new Response(null, { status: 404 }) : new Response(`{"voxels": ${BIG}}`);
      return undefined;
    });
    Object.defineProperty(client.transport, 'canSendGetBody', { value: false });
    const seg = await client.labelmap('abc', 'seg');
    const points = Array.from({ length: 20 }, (_, i) => [i, 0, 0]);
    expect(Array.from(await seg.labelsAt(points, { concurrency: 3 }))).toEqual(points.map((p) => BigInt(p[0])));
    expect(Array.from(await seg.sizes([1n, 2n]))).toEqual([BIG, 0n]);
    await expect(seg.mapping([1n])).rejects.toThrow(/browsers cannot send/);
    expect(requests()).toHaveLength(22);
  });

  it('maxLabel is 0n before anything was written (DVID v1.0.0 answers 400)', async () => {
    const { client } = fakeDvid((_r, url) =>
      url.pathname.endsWith('/maxlabel') ? new Response('No maximum label found for seg version 1\n (/api/...).\n', { status: 400 }) : undefined,
    );
    const seg = await client.labelmap('abc', 'seg');
    expect(await seg.maxLabel()).toBe(0n);
  });

  it('streams listlabels across chunk boundaries and reports DVID’s zero sentinel', async () => {
    const pairs = new BigUint64Array([7n, 100n, BIG, 5n, 2n ** 60n, 1n]);
    const zeros = new BigUint64Array([9n, 1n, 0n, 0n, 0n, 0n]);
    let body = new Uint8Array(pairs.buffer);
    const { client } = fakeDvid((_r, url) => (url.pathname.endsWith('/listlabels') ? new Response(chunkedBody(body, 5)) : undefined));
    const seg = await client.labelmap('abc', 'seg');
    const got: [bigint, bigint | undefined][] = [];
    for await (const l of seg.listLabels({ sizes: true })) got.push([l.label, l.voxels]);
    expect(got).toEqual([[7n, 100n], [BIG, 5n], [2n ** 60n, 1n]]);
    body = new Uint8Array(zeros.buffer);
    const seen: bigint[] = [];
    await expect(
      (async () => {
        for await (const l of seg.listLabels({ sizes: true })) seen.push(l.label);
      })(),
    ).rejects.toBeInstanceOf(DecodeError);
    expect(seen).toEqual([9n]);
    body = new Uint8Array(pairs.buffer).subarray(0, 20);
    await expect((async () => { for await (const _ of seg.listLabels()) void _; })()).rejects.toThrow(/ends inside/);
  });

  it('waitForLabel polls /size until the index reports the label, or times out', async () => {
    let polls = 0;
    const { client } = fakeDvid((_r, url) => {
      if (!url.pathname.includes('/size/')) return undefined;
      polls += 1;
      return polls < 3 ? new Response(null, { status: 404 }) : new Response(`{"voxels": ${polls < 4 ? 10 : 64}}`);
    });
    const seg: LabelmapAccessor = await client.labelmap('abc', 'seg');
    expect(await seg.waitForLabel(7n, { interval: 1 })).toBe(10n);
    polls = 0;
    expect(await seg.waitForLabel(7n, { voxels: 64, interval: 1 })).toBe(64n);
    polls = -1000;
    await expect(seg.waitForLabel(7n, { timeout: 30, interval: 5 })).rejects.toBeInstanceOf(DvidTimeoutError);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(seg.waitForLabel(7n, { signal: ac.signal })).rejects.toThrow('stop');
  });
});
