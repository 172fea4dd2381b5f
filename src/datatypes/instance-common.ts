/**
 * Pieces every non-voxel data type shares: the context of a call (transport, version, instance
 * name), checked path segments, the instance `info`, instance tags (`GET`/`POST .../tags`),
 * sync setup (`POST .../sync`) and a polling helper for DVID's asynchronous views.
 *
 * Which types have which calls in DVID v1.0.0: tags on keyvalue, annotation, neuronjson (and
 * labelmap); sync on annotation (to label instances) and labelsz (to one annotation instance)
 * (and labelmap). roi has neither; DVID answers "Bad API call" for them.
 *
 * @example
 * ```ts
 * const ctx = { transport: client.transport, uuid, name: 'synapses' };
 * await setInstanceSync(ctx, ['segmentation']);
 * await setInstanceTags(ctx, { owner: 'alice' });
 * await getInstanceTags(ctx); // { owner: 'alice' }
 * ```
 * @module
 */
import { DvidArgumentError, DvidTimeoutError, redactUrl } from '../errors.js';
import { sleep, type RetryOptions } from '../transport/retry.js';
import type { QueryValues, Transport } from '../transport/transport.js';
import { nodePath, segment } from './paths.js';

/**
 * What a call on one instance at one version needs.
 *
 * @example
 * ```ts
 * const ctx: InstanceContext = { transport: client.transport, uuid, name: 'synapses' };
 * ```
 */
export interface InstanceContext {
  transport: Transport;
  /** A UUID, unique prefix or `prefix:branch` reference of the version. */
  uuid: string;
  /** The instance name. */
  name: string;
}

/**
 * What every accessor class (`KeyvalueInstance`, `NeuronjsonInstance`, `RoiInstance`,
 * `AnnotationInstance`, `LabelszInstance`) holds: the context of one instance at one version.
 * Each subclass adds its own `at`, `info` and calls.
 */
export abstract class InstanceAccessor {
  readonly ctx: InstanceContext;

  constructor(ctx: InstanceContext) {
    this.ctx = ctx;
  }

  /** The version this accessor works on (reads, and writes where the datatype allows). */
  get uuid(): string {
    return this.ctx.uuid;
  }

  /** The instance name. */
  get name(): string {
    return this.ctx.name;
  }
}

/**
 * Options every instance call accepts.
 *
 * @example
 * ```ts
 * await kv.keys({ signal: AbortSignal.timeout(5000), retry: 0 });
 * ```
 */
export interface InstanceCallOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout in ms (the client's by default). */
  timeout?: number | false;
  /** Retry policy for this call (the client's by default). */
  retry?: number | RetryOptions;
}

/**
 * `/api/node/{uuid}/{name}/{keyword}[/{arg}...]`; every argument is checked (non-empty, no `/`)
 * and escaped, so nothing DVID cannot address is ever sent.
 *
 * @throws {@link DvidArgumentError} for an empty argument or one containing `/`.
 * @example
 * ```ts
 * instancePath(ctx, 'key', ['a b'])   // '/api/node/<uuid>/kv/key/a%20b'
 * instancePath(ctx, 'key', ['a/b'])   // throws DvidArgumentError
 * ```
 */
export function instancePath(ctx: InstanceContext, keyword: string, args: readonly string[] = [], argNames: readonly string[] = []): string {
  const rest = args.map((a, i) => `/${segment(argNames[i] ?? 'key', a)}`).join('');
  return `${nodePath(ctx.uuid, ctx.name)}/${keyword}${rest}`;
}

/**
 * The request fields every call copies from its options.
 *
 * @example
 * ```ts
 * await transport.request({ path, attempted: 'read', ...callFields(options) });
 * ```
 */
export function callFields(options: InstanceCallOptions): { signal?: AbortSignal; timeout?: number | false; retry?: number | RetryOptions } {
  return { signal: options.signal, timeout: options.timeout, retry: options.retry };
}

/**
 * The `Base` part of every instance's `GET /info`.
 *
 * @example
 * ```ts
 * const base: InstanceBaseInfo = (await getInstanceInfo(ctx)).Base; base.Syncs;
 * ```
 */
export interface InstanceBaseInfo {
  TypeName: string;
  TypeURL: string;
  TypeVersion: string;
  DataUUID: string;
  Name: string;
  RepoUUID: string;
  Compression: string;
  Checksum: string;
  /** Names of the instances this one is synced with. */
  Syncs: string[];
  Versioned: boolean;
  KVStore?: string;
  LogStore?: string;
  Tags: Record<string, string> | null;
  [key: string]: unknown;
}

/**
 * `GET /info` of a non-voxel instance: `Base` plus the type's `Extended` properties.
 *
 * @example
 * ```ts
 * const info: InstanceInfo<RoiProperties> = await roi.info();
 * ```
 */
export interface InstanceInfo<E = Record<string, unknown>> {
  Base: InstanceBaseInfo;
  Extended: E;
  [key: string]: unknown;
}

/**
 * Reads `GET /info` of any instance.
 *
 * @example
 * ```ts
 * const info = await getInstanceInfo(ctx);
 * info.Base.TypeName; // 'keyvalue'
 * info.Base.Syncs;    // ['segmentation']
 * ```
 */
export async function getInstanceInfo<E = Record<string, unknown>>(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<InstanceInfo<E>> {
  const info = await ctx.transport.requestJson<InstanceInfo<E>>({
    path: instancePath(ctx, 'info'),
    attempted: `read info of "${ctx.name}"`,
    ...callFields(options),
  });
  if (!info || typeof info !== 'object' || typeof info.Base !== 'object') {
    throw new DvidArgumentError('name', `"${ctx.name}" did not answer with instance info`);
  }
  return info;
}

/**
 * Reads the instance tags (`GET /tags`); an instance without tags gives `{}`.
 *
 * @example
 * ```ts
 * await getInstanceTags(ctx); // { owner: 'alice', stage: 'draft' }
 * ```
 */
export async function getInstanceTags(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<Record<string, string>> {
  const body = await ctx.transport.requestJson<{ Tags: Record<string, string> | null }>({
    path: instancePath(ctx, 'tags'),
    attempted: `read tags of "${ctx.name}"`,
    ...callFields(options),
  });
  return { ...(body?.Tags ?? {}) };
}

/**
 * Options for {@link setInstanceTags}.
 *
 * @example
 * ```ts
 * await setInstanceTags(ctx, {}, { replace: true } satisfies SetTagsOptions);
 * ```
 */
export interface SetTagsOptions extends InstanceCallOptions {
  /** Replace all tags with these (`{}` removes every tag); default: add to and overwrite the existing ones. */
  replace?: boolean;
}

/**
 * Sets instance tags (`POST /tags`). Tags are instance metadata, not versioned: every version
 * sees the same tags.
 *
 * @throws {@link DvidArgumentError} before any request when a value is not a string.
 * @example
 * ```ts
 * await setInstanceTags(ctx, { stage: 'final' });            // merged with the existing tags
 * await setInstanceTags(ctx, {}, { replace: true });         // removes all tags
 * ```
 */
export async function setInstanceTags(ctx: InstanceContext, tags: Record<string, string>, options: SetTagsOptions = {}): Promise<void> {
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) {
    throw new DvidArgumentError('tags', 'expected an object of string values');
  }
  for (const [k, v] of Object.entries(tags)) {
    if (typeof v !== 'string') throw new DvidArgumentError(`tags.${k}`, `DVID tag values are strings, got ${JSON.stringify(v)}`);
  }
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'tags'),
    query: options.replace ? { replace: 'true' } : undefined,
    body: JSON.stringify(tags),
    headers: { 'Content-Type': 'application/json' },
    attempted: `set tags of "${ctx.name}"`,
    idempotent: true,
    ...callFields(options),
  });
}

/**
 * Options for {@link setInstanceSync}.
 *
 * @example
 * ```ts
 * await setInstanceSync(ctx, [], { replace: true } satisfies SetSyncOptions);
 * ```
 */
export interface SetSyncOptions extends InstanceCallOptions {
  /** Replace the current syncs (an empty list removes them all); default: add to them. */
  replace?: boolean;
}

/**
 * Syncs this instance with others (`POST /sync`): annotation → a labelmap (or other label
 * instance), labelsz → one annotation instance. The named instances must exist in the same
 * repo. Syncs only see changes made afterwards: follow with the type's `reload` for existing
 * data. Syncs are instance metadata (not versioned).
 *
 * @throws {@link DvidArgumentError} before any request for a name that is empty or contains `,` or `/`.
 * @example
 * ```ts
 * await setInstanceSync({ transport, uuid, name: 'synapses' }, ['segmentation']);
 * await setInstanceSync({ transport, uuid, name: 'synapses' }, [], { replace: true }); // unsync
 * ```
 */
export async function setInstanceSync(ctx: InstanceContext, names: string | readonly string[], options: SetSyncOptions = {}): Promise<void> {
  const list = typeof names === 'string' ? [names] : [...names];
  for (const n of list) {
    if (typeof n !== 'string' || n === '' || n.includes(',') || n.includes('/')) {
      throw new DvidArgumentError('names', `expected instance names without "," or "/", got ${JSON.stringify(n)}`);
    }
  }
  if (list.length === 0 && !options.replace) {
    throw new DvidArgumentError('names', 'no instance named; pass {replace: true} with an empty list to remove all syncs');
  }
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'sync'),
    query: options.replace ? { replace: 'true' } : undefined,
    body: JSON.stringify({ sync: list.join(',') }),
    headers: { 'Content-Type': 'application/json' },
    attempted: `sync "${ctx.name}" with ${list.length ? list.map((n) => `"${n}"`).join(', ') : 'nothing'}`,
    idempotent: true,
    ...callFields(options),
  });
}

/**
 * Names of the instances this one is synced with (from `GET /info`).
 *
 * @example
 * ```ts
 * await getInstanceSyncs(ctx); // ['segmentation']
 * ```
 */
export async function getInstanceSyncs(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<string[]> {
  const info = await getInstanceInfo(ctx, options);
  return [...(info.Base.Syncs ?? [])];
}

/**
 * Options for {@link pollUntil} and the `waitFor...` helpers built on it.
 *
 * @example
 * ```ts
 * await syn.waitForLabel(7n, undefined, { timeout: 10_000, interval: 200, signal } satisfies PollOptions);
 * ```
 */
export interface PollOptions {
  /** Give up after this many ms with a {@link DvidTimeoutError}. @default 30000 */
  timeout?: number;
  /** Delay between polls in ms. @default 100 */
  interval?: number;
  signal?: AbortSignal;
}

/**
 * Calls `probe` until `accept` says its result is good, waiting `interval` ms between calls;
 * returns the accepted result. This is the documented way to wait for DVID's asynchronous
 * views (annotation label lists and labelsz counts after labelmap changes, reloads) instead of
 * sleeping a fixed time.
 *
 * @throws {@link DvidTimeoutError} after `timeout` ms (its message says what was awaited and the
 *   last value seen); the signal's reason on abort; any error `probe` throws.
 * @example
 * ```ts
 * const elems = await pollUntil(() => synapses.byLabel(7n), (e) => e.length === 3, {
 *   what: 'label 7 to hold 3 synapses', timeout: 10_000,
 * });
 * ```
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  options: PollOptions & { what: string; path?: string; transport?: Transport; describe?: (value: T) => string },
): Promise<T> {
  const timeout = options.timeout ?? 30_000;
  const interval = options.interval ?? 100;
  if (!(timeout >= 0) || !(interval >= 0)) throw new DvidArgumentError('timeout', 'timeout and interval must be non-negative numbers of ms');
  const started = Date.now();
  for (;;) {
    options.signal?.throwIfAborted();
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started + interval > timeout) {
      const last = options.describe ? options.describe(value) : safeDescribe(value);
      throw new DvidTimeoutError({
        method: 'GET',
        url: options.transport && options.path ? redactUrl(options.transport.buildUrl(options.path)) : '(polling)',
        attempted: `wait for ${options.what} (last seen: ${last})`,
        timeoutMs: timeout,
      });
    }
    await sleep(interval, options.signal);
  }
}

function safeDescribe(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}

/**
 * Adds query values, leaving out `undefined`.
 *
 * @example
 * ```ts
 * query({ check: true, inmemory: undefined }); // { check: true }
 * ```
 */
export function query(values: QueryValues): QueryValues | undefined {
  const out: QueryValues = {};
  let any = false;
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === false) continue;
    out[k] = v;
    any = true;
  }
  return any ? out : undefined;
}

/**
 * Checks an int32 point `[x, y, z]`.
 *
 * @example
 * ```ts
 * checkPoint3([1, 2, 3], 'pos'); // [1, 2, 3]
 * ```
 */
export function checkPoint3(point: unknown, argument: string): [number, number, number] {
  const p = Array.isArray(point) || ArrayBuffer.isView(point) ? Array.from(point as ArrayLike<number>) : undefined;
  if (!p || p.length !== 3 || !p.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) {
    throw new DvidArgumentError(argument, `expected three int32 coordinates [x, y, z], got ${safeDescribe(point)}`);
  }
  return p as [number, number, number];
}

/**
 * Checks a positive int32 size `[nx, ny, nz]`.
 *
 * @example
 * ```ts
 * checkSize3([64, 64, 64], 'size');
 * ```
 */
export function checkSize3(size: unknown, argument: string): [number, number, number] {
  const s = checkPoint3(size, argument);
  if (!s.every((v) => v > 0)) throw new DvidArgumentError(argument, `sizes must be positive, got ${JSON.stringify(s)}`);
  return s;
}

/**
 * `x_y_z`.
 *
 * @example
 * ```ts
 * underscored([1, 2, 3]); // '1_2_3'
 * ```
 */
export function underscored(p: readonly number[]): string {
  return p.join('_');
}
