/**
 * Repos and versions: the repo and node calls (alias, description, logs, notes, commit
 * status), the versioning verbs (commit, branch, newVersion, tag, conflict-free merge,
 * resolving merge), branch history, and version references (full UUIDs, unique prefixes,
 * `prefix:branch`, `prefix:branch~N`, tags). The version DAG as typed objects and its pure
 * queries are in `versions-dag.ts`; the {@link Repo} and {@link Version} handles in
 * `version-handles.ts`.
 *
 * Every function takes the transport; `DvidClient` exposes them as methods and through the
 * {@link Repo} and {@link Version} handles. DVID itself accepts every reference form wherever
 * a UUID goes in a URL, so the SDK passes references through unchanged;
 * {@link resolveVersion} turns one into the full UUID on the client side.
 *
 * @example
 * ```ts
 * const root = await client.createRepo({ alias: 'proofreading' });
 * await client.commit(root, { note: 'imported' });
 * const review = await client.branch(root, 'review');
 * const main = await client.newVersion(root);
 * // ... write to both, then commit both ...
 * const merged = await client.merge([main, review], { note: 'review merged' });
 * const dag = (await client.repo(root).info()).dag;
 * dag.versions[merged].parents; // [main, review]
 * ```
 * @module
 */
import { DvidArgumentError, VersionReferenceError } from '../errors.js';
import type { Transport } from '../transport/transport.js';
import { segment } from './paths.js';
import { getReposInfo, getRepoInfo, type CallOptions } from './repo.js';
import { findBranchHead, toRepoDetails, toStringList, type RepoDetails } from './versions-dag.js';

/**
 * A version reference: a full UUID, a unique prefix, `prefix:branch`, `prefix:branch~N` or a tag.
 *
 * @example
 * ```ts
 * const refs: VersionRef[] = [uuid, uuid.slice(0, 8), `${uuid.slice(0, 8)}:master~1`, 'release-1'];
 * ```
 */
export type VersionRef = string;

/**
 * Options of {@link commitVersion}.
 *
 * @example
 * ```ts
 * await client.commit(uuid, { note: 'done', log: ['checked by Bob'] } satisfies CommitOptions);
 * ```
 */
export interface CommitOptions extends CallOptions {
  /** Replaces the node's note when non-empty. */
  note?: string;
  /** Lines appended to the node's log. */
  log?: readonly string[];
}

/**
 * Options of {@link createVersion} and {@link branchVersion}.
 *
 * @example
 * ```ts
 * await client.branch(uuid, 'review', { note: 'for Alice', uuid: 'ab'.repeat(16) } satisfies NewVersionOptions);
 * ```
 */
export interface NewVersionOptions extends CallOptions {
  note?: string;
  /** UUID for the child (32 hex digits) instead of a random one; must be unused. */
  uuid?: string;
}

/**
 * Options of {@link tagVersion}.
 *
 * @example
 * ```ts
 * await client.tag(uuid, 'release-1', { note: 'first release' } satisfies TagOptions);
 * ```
 */
export interface TagOptions extends CallOptions {
  /** Note given to the tag node at creation; DVID then replaces it with `Tag of version <uuid> with "<tag>"`. */
  note?: string;
}

/**
 * Options of {@link mergeVersions} and {@link resolveMerge}.
 *
 * @example
 * ```ts
 * await client.merge([a, b], { note: 'merged', signal: AbortSignal.timeout(10_000) } satisfies MergeOptions);
 * ```
 */
export interface MergeOptions extends CallOptions {
  /** Note of the merged child. */
  note?: string;
}

/**
 * Options of {@link updateRepoInfo}.
 *
 * @example
 * ```ts
 * await client.repo(uuid).update({ alias: 'fib25', description: 'after review' } satisfies UpdateRepoOptions);
 * ```
 */
export interface UpdateRepoOptions extends CallOptions {
  alias?: string;
  description?: string;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/**
 * Reads the repo holding a version, as typed objects.
 *
 * @example
 * ```ts
 * const { dag } = await fetchRepoDetails(transport, 'a1b2:master');
 * ```
 */
export async function fetchRepoDetails(transport: Transport, ref: VersionRef, options: CallOptions = {}): Promise<RepoDetails> {
  return toRepoDetails(await getRepoInfo(transport, ref, options));
}

async function postJson<T>(transport: Transport, path: string, body: unknown, attempted: string, options: CallOptions): Promise<T> {
  return transport.requestJson<T>({
    method: 'POST',
    path,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
    attempted,
    idempotent: false,
    signal: options.signal,
  });
}

async function postEmpty(transport: Transport, path: string, body: unknown, attempted: string, options: CallOptions): Promise<void> {
  await transport.requestText({
    method: 'POST',
    path,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
    attempted,
    idempotent: false,
    signal: options.signal,
  });
}

function checkLines(argument: string, lines: readonly string[]): void {
  if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'string')) {
    throw new DvidArgumentError(argument, `expected an array of strings, got ${JSON.stringify(lines)}`);
  }
}

/**
 * Sets a repo's alias and/or description (`POST /api/repo/{uuid}/info`).
 *
 * @example
 * ```ts
 * await updateRepoInfo(transport, uuid, { alias: 'v2', description: 'after review' });
 * ```
 */
export async function updateRepoInfo(transport: Transport, ref: VersionRef, options: UpdateRepoOptions): Promise<void> {
  const body: Record<string, string> = {};
  if (options.alias !== undefined) body.alias = options.alias;
  if (options.description !== undefined) body.description = options.description;
  if (Object.keys(body).length === 0) throw new DvidArgumentError('options', 'give alias and/or description');
  await postEmpty(transport, `/api/repo/${segment('uuid', ref)}/info`, body, `update repo info of ${ref}`, options);
}

async function getLog(transport: Transport, path: string, attempted: string, options: CallOptions): Promise<string[]> {
  const data = await transport.requestJson<{ log: string[] | null }>({ path, attempted, signal: options.signal });
  return toStringList(data?.log);
}

/**
 * The repo's log lines (`GET /api/repo/{uuid}/log`).
 *
 * @example
 * ```ts
 * const lines = await getRepoLog(transport, uuid); // ['2026-01-02T03:04:05Z  New data instance ...']
 * ```
 */
export function getRepoLog(transport: Transport, ref: VersionRef, options: CallOptions = {}): Promise<string[]> {
  return getLog(transport, `/api/repo/${segment('uuid', ref)}/log`, `read the repo log of ${ref}`, options);
}

/**
 * Appends lines to the repo's log (`POST /api/repo/{uuid}/log`); DVID prefixes each with the time.
 *
 * @example
 * ```ts
 * await appendRepoLog(transport, uuid, ['imported from /data/x']);
 * ```
 */
export async function appendRepoLog(transport: Transport, ref: VersionRef, lines: readonly string[], options: CallOptions = {}): Promise<void> {
  checkLines('lines', lines);
  await postEmpty(transport, `/api/repo/${segment('uuid', ref)}/log`, { log: lines }, `append to the repo log of ${ref}`, options);
}

/**
 * A version's log lines (`GET /api/node/{uuid}/log`).
 *
 * @example
 * ```ts
 * await getNodeLog(transport, uuid)
 * ```
 */
export function getNodeLog(transport: Transport, ref: VersionRef, options: CallOptions = {}): Promise<string[]> {
  return getLog(transport, `/api/node/${segment('uuid', ref)}/log`, `read the log of version ${ref}`, options);
}

/**
 * Appends lines to a version's log (`POST /api/node/{uuid}/log`). Refused on a committed version.
 *
 * @example
 * ```ts
 * await appendNodeLog(transport, uuid, ['merged bodies 12 and 13']);
 * ```
 */
export async function appendNodeLog(transport: Transport, ref: VersionRef, lines: readonly string[], options: CallOptions = {}): Promise<void> {
  checkLines('lines', lines);
  await postEmpty(transport, `/api/node/${segment('uuid', ref)}/log`, { log: lines }, `append to the log of version ${ref}`, options);
}

/**
 * A version's note (`GET /api/node/{uuid}/note`).
 *
 * @example
 * ```ts
 * await getNodeNote(transport, uuid) // 'first proofreading pass'
 * ```
 */
export async function getNodeNote(transport: Transport, ref: VersionRef, options: CallOptions = {}): Promise<string> {
  const data = await transport.requestJson<{ note: string }>({
    path: `/api/node/${segment('uuid', ref)}/note`,
    attempted: `read the note of version ${ref}`,
    signal: options.signal,
  });
  return data?.note ?? '';
}

/**
 * Replaces a version's note (`POST /api/node/{uuid}/note`). Refused on a committed version.
 *
 * @example
 * ```ts
 * await setNodeNote(transport, uuid, 'first proofreading pass');
 * ```
 */
export async function setNodeNote(transport: Transport, ref: VersionRef, note: string, options: CallOptions = {}): Promise<void> {
  if (typeof note !== 'string') throw new DvidArgumentError('note', `expected a string, got ${JSON.stringify(note)}`);
  await postEmpty(transport, `/api/node/${segment('uuid', ref)}/note`, { note }, `set the note of version ${ref}`, options);
}

/**
 * True when the version is committed (`GET /api/node/{uuid}/status`, `{"Locked": bool}`).
 *
 * @example
 * ```ts
 * if (await isVersionLocked(transport, uuid)) uuid = await createVersion(transport, uuid);
 * ```
 */
export async function isVersionLocked(transport: Transport, ref: VersionRef, options: CallOptions = {}): Promise<boolean> {
  const data = await transport.requestJson<{ Locked: boolean }>({
    path: `/api/node/${segment('uuid', ref)}/status`,
    attempted: `read the commit status of version ${ref}`,
    signal: options.signal,
  });
  if (typeof data?.Locked !== 'boolean') throw new DvidArgumentError('response', `expected {"Locked": true|false}, got ${JSON.stringify(data)}`);
  return data.Locked;
}

/**
 * Commits (locks) a version and returns its full UUID (`POST /api/node/{uuid}/commit`).
 * Versioned data can no longer be written there; children are made with
 * {@link createVersion} or {@link branchVersion}. Committing twice is a DVID 400 whose error
 * has `locked` set.
 *
 * @example
 * ```ts
 * const uuid = await commitVersion(transport, 'a1b2', { note: 'imported', log: ['from /data'] });
 * ```
 */
export async function commitVersion(transport: Transport, ref: VersionRef, options: CommitOptions = {}): Promise<string> {
  const body: { note?: string; log?: readonly string[] } = {};
  if (options.note !== undefined) body.note = options.note;
  if (options.log !== undefined) {
    checkLines('log', options.log);
    body.log = options.log;
  }
  // DVID v1.0.0 unmarshals the body unconditionally: an empty body is a 400, so send {}.
  const result = await postJson<{ committed: string }>(transport, `/api/node/${segment('uuid', ref)}/commit`, body, `commit version ${ref}`, options);
  return result.committed;
}

function checkAssignedUuid(uuid: string | undefined): void {
  if (uuid !== undefined && !HEX32.test(uuid)) throw new DvidArgumentError('uuid', `expected 32 hexadecimal digits, got ${JSON.stringify(uuid)}`);
}

/**
 * Adds a child version on the same branch as its committed parent and returns the child's
 * UUID (`POST /api/node/{uuid}/newversion`). A node has at most one child per branch.
 *
 * @example
 * ```ts
 * const next = await createVersion(transport, root, { note: 'second pass' });
 * ```
 */
export async function createVersion(transport: Transport, parent: VersionRef, options: NewVersionOptions = {}): Promise<string> {
  checkAssignedUuid(options.uuid);
  const body: Record<string, string> = {};
  if (options.note !== undefined) body.note = options.note;
  if (options.uuid !== undefined) body.uuid = options.uuid;
  const result = await postJson<{ child: string }>(transport, `/api/node/${segment('uuid', parent)}/newversion`, body, `create a version after ${parent}`, options);
  return result.child;
}

/**
 * Starts a named branch: a child of a committed version on a new branch, whose name no
 * version of the repo uses yet (`POST /api/node/{uuid}/branch`). Returns the child's UUID.
 *
 * @throws {@link DvidArgumentError} before any request for an empty name or `master`.
 * @example
 * ```ts
 * const review = await branchVersion(transport, root, 'review', { note: 'for Alice' });
 * ```
 */
export async function branchVersion(transport: Transport, parent: VersionRef, branch: string, options: NewVersionOptions = {}): Promise<string> {
  if (typeof branch !== 'string' || branch === '' || branch === 'master') {
    throw new DvidArgumentError('branch', `expected a new branch name other than "master", got ${JSON.stringify(branch)}`);
  }
  checkAssignedUuid(options.uuid);
  const body: Record<string, string> = { branch };
  if (options.note !== undefined) body.note = options.note;
  if (options.uuid !== undefined) body.uuid = options.uuid;
  const result = await postJson<{ child: string }>(transport, `/api/node/${segment('uuid', parent)}/branch`, body, `branch "${branch}" from ${parent}`, options);
  return result.child;
}

/**
 * Tags a committed version: DVID adds a committed child whose UUID **is** the tag (on branch
 * `tag-<tag>`), so the tag works anywhere a UUID does, including as a prefix. Returns the tag.
 * Tags share the server-wide UUID namespace: choose names no UUID or other tag starts with.
 *
 * @throws {@link DvidArgumentError} before any request for an empty tag or one containing `/` or `:`.
 * @example
 * ```ts
 * await tagVersion(transport, uuid, 'release-2026-01');
 * await client.voxels('release-2026-01', 'grayscale');
 * ```
 */
export async function tagVersion(transport: Transport, ref: VersionRef, tag: string, options: TagOptions = {}): Promise<string> {
  if (typeof tag !== 'string' || tag === '' || /[/:]/.test(tag)) {
    throw new DvidArgumentError('tag', `expected a non-empty name without "/" or ":", got ${JSON.stringify(tag)}`);
  }
  const body: Record<string, string> = { tag };
  if (options.note !== undefined) body.note = options.note;
  const result = await postJson<{ child: string }>(transport, `/api/node/${segment('uuid', ref)}/tag`, body, `tag version ${ref} as "${tag}"`, options);
  return result.child;
}

function checkParents(parents: readonly VersionRef[]): void {
  if (!Array.isArray(parents) || parents.length < 2 || !parents.every((p) => typeof p === 'string' && p !== '')) {
    throw new DvidArgumentError('parents', `expected two or more version references, got ${JSON.stringify(parents)}`);
  }
}

/**
 * Conflict-free merge of two or more **committed** versions into a new open child on master
 * (`POST /api/repo/{uuid}/merge`); returns the child's UUID. Parent order is priority order.
 * DVID checks nothing at merge time: a key written on more than one side makes reads of that
 * key in the child fail with a 400 (`found multiple kv for key ...`); use
 * {@link resolveMerge} when both sides may have written the same data.
 *
 * @example
 * ```ts
 * const merged = await mergeVersions(transport, [main, review], { note: 'review merged' });
 * ```
 */
export async function mergeVersions(transport: Transport, parents: readonly VersionRef[], options: MergeOptions = {}): Promise<string> {
  checkParents(parents);
  const body: Record<string, unknown> = { mergeType: 'conflict-free', parents };
  if (options.note !== undefined) body.note = options.note;
  const result = await postJson<{ child: string }>(
    transport,
    `/api/repo/${segment('uuid', parents[0])}/merge`,
    body,
    `merge versions ${parents.join(', ')}`,
    options,
  );
  return result.child;
}

/**
 * DVID's resolving merge (`POST /api/repo/{uuid}/resolve`): for the named instances, each
 * key that a lower-priority parent would contribute against a higher-priority one is deleted
 * in a new committed child of that parent (branch `conflict-<uuid>`), then the parents are
 * merged. Returns the merged child's UUID.
 *
 * DVID's rule is per key: the first parent (in order) that sees the key wins; a later parent's
 * different value is deleted. A key that the winner merely inherited while a later parent
 * changed it ends up deleted in the merge, not kept at the inherited value (DVID v1.0.0).
 *
 * @example
 * ```ts
 * const merged = await resolveMerge(transport, [main, review], ['grayscale', 'annotations'], { note: 'main wins' });
 * ```
 */
export async function resolveMerge(
  transport: Transport,
  parents: readonly VersionRef[],
  data: readonly string[],
  options: MergeOptions = {},
): Promise<string> {
  checkParents(parents);
  if (!Array.isArray(data) || data.length === 0 || !data.every((d) => typeof d === 'string' && d !== '')) {
    throw new DvidArgumentError('data', `expected one or more instance names, got ${JSON.stringify(data)}`);
  }
  const body: Record<string, unknown> = { data, parents };
  if (options.note !== undefined) body.note = options.note;
  const result = await postJson<{ child: string }>(
    transport,
    `/api/repo/${segment('uuid', parents[0])}/resolve`,
    body,
    `resolve and merge versions ${parents.join(', ')}`,
    options,
  );
  return result.child;
}

/**
 * A branch's history as DVID reports it (`GET /api/repo/{uuid}/branch-versions/{name}`):
 * UUIDs from the branch's leaf back to the root, leaf first (`master` is the default branch;
 * empty for an unknown branch). At a merge DVID lists the other parents and continues along
 * the **last** parent. With several master leaves (after merges) DVID picks its starting node
 * in random order, so the answer can vary between calls.
 *
 * @example
 * ```ts
 * const [leaf, ...older] = await getBranchVersions(transport, root, 'review');
 * ```
 */
export async function getBranchVersions(transport: Transport, ref: VersionRef, branch: string, options: CallOptions = {}): Promise<string[]> {
  const list = await transport.requestJson<string[] | null>({
    path: `/api/repo/${segment('uuid', ref)}/branch-versions/${segment('branch', branch)}`,
    attempted: `read the history of branch "${branch}"`,
    signal: options.signal,
  });
  return toStringList(list);
}

/** Go's `strconv.Atoi` for the `~N` suffix: optional sign, decimal digits. */
function parseAtoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * Resolves a version reference to a full UUID the way DVID does (`matchingUUID`):
 * - a prefix must match exactly one version UUID (tags included) across **all** repos;
 * - `prefix:branch` is the branch head ({@link findBranchHead}); `prefix:` is the prefix alone;
 * - `prefix:branch~N` is entry N of the branch's history ({@link getBranchVersions}, asked of
 *   the server, so it agrees with what DVID does for the same reference);
 * - `:branch` needs a server holding exactly one repo.
 *
 * Reads `GET /api/repos/info` (and `branch-versions` for `~N`).
 *
 * @throws {@link VersionReferenceError} naming the problem (`unknown`, `ambiguous` with the
 *   candidates, `branch`, `out-of-range`, `syntax`, `repo`).
 * @example
 * ```ts
 * await resolveVersion(transport, 'a1b2:review~1') // '…32 hex digits…'
 * ```
 */
export async function resolveVersion(transport: Transport, ref: VersionRef, options: CallOptions = {}): Promise<string> {
  if (typeof ref !== 'string' || ref.includes('/')) {
    throw new VersionReferenceError(String(ref), 'syntax', 'a version reference is a string without "/"');
  }
  const parts = ref.split(':');
  if (parts.length > 2) throw new VersionReferenceError(ref, 'syntax', 'more than one ":" (expected prefix, prefix:branch or prefix:branch~N)');
  const [prefix, branchSpec] = parts;
  const repos = Object.values(await getReposInfo(transport, options)).map(toRepoDetails);
  let repo: RepoDetails;
  let matched = '';
  if (parts.length === 2 && prefix === '') {
    if (repos.length !== 1) {
      throw new VersionReferenceError(ref, 'repo', `":branch" without a UUID prefix needs a server with exactly one repo; this one has ${repos.length}`);
    }
    repo = repos[0];
  } else {
    const candidates: { uuid: string; repo: RepoDetails }[] = [];
    for (const r of repos) for (const uuid of Object.keys(r.dag.versions)) if (uuid.startsWith(prefix)) candidates.push({ uuid, repo: r });
    if (candidates.length === 0) throw new VersionReferenceError(ref, 'unknown', `no version UUID or tag starts with "${prefix}"`);
    if (candidates.length > 1) {
      const uuids = candidates.map((c) => c.uuid).sort();
      throw new VersionReferenceError(ref, 'ambiguous', `${uuids.length} versions start with "${prefix}": ${uuids.slice(0, 10).join(', ')}${uuids.length > 10 ? ', …' : ''}`, uuids);
    }
    repo = candidates[0].repo;
    matched = candidates[0].uuid;
    if (branchSpec === undefined || branchSpec === '') return matched;
  }
  const tilde = branchSpec.split('~');
  if (tilde.length === 2) {
    const [name, count] = tilde;
    const n = parseAtoi(count);
    if (n === undefined) throw new VersionReferenceError(ref, 'syntax', `"~${count}" is not a number of steps back`);
    const history = await getBranchVersions(transport, matched || repo.root, name, options);
    if (n < 0 || n >= history.length) {
      throw new VersionReferenceError(ref, 'out-of-range', `branch "${name}" has ${history.length} version${history.length === 1 ? '' : 's'} in its history; ~${n} is out of range`);
    }
    return history[n];
  }
  const name = branchSpec || 'master';
  const head = findBranchHead(repo.dag, name);
  if (head === undefined) throw new VersionReferenceError(ref, 'branch', `repo ${repo.root} has no branch "${name}"`);
  return head;
}
