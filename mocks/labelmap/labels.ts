/**
 * Per-label reads of the mock labelmap, answered from the label index as DVID v1.0.0 does:
 * `size`, `sizes`, `sparsevol-size`, `sparsevol` (rles, srles, blocks; bounds; scale),
 * `sparsevol-coarse`, `supervoxels`, `supervoxel-sizes`, `lastmod`, `mapping`, `maxlabel`,
 * `nextlabel`, `listlabels` and `mutations`. Absent labels get DVID's 404 with no body.
 *
 * @example
 * ```ts
 * // GET /api/node/<uuid>/seg/size/7 → {"voxels": 262144}
 * ```
 * @module
 */
import { goQuote } from '../goformat.js';
import { bodyResponse } from '../http.js';
import type { Point3 } from '../geometry.js';
import {
  compareZyx,
  indexSupervoxels,
  indexVoxels,
  limitToSupervoxel,
  parseBlockKey,
  processedBlocks,
  supervoxelCounts,
  type LabelIndex,
} from './labelindex.js';
import {
  absentResponse,
  handJson,
  LABEL0_BODY,
  LABEL0_SPARSE,
  octetResponse,
  parseLabel,
  parseScale,
  parseUint64List,
  readBody,
  refuseHash,
  requireBlockSize,
  type LabelmapRequest,
} from './request.js';
import { coarseRles, divideBounds, legacyRles, parseBounds, writeBinaryBlocks, writeRuns, type PlacedBlock, type SparseBounds } from './sparsevol.js';

/**
 * DVID's `GetLabelIndex`: the index of a label, or of the label a supervoxel maps to.
 *
 * @example
 * ```ts
 * labelIndexOf(req, 9n, true); // the index holding supervoxel 9
 * ```
 */
export function labelIndexOf(req: LabelmapRequest, label: bigint, isSupervoxel: boolean): LabelIndex | undefined {
  let target = label;
  if (isSupervoxel) {
    const mapped = req.instance.store.mapLabel(req.version, label);
    if (mapped.found) {
      if (mapped.label === 0n) throw new Error(`cannot get label for supervoxel ${label}, which has been split and doesn't exist anymore`);
      target = mapped.label;
    }
  }
  return req.instance.store.getIndex(req.version, target);
}

/** Parses `parts[4]` as a label (with DVID's "requires label" text) and refuses label 0. */
function labelArgument(req: LabelmapRequest, missing: string, zeroText: string): bigint {
  if (req.parts.length < 5) throw new Error(missing);
  const label = parseLabel(req.parts[4]);
  if (label === 0n) throw new Error(zeroText);
  return label;
}

/** True for `supervoxels=true`. */
function supervoxelsAsked(req: LabelmapRequest): boolean {
  return req.request.query.get('supervoxels') === 'true';
}

/**
 * `GET /size/{label}`.
 *
 * @example
 * ```ts
 * handleSize(req); // {"voxels": 262144} or 404
 * ```
 */
export function handleSize(req: LabelmapRequest): Response {
  const label = labelArgument(req, "DVID requires label to follow 'size' command", LABEL0_BODY);
  const sv = supervoxelsAsked(req);
  let size: number;
  try {
    const idx = labelIndexOf(req, label, sv);
    size = !idx ? 0 : sv ? supervoxelCounts(idx).get(label) ?? 0 : indexVoxels(idx);
  } catch (err) {
    throw new Error(`unable to get label ${label} size: ${(err as Error).message}`);
  }
  return size === 0 ? absentResponse() : handJson(`{"voxels": ${size}}`);
}

/**
 * `GET /sizes` with a JSON list of labels in the body.
 *
 * @example
 * ```ts
 * await handleSizes(req); // [262144,0]
 * ```
 */
export async function handleSizes(req: LabelmapRequest): Promise<Response> {
  if (req.request.method !== 'GET') throw new Error('Batch sizes query must be a GET request');
  const body = new TextDecoder().decode(await readBody(req));
  refuseHash(req);
  let labels: bigint[];
  try {
    labels = parseUint64List(body) ?? [];
  } catch (err) {
    throw new Error(`Bad mapping request JSON: ${(err as Error).message}`);
  }
  const { store } = req.instance;
  const sizes = labels.map((label) => {
    if (!supervoxelsAsked(req)) {
      const idx = store.getIndex(req.version, label);
      return idx ? indexVoxels(idx) : 0;
    }
    const idx = store.getIndex(req.version, store.mapLabel(req.version, label).label);
    return idx ? supervoxelCounts(idx).get(label) ?? 0 : 0;
  });
  return handJson(`[${sizes.join(',')}]`);
}

/**
 * `GET /sparsevol-size/{label}`: voxels, blocks and the block-aligned bounding box.
 *
 * @example
 * ```ts
 * handleSparsevolSize(req); // {"voxels": 131072, "numblocks": 1, "minvoxel": [64, 0, 0], "maxvoxel": [127, 63, 63]}
 * ```
 */
export function handleSparsevolSize(req: LabelmapRequest): Response {
  const label = labelArgument(req, "ERROR: DVID requires label ID to follow 'sparsevol-size' command", LABEL0_SPARSE);
  if (req.request.method !== 'GET') throw new Error(`DVID does not support ${req.request.method} on /sparsevol-size endpoint`);
  const sv = supervoxelsAsked(req);
  let idx: LabelIndex | undefined;
  try {
    idx = labelIndexOf(req, label, sv);
  } catch (err) {
    throw new Error(`problem getting label set idx on label %!:(uint64=${label}) ${(err as Error).message}`);
  }
  if (idx && sv) idx = limitToSupervoxel(idx, label);
  if (!idx || idx.blocks.size === 0) return absentResponse();
  const size = requireBlockSize(req);
  const coords = [...idx.blocks.keys()].map(parseBlockKey);
  const min = [0, 1, 2].map((d) => Math.min(...coords.map((c) => c[d])) * size[d]);
  const max = [0, 1, 2].map((d) => (Math.max(...coords.map((c) => c[d])) + 1) * size[d] - 1);
  return handJson(
    `{"voxels": ${indexVoxels(idx)}, "numblocks": ${idx.blocks.size}, "minvoxel": [${min.join(', ')}], "maxvoxel": [${max.join(', ')}]}`,
  );
}

/** The stored blocks at `scale` of the given coordinates (missing ones skipped). */
function storedBlocks(req: LabelmapRequest, scale: number, coords: readonly Point3[]): { placed: PlacedBlock[]; missing?: Point3 } {
  const placed: PlacedBlock[] = [];
  let missing: Point3 | undefined;
  for (const coord of coords) {
    const block = req.instance.store.getBlock(req.version, scale, coord);
    if (block) placed.push({ coord, block });
    else missing ??= coord;
  }
  return { placed, missing };
}

/**
 * `GET|HEAD /sparsevol/{label}`: legacy RLEs, streaming RLEs or binary blocks, with optional
 * bounds and scale; 404 when the label (or any of its blocks in the bounds) is not indexed.
 *
 * @example
 * ```ts
 * handleSparsevol(req); // application/octet-stream
 * ```
 */
export function handleSparsevol(req: LabelmapRequest): Response {
  if (req.parts.length < 5) throw new Error("ERROR: DVID requires label ID to follow 'sparsevol' command");
  const query = req.request.query;
  const scale = parseScale(query);
  const sv = supervoxelsAsked(req);
  const label = parseLabel(req.parts[4]);
  if (label === 0n) throw new Error(LABEL0_SPARSE);
  const size = requireBlockSize(req);
  let bounds: SparseBounds;
  try {
    const voxel = parseBounds(query);
    bounds = { voxel, block: divideBounds(voxel, size), exact: query.get('exact') !== 'false' };
  } catch (err) {
    throw new Error(`error parsing bounds from query string: ${(err as Error).message}`);
  }
  const method = req.request.method;
  if (method === 'POST') throw new Error('POST of sparsevol not currently implemented\n');
  if (method !== 'GET' && method !== 'HEAD') throw new Error(`Unable to handle HTTP action ${method} on sparsevol endpoint`);
  const idx = labelIndexOf(req, label, sv);
  let supervoxels = idx ? indexSupervoxels(idx) : new Set<bigint>();
  if (method === 'HEAD') {
    const found = !!idx && processedBlocks(idx, 0, bounds.block).length > 0;
    return bodyResponse('', found ? 200 : 204, { 'Content-Type': 'text/html' });
  }
  if (!idx || idx.blocks.size === 0) return absentResponse();
  if (sv) {
    if (!supervoxels.has(label)) return absentResponse();
    supervoxels = new Set([label]);
  }
  const coords = processedBlocks(idx, scale, bounds.block, sv ? label : undefined);
  if (coords.length === 0) return absentResponse();
  const { placed, missing } = storedBlocks(req, scale, coords);
  const format = query.get('format');
  if (format === 'blocks' || format === 'srles') {
    // DVID stops at the first block it cannot read and appends its error to what it streamed.
    if (!missing) return octetResponse(format === 'blocks' ? writeBinaryBlocks(label, placed, supervoxels) : writeRuns(placed, supervoxels, bounds));
    const before = placed.filter(({ coord }) => compareZyx(coord, missing) < 0);
    const text =
      format === 'blocks' ? `expected block (${missing.join(', ')}) @ scale ${scale} to have key-value, but found none` : "can't unmarshal block binary of length 0";
    const bytes = format === 'blocks' ? writeBinaryBlocks(label, before, supervoxels) : writeRuns(before, supervoxels, bounds);
    if (bytes.length === 0) throw new Error(text);
    return octetResponse(concatBytes(bytes, new TextEncoder().encode(`${text} (${req.request.path}).\n`)));
  }
  const runs = writeRuns(placed, supervoxels, bounds);
  return octetResponse(runs.length === 0 ? runs : legacyRles(runs));
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * `GET /sparsevol-coarse/{label}`: the label's blocks as runs of block coordinates.
 *
 * @example
 * ```ts
 * handleSparsevolCoarse(req); // header + [1, 0, 0, 1]
 * ```
 */
export function handleSparsevolCoarse(req: LabelmapRequest): Response {
  const label = labelArgument(req, "DVID requires label ID to follow 'sparsevol-coarse' command", LABEL0_SPARSE);
  const sv = supervoxelsAsked(req);
  let voxel;
  try {
    voxel = parseBounds(req.request.query);
  } catch (err) {
    throw new Error(`Error parsing bounds from query string: ${(err as Error).message}\n`);
  }
  const block = divideBounds(voxel, requireBlockSize(req));
  let idx = labelIndexOf(req, label, sv);
  if (!idx || idx.blocks.size === 0) return absentResponse();
  if (sv) {
    idx = limitToSupervoxel(idx, label);
    if (!idx) return absentResponse();
  }
  return octetResponse(coarseRles(processedBlocks(idx, 0, block, sv ? label : undefined)));
}

/**
 * `GET /supervoxels/{label}`: `[sv,…]`.
 *
 * @example
 * ```ts
 * handleSupervoxels(req); // [7,9]
 * ```
 */
export function handleSupervoxels(req: LabelmapRequest): Response {
  const label = labelArgument(req, "DVID requires label to follow 'supervoxels' command", LABEL0_BODY);
  const idx = req.instance.store.getIndex(req.version, label);
  if (!idx || idx.blocks.size === 0) return absentResponse();
  return handJson(`[${[...indexSupervoxels(idx)].join(',')}]`);
}

/**
 * `GET /supervoxel-sizes/{label}`, with DVID's newlines and indents.
 *
 * @example
 * ```ts
 * handleSupervoxelSizes(req); // {\n  "supervoxels": [20,10],\n  "sizes": [147456,262144]\n}
 * ```
 */
export function handleSupervoxelSizes(req: LabelmapRequest): Response {
  const label = labelArgument(req, "DVID requires label to follow 'supervoxels' command", LABEL0_BODY);
  const idx = req.instance.store.getIndex(req.version, label);
  if (!idx || idx.blocks.size === 0) return absentResponse();
  const counts = supervoxelCounts(idx);
  return handJson(`{\n  "supervoxels": [${[...counts.keys()].join(',')}],\n  "sizes": [${[...counts.values()].join(',')}]\n}`);
}

/**
 * `GET /lastmod/{label}`.
 *
 * @example
 * ```ts
 * handleLastmod(req); // {"mutation id": 1000000001, "last mod user": "alice", ... }
 * ```
 */
export function handleLastmod(req: LabelmapRequest): Response {
  const label = labelArgument(req, "DVID requires label to follow 'lastmod' command", LABEL0_BODY);
  const idx = req.instance.store.getIndex(req.version, label);
  if (!idx || idx.blocks.size === 0) return absentResponse();
  return handJson(
    `{"mutation id": ${idx.lastMutId}, "last mod user": ${goQuote(idx.lastModUser)}, ` +
      `"last mod app": ${goQuote(idx.lastModApp)}, "last mod time": ${goQuote(idx.lastModTime)} }`,
  );
}

/**
 * `GET /mapping` with a JSON list of supervoxels: their labels; without `nolookup=true`,
 * unmapped supervoxels not in their own label index are 0.
 *
 * @example
 * ```ts
 * await handleMapping(req); // [10,20,0]
 * ```
 */
export async function handleMapping(req: LabelmapRequest): Promise<Response> {
  if (req.request.method !== 'GET') throw new Error('Batch mapping query must be a GET request');
  const body = new TextDecoder().decode(await readBody(req));
  refuseHash(req);
  let svs: bigint[];
  try {
    svs = parseUint64List(body) ?? [];
  } catch (err) {
    throw new Error(`Bad mapping request JSON: ${(err as Error).message}`);
  }
  const { store } = req.instance;
  const verify = req.request.query.get('nolookup') !== 'true';
  const labels = svs.map((sv) => {
    const { label, found } = store.mapLabel(req.version, sv);
    if (found || !verify) return label;
    if (sv === 0n) return 0n;
    const idx = store.getIndex(req.version, label);
    return idx && indexSupervoxels(idx).has(sv) ? label : 0n;
  });
  return handJson(`[${labels.join(',')}]`);
}
