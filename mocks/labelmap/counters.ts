/**
 * The label counters and listings of the mock labelmap, as DVID v1.0.0 answers them:
 * `maxlabel` (per version; POST raises it), `nextlabel` (GET; POST reserves a range, uint64
 * arithmetic as in Go), `listlabels` (label-index keys in order, optionally with sizes) and
 * `mutations` (the completed mutations logged at this version).
 *
 * @example
 * ```ts
 * // GET /api/node/<uuid>/seg/nextlabel → {"nextlabel": 34}
 * ```
 * @module
 */
import { goQuote } from '../goformat.js';
import { bodyResponse, emptyResponse } from '../http.js';
import { indexVoxels } from './labelindex.js';
import { handJson, octetResponse, parseLabel, updateMaxLabel, type LabelmapRequest } from './request.js';

/**
 * `GET /maxlabel` (this version's max label) and `POST /maxlabel/{label}`.
 *
 * @example
 * ```ts
 * handleMaxlabel(req); // {"maxlabel": 1152921504606846977}
 * ```
 */
export function handleMaxlabel(req: LabelmapRequest): Response {
  const { instance, version } = req;
  const method = req.request.method;
  if (method === 'GET') {
    const max = instance.maxLabel.get(version.versionId);
    if (max === undefined) throw new Error(`No maximum label found for ${instance.name} version ${version.versionId}\n`);
    return handJson(`{"maxlabel": ${max}}`);
  }
  if (method === 'POST') {
    if (req.parts.length < 5) throw new Error('DVID requires max label ID to follow POST /maxlabel');
    updateMaxLabel(instance, version, parseLabel(req.parts[4]));
    return emptyResponse();
  }
  throw new Error(`Unknown action ${goQuote(method)} requested: ${req.request.url.pathname}${req.request.url.search}\n`);
}

/**
 * `GET /nextlabel` and `POST /nextlabel/{count}` (uint64 arithmetic as in Go).
 *
 * @example
 * ```ts
 * handleNextlabel(req); // {"start": 31, "end": 33}
 * ```
 */
export function handleNextlabel(req: LabelmapRequest): Response {
  const { instance, version } = req;
  const method = req.request.method;
  if (method === 'GET') return handJson(`{"nextlabel": ${BigInt.asUintN(64, (instance.nextLabel || instance.maxRepoLabel) + 1n)}}`);
  if (method !== 'POST') throw new Error(`Unknown action ${goQuote(method)} requested: ${req.request.url.pathname}${req.request.url.search}\n`);
  if (req.parts.length < 5) throw new Error('DVID requires number of requested labels to follow POST /nextlabel');
  const count = parseLabel(req.parts[4]);
  let start: bigint;
  let end: bigint;
  if (instance.nextLabel !== 0n) {
    start = BigInt.asUintN(64, instance.nextLabel + 1n);
    end = BigInt.asUintN(64, instance.nextLabel + count);
    instance.nextLabel = end;
  } else {
    start = BigInt.asUintN(64, instance.maxRepoLabel + 1n);
    end = BigInt.asUintN(64, instance.maxRepoLabel + count);
    instance.maxRepoLabel = end;
    instance.maxLabel.set(version.versionId, end);
  }
  return handJson(`{"start": ${start}, "end": ${end}}`);
}

/**
 * `GET /listlabels[?start][&number][&sizes=true]`: uint64 labels (and sizes) in label order.
 *
 * @example
 * ```ts
 * handleListLabels(req); // application/octet-stream
 * ```
 */
export function handleListLabels(req: LabelmapRequest): Response {
  const q = req.request.query;
  const start = q.get('start') ? parseLabel(q.get('start')!) : 0n;
  let number = q.get('number') ? parseLabel(q.get('number')!) : 10_000_000n;
  if (number > 10_000_000n) number = 10_000_000n;
  if (req.request.method !== 'GET') throw new Error('only GET actions allowed for /listlabels endpoint');
  const sizes = q.get('sizes') === 'true';
  const values: bigint[] = [];
  let listed = 0n;
  if (number > 0n) {
    for (const idx of req.instance.store.indicesFrom(req.version, start)) {
      values.push(idx.label);
      if (sizes) values.push(BigInt(indexVoxels(idx)));
      if (++listed === number) break;
    }
  }
  const out = new BigUint64Array(values);
  return octetResponse(new Uint8Array(out.buffer));
}

/**
 * `GET /mutations`: the completed mutations of this version as a JSON array (`text/plain`).
 *
 * @example
 * ```ts
 * handleMutations(req); // [{"Action":"merge-complete",...}]
 * ```
 */
export function handleMutations(req: LabelmapRequest): Response {
  if (req.request.method !== 'GET') throw new Error('only POST action allowed for /mappings endpoint');
  const records = req.instance.store.mutations(req.version);
  return bodyResponse(`[${records.join(',')}]`, 200, { 'Content-Type': 'text/plain; charset=utf-8' });
}
