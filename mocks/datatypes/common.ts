/**
 * Pieces the mock's keyvalue, roi, annotation, neuronjson and labelsz types share: request
 * bodies (including the bodies of GETs, which DVID reads for batch queries), Go's `Printf`
 * quirk on key listings, Go's content sniffing for values written without a type, instance
 * tags and syncs as `datastore` implements them, and key encodings that keep DVID's order.
 *
 * @example
 * ```ts
 * const body = await requestBytes(req.request);
 * goPrintfNoArgs('["a%20b"]'); // '["a%!b(MISSING)"]'
 * sniffContentType(new TextEncoder().encode('{"a":1}')); // 'text/plain; charset=utf-8'
 * ```
 * @module
 */
import { goQuote } from '../goformat.js';
import { parseGoJson, sortedKeys, goJson } from '../gojson.js';
import { emptyResponse, jsonResponse } from '../http.js';
import type { BaseInstance } from '../instance.js';
import { baseInfo } from '../instance.js';
import type { RouteRequest } from '../router.js';
import type { MockRepo } from '../state.js';
import type { DataRequest } from '../versioned.js';

// ---------------------------------------------------------------------------------------------
// Request bodies

/**
 * The header the Node front end (mocks/node.ts) uses to hand the body of a GET to the
 * handlers: WHATWG `Request` objects cannot carry one, and DVID reads GET bodies for batch
 * queries (keyvalue `/keyvalues`, labelsz `/counts`, neuronjson `/query`).
 *
 * @example
 * ```ts
 * request.headers.get(GET_BODY_HEADER) // '17' while the body waits in the registry
 * ```
 */
export const GET_BODY_HEADER = 'x-dvid-ts-mock-get-body';

const getBodies = new Map<string, Uint8Array>();
let nextGetBody = 1;

/**
 * Keeps the body of a GET for the handlers and returns the id to put in {@link GET_BODY_HEADER}.
 *
 * @example
 * ```ts
 * const id = rememberGetBody(bytes); // later: forgetGetBody(id)
 * ```
 */
export function rememberGetBody(body: Uint8Array): string {
  const id = String(nextGetBody++);
  getBodies.set(id, body);
  return id;
}

/**
 * Drops a body kept by {@link rememberGetBody}.
 *
 * @example
 * ```ts
 * forgetGetBody(id);
 * ```
 */
export function forgetGetBody(id: string): void {
  getBodies.delete(id);
}

/**
 * The request body as bytes; for GET/HEAD the body handed over by the Node front end (empty
 * when none was sent, as Go's `ioutil.ReadAll(r.Body)` gives).
 *
 * @example
 * ```ts
 * const bytes = await requestBytes(req.request);
 * ```
 */
export async function requestBytes(request: RouteRequest): Promise<Uint8Array> {
  const id = request.request.headers.get(GET_BODY_HEADER);
  if (id !== null) return getBodies.get(id) ?? new Uint8Array(0);
  if (request.method === 'GET' || request.method === 'HEAD') return new Uint8Array(0);
  return new Uint8Array(await request.request.arrayBuffer());
}

/**
 * The request body as text (invalid UTF-8 replaced, as the mock cannot keep raw bytes in a string).
 *
 * @example
 * ```ts
 * const text = await requestText(req.request);
 * ```
 */
export async function requestText(request: RouteRequest): Promise<string> {
  return new TextDecoder().decode(await requestBytes(request));
}

// ---------------------------------------------------------------------------------------------
// Go formatting quirks

/**
 * What Go's `fmt.Fprintf(w, text)` writes when `text` is used as a format with no arguments:
 * `%%` becomes `%`, any other verb (after flags, width and precision) becomes
 * `%!<verb>(MISSING)`, a trailing `%` becomes `%!(NOVERB)`. DVID v1.0.0 writes keyvalue key
 * listings this way.
 *
 * @example
 * ```ts
 * goPrintfNoArgs('"a%20"') // '"a%!"(MISSING)'
 * ```
 */
export function goPrintfNoArgs(text: string): string {
  let out = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    let j = i + 1;
    while (j < chars.length && '+-# 0'.includes(chars[j])) j++;
    while (j < chars.length && chars[j] >= '0' && chars[j] <= '9') j++;
    if (j < chars.length && chars[j] === '.') {
      j++;
      while (j < chars.length && chars[j] >= '0' && chars[j] <= '9') j++;
    }
    if (j >= chars.length) {
      out += '%!(NOVERB)';
      i = j;
      break;
    }
    const verb = chars[j];
    out += verb === '%' ? '%' : `%!${verb}(MISSING)`;
    i = j;
  }
  return out;
}

const BINARY_BYTES = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0b, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1c, 0x1d, 0x1e, 0x1f]);
const HTML_TAGS = ['<!DOCTYPE HTML', '<HTML', '<HEAD', '<SCRIPT', '<IFRAME', '<H1', '<DIV', '<FONT', '<TABLE', '<A', '<STYLE', '<TITLE', '<B', '<BODY', '<BR', '<P', '<!--'];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/**
 * Go's `http.DetectContentType` for the common signatures: what DVID's responses carry when a
 * handler writes a value before setting a `Content-Type` (keyvalue and neuronjson `GET /key`).
 * Covers HTML, XML, PDF, PostScript, BOMs, GIF, PNG, JPEG, BMP, WebP, ICO, gzip, zip, RAR,
 * WebAssembly, Ogg, WebM, fonts and the text/binary decision.
 *
 * @example
 * ```ts
 * sniffContentType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) // 'image/png'
 * ```
 */
export function sniffContentType(value: Uint8Array): string {
  const data = value.subarray(0, 512);
  let ws = 0;
  while (ws < data.length && [0x09, 0x0a, 0x0c, 0x0d, 0x20].includes(data[ws])) ws++;
  for (const tag of HTML_TAGS) {
    const t = ascii(tag);
    if (data.length < ws + t.length + 1) continue;
    let ok = true;
    for (let i = 0; i < t.length; i++) {
      let b = data[ws + i];
      if (b >= 0x61 && b <= 0x7a && t[i] >= 0x41 && t[i] <= 0x5a) b -= 0x20;
      if (b !== t[i]) {
        ok = false;
        break;
      }
    }
    const term = data[ws + t.length];
    if (ok && (term === 0x20 || term === 0x3e)) return 'text/html; charset=utf-8';
  }
  if (startsWith(data, ascii('<?xml'), ws)) return 'text/xml; charset=utf-8';
  if (startsWith(data, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(data, ascii('%!PS-Adobe-'))) return 'application/postscript';
  if (startsWith(data, [0xfe, 0xff])) return 'text/plain; charset=utf-16be';
  if (startsWith(data, [0xff, 0xfe])) return 'text/plain; charset=utf-16le';
  if (startsWith(data, [0xef, 0xbb, 0xbf])) return 'text/plain; charset=utf-8';
  if (startsWith(data, [0, 0, 1, 0])) return 'image/x-icon';
  if (startsWith(data, [0, 0, 2, 0])) return 'image/x-icon';
  if (startsWith(data, ascii('BM'))) return 'image/bmp';
  if (startsWith(data, ascii('GIF87a')) || startsWith(data, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBPVP'), 8)) return 'image/webp';
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, ascii('OggS\x00'))) return 'application/ogg';
  if (startsWith(data, [0x1a, 0x45, 0xdf, 0xa3])) return 'video/webm';
  if (startsWith(data, ascii('ID3'))) return 'audio/mpeg';
  if (startsWith(data, ascii('wOFF'))) return 'font/woff';
  if (startsWith(data, ascii('wOF2'))) return 'font/woff2';
  if (startsWith(data, ascii('OTTO'))) return 'font/otf';
  if (startsWith(data, [0x00, 0x01, 0x00, 0x00])) return 'font/ttf';
  if (startsWith(data, [0x1f, 0x8b, 0x08])) return 'application/x-gzip';
  if (startsWith(data, ascii('PK\x03\x04'))) return 'application/zip';
  if (startsWith(data, ascii('Rar!\x1a\x07\x00')) || startsWith(data, ascii('Rar!\x1a\x07\x01\x00'))) return 'application/x-rar-compressed';
  if (startsWith(data, [0x00, 0x61, 0x73, 0x6d])) return 'application/wasm';
  for (const b of data) if (BINARY_BYTES.has(b)) return 'application/octet-stream';
  return 'text/plain; charset=utf-8';
}

/**
 * A 200 whose body DVID writes before setting a content type: Go sniffs one.
 *
 * @example
 * ```ts
 * sniffedResponse(value)
 * ```
 */
export function sniffedResponse(value: Uint8Array): Response {
  const headers = new Headers({ 'Content-Type': sniffContentType(value), 'Content-Length': String(value.byteLength) });
  return new Response(value.byteLength ? (value as Uint8Array<ArrayBuffer>) : null, { status: 200, headers });
}

/**
 * Go's `sort.Search(n, f)`: the smallest index in `[0, n)` where `f` is true assuming `f` is
 * false then true (used to reproduce DVID code that calls it with other predicates).
 *
 * @example
 * ```ts
 * goSearch(3, (i) => [1, 2, 3][i] >= 2) // 1
 * ```
 */
export function goSearch(n: number, f: (i: number) => boolean): number {
  let i = 0;
  let j = n;
  while (i < j) {
    const h = (i + j) >>> 1;
    if (!f(h)) i = h + 1;
    else j = h;
  }
  return i;
}

// ---------------------------------------------------------------------------------------------
// Keys in DVID's order

/**
 * Hex of an int32 offset by 2^31 (DVID's `ToZYXBytes` component), so string order is numeric order.
 *
 * @example
 * ```ts
 * int32Key(-1) < int32Key(0) // true
 * ```
 */
export function int32Key(v: number): string {
  return (v + 2 ** 31).toString(16).padStart(8, '0');
}

/**
 * A block or point key in DVID's ZYX byte order.
 *
 * @example
 * ```ts
 * zyxKey([1, 2, 3]) // int32Key(3) + int32Key(2) + int32Key(1)
 * ```
 */
export function zyxKey(p: readonly number[]): string {
  return int32Key(p[2]) + int32Key(p[1]) + int32Key(p[0]);
}

/**
 * The point of a {@link zyxKey}.
 *
 * @example
 * ```ts
 * fromZyxKey(zyxKey([1, 2, 3])) // [1, 2, 3]
 * ```
 */
export function fromZyxKey(key: string): [number, number, number] {
  const v = (i: number) => parseInt(key.slice(i * 8, i * 8 + 8), 16) - 2 ** 31;
  return [v(2), v(1), v(0)];
}

/**
 * A uint64 as 16 hex digits (big-endian order = numeric order).
 *
 * @example
 * ```ts
 * uint64Key(255n) // '00000000000000ff'
 * ```
 */
export function uint64Key(v: bigint): string {
  return v.toString(16).padStart(16, '0');
}

/**
 * Go's `Point3d.Chunk`: the block holding a voxel (floor division).
 *
 * @example
 * ```ts
 * chunkOf([-1, 0, 64], [64, 64, 64]) // [-1, 0, 1]
 * ```
 */
export function chunkOf(p: readonly number[], size: readonly number[]): [number, number, number] {
  return [Math.floor(p[0] / size[0]), Math.floor(p[1] / size[1]), Math.floor(p[2] / size[2])];
}

// ---------------------------------------------------------------------------------------------
// Instance metadata: info, tags, syncs

/**
 * A registered instance with DVID's sync list (instance names, in the order added).
 *
 * @example
 * ```ts
 * const inst: SyncingInstance = { ...base, kind: 'annotation', syncs: [] };
 * ```
 */
export interface SyncingInstance extends BaseInstance {
  kind: string;
  syncs: string[];
}

/**
 * The `Base` object of `/info` with the instance's current syncs.
 *
 * @example
 * ```ts
 * goJson({ Base: baseJson(inst), Extended: {} })
 * ```
 */
export function baseJson(instance: BaseInstance & { syncs?: string[] }): Record<string, unknown> {
  const base = baseInfo(instance);
  base.Syncs = [...(instance.syncs ?? [])];
  return base;
}

/**
 * `GET`/`POST .../tags` as `datastore.SetTagsByJSON` and `MarshalJSONTags` do it.
 *
 * @example
 * ```ts
 * case 'tags': return serveTags(req);
 * ```
 */
export async function serveTags(req: DataRequest): Promise<Response> {
  const instance = req.instance;
  if (req.request.method === 'POST') {
    const replace = req.request.query.get('replace') === 'true';
    const parsed = parseGoJson(await requestText(req.request), 'decoder');
    if (!parsed.ok) throw new Error(`Malformed JSON request in tags setter: ${parsed.error}`);
    const node = parsed.node;
    const tags: Record<string, string> = {};
    if (node && node.kind !== 'null') {
      if (node.kind !== 'object') throw new Error(`Malformed JSON request in tags setter: json: cannot unmarshal ${node.kind} into Go value of type map[string]string`);
      for (const [k, v] of node.entries) {
        if (v.kind === 'null') continue;
        if (v.kind !== 'string') {
          throw new Error(`Malformed JSON request in tags setter: json: cannot unmarshal ${v.kind} into Go value of type string`);
        }
        tags[k] = v.value;
      }
    }
    instance.tags = replace ? tags : { ...(instance.tags ?? {}), ...tags };
    return emptyResponse();
  }
  return jsonResponse(goJson({ Tags: instance.tags === null ? null : sortedKeys(instance.tags) }));
}

/**
 * `POST .../sync` as `datastore.SetSyncByJSON` and `repoManager.setSync` do it. `accept`
 * returns the type error for an instance this type cannot sync with (DVID's `GetSyncSubs`).
 *
 * @example
 * ```ts
 * case 'sync': return serveSync(req, (other) => other.type.name === 'annotation' ? undefined : 'not supported');
 * ```
 */
export async function serveSync(
  req: DataRequest<SyncingInstance>,
  accept: (other: BaseInstance) => string | undefined,
): Promise<Response> {
  if (req.request.method !== 'POST') throw new Error('Only POST allowed to sync endpoint');
  const replace = req.request.query.get('replace') === 'true';
  const parsed = parseGoJson(await requestText(req.request), 'decoder');
  if (!parsed.ok) throw new Error(`Malformed JSON request in sync request: ${parsed.error}`);
  const values = new Map<string, string>();
  const node = parsed.node;
  if (node && node.kind !== 'null') {
    if (node.kind !== 'object') throw new Error(`Malformed JSON request in sync request: json: cannot unmarshal ${node.kind} into Go value of type map[string]string`);
    for (const [k, v] of node.entries) {
      if (v.kind === 'null') continue;
      if (v.kind !== 'string') throw new Error(`Malformed JSON request in sync request: json: cannot unmarshal ${v.kind} into Go value of type string`);
      values.set(k, v.value);
    }
  }
  const csv = values.get('sync');
  if (csv === undefined) throw new Error("Could not find 'sync' value in POSTed JSON to sync request.");
  const names = csv === '' ? [] : csv.split(',');
  if (names.length === 0 && !replace) return emptyResponse();
  const repo: MockRepo = req.repo;
  const found: BaseInstance[] = [];
  for (const name of names) {
    const other = repo.instances.get(name);
    if (!other) throw new Error('invalid data instance name');
    found.push(other);
  }
  const instance = req.instance;
  if (found.length === 0) {
    instance.syncs = [];
  } else {
    const all = replace ? found.map((f) => f.name) : [...new Set([...instance.syncs, ...found.map((f) => f.name)])];
    let errors = '';
    for (const name of all) {
      const other = repo.instances.get(name);
      const problem = other ? accept(other) : 'invalid data instance UUID';
      if (problem) errors += `\n${problem}`;
    }
    if (errors) throw new Error(`Unable to set syncs for data ${goQuote(instance.name)}: ${errors}\n`);
    instance.syncs = [...new Set(all)];
  }
  return emptyResponse();
}

/**
 * DVID's short help answer (the mock does not copy DVID's help texts).
 *
 * @example
 * ```ts
 * case 'help': return helpResponse(req);
 * ```
 */
export function helpResponse(req: DataRequest): Response {
  return new Response(`API for '${req.instance.type.name}' datatype (emulated by the dvid-ts mock; see DVID's /api/help/${req.instance.type.name})\n\n`, {
    headers: { 'Content-Type': 'text/plain' },
  });
}
