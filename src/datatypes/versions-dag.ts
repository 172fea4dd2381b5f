/**
 * A repo's version DAG as typed objects ({@link RepoDetails}, {@link RepoDag},
 * {@link RepoVersion}), converted from DVID's repo JSON, and the pure queries on it that
 * version references need: branch heads, leaves, ancestors. No requests are made here; the
 * calls are in `versions.ts`.
 *
 * @example
 * ```ts
 * const { dag } = toRepoDetails(await client.repoInfo(uuid));
 * findBranchHead(dag, 'master');
 * listAncestors(dag, uuid);
 * ```
 * @module
 */
import type { RepoInfo, RepoNodeJSON } from './repo.js';

/**
 * One node of a repo's version DAG, with parents and children as UUIDs.
 *
 * @example
 * ```ts
 * const v: RepoVersion = dag.versions[uuid];
 * if (!v.locked) console.log(`${v.uuid} on ${v.branch} is open for writes`);
 * ```
 */
export interface RepoVersion {
  uuid: string;
  /** DVID's server-local version number (only meaningful on this server). */
  versionId: number;
  /** Branch name; DVID's unnamed default branch (`""` in its JSON) is reported as `master`. */
  branch: string;
  /** True once committed: versioned data can no longer be written here. */
  locked: boolean;
  note: string;
  /** Log lines, each prefixed by DVID with an RFC3339 time and two spaces. */
  log: string[];
  /** Parent UUIDs in priority order (two or more for a merge). */
  parents: string[];
  /** Child UUIDs in creation order. */
  children: string[];
  /** RFC3339 creation time as DVID reports it (nanoseconds on a real server). */
  created: string;
  updated: string;
}

/**
 * A repo's version DAG: its root and every version keyed by UUID.
 *
 * @example
 * ```ts
 * Object.keys(dag.versions).length // number of versions
 * ```
 */
export interface RepoDag {
  root: string;
  versions: Record<string, RepoVersion>;
}

/**
 * One data instance as repo info lists it.
 *
 * @example
 * ```ts
 * details.instances.grayscale.typename // 'uint8blk'
 * ```
 */
export interface RepoInstance {
  name: string;
  typename: string;
  /** `Base.DataUUID`. */
  dataUuid: string | undefined;
  /** False for instances created with `versioned: false` (one state shared by all versions). */
  versioned: boolean;
  /** The instance's full `/info` object. */
  info: Record<string, unknown>;
}

/**
 * `GET /api/repo/{uuid}/info` as typed objects.
 *
 * @example
 * ```ts
 * const details = await client.repo(uuid).info();
 * details.alias; details.dag.versions[details.root].children;
 * ```
 */
export interface RepoDetails {
  root: string;
  alias: string;
  description: string;
  /** Repo log lines (RFC3339 time, two spaces, text). */
  log: string[];
  properties: Record<string, unknown>;
  instances: Record<string, RepoInstance>;
  dag: RepoDag;
  mutationId: number | undefined;
  created: string | undefined;
  updated: string | undefined;
  /** The JSON as DVID sent it. */
  raw: RepoInfo;
}

/**
 * A copy of one of DVID's string lists, which arrive as `null` when empty.
 *
 * @example
 * ```ts
 * toStringList(null); // []
 * ```
 */
export function toStringList(value: string[] | null | undefined): string[] {
  return Array.isArray(value) ? [...value] : [];
}

/**
 * Converts DVID's repo JSON into {@link RepoDetails}: VersionIDs become UUIDs, master's `""`
 * becomes `master`.
 *
 * @example
 * ```ts
 * const details = toRepoDetails(await client.repoInfo(uuid));
 * ```
 */
export function toRepoDetails(raw: RepoInfo): RepoDetails {
  const nodes = Object.values(raw.DAG?.Nodes ?? {}) as RepoNodeJSON[];
  const byId = new Map(nodes.map((n) => [n.VersionID, n.UUID]));
  const uuidOf = (id: number) => byId.get(id) ?? `version-${id}`;
  const versions: Record<string, RepoVersion> = {};
  for (const node of nodes) {
    versions[node.UUID] = {
      uuid: node.UUID,
      versionId: node.VersionID,
      branch: node.Branch ? node.Branch : 'master',
      locked: node.Locked,
      note: node.Note ?? '',
      log: toStringList(node.Log),
      parents: (node.Parents ?? []).map(uuidOf),
      children: (node.Children ?? []).map(uuidOf),
      created: node.Created ?? '',
      updated: node.Updated ?? '',
    };
  }
  const instances: Record<string, RepoInstance> = {};
  for (const [name, info] of Object.entries(raw.DataInstances ?? {})) {
    const base = info.Base as Record<string, unknown>;
    instances[name] = {
      name,
      typename: String(base.TypeName),
      dataUuid: typeof base.DataUUID === 'string' ? base.DataUUID : undefined,
      versioned: base.Versioned !== false,
      info: info as Record<string, unknown>,
    };
  }
  return {
    root: raw.Root,
    alias: raw.Alias,
    description: raw.Description,
    log: toStringList(raw.Log),
    properties: { ...(raw.Properties ?? {}) },
    instances,
    dag: { root: raw.DAG.Root, versions },
    mutationId: typeof raw.MutationID === 'number' ? raw.MutationID : undefined,
    created: typeof raw.Created === 'string' ? raw.Created : undefined,
    updated: typeof raw.Updated === 'string' ? raw.Updated : undefined,
    raw,
  };
}

/**
 * The version `prefix:branch` names: DVID's branch head, i.e. the newest version created on
 * the branch by `newversion`/`branch`/`tag` (merge results are not branch heads in DVID, so
 * after a merge into master `uuid:master` still names the pre-merge head). DVID keeps this map
 * internally; the SDK recomputes it from the DAG. Undefined for an unknown branch.
 *
 * @example
 * ```ts
 * findBranchHead(details.dag, 'master')
 * ```
 */
export function findBranchHead(dag: RepoDag, branch: string): string | undefined {
  const name = branch === '' ? 'master' : branch;
  let head: RepoVersion | undefined;
  for (const version of Object.values(dag.versions)) {
    if (version.branch !== name) continue;
    const isRoot = version.uuid === dag.root;
    const madeByNewVersion =
      version.parents.length === 1 && (name !== 'master' || dag.versions[version.parents[0]]?.branch === 'master');
    if (!isRoot && !madeByNewVersion) continue;
    if (!head || version.versionId > head.versionId) head = version;
  }
  return head?.uuid;
}

/**
 * Versions with no children (where new work usually happens).
 *
 * @example
 * ```ts
 * findLeafVersions(details.dag).filter((v) => !v.locked)
 * ```
 */
export function findLeafVersions(dag: RepoDag): RepoVersion[] {
  return Object.values(dag.versions)
    .filter((v) => v.children.length === 0)
    .sort((a, b) => a.versionId - b.versionId);
}

/**
 * Every ancestor of a version (all parents of merges included), nearest first, without
 * repeats.
 *
 * @example
 * ```ts
 * listAncestors(details.dag, merged) // [main, review, root]
 * ```
 */
export function listAncestors(dag: RepoDag, uuid: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([uuid]);
  const queue = [...(dag.versions[uuid]?.parents ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    out.push(next);
    queue.push(...(dag.versions[next]?.parents ?? []));
  }
  return out;
}
