/**
 * neuronjson instances: one JSON object per body ID (uint64), with field-level merge on
 * write, per-field `<field>_user` / `<field>_time` stamps, queries, and schemas.
 *
 * Writes need a user: DVID stamps `<field>_user` from `u=`. The SDK refuses to send a write
 * unless the client was made with `user` ({@link DvidArgumentError} before any request).
 *
 * Semantics (DVID v1.0.0):
 * - `putNeuron` **merges** fields into the stored object; `replace: true` replaces it;
 *   `conditional: [...]` keeps those fields when they are already set. Fields whose value
 *   does not change keep their `_user`/`_time`. Body ID 0 is refused.
 * - Reads hide `_user`/`_time` fields unless `show: 'user' | 'time' | 'all'`; `fields` limits
 *   the fields returned (on the master branch's head; other versions ignore it in `query`).
 * - DVID keeps the master head in memory: `fields` (the field listing) only works there.
 * - `all` and `query` return records in DVID's order; the SDK sorts them by `bodyid`.
 *   `all` leaves out records with a single field (DVID's rule).
 * - Query objects: every field must match (AND); a list of objects is an OR. Values can be a
 *   number, string, list (any element matches), `'re/<regex>'` ({@link matchesRegex}) or
 *   `'exists/0'|'exists/1'` ({@link fieldExists}).
 *
 * Version note: v1.0.0 reads the conditional fields from a `conditionals=` query parameter
 * while its help (and later releases) name it `conditional=`; the SDK sends both.
 *
 * @example
 * ```ts
 * const client = new DvidClient(url, { user: 'alice' });
 * const nj = client.neuronjson(uuid, 'segmentation_annotations');
 * await nj.put(12345n, { type: 'KC', status: 'Traced' });
 * await nj.put(12345n, { type: 'PN' }, { conditional: ['type'] }); // type stays 'KC'
 * await nj.get(12345n, { show: 'user' });  // { status: 'Traced', status_user: 'alice', type: 'KC', type_user: 'alice' }
 * await nj.query({ type: matchesRegex('K.*'), status: fieldExists(true) });
 * ```
 * @module
 */
import { decodeKeyValues, encodeKeys, encodeKeyValues } from '../codecs/keyvalue-proto.js';
import { DecodeError, DvidArgumentError } from '../errors.js';
import { parseJsonWithBigInts, stringifyJsonWithBigInts } from '../transport/json.js';
import { callFields, instancePath, type InstanceCallOptions, type InstanceContext } from './instance-common.js';
import { mapLimited, toLabelId, toLabelIds, type LabelId } from './labelmap-common.js';

/**
 * A neuron annotation: any JSON object; integers beyond 2^53 come back as `bigint`.
 *
 * @example
 * ```ts
 * const r: NeuronRecord = { bodyid: 7n, type: 'KC' };
 * ```
 */
export type NeuronRecord = Record<string, unknown> & { bodyid?: bigint | number };

/**
 * Which stamp fields reads include.
 *
 * @example
 * ```ts
 * await nj.get(7n, { show: 'all' satisfies NeuronShow });
 * ```
 */
export type NeuronShow = 'user' | 'time' | 'all';

/**
 * Options for reads.
 *
 * @example
 * ```ts
 * await nj.all({ fields: ['type'], show: 'user' } satisfies NeuronReadOptions);
 * ```
 */
export interface NeuronReadOptions extends InstanceCallOptions {
  /** Include `_user` fields (`'user'`), `_time` fields (`'time'`) or both (`'all'`). @default neither */
  show?: NeuronShow;
  /** Only these fields (and `bodyid`). */
  fields?: readonly string[];
}

/**
 * Options for {@link putNeuron} and {@link putNeurons}.
 *
 * @example
 * ```ts
 * await nj.put(7n, { type: 'KC' }, { conditional: ['type'] } satisfies NeuronWriteOptions);
 * ```
 */
export interface NeuronWriteOptions extends InstanceCallOptions {
  /** Replace the stored object instead of merging fields into it. @default false */
  replace?: boolean;
  /** Fields that keep their stored value when already set. */
  conditional?: readonly string[];
}

/**
 * The metadata documents a neuronjson keeps: a JSON Schema that validates writes, and neutu/neu3 schemas.
 *
 * @example
 * ```ts
 * await nj.schema('json_schema' satisfies NeuronSchemaKind);
 * ```
 */
export type NeuronSchemaKind = 'json_schema' | 'schema' | 'schema_batch';

/**
 * A value in a query object.
 *
 * @example
 * ```ts
 * const v: NeuronQueryValue = ['KC', 'PN'];
 * ```
 */
export type NeuronQueryValue = string | number | bigint | boolean | null | readonly (string | number | bigint)[];

/**
 * A query: field → wanted value; all fields must match.
 *
 * @example
 * ```ts
 * const q: NeuronQuery = { type: 'KC', status: fieldExists(true) };
 * ```
 */
export type NeuronQuery = Record<string, NeuronQueryValue>;

/**
 * A query value that matches strings by regular expression (anchored at the start by DVID).
 *
 * @example
 * ```ts
 * await nj.query({ type: matchesRegex('MBON.*') });
 * ```
 */
export function matchesRegex(pattern: string): string {
  return `re/${pattern}`;
}

/**
 * A query value that tests whether a field is present (`true`) or absent/null (`false`).
 *
 * @example
 * ```ts
 * await nj.query({ status: fieldExists(false) });
 * ```
 */
export function fieldExists(present: boolean): string {
  return present ? 'exists/1' : 'exists/0';
}

function bodyArg(id: LabelId, argument = 'bodyId'): string {
  return toLabelId(id, argument).toString();
}

/**
 * Throws unless the client has a `user` (DVID's `u=`), which neuronjson writes need.
 *
 * @throws {@link DvidArgumentError} saying how to set it.
 * @example
 * ```ts
 * requireUser(ctx, 'write body 7'); // throws when the client was made without {user}
 * ```
 */
export function requireUser(ctx: InstanceContext, action: string): string {
  const user = ctx.transport.buildUrl('/').searchParams.get('u');
  if (!user) {
    throw new DvidArgumentError(
      'user',
      `neuronjson writes are stamped with the user (DVID's u=): make the client with new DvidClient(url, { user: '...' }) to ${action}`,
    );
  }
  return user;
}

function readQuery(options: NeuronReadOptions): Record<string, string | undefined> {
  if (options.show !== undefined && !['user', 'time', 'all'].includes(options.show)) {
    throw new DvidArgumentError('show', `expected 'user', 'time' or 'all', got ${JSON.stringify(options.show)}`);
  }
  if (options.fields !== undefined) {
    if (!Array.isArray(options.fields) || !options.fields.every((f) => typeof f === 'string' && f !== '' && !f.includes(','))) {
      throw new DvidArgumentError('fields', 'expected field names without ","');
    }
  }
  return { show: options.show, fields: options.fields?.length ? options.fields.join(',') : undefined };
}

function writeQuery(options: NeuronWriteOptions): Record<string, string | undefined> {
  const cond = options.conditional;
  if (cond !== undefined && (!Array.isArray(cond) || !cond.every((f) => typeof f === 'string' && f !== '' && !f.includes(',')))) {
    throw new DvidArgumentError('conditional', 'expected field names without ","');
  }
  const list = cond?.length ? cond.join(',') : undefined;
  return { replace: options.replace ? 'true' : undefined, conditional: list, conditionals: list };
}

function parseRecord(text: string, what: string): NeuronRecord {
  let value: unknown;
  try {
    value = parseJsonWithBigInts(text, 'unsafe');
  } catch (cause) {
    throw new DecodeError('json', `${what} is not JSON: ${text.slice(0, 120)}`, { cause });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DecodeError('json', `${what} is not a JSON object`);
  return value as NeuronRecord;
}

function checkRecord(record: unknown, argument: string): string {
  if (!record || typeof record !== 'object' || Array.isArray(record)) throw new DvidArgumentError(argument, 'expected a JSON object');
  return stringifyJsonWithBigInts(record);
}

function sortByBody(records: NeuronRecord[]): NeuronRecord[] {
  const key = (r: NeuronRecord) => (typeof r.bodyid === 'bigint' ? r.bodyid : typeof r.bodyid === 'number' ? BigInt(r.bodyid) : -1n);
  return records.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

// ---------------------------------------------------------------------------------------------
// One record

/**
 * Reads one body's record (`GET /key/{id}`); `undefined` when there is none.
 *
 * @example
 * ```ts
 * await getNeuron(ctx, 12345n, { show: 'all' });
 * ```
 */
export async function getNeuron(ctx: InstanceContext, bodyId: LabelId, options: NeuronReadOptions = {}): Promise<NeuronRecord | undefined> {
  const id = bodyArg(bodyId);
  const response = await ctx.transport.request({
    path: instancePath(ctx, 'key', [id]),
    query: readQuery(options),
    attempted: `read body ${id} of "${ctx.name}"`,
    okStatuses: [200, 404],
    ...callFields(options),
  });
  if (response.status === 404) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  return parseRecord(await response.text(), `the record of body ${id}`);
}

/**
 * Writes one body's record (`POST /key/{id}`): merges fields unless `replace`, keeps
 * `conditional` fields that are already set. Needs the client's `user`.
 *
 * @throws {@link DvidArgumentError} before any request without a user, for body 0 or a non-object.
 * @example
 * ```ts
 * await putNeuron(ctx, 12345n, { status: 'Traced' });
 * await putNeuron(ctx, 12345n, { bodyid: 12345n, type: 'KC' }, { replace: true });
 * ```
 */
export async function putNeuron(ctx: InstanceContext, bodyId: LabelId, record: NeuronRecord, options: NeuronWriteOptions = {}): Promise<void> {
  const id = bodyArg(bodyId);
  const body = checkRecord(record, 'record');
  requireUser(ctx, `write body ${id}`);
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'key', [id]),
    query: writeQuery(options),
    body,
    headers: { 'Content-Type': 'application/json' },
    attempted: `write body ${id} of "${ctx.name}"`,
    idempotent: false,
    ...callFields(options),
  });
}

/**
 * Deletes one body's record (`DELETE /key/{id}`).
 *
 * @example
 * ```ts
 * await deleteNeuron(ctx, 12345n);
 * ```
 */
export async function deleteNeuron(ctx: InstanceContext, bodyId: LabelId, options: InstanceCallOptions = {}): Promise<void> {
  const id = bodyArg(bodyId);
  await ctx.transport.request({
    method: 'DELETE',
    path: instancePath(ctx, 'key', [id]),
    attempted: `delete body ${id} of "${ctx.name}"`,
    ...callFields(options),
  });
}

/**
 * True when the body has a record (`HEAD /key/{id}`).
 *
 * @example
 * ```ts
 * await hasNeuron(ctx, 12345n);
 * ```
 */
export async function hasNeuron(ctx: InstanceContext, bodyId: LabelId, options: InstanceCallOptions = {}): Promise<boolean> {
  const id = bodyArg(bodyId);
  const response = await ctx.transport.request({
    method: 'HEAD',
    path: instancePath(ctx, 'key', [id]),
    attempted: `check body ${id} of "${ctx.name}"`,
    okStatuses: [200, 404],
    ...callFields(options),
  });
  await response.body?.cancel().catch(() => undefined);
  return response.status === 200;
}

// ---------------------------------------------------------------------------------------------
// Keys and ranges

function parseKeys(keys: unknown): bigint[] {
  if (keys === null) return [];
  if (!Array.isArray(keys)) throw new DecodeError('json', 'expected a JSON array of keys');
  return keys.map((k) => {
    if (typeof k !== 'string' || !/^\d+$/.test(k)) throw new DecodeError('json', `not a body ID key: ${JSON.stringify(k)}`);
    return BigInt(k);
  });
}

/**
 * Every body ID with a record (`GET /keys`), ascending on the master head (other versions list
 * them in DVID's key byte order; the SDK sorts numerically).
 *
 * @example
 * ```ts
 * await listNeuronKeys(ctx); // [7n, 20n, 100n]
 * ```
 */
export async function listNeuronKeys(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<bigint[]> {
  const keys = await ctx.transport.requestJson<unknown>({
    path: instancePath(ctx, 'keys'),
    attempted: `list bodies of "${ctx.name}"`,
    ...callFields(options),
  });
  return parseKeys(keys).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Body IDs with `first ≤ id ≤ last` (`GET /keyrange/{first}/{last}`), ascending.
 *
 * @example
 * ```ts
 * await listNeuronKeyRange(ctx, 0n, 1000n);
 * ```
 */
export async function listNeuronKeyRange(ctx: InstanceContext, first: LabelId, last: LabelId, options: InstanceCallOptions = {}): Promise<bigint[]> {
  const a = toLabelId(first, 'first', { allowZero: true }).toString();
  const b = toLabelId(last, 'last', { allowZero: true }).toString();
  const keys = await ctx.transport.requestJson<unknown>({
    path: instancePath(ctx, 'keyrange', [a, b], ['first', 'last']),
    attempted: `list bodies ${a}…${b} of "${ctx.name}"`,
    ...callFields(options),
  });
  return parseKeys(keys).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function parseRecords(entries: [string, Uint8Array][]): Map<bigint, NeuronRecord> {
  const utf8 = new TextDecoder();
  const out = new Map<bigint, NeuronRecord>();
  for (const [k, v] of entries) {
    if (v.length === 0) continue;
    if (!/^\d+$/.test(k)) throw new DecodeError('json', `not a body ID key: ${JSON.stringify(k)}`);
    out.set(BigInt(k), parseRecord(utf8.decode(v), `the record of body ${k}`));
  }
  return out;
}

/**
 * Records of bodies `first ≤ id ≤ last` (`GET /keyrangevalues/{first}/{last}`, protobuf form).
 *
 * @example
 * ```ts
 * const records = await getNeuronRange(ctx, 0n, 1000n, { fields: ['type'] }); // Map<bigint, NeuronRecord>
 * ```
 */
export async function getNeuronRange(
  ctx: InstanceContext,
  first: LabelId,
  last: LabelId,
  options: NeuronReadOptions = {},
): Promise<Map<bigint, NeuronRecord>> {
  const a = toLabelId(first, 'first', { allowZero: true }).toString();
  const b = toLabelId(last, 'last', { allowZero: true }).toString();
  const bytes = await ctx.transport.requestBytes({
    path: instancePath(ctx, 'keyrangevalues', [a, b], ['first', 'last']),
    query: readQuery(options),
    attempted: `read bodies ${a}…${b} of "${ctx.name}"`,
    ...callFields(options),
  });
  return parseRecords(decodeKeyValues(bytes));
}

/**
 * Options for {@link getNeurons}.
 *
 * @example
 * ```ts
 * await nj.getMany([7n, 8n], { fields: ['type'], fallback: 'error' } satisfies GetNeuronsOptions);
 * ```
 */
export interface GetNeuronsOptions extends NeuronReadOptions {
  /** Where GET cannot carry a body (browsers): `'per-key'` (default) or `'error'`. */
  fallback?: 'per-key' | 'error';
  /** Requests in flight for the per-key fallback. @default 8 */
  concurrency?: number;
}

/**
 * Records of many bodies (`GET /keyvalues` with a protobuf `Keys` body); bodies without a record
 * are left out.
 *
 * @example
 * ```ts
 * await getNeurons(ctx, [7n, 20n, 999n]); // Map { 7n → {...}, 20n → {...} }
 * ```
 */
export async function getNeurons(ctx: InstanceContext, bodyIds: Iterable<LabelId>, options: GetNeuronsOptions = {}): Promise<Map<bigint, NeuronRecord>> {
  const ids = toLabelIds(bodyIds, 'bodyIds');
  if (ids.length === 0) return new Map();
  const q = readQuery(options);
  if (!ctx.transport.canSendGetBody) {
    if (options.fallback === 'error') {
      throw new DvidArgumentError('bodyIds', 'GET /keyvalues needs a request body, which this runtime (a browser) cannot send with GET');
    }
    const records = await mapLimited(ids, options.concurrency ?? 8, (id) => getNeuron(ctx, id, options));
    const out = new Map<bigint, NeuronRecord>();
    ids.forEach((id, i) => {
      const r = records[i];
      if (r !== undefined) out.set(id, r);
    });
    return out;
  }
  const bytes = await ctx.transport.requestBytes({
    path: instancePath(ctx, 'keyvalues'),
    query: q,
    body: encodeKeys(ids.map(String)),
    attempted: `read ${ids.length} bodies of "${ctx.name}"`,
    ...callFields(options),
  });
  return parseRecords(decodeKeyValues(bytes));
}

/**
 * Writes many records in one request (`POST /keyvalues`, protobuf), each as `putNeuron` would.
 * Needs the client's `user`.
 *
 * @example
 * ```ts
 * await putNeurons(ctx, new Map([[7n, { type: 'KC' }], [8n, { type: 'PN' }]]));
 * ```
 */
export async function putNeurons(
  ctx: InstanceContext,
  records: ReadonlyMap<LabelId, NeuronRecord> | Iterable<readonly [LabelId, NeuronRecord]>,
  options: NeuronWriteOptions = {},
): Promise<void> {
  const list: [string, Uint8Array][] = [];
  const utf8 = new TextEncoder();
  for (const [id, record] of records as Iterable<readonly [LabelId, NeuronRecord]>) {
    const key = bodyArg(id, 'records');
    list.push([key, utf8.encode(checkRecord(record, `records[${key}]`))]);
  }
  if (list.length === 0) return;
  requireUser(ctx, `write ${list.length} bodies`);
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'keyvalues'),
    query: writeQuery(options),
    body: encodeKeyValues(list),
    headers: { 'Content-Type': 'application/octet-stream' },
    attempted: `write ${list.length} bodies of "${ctx.name}"`,
    idempotent: false,
    ...callFields(options),
  });
}

/**
 * Every record (`GET /all`), sorted by `bodyid`.
 *
 * @example
 * ```ts
 * await getAllNeurons(ctx, { fields: ['type'] });
 * ```
 */
export async function getAllNeurons(ctx: InstanceContext, options: NeuronReadOptions = {}): Promise<NeuronRecord[]> {
  const text = await ctx.transport.requestText({
    path: instancePath(ctx, 'all'),
    query: readQuery(options),
    attempted: `read all bodies of "${ctx.name}"`,
    ...callFields(options),
  });
  const list = parseJsonWithBigInts(text, 'unsafe');
  if (list === null) return [];
  if (!Array.isArray(list)) throw new DecodeError('json', 'expected a JSON array of records');
  return sortByBody(list as NeuronRecord[]);
}

/**
 * Options for {@link queryNeurons}.
 *
 * @example
 * ```ts
 * await nj.query({ type: 'KC' }, { method: 'POST' } satisfies NeuronQueryOptions);
 * ```
 */
export interface NeuronQueryOptions extends NeuronReadOptions {
  /**
   * `'GET'` sends the query in a GET body (Node, Deno); `'POST'` works everywhere and on
   * committed versions in v1.0.0 (later DVID may refuse POST there).
   * @default 'GET' where the runtime can send it, else 'POST'
   */
  method?: 'GET' | 'POST';
}

function checkQuery(query: NeuronQuery | readonly NeuronQuery[]): string {
  const list = Array.isArray(query) ? query : [query];
  list.forEach((q, i) => {
    if (!q || typeof q !== 'object' || Array.isArray(q)) throw new DvidArgumentError(`query[${i}]`, 'expected a query object');
  });
  return stringifyJsonWithBigInts(query);
}

/**
 * Records matching a query object (all fields match) or any of a list of them (`/query`),
 * sorted by `bodyid`.
 *
 * @example
 * ```ts
 * await queryNeurons(ctx, { type: ['KC', 'PN'], status: fieldExists(true) });
 * await queryNeurons(ctx, [{ type: 'KC' }, { type: matchesRegex('MBON') }]); // OR
 * ```
 */
export async function queryNeurons(ctx: InstanceContext, query: NeuronQuery | readonly NeuronQuery[], options: NeuronQueryOptions = {}): Promise<NeuronRecord[]> {
  const body = checkQuery(query);
  const method = options.method ?? (ctx.transport.canSendGetBody ? 'GET' : 'POST');
  const text = await ctx.transport.requestText({
    method,
    path: instancePath(ctx, 'query'),
    query: readQuery(options),
    body,
    headers: method === 'POST' ? { 'Content-Type': 'application/json' } : undefined,
    attempted: `query "${ctx.name}"`,
    idempotent: true,
    ...callFields(options),
  });
  let list: unknown;
  try {
    list = parseJsonWithBigInts(text, 'unsafe');
  } catch (cause) {
    throw new DecodeError('json', `DVID's query answer is not JSON (it may have failed mid-stream): ${text.slice(-200)}`, { cause });
  }
  if (!Array.isArray(list)) throw new DecodeError('json', 'expected a JSON array of records');
  return sortByBody(list as NeuronRecord[]);
}

/**
 * Body IDs of the records matching a query (client-side `onlyid`: DVID v1.0.0 ignores it).
 *
 * @example
 * ```ts
 * await queryNeuronIds(ctx, { type: 'KC' }); // [7n, 12n]
 * ```
 */
export async function queryNeuronIds(ctx: InstanceContext, query: NeuronQuery | readonly NeuronQuery[], options: NeuronQueryOptions = {}): Promise<bigint[]> {
  const records = await queryNeurons(ctx, query, { ...options, fields: ['bodyid'] });
  return records.flatMap((r) => (typeof r.bodyid === 'bigint' ? [r.bodyid] : typeof r.bodyid === 'number' ? [BigInt(r.bodyid)] : []));
}

/**
 * Every field name used by the records, sorted (`GET /fields`). DVID v1.0.0 answers only on
 * the master branch's head (400 elsewhere).
 *
 * @example
 * ```ts
 * await getNeuronFields(ctx); // ['bodyid', 'status', 'status_time', 'status_user', ...]
 * ```
 */
export async function getNeuronFields(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<string[]> {
  const fields = await ctx.transport.requestJson<string[] | null>({
    path: instancePath(ctx, 'fields'),
    attempted: `list fields of "${ctx.name}"`,
    ...callFields(options),
  });
  return [...(fields ?? [])].sort();
}

// ---------------------------------------------------------------------------------------------
// Schemas

function checkSchemaKind(kind: unknown): NeuronSchemaKind {
  if (kind !== 'json_schema' && kind !== 'schema' && kind !== 'schema_batch') {
    throw new DvidArgumentError('kind', `expected 'json_schema', 'schema' or 'schema_batch', got ${JSON.stringify(kind)}`);
  }
  return kind;
}

/**
 * Reads a schema document (`GET /json_schema`, `/schema`, `/schema_batch`); `undefined` when
 * none is stored.
 *
 * @example
 * ```ts
 * await getNeuronSchema(ctx, 'json_schema');
 * ```
 */
export async function getNeuronSchema(ctx: InstanceContext, kind: NeuronSchemaKind, options: InstanceCallOptions = {}): Promise<unknown> {
  const k = checkSchemaKind(kind);
  const response = await ctx.transport.request({
    path: instancePath(ctx, k),
    attempted: `read ${k} of "${ctx.name}"`,
    okStatuses: [200, 404],
    ...callFields(options),
  });
  const text = await response.text();
  if (response.status === 404 || text === '') return undefined;
  try {
    return parseJsonWithBigInts(text, 'unsafe');
  } catch (cause) {
    throw new DecodeError('json', `the stored ${k} is not JSON: ${text.slice(0, 120)}`, { cause });
  }
}

/**
 * Stores a schema document. A `json_schema` makes DVID validate later writes against it.
 *
 * @example
 * ```ts
 * await putNeuronSchema(ctx, 'json_schema', { type: 'object', properties: { bodyid: { type: 'integer' } } });
 * ```
 */
export async function putNeuronSchema(ctx: InstanceContext, kind: NeuronSchemaKind, schema: unknown, options: InstanceCallOptions = {}): Promise<void> {
  const k = checkSchemaKind(kind);
  if (schema === undefined) throw new DvidArgumentError('schema', 'undefined is not JSON');
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, k),
    body: typeof schema === 'string' ? schema : stringifyJsonWithBigInts(schema),
    headers: { 'Content-Type': 'application/json' },
    attempted: `write ${k} of "${ctx.name}"`,
    idempotent: true,
    ...callFields(options),
  });
}

/**
 * Deletes a schema document.
 *
 * @example
 * ```ts
 * await deleteNeuronSchema(ctx, 'schema_batch');
 * ```
 */
export async function deleteNeuronSchema(ctx: InstanceContext, kind: NeuronSchemaKind, options: InstanceCallOptions = {}): Promise<void> {
  const k = checkSchemaKind(kind);
  await ctx.transport.request({
    method: 'DELETE',
    path: instancePath(ctx, k),
    attempted: `delete ${k} of "${ctx.name}"`,
    ...callFields(options),
  });
}
