/**
 * The SDK's version API without a server process: DAG conversion, branch heads, ancestors,
 * reference resolution and its typed errors (on the in-memory mock), the `locked` property of
 * DvidHttpError, and argument checks.
 */
import { describe, expect, it } from 'vitest';
import { createMockDvid } from '../../mocks/index.js';
import {
  DvidArgumentError,
  DvidClient,
  DvidHttpError,
  VersionReferenceError,
  findBranchHead,
  findLeafVersions,
  isDvidError,
  listAncestors,
  toRepoDetails,
  type RepoInfo,
} from '../../src/index.js';

function node(uuid: string, versionId: number, parents: number[], children: number[], branch = '', locked = true) {
  return { UUID: uuid, VersionID: versionId, Branch: branch, Note: '', Log: [], Locked: locked, Parents: parents, Children: children };
}

const RAW: RepoInfo = {
  Root: 'r',
  Alias: 'a',
  Description: 'd',
  Log: null,
  Properties: {},
  DataInstances: { g: { Base: { TypeName: 'uint8blk', Name: 'g', Versioned: false, DataUUID: 'x' } } },
  DAG: {
    Root: 'r',
    Nodes: {
      r: node('r', 1, [], [2, 3]),
      m1: node('m1', 2, [1], [4]),
      b1: node('b1', 3, [1], [4], 'b'),
      mg: node('mg', 4, [2, 3], [], '', false),
    },
  },
  MutationID: 1000000003,
};

describe('repo details', () => {
  const details = toRepoDetails(RAW);

  it('resolves VersionIDs to UUIDs and names master', () => {
    expect(details.dag.versions.mg).toMatchObject({ parents: ['m1', 'b1'], children: [], branch: 'master', locked: false });
    expect(details.dag.versions.b1).toMatchObject({ branch: 'b', parents: ['r'], children: ['mg'] });
    expect(details.instances.g).toMatchObject({ typename: 'uint8blk', versioned: false, dataUuid: 'x' });
    expect(details.log).toEqual([]);
    expect(details.mutationId).toBe(1000000003);
  });

  it('branch heads skip merge results, as DVID does', () => {
    expect(findBranchHead(details.dag, 'master')).toBe('m1');
    expect(findBranchHead(details.dag, '')).toBe('m1');
    expect(findBranchHead(details.dag, 'b')).toBe('b1');
    expect(findBranchHead(details.dag, 'nope')).toBeUndefined();
  });

  it('leaves and ancestors', () => {
    expect(findLeafVersions(details.dag).map((v) => v.uuid)).toEqual(['mg']);
    expect(listAncestors(details.dag, 'mg')).toEqual(['m1', 'b1', 'r']);
    expect(listAncestors(details.dag, 'r')).toEqual([]);
  });
});

describe('DvidHttpError.locked', () => {
  const ctx = { method: 'POST', url: 'http://h/api/x', attempted: 'write' };
  const cases: [string, boolean, string | undefined][] = [
    ['Cannot do POST on endpoint "raw" of locked node abc123 (/api/node/abc123/g/raw/0_1_2/8_8_8/0_0_0).', true, 'abc123'],
    ['Cannot do post on locked node abc123 (/api/node/abc123/note).', true, 'abc123'],
    ['New data instance cannot be created on locked node abc123 (/api/repo/abc123/instance).', true, 'abc123'],
    ['Could not post to locked node (/api/node/abc/commit).', true, undefined],
    ['invalid data instance name (/api/node/abc/x/info).', false, undefined],
  ];
  for (const [text, locked, uuid] of cases) {
    it(text.slice(0, 40), () => {
      const err = new DvidHttpError({ ...ctx, status: 400, responseText: `${text}\n` });
      expect(err.locked).toBe(locked);
      expect(err.lockedUuid).toBe(uuid);
      expect(err.message.includes('is committed (locked)')).toBe(locked);
    });
  }

  it('is false for other statuses', () => {
    expect(new DvidHttpError({ ...ctx, status: 500, responseText: 'Cannot do post on locked node a (/x).' }).locked).toBe(false);
  });
});

describe('resolveVersion on the mock', () => {
  const mock = createMockDvid();
  const client = new DvidClient('http://mock.dvid', { fetch: mock.fetch });

  it('resolves every form and names the problem when it cannot', async () => {
    const root = mock.state.createRepo({ root: 'aaaa0000000000000000000000000001' }).root;
    mock.state.commit(root);
    const main = mock.state.newVersion(root, { uuid: 'aaaa0000000000000000000000000002' }).uuid;
    const side = mock.state.newVersion(root, { branch: 'side', uuid: 'bbbb0000000000000000000000000003' }).uuid;
    expect(await client.resolveVersion('aaaa0000000000000000000000000002')).toBe(main);
    expect(await client.resolveVersion('bbbb')).toBe(side);
    expect(await client.resolveVersion(':side')).toBe(side);
    expect(await client.resolveVersion(':')).toBe(main);
    expect(await client.resolveVersion('bbbb:master')).toBe(main);
    expect(await client.resolveVersion(':side~1')).toBe(root);
    const problems: [string, string][] = [
      ['aaaa', 'ambiguous'],
      ['cccc', 'unknown'],
      ['bbbb:nope', 'branch'],
      [':side~2', 'out-of-range'],
      [':side~-1', 'out-of-range'],
      [':side~one', 'syntax'],
      ['a:b:c', 'syntax'],
    ];
    for (const [ref, problem] of problems) {
      const err = await client.resolveVersion(ref).catch((e: unknown) => e);
      expect(err, ref).toBeInstanceOf(VersionReferenceError);
      expect(isDvidError(err, 'version') && err.problem, ref).toBe(problem);
    }
    const ambiguous = (await client.resolveVersion('aaaa').catch((e: unknown) => e)) as VersionReferenceError;
    expect(ambiguous.candidates).toEqual([root, main]);
    mock.state.createRepo();
    const many = (await client.resolveVersion(':side').catch((e: unknown) => e)) as VersionReferenceError;
    expect(many.problem).toBe('repo');
  });

  it('checks arguments before any request', async () => {
    const calls: string[] = [];
    const spy = new DvidClient('http://mock.dvid', {
      fetch: (input, init) => {
        calls.push(String(input));
        return mock.fetch(input, init);
      },
    });
    for (const attempt of [
      () => spy.merge(['a']),
      () => spy.resolveMerge(['a', 'b'], []),
      () => spy.branch('a', ''),
      () => spy.branch('a', 'master'),
      () => spy.newVersion('a', { uuid: 'g'.repeat(32) }),
      () => spy.tag('a', 'x:y'),
      () => spy.repo('a').update({}),
      () => spy.version('a').appendLog(['ok', 3 as unknown as string]),
    ]) {
      await expect(attempt()).rejects.toBeInstanceOf(DvidArgumentError);
    }
    expect(() => spy.version('a/b')).toThrow(DvidArgumentError);
    expect(calls).toEqual([]);
  });
});
