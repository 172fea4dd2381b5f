/**
 * The keyvalue data type of the mock, as DVID v1.0.0 serves it (`datatype/keyvalue`): values
 * per key and version (read along the version DAG by {@link VersionedStore}), key listings
 * written through Go's `Printf` (so `%` in keys comes out mangled, as in DVID), `GET /key`
 * with a sniffed content type, an empty value that `GET` reports as missing but `HEAD` and
 * `keys` list, range reads in JSON or protobuf, batch reads (`GET /keyvalues`, protobuf or
 * JSON body) and writes (`POST /keyvalues`, protobuf), and instance tags. The tar forms answer
 * 501.
 *
 * @example
 * ```ts
 * // POST /api/node/<uuid>/kv/key/a   "hello"   → 200
 * // GET  /api/node/<uuid>/kv/key/a             → 200 text/plain; charset=utf-8 "hello"
 * // GET  /api/node/<uuid>/kv/key/b             → 404 'Key "b" not found\n'
 * ```
 * @module
 */
import { fromBinary } from '@bufbuild/protobuf';
import { decodeKeyValues, encodeKeyValues, KEYVALUE_PROTO } from '../../src/codecs/keyvalue-proto.js';
import type { DvidConfig } from '../config.js';
import { goQuote } from '../goformat.js';
import { goJson, parseGoJson } from '../gojson.js';
import { bodyResponse, emptyResponse, goHttpError, jsonResponse, notEmulated } from '../http.js';
import type { BaseInstance } from '../instance.js';
import { badApiRequest, registerDataType, VersionedStore, type DataRequest, type VersionNode } from '../versioned.js';
import { baseJson, goPrintfNoArgs, helpResponse, requestBytes, serveTags, sniffedResponse } from './common.js';

/**
 * A keyvalue instance of the mock.
 *
 * @example
 * ```ts
 * (state.getInstance(uuid, 'kv') as KeyvalueInstance).values.keys(node)
 * ```
 */
export interface KeyvalueInstance extends BaseInstance {
  kind: 'keyvalue';
  syncs: string[];
  /** Values by key; an empty value is kept (DVID lists it but GET reports it missing). */
  values: VersionedStore<Uint8Array>;
}

// ---------------------------------------------------------------------------------------------
// Protobuf (datatype/common/proto/keyvalue.proto)

/** Go's protobuf error for undecodable input (the mock does not reproduce every variant). */
const PROTO_ERROR = 'proto: cannot parse invalid wire-format data';

/**
 * Decodes a protobuf `Keys` message; throws Go's error text.
 *
 * @example
 * ```ts
 * decodeKeysMessage(bytes) // ['a', 'b']
 * ```
 */
export function decodeKeysMessage(bytes: Uint8Array): string[] {
  try {
    return fromBinary(KEYVALUE_PROTO.Keys, bytes).keys;
  } catch {
    throw new Error(PROTO_ERROR);
  }
}

/**
 * Decodes a protobuf `KeyValues` message; throws Go's error text.
 *
 * @example
 * ```ts
 * decodeKeyValuesMessage(bytes) // [['a', Uint8Array]]
 * ```
 */
export function decodeKeyValuesMessage(bytes: Uint8Array): [string, Uint8Array][] {
  try {
    return decodeKeyValues(bytes);
  } catch {
    throw new Error(PROTO_ERROR);
  }
}

/**
 * Encodes a protobuf `KeyValues` message (as Go's `proto.Marshal`: empty values left out).
 *
 * @example
 * ```ts
 * encodeKeyValuesMessage([['a', bytes]])
 * ```
 */
export function encodeKeyValuesMessage(entries: readonly (readonly [string, Uint8Array | undefined])[]): Uint8Array {
  return encodeKeyValues(entries.map(([key, value]) => [key, value ?? new Uint8Array(0)]));
}

// ---------------------------------------------------------------------------------------------
// Key ranges on raw bytes

const utf8 = new TextEncoder();

/**
 * Path segments as bytes, split on `/` after percent-decoding (Go's `r.URL.Path`, which keeps
 * invalid UTF-8 such as `%FF` that JavaScript strings cannot hold).
 *
 * @example
 * ```ts
 * pathByteSegments('/api/node/u/kv/keyrangevalues/%00/%FF')[6] // Uint8Array [0xff]
 * ```
 */
export function pathByteSegments(pathname: string): Uint8Array[] {
  const bytes: number[] = [];
  for (let i = 0; i < pathname.length; i++) {
    const c = pathname[i];
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(pathname.slice(i + 1, i + 3))) {
      bytes.push(parseInt(pathname.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...utf8.encode(c));
    }
  }
  const segments: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x2f) {
      segments.push(new Uint8Array(bytes.slice(start, i)));
      start = i + 1;
    }
  }
  return segments.slice(2); // drop '' and 'api'
}

function compareKeyBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** `[key, value]` pairs with `first ≤ key ≤ last` in DVID's byte order. */
function rangeEntries(instance: KeyvalueInstance, node: VersionNode, first: Uint8Array, last: Uint8Array): [string, Uint8Array][] {
  return instance.values.entries(node).filter(([key]) => {
    const k = utf8.encode(key);
    return compareKeyBytes(k, first) >= 0 && compareKeyBytes(k, last) <= 0;
  });
}

function rangeBounds(req: DataRequest, what: string): [Uint8Array, Uint8Array, string, string] {
  if (req.parts.length < 6) throw new Error(`expect beginning and end keys to follow '${what}' endpoint`);
  const raw = pathByteSegments(req.request.url.pathname);
  return [raw[4] ?? utf8.encode(req.parts[4]), raw[5] ?? utf8.encode(req.parts[5]), req.parts[4], req.parts[5]];
}

// ---------------------------------------------------------------------------------------------
// Endpoints

function listKeys(keys: string[]): Response {
  return jsonResponse(goPrintfNoArgs(goJson(keys)));
}

/** The value a read sees, with DVID's rule that an empty value counts as missing. */
function readValue(instance: KeyvalueInstance, node: VersionNode, key: string): Uint8Array | undefined {
  const v = instance.values.get(node, key);
  return v && v.length > 0 ? v : undefined;
}

/** DVID's JSON value object, without its closing brace; stops at the first value failing `check`. */
function jsonValuesBody(entries: readonly (readonly [string, Uint8Array | undefined])[], check: boolean): { body: string; error?: string } {
  let body = '{';
  let wrote = false;
  const decoder = new TextDecoder();
  for (const [key, value] of entries) {
    const text = value && value.length > 0 ? decoder.decode(value) : '{}';
    if (check && value && value.length > 0 && !parseGoJson(text, 'unmarshal').ok) return { body, error: `bad JSON for key ${goQuote(key)}` };
    body += `${wrote ? ',' : ''}"${key}":${text}`;
    wrote = true;
  }
  return { body };
}

async function keyValuesGet(req: DataRequest<KeyvalueInstance>): Promise<Response> {
  const q = req.request.query;
  const tar = q.get('jsontar') === 'true' || q.get('tar') === 'true';
  const json = q.get('json') === 'true';
  const check = q.get('check') === 'true';
  const fail = (n: number, message: string) =>
    new Error(`GET /keyvalues on ${n} keys, data ${goQuote(req.instance.name)}: ${message}`);
  if (tar && json) throw fail(0, 'can only specify tar or json output, not both');
  const body = await requestBytes(req.request);
  if (tar) throw notEmulated(req.request.path, 'the tar form of GET /keyvalues');
  if (json) {
    const parsed = parseGoJson(new TextDecoder().decode(body), 'unmarshal');
    if (!parsed.ok) throw fail(0, parsed.error);
    const node = parsed.node!;
    if (node.kind !== 'array' && node.kind !== 'null') throw fail(0, `json: cannot unmarshal ${node.kind} into Go value of type []string`);
    const keys: string[] = [];
    for (const item of node.kind === 'array' ? node.items : []) {
      if (item.kind !== 'string') throw fail(0, `json: cannot unmarshal ${item.kind} into Go value of type string`);
      keys.push(item.value);
    }
    const out = jsonValuesBody(
      keys.map((k) => [k, readValue(req.instance, req.version, k)]),
      check,
    );
    if (out.error) {
      // DVID has written a 200 header already: the error text is appended to the body.
      return bodyResponse(`${out.body}${fail(keys.length, out.error).message} (${req.request.path}).\n`, 200, { 'Content-Type': 'application/json' });
    }
    return jsonResponse(`${out.body}}`);
  }
  let keys: string[];
  try {
    keys = decodeKeysMessage(body);
  } catch (err) {
    throw fail(0, (err as Error).message);
  }
  const pb = encodeKeyValuesMessage(keys.map((k) => [k, readValue(req.instance, req.version, k)]));
  return bodyResponse(pb, 200, { 'Content-Type': 'application/octet-stream' });
}

async function serveKey(req: DataRequest<KeyvalueInstance>): Promise<Response> {
  if (req.parts.length < 5) throw new Error("expect key string to follow 'key' endpoint");
  const key = req.parts[4];
  const { instance, version } = req;
  switch (req.request.method) {
    case 'HEAD':
      return new Response(null, { status: instance.values.has(version, key) ? 200 : 404 });
    case 'GET': {
      const value = readValue(instance, version, key);
      if (!value) throw goHttpError(404, `Key ${goQuote(key)} not found`);
      return sniffedResponse(value);
    }
    case 'DELETE':
      instance.values.delete(version, key);
      return emptyResponse();
    case 'POST':
      instance.values.put(version, key, await requestBytes(req.request));
      return emptyResponse();
    default:
      throw new Error(`key endpoint does not support ${goQuote(req.request.method.toLowerCase())} HTTP verb`);
  }
}

function serveRangeValues(req: DataRequest<KeyvalueInstance>): Response {
  const [first, last] = rangeBounds(req, 'keyrangevalues');
  const q = req.request.query;
  const tar = q.get('jsontar') === 'true' || q.get('tar') === 'true';
  const json = q.get('json') === 'true';
  if (tar && json) throw new Error('can only specify tar or json output, not both');
  if (tar) throw notEmulated(req.request.path, 'the tar form of GET /keyrangevalues');
  const entries = rangeEntries(req.instance, req.version, first, last).filter(([, v]) => v.length > 0);
  if (json) {
    // A value failing check=true ends the object early; DVID then closes it and reports nothing.
    return jsonResponse(`${jsonValuesBody(entries, q.get('check') === 'true').body}}`);
  }
  return bodyResponse(encodeKeyValuesMessage(entries), 200, { 'Content-Type': 'application/octet-stream' });
}

async function handle(req: DataRequest<KeyvalueInstance>): Promise<Response> {
  const { instance, version } = req;
  switch (req.keyword) {
    case 'help':
      return helpResponse(req);
    case 'info':
      return jsonResponse(goJson({ Base: baseJson(instance), Extended: {} }));
    case 'tags':
      return serveTags(req);
    case 'keys':
      return listKeys(instance.values.keys(version));
    case 'keyrange': {
      const [first, last] = rangeBounds(req, 'keyrange');
      return listKeys(rangeEntries(instance, version, first, last).map(([k]) => k));
    }
    case 'keyrangevalues':
      return serveRangeValues(req);
    case 'keyvalues':
      if (req.request.method === 'GET' || req.request.method === 'HEAD') return keyValuesGet(req);
      if (req.request.method === 'POST') {
        for (const [key, value] of decodeKeyValuesMessage(await requestBytes(req.request))) instance.values.put(version, key, value);
        return emptyResponse();
      }
      throw new Error(`key endpoint does not support ${goQuote(req.request.method.toLowerCase())} HTTP verb`);
    case 'key':
      return serveKey(req);
    default:
      throw badApiRequest(req);
  }
}

registerDataType<KeyvalueInstance>('keyvalue', {
  create(base: BaseInstance, _config: DvidConfig): KeyvalueInstance {
    const instance = { ...base, kind: 'keyvalue', syncs: [] } as unknown as KeyvalueInstance;
    instance.values = new VersionedStore<Uint8Array>(instance);
    return instance;
  },
  info(instance) {
    return { Base: baseJson(instance), Extended: {} };
  },
  handle,
});
