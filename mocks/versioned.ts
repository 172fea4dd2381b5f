/**
 * Versioning primitives for the mock's data types: a version-aware key/value store that
 * resolves reads along the repo DAG exactly as DVID v1.0.0 does, the checks DVID's
 * `instanceSelector` runs before a data type sees a request (locked nodes, unversioned
 * instances), and a registry through which a data type plugs itself into instance creation,
 * `/info`, repo info and request handling without editing shared files.
 *
 * ## The DAG, as data types see it
 *
 * Every version node of a repo is a `MockNode` (mocks/state.ts) with `versionId`,
 * `uuid`, `locked`, `branch` (`''` = master), and `parentNodes` (parent nodes in DVID's
 * priority order; `parents`/`children` hold the numeric VersionIDs DVID reports). A store
 * only needs the structural {@link VersionNode} part, so unit tests can build DAGs by hand.
 *
 * ## How reads resolve (DVID v1.0.0 `repoManager.findMatch`, `datastore/repo_local.go`)
 *
 * A key holds at most one entry per version: a value or a tombstone (a delete writes a
 * tombstone, a put removes it). A read at node N:
 * 1. N has an entry → that value (nothing for a tombstone), and every ancestor's entry for the
 *    key is marked "invalid" (superseded).
 * 2. N has none and one parent → read at the parent.
 * 3. N has several parents (a merge) → read along every parent; keep the valid non-tombstone
 *    matches; none → nothing, one → it, two or more → DVID's error
 *    `found multiple kv for key ... among parents: versions map[...]` (a conflict that a
 *    conflict-free merge left behind; `/resolve` exists to prevent it).
 *
 * So a merge child sees a key changed on only one side (the other side's inherited value is
 * superseded), a delete on one side hides a value inherited from the common ancestor, and a
 * key changed on two sides is a read error.
 *
 * ## Writing a data type (keyvalue, roi, annotation, ...)
 *
 * ```ts
 * // mocks/datatypes/keyvalue.ts
 * import { registerDataType, VersionedStore, badApiRequest, type DataRequest } from '../versioned.js';
 * interface KvInstance extends BaseInstance { kind: 'keyvalue'; values: VersionedStore<Uint8Array> }
 * registerDataType<KvInstance>('keyvalue', {
 *   create(base) { const inst = { ...base, kind: 'keyvalue' } as KvInstance; inst.values = new VersionedStore(inst); return inst; },
 *   info(inst) { return { Base: baseInfo(inst), Extended: {} }; },
 *   handle(req) {
 *     // req.version is the node to read/write (the repo root for Versioned:false instances);
 *     // locked-node writes were already refused with DVID's 400.
 *     if (req.keyword === 'key' && req.request.method === 'GET') { ... req.instance.values.get(req.version, key) ... }
 *     throw badApiRequest(req);
 *   },
 * });
 * // then in mocks/datatypes/index.ts: `import * as keyvalue from './keyvalue.js';` and list
 * // `keyvalue` in DATA_TYPE_MODULES (a bare side-effect import is dropped by bundlers, as the
 * // package declares "sideEffects": false)
 * ```
 *
 * Stores created with an owner (`new VersionedStore(instance)`) take part in
 * `POST /api/repo/{uuid}/resolve` for that instance automatically.
 *
 * @example
 * ```ts
 * const root = { versionId: 1, parentNodes: [] };
 * const a = { versionId: 2, parentNodes: [root] };
 * const b = { versionId: 3, parentNodes: [root] };
 * const merged = { versionId: 4, parentNodes: [a, b] };
 * const store = new VersionedStore<string>();
 * store.put(root, 'k', 'old');
 * store.put(b, 'k', 'new');
 * store.get(a, 'k');      // 'old'
 * store.get(merged, 'k'); // 'new': only b changed it
 * ```
 * @module
 */
import type { DvidConfig } from './config.js';
import { compareBytes, goQuote } from './goformat.js';
import { goHttpError, type DvidFailure } from './http.js';
import type { BaseInstance } from './instance.js';
import type { MockContext, RouteRequest } from './router.js';
import type { MockNode, MockRepo } from './state.js';

/**
 * The part of a version node a {@link VersionedStore} needs: its VersionID and its parents in
 * DVID's priority order (the first parent is the default ancestor path).
 *
 * @example
 * ```ts
 * const root: VersionNode = { versionId: 1, parentNodes: [] };
 * const child: VersionNode = { versionId: 2, parentNodes: [root] };
 * ```
 */
export interface VersionNode {
  readonly versionId: number;
  readonly parentNodes: readonly VersionNode[];
}

/**
 * A read found different values on two or more paths above a merge node. DVID answers the
 * request with 400 and this message (the router maps this class to a 400).
 *
 * @example
 * ```ts
 * try { store.get(merged, 'k'); } catch (err) { if (err instanceof VersionConflictError) console.log(err.versions); }
 * ```
 */
export class VersionConflictError extends Error {
  /**
   * @param key the conflicting key
   * @param versions the VersionIDs whose values compete
   * @param versionId the version of the match DVID names in its key (the last one found)
   */
  constructor(
    readonly key: string,
    readonly versions: readonly number[],
    readonly versionId: number,
  ) {
    super('');
    this.message = this.describe(goQuote(key));
    this.name = 'VersionConflictError';
  }

  /**
   * DVID's message with the key rendered by the caller (DVID prints the full storage key as
   * Go's `%v` of a byte slice, e.g. `[1 0 0 0 1 23 1 ...]`).
   */
  describe(keyText: string): string {
    const sorted = [...this.versions].sort((x, y) => x - y);
    return `found multiple kv for key ${keyText} among parents: versions map[${sorted.map((v) => `${v}:{}`).join(' ')}]`;
  }
}

/** One version's entry for a key: a value or a tombstone. */
type Slot<V> = { tombstone: false; value: V } | { tombstone: true };

interface Candidate<V> {
  slot: Slot<V>;
  invalid: boolean;
}

interface Match<V> {
  slot: Slot<V>;
  versionId: number;
}

/** Marks the entries of every ancestor of `node` as superseded (`invalidateAncestors`). */
function invalidateAncestors<V>(kvv: Map<number, Candidate<V>>, node: VersionNode): void {
  for (const parent of node.parentNodes) {
    const candidate = kvv.get(parent.versionId);
    if (candidate) {
      if (candidate.invalid) continue;
      candidate.invalid = true;
    }
    invalidateAncestors(kvv, parent);
  }
}

/**
 * DVID's `findMatch`: the entry a read at `node` sees among the candidates, or undefined.
 * `kvv` is shared across calls on purpose (invalidations persist, as in `FindConflicts`).
 */
function findMatch<V>(kvv: Map<number, Candidate<V>>, node: VersionNode, key: string): Match<V> | undefined {
  const own = kvv.get(node.versionId);
  if (own) {
    if (own.invalid) return undefined;
    invalidateAncestors(kvv, node);
    if (own.slot.tombstone) return undefined;
    return { slot: own.slot, versionId: node.versionId };
  }
  const parents = node.parentNodes;
  if (parents.length === 0) return undefined;
  if (parents.length === 1) return findMatch(kvv, parents[0], key);
  let last: Match<V> | undefined;
  const found = new Set<number>();
  for (const parent of parents) {
    const match = findMatch(kvv, parent, key);
    if (match && !match.slot.tombstone) {
      last = match;
      found.add(match.versionId);
    }
  }
  for (const versionId of [...found]) if (kvv.get(versionId)?.invalid) found.delete(versionId);
  if (found.size === 0) return undefined;
  // As in DVID, the match returned is the last one found, even if it was the one invalidated.
  if (found.size === 1) return last;
  throw new VersionConflictError(key, [...found], last!.versionId);
}

/**
 * Options of {@link VersionedStore.keys} and {@link VersionedStore.entries}: an inclusive key
 * range in DVID's key order (UTF-8 bytes).
 *
 * @example
 * ```ts
 * store.keys(node, { from: 'a', to: 'b\uffff' })
 * ```
 */
export interface KeyRange {
  /** First key (inclusive). */
  from?: string;
  /** Last key (inclusive). */
  to?: string;
}

const owners = new WeakMap<object, VersionedStore<unknown>[]>();

/**
 * The versioned stores created for an owner (a data instance), in creation order.
 *
 * @example
 * ```ts
 * storesOf(instance).length // 1 after `new VersionedStore(instance)`
 * ```
 */
export function storesOf(owner: object): readonly VersionedStore<unknown>[] {
  return owners.get(owner) ?? [];
}

/**
 * A key/value store with one entry per (key, version), read along the version DAG as DVID
 * does (see the module comment). Keys are strings ordered by UTF-8 bytes, as DVID orders its
 * keys; encode binary keys (block coordinates, uint64 labels) as fixed-width big-endian hex to
 * keep DVID's order.
 *
 * @example
 * ```ts
 * const store = new VersionedStore<Uint8Array>(instance); // takes part in /resolve for `instance`
 * store.put(node, 'a', bytes);
 * store.get(child, 'a');    // inherited
 * store.delete(child, 'a'); // tombstone: gone in child, still there in node
 * ```
 */
export class VersionedStore<V> {
  private readonly data = new Map<string, Map<number, Slot<V>>>();
  private sorted: string[] | undefined;

  /** @param owner the data instance this store belongs to, for `/resolve`. */
  constructor(owner?: object) {
    if (owner) {
      const list = owners.get(owner) ?? [];
      list.push(this as VersionedStore<unknown>);
      owners.set(owner, list);
    }
  }

  /** Number of distinct keys with any entry in any version (tombstones included). */
  get size(): number {
    return this.data.size;
  }

  /** Removes every entry of every version. */
  clear(): void {
    this.data.clear();
    this.sorted = undefined;
  }

  /**
   * The value a read at `node` sees, or undefined (never written, or deleted).
   * @throws VersionConflictError when paths above a merge disagree.
   */
  get(node: VersionNode, key: string): V | undefined {
    const match = this.match(node, key);
    return match && !match.slot.tombstone ? match.slot.value : undefined;
  }

  /**
   * The value and the VersionID it was written at, or undefined.
   * @throws VersionConflictError when paths above a merge disagree.
   */
  getWithVersion(node: VersionNode, key: string): { value: V; versionId: number } | undefined {
    const match = this.match(node, key);
    return match && !match.slot.tombstone ? { value: match.slot.value, versionId: match.versionId } : undefined;
  }

  /** True when a read at `node` sees a value (DVID's `Exists` on a versioned context). */
  has(node: VersionNode, key: string): boolean {
    return this.match(node, key) !== undefined;
  }

  /** Writes a value at exactly this version (removing a tombstone there). */
  put(node: VersionNode, key: string, value: V): void {
    this.slots(key).set(node.versionId, { tombstone: false, value });
  }

  /** Writes a tombstone at exactly this version: the key is gone here and in descendants. */
  delete(node: VersionNode, key: string): void {
    this.slots(key).set(node.versionId, { tombstone: true });
  }

  /** Keys visible at `node` within the range, in DVID's order. */
  keys(node: VersionNode, range: KeyRange = {}): string[] {
    return this.entries(node, range).map(([key]) => key);
  }

  /**
   * `[key, value]` pairs visible at `node` within the range, in DVID's order.
   * @throws VersionConflictError on the first conflicting key.
   */
  entries(node: VersionNode, range: KeyRange = {}): [string, V][] {
    const out: [string, V][] = [];
    for (const key of this.sortedKeys()) {
      if (range.from !== undefined && compareBytes(key, range.from) < 0) continue;
      if (range.to !== undefined && compareBytes(key, range.to) > 0) break;
      const value = this.get(node, key);
      if (value !== undefined) out.push([key, value]);
    }
    return out;
  }

  /** Every key with any entry in any version, in DVID's order. */
  allKeys(): readonly string[] {
    return this.sortedKeys();
  }

  /** The raw entries of a key: VersionID → value, or `null` for a tombstone. */
  versionsOf(key: string): Map<number, V | null> {
    const out = new Map<number, V | null>();
    for (const [versionId, slot] of this.data.get(key) ?? []) out.set(versionId, slot.tombstone ? null : slot.value);
    return out;
  }

  /**
   * DVID's `FindConflicts` for every key: with parents in priority order, the first parent
   * (in order) that sees a value wins; each later parent that sees a value written at a
   * different version must delete the key. Returns, per parent index, the keys to delete.
   *
   * @example
   * ```ts
   * store.findConflicts([a, b]) // Map { 1 => ['k'] } when a and b both changed 'k'
   * ```
   */
  findConflicts(parents: readonly VersionNode[]): Map<number, string[]> {
    const toDelete = new Map<number, string[]>();
    for (const key of this.sortedKeys()) {
      const kvv = this.candidates(key);
      let first: Match<V> | undefined;
      parents.forEach((parent, index) => {
        const match = findMatch(kvv, parent, key);
        if (!first) {
          if (match) first = match;
        } else if (match && match.versionId !== first.versionId) {
          const list = toDelete.get(index) ?? [];
          list.push(key);
          toDelete.set(index, list);
        }
      });
    }
    return toDelete;
  }

  private match(node: VersionNode, key: string): Match<V> | undefined {
    const versions = this.data.get(key);
    if (!versions) return undefined;
    return findMatch(this.candidates(key), node, key);
  }

  private candidates(key: string): Map<number, Candidate<V>> {
    const kvv = new Map<number, Candidate<V>>();
    for (const [versionId, slot] of this.data.get(key) ?? []) kvv.set(versionId, { slot, invalid: false });
    return kvv;
  }

  private slots(key: string): Map<number, Slot<V>> {
    let versions = this.data.get(key);
    if (!versions) {
      versions = new Map();
      this.data.set(key, versions);
      this.sorted = undefined;
    }
    return versions;
  }

  private sortedKeys(): string[] {
    this.sorted ??= [...this.data.keys()].sort(compareBytes);
    return this.sorted;
  }
}

/**
 * An instance request after DVID's common checks, handed to a data type's `handle`.
 *
 * @example
 * ```ts
 * handle(req: DataRequest<KvInstance>) { return textResponse(req.keyword); }
 * ```
 */
export interface DataRequest<I extends BaseInstance = BaseInstance> {
  context: MockContext;
  request: RouteRequest;
  repo: MockRepo;
  /** The node the URL's UUID reference resolved to. */
  node: MockNode;
  /** Where to read and write: `node`, or the repo's root for `Versioned: false` instances. */
  version: MockNode;
  instance: I;
  /** The keyword after the instance name (`info`, `key`, `raw`, ...). */
  keyword: string;
  /** The path after `/api/`, split on `/`, one trailing empty part removed. */
  parts: string[];
}

/**
 * What a data type provides to the mock. Throw a plain `Error` with DVID's message for a 400
 * in DVID's `BadRequest` format, or a `DvidFailure` for any other exact response.
 *
 * @example
 * ```ts
 * registerDataType('keyvalue', { create, info, handle });
 * ```
 */
export interface MockDataType<I extends BaseInstance = BaseInstance> {
  /**
   * Builds the instance from DVID's common part (name, DataUUID, Compression, Versioned,
   * Tags ... already checked) and the creation config; throw DVID's message on a bad setting.
   */
  create(base: BaseInstance, config: DvidConfig, repo: MockRepo): I;
  /** The object `GET .../info` returns, also listed under repo info's `DataInstances`. */
  info(instance: I): Record<string, unknown>;
  /** Serves `/api/node/{uuid}/{name}/{keyword}[/...]`. */
  handle(request: DataRequest<I>): Response | Promise<Response>;
  /**
   * DVID's `IsMutationRequest`: requests refused on locked nodes of versioned instances.
   * @default POST, PUT and DELETE
   */
  isMutation?(method: string, keyword: string): boolean;
}

const dataTypes = new Map<string, MockDataType>();

/**
 * Registers a data type by its DVID type name (`keyvalue`, `roi`, ...). A later registration
 * replaces an earlier one.
 *
 * @example
 * ```ts
 * registerDataType<KvInstance>('keyvalue', { create, info, handle });
 * ```
 */
export function registerDataType<I extends BaseInstance>(typename: string, type: MockDataType<I>): void {
  dataTypes.set(typename, type as unknown as MockDataType);
}

/**
 * The registered data type for a type name, if any.
 *
 * @example
 * ```ts
 * getDataType('keyvalue')?.info(instance)
 * ```
 */
export function getDataType(typename: string): MockDataType | undefined {
  return dataTypes.get(typename);
}

/**
 * DVID's default `IsMutationRequest`: POST, PUT and DELETE.
 *
 * @example
 * ```ts
 * isMutationMethod('post') // true
 * ```
 */
export function isMutationMethod(method: string): boolean {
  const lower = method.toLowerCase();
  return lower === 'post' || lower === 'put' || lower === 'delete';
}

/**
 * The node an instance reads and writes at: the resolved node for versioned instances, the
 * repo's root for `Versioned: false` ones (DVID maps every UUID to the root for them).
 *
 * @example
 * ```ts
 * dataNode(repo, node, instance) === repo.nodes.get(repo.root) // for an unversioned instance
 * ```
 */
export function dataNode(repo: MockRepo, node: MockNode, instance: Pick<BaseInstance, 'versioned'>): MockNode {
  return instance.versioned ? node : repo.nodes.get(repo.root)!;
}

/**
 * DVID's locked-node check of `instanceSelector`: a mutation (by the data type's rule) on a
 * committed node of a versioned instance is refused with 400
 * `Cannot do <METHOD> on endpoint "<keyword>" of locked node <uuid>`. Admin requests (with
 * the mock's admin token) pass, as in DVID.
 *
 * @example
 * ```ts
 * checkWritable(request, node, instance, 'raw', isMutationMethod) // throws on a committed node
 * ```
 */
export function checkWritable(
  request: RouteRequest,
  node: MockNode,
  instance: Pick<BaseInstance, 'versioned'>,
  keyword: string,
  isMutation: (method: string, keyword: string) => boolean = isMutationMethod,
): void {
  if (!instance.versioned || !node.locked || request.admin) return;
  if (isMutation(request.request.method, keyword)) {
    throw new Error(`Cannot do ${request.request.method} on endpoint ${goQuote(keyword)} of locked node ${node.uuid}`);
  }
}

/**
 * DVID's `BadAPIRequest` for an unknown keyword: 400 `Bad API call (<path>) for data "<name>".
 * See API help at http://<host>/api/help/<type>` (two spaces, no final period).
 *
 * @example
 * ```ts
 * throw badApiRequest(req);
 * ```
 */
export function badApiRequest(req: Pick<DataRequest, 'context' | 'request' | 'instance'>): DvidFailure {
  const host = req.context.serverInfo.Host ?? req.request.url.host;
  return goHttpError(
    400,
    `Bad API call (${req.request.path}) for data ${goQuote(req.instance.name)}.  See API help at http://${host}/api/help/${req.instance.type.name}`,
  );
}
