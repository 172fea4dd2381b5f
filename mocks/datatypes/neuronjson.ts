/**
 * The neuronjson data type of the mock, as DVID v1.0.0 serves it (`datatype/neuronjson`).
 *
 * Records are kept per version in a {@link VersionedStore} as the JSON DVID stores, and — as
 * DVID does — a separate in-memory database serves the head of the master branch: it is what
 * `keys`, `keyrange`, `all`, `fields`, `query` and `GET /key` read there, with DVID's quirks
 * (numeric key order, `fields` only on the master head, `all` leaving out one-field records, a
 * delete that can leave a body ID in the key list). Values keep Go's types (uint64, int64,
 * float64, []int64, []string, other JSON) for `_user`/`_time` stamping and query matching.
 * Writes merge fields (or replace), honour the `conditionals` parameter, and stamp
 * `<field>_user` (from `u=`) and `<field>_time`. Schemas (`json_schema`, `schema`,
 * `schema_batch`) are stored; unlike DVID the mock does not validate writes against a
 * `json_schema`. Tar forms answer 501.
 *
 * @example
 * ```ts
 * // POST /api/node/<uuid>/nj/key/7?u=alice  {"type":"KC"}   → 200
 * // GET  /api/node/<uuid>/nj/key/7?show=user                 → {"type":"KC","type_user":"alice"}
 * ```
 * @module
 */
import type { DvidConfig } from '../config.js';
import { goJsonFloat, goQuote, goRfc3339 } from '../goformat.js';
import { goJson, parseGoJson, sortedKeys, toGoInterface, type GoJsonNode } from '../gojson.js';
import { bodyResponse, emptyResponse, goHttpError, jsonResponse, notEmulated } from '../http.js';
import type { BaseInstance } from '../instance.js';
import type { MockNode, MockRepo } from '../state.js';
import { badApiRequest, registerDataType, VersionedStore, type DataRequest } from '../versioned.js';
import { baseJson, goSearch, helpResponse, requestBytes, requestText, serveTags, sniffedResponse } from './common.js';
import { decodeKeysMessage, decodeKeyValuesMessage, encodeKeyValuesMessage } from './keyvalue.js';

// ---------------------------------------------------------------------------------------------
// Go-typed values

/** A field value with the Go type DVID's `NeuronJSON.UnmarshalJSON` gives it. */
type GoVal =
  | { k: 'null' }
  | { k: 'u64'; v: bigint }
  | { k: 'i64'; v: bigint }
  | { k: 'f64'; v: number }
  | { k: 'i64list'; v: bigint[] }
  | { k: 'strlist'; v: string[] }
  | { k: 'any'; v: unknown };

type Record_ = Map<string, GoVal>;

const MAX_U64 = (1n << 64n) - 1n;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

function parseUint64(text: string): bigint | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const v = BigInt(text);
  return v <= MAX_U64 ? v : undefined;
}

function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const v = BigInt(text);
  return v >= MIN_I64 && v <= MAX_I64 ? v : undefined;
}

/** Go's `json.Unmarshal` into `[]int64` (null items are 0). */
function asInt64List(node: GoJsonNode): bigint[] | undefined {
  if (node.kind === 'null') return [];
  if (node.kind !== 'array') return undefined;
  const out: bigint[] = [];
  for (const item of node.items) {
    if (item.kind === 'null') out.push(0n);
    else if (item.kind === 'number') {
      const v = parseInt64(item.text);
      if (v === undefined) return undefined;
      out.push(v);
    } else return undefined;
  }
  return out;
}

/** Go's `json.Unmarshal` into `[]string` (null items are ""). */
function asStringList(node: GoJsonNode): string[] | undefined {
  if (node.kind === 'null') return [];
  if (node.kind !== 'array') return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    if (item.kind === 'null') out.push('');
    else if (item.kind === 'string') out.push(item.value);
    else return undefined;
  }
  return out;
}

/** A JSON number as a uint64, else an int64, else a finite float64; `undefined` if none fits. */
function numberVal(text: string): Extract<GoVal, { k: 'u64' | 'i64' | 'f64' }> | undefined {
  const u = parseUint64(text);
  if (u !== undefined) return { k: 'u64', v: u };
  const i = parseInt64(text);
  if (i !== undefined) return { k: 'i64', v: i };
  const f = Number(text);
  return Number.isFinite(f) ? { k: 'f64', v: f } : undefined;
}

function goValOf(node: GoJsonNode): GoVal {
  if (node.kind === 'null') return { k: 'null' };
  if (node.kind === 'number') {
    const n = numberVal(node.text);
    if (n) return n;
    throw new Error(`unable to parse JSON value ${goQuote(node.text)}: json: cannot unmarshal number ${node.text} into Go value of type float64`);
  }
  const ints = asInt64List(node);
  if (ints) return { k: 'i64list', v: ints };
  const strs = asStringList(node);
  if (strs) return { k: 'strlist', v: strs };
  return { k: 'any', v: toGoInterface(node) };
}

/** `NeuronJSON.UnmarshalJSON`. */
function parseRecord(text: string): Record_ {
  const parsed = parseGoJson(text, 'unmarshal');
  if (!parsed.ok) throw new Error(parsed.error);
  const node = parsed.node!;
  if (node.kind === 'null') return new Map();
  if (node.kind !== 'object') throw new Error(`json: cannot unmarshal ${node.kind} into Go value of type map[string]json.RawMessage`);
  const out: Record_ = new Map();
  for (const [key, value] of node.entries) out.set(key, goValOf(value));
  return out;
}

function goAny(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goAny);
  if (v !== null && typeof v === 'object') return sortedKeys(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, goAny(x)])));
  return v;
}

function marshalVal(v: GoVal): string {
  switch (v.k) {
    case 'null':
      return 'null';
    case 'u64':
    case 'i64':
      return v.v.toString();
    case 'f64':
      return goJsonFloat(v.v, 64);
    case 'i64list':
      return `[${v.v.join(',')}]`;
    case 'strlist':
      return goJson(v.v);
    case 'any':
      return goJson(goAny(v.v));
  }
}

function marshalRecord(r: Record_ | undefined): string {
  if (!r) return '{}';
  const keys = [...r.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${goJson(k)}:${marshalVal(r.get(k)!)}`).join(',')}}`;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function sameVal(a: GoVal | undefined, b: GoVal | undefined): boolean {
  if (!a || !b || a.k !== b.k) return false;
  if (a.k === 'null') return true;
  if (a.k === 'i64list' || a.k === 'strlist') {
    const x = a.v as unknown[];
    const y = (b as typeof a).v as unknown[];
    return x.length === y.length && x.every((e, i) => e === y[i]);
  }
  return deepEqual((a as { v: unknown }).v, (b as { v: unknown }).v);
}

// ---------------------------------------------------------------------------------------------
// Instance

interface MemDb {
  data: Map<bigint, Record_>;
  ids: bigint[];
  fields: Set<string>;
}

/**
 * A neuronjson instance of the mock.
 *
 * @example
 * ```ts
 * (state.getInstance(uuid, 'nj') as NeuronjsonInstance).memdb.ids
 * ```
 */
export interface NeuronjsonInstance extends BaseInstance {
  kind: 'neuronjson';
  syncs: string[];
  /** Records as DVID stores them (Go-marshalled JSON), by body ID key. */
  records: VersionedStore<string>;
  /** Schema documents in the store, by schema name. */
  meta: VersionedStore<Uint8Array>;
  /** DVID's in-memory copy of the schema documents, read and written by master-branch open nodes. */
  headMeta: Map<string, Uint8Array>;
  /** DVID's in-memory database of the master branch head. */
  memdb: MemDb;
}

function memdbFor(req: DataRequest<NeuronjsonInstance>): MemDb | undefined {
  const repo: MockRepo = req.repo;
  const head = repo.branchHeads.get('master');
  return head !== undefined && repo.nodes.get(head)?.versionId === req.version.versionId ? req.instance.memdb : undefined;
}

/** `VersionedCtx.Head()`: an open node on the master branch. */
function isHeadCtx(node: MockNode): boolean {
  return !node.locked && node.branch === '';
}

function addBodyId(db: MemDb, id: bigint): void {
  const i = goSearch(db.ids.length, (j) => db.ids[j] >= id);
  if (i < db.ids.length && db.ids[i] === id) return;
  db.ids.splice(i, 0, id);
}

/** DVID's `deleteBodyID`, which searches with an equality predicate (and so often misses). */
function deleteBodyId(db: MemDb, id: bigint): void {
  const i = goSearch(db.ids.length, (j) => db.ids[j] === id);
  if (i === db.ids.length) return;
  db.ids.splice(i, 1);
}

function storeRecord(req: DataRequest<NeuronjsonInstance>, key: string): Record_ | undefined {
  const text = req.instance.records.get(req.version, key);
  return text === undefined ? undefined : parseRecord(text);
}

// ---------------------------------------------------------------------------------------------
// Field selection

type Show = { user: boolean; time: boolean; all: boolean };

function showOf(query: URLSearchParams): Show {
  const s = query.get('show');
  return { user: s === 'user' || s === 'all', time: s === 'time' || s === 'all', all: s === 'all' };
}

function fieldMapOf(query: URLSearchParams): Set<string> {
  const text = query.get('fields') ?? '';
  return new Set(text === '' ? [] : text.split(','));
}

function selectFields(data: Record_ | undefined, fields: Set<string>, show: Show): Record_ {
  const out: Record_ = new Map(data ?? []);
  if (!data) return out;
  if (fields.size > 0) {
    for (const field of data.keys()) {
      if (field === 'bodyid') continue;
      if (fields.has(field)) {
        if (!show.user) out.delete(`${field}_user`);
        if (!show.time) out.delete(`${field}_time`);
      } else {
        out.delete(field);
        out.delete(`${field}_time`);
        out.delete(`${field}_user`);
      }
    }
  } else {
    for (const field of data.keys()) {
      if (!show.user && field.endsWith('_user')) out.delete(field);
      if (!show.time && field.endsWith('_time')) out.delete(field);
    }
  }
  return out;
}

function removeReserved(data: Record_, show: Show): Record_ {
  if (show.all) return data;
  const out: Record_ = new Map(data);
  for (const field of data.keys()) {
    if ((!show.user && field.endsWith('_user')) || (!show.time && field.endsWith('_time'))) out.delete(field);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reads

function parseKeyStr(key: string): bigint {
  if (key.length === 0) throw new Error('key string is empty');
  if (key[0] > '9') return MAX_U64;
  if (key[0] < '0') return 0n;
  return goParseUint64(key);
}

function goParseUint64(text: string): bigint {
  if (!/^\d+$/.test(text)) throw new Error(`strconv.ParseUint: parsing ${goQuote(text)}: invalid syntax`);
  const v = BigInt(text);
  if (v > MAX_U64) throw new Error(`strconv.ParseUint: parsing ${goQuote(text)}: value out of range`);
  return v;
}

/** `GetData`: the selected record as JSON, or undefined. */
function getData(req: DataRequest<NeuronjsonInstance>, key: string, fields: Set<string>, show: Show): string | undefined {
  if (key === 'schema' || key === 'schema_batch') {
    const v = getMetadata(req, key);
    return v === undefined ? undefined : new TextDecoder().decode(v);
  }
  const id = goParseUint64(key);
  const db = memdbFor(req);
  let value: Record_ | undefined;
  if (db) {
    value = db.data.get(id);
    if (!value) return undefined;
  } else {
    value = storeRecord(req, key);
    if (!value) return undefined;
  }
  return marshalRecord(selectFields(value, fields, show));
}

function storeKeys(req: DataRequest<NeuronjsonInstance>): string[] {
  return req.instance.records.keys(req.version);
}

function jsonList(list: string[] | undefined): Response {
  return jsonResponse(list === undefined ? 'null' : goJson(list));
}

function serveKeyRange(req: DataRequest<NeuronjsonInstance>): Response {
  if (req.parts.length < 6) throw new Error("expect beginning and end keys to follow 'keyrange' endpoint");
  const [begText, endText] = [req.parts[4], req.parts[5]];
  const beg = parseKeyStr(begText);
  const end = parseKeyStr(endText);
  const db = memdbFor(req);
  if (db) return jsonList(db.ids.filter((id) => id >= beg && id <= end).map(String));
  const keys: string[] = [];
  for (const key of storeKeys(req)) {
    if (key < begText || key > endText) continue;
    let id: bigint;
    try {
      id = parseKeyStr(key);
    } catch {
      continue;
    }
    if (id >= beg && id <= end) keys.push(key);
  }
  return jsonList(keys.length ? keys : undefined);
}

/** Records with their body IDs, for range and batch output. */
type Row = { id: bigint; record: Record_ };

function rangeRows(req: DataRequest<NeuronjsonInstance>, begText: string, endText: string): Row[] {
  const beg = parseKeyStr(begText);
  const end = parseKeyStr(endText);
  const db = memdbFor(req);
  if (db) {
    const i0 = goSearch(db.ids.length, (i) => db.ids[i] >= beg);
    const i1 = goSearch(db.ids.length, (i) => db.ids[i] > end);
    const rows: Row[] = [];
    for (let i = i0; i < i1; i++) {
      const record = db.data.get(db.ids[i]);
      if (record) rows.push({ id: db.ids[i], record });
    }
    return rows;
  }
  const show = showOf(req.request.query);
  return req.instance.records
    .entries(req.version)
    .filter(([key]) => key >= begText && key <= endText)
    .map(([key, text]) => ({ id: parseKeyStr(key), record: removeReserved(parseRecord(text), show) }));
}

function writeRows(req: DataRequest<NeuronjsonInstance>, rows: Row[]): Response {
  const q = req.request.query;
  const tar = q.get('jsontar') === 'true' || q.get('tar') === 'true';
  const json = q.get('json') === 'true';
  if (tar) throw notEmulated(req.request.path, 'the tar form of neuronjson reads');
  const fields = fieldMapOf(q);
  const show = showOf(q);
  const selected = rows.map(({ id, record }) => [id.toString(), marshalRecord(selectFields(record, fields, show))] as const);
  if (json) return jsonResponse(`{${selected.map(([k, v]) => `"${k}":${v}`).join(',')}}`);
  const utf8 = new TextEncoder();
  return bodyResponse(encodeKeyValuesMessage(selected.map(([k, v]) => [k, utf8.encode(v)])), 200, { 'Content-Type': 'application/octet-stream' });
}

function serveRangeValues(req: DataRequest<NeuronjsonInstance>): Response {
  if (req.parts.length < 6) throw new Error("expect beginning and end keys to follow 'keyrangevalues' endpoint");
  const [beg, end] = [req.parts[4], req.parts[5]];
  if (beg === '' || end === '') throw new Error('must specify non-empty beginning and ending key');
  const q = req.request.query;
  if ((q.get('jsontar') === 'true' || q.get('tar') === 'true') && q.get('json') === 'true') {
    throw new Error('can only specify tar or json output, not both');
  }
  return writeRows(req, rangeRows(req, beg, end));
}

async function serveKeyValuesGet(req: DataRequest<NeuronjsonInstance>): Promise<Response> {
  const q = req.request.query;
  const tar = q.get('jsontar') === 'true' || q.get('tar') === 'true';
  const json = q.get('json') === 'true';
  const fail = (n: number, message: string) => new Error(`GET /keyvalues on ${n} keys, data ${goQuote(req.instance.name)}: ${message}`);
  if (tar && json) throw fail(0, 'can only specify tar or json output, not both');
  const body = await requestBytes(req.request);
  if (tar) throw notEmulated(req.request.path, 'the tar form of GET /keyvalues');
  const fields = fieldMapOf(q);
  const show = showOf(q);
  if (json) {
    const parsed = parseGoJson(new TextDecoder().decode(body), 'unmarshal');
    if (!parsed.ok) throw fail(0, parsed.error);
    const node = parsed.node!;
    let keys: string[];
    const ints = node.kind === 'array' && node.items.every((i) => i.kind === 'number' && parseUint64(i.text) !== undefined);
    if (ints) keys = (node as { items: { text: string }[] }).items.map((i) => BigInt(i.text).toString());
    else {
      const strs = asStringList(node);
      if (!strs) throw fail(0, `json: cannot unmarshal ${node.kind} into Go value of type []string`);
      keys = strs;
    }
    const parts: string[] = [];
    for (const key of keys) {
      const value = getData(req, key, fields, show);
      if (value !== undefined) parts.push(`"${key}":${value === '' ? '{}' : value}`);
    }
    return jsonResponse(`{${parts.join(',')}}`);
  }
  let keys: string[];
  try {
    keys = decodeKeysMessage(body);
  } catch (err) {
    throw fail(0, (err as Error).message);
  }
  const utf8 = new TextEncoder();
  const entries = keys.map((key) => {
    const value = getData(req, key, fields, show);
    return [key, value === undefined ? undefined : utf8.encode(value)] as const;
  });
  return bodyResponse(encodeKeyValuesMessage(entries), 200, { 'Content-Type': 'application/octet-stream' });
}

function serveAll(req: DataRequest<NeuronjsonInstance>): Response {
  const fields = fieldMapOf(req.request.query);
  const show = showOf(req.request.query);
  const db = memdbFor(req);
  const out: string[] = [];
  const records = db ? [...db.data.values()] : req.instance.records.entries(req.version).map(([, text]) => parseRecord(text));
  for (const record of records) {
    const selected = selectFields(record, fields, show);
    if (selected.size > 1) out.push(marshalRecord(selected));
  }
  return jsonResponse(out.length ? `[${out.join(',')}]` : 'null');
}

// ---------------------------------------------------------------------------------------------
// Writes

/** DVID's `updateJSON`. */
function updateJson(orig: Record_ | undefined, next: Record_, user: string, conditionals: string[], replace: boolean): void {
  const newlySet = new Set<string>();
  const newFields = new Set<string>();
  if (!orig) {
    for (const field of next.keys()) newlySet.add(field);
  } else {
    for (const [field, value] of next) {
      if (!orig.has(field) || !sameVal(value, orig.get(field))) newlySet.add(field);
      if (!field.endsWith('_user') && !field.endsWith('_time')) newFields.add(field);
    }
    if (!replace) {
      const protectedFields = new Set(conditionals);
      for (const [field, origValue] of orig) {
        if (!next.has(field)) {
          next.set(field, origValue);
          continue;
        }
        if (protectedFields.has(field)) {
          next.set(field, origValue);
          newlySet.delete(field);
        }
      }
    }
  }
  const time: GoVal = { k: 'any', v: goRfc3339(new Date()).replace(/\.\d+Z$/, 'Z') };
  for (const field of newlySet) {
    if (field === 'bodyid' || field === 'user') continue;
    if (field.endsWith('_time') || field.endsWith('_user')) continue;
    if (!newlySet.has(`${field}_user`) && user !== '') next.set(`${field}_user`, { k: 'any', v: user });
    if (!newlySet.has(`${field}_time`)) next.set(`${field}_time`, time);
  }
  if (replace) {
    for (const field of newFields) {
      if (!next.has(`${field}_user`)) next.set(`${field}_user`, orig?.get(`${field}_user`) ?? { k: 'any', v: user });
      if (!next.has(`${field}_time`)) next.set(`${field}_time`, orig?.get(`${field}_time`) ?? time);
    }
  }
}

/** DVID's `PutData` (without JSON-schema validation). */
function putData(req: DataRequest<NeuronjsonInstance>, key: string, value: Uint8Array, conditionals: string[], replace: boolean): void {
  if (key === '0') throw new Error('body id 0 is reserved and so cannot be stored');
  if (key === 'schema' || key === 'schema_batch') {
    putMetadata(req, key, value);
    return;
  }
  const next = parseRecord(new TextDecoder().decode(value));
  const id = goParseUint64(key);
  const orig = storeRecord(req, key);
  updateJson(orig, next, req.request.query.get('u') ?? '', conditionals, replace);
  const db = memdbFor(req);
  if (db) {
    db.data.set(id, next);
    for (const field of next.keys()) db.fields.add(field);
    addBodyId(db, id);
  }
  req.instance.records.put(req.version, key, marshalRecord(next));
}

function deleteData(req: DataRequest<NeuronjsonInstance>, key: string): void {
  if (key === 'schema' || key === 'schema_batch') {
    deleteMetadata(req, key);
    return;
  }
  const id = goParseUint64(key);
  const db = memdbFor(req);
  if (db && db.data.has(id)) {
    db.data.delete(id);
    deleteBodyId(db, id);
  }
  req.instance.records.delete(req.version, key);
}

function writeOptions(req: DataRequest): { conditionals: string[]; replace: boolean } {
  return { conditionals: (req.request.query.get('conditionals') ?? '').split(','), replace: req.request.query.get('replace') === 'true' };
}

// ---------------------------------------------------------------------------------------------
// Schemas (metadata)

function getMetadata(req: DataRequest<NeuronjsonInstance>, kind: string): Uint8Array | undefined {
  if (isHeadCtx(req.version)) return req.instance.headMeta.get(kind);
  return req.instance.meta.get(req.version, kind);
}

function putMetadata(req: DataRequest<NeuronjsonInstance>, kind: string, value: Uint8Array): void {
  req.instance.meta.put(req.version, kind, value);
  if (isHeadCtx(req.version)) req.instance.headMeta.set(kind, value);
}

function deleteMetadata(req: DataRequest<NeuronjsonInstance>, kind: string): void {
  req.instance.meta.delete(req.version, kind);
  if (isHeadCtx(req.version)) req.instance.headMeta.delete(kind);
}

async function serveSchema(req: DataRequest<NeuronjsonInstance>, kind: string): Promise<Response> {
  switch (req.request.method) {
    case 'HEAD': {
      const found = isHeadCtx(req.version) ? req.instance.headMeta.has(kind) : req.instance.meta.has(req.version, kind);
      return new Response(null, { status: found ? 200 : 404 });
    }
    case 'GET': {
      const value = getMetadata(req, kind);
      if (value === undefined) return new Response(null, { status: 404 });
      return sniffedResponse(value);
    }
    case 'DELETE':
      deleteMetadata(req, kind);
      return emptyResponse();
    case 'POST':
      putMetadata(req, kind, await requestBytes(req.request));
      return emptyResponse();
    default:
      throw new Error(`key endpoint does not support ${goQuote(req.request.method.toLowerCase())} HTTP verb`);
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

type QueryVal =
  | GoVal
  | { k: 'regex'; v: RegExp }
  | { k: 'exists'; v: boolean }
  | { k: 'mixed'; v: (string | RegExp)[] };

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

/** `QueryJSON.UnmarshalJSON`. */
function queryValOf(node: GoJsonNode): QueryVal {
  if (node.kind === 'number') {
    const n = numberVal(node.text);
    if (n) return n;
  }
  const ints = asInt64List(node);
  if (ints) return { k: 'i64list', v: ints };
  if (node.kind === 'string' && node.value.startsWith('re/')) {
    // DVID compiles the raw JSON text of the string (escapes included), re-encoded here.
    const re = compile(JSON.stringify(node.value).slice(4, -1));
    if (re) return { k: 'regex', v: re };
  }
  if (node.kind === 'string' && node.value.startsWith('exists/') && node.value.length === 8) {
    return { k: 'exists', v: node.value[7] !== '0' };
  }
  const strs = asStringList(node);
  if (strs) {
    let hasRegex = false;
    const mixed = strs.map((s) => {
      if (s.length > 3 && s.startsWith('re/')) {
        hasRegex = true;
        return compile(s.slice(3)) ?? s;
      }
      return s;
    });
    return hasRegex ? { k: 'mixed', v: mixed } : { k: 'strlist', v: strs };
  }
  return { k: 'any', v: toGoInterface(node) };
}

function parseQueryObject(node: GoJsonNode): Map<string, QueryVal> {
  if (node.kind === 'null') return new Map();
  if (node.kind !== 'object') throw new Error('not an object');
  return new Map(node.entries.map(([k, v]) => [k, queryValOf(v)]));
}

function fieldLists(value: GoVal): { nums: bigint[]; floats: number[]; strs: string[] } | undefined {
  switch (value.k) {
    case 'i64':
    case 'u64':
      return { nums: [BigInt.asIntN(64, value.v)], floats: [], strs: [] };
    case 'i64list':
      return { nums: value.v, floats: [], strs: [] };
    case 'strlist':
      return { nums: [], floats: [], strs: value.v };
    case 'f64':
      return Number.isInteger(value.v) ? { nums: [BigInt(value.v)], floats: [], strs: [] } : { nums: [], floats: [value.v], strs: [] };
    case 'any':
      return typeof value.v === 'string' ? { nums: [], floats: [], strs: [value.v] } : undefined;
    default:
      return undefined;
  }
}

/** DVID's `checkField`. */
function checkField(query: QueryVal, value: GoVal): boolean {
  const lists = fieldLists(value);
  if (!lists || (lists.nums.length === 0 && lists.strs.length === 0 && lists.floats.length === 0)) return false;
  const int = (q: bigint) => lists.nums.includes(BigInt.asIntN(64, q));
  const str = (q: string) => lists.strs.includes(q);
  const re = (q: RegExp) => lists.strs.some((s) => q.test(s));
  switch (query.k) {
    case 'i64':
    case 'u64':
      return int(query.v);
    case 'i64list':
      return query.v.some(int);
    case 'strlist':
      return query.v.some(str);
    case 'regex':
      return re(query.v);
    case 'mixed':
      return query.v.some((q) => (typeof q === 'string' ? str(q) : re(q)));
    case 'any': {
      const v = query.v;
      if (typeof v === 'string') return str(v);
      if (Array.isArray(v) && v.length > 0) {
        if (typeof v[0] === 'number') return v.some((x) => typeof x === 'number' && lists.floats.includes(x));
        if (typeof v[0] === 'string') return v.some((x) => typeof x === 'string' && str(x));
      }
      return false;
    }
    default:
      return false;
  }
}

function queryMatch(queries: Map<string, QueryVal>[], value: Record_ | undefined): boolean {
  for (const query of queries) {
    let all = true;
    for (const [key, q] of query) {
      const v = value?.get(key);
      if (q.k === 'exists') {
        const found = v !== undefined && v.k !== 'null';
        if (q.v !== found) all = false;
      } else if (v === undefined || v.k === 'null' || !checkField(q, v)) {
        all = false;
      }
      if (!all) break;
    }
    if (all) return true;
  }
  return false;
}

async function serveQuery(req: DataRequest<NeuronjsonInstance>): Promise<Response> {
  if (req.request.method !== 'GET' && req.request.method !== 'POST') throw new Error('only GET or POST methods allowed for /query endpoint');
  const text = await requestText(req.request);
  const parsed = parseGoJson(text, 'unmarshal');
  let queries: Map<string, QueryVal>[];
  try {
    if (!parsed.ok) throw new Error(parsed.error);
    const node = parsed.node!;
    if (node.kind === 'array') queries = node.items.map(parseQueryObject);
    else if (node.kind === 'null') queries = [];
    else queries = [parseQueryObject(node)];
  } catch {
    throw new Error(`unable to parse JSON query: ${text}`);
  }
  const show = showOf(req.request.query);
  const db = memdbFor(req);
  const out: string[] = [];
  if (db) {
    const fields = fieldMapOf(req.request.query);
    for (const id of db.ids) {
      const value = db.data.get(id);
      if (queryMatch(queries, value)) out.push(marshalRecord(selectFields(value, fields, show)));
    }
  } else {
    for (const [, recordText] of req.instance.records.entries(req.version)) {
      const value = parseRecord(recordText);
      if (queryMatch(queries, value)) out.push(marshalRecord(removeReserved(value, show)));
    }
  }
  return jsonResponse(`[${out.join(',')}]`);
}

// ---------------------------------------------------------------------------------------------
// Dispatch

async function serveKey(req: DataRequest<NeuronjsonInstance>): Promise<Response> {
  if (req.parts.length < 5) throw new Error("expect key string to follow 'key' endpoint");
  const key = req.parts[4];
  switch (req.request.method) {
    case 'HEAD': {
      const db = memdbFor(req);
      const found = db ? db.data.has(goParseUint64(key)) : req.instance.records.has(req.version, key);
      return new Response(null, { status: found ? 200 : 404 });
    }
    case 'GET': {
      const value = getData(req, key, fieldMapOf(req.request.query), showOf(req.request.query));
      if (value === undefined) throw goHttpError(404, `Key ${goQuote(key)} not found`);
      return sniffedResponse(new TextEncoder().encode(value));
    }
    case 'DELETE':
      deleteData(req, key);
      return emptyResponse();
    case 'POST': {
      const { conditionals, replace } = writeOptions(req);
      putData(req, key, await requestBytes(req.request), conditionals, replace);
      return emptyResponse();
    }
    default:
      throw new Error(`key endpoint does not support ${goQuote(req.request.method.toLowerCase())} HTTP verb`);
  }
}

async function handle(req: DataRequest<NeuronjsonInstance>): Promise<Response> {
  switch (req.keyword) {
    case 'help':
      return helpResponse(req);
    case 'info':
      return jsonResponse(goJson({ Base: baseJson(req.instance), Extended: {} }));
    case 'tags':
      return serveTags(req);
    case 'json_schema':
    case 'schema':
    case 'schema_batch':
      return serveSchema(req, req.keyword);
    case 'all':
      return serveAll(req);
    case 'keys': {
      const db = memdbFor(req);
      if (db) return jsonList(db.ids.map(String));
      const keys = storeKeys(req);
      return jsonList(keys.length ? keys : undefined);
    }
    case 'fields': {
      const db = memdbFor(req);
      if (!db) throw new Error(`unable to get fields because no in-memory db for neuronjson ${goQuote(req.instance.name)}, version ${req.version.versionId}`);
      return jsonList([...db.fields]);
    }
    case 'query':
      return serveQuery(req);
    case 'keyrange':
      return serveKeyRange(req);
    case 'keyrangevalues':
      return serveRangeValues(req);
    case 'keyvalues':
      if (req.request.method === 'GET' || req.request.method === 'HEAD') return serveKeyValuesGet(req);
      if (req.request.method === 'POST') {
        const { conditionals, replace } = writeOptions(req);
        for (const [key, value] of decodeKeyValuesMessage(await requestBytes(req.request))) putData(req, key, value, conditionals, replace);
        return emptyResponse();
      }
      throw new Error(`key endpoint does not support ${goQuote(req.request.method.toLowerCase())} HTTP verb`);
    case 'key':
      return serveKey(req);
    default:
      throw badApiRequest(req);
  }
}

registerDataType<NeuronjsonInstance>('neuronjson', {
  create(base: BaseInstance, _config: DvidConfig): NeuronjsonInstance {
    const instance = { ...base, kind: 'neuronjson', syncs: [], headMeta: new Map(), memdb: { data: new Map(), ids: [], fields: new Set() } } as unknown as NeuronjsonInstance;
    instance.records = new VersionedStore<string>(instance);
    instance.meta = new VersionedStore<Uint8Array>(instance);
    return instance;
  },
  info(instance) {
    return { Base: baseJson(instance), Extended: {} };
  },
  handle,
  isMutation(method, keyword) {
    const lower = method.toLowerCase();
    if (keyword === 'query' && lower === 'post') return false;
    return lower === 'post' || lower === 'put' || lower === 'delete';
  },
});
