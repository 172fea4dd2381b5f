/**
 * keyvalue instances: byte values under string keys, versioned like everything in DVID.
 *
 * Values are bytes; `getKeyText`/`getKeyJson` and `putKeyJson` decode and encode on the client
 * (JSON with exact 64-bit integers). Batch reads and writes use DVID's protobuf forms
 * (`KeyValues`, `Keys` from `datatype/common/proto/keyvalue.proto`) through
 * `@bufbuild/protobuf`, so every value travels as raw bytes, whatever it holds.
 *
 * Keys: DVID takes the key from one path segment, so a key containing `/` (or the path
 * segments `.` and `..`, which HTTP servers normalise away) can never be addressed. Such keys
 * are refused with a {@link DvidArgumentError} before any request. Writes also refuse keys
 * containing `%`: DVID v1.0.0 prints key listings (`keys`, `keyrange`) through a Printf
 * format, which turns `a%20` into `a%!"(MISSING)`. Reading such keys (written by other
 * clients) works, and the listing calls fall back to the protobuf range read when DVID's JSON
 * is broken this way (that fallback cannot see keys whose value is empty).
 *
 * DVID v1.0.0 facts the functions follow:
 * - a missing key answers 404 (`getKey` returns `undefined`, `hasKey` false);
 * - an **empty** value is listed by `keys` and `HEAD` but `GET` answers 404 and range/batch
 *   reads skip it or return it empty, so reads treat empty values as missing;
 * - `DELETE` never checks that the key exists.
 *
 * Byte ranges (`Range` header, 206/416) exist only in DVID releases after v1.0.0.
 * `getKeyBytes(..., {range})` asks for the range and, when the server ignores it (v1.0.0 sends
 * the whole value with 200), cuts the range out locally with the same rules.
 *
 * @example
 * ```ts
 * const kv = client.keyvalue(uuid, 'config');
 * await kv.putJson('settings', { threshold: 0.5 });
 * await kv.getJson('settings');                 // { threshold: 0.5 }
 * await kv.keyRange('a', 'm');                  // keys a ≤ key ≤ m, in byte order
 * const values = await kv.getMany(['settings', 'missing']); // Map { 'settings' => Uint8Array }
 * ```
 * @module
 */
import { decodeKeyValues, encodeKeys, encodeKeyValues } from '../codecs/keyvalue-proto.js';
import { DecodeError, DvidArgumentError, DvidHttpError, redactUrl } from '../errors.js';
import { parseJsonWithBigInts, stringifyJsonWithBigInts, type BigIntMode } from '../transport/json.js';
import { callFields, instancePath, type InstanceCallOptions, type InstanceContext } from './instance-common.js';
import { mapLimited } from './labelmap-common.js';

// ---------------------------------------------------------------------------------------------
// Keys and values

/**
 * A value to store: bytes, or text (sent as UTF-8).
 *
 * @example
 * ```ts
 * const value: KeyValueInput = 'text, sent as UTF-8';
 * ```
 */
export type KeyValueInput = Uint8Array | string;

/**
 * How batch and range reads hand values back.
 *
 * @example
 * ```ts
 * await kv.rangeValues('a', 'z', { as: 'text' satisfies ValueFormat });
 * ```
 */
export type ValueFormat = 'bytes' | 'text' | 'json';

/**
 * The value type for a {@link ValueFormat}.
 *
 * @example
 * ```ts
 * const v: ValueOf<'json'> = (await kv.getMany(['a'], { as: 'json' })).get('a');
 * ```
 */
export type ValueOf<F extends ValueFormat> = F extends 'bytes' ? Uint8Array : F extends 'text' ? string : unknown;

/**
 * Options for reads that decode values.
 *
 * @example
 * ```ts
 * await kv.rangeValues('a', 'z', { as: 'json', bigints: 'all' } satisfies ValueReadOptions<'json'>);
 * ```
 */
export interface ValueReadOptions<F extends ValueFormat = 'bytes'> extends InstanceCallOptions {
  /** `'bytes'` (default), `'text'` (UTF-8) or `'json'` (parsed on the client). */
  as?: F;
  /** With `as: 'json'`: which integers become `bigint`. @default 'unsafe' (beyond 2^53) */
  bigints?: BigIntMode;
}

/**
 * Checks a key: a non-empty string without `/`, and not `.` or `..`.
 *
 * @throws {@link DvidArgumentError} otherwise (no request is made).
 * @example
 * ```ts
 * checkKey('a/b', 'key'); // throws: DVID splits paths on "/"
 * ```
 */
export function checkKey(key: unknown, argument = 'key'): string {
  if (typeof key !== 'string' || key === '') throw new DvidArgumentError(argument, `expected a non-empty string key, got ${JSON.stringify(key)}`);
  if (key.includes('/')) {
    throw new DvidArgumentError(argument, `${JSON.stringify(key)} contains "/": DVID takes keys from one URL path segment and cannot address it`);
  }
  if (key === '.' || key === '..') throw new DvidArgumentError(argument, `${JSON.stringify(key)} is a relative path segment that HTTP normalises away`);
  return key;
}

/**
 * Checks a key for writing: {@link checkKey}, and no `%` (DVID v1.0.0 corrupts such keys in
 * its key listings).
 *
 * @throws {@link DvidArgumentError} otherwise (no request is made).
 * @example
 * ```ts
 * checkWritableKey('50%', 'key'); // throws
 * ```
 */
export function checkWritableKey(key: unknown, argument = 'key'): string {
  const k = checkKey(key, argument);
  if (k.includes('%')) {
    throw new DvidArgumentError(
      argument,
      `${JSON.stringify(k)} contains "%": DVID v1.0.0 prints key listings through a Printf format and would list it corrupted`,
    );
  }
  return k;
}

function toBytes(value: KeyValueInput, argument: string): Uint8Array {
  if (typeof value === 'string') return new TextEncoder().encode(value);
  if (value instanceof Uint8Array) return value;
  throw new DvidArgumentError(argument, 'expected a Uint8Array or a string (use putKeyJson for other values)');
}

const utf8 = new TextDecoder();

function decodeValue<F extends ValueFormat>(bytes: Uint8Array, as: F | undefined, key: string, bigints: BigIntMode | undefined): ValueOf<F> {
  if (!as || as === 'bytes') return bytes as ValueOf<F>;
  const text = utf8.decode(bytes);
  if (as === 'text') return text as ValueOf<F>;
  try {
    return parseJsonWithBigInts(text, bigints ?? 'unsafe') as ValueOf<F>;
  } catch (cause) {
    throw new DecodeError('json', `the value of key ${JSON.stringify(key)} is not JSON: ${text.slice(0, 100)}`, { cause });
  }
}

function kvPath(ctx: InstanceContext, keyword: string, ...keys: string[]): string {
  return instancePath(ctx, keyword, keys.map((k) => checkKey(k)), keys.length === 2 ? ['first', 'last'] : ['key']);
}

/**
 * Options for {@link getKeyBytes}.
 *
 * @example
 * ```ts
 * await kv.get('blob', { range: { suffix: 16 } } satisfies GetKeyOptions);
 * ```
 */
export interface GetKeyOptions extends InstanceCallOptions {
  /**
   * Only these bytes of the value: `start` (inclusive) to `end` (inclusive, clamped to the
   * value), or `{suffix: n}` for the last n bytes. Sent as an HTTP `Range` header; servers
   * without range support (DVID v1.0.0) send the whole value and the SDK cuts it locally.
   * A range starting at or after the end of the value fails with a 416 {@link DvidHttpError}.
   */
  range?: { start: number; end?: number } | { suffix: number };
}

/**
 * Reads a value as bytes (`GET /key/{key}`); `undefined` when the key is missing (or its value
 * is empty, which DVID v1.0.0 reports as missing).
 *
 * @example
 * ```ts
 * const bytes = await getKeyBytes(ctx, 'mesh.drc');
 * const head = await getKeyBytes(ctx, 'mesh.drc', { range: { start: 0, end: 15 } });
 * ```
 */
export async function getKeyBytes(ctx: InstanceContext, key: string, options: GetKeyOptions = {}): Promise<Uint8Array | undefined> {
  const path = kvPath(ctx, 'key', key);
  const range = options.range === undefined ? undefined : checkRange(options.range);
  const response = await ctx.transport.request({
    path,
    headers: range ? { Range: range.header } : undefined,
    attempted: `read key ${JSON.stringify(key)} of "${ctx.name}"`,
    okStatuses: [200, 206, 404],
    ...callFields(options),
  });
  if (response.status === 404) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!range || response.status === 206) return bytes;
  const slice = range.cut(bytes.length);
  if (!slice) {
    throw new DvidHttpError({
      method: 'GET',
      url: redactUrl(ctx.transport.buildUrl(path)),
      attempted: `read ${range.header} of key ${JSON.stringify(key)} of "${ctx.name}"`,
      status: 416,
      statusText: 'Range Not Satisfiable',
      responseText: `range not satisfiable for a value of ${bytes.length} bytes (checked by dvid-ts: this server ignores Range)`,
    });
  }
  return bytes.subarray(slice[0], slice[1]);
}

function checkRange(range: NonNullable<GetKeyOptions['range']>): { header: string; cut: (length: number) => [number, number] | undefined } {
  const ok = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if ('suffix' in range) {
    if (!ok(range.suffix) || range.suffix === 0) throw new DvidArgumentError('range.suffix', `expected a positive integer, got ${range.suffix}`);
    const n = range.suffix;
    return { header: `bytes=-${n}`, cut: (len) => (len === 0 ? undefined : [Math.max(0, len - n), len]) };
  }
  const { start, end } = range;
  if (!ok(start)) throw new DvidArgumentError('range.start', `expected a non-negative integer, got ${start}`);
  if (end !== undefined && (!ok(end) || end < start)) throw new DvidArgumentError('range.end', `expected an integer ≥ start, got ${end}`);
  return {
    header: `bytes=${start}-${end ?? ''}`,
    cut: (len) => (start >= len ? undefined : [start, end === undefined ? len : Math.min(end + 1, len)]),
  };
}

/**
 * Reads a value as UTF-8 text; `undefined` when missing.
 *
 * @example
 * ```ts
 * await getKeyText(ctx, 'README'); // 'hello'
 * ```
 */
export async function getKeyText(ctx: InstanceContext, key: string, options: InstanceCallOptions = {}): Promise<string | undefined> {
  const bytes = await getKeyBytes(ctx, key, options);
  return bytes === undefined ? undefined : utf8.decode(bytes);
}

/**
 * Options for {@link getKeyJson}.
 *
 * @example
 * ```ts
 * await kv.getJson('settings', { bigints: 'all' } satisfies GetKeyJsonOptions);
 * ```
 */
export interface GetKeyJsonOptions extends InstanceCallOptions {
  /** Which integers become `bigint`. @default 'unsafe' (those beyond 2^53) */
  bigints?: BigIntMode;
}

/**
 * Reads a value and parses it as JSON (integers beyond 2^53 as `bigint`); `undefined` when missing.
 *
 * @throws {@link DecodeError} when the value is not JSON.
 * @example
 * ```ts
 * const settings = await getKeyJson<{ threshold: number }>(ctx, 'settings');
 * ```
 */
export async function getKeyJson<T = unknown>(ctx: InstanceContext, key: string, options: GetKeyJsonOptions = {}): Promise<T | undefined> {
  const bytes = await getKeyBytes(ctx, key, options);
  return bytes === undefined ? undefined : (decodeValue(bytes, 'json', key, options.bigints) as T);
}

/**
 * Stores a value (`POST /key/{key}`), replacing any value at this version.
 *
 * @throws {@link DvidArgumentError} before any request for a bad key or value type.
 * @example
 * ```ts
 * await putKey(ctx, 'notes.txt', 'hello');
 * await putKey(ctx, 'blob', new Uint8Array([1, 2, 3]));
 * ```
 */
export async function putKey(ctx: InstanceContext, key: string, value: KeyValueInput, options: InstanceCallOptions = {}): Promise<void> {
  const path = kvPath(ctx, 'key', checkWritableKey(key));
  const body = toBytes(value, 'value');
  await ctx.transport.request({
    method: 'POST',
    path,
    body,
    headers: { 'Content-Type': 'application/octet-stream' },
    attempted: `write key ${JSON.stringify(key)} of "${ctx.name}"`,
    idempotent: true,
    ...callFields(options),
  });
}

/**
 * Stores any JSON-serialisable value (bigints as exact integers).
 *
 * @example
 * ```ts
 * await putKeyJson(ctx, 'body', { id: 2n ** 60n, status: 'traced' });
 * ```
 */
export async function putKeyJson(ctx: InstanceContext, key: string, value: unknown, options: InstanceCallOptions = {}): Promise<void> {
  if (value === undefined) throw new DvidArgumentError('value', 'undefined is not JSON');
  await putKey(ctx, key, stringifyJsonWithBigInts(value), options);
}

/**
 * Deletes a key (`DELETE /key/{key}`). DVID does not check that the key exists.
 *
 * @example
 * ```ts
 * await deleteKey(ctx, 'old');
 * ```
 */
export async function deleteKey(ctx: InstanceContext, key: string, options: InstanceCallOptions = {}): Promise<void> {
  await ctx.transport.request({
    method: 'DELETE',
    path: kvPath(ctx, 'key', key),
    attempted: `delete key ${JSON.stringify(key)} of "${ctx.name}"`,
    ...callFields(options),
  });
}

/**
 * True when the key exists (`HEAD /key/{key}`: 200 or 404). Unlike `GET`, this also reports
 * keys whose value is empty.
 *
 * @example
 * ```ts
 * if (!(await hasKey(ctx, 'settings'))) await putKeyJson(ctx, 'settings', {});
 * ```
 */
export async function hasKey(ctx: InstanceContext, key: string, options: InstanceCallOptions = {}): Promise<boolean> {
  const response = await ctx.transport.request({
    method: 'HEAD',
    path: kvPath(ctx, 'key', key),
    attempted: `check key ${JSON.stringify(key)} of "${ctx.name}"`,
    okStatuses: [200, 404],
    ...callFields(options),
  });
  await response.body?.cancel().catch(() => undefined);
  return response.status === 200;
}

/**
 * Every key at this version, in byte order (`GET /keys`).
 *
 * @example
 * ```ts
 * await listKeys(ctx); // ['a', 'b', 'settings']
 * ```
 */
export async function listKeys(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<string[]> {
  const text = await ctx.transport.requestText({
    path: instancePath(ctx, 'keys'),
    attempted: `list keys of "${ctx.name}"`,
    ...callFields(options),
  });
  // %00…%FF spans every key DVID can hold (its keys are raw bytes).
  return parseKeyList(text) ?? keysFromRange(ctx, `${instancePath(ctx, 'keyrangevalues')}/%00/%FF`, options);
}

/** DVID's JSON key list, or undefined when it is broken (keys with `%`, see the module notes). */
function parseKeyList(text: string): string[] | undefined {
  // Go's Printf marks a bad verb with "%!": the listing may even still be valid JSON.
  if (text.includes('%!')) return undefined;
  try {
    const keys = JSON.parse(text) as unknown;
    if (keys === null) return [];
    if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) return keys as string[];
  } catch {
    // fall through
  }
  throw new DecodeError('json', `DVID's key list is not a JSON array of strings: ${text.slice(0, 200)}`);
}

async function keysFromRange(ctx: InstanceContext, path: string, options: InstanceCallOptions): Promise<string[]> {
  const bytes = await ctx.transport.requestBytes({ path, attempted: `list keys of "${ctx.name}" (protobuf range)`, ...callFields(options) });
  return decodeKeyValues(bytes).map(([k]) => k);
}

/**
 * Keys with `first ≤ key ≤ last` in byte order (`GET /keyrange/{first}/{last}`).
 *
 * @example
 * ```ts
 * await listKeyRange(ctx, 'img_0000', 'img_0099');
 * ```
 */
export async function listKeyRange(ctx: InstanceContext, first: string, last: string, options: InstanceCallOptions = {}): Promise<string[]> {
  const text = await ctx.transport.requestText({
    path: kvPath(ctx, 'keyrange', first, last),
    attempted: `list keys ${JSON.stringify(first)}…${JSON.stringify(last)} of "${ctx.name}"`,
    ...callFields(options),
  });
  return parseKeyList(text) ?? keysFromRange(ctx, kvPath(ctx, 'keyrangevalues', first, last), options);
}

/**
 * Keys and values with `first ≤ key ≤ last` (`GET /keyrangevalues/{first}/{last}`, protobuf
 * form), in key order. Keys with empty values are left out (DVID skips them).
 *
 * @example
 * ```ts
 * const m = await getKeyRangeValues(ctx, 'a', 'z', { as: 'json' }); // Map<string, unknown>
 * ```
 */
export async function getKeyRangeValues<F extends ValueFormat = 'bytes'>(
  ctx: InstanceContext,
  first: string,
  last: string,
  options: ValueReadOptions<F> = {},
): Promise<Map<string, ValueOf<F>>> {
  const bytes = await ctx.transport.requestBytes({
    path: kvPath(ctx, 'keyrangevalues', first, last),
    attempted: `read values ${JSON.stringify(first)}…${JSON.stringify(last)} of "${ctx.name}"`,
    ...callFields(options),
  });
  const out = new Map<string, ValueOf<F>>();
  for (const [k, v] of decodeKeyValues(bytes)) if (v.length > 0) out.set(k, decodeValue(v, options.as, k, options.bigints));
  return out;
}

/**
 * Options for {@link getKeyValues}.
 *
 * @example
 * ```ts
 * await kv.getMany(['a', 'b'], { as: 'text', fallback: 'error' } satisfies GetManyOptions<'text'>);
 * ```
 */
export interface GetManyOptions<F extends ValueFormat = 'bytes'> extends ValueReadOptions<F> {
  /**
   * Where GET cannot carry a body (browsers): `'per-key'` reads the keys one by one,
   * `'error'` throws a {@link DvidArgumentError}. @default 'per-key'
   */
  fallback?: 'per-key' | 'error';
  /** Requests in flight for the per-key fallback. @default 8 */
  concurrency?: number;
}

/**
 * Reads many keys at once (`GET /keyvalues` with a protobuf `Keys` body). Missing keys and
 * empty values are left out of the map (DVID answers both with an empty value).
 *
 * Browsers cannot send a body with GET: there the keys are read one by one (or, with
 * `fallback: 'error'`, a {@link DvidArgumentError} says so).
 *
 * @example
 * ```ts
 * const values = await getKeyValues(ctx, ['a', 'b', 'nope'], { as: 'text' }); // Map { a → '…', b → '…' }
 * ```
 */
export async function getKeyValues<F extends ValueFormat = 'bytes'>(
  ctx: InstanceContext,
  keys: readonly string[],
  options: GetManyOptions<F> = {},
): Promise<Map<string, ValueOf<F>>> {
  if (!Array.isArray(keys)) throw new DvidArgumentError('keys', 'expected an array of keys');
  keys.forEach((k, i) => checkKey(k, `keys[${i}]`));
  const out = new Map<string, ValueOf<F>>();
  if (keys.length === 0) return out;
  if (!ctx.transport.canSendGetBody) {
    if (options.fallback === 'error') {
      throw new DvidArgumentError('keys', 'GET /keyvalues needs a request body, which this runtime (a browser) cannot send with GET');
    }
    const values = await mapLimited(keys, options.concurrency ?? 8, (k) => getKeyBytes(ctx, k, options));
    keys.forEach((k, i) => {
      const v = values[i];
      if (v !== undefined && v.length > 0) out.set(k, decodeValue(v, options.as, k, options.bigints));
    });
    return out;
  }
  const bytes = await ctx.transport.requestBytes({
    path: instancePath(ctx, 'keyvalues'),
    body: encodeKeys(keys),
    attempted: `read ${keys.length} keys of "${ctx.name}"`,
    ...callFields(options),
  });
  for (const [k, v] of decodeKeyValues(bytes)) if (v.length > 0) out.set(k, decodeValue(v, options.as, k, options.bigints));
  return out;
}

/**
 * Stores many values in one request (`POST /keyvalues` with a protobuf `KeyValues` body).
 * Values may be bytes or text.
 *
 * @throws {@link DvidArgumentError} before any request for a bad key or value.
 * @example
 * ```ts
 * await putKeyValues(ctx, { a: 'one', b: new Uint8Array([2]) });
 * await putKeyValues(ctx, new Map([['c', 'three']]));
 * ```
 */
export async function putKeyValues(
  ctx: InstanceContext,
  entries: Record<string, KeyValueInput> | Iterable<readonly [string, KeyValueInput]>,
  options: InstanceCallOptions = {},
): Promise<void> {
  const list: [string, Uint8Array][] = [];
  const source = isIterable(entries) ? entries : Object.entries(entries);
  for (const pair of source) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new DvidArgumentError('entries', 'expected [key, value] pairs');
    const [k, v] = pair as [string, KeyValueInput];
    list.push([checkWritableKey(k, 'entries'), toBytes(v, `entries[${JSON.stringify(k)}]`)]);
  }
  if (list.length === 0) return;
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'keyvalues'),
    body: encodeKeyValues(list),
    headers: { 'Content-Type': 'application/octet-stream' },
    attempted: `write ${list.length} keys of "${ctx.name}"`,
    idempotent: true,
    ...callFields(options),
  });
}

function isIterable(x: unknown): x is Iterable<readonly [string, KeyValueInput]> {
  return x !== null && typeof x === 'object' && typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}
