/**
 * The in-memory DVID: repos with their version DAG (one root node each), data instances,
 * UUID prefix and branch resolution, mutation IDs, and the server-wide settings (throttle
 * slots, simulated busy responses). Handlers read and change it; tests may inspect it or seed
 * it directly.
 *
 * Methods throw an Error carrying DVID's message when DVID would refuse; the router turns it
 * into DVID's 400 `"<message> (<path>).\n"`.
 *
 * @example
 * ```ts
 * const state = new MockDvidState();
 * const root = state.createRepo({ alias: 'test' }).root;
 * state.createInstance(root, { typename: 'uint8blk', dataname: 'gray', BlockSize: '64,64,64' });
 * state.resolveUuid(root.slice(0, 6)).uuid === root // true
 * ```
 * @module
 */
import { DvidConfig } from './config.js';
import { goAtoi, goQuote, goRfc3339 } from './goformat.js';
import { GoPanic } from './http.js';
import { createImageInstance, type ImageInstance } from './imageblk.js';
import { createBaseInstance, newUuid } from './instance.js';
import { COMPILED_TYPES, VOXEL_TYPES } from './types.js';

/**
 * One version node of a repo's DAG.
 *
 * @example
 * ```ts
 * state.resolveUuid(uuid).node.locked // false: the mock never commits
 * ```
 */
export interface MockNode {
  uuid: string;
  versionId: number;
  branch: string;
  note: string;
  log: string[];
  locked: boolean;
  parents: number[];
  children: number[];
  created: Date;
  updated: Date;
}

/**
 * A data instance held by the mock (only image-block types are emulated).
 *
 * @example
 * ```ts
 * const instance: MockInstance = state.getInstance(uuid, 'grayscale');
 * ```
 */
export type MockInstance = ImageInstance;

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
  nodes: Map<string, MockNode>;
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
    this.maxThrottledOps = 1;
    this.currentThrottledOps = 0;
    this.gcPercent = 100;
    this.busyRemaining = 0;
    this.startedAt = Date.now();
    this.userLatencies.clear();
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
    const now = new Date();
    const node: MockNode = {
      uuid: root,
      versionId: this.nextVersionId++,
      branch: '',
      note: '',
      log: [],
      locked: false,
      parents: [],
      children: [],
      created: now,
      updated: now,
    };
    const repo: MockRepo = {
      root,
      alias: options.alias ?? '',
      description: options.description ?? '',
      log: [],
      nodes: new Map([[root, node]]),
      instances: new Map(),
      mutationId: FIRST_MUTATION_ID,
      savedMutationId: FIRST_MUTATION_ID + MUTATION_SAVE_INTERVAL,
      created: now,
      updated: now,
    };
    this.repos.set(root, repo);
    this.versions.set(root, { repo, node });
    return repo;
  }

  /**
   * Resolves a UUID reference as DVID does: a unique prefix of any version UUID, optionally
   * followed by `:branch` or `:branch~N`; `:branch` alone works when there is one repo.
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

  /** `getBranchVersion`: the leaf of a branch, or its N-th ancestor with `branch~N`. */
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
      const leaf = name === 'master' ? this.branchAncestry(repo, 'master')[0] : undefined;
      if (leaf === undefined) throw new Error(`branch ${goQuote(name)} not found in repo ${goQuote(matched)}`);
      uuid = leaf;
    }
    return { uuid, repo, node: repo.nodes.get(uuid)! };
  }

  /**
   * UUIDs of a branch from its leaf back to the root (`master` is the unnamed default
   * branch); empty for an unknown branch.
   *
   * @example
   * ```ts
   * state.branchAncestry(repo, 'master') // [repo.root]
   * ```
   */
  branchAncestry(repo: MockRepo, branch: string): string[] {
    const onBranch = [...repo.nodes.values()].filter((n) => n.branch === branch || (branch === 'master' && n.branch === ''));
    if (onBranch.length === 0) return [];
    const byVersion = new Map([...repo.nodes.values()].map((n) => [n.versionId, n]));
    let leaf = onBranch[0];
    for (;;) {
      const next = leaf.children.map((v) => byVersion.get(v)).find((c) => c && c.branch === leaf.branch);
      if (!next) break;
      leaf = next;
    }
    const ancestry: string[] = [];
    for (let node: MockNode | undefined = leaf; node; node = byVersion.get(node.parents[0] ?? -1)) {
      ancestry.push(node.uuid);
      if (node.parents.length === 0) break;
    }
    return ancestry;
  }

  /**
   * Creates a data instance from a creation config (the JSON body of
   * `POST /api/repo/{uuid}/instance`, values as DVID expects them: strings). Checks run in
   * DVID's order and throw DVID's messages.
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
    if (!voxelType) throw new NotEmulatedTypeError(type.name);
    const instance = createImageInstance(base, voxelType, cfg);
    repo.instances.set(name, instance);
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

  /** Counts a mutation in the repo holding the instance, as each accepted write does. */
  nextMutationId(repo: MockRepo): number {
    repo.mutationId += 1;
    return repo.mutationId;
  }
}

/**
 * A datatype DVID has but the mock does not emulate; answered with 501 by the handlers.
 *
 * @example
 * ```ts
 * state.createInstance(root, { typename: 'labelmap', dataname: 'seg' }) // throws NotEmulatedTypeError
 * ```
 */
export class NotEmulatedTypeError extends Error {
  constructor(readonly typename: string) {
    super(`datatype ${goQuote(typename)}`);
    this.name = 'NotEmulatedTypeError';
  }
}
