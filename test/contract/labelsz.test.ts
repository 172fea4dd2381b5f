import { beforeAll, expect, it } from 'vitest';
import { DvidArgumentError, DvidClient, isDvidError, type AnnotationElementInput, type LabelszIndex } from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

const el = (x: number, Kind: AnnotationElementInput['Kind']): AnnotationElementInput => ({ Pos: [x, 0, 0], Kind });

describeServer(`labelsz (${server.kind})`, () => {
  const client = newClient();
  let uuid: string;
  const big = 2n ** 62n + 9n;

  beforeAll(async () => {
    uuid = await newRepo(client);
  });

  /** An annotation with a label index posted directly (no labelmap needed) and a labelsz counting it. */
  async function setup() {
    const syn = await client.createAnnotation(uuid, uniqueName('syn'));
    await syn.postLabels(
      new Map([
        [5n, [el(1, 'PreSyn'), el(2, 'PreSyn'), el(3, 'PostSyn')]],
        [7n, [el(10, 'PostSyn'), el(11, 'PostSyn'), el(12, 'Gap'), el(13, 'Note')]],
        [9n, [el(20, 'PreSyn')]],
        [big, [el(30, 'PreSyn'), el(31, 'PostSyn')]],
      ]),
    );
    const sizes = await client.createLabelsz(uuid, uniqueName('lsz'), { sync: syn.name });
    expect((await sizes.info()).Base.Syncs).toEqual([syn.name]);
    expect((await sizes.info()).Extended).toEqual({ StaticROI: '' });
    await sizes.reload();
    await sizes.waitForCount(big, 'AllSyn', (n) => n === 2, { timeout: 20_000 });
    return { syn, sizes };
  }

  it('counts per label and kind, for many labels (GET with a body), top N and thresholds', async () => {
    const { sizes } = await setup();
    const count = (label: bigint, i: LabelszIndex) => sizes.count(label, i);
    expect(await count(5n, 'PreSyn')).toBe(2);
    expect(await count(5n, 'PostSyn')).toBe(1);
    expect(await count(5n, 'AllSyn')).toBe(3);
    expect(await count(7n, 'AllSyn')).toBe(4);
    expect(await count(7n, 'Gap')).toBe(1);
    expect(await count(7n, 'Note')).toBe(1);
    expect(await count(99n, 'PreSyn')).toBe(0);
    expect(await count(5n, 'Voxels')).toBe(0);

    expect(await sizes.counts([7n, 99n, big, 5n], 'PostSyn')).toEqual([
      { label: 7n, count: 2 },
      { label: 99n, count: 0 },
      { label: big, count: 1 },
      { label: 5n, count: 1 },
    ]);
    expect(await sizes.counts([], 'PostSyn')).toEqual([]);

    expect(await sizes.top(2, 'AllSyn')).toEqual([
      { label: 7n, count: 4 },
      { label: 5n, count: 3 },
    ]);
    expect(await sizes.top(10, 'PreSyn')).toEqual([
      { label: 5n, count: 2 },
      { label: 9n, count: 1 },
      { label: big, count: 1 },
    ]);
    expect(await sizes.top(0, 'PreSyn')).toEqual([]);
    expect(await sizes.threshold(2, 'AllSyn')).toEqual([
      { label: 7n, count: 4 },
      { label: 5n, count: 3 },
      { label: big, count: 2 },
    ]);
    expect(await sizes.threshold(2, 'AllSyn', { offset: 1, n: 1 })).toEqual([{ label: 5n, count: 3 }]);
    expect(await sizes.threshold(5, 'AllSyn')).toEqual([]);
  });

  it('follows element changes of a synced annotation (label index posted, then a reload)', async () => {
    const { syn, sizes } = await setup();
    await syn.postLabels(new Map([[9n, [el(20, 'PreSyn'), el(21, 'PreSyn'), el(22, 'PreSyn')]]]));
    await sizes.reload();
    expect(await sizes.waitForCount(9n, 'PreSyn', (n) => n === 3, { timeout: 20_000 })).toBe(3);
    expect((await sizes.top(1, 'PreSyn'))[0]).toEqual({ label: 9n, count: 3 });
  });

  it('checks arguments before any request; DVID errors for unknown kinds', async () => {
    let requests = 0;
    const strict = new DvidClient(server.url, {
      fetch: () => {
        requests += 1;
        return Promise.reject(new Error('no request expected'));
      },
    });
    const sizes = strict.labelsz(uuid, 'whatever');
    await expect(sizes.count(1n, 'Bogus' as LabelszIndex)).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(sizes.top(-1, 'AllSyn')).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(sizes.threshold(1.5, 'AllSyn')).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(sizes.counts([2 ** 60], 'AllSyn')).rejects.toBeInstanceOf(DvidArgumentError);
    expect(requests).toBe(0);

    const real = await client.createLabelsz(uuid, uniqueName('lsz'));
    const err = await client.transport
      .request({ path: `/api/node/${uuid}/${real.name}/count/5/Bogus`, attempted: 'bad kind' })
      .catch((e: unknown) => e);
    expect(isDvidError(err, 'http') && err.responseText).toBe(`unknown index type specified ("Bogus") (/api/node/${uuid}/${real.name}/count/5/Bogus).`);
  });
});
