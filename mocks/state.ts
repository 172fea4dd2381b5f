/**
 * The in-memory DVID: repos with their version DAG, data instances, UUID prefix and branch
 * resolution, mutation IDs, and the server-wide settings (throttle slots, simulated busy
 * responses). Handlers read and change it; tests may inspect it or seed it directly.
 *
 * Methods throw an Error carrying DVID's message when DVID would refuse; the router turns it
 * into DVID's 400 `"<message> (<path>).\n"`.
 *
 * ## Versioning primitives (DVID v1.0.0 `datastore/repo_local.go`)
 *
 * - Nodes ({@link MockNode}): `uuid`, `versionId` (server-wide counter), `locked`, `branch`
 *   (`''` is master), `note`, `log`, `parents`/`children` (VersionIDs, as DVID reports them)
 *   and `parentNodes` (the parent nodes, for walking the DAG; see mocks/versioned.ts).
 *   `repo.nodes` is keyed by UUID, `repo.byVersion` by VersionID.
 * - {@link MockDvidState.commit}: locks a node (note replaced when given, log lines appended
 *   with an RFC3339 stamp). Committed nodes refuse data writes to versioned instances
 *   (`checkWritable` in mocks/versioned.ts) and node-level POSTs.
 * - {@link MockDvidState.newVersion}: a child of a **committed** node, on the parent's branch
 *   (`newversion`) or on a new, DAG-unique branch name (`branch`); optional assigned UUID.
 *   Updates the branch head used by `uuid:branch`.
 * - {@link MockDvidState.tag}: a committed child whose UUID is the tag string, on branch
 *   `tag-<tag>`, with note `Tag of version <uuid> with "<tag>"`.
 * - {@link MockDvidState.merge}: conflict-free merge of committed parents (priority = order)
 *   into an open master-branch child. As in DVID the child is added to the DAG before the
 *   parents are checked, and branch heads are not moved.
 * - {@link MockDvidState.resolveMerge}: DVID's `/resolve`: deletes, in a committed
 *   `conflict-<uuid>` child of each lower-priority parent, the keys that parent would
 *   contribute against a higher-priority one, then merges.
 * - {@link MockDvidState.resolveUuid}: full UUIDs, unique prefixes (across all repos),
 *   `prefix:branch`, `prefix:branch~N`, `:branch` (one repo only); tags are UUIDs.
 * - {@link MockDvidState.branchAncestry}: `branch-versions`, leaf first.
 * - Data: instances of a type registered with `registerDataType` (mocks/versioned.ts) are
 *   created through it; unversioned instances (`Versioned: false`) read and write at the root.
 *
 * @example
 * ```ts
 * const state = new MockDvidState();
 * const root = state.createRepo({ alias: 'test' }).root;
 * state.createInstance(root, { typename: 'uint8blk', dataname: 'gray', BlockSize: '64,64,64' });
 * state.resolveUuid(root.slice(0, 6)).uuid === root // true
 * state.commit(root);
 * const child = state.newVersion(root, { branch: 'proofreading' }).uuid;
 * state.resolveUuid(`${root.slice(0, 6)}:proofreading`).uuid === child // true
 * ```
 * @module
 */
import { DvidConfig } from './config.js';
import { goAtoi, goQuote, goRfc3339 } from './goformat.js';
import { GoPanic, notEmulated } from './http.js';
import { createImageInstance, type ImageInstance } from './imageblk.js';
import { createBaseInstance, newUuid, type BaseInstance } from './instance.js';
import { COMPILED_TYPES, VOXEL_TYPES } from './types.js';
import { DATA_TYPE_MODULES } from './datatypes/index.js';
import { getDataType, storesOf, type VersionedStore } from './versioned.js';

/**
 * One version node of a repo's DAG.
 *
 * @example
 * ```ts
 * state.resolveUuid(uuid).node.locked // true once committed
 * ```
 */
export interface MockNode {
  uuid: string;
  versionId: number;
  /** Branch name; `''` is master. */
  branch: string;
  note: string;
  log: string[];
  locked: boolean;
  /** Parent VersionIDs in priority order (what DVID reports). */
  parents: number[];
  /** Child VersionIDs in creation order. */
  children: number[];
  /** The parent nodes, same order as `parents` (for walking the DAG). */
  parentNodes: MockNode[];
  created: Date;
  updated: Date;
}

/**
 * A data instance of a type registered with `registerDataType` (mocks/versioned.ts).
 *
 * @example
 * ```ts
 * const kv = state.getInstance(uuid, 'kv') as TypedInstance;
 * ```
 */
export interface TypedInstance extends BaseInstance {
  /** The data type's own tag, e.g. `'keyvalue'`. */
  kind: string;
}

/**
 * A data instance held by the mock: an image-block instance or one of a registered type.
 *
 * @example
 * ```ts
 * const instance: MockInstance = state.getInstance(uuid, 'grayscale');
 * if (isImageInstance(instance)) instance.store?.size;
 * ```
 */
export type MockInstance = ImageInstance | TypedInstance;

/**
 * True for image-block instances (uint8blk, ..., rgba8blk).
 *
 * @example
 * ```ts
 * isImageInstance(state.getInstance(uuid, 'grayscale')) // true
 * ```
 */
export function isImageInstance(instance: MockInstance): instance is ImageInstance {
  return instance.kind === 'imageblk' && 'voxelType' in instance;
}

/**
 * A repo: its root, metadata, DAG and instances.
 *
 * @example
 * ```ts
 * state.repos.get(root)?.instances.size
 * ```
 */
export interface MockRepo {
  root: string;
  alias: string;
  description: string;
  log: string[];
  /** Nodes by UUID, in creation order. */
  nodes: Map<string, MockNode>;
  /** Nodes by VersionID. */
  byVersion: Map<number, MockNode>;
  /** DVID's branch-head map (`branchToUUID`): branch name (`master` for the default) → UUID. */
  branchHeads: Map<string, string>;
  instances: Map<string, MockInstance>;
  mutationId: number;
  savedMutationId: number;
  created: Date;
  updated: Date;
}

/**
 * Options of {@link MockDvidState.createRepo}, as `POST /api/repos` takes them.
 *
 * @example
 * ```ts
 * state.createRepo({ alias: 'test', description: 'fixture', root: 'abc123' })
 * ```
 */
export interface CreateRepoOptions {
  alias?: string;
  description?: string;
  /** A root UUID to use instead of a random one (DVID does not check its form). */
  root?: string;
}

/**
 * Options of {@link MockDvidState.newVersion} (`POST /api/node/{uuid}/branch|newversion`).
 *
 * @example
 * ```ts
 * state.newVersion(parent, { branch: 'review', note: 'for review' })
 * ```
 */
export interface NewVersionOptions {
  note?: string;
  /** Branch of the child; empty or the parent's branch continues the parent's branch. */
  branch?: string;
  /** UUID to give the child instead of a random one. */
  uuid?: string;
}

/**
 * A resolved UUID reference.
 *
 * @example
 * ```ts
 * const { uuid, repo, node } = state.resolveUuid('abc1:master');
 * ```
 */
export interface ResolvedUuid {
  uuid: string;
  repo: MockRepo;
  node: MockNode;
}

/** First mutation ID DVID gives a new repo, and the first saved checkpoint. */
const FIRST_MUTATION_ID = 1_000_000_000;
const MUTATION_SAVE_INTERVAL = 100;

/** DVID's `ErrBranchUnlockedNode`. */
const UNLOCKED_NODE = "can't branch an unlocked node";
/** DVID's `ErrBranchUnique`. */
const BRANCH_EXISTS = 'branch already exists with given name';

/**
 * The whole in-memory server.
 *
 * @example
 * ```ts
 * const state = new MockDvidState();
 * state.createRepo({ alias: 'a' });
 * ```
 */
export class MockDvidState {
  /** Repos by root UUID. */
  readonly repos = new Map<string, MockRepo>();
  /** Every version UUID → its repo and node. */
  private readonly versions = new Map<string, { repo: MockRepo; node: MockNode }>();
  private nextVersionId = 1;
  private nextInstanceId = 1;
  private readonly localIds = new WeakMap<object, number>();
  /** Maximum concurrent `throttle=on` operations (`POST /api/server/settings {"throttle":"N"}`). */
  maxThrottledOps = 1;
  /** `throttle=on` operations running now. */
  currentThrottledOps = 0;
  /** Go GC target percentage, as `POST /api/server/settings {"gc":"N"}` reports it. */
  gcPercent = 100;
  /** Voxel requests still to answer 503 (see `MockDvid.setBusy`). */
  busyRemaining = 0;
  /** When the server "started", for uptime. */
  startedAt = Date.now();
  /** `/api/user-latencies` entries, recorded for `u=` on the silent routes (heartbeat, load). */
  readonly userLatencies = new Map<string, Record<string, unknown>>();

  /** Empties the server: no repos, default settings. */
  reset(): void {
    this.repos.clear();
    this.versions.clear();
    this.nextVersionId = 1;
    this.nextInstanceId = 1;
    this.maxThrottledOps = 1;
    this.currentThrottledOps = 0;
    this.gcPercent = 100;
    this.busyRemaining = 0;
    this.startedAt = Date.now();
    this.userLatencies.clear();
  }

  /** A new node (not yet linked), with the next VersionID. */
  private newNode(uuid: string): MockNode {
    const now = new Date();
    return {
      uuid,
      versionId: this.nextVersionId++,
      branch: '',
      note: '',
      log: [],
      locked: false,
      parents: [],
      children: [],
      parentNodes: [],
      created: now,
      updated: now,
    };
  }

  private addNode(repo: MockRepo, node: MockNode): void {
    repo.nodes.set(node.uuid, node);
    repo.byVersion.set(node.versionId, node);
    this.versions.set(node.uuid, { repo, node });
  }

  /** Links a child under a parent (`node.children = append(...)`, `child.parents = append(...)`). */
  private link(parent: MockNode, child: MockNode): void {
    child.parents.push(parent.versionId);
    child.parentNodes.push(parent);
    parent.children.push(child.versionId);
    parent.updated = new Date();
  }

  /** A UUID the caller asked for; refuses one already in use (DVID would corrupt its maps). */
  private assignUuid(assign: string | undefined, path = ''): string {
    if (assign === undefined) return newUuid();
    if (assign === '') throw notEmulated(path, 'an empty assigned UUID or tag');
    if (this.versions.has(assign)) {
      throw notEmulated(path, `assigning UUID ${goQuote(assign)}, which is already in use (DVID v1.0.0 silently corrupts its version maps)`);
    }
    return assign;
  }

  /**
   * Creates a repo with a root node, like `POST /api/repos`.
   *
   * @example
   * ```ts
   * state.createRepo({ alias: 'a', description: 'b' }).root // 32 hex digits
   * ```
   */
  createRepo(options: CreateRepoOptions = {}): MockRepo {
    const root = options.root ?? newUuid();
    if (this.versions.has(root)) throw new Error('UUID already exists in datastore');
    const node = this.newNode(root);
    const repo: MockRepo = {
      root,
      alias: options.alias ?? '',
      description: options.description ?? '',
      log: [],
      nodes: new Map(),
      byVersion: new Map(),
      branchHeads: new Map([['master', root]]),
      instances: new Map(),
      mutationId: FIRST_MUTATION_ID,
      savedMutationId: FIRST_MUTATION_ID + MUTATION_SAVE_INTERVAL,
      created: node.created,
      updated: node.created,
    };
    this.repos.set(root, repo);
    this.addNode(repo, node);
    return repo;
  }

  /**
   * Resolves a UUID reference as DVID does: a unique prefix of any version UUID (tags
   * included), optionally followed by `:branch` or `:branch~N`; `:branch` alone works when
   * there is one repo.
   *
   * @example
   * ```ts
   * state.resolveUuid('65f8') // throws 'more than one UUID matches 65f8' when ambiguous
   * ```
   */
  resolveUuid(reference: string): ResolvedUuid {
    const parts = reference.split(':');
    if (parts.length > 2) throw new Error(`bad UUID specification ${goQuote(reference)}`);
    if (parts.length === 2 && parts[0] === '') return this.resolveBranch(undefined, parts[1]);
    const prefix = parts[0];
    const matches = [...this.versions.keys()].filter((uuid) => uuid.startsWith(prefix));
    if (matches.length > 1) throw new Error(`more than one UUID matches ${prefix}`);
    if (matches.length === 0) throw new Error(`could not find UUID with partial match to ${prefix}`);
    const { repo, node } = this.versions.get(matches[0])!;
    if (parts.length === 2 && parts[1] !== '') return this.resolveBranch(repo, parts[1], node.uuid);
    return { uuid: node.uuid, repo, node };
  }

  /** `getBranchVersion`: the head of a branch, or the N-th entry of its ancestry with `branch~N`. */
  private resolveBranch(repo: MockRepo | undefined, spec: string, matched = ''): ResolvedUuid {
    if (!repo) {
      if (this.repos.size > 1) throw new Error('UUID must be specified if more than one repo exists');
      repo = this.repos.values().next().value;
      if (!repo) throw new GoPanic('runtime error: invalid memory address or nil pointer dereference');
    }
    const tilde = spec.split('~');
    let uuid: string;
    if (tilde.length === 2) {
      const ancestry = this.branchAncestry(repo, tilde[0]);
      let parent: number;
      try {
        parent = goAtoi(tilde[1]);
      } catch {
        throw new Error(`can't parse parent ${goQuote(tilde[1])} in branch ${goQuote(tilde[0])}`);
      }
      if (parent >= ancestry.length) throw new Error(`parent ${parent} is out of range for branch ${goQuote(tilde[0])}`);
      if (parent < 0) throw new GoPanic(`runtime error: index out of range [${parent}]`);
      uuid = ancestry[parent];
    } else {
      const name = spec || 'master';
      const head = repo.branchHeads.get(name);
      if (head === undefined) throw new Error(`branch ${goQuote(name)} not found in repo ${goQuote(matched)}`);
      uuid = head;
    }
    return { uuid, repo, node: repo.nodes.get(uuid)! };
  }

  /**
   * DVID's `getAncestryByBranch` (`GET .../branch-versions/{name}`): from the branch's leaf
   * back to the root, leaf first; `master` is the unnamed default branch. At a merge node the
   * other parents are listed and the **last** parent is followed, as DVID does. Empty for an
   * unknown branch. DVID starts the walk down to the leaf at a node of the branch picked in
   * random map order (so with several master leaves, e.g. after merges, its answer varies);
   * the mock starts at the branch's oldest node.
   *
   * @example
   * ```ts
   * state.branchAncestry(repo, 'master') // [repo.root] for a new repo
   * ```
   */
  branchAncestry(repo: MockRepo, branch: string): string[] {
    let leaf: MockNode | undefined;
    for (const node of repo.nodes.values()) {
      if (node.branch === branch || (branch === 'master' && node.branch === '')) {
        leaf = node;
        break;
      }
    }
    if (!leaf) return [];
    const name = leaf.branch;
    for (;;) {
      let next: MockNode | undefined;
      for (const childV of leaf.children) {
        const child = repo.byVersion.get(childV)!;
        if (child.branch !== name) continue;
        if (next) throw new Error(`branch ${goQuote(name)} has more than 1 child: ${child.uuid} and ${next.uuid}`);
        next = child;
      }
      if (!next) break;
      leaf = next;
    }
    const ancestry: string[] = [];
    for (let cur: MockNode | undefined = leaf; cur; ) {
      ancestry.push(cur.uuid);
      const parents: MockNode[] = cur.parentNodes;
      if (parents.length === 0) break;
      for (const parent of parents.slice(0, -1)) ancestry.push(parent.uuid);
      cur = parents[parents.length - 1];
    }
    return ancestry;
  }

  /**
   * Commits (locks) a node, as `POST /api/node/{uuid}/commit` does: a non-empty note replaces
   * the node's note, log lines are appended with a timestamp.
   *
   * @example
   * ```ts
   * state.commit(root, { note: 'first pass', log: ['imported'] });
   * ```
   */
  commit(uuid: string, options: { note?: string; log?: string[] } = {}): MockNode {
    const { repo, node } = this.exact(uuid);
    if (node.locked) throw new Error(`node ${uuid} already committed`);
    node.locked = true;
    if (options.note) node.note = options.note;
    if (options.log && options.log.length > 0) appendLog(node, options.log);
    const now = new Date();
    repo.updated = now;
    node.updated = now;
    return node;
  }

  /**
   * Adds a child version to a committed node (`newVersion`): on the parent's branch when
   * `branch` is empty or the parent's own, else on a new branch whose name no node of the DAG
   * uses yet. Moves the branch head.
   *
   * @example
   * ```ts
   * state.newVersion(root).uuid;                         // newversion
   * state.newVersion(root, { branch: 'review' }).uuid;  // branch
   * ```
   */
  newVersion(parentUuid: string, options: NewVersionOptions = {}, path = ''): MockNode {
    const { repo, node: parent } = this.exact(parentUuid);
    if (!parent.locked) throw new Error(UNLOCKED_NODE);
    let branch = options.branch ?? '';
    if (branch === '' || branch === parent.branch) {
      branch = parent.branch;
      for (const sister of parent.children) {
        if (repo.byVersion.get(sister)?.branch === branch) throw new Error(BRANCH_EXISTS);
      }
    } else {
      for (const other of repo.nodes.values()) if (other.branch === branch) throw new Error(BRANCH_EXISTS);
    }
    const child = this.newNode(this.assignUuid(options.uuid, path));
    child.note = options.note ?? '';
    child.branch = branch;
    repo.branchHeads.set(branch === '' ? 'master' : branch, child.uuid);
    this.link(parent, child);
    this.addNode(repo, child);
    repo.updated = new Date();
    return child;
  }

  /**
   * `POST /api/node/{uuid}/tag`: a child named by the tag on branch `tag-<tag>`, then
   * committed with the note `Tag of version <uuid> with "<tag>"`.
   *
   * @example
   * ```ts
   * state.tag(root, 'v1.0').uuid // 'v1.0'
   * ```
   */
  tag(parentUuid: string, tag: string, note = '', path = ''): MockNode {
    const parent = this.exact(parentUuid).node;
    const child = this.newVersion(parentUuid, { note, branch: `tag-${tag}`, uuid: tag }, path);
    return this.commit(child.uuid, { note: `Tag of version ${parent.uuid} with ${goQuote(tag)}` });
  }

  /**
   * DVID's conflict-free `merge`: an open child on master whose parents are `parents` in
   * priority order. As in DVID v1.0.0 the child joins the DAG before the parents are checked,
   * so a refused merge (an open parent) leaves a partly linked child behind.
   *
   * @example
   * ```ts
   * state.merge([a, b], 'merge review').parents // [versionId of a, versionId of b]
   * ```
   */
  merge(parents: string[], note = ''): MockNode {
    if (parents.length < 2) throw new Error('UUID is not present in datastore');
    const first = this.versions.get(parents[0]);
    if (!first) throw new Error('UUID is not present in datastore');
    const repo = first.repo;
    const child = this.newNode(newUuid());
    child.note = note;
    this.addNode(repo, child);
    for (const uuid of parents) {
      const entry = this.versions.get(uuid);
      if (!entry) throw new Error('UUID is not present in datastore');
      const parent = repo.byVersion.get(entry.node.versionId);
      if (!parent || parent !== entry.node) throw new Error('server-specific version id is invalid');
      if (!parent.locked) throw new Error(UNLOCKED_NODE);
      this.link(parent, child);
    }
    repo.updated = new Date();
    return child;
  }

  /**
   * DVID's `POST /api/repo/{uuid}/resolve`: for each named instance, every key whose value a
   * lower-priority parent would contribute against a higher-priority one is deleted in a new
   * committed child of that parent on branch `conflict-<parent uuid>`; then the (possibly
   * replaced) parents are merged. `uuid` names the repo the instances are looked up in.
   *
   * @example
   * ```ts
   * state.resolveMerge(root, ['gray'], [a, b], 'a wins').uuid
   * ```
   */
  resolveMerge(uuid: string, data: string[], parents: string[], note = ''): MockNode {
    const { repo } = this.exact(uuid);
    const oldParents = parents.map((p) => this.exact(p).node);
    const newParents: (string | undefined)[] = parents.map(() => undefined);
    for (const name of data) {
      const instance = repo.instances.get(name);
      if (!instance) throw new Error('invalid data instance name');
      // DVID's extension nodes: after the first instance, a parent that needed no deletion
      // keeps its own UUID as its "extension", so later deletions land in the parent itself.
      const targets = oldParents.map((old, i) => (newParents[i] === undefined ? undefined : this.exact(newParents[i]!).node));
      const deletions = new Map<number, { store: VersionedStore<unknown>; keys: string[] }[]>();
      for (const store of storesOf(instance)) {
        for (const [index, keys] of store.findConflicts(oldParents)) {
          const list = deletions.get(index) ?? [];
          list.push({ store, keys });
          deletions.set(index, list);
        }
      }
      for (const [index, list] of deletions) {
        let target = targets[index];
        if (!target) {
          const old = oldParents[index];
          try {
            target = this.newVersion(old.uuid, { note: 'Version for deleting conflicts before merge', branch: `conflict-${old.uuid}` });
          } catch {
            continue; // DVID logs "Unable to delete conflict" and goes on
          }
          targets[index] = target;
        }
        for (const { store, keys } of list) for (const key of keys) store.delete(target, key);
      }
      oldParents.forEach((old, i) => {
        newParents[i] = (targets[i] ?? old).uuid;
      });
    }
    oldParents.forEach((old, i) => {
      const replaced = newParents[i];
      if (replaced !== undefined && replaced !== old.uuid) this.commit(replaced, { note: 'Version for deleting conflicts before merge' });
    });
    return this.merge(newParents.map((p, i) => p ?? oldParents[i].uuid), note);
  }

  /** The node with exactly this UUID (after resolution), or DVID's error. */
  private exact(uuid: string): { repo: MockRepo; node: MockNode } {
    const entry = this.versions.get(uuid);
    if (!entry) throw new Error('UUID is not present in datastore');
    return entry;
  }

  /**
   * Creates a data instance from a creation config (the JSON body of
   * `POST /api/repo/{uuid}/instance`, values as DVID expects them: strings). Checks run in
   * DVID's order and throw DVID's messages. Types other than the image-block ones are created
   * through their `registerDataType` registration; unregistered ones throw
   * {@link NotEmulatedTypeError}.
   *
   * @example
   * ```ts
   * state.createInstance(root, { typename: 'uint16blk', dataname: 'em', BlockSize: '32,32,32' })
   * ```
   */
  createInstance(uuid: string, config: DvidConfig | Record<string, unknown>): MockInstance {
    const cfg = config instanceof DvidConfig ? config : new DvidConfig(config);
    const { repo } = this.resolveUuid(uuid);
    const typename = cfg.getString('typename');
    if (!typename.found || typename.error) throw new Error("POST on repo endpoint requires specification of valid 'typename'");
    const dataname = cfg.getString('dataname');
    if (!dataname.found || dataname.error) throw new Error("POST on repo endpoint requires specification of valid 'dataname'");
    const type = COMPILED_TYPES[typename.value!];
    if (!type) throw new Error(`Data type ${goQuote(typename.value!)} is not supported by current DVID server`);
    const name = dataname.value!;
    if (repo.instances.has(name)) throw new Error(`Data named ${goQuote(name)} already exists in repo (root ${repo.root})`);
    const base = createBaseInstance(type, name, cfg, repo.root);
    const voxelType = VOXEL_TYPES[type.name];
    // Reading DATA_TYPE_MODULES keeps the data type modules (and their registrations) in bundles.
    const registered = DATA_TYPE_MODULES.length > 0 ? getDataType(type.name) : undefined;
    let instance: MockInstance;
    if (voxelType) instance = createImageInstance(base, voxelType, cfg);
    else if (registered) instance = registered.create(base, cfg, repo) as TypedInstance;
    else throw new NotEmulatedTypeError(type.name);
    repo.instances.set(name, instance);
    this.localIds.set(instance, this.nextInstanceId++);
    const now = new Date();
    repo.updated = now;
    repo.log.push(`${goRfc3339(now)}  New data instance ${goQuote(name)} of type ${goQuote(type.name)} with config ${cfg.toGoString()}`);
    return instance;
  }

  /**
   * The instance `name` in the repo holding `uuid`, or DVID's error.
   *
   * @example
   * ```ts
   * state.getInstance(root, 'nope') // throws 'invalid data instance name'
   * ```
   */
  getInstance(uuid: string, name: string): MockInstance {
    const { repo } = this.resolveUuid(uuid);
    const instance = repo.instances.get(name);
    if (!instance) throw new Error('invalid data instance name');
    return instance;
  }

  /**
   * DVID's server-local instance ID (`local id` in its messages and keys): 1, 2, ... in
   * creation order across the server.
   *
   * @example
   * ```ts
   * state.localInstanceId(state.getInstance(root, 'gray')) // 1 for the server's first instance
   * ```
   */
  localInstanceId(instance: MockInstance): number {
    return this.localIds.get(instance) ?? 0;
  }

  /** Counts a mutation in the repo holding the instance, as each accepted write does. */
  nextMutationId(repo: MockRepo): number {
    repo.mutationId += 1;
    return repo.mutationId;
  }
}

/**
 * Appends log lines with DVID's `"<RFC3339>  <line>"` stamp and updates the owner's time.
 *
 * @example
 * ```ts
 * appendLog(node, ['imported']); node.log // ['2026-01-01T00:00:00Z  imported']
 * ```
 */
export function appendLog(target: { log: string[]; updated: Date }, lines: readonly string[]): void {
  const now = new Date();
  const stamp = goRfc3339(now);
  for (const line of lines) target.log.push(`${stamp}  ${line}`);
  target.updated = now;
}

/**
 * A datatype DVID has but the mock does not emulate; answered with 501 by the handlers.
 *
 * @example
 * ```ts
 * state.createInstance(root, { typename: 'labelsz', dataname: 'sz' }) // throws NotEmulatedTypeError until registered
 * ```
 */
export class NotEmulatedTypeError extends Error {
  constructor(readonly typename: string) {
    super(`datatype ${goQuote(typename)}`);
    this.name = 'NotEmulatedTypeError';
  }
}
