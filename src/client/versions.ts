/**
 * The `DvidClient` calls on repos and versions (implemented in `src/datatypes/versions.ts`):
 * handles, references and the versioning verbs. Every `ref` may be a full UUID, a unique
 * prefix, `prefix:branch`, `prefix:branch~N` or a tag. `src/client.ts` adds these methods to
 * `DvidClient.prototype` and merges {@link VersionMethods} into its type.
 *
 * @example
 * ```ts
 * const uuid = await client.resolveVersion('a1b2:master');
 * await client.commit(uuid, { note: 'imported' });
 * ```
 * @module
 */
import { Repo, Version } from '../datatypes/version-handles.js';
import {
  branchVersion,
  commitVersion,
  createVersion,
  getBranchVersions,
  isVersionLocked,
  mergeVersions,
  resolveMerge,
  resolveVersion,
  tagVersion,
  type CommitOptions,
  type MergeOptions,
  type NewVersionOptions,
  type TagOptions,
  type VersionRef,
} from '../datatypes/versions.js';
import type { CallOptions } from '../datatypes/repo.js';
import type { Transport } from '../transport/transport.js';

/**
 * The repo and version calls of {@link DvidClient} (declaration merging).
 *
 * @example
 * ```ts
 * const next = await client.newVersion(await client.commit(uuid));
 * ```
 */
export interface VersionMethods {
  /**
   * A handle on the repo holding `ref`: typed info and DAG, alias/description, repo log,
   * branch histories, merges (no request is made).
   *
   * @example
   * ```ts
   * const { dag, alias } = await client.repo(uuid).info();
   * await client.repo(uuid).update({ description: 'after review' });
   * ```
   */
  repo(ref: VersionRef): Repo;
  /**
   * A handle on one version: note, log, commit status, commit/branch/newVersion/tag (no
   * request is made).
   *
   * @example
   * ```ts
   * const v = client.version(`${root}:master`);
   * await v.setNote('pass 2');
   * ```
   */
  version(ref: VersionRef): Version;
  /**
   * The full UUID a reference names (unique prefix, `prefix:branch`, `prefix:branch~N`, tag).
   *
   * @throws {@link VersionReferenceError} when the reference is unknown, ambiguous (with the
   *   candidates), names no branch, or is out of range.
   * @example
   * ```ts
   * const uuid = await client.resolveVersion('a1b2:review~1');
   * ```
   */
  resolveVersion(ref: VersionRef, options?: CallOptions): Promise<string>;
  /**
   * Commits (locks) a version; returns its full UUID. Later writes of versioned data there
   * fail with a `DvidHttpError` whose `locked` is true.
   *
   * @example
   * ```ts
   * await client.commit(uuid, { note: 'imported', log: ['source: /data/x'] });
   * ```
   */
  commit(ref: VersionRef, options?: CommitOptions): Promise<string>;
  /**
   * A new child of a committed version on the same branch; returns its UUID.
   *
   * @example
   * ```ts
   * const next = await client.newVersion(uuid);
   * ```
   */
  newVersion(parent: VersionRef, options?: NewVersionOptions): Promise<string>;
  /**
   * A new child of a committed version on a new named branch; returns its UUID.
   *
   * @example
   * ```ts
   * const review = await client.branch(uuid, 'review');
   * ```
   */
  branch(parent: VersionRef, name: string, options?: NewVersionOptions): Promise<string>;
  /**
   * Tags a committed version (a committed child whose UUID is the tag); returns the tag.
   *
   * @example
   * ```ts
   * await client.tag(uuid, 'release-1'); await client.voxels('release-1', 'grayscale');
   * ```
   */
  tag(ref: VersionRef, tag: string, options?: TagOptions): Promise<string>;
  /**
   * Conflict-free merge of committed versions (priority = order); returns the open child.
   *
   * @example
   * ```ts
   * const merged = await client.merge([main, review], { note: 'merged' });
   * ```
   */
  merge(parents: readonly VersionRef[], options?: MergeOptions): Promise<string>;
  /**
   * Merge that first deletes, for the named instances, what lower-priority parents would
   * contribute against higher-priority ones (DVID's `/resolve`); returns the child.
   *
   * @example
   * ```ts
   * const merged = await client.resolveMerge([main, review], ['grayscale']);
   * ```
   */
  resolveMerge(parents: readonly VersionRef[], data: readonly string[], options?: MergeOptions): Promise<string>;
  /**
   * A branch's history from its leaf back to the root (`branch-versions`).
   *
   * @example
   * ```ts
   * const [leaf] = await client.branchVersions(uuid, 'master');
   * ```
   */
  branchVersions(ref: VersionRef, branch: string, options?: CallOptions): Promise<string[]>;
  /**
   * True when the version is committed (`/status`).
   *
   * @example
   * ```ts
   * if (await client.isLocked(uuid)) uuid = await client.newVersion(uuid);
   * ```
   */
  isLocked(ref: VersionRef, options?: CallOptions): Promise<boolean>;}

/**
 * The implementations of {@link VersionMethods}, installed on `DvidClient.prototype` by
 * `src/client.ts`.
 *
 * @example
 * ```ts
 * Object.assign(DvidClient.prototype, versionMethods);
 * ```
 */
export const versionMethods: VersionMethods & ThisType<{ readonly transport: Transport }> = {
  repo(ref: VersionRef): Repo {
    return new Repo(this.transport, ref);
  },
  version(ref: VersionRef): Version {
    return new Version(this.transport, ref);
  },
  resolveVersion(ref: VersionRef, options?: CallOptions): Promise<string> {
    return resolveVersion(this.transport, ref, options);
  },
  commit(ref: VersionRef, options?: CommitOptions): Promise<string> {
    return commitVersion(this.transport, ref, options);
  },
  newVersion(parent: VersionRef, options?: NewVersionOptions): Promise<string> {
    return createVersion(this.transport, parent, options);
  },
  branch(parent: VersionRef, name: string, options?: NewVersionOptions): Promise<string> {
    return branchVersion(this.transport, parent, name, options);
  },
  tag(ref: VersionRef, name: string, options?: TagOptions): Promise<string> {
    return tagVersion(this.transport, ref, name, options);
  },
  merge(parents: readonly VersionRef[], options?: MergeOptions): Promise<string> {
    return mergeVersions(this.transport, parents, options);
  },
  resolveMerge(
    parents: readonly VersionRef[],
    data: readonly string[],
    options?: MergeOptions,
  ): Promise<string> {
    return resolveMerge(this.transport, parents, data, options);
  },
  branchVersions(ref: VersionRef, branch: string, options?: CallOptions): Promise<string[]> {
    return getBranchVersions(this.transport, ref, branch, options);
  },
  isLocked(ref: VersionRef, options?: CallOptions): Promise<boolean> {
    return isVersionLocked(this.transport, ref, options);
  },
};
