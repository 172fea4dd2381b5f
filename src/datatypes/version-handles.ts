/**
 * Handles on repos and versions: {@link Version} (note, log, commit status and the versioning
 * verbs that start from it) and {@link Repo} (typed info and DAG, alias/description, repo log,
 * branch histories, merges). Each method is a call of `./versions.ts`, where the DVID
 * behaviour is documented.
 *
 * @example
 * ```ts
 * const v = client.version('a1b2:master');
 * const { dag } = await client.repo(v.ref).info();
 * ```
 * @module
 */
import type { Transport } from '../transport/transport.js';
import { segment } from './paths.js';
import type { CallOptions } from './repo.js';
import {
  appendNodeLog,
  appendRepoLog,
  branchVersion,
  commitVersion,
  createVersion,
  fetchRepoDetails,
  getBranchVersions,
  getNodeLog,
  getNodeNote,
  getRepoLog,
  isVersionLocked,
  mergeVersions,
  resolveMerge,
  resolveVersion,
  setNodeNote,
  tagVersion,
  updateRepoInfo,
  type CommitOptions,
  type MergeOptions,
  type NewVersionOptions,
  type TagOptions,
  type UpdateRepoOptions,
  type VersionRef,
} from './versions.js';
import type { RepoDetails } from './versions-dag.js';

/**
 * A handle on one version: its note, log, commit status and the versioning verbs that start
 * from it. Made by `client.version(ref)`; holds no state beyond the reference.
 *
 * @example
 * ```ts
 * const v = client.version('a1b2:master');
 * if (!(await v.isLocked())) await v.commit({ note: 'pass 1 done' });
 * const child = await v.newVersion();
 * ```
 */
export class Version {
  constructor(
    readonly transport: Transport,
    /** The reference this handle was made with (any form DVID accepts). */
    readonly ref: VersionRef,
  ) {
    segment('uuid', ref);
  }

  /**
   * The full UUID this reference names now (see {@link resolveVersion}).
   * @example
   * ```ts
   * await client.version('a1b2').resolve()
   * ```
   */
  resolve(options?: CallOptions): Promise<string> {
    return resolveVersion(this.transport, this.ref, options);
  }

  /**
   * True once committed.
   * @example
   * ```ts
   * await v.isLocked()
   * ```
   */
  isLocked(options?: CallOptions): Promise<boolean> {
    return isVersionLocked(this.transport, this.ref, options);
  }

  /**
   * The node's note.
   * @example
   * ```ts
   * await v.note()
   * ```
   */
  note(options?: CallOptions): Promise<string> {
    return getNodeNote(this.transport, this.ref, options);
  }

  /**
   * Replaces the note (open versions only).
   * @example
   * ```ts
   * await v.setNote('proofreading round 2');
   * ```
   */
  setNote(note: string, options?: CallOptions): Promise<void> {
    return setNodeNote(this.transport, this.ref, note, options);
  }

  /**
   * The node's log lines.
   * @example
   * ```ts
   * await v.log()
   * ```
   */
  log(options?: CallOptions): Promise<string[]> {
    return getNodeLog(this.transport, this.ref, options);
  }

  /**
   * Appends log lines (open versions only).
   * @example
   * ```ts
   * await v.appendLog(['merged 12 into 13']);
   * ```
   */
  appendLog(lines: readonly string[], options?: CallOptions): Promise<void> {
    return appendNodeLog(this.transport, this.ref, lines, options);
  }

  /**
   * Commits this version; returns its full UUID.
   * @example
   * ```ts
   * await v.commit({ note: 'done' });
   * ```
   */
  commit(options?: CommitOptions): Promise<string> {
    return commitVersion(this.transport, this.ref, options);
  }

  /**
   * A child on the same branch; returns its UUID.
   * @example
   * ```ts
   * const next = await v.newVersion();
   * ```
   */
  newVersion(options?: NewVersionOptions): Promise<string> {
    return createVersion(this.transport, this.ref, options);
  }

  /**
   * A child on a new named branch; returns its UUID.
   * @example
   * ```ts
   * const review = await v.branch('review');
   * ```
   */
  branch(name: string, options?: NewVersionOptions): Promise<string> {
    return branchVersion(this.transport, this.ref, name, options);
  }

  /**
   * A committed child named by `tag`; returns the tag.
   * @example
   * ```ts
   * await v.tag('release-1');
   * ```
   */
  tag(tag: string, options?: TagOptions): Promise<string> {
    return tagVersion(this.transport, this.ref, tag, options);
  }
}

/**
 * A handle on the repo holding a version: typed info and DAG, alias and description, the repo
 * log, branch histories, merges. Made by `client.repo(ref)`.
 *
 * @example
 * ```ts
 * const repo = client.repo(uuid);
 * const { dag } = await repo.info();
 * await repo.update({ description: 'after review' });
 * ```
 */
export class Repo {
  constructor(
    readonly transport: Transport,
    /** Any version of the repo (any reference form). */
    readonly ref: VersionRef,
  ) {
    segment('uuid', ref);
  }

  /**
   * Repo info and DAG as typed objects.
   * @example
   * ```ts
   * const { alias, dag, instances } = await repo.info();
   * ```
   */
  info(options?: CallOptions): Promise<RepoDetails> {
    return fetchRepoDetails(this.transport, this.ref, options);
  }

  /**
   * Sets the alias and/or description.
   * @example
   * ```ts
   * await repo.update({ alias: 'fib25' });
   * ```
   */
  update(options: UpdateRepoOptions): Promise<void> {
    return updateRepoInfo(this.transport, this.ref, options);
  }

  /**
   * The repo log.
   * @example
   * ```ts
   * await repo.log()
   * ```
   */
  log(options?: CallOptions): Promise<string[]> {
    return getRepoLog(this.transport, this.ref, options);
  }

  /**
   * Appends lines to the repo log (allowed whatever the versions' status).
   * @example
   * ```ts
   * await repo.appendLog(['reviewed by Bob']);
   * ```
   */
  appendLog(lines: readonly string[], options?: CallOptions): Promise<void> {
    return appendRepoLog(this.transport, this.ref, lines, options);
  }

  /**
   * A branch's history, leaf first.
   * @example
   * ```ts
   * await repo.branchVersions('master')
   * ```
   */
  branchVersions(branch: string, options?: CallOptions): Promise<string[]> {
    return getBranchVersions(this.transport, this.ref, branch, options);
  }

  /**
   * Conflict-free merge of committed versions; returns the child.
   * @example
   * ```ts
   * await repo.merge([a, b])
   * ```
   */
  merge(parents: readonly VersionRef[], options?: MergeOptions): Promise<string> {
    return mergeVersions(this.transport, parents, options);
  }

  /**
   * Merge that first deletes lower-priority parents' conflicting keys in `data`; returns the child.
   * @example
   * ```ts
   * await repo.resolveMerge([a, b], ['grayscale'])
   * ```
   */
  resolveMerge(parents: readonly VersionRef[], data: readonly string[], options?: MergeOptions): Promise<string> {
    return resolveMerge(this.transport, parents, data, options);
  }

  /**
   * A handle on one version of this repo.
   * @example
   * ```ts
   * repo.version(`${root.slice(0, 8)}:review`)
   * ```
   */
  version(ref: VersionRef): Version {
    return new Version(this.transport, ref);
  }
}
