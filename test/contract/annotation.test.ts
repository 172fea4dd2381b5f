import { beforeAll, expect, it } from 'vitest';
import {
  DvidArgumentError,
  DvidClient,
  DvidTimeoutError,
  Volume,
  getInstanceSyncs,
  groupElementsByBlock,
  isDvidError,
  sortElements,
  type AnnotationElement,
  type AnnotationElementInput,
  type DvidClient as Client,
} from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

async function post<T>(client: Client, path: string, body: unknown): Promise<T> {
  return client.transport.requestJson<T>({ method: 'POST', path, body: JSON.stringify(body), attempted: `POST ${path}`, idempotent: false });
}
const commit = (c: Client, uuid: string) => post(c, `/api/node/${uuid}/commit`, { note: 'test' });
const newVersion = async (c: Client, uuid: string) => (await post<{ child: string }>(c, `/api/node/${uuid}/newversion`, {})).child;
const branch = async (c: Client, uuid: string, name: string) => (await post<{ child: string }>(c, `/api/node/${uuid}/branch`, { branch: name })).child;
const merge = async (c: Client, uuid: string, parents: string[]) =>
  (await post<{ child: string }>(c, `/api/repo/${uuid}/merge`, { mergeType: 'conflict-free', parents, note: 'merge' })).child;

const pre: AnnotationElementInput = {
  Pos: [10, 20, 30],
  Kind: 'PreSyn',
  Tags: ['syn1', 'checked'],
  Prop: { conf: '0.9' },
  Rels: [{ Rel: 'PreSynTo', To: [40, 20, 30] }],
};
const post1: AnnotationElementInput = { Pos: [40, 20, 30], Kind: 'PostSyn', Tags: ['syn1'], Rels: [{ Rel: 'PostSynTo', To: [10, 20, 30] }] };
const note: AnnotationElementInput = { Pos: [100, -5, 30], Kind: 'Note', Prop: { text: 'look here' } };

const positions = (elems: { Pos: number[] }[]) => sortElements([...elems]).map((e) => e.Pos);

describeServer(`annotation (${server.kind})`, () => {
  const client = newClient();
  let uuid: string;

  beforeAll(async () => {
    uuid = await newRepo(client);
  });

  it('stores elements with Kind, Tags, Prop and Rels; reads a box, blocks, all, tags', async () => {
    const syn = await client.createAnnotation(uuid, uniqueName('syn'));
    expect(await syn.inBox([0, 0, 0], [100, 100, 100])).toEqual([]);
    expect(await syn.all()).toEqual([]);
    await syn.post([pre, post1, note]);

    const box = sortElements(await syn.inBox([0, 0, 0], [64, 64, 64]));
    expect(box).toEqual([
      { Pos: [10, 20, 30], Kind: 'PreSyn', Tags: ['syn1', 'checked'], Prop: { conf: '0.9' }, Rels: [{ Rel: 'PreSynTo', To: [40, 20, 30] }] },
      { Pos: [40, 20, 30], Kind: 'PostSyn', Tags: ['syn1'], Prop: {}, Rels: [{ Rel: 'PostSynTo', To: [10, 20, 30] }] },
    ]);
    expect(positions(await syn.inBox([11, 0, 0], [41, 64, 64]))).toEqual([[40, 20, 30]]);

    // Blocks are 64³ without a label sync; block reads are not filtered to the box.
    const blocks = await syn.blocks([0, 0, 0], [1, 1, 1]);
    expect(blocks.map((b) => [b.block, b.elements.length])).toEqual([[[0, 0, 0], 2]]);
    const all = await syn.all();
    expect(all.map((b) => b.block)).toEqual([
      [1, -1, 0],
      [0, 0, 0],
    ]);
    expect(all[0].elements).toEqual([{ Pos: [100, -5, 30], Kind: 'Note', Tags: [], Prop: { text: 'look here' }, Rels: [] }]);

    expect(await syn.byTag('syn1')).toHaveLength(2);
    const tagged = await syn.byTag('checked');
    expect(tagged).toEqual([{ Pos: [10, 20, 30], Kind: 'PreSyn', Tags: ['syn1', 'checked'], Prop: { conf: '0.9' } }]);
    expect((await syn.byTag('checked', { relationships: true }))[0].Rels).toEqual([{ Rel: 'PreSynTo', To: [40, 20, 30] }]);
    expect(await syn.byTag('nothing')).toEqual([]);
    expect(await syn.scan()).toEqual({ 'num kv pairs': 2, 'num empty blocks': 0 });
  });

  it('replaces elements at the same position and keeps the tag index in step', async () => {
    const syn = await client.createAnnotation(uuid, uniqueName('syn'));
    await syn.post([pre]);
    await syn.post([{ Pos: [10, 20, 30], Kind: 'PreSyn', Tags: ['other'] }]);
    const [e] = await syn.inBox([0, 0, 0], [64, 64, 64]);
    expect(e.Kind).toBe('PreSyn');
    expect(e.Tags).toEqual(['other']);
    expect(e.Prop).toEqual({});
    expect(await syn.byTag('syn1')).toEqual([]);
    expect(positions(await syn.byTag('other'))).toEqual([[10, 20, 30]]);
  });

  it('deletes and moves elements, updating relationships and tags', async () => {
    const syn = await client.createAnnotation(uuid, uniqueName('syn'));
    await syn.post([pre, post1, note]);
    await syn.move([40, 20, 30], [80, 20, 30]); // into another block
    const moved = sortElements(await syn.inBox([0, 0, 0], [128, 64, 64]));
    expect(moved.map((e) => e.Pos)).toEqual([
      [10, 20, 30],
      [80, 20, 30],
    ]);
    expect(moved[0].Rels).toEqual([{ Rel: 'PreSynTo', To: [80, 20, 30] }]);
    expect(positions(await syn.byTag('syn1'))).toEqual([
      [10, 20, 30],
      [80, 20, 30],
    ]);
    await syn.move([80, 20, 30], [81, 20, 30]); // within the block

    await syn.delete([81, 20, 30]);
    const left = await syn.inBox([0, 0, 0], [128, 64, 64]);
    expect(left).toEqual([{ Pos: [10, 20, 30], Kind: 'PreSyn', Tags: ['syn1', 'checked'], Prop: { conf: '0.9' }, Rels: [] }]);
    expect(positions(await syn.byTag('syn1'))).toEqual([[10, 20, 30]]);

    const missing = await syn.delete([1, 1, 1]).catch((e: unknown) => e);
    expect(isDvidError(missing, 'http') && missing.status).toBe(400);
    expect(isDvidError(missing, 'http') && missing.responseText).toContain('Did not find element (1,1,1) in datastore');
    const badMove = await syn.move([2, 2, 2], [3, 3, 3]).catch((e: unknown) => e);
    expect(isDvidError(badMove, 'http') && badMove.responseText).toContain('Did not find moved element (2,2,2) in datastore');
  });

  it('checks elements before any request', async () => {
    let requests = 0;
    const strict = new DvidClient(server.url, {
      fetch: () => {
        requests += 1;
        return Promise.reject(new Error('no request expected'));
      },
    });
    const syn = strict.annotation(uuid, 'whatever');
    const bad: unknown[] = [
      { Pos: [1, 2], Kind: 'Note' },
      { Pos: [1, 2, 3], Kind: 'Synapse' },
      { Pos: [1, 2, 3], Kind: 'Note', Prop: { n: 1 } },
      { Pos: [1, 2, 3], Kind: 'Note', Rels: [{ Rel: 'Likes', To: [1, 2, 3] }] },
      { Pos: [1, 2, 3.5], Kind: 'Note' },
    ];
    for (const b of bad) await expect(syn.post([b as AnnotationElementInput])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(syn.byLabel(0n)).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(syn.byTag('a/b')).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(syn.inBox([0, 0, 0], [0, 1, 1])).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(syn.delete([1, 2])).rejects.toBeInstanceOf(DvidArgumentError);
    expect(requests).toBe(0);
  });

  it('reads the elements in an ROI (same block size) and by label from a posted label index', async () => {
    const syn = await client.createAnnotation(uuid, uniqueName('syn'));
    await syn.post([pre, post1, note]);
    const roi = await client.createRoi(uuid, uniqueName('roi'), { blockSize: 64 });
    await roi.put([[-1, -1, 0, 5]]);
    expect(await syn.inRoi(roi.name)).toEqual([]);
    await roi.put([[0, -1, 1, 1]]);
    expect(positions(await syn.inRoi(roi.name))).toEqual([[100, -5, 30]]);
    expect(positions(await syn.inRoi(roi.name, { roiUuid: uuid }))).toEqual([[100, -5, 30]]);
    const small = await client.createRoi(uuid, uniqueName('roi'));
    const err = await syn.inRoi(small.name).catch((e: unknown) => e);
    expect(isDvidError(err, 'http') && err.responseText).toContain('requires ROI');

    const big = 2n ** 63n + 5n;
    await syn.postLabels(new Map([[big, [pre, post1]]]));
    expect(positions(await syn.byLabel(big))).toEqual([
      [10, 20, 30],
      [40, 20, 30],
    ]);
    const withRels = sortElements(await syn.byLabel(big, { relationships: true }));
    expect(withRels[0].Rels).toEqual([{ Rel: 'PreSynTo', To: [40, 20, 30] }]);
    expect(await syn.byLabel(7n)).toEqual([]);
  });

  it('bulk-ingests blocks, then reload rebuilds the tag index (waited for, not slept on)', async () => {
    const syn = await client.createAnnotation(uuid, uniqueName('syn'));
    const elements: AnnotationElementInput[] = [pre, post1, note, { Pos: [200, 200, 200], Kind: 'Gap', Tags: ['syn1'] }];
    await syn.postBlocks(groupElementsByBlock(elements));
    expect(positions((await syn.all()).flatMap((b) => b.elements))).toEqual([
      [100, -5, 30],
      [10, 20, 30],
      [40, 20, 30],
      [200, 200, 200],
    ]);
    expect(await syn.byTag('syn1')).toEqual([]); // not indexed by /blocks
    await syn.reload();
    const { pollUntil } = await import('../../src/index.js');
    const tagged = await pollUntil(
      () => syn.byTag('syn1'),
      (e) => e.length === 3,
      { what: 'the tag index after reload', timeout: 20_000 },
    );
    expect(positions(tagged)).toEqual([
      [10, 20, 30],
      [40, 20, 30],
      [200, 200, 200],
    ]);
    // The other reload modes: check-only (keeps what is right) and low-memory.
    await syn.reload({ check: true });
    await pollUntil(() => syn.byTag('syn1'), (e) => e.length === 3, { what: 'the tag index after a checking reload', timeout: 20_000 });
    await syn.reload({ inMemory: false });
    await pollUntil(() => syn.byTag('syn1'), (e) => e.length === 3, { what: 'the tag index after a low-memory reload', timeout: 20_000 });
    const timeout = await pollUntil(
      () => syn.byTag('never'),
      (e) => e.length > 0,
      { what: 'a tag nobody uses', timeout: 150, interval: 50 },
    ).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(DvidTimeoutError);
    expect(String((timeout as Error).message)).toContain('a tag nobody uses');
  });

  it('instance tags', async () => {
    const syn = await client.createAnnotation(uuid, uniqueName('syn'));
    expect(await syn.tags()).toEqual({});
    await syn.setTags({ ScanAllForBlocks: 'true' });
    expect(await syn.tags()).toEqual({ ScanAllForBlocks: 'true' });
    await syn.post([pre, note]);
    expect((await syn.blocks([0, -64, 0], [128, 64, 64])).map((b) => b.block)).toEqual([
      [1, -1, 0],
      [0, 0, 0],
    ]);
  });

  it('versions: two branches annotate differently; the merge sees both', async () => {
    const root = await newRepo(client);
    const syn = await client.createAnnotation(root, 'syn');
    await syn.post([pre, note]);
    await commit(client, root);
    const locked = await syn.post([post1]).catch((e: unknown) => e);
    expect(isDvidError(locked, 'http') && locked.responseText).toContain('locked node');

    const master = await newVersion(client, root);
    const side = await branch(client, root, 'side');
    await syn.at(master).post([post1]);
    await syn.at(side).delete([100, -5, 30]);
    await syn.at(side).post([{ Pos: [300, 300, 300], Kind: 'Note' }]);
    await commit(client, master);
    await commit(client, side);
    const merged = await merge(client, root, [master, side]);
    const everything = async (v: string) => positions((await syn.at(v).all()).flatMap((b) => b.elements));
    expect(await everything(root)).toEqual([
      [100, -5, 30],
      [10, 20, 30],
    ]);
    expect(await everything(master)).toEqual([
      [100, -5, 30],
      [10, 20, 30],
      [40, 20, 30],
    ]);
    expect(await everything(side)).toEqual([
      [10, 20, 30],
      [300, 300, 300],
    ]);
    expect(await everything(merged)).toEqual([
      [10, 20, 30],
      [40, 20, 30],
      [300, 300, 300],
    ]);
  });

  describeServer('synced to a labelmap', () => {
    let seg: Awaited<ReturnType<Client['createLabelmap']>> | undefined;
    let why = '';

    beforeAll(async () => {
      try {
        seg = await client.createLabelmap(uuid, uniqueName('seg'), { blockSize: 64 });
      } catch (e) {
        // The mock answers 501 for types it does not emulate yet.
        if (isDvidError(e, 'http') && e.status === 501) why = e.responseText;
        else throw e;
      }
    });

    it('label index follows labelmap writes and merges; relationships plain and verbose', async (ctx) => {
      if (!seg) return ctx.skip(`labelmap not available: ${why}`);
      const syn = await client.createAnnotation(uuid, uniqueName('syn'), { sync: seg.name });
      expect(await getInstanceSyncs(syn.ctx)).toEqual([seg.name]);
      const unsyncedLater = await client.createAnnotation(uuid, uniqueName('syn'), { sync: seg.name });
      await unsyncedLater.sync([], { replace: true });
      expect((await unsyncedLater.info()).Base.Syncs).toEqual([]);
      const refused = await client.createAnnotation(uuid, uniqueName('syn')).then((a) => a.sync(syn.name)).catch((e: unknown) => e);
      expect(isDvidError(refused, 'http') && refused.responseText).toContain('is not supported');
      const A = 2n ** 60n + 11n;
      const B = 7n;
      const labels = Volume.zeros([1, 64, 64, 64], 'uint64');
      labels.set(':,0:32', A);
      labels.set(':,32:64', B);
      await seg.write([0, 0, 0, 0], [1, 64, 64, 64], labels);
      await seg.waitForLabel(A, { voxels: 32n * 64n * 64n });
      await syn.post([pre, post1, note]);

      const onA = await syn.waitForLabel(A, (e) => e.length === 1, { timeout: 20_000 });
      expect(onA).toEqual([{ Pos: [10, 20, 30], Kind: 'PreSyn', Tags: ['syn1', 'checked'], Prop: { conf: '0.9' } }]);
      await syn.waitForLabel(B, (e) => e.length === 1, { timeout: 20_000 });
      expect((await syn.byLabel(A, { relationships: true }))[0].Rels).toEqual([{ Rel: 'PreSynTo', To: [40, 20, 30] }]);
      const verbose = await syn.byLabel(A, { relationships: 'verbose' });
      expect(verbose[0].Rels).toEqual([{ Rel: 'PreSynTo', To: [40, 20, 30], Kind: 'PostSyn', Tags: ['syn1'] }]);

      await seg.merge(A, [B]);
      const merged: AnnotationElement[] = await syn.waitForLabel(A, (e) => e.length === 2, { timeout: 20_000 });
      expect(positions(merged)).toEqual([
        [10, 20, 30],
        [40, 20, 30],
      ]);
      await syn.waitForLabel(B, (e) => e.length === 0, { timeout: 20_000 });

      const labelsz = await client.createLabelsz(uuid, uniqueName('lsz'), { sync: syn.name });
      await labelsz.reload();
      expect(await labelsz.waitForCount(A, 'AllSyn', (n) => n === 2, { timeout: 20_000 })).toBe(2);
      expect(await labelsz.count(A, 'PreSyn')).toBe(1);
    });
  });
});
