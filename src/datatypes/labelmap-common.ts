/**
 * Pieces shared by the labelmap modules: the context a call needs, label-ID conversion, query
 * building and a small concurrency limiter. Internal to the SDK except for {@link toLabelId}.
 *
 * @example
 * ```ts
 * toLabelId(2n ** 60n, 'label'); // 1152921504606846976n
 * toLabelId(7, 'label');         // 7n
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';
import { stringifyJsonWithBigInts } from '../transport/json.js';
import type { QueryValues, Transport } from '../transport/transport.js';
import type { RetryOptions } from '../transport/retry.js';
import { nodePath } from './paths.js';

/** [x, y, z]. */
export type Vec3 = [number, number, number];

/** A label or supervoxel ID: a `bigint`, or a `number` when it is a safe integer. */
export type LabelId = bigint | number;

/** What every labelmap call needs. */
export interface LabelmapContext {
  transport: Transport;
  uuid: string;
  name: string;
  /** The instance's block size (the same at every scale). */
  blockSize: Vec3;
}

/** Options every labelmap request accepts. */
export interface LabelmapCallOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout in ms (the client's by default). */
  timeout?: number | false;
  /** Retry policy for this call (the client's by default). */
  retry?: number | RetryOptions;
}

const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * Converts a label ID to `bigint`, checking it is a uint64 (and not 0 unless allowed). Numbers
 * must be safe integers: beyond 2^53 a `number` has already lost the ID.
 *
 * @throws {@link DvidArgumentError} for anything else.
 * @example
 * ```ts
 * toLabelId(12, 'label');        // 12n
 * toLabelId(0, 'label');         // throws: label 0 is background
 * toLabelId(2 ** 60, 'label');   // throws: not a safe integer, pass 2n ** 60n
 * ```
 */
export function toLabelId(value: LabelId, argument: string, options: { allowZero?: boolean } = {}): bigint {
  let id: bigint;
  if (typeof value === 'bigint') id = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) id = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value)) {
    throw new DvidArgumentError(argument, `${value} is beyond 2^53 and may already be rounded; pass label IDs as bigint`);
  } else {
    throw new DvidArgumentError(argument, `expected a label ID (bigint or safe integer), got ${String(value)}`);
  }
  if (id < 0n || id > MAX_UINT64) throw new DvidArgumentError(argument, `${id} is not a uint64`);
  if (id === 0n && !options.allowZero) {
    throw new DvidArgumentError(argument, 'label 0 is background; DVID refuses it in per-label calls');
  }
  return id;
}

/**
 * Converts a list of IDs (array, typed array or iterable) with {@link toLabelId}.
 *
 * @example
 * ```ts
 * toLabelIds([1, 2n, 3], 'labels'); // [1n, 2n, 3n]
 * ```
 */
export function toLabelIds(values: Iterable<LabelId>, argument: string, options: { allowZero?: boolean } = {}): bigint[] {
  if (values === null || typeof (values as Iterable<LabelId>)?.[Symbol.iterator] !== 'function') {
    throw new DvidArgumentError(argument, 'expected an array or iterable of label IDs');
  }
  const out: bigint[] = [];
  let i = 0;
  for (const v of values) out.push(toLabelId(v, `${argument}[${i++}]`, options));
  return out;
}

/**
 * Checks a scale level against the instance's range (0 when undefined).
 *
 * @example
 * ```ts
 * checkScale(undefined, 2); // 0
 * checkScale(3, 2);         // throws DvidArgumentError
 * ```
 */
export function checkScale(scale: number | undefined, maxDownresLevel: number | undefined): number {
  const s = scale ?? 0;
  if (!Number.isInteger(s) || s < 0 || s > 255) throw new DvidArgumentError('scale', `expected an integer 0…255, got ${String(scale)}`);
  if (maxDownresLevel !== undefined && s > maxDownresLevel) {
    throw new DvidArgumentError('scale', `${s} is beyond the instance's MaxDownresLevel (${maxDownresLevel})`);
  }
  return s;
}

/**
 * Checks an integer point [x, y, z] (int32) and returns a copy.
 *
 * @example
 * ```ts
 * checkPoint([1, 2, 3], 'point'); // [1, 2, 3]
 * ```
 */
export function checkPoint(point: readonly number[], argument: string): Vec3 {
  if (!Array.isArray(point) && !ArrayBuffer.isView(point)) throw new DvidArgumentError(argument, 'expected [x, y, z]');
  const p = Array.from(point as ArrayLike<number>);
  if (p.length !== 3 || !p.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) {
    throw new DvidArgumentError(argument, `expected three int32 coordinates [x, y, z], got ${JSON.stringify(p)}`);
  }
  return p as Vec3;
}

/**
 * `/api/node/{uuid}/{name}/{keyword}`.
 *
 * @example
 * ```ts
 * labelmapPath(ctx, 'size/7'); // '/api/node/abc123/segmentation/size/7'
 * ```
 */
export function labelmapPath(ctx: LabelmapContext, keyword: string): string {
  return `${nodePath(ctx.uuid, ctx.name)}/${keyword}`;
}

/**
 * The common read query: `scale` (when not 0) and `supervoxels=true` (when set).
 *
 * @example
 * ```ts
 * readQuery(1, true, { compression: 'lz4' }); // { compression: 'lz4', scale: 1, supervoxels: 'true' }
 * ```
 */
export function readQuery(scale: number, supervoxels: boolean | undefined, extra: QueryValues = {}): QueryValues {
  return { ...extra, ...(scale ? { scale } : {}), ...(supervoxels ? { supervoxels: 'true' } : {}) };
}

/**
 * Runs async tasks with at most `limit` in flight. `add` waits for a free slot; `drain` waits
 * for everything and rethrows the first failure.
 *
 * @example
 * ```ts
 * const limiter = new TaskLimiter(4);
 * for (const record of records) await limiter.add(() => inflate(record));
 * await limiter.drain();
 * ```
 */
export class TaskLimiter {
  private readonly pending = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  constructor(private readonly limit: number) {}

  /** The first error a task threw, if any. */
  get failed(): { error: unknown } | undefined {
    return this.failure;
  }

  async add(task: () => Promise<void>): Promise<void> {
    this.rethrow();
    while (this.pending.size >= this.limit) {
      await Promise.race(this.pending);
      this.rethrow();
    }
    const p: Promise<void> = task().then(
      () => void this.pending.delete(p),
      (error: unknown) => {
        this.pending.delete(p);
        this.failure ??= { error };
      },
    );
    this.pending.add(p);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.race(this.pending);
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure) throw this.failure.error;
  }
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results keep input order.
 *
 * @example
 * ```ts
 * const labels = await mapLimited(points, 8, (p) => getLabelAt(ctx, p));
 * ```
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/**
 * Throws the {@link DecodeError} for a labelmap JSON answer of an unexpected shape.
 *
 * @example
 * ```ts
 * if (!Array.isArray(data)) throwUnexpectedJson(ctx, 'mutations', data);
 * ```
 */
export function throwUnexpectedJson(ctx: LabelmapContext, what: string, data: unknown): never {
  const text = stringifyJsonWithBigInts(data);
  throw new DecodeError('json', `DVID's answer to ${what} on "${ctx.name}" has an unexpected shape: ${text.slice(0, 200)}`);
}

/**
 * The bigint field `key` of a labelmap JSON answer (parsed with exact integers), or a
 * {@link DecodeError}.
 *
 * @example
 * ```ts
 * const id = expectBigintField(ctx, 'merge', data, 'MutationID');
 * ```
 */
export function expectBigintField(ctx: LabelmapContext, what: string, data: unknown, key: string): bigint {
  const value = (data as Record<string, unknown> | null)?.[key];
  if (typeof value !== 'bigint') throwUnexpectedJson(ctx, what, data);
  return value;
}

/**
 * A labelmap JSON answer that must be an array of non-negative bigints (of `length`, when
 * given), as a `BigUint64Array`; a {@link DecodeError} otherwise.
 *
 * @example
 * ```ts
 * const ids = expectBigintArray(ctx, 'supervoxels', data);
 * ```
 */
export function expectBigintArray(ctx: LabelmapContext, what: string, data: unknown, length?: number): BigUint64Array {
  if (!Array.isArray(data) || (length !== undefined && data.length !== length) || !data.every((v) => typeof v === 'bigint' && v >= 0n)) {
    throwUnexpectedJson(ctx, what, data);
  }
  return BigUint64Array.from(data as bigint[]);
}

/**
 * A labelmap call answering JSON (parsed with exact integers), with an optional JSON body.
 *
 * @example
 * ```ts
 * const data = await requestLabelmapJson(ctx, 'maxlabel', 'read the max label', { idempotent: true });
 * ```
 */
export async function requestLabelmapJson(
  ctx: LabelmapContext,
  keyword: string,
  what: string,
  options: LabelmapCallOptions & { query?: QueryValues; body?: string; method?: string; idempotent?: boolean },
): Promise<unknown> {
  return ctx.transport.requestJson({
    method: options.method ?? 'GET',
    path: labelmapPath(ctx, keyword),
    query: options.query,
    body: options.body,
    headers: options.body !== undefined ? { 'Content-Type': 'application/json' } : undefined,
    attempted: `${what} on "${ctx.name}"`,
    bigints: 'all',
    idempotent: options.idempotent,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
}
