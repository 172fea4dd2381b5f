/**
 * What every labelmap endpoint of the mock shares: the request type, DVID's parsing of labels,
 * scales and JSON lists (with Go's messages), its label counters (`MaxLabel`, `MaxRepoLabel`,
 * `newLabel`), mutation IDs and modification info, and the odd responses (404 with no body).
 *
 * @example
 * ```ts
 * const label = parseLabel(req.parts[4]);          // strconv.ParseUint semantics, bigint
 * const scale = parseScale(req.request.query);     // "bad scale specified: ..." on error
 * ```
 * @module
 */
import { requestBytes } from '../datatypes/common.js';
import { GoParseError, goQuote, goTimeString, goRfc3339 } from '../goformat.js';
import { parseGoJson, type GoJsonNode } from '../gojson.js';
import { bodyResponse, notEmulated } from '../http.js';
import type { Point3 } from '../geometry.js';
import type { DataRequest } from '../versioned.js';
import type { VersionNode } from '../versioned.js';
import type { LabelBlock } from './block.js';
import type { ModInfo } from './labelindex.js';
import { usableBlockSize, type LabelmapInstance } from './store.js';

/**
 * A request to a labelmap instance.
 *
 * @example
 * ```ts
 * function handle(req: LabelmapRequest) { return req.instance.maxDownresLevel; }
 * ```
 */
export type LabelmapRequest = DataRequest<LabelmapInstance>;

/** DVID's text for label 0 in per-label reads. */
export const LABEL0_BODY = 'Label 0 is protected background value and cannot be queried as body.\n';
/** DVID's text for label 0 in sparse-volume reads and splits. */
export const LABEL0_SPARSE = 'Label 0 is protected background value and cannot be used as sparse volume.\n';

const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * `strconv.ParseUint(text, 10, 64)` as a bigint, with Go's messages.
 *
 * @example
 * ```ts
 * parseLabel('18446744073709551615'); // 18446744073709551615n
 * parseLabel('abc'); // throws 'strconv.ParseUint: parsing "abc": invalid syntax'
 * ```
 */
export function parseLabel(text: string): bigint {
  if (!/^\d+$/.test(text)) throw new GoParseError('ParseUint', text, 'invalid syntax');
  const value = BigInt(text);
  if (value > MAX_UINT64) throw new GoParseError('ParseUint', text, 'value out of range');
  return value;
}

/**
 * DVID's `getScale`: `strconv.Atoi` then a uint8 conversion (256 wraps to 0).
 *
 * @example
 * ```ts
 * parseScale(new URLSearchParams('scale=2')); // 2
 * ```
 */
export function parseScale(query: URLSearchParams): number {
  const text = query.get('scale') ?? '';
  if (text === '') return 0;
  if (!/^[+-]?\d+$/.test(text)) throw new Error(`bad scale specified: ${new GoParseError('Atoi', text, 'invalid syntax').message}`);
  const value = BigInt(text);
  if (value < -(1n << 63n) || value >= 1n << 63n) throw new Error(`bad scale specified: ${new GoParseError('Atoi', text, 'value out of range').message}`);
  return Number(BigInt.asUintN(8, value));
}

/**
 * The request body as bytes (GET bodies included, through the Node front end's hand-over).
 *
 * @example
 * ```ts
 * const body = await readBody(req);
 * ```
 */
export async function readBody(req: LabelmapRequest): Promise<Uint8Array> {
  return requestBytes(req.request);
}

/**
 * The instance's block size, or a 501 for block sizes the mock cannot store.
 *
 * @example
 * ```ts
 * const [bx, by, bz] = requireBlockSize(req);
 * ```
 */
export function requireBlockSize(req: LabelmapRequest): Point3 {
  const size = usableBlockSize(req.instance);
  if (!size) throw notEmulated(req.request.path, `labelmap voxel access with BlockSize ${JSON.stringify(req.instance.blockSize)}`);
  return size;
}

/**
 * DVID's 404 for an absent label: no body, no content type.
 *
 * @example
 * ```ts
 * return absentResponse();
 * ```
 */
export function absentResponse(): Response {
  return bodyResponse('', 404);
}

/**
 * JSON DVID wrote by hand (`application/json`, no trailing newline).
 *
 * @example
 * ```ts
 * return handJson(`{"voxels": ${size}}`);
 * ```
 */
export function handJson(text: string): Response {
  return bodyResponse(text, 200, { 'Content-Type': 'application/json' });
}

/**
 * A binary body (`application/octet-stream`), possibly empty.
 *
 * @example
 * ```ts
 * return octetResponse(new Uint8Array(0));
 * ```
 */
export function octetResponse(bytes: Uint8Array): Response {
  return bodyResponse(bytes, 200, { 'Content-Type': 'application/octet-stream' });
}

/**
 * A new mutation ID from the repo's counter: DVID hands out the current value, then counts on.
 *
 * @example
 * ```ts
 * const mutId = newMutationId(req); // 1000000000n in a fresh repo
 * ```
 */
export function newMutationId(req: LabelmapRequest): bigint {
  return BigInt(req.context.state.nextMutationId(req.repo) - 1);
}

/**
 * `dvid.GetModInfo`: `u=`, `app=` and the time in RFC 3339.
 *
 * @example
 * ```ts
 * modInfo(req); // { user: 'alice', app: 'tool', time: '2026-11-24T01:46:30Z' }
 * ```
 */
export function modInfo(req: LabelmapRequest): ModInfo {
  const q = req.request.query;
  return { user: q.get('u') ?? '', app: q.get('app') ?? '', time: goRfc3339(new Date()) };
}

/**
 * Go's `time.Now().String()` as DVID puts it in mutation records.
 *
 * @example
 * ```ts
 * goNow(req); // '2026-11-24 01:46:30.678 +0000 UTC m=+1145.517000000'
 * ```
 */
export function goNow(req: LabelmapRequest): string {
  const now = Date.now();
  return goTimeString(new Date(now), (now - req.context.state.startedAt) / 1000);
}

/**
 * `updateMaxLabel`: sets the version's max label when it has none or a smaller one, and the
 * repo-wide max. Returns true when the version's value changed.
 *
 * @example
 * ```ts
 * updateMaxLabel(seg, node, 42n);
 * ```
 */
export function updateMaxLabel(instance: LabelmapInstance, at: VersionNode, label: bigint): boolean {
  const current = instance.maxLabel.get(at.versionId);
  if (current !== undefined && current >= label) return false;
  instance.maxLabel.set(at.versionId, label);
  if (label > instance.maxRepoLabel) instance.maxRepoLabel = label;
  return true;
}

/**
 * `updateBlockMaxLabel`: raises the version's max label to the largest label of a block.
 *
 * @example
 * ```ts
 * updateBlockMaxLabel(seg, node, block);
 * ```
 */
export function updateBlockMaxLabel(instance: LabelmapInstance, at: VersionNode, block: LabelBlock): void {
  let max = instance.maxLabel.get(at.versionId) ?? 0n;
  let changed = false;
  for (const label of block.table) {
    if (label > max) {
      max = label;
      changed = true;
    }
  }
  if (!changed) return;
  instance.maxLabel.set(at.versionId, max);
  if (max > instance.maxRepoLabel) instance.maxRepoLabel = max;
}

/**
 * `newLabel`: the next label of the repo (uint64 arithmetic, as in Go).
 *
 * @example
 * ```ts
 * newLabel(seg, node); // maxRepoLabel + 1n
 * ```
 */
export function newLabel(instance: LabelmapInstance, at: VersionNode): bigint {
  if (instance.nextLabel !== 0n) {
    instance.nextLabel = BigInt.asUintN(64, instance.nextLabel + 1n);
    return instance.nextLabel;
  }
  instance.maxRepoLabel = BigInt.asUintN(64, instance.maxRepoLabel + 1n);
  instance.maxLabel.set(at.versionId, instance.maxRepoLabel);
  return instance.maxRepoLabel;
}

function unmarshalError(found: string, into: string): Error {
  return new Error(`json: cannot unmarshal ${found} into Go value of type ${into}`);
}

function parseUnmarshal(text: string): GoJsonNode | undefined {
  const parsed = parseGoJson(text, 'unmarshal');
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.node;
}

/** A JSON number as a uint64, or Go's type error. */
function uint64Item(node: GoJsonNode): bigint {
  if (node.kind === 'null') return 0n;
  if (node.kind !== 'number') throw unmarshalError(node.kind, 'uint64');
  if (!/^\d+$/.test(node.text) || BigInt(node.text) > MAX_UINT64) throw unmarshalError(`number ${node.text}`, 'uint64');
  return BigInt(node.text);
}

/**
 * `json.Unmarshal` of a body into `[]uint64` (or a named slice type): the IDs, `null` for a
 * JSON null, or Go's error text.
 *
 * @example
 * ```ts
 * parseUint64List('[1,2]'); // [1n, 2n]
 * parseUint64List('[-1]'); // throws 'json: cannot unmarshal number -1 into Go value of type uint64'
 * ```
 */
export function parseUint64List(text: string, typeName = '[]uint64'): bigint[] | null {
  const node = parseUnmarshal(text);
  if (!node || node.kind === 'null') return null;
  if (node.kind !== 'array') throw unmarshalError(node.kind, typeName);
  let first: Error | undefined;
  const out = node.items.map((item) => {
    try {
      return uint64Item(item);
    } catch (err) {
      first ??= err as Error;
      return 0n;
    }
  });
  if (first) throw first;
  return out;
}

/**
 * `json.Unmarshal` of a body into `[]dvid.Point3d` (`[3]int32` each).
 *
 * @example
 * ```ts
 * parsePoints('[[1,2,3]]'); // [[1, 2, 3]]
 * ```
 */
export function parsePoints(text: string): Point3[] {
  const node = parseUnmarshal(text);
  if (!node || node.kind === 'null') return [];
  if (node.kind !== 'array') throw unmarshalError(node.kind, '[]dvid.Point3d');
  return node.items.map((item) => {
    const point: Point3 = [0, 0, 0];
    if (item.kind === 'null') return point;
    if (item.kind !== 'array') throw unmarshalError(item.kind, 'dvid.Point3d');
    item.items.slice(0, 3).forEach((v, i) => {
      if (v.kind === 'null') return;
      if (v.kind !== 'number') throw unmarshalError(v.kind, 'int32');
      if (!/^-?\d+$/.test(v.text) || Number(v.text) < -(2 ** 31) || Number(v.text) >= 2 ** 31) throw unmarshalError(`number ${v.text}`, 'int32');
      point[i] = Number(v.text);
    });
    return point;
  });
}

/**
 * `%v` of a Go `[]uint64`: `[1 2 3]`.
 *
 * @example
 * ```ts
 * goUintList([10n, 0n]); // '[10 0]'
 * ```
 */
export function goUintList(values: readonly bigint[]): string {
  return `[${values.join(' ')}]`;
}

/**
 * Refuses the `hash=` check of batch queries (DVID compares an MD5 of the body; not emulated).
 *
 * @example
 * ```ts
 * refuseHash(req);
 * ```
 */
export function refuseHash(req: LabelmapRequest): void {
  if (req.request.query.get('hash')) throw notEmulated(req.request.path, `the hash= check (${goQuote(req.request.query.get('hash')!)})`);
}
