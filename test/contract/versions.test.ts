/**
 * Repos and versions on both servers (mock and real DVID v1.0.0), same assertions: typed repo
 * info and DAG, alias/description, repo and node logs and notes, commit status, commit,
 * branch, newVersion, tag, conflict-free merge, resolving merge, branch history, version
 * references, and locked-version refusals.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DvidHttpError,
  Volume,
  VersionReferenceError,
  VoxelsMetadata,
  isDvidError,
  type DvidClient,
  type VoxelsAccessor,
} from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

const BLOCK = 32;

/** A tag no UUID or other tag can share a prefix with (fixed length, non-hex start). */
function newTag(): string {
  return `tag-${randomBytes(6).toString('hex')}`;
}

/** 32 hex digits starting with `prefix`. */
function uuidWithPrefix(prefix: string): string {
  return (prefix + randomBytes(16).toString('hex')).slice(0, 32);
}

async function createGray(client: DvidClient, uuid: string, versioned = true): Promise<string> {
  const name = uniqueName(versioned ? 'gray' : 'shared');
  const md = VoxelsMetadata.createDefault([1, 0, 0, 0], 'uint8', 'cxyz', 1, 'nanometers');
  await client.createVoxels(uuid, name, md, { blockSize: BLOCK, config: versioned ? {} : { versioned: false } });
  return name;
}

/** Writes one 32³ block (block x index `bx`) filled with `value` at a version. */
async function writeBlock(client: DvidClient, uuid: string, name: string, bx: number, value: number): Promise<void> {
  const v = await client.voxels<'uint8'>(uuid, name);
  const data = Volume.from(new Uint8Array(BLOCK ** 3).fill(value), [1, BLOCK, BLOCK, BLOCK]);
  await v.write([0, bx * BLOCK, 0, 0], [1, (bx + 1) * BLOCK, BLOCK, BLOCK], data);
}

/** The value of the first voxel of each block `0..n-1` as a version sees it. */
async function readBlocks(client: DvidClient, uuid: string, name: string, n: number): Promise<number[]> {
  const v: VoxelsAccessor<'uint8'> = await client.voxels<'uint8'>(uuid, name);
  const row = await v.read([0, 0, 0, 0], [1, n * BLOCK, 1, 1]);
  return Array.from({ length: n }, (_, i) => Number(row.item(0, i * BLOCK, 0, 0)));
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );
}

describeServer(`repos and versions (${server.kind})`, () => {
  const client = newClient();

  describe('repo info, alias, description, logs and notes', () => {
    let root: string;
    beforeAll(async () => {
      root = await newRepo(client);
    });

    it('repo info and DAG are typed objects keyed by UUID', async () => {
      const name = await createGray(client, root);
      const details = await client.repo(root).info();
      expect(details.root).toBe(root);
      expect(details.alias).toMatch(/^contract-/);
      expect(details.dag.root).toBe(root);
      const node = details.dag.versions[root];
      expect(node).toMatchObject({ uuid: root, branch: 'master', locked: false, parents: [], children: [] });
      expect(node.versionId).toBeGreaterThan(0);
      expect(details.instances[name]).toMatchObject({ name, typename: 'uint8blk', versioned: true });
      expect(details.log.some((line) => line.includes(`New data instance "${name}"`))).toBe(true);
    });

    it('alias and description updates', async () => {
      const repo = client.repo(root.slice(0, 16));
      await repo.update({ alias: `renamed-${root.slice(0, 6)}` });
      await repo.update({ description: 'described again' });
      const details = await repo.info();
      expect(details.alias).toBe(`renamed-${root.slice(0, 6)}`);
      expect(details.description).toBe('described again');
    });

    it('repo log lines are appended with a timestamp', async () => {
      const repo = client.repo(root);
      await repo.appendLog(['first line', 'second line']);
      const log = await repo.log();
      expect(log.slice(-2).map((l) => l.replace(/^\S+ {2}/, ''))).toEqual(['first line', 'second line']);
      expect(log[log.length - 1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) {2}second line$/);
    });

    it('node note and log; commit with note and log; commit status', async () => {
      const v = client.version(root);
      await v.setNote('working');
      expect(await v.note()).toBe('working');
      await v.appendLog(['node line']);
      expect(await v.isLocked()).toBe(false);
      expect(await client.isLocked(root)).toBe(false);
      expect(await v.commit({ note: 'done', log: ['committed line'] })).toBe(root);
      expect(await v.isLocked()).toBe(true);
      expect(await v.note()).toBe('done');
      expect((await v.log()).map((l) => l.replace(/^\S+ {2}/, ''))).toEqual(['node line', 'committed line']);
      expect((await client.repo(root).info()).dag.versions[root].locked).toBe(true);
    });

    it('the repo log still takes lines after a commit, node notes do not', async () => {
      await client.repo(root).appendLog(['after commit']);
      const err = await failure(client.version(root).setNote('nope'));
      expect(isDvidError(err, 'http') && err.locked).toBe(true);
    });
  });

  describe('locked versions', () => {
    let root: string;
    let gray: string;
    let shared: string;
    beforeAll(async () => {
      root = await newRepo(client);
      gray = await createGray(client, root);
      shared = await createGray(client, root, false);
      await writeBlock(client, root, gray, 0, 7);
      await client.commit(root);
    });

    it('a voxel write to a committed version fails with a typed "locked" error', async () => {
      const err = await failure(writeBlock(client, root, gray, 1, 9));
      expect(err).toBeInstanceOf(DvidHttpError);
      const http = err as DvidHttpError;
      expect(http.status).toBe(400);
      expect(http.locked).toBe(true);
      expect(http.lockedUuid).toBe(root);
      expect(http.responseText).toBe(`Cannot do POST on endpoint "raw" of locked node ${root} (${new URL(http.url).pathname}).`);
      expect(http.message).toContain('is committed (locked)');
      expect(await readBlocks(client, root, gray, 2)).toEqual([7, 0]);
    });

    it('node notes, logs, a second commit and new instances are refused too', async () => {
      for (const attempt of [
        () => client.version(root).setNote('x'),
        () => client.version(root).appendLog(['x']),
        () => client.commit(root),
        () => client.createInstance(root, uniqueName('late'), 'uint8blk'),
      ]) {
        const err = await failure(attempt());
        expect(isDvidError(err, 'http') && err.locked).toBe(true);
        expect((err as DvidHttpError).lockedUuid).toBe(root);
      }
    });

    it('other 400s are not "locked"', async () => {
      const err = await failure(client.voxels(root, uniqueName('missing')));
      expect(isDvidError(err, 'http') && err.status).toBe(400);
      expect((err as DvidHttpError).locked).toBe(false);
      expect((err as DvidHttpError).lockedUuid).toBeUndefined();
    });

    it('unversioned instances take writes at any version and every version reads the root', async () => {
      await writeBlock(client, root, shared, 0, 5);
      const child = await client.newVersion(root);
      await client.commit(child);
      await writeBlock(client, child, shared, 1, 6);
      expect(await readBlocks(client, root, shared, 2)).toEqual([5, 6]);
      expect(await readBlocks(client, child, shared, 2)).toEqual([5, 6]);
      const details = await client.repo(root).info();
      expect(details.instances[shared].versioned).toBe(false);
    });
  });

  describe('branches, versions, tags and references', () => {
    let root: string;
    let main: string;
    let review: string;
    let tag: string;
    beforeAll(async () => {
      root = await newRepo(client);
    });

    it('newVersion and branch need a committed parent and make children on the right branch', async () => {
      const early = await failure(client.newVersion(root));
      expect(isDvidError(early, 'http') && early.responseText.startsWith("can't branch an unlocked node")).toBe(true);
      await client.commit(root, { note: 'root' });
      main = await client.newVersion(root, { note: 'main 1' });
      review = await client.branch(root, 'review', { note: 'review 1' });
      const dag = (await client.repo(root).info()).dag;
      expect(dag.versions[root].children).toEqual([main, review]);
      expect(dag.versions[main]).toMatchObject({ branch: 'master', parents: [root], locked: false, note: 'main 1' });
      expect(dag.versions[review]).toMatchObject({ branch: 'review', parents: [root], note: 'review 1' });
      const twice = await failure(client.newVersion(root));
      expect(isDvidError(twice, 'http') && twice.responseText.startsWith('branch already exists with given name')).toBe(true);
      const reused = await failure(client.branch(root, 'review'));
      expect(isDvidError(reused, 'http') && reused.responseText.startsWith('branch already exists with given name')).toBe(true);
    });

    it('branch history (branch-versions), leaf first', async () => {
      expect(await client.branchVersions(root, 'review')).toEqual([review, root]);
      expect(await client.repo(root).branchVersions('master')).toEqual([main, root]);
      expect(await client.branchVersions(root, 'nope')).toEqual([]);
    });

    it('a tag is a committed child whose UUID is the tag', async () => {
      await client.commit(review);
      tag = newTag();
      expect(await client.version(review).tag(tag, { note: 'ignored' })).toBe(tag);
      const dag = (await client.repo(root).info()).dag;
      expect(dag.versions[tag]).toMatchObject({ uuid: tag, branch: `tag-${tag}`, locked: true, parents: [review] });
      expect(await client.version(tag).note()).toBe(`Tag of version ${review} with "${tag}"`);
      expect(await client.isLocked(tag)).toBe(true);
      const again = await failure(client.tag(review, tag));
      expect(isDvidError(again, 'http') && again.status).toBe(400);
    });

    it('references resolve to the same full UUID through the SDK and through DVID', async () => {
      const p = root.slice(0, 14);
      const review2 = await client.newVersion(review, { note: 'review 2' });
      const cases: [string, string][] = [
        [root, root],
        [p, root],
        [`${p}:`, root],
        [`${p}:master`, main],
        [`${p}:review`, review2],
        [`${p}:review~0`, review2],
        [`${p}:review~1`, review],
        [`${p}:review~2`, root],
        [`${main.slice(0, 14)}:review`, review2],
        [tag, tag],
        [`${tag}:review~1`, review],
      ];
      for (const [ref, expected] of cases) {
        expect(await client.resolveVersion(ref), ref).toBe(expected);
        // DVID resolves the same reference in a URL: compare the node notes it serves.
        expect(await client.version(ref).note(), ref).toBe(await client.version(expected).note());
      }
      expect(await client.version(`${p}:review`).resolve()).toBe(review2);
    });

    it('unknown, ambiguous, branch and range problems are typed errors, and DVID agrees', async () => {
      await client.commit(main);
      const shared = randomBytes(12).toString('hex');
      const one = await client.newVersion(main, { uuid: uuidWithPrefix(shared) });
      const two = await client.branch(main, uniqueName('twin'), { uuid: uuidWithPrefix(shared) });
      const problems: [string, string, RegExp][] = [
        ['0123456789abcdef0123456789abcde0', 'unknown', /^could not find UUID with partial match to 0123456789abcdef0123456789abcde0/],
        [shared, 'ambiguous', new RegExp(`^more than one UUID matches ${shared}`)],
        [`${root.slice(0, 14)}:nobranch`, 'branch', /^branch "nobranch" not found in repo/],
        [`${root.slice(0, 14)}:review~9`, 'out-of-range', /^parent 9 is out of range for branch "review"/],
        [`${root.slice(0, 14)}:review~x`, 'syntax', /^can't parse parent "x" in branch "review"/],
        [`a:b:c`, 'syntax', /^bad UUID specification "a:b:c"/],
      ];
      for (const [ref, problem, dvidText] of problems) {
        const sdk = await failure(client.resolveVersion(ref));
        expect(sdk, ref).toBeInstanceOf(VersionReferenceError);
        expect((sdk as VersionReferenceError).problem, ref).toBe(problem);
        const dvid = await failure(client.version(ref).note());
        expect(isDvidError(dvid, 'http') && dvid.status, ref).toBe(400);
        expect((dvid as DvidHttpError).responseText, ref).toMatch(dvidText);
      }
      const ambiguous = (await failure(client.resolveVersion(shared))) as VersionReferenceError;
      expect(ambiguous.candidates).toEqual([one, two].sort());
      expect(ambiguous.message).toContain('2 versions start with');
    });
  });

  describe('merging two branches of voxel data', () => {
    let root: string;
    let gray: string;
    let main: string;
    let left: string;
    beforeAll(async () => {
      root = await newRepo(client);
      gray = await createGray(client, root);
      // Blocks 0..4 along x: the root writes 0, 1 and 3.
      await writeBlock(client, root, gray, 0, 1);
      await writeBlock(client, root, gray, 1, 2);
      await writeBlock(client, root, gray, 3, 4);
      await client.commit(root, { note: 'base' });
      main = await client.newVersion(root, { note: 'main' });
      left = await client.branch(root, 'left', { note: 'left' });
      await writeBlock(client, left, gray, 0, 10); // only left changes block 0
      await writeBlock(client, main, gray, 1, 20); // only main changes block 1
      await writeBlock(client, main, gray, 2, 30); // only main writes block 2
      await writeBlock(client, main, gray, 3, 40); // both change block 3
      await writeBlock(client, left, gray, 3, 44);
    });

    it('each branch sees its own writes over the root', async () => {
      expect(await readBlocks(client, root, gray, 5)).toEqual([1, 2, 0, 4, 0]);
      expect(await readBlocks(client, main, gray, 5)).toEqual([1, 20, 30, 40, 0]);
      expect(await readBlocks(client, left, gray, 5)).toEqual([10, 2, 0, 44, 0]);
      expect(await readBlocks(client, `${root.slice(0, 14)}:left`, gray, 5)).toEqual([10, 2, 0, 44, 0]);
    });

    it('merging needs committed parents', async () => {
      const err = await failure(client.merge([main, left]));
      expect(isDvidError(err, 'http') && err.responseText.startsWith("can't branch an unlocked node")).toBe(true);
    });

    it('a conflict-free merge takes one-sided changes; a block changed on both sides cannot be read', async () => {
      await client.commit(main);
      await client.commit(left);
      const merged = await client.merge([main, left], { note: 'merged' });
      const dag = (await client.repo(root).info()).dag;
      expect(dag.versions[merged]).toMatchObject({ parents: [main, left], branch: 'master', locked: false, note: 'merged' });
      expect(dag.versions[main].children).toContain(merged);
      expect(dag.versions[left].children).toContain(merged);
      expect(await readBlocks(client, merged, gray, 3)).toEqual([10, 20, 30]);
      const conflict = await failure(readBlocks(client, merged, gray, 5));
      expect(isDvidError(conflict, 'http') && conflict.status).toBe(400);
      expect((conflict as DvidHttpError).responseText).toMatch(/found multiple kv for key \[[\d ]+\] among parents: versions map\[\d+:\{\} \d+:\{\}\]/);
      // Parents keep their own views.
      expect(await readBlocks(client, main, gray, 5)).toEqual([1, 20, 30, 40, 0]);
      expect(await readBlocks(client, left, gray, 5)).toEqual([10, 2, 0, 44, 0]);
    });

    it('a resolving merge deletes what lower-priority parents contribute against higher ones', async () => {
      // DVID's rule is per block: the first parent that sees a value wins and any different
      // value a later parent sees is deleted. So where only the later parent changed a block
      // (block 0 below), the change is deleted and the merge also hides the root's value.
      const mainFirst = await client.resolveMerge([main, left], [gray], { note: 'main wins' });
      expect(await readBlocks(client, mainFirst, gray, 5)).toEqual([0, 20, 30, 40, 0]);
      const details = await client.repo(root).info();
      const node = details.dag.versions[mainFirst];
      expect(node.note).toBe('main wins');
      expect(node.parents[0]).toBe(main);
      const conflictNode = details.dag.versions[node.parents[1]];
      expect(conflictNode).toMatchObject({ branch: `conflict-${left}`, parents: [left], locked: true });
      const leftFirst = await client.repo(root).resolveMerge([left, main], [gray]);
      expect(await readBlocks(client, leftFirst, gray, 5)).toEqual([10, 0, 30, 44, 0]);
      // The parents are untouched.
      expect(await readBlocks(client, main, gray, 5)).toEqual([1, 20, 30, 40, 0]);
      expect(await readBlocks(client, left, gray, 5)).toEqual([10, 2, 0, 44, 0]);
    });
  });

  it('merge and resolve arguments are checked before any request', async () => {
    await expect(client.merge(['only-one'])).rejects.toThrow(/parents/);
    await expect(client.resolveMerge(['a', 'b'], [])).rejects.toThrow(/data/);
    await expect(client.branch('abc', 'master')).rejects.toThrow(/branch/);
    await expect(client.newVersion('abc', { uuid: 'xyz' })).rejects.toThrow(/32 hexadecimal/);
    await expect(client.tag('abc', 'a/b')).rejects.toThrow(/tag/);
    await expect(client.resolveVersion('a/b')).rejects.toBeInstanceOf(VersionReferenceError);
  });
});
