/**
 * The roi data type of the mock, as DVID v1.0.0 serves it (`datatype/roi`): spans stored per
 * version (one key per run, in DVID's z, y, x0 order; duplicates collapse, overlaps do not),
 * `POST /roi` that first deletes the version's spans and then checks the new ones, the
 * instance-wide `MinZ`/`MaxZ` of `/info`, `/mask` with DVID's start-block rounding toward zero,
 * `/ptquery` with floor division, and both `/partition` algorithms ported from DVID (including
 * their quirks). There are no tags or sync endpoints, as in DVID.
 *
 * @example
 * ```ts
 * // POST /api/node/<uuid>/r/roi   [[0,0,0,1]]        → 200
 * // POST /api/node/<uuid>/r/ptquery  [[0,0,0],[99,0,0]] → [true,false]
 * ```
 * @module
 */
import type { DvidConfig } from '../config.js';
import { goQuote, GoParseError } from '../goformat.js';
import { goJson, parseGoJson, type GoJsonNode } from '../gojson.js';
import { parsePoint, parseSubvolume, shapeDimensions } from '../geometry.js';
import { bodyResponse, emptyResponse, GoPanic, jsonResponse } from '../http.js';
import type { BaseInstance } from '../instance.js';
import { badApiRequest, registerDataType, VersionedStore, type DataRequest, type VersionNode } from '../versioned.js';
import { baseJson, chunkOf, fromZyxKey, helpResponse, requestText, zyxKey } from './common.js';

type Vec3 = [number, number, number];
/** `[z, y, x0, x1]` in block coordinates. */
type Span = [number, number, number, number];

const MAX_INT32 = 2 ** 31 - 1;
const MIN_INT32 = -(2 ** 31);
const i32 = (v: number) => v | 0;
const div = (a: number, b: number) => Math.trunc(a / b) | 0;

/**
 * An roi instance of the mock.
 *
 * @example
 * ```ts
 * roiSpans(state.getInstance(uuid, 'r') as RoiInstance, node)
 * ```
 */
export interface RoiInstance extends BaseInstance {
  kind: 'roi';
  syncs: string[];
  blockSize: Vec3;
  /** Instance-wide, as in DVID (not versioned). */
  minZ: number;
  maxZ: number;
  /** One key per stored run: ZYX key of (x0, y, z) + run length; values are unused. */
  spans: VersionedStore<true>;
}

function spanKey(s: Span): string {
  return zyxKey([s[2], s[1], s[0]]) + (s[3] - s[2] + 1).toString(16).padStart(8, '0');
}

function spanOf(key: string): Span {
  const [x0, y, z] = fromZyxKey(key);
  const length = parseInt(key.slice(24), 16);
  return [z, y, x0, i32(x0 + length - 1)];
}

/**
 * The spans of an ROI at a version, in DVID's order (z, y, x0, then run length).
 *
 * @example
 * ```ts
 * roiSpans(instance, node) // [[0, 0, 0, 1]]
 * ```
 */
export function roiSpans(instance: RoiInstance, node: VersionNode): Span[] {
  return instance.spans.keys(node).map(spanOf);
}

/** DVID's `Delete`: extents reset, every span of this version tombstoned. */
function deleteSpans(instance: RoiInstance, node: VersionNode): void {
  instance.minZ = MAX_INT32;
  instance.maxZ = MIN_INT32;
  for (const key of instance.spans.keys(node)) instance.spans.delete(node, key);
}

// ---------------------------------------------------------------------------------------------
// Go JSON decoding into [N]int32 values

function int32Of(node: GoJsonNode): number {
  if (node.kind !== 'number') throw new Error(`json: cannot unmarshal ${node.kind} into Go value of type int32`);
  if (!/^-?\d+$/.test(node.text)) throw new Error(`json: cannot unmarshal number ${node.text} into Go value of type int32`);
  const v = Number(node.text);
  if (v < MIN_INT32 || v > MAX_INT32) throw new Error(`json: cannot unmarshal number ${node.text} into Go value of type int32`);
  return v;
}

/** Go's decoding of a JSON list into `[]T` with `T` = `[n]int32` (extra items ignored, missing ones 0). */
function decodeFixedLists(text: string, n: number, elementType: string, listType: string): number[][] {
  const parsed = parseGoJson(text, 'unmarshal');
  if (!parsed.ok) throw new Error(parsed.error);
  const node = parsed.node!;
  if (node.kind === 'null') return [];
  if (node.kind !== 'array') throw new Error(`json: cannot unmarshal ${node.kind} into Go value of type ${listType}`);
  let firstError: Error | undefined;
  const out = node.items.map((item) => {
    const value = new Array<number>(n).fill(0);
    if (item.kind === 'null') return value;
    if (item.kind !== 'array') {
      firstError ??= new Error(`json: cannot unmarshal ${item.kind} into Go value of type ${elementType}`);
      return value;
    }
    item.items.slice(0, n).forEach((v, i) => {
      if (v.kind === 'null') return;
      try {
        value[i] = int32Of(v);
      } catch (err) {
        firstError ??= err as Error;
      }
    });
    return value;
  });
  if (firstError) throw firstError;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

async function postRoi(req: DataRequest<RoiInstance>): Promise<Response> {
  const { instance, version } = req;
  let spans: Span[];
  try {
    spans = decodeFixedLists(await requestText(req.request), 4, 'dvid.Span', '[]dvid.Span') as Span[];
  } catch (err) {
    throw new Error(`Error trying to parse POSTed JSON: ${(err as Error).message}`);
  }
  deleteSpans(instance, version);
  const BATCH = 10000;
  let batch: Span[] = [];
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    if (s[0] < instance.minZ) instance.minZ = s[0];
    if (s[0] > instance.maxZ) instance.maxZ = s[0];
    if (s[3] < s[2]) throw new Error(`Got weird span [${s.join(', ')}].  span[3] (X1) < span[2] (X0)`);
    batch.push(s);
    if ((i + 1) % BATCH === 0) {
      for (const b of batch) instance.spans.put(version, spanKey(b), true);
      batch = [];
    }
  }
  for (const b of batch) instance.spans.put(version, spanKey(b), true);
  return emptyResponse();
}

/** DVID's `voxelRange`: a run's voxel range clipped to the box, relative to its start. */
function voxelRange(blockSize: number, begBlock: number, endBlock: number, begVoxel: number, endVoxel: number): [number, number] {
  let v0 = i32(begBlock * blockSize);
  if (v0 < begVoxel) v0 = begVoxel;
  let v1 = i32((endBlock + 1) * blockSize - 1);
  if (v1 > endVoxel) v1 = endVoxel;
  return [v0 - begVoxel, v1 - begVoxel];
}

function serveMask(req: DataRequest<RoiInstance>): Response {
  if (req.request.method !== 'GET' && req.request.method !== 'HEAD') throw new Error('ROI mask only supports GET');
  const parts = req.parts;
  if (parts.length < 7) throw new Error(`${goQuote('mask')} must be followed by shape/size/offset`);
  if (shapeDimensions(parts[4]) !== 3) throw new Error("Currently only 3d masks ('0_1_2' shape) is supported");
  const { offset, size } = parseSubvolume(parts[6], parts[5]);
  const count = size[0] * size[1] * size[2];
  if (count < 0) throw new GoPanic('runtime error: makeslice: len out of range');
  const bs = req.instance.blockSize;
  const end = [offset[0] + size[0] - 1, offset[1] + size[1] - 1, offset[2] + size[2] - 1];
  // DVID divides with Go's "/", which rounds toward zero (a bug for negative starts).
  const [minBX, minBY, minBZ] = [div(offset[0], bs[0]), div(offset[1], bs[1]), div(offset[2], bs[2])];
  const [maxBX, maxBY, maxBZ] = [div(end[0], bs[0]), div(end[1], bs[1]), div(end[2], bs[2])];
  const data = new Uint8Array(count);
  const nx = size[0];
  const nxy = size[1] * nx;
  for (const span of roiSpans(req.instance, req.version)) {
    if (span[0] < minBZ) continue;
    if (span[0] > maxBZ) break;
    if (span[1] < minBY || span[1] > maxBY) continue;
    if (span[3] < minBX || span[2] > maxBX) continue;
    const [x0, x1] = voxelRange(bs[0], span[2], span[3], offset[0], end[0]);
    const [y0, y1] = voxelRange(bs[1], span[1], span[1], offset[1], end[1]);
    const [z0, z1] = voxelRange(bs[2], span[0], span[0], offset[2], end[2]);
    for (let z = z0; z <= z1; z++) {
      for (let y = y0; y <= y1; y++) {
        const row = z * nxy + y * nx;
        if (x1 >= x0) data.fill(1, row + x0, row + x1 + 1);
      }
    }
  }
  return bodyResponse(data, 200, { 'Content-Type': 'application/octet-stream' });
}

async function servePointQuery(req: DataRequest<RoiInstance>): Promise<Response> {
  switch (req.request.method) {
    case 'GET':
    case 'HEAD':
      throw new Error('ptquery requires POST with list of points');
    case 'POST': {
      const points = decodeFixedLists(await requestText(req.request), 3, 'dvid.Point3d', '[]dvid.Point3d');
      const chunks = points.map((p, index) => ({ c: chunkOf(p, req.instance.blockSize), index }));
      chunks.sort((a, b) => a.c[2] - b.c[2] || a.c[1] - b.c[1] || a.c[0] - b.c[0]);
      const spans = roiSpans(req.instance, req.version);
      const inside = new Array<boolean>(points.length).fill(false);
      let cur = 0;
      for (const { c, index } of chunks) {
        // DVID's seekSpan: skip spans before the block, then test the current one.
        let found = false;
        while (cur < spans.length) {
          const s = spans[cur];
          const less = s[0] < c[2] || (s[0] === c[2] && (s[1] < c[1] || (s[1] === c[1] && s[3] < c[0])));
          if (less) {
            cur++;
            continue;
          }
          found = s[0] === c[2] && s[1] === c[1] && s[2] <= c[0] && s[3] >= c[0];
          break;
        }
        inside[index] = found;
      }
      return jsonResponse(goJson(inside));
    }
    default:
      return emptyResponse();
  }
}

// ---------------------------------------------------------------------------------------------
// Partition (ported from DVID, quirks included)

interface Rle {
  x0: number;
  y: number;
  z: number;
  span: number;
}

interface Layer {
  active: Rle[];
  minZ: number;
  maxZ: number;
}

interface Subvolume {
  MinPoint: Vec3;
  MaxPoint: Vec3;
  MinChunk: Vec3;
  MaxChunk: Vec3;
  TotalBlocks: number;
  ActiveBlocks: number;
}

interface Partition {
  NumTotalBlocks: number;
  NumActiveBlocks: number;
  NumSubvolumes: number;
  ROI: { MinChunk: Vec3; MaxChunk: Vec3 };
  Subvolumes: Subvolume[];
}

function yRange(blocks: Rle[]): [number, number, boolean] {
  let minY = MAX_INT32;
  let maxY = MIN_INT32;
  for (const r of blocks) {
    if (r.y < minY) minY = r.y;
    if (r.y > maxY) maxY = r.y;
  }
  return [minY, maxY, blocks.length > 0];
}

function xRange(blocks: Rle[], minY: number, maxY: number): [number, number, Rle[]] {
  let minX = MAX_INT32;
  let maxX = MIN_INT32;
  const actives: Rle[] = [];
  for (const r of blocks) {
    if (r.y >= minY && r.y <= maxY) {
      if (r.x0 < minX) minX = r.x0;
      const x1 = i32(r.x0 + r.span - 1);
      if (x1 > maxX) maxX = x1;
      actives.push(r);
    }
  }
  return [minX, maxX, actives];
}

function findActives(blocks: Rle[], minX: number, maxX: number): number {
  let n = 0;
  for (const r of blocks) {
    if (r.x0 > maxX) continue;
    const end = i32(r.x0 + r.span - 1);
    if (end < minX) continue;
    n += Math.min(maxX, end) - Math.max(minX, r.x0) + 1;
  }
  return n;
}

function findXHoles(blocks: Rle[], minX: number, maxX: number): [number, number, boolean] {
  const nx = maxX - minX + 1;
  if (nx < 0) throw new GoPanic('runtime error: makeslice: len out of range');
  const used = new Array<boolean>(nx).fill(false);
  for (const r of blocks) {
    if (r.x0 > maxX) continue;
    const end = i32(r.x0 + r.span - 1);
    if (end < minX) continue;
    for (let x = Math.max(minX, r.x0); x <= Math.min(maxX, end); x++) used[x - minX] = true;
  }
  let holeSize = 0;
  let bestSize = 0;
  let holeBeg = 0;
  let holeEnd = 0;
  let bestBeg = 0;
  let bestEnd = 0;
  let inHole = false;
  for (let x = minX; x <= maxX; x++) {
    if (!used[x - minX]) {
      if (inHole) {
        holeEnd = x;
        holeSize++;
      } else {
        inHole = true;
        holeBeg = x;
        holeEnd = x;
        holeSize = 1;
      }
    } else {
      inHole = false;
    }
    if (holeSize > bestSize) {
      bestSize = holeSize;
      bestBeg = holeBeg;
      bestEnd = holeEnd;
    }
  }
  return [bestBeg, bestEnd, bestSize > 0];
}

const totalBlocks = (a: Vec3, b: Vec3) => (b[0] - a[0] + 1) * (b[1] - a[1] + 1) * (b[2] - a[2] + 1);
const minPoint = (c: Vec3, bs: Vec3): Vec3 => [i32(c[0] * bs[0]), i32(c[1] * bs[1]), i32(c[2] * bs[2])];
const maxPoint = (c: Vec3, bs: Vec3): Vec3 => [i32((c[0] + 1) * bs[0] - 1), i32((c[1] + 1) * bs[1] - 1), i32((c[2] + 1) * bs[2] - 1)];

function extendDim(ext: { MinChunk: Vec3; MaxChunk: Vec3 }, dim: number, v: number): void {
  if (v < ext.MinChunk[dim]) ext.MinChunk[dim] = v;
  if (v > ext.MaxChunk[dim]) ext.MaxChunk[dim] = v;
}

function addSubvolumesGrid(layer: Layer, out: Partition, batch: number, bs: Vec3): void {
  const [minY, maxY, found] = yRange(layer.active);
  if (!found) return;
  extendDim(out.ROI, 1, minY);
  extendDim(out.ROI, 1, maxY);
  const yleft = i32(maxY - minY + 1) % batch;
  const addYtoBeg = div(yleft, 2);
  const begY = minY - addYtoBeg;
  const endY = maxY + (yleft - addYtoBeg);
  for (let y0 = begY; y0 <= endY; y0 += batch) {
    const y1 = y0 + batch - 1;
    const [minX, maxX, actives] = xRange(layer.active, y0, y1);
    if (actives.length === 0) continue;
    extendDim(out.ROI, 0, minX);
    extendDim(out.ROI, 0, maxX);
    const xleft = i32(maxX - minX + 1) % batch;
    const addXtoBeg = div(xleft, 2);
    const begX = minX - addXtoBeg;
    const endX = maxX + (xleft - addXtoBeg);
    for (let x0 = begX; x0 <= endX; x0 += batch) {
      const x1 = x0 + batch - 1;
      const minCorner: Vec3 = [x0, y0, layer.minZ];
      const maxCorner: Vec3 = [x1, y1, layer.maxZ];
      const numTotal = totalBlocks(minCorner, maxCorner);
      const numActive = findActives(actives, x0, x1);
      if (numActive > 0) {
        out.Subvolumes.push({
          MinPoint: minPoint(minCorner, bs),
          MaxPoint: maxPoint(maxCorner, bs),
          MinChunk: minCorner,
          MaxChunk: maxCorner,
          TotalBlocks: numTotal,
          ActiveBlocks: numActive,
        });
      }
      out.NumActiveBlocks += numActive;
      out.NumTotalBlocks += numTotal;
    }
  }
}

function addSubvolumes(layer: Layer, out: Partition, batch: number, bs: Vec3): void {
  const [minY, maxY, found] = yRange(layer.active);
  if (!found) return;
  extendDim(out.ROI, 1, minY);
  extendDim(out.ROI, 1, maxY);
  let yleft = i32(maxY - minY + 1) % batch;
  let begY = minY;
  while (begY <= maxY) {
    let endY = begY + batch - 1;
    if (yleft > 0) {
      endY++;
      yleft--;
    }
    const [minX, maxX, actives] = xRange(layer.active, begY, endY);
    if (actives.length > 0) {
      extendDim(out.ROI, 0, minX);
      extendDim(out.ROI, 0, maxX);
      let xleft = i32(maxX - minX + 1) % batch;
      let begX = minX;
      while (begX <= maxX) {
        let endX = begX + batch - 1;
        if (xleft > 0) {
          endX++;
          xleft--;
        }
        const minCorner: Vec3 = [begX, begY, layer.minZ];
        const maxCorner: Vec3 = [endX, endY, layer.maxZ];
        const [holeBeg, holeEnd, hole] = findXHoles(actives, begX, endX);
        let numActive = 0;
        let numTotal = 0;
        if (hole) {
          if (holeBeg - 1 >= begX) {
            const last = out.Subvolumes.length - 1;
            if (last < 0) throw new GoPanic('runtime error: index out of range [-1]');
            const sv = out.Subvolumes[last];
            const lastCorner: Vec3 = [holeBeg - 1, endY, layer.maxZ];
            sv.MaxPoint = minPoint(lastCorner, bs); // sic: DVID uses the corner's MinPoint here
            sv.MaxChunk = lastCorner;
            numTotal = totalBlocks(minCorner, lastCorner);
            numActive = findActives(actives, begX, holeBeg - 1);
            sv.TotalBlocks += numTotal;
            sv.ActiveBlocks += numActive;
          }
          begX = holeEnd + 1;
        } else {
          numTotal = totalBlocks(minCorner, maxCorner);
          numActive = findActives(actives, begX, endX);
          out.Subvolumes.push({
            MinPoint: minPoint(minCorner, bs),
            MaxPoint: maxPoint(maxCorner, bs),
            MinChunk: minCorner,
            MaxChunk: maxCorner,
            TotalBlocks: numTotal,
            ActiveBlocks: numActive,
          });
          begX = endX + 1;
        }
        out.NumActiveBlocks += numActive;
        out.NumTotalBlocks += numTotal;
      }
    }
    begY = endY + 1;
  }
}

function partition(instance: RoiInstance, node: VersionNode, batch: number, optimized: boolean): Partition {
  if (batch === 0) throw new GoPanic('runtime error: integer divide by zero');
  const bs = instance.blockSize;
  const dz = i32(instance.maxZ - instance.minZ + 1);
  let zleft = dz % batch;
  let layerBegZ = optimized ? instance.minZ : i32(instance.minZ - div(zleft, 2));
  let layerEndZ = i32(layerBegZ + batch - 1);
  const out: Partition = {
    NumTotalBlocks: 0,
    NumActiveBlocks: 0,
    NumSubvolumes: 0,
    ROI: { MinChunk: [0, 0, instance.minZ], MaxChunk: [0, 0, instance.maxZ] },
    Subvolumes: [],
  };
  let layer: Layer = { active: [], minZ: layerBegZ, maxZ: layerEndZ };
  const flush = optimized ? addSubvolumes : addSubvolumesGrid;
  for (const [z, y, x0, x1] of roiSpans(instance, node)) {
    if (z > layerEndZ) {
      flush(layer, out, batch, bs);
      layerBegZ = i32(layerEndZ + 1);
      layerEndZ = i32(layerEndZ + batch);
      if (optimized && zleft > 0) {
        layerEndZ++;
        zleft--;
      }
      layer = { active: [], minZ: layerBegZ, maxZ: layerEndZ };
    }
    layer.active.push({ x0, y, z, span: x1 - x0 + 1 });
  }
  if (layer.active.length > 0) flush(layer, out, batch, bs);
  out.NumSubvolumes = out.Subvolumes.length;
  return out;
}

function servePartition(req: DataRequest<RoiInstance>): Response {
  if (req.request.method !== 'GET' && req.request.method !== 'HEAD') throw new Error('partition only supports GET request');
  const text = req.request.query.get('batchsize') ?? '';
  let batch: number;
  if (!/^[+-]?\d+$/.test(text)) {
    throw new Error(`Error reading batchsize query string: strconv.Atoi: parsing ${goQuote(text)}: invalid syntax`);
  }
  batch = Number(text);
  if (batch > MAX_INT32 * 2 ** 32 || batch < MIN_INT32 * 2 ** 32) {
    throw new Error(`Error reading batchsize query string: strconv.Atoi: parsing ${goQuote(text)}: value out of range`);
  }
  batch = i32(batch);
  const optimized = ['true', 'on'].includes(req.request.query.get('optimized') ?? '');
  return jsonResponse(JSON.stringify(partition(req.instance, req.version, batch, optimized), null, 4));
}

async function handle(req: DataRequest<RoiInstance>): Promise<Response> {
  const { instance, version } = req;
  switch (req.keyword) {
    case 'help':
      return helpResponse(req);
    case 'info':
      return jsonResponse(goJson(info(instance)));
    case 'roi':
      switch (req.request.method) {
        case 'GET':
        case 'HEAD':
          return jsonResponse(goJson(roiSpans(instance, version)));
        case 'POST':
          return postRoi(req);
        case 'DELETE':
          deleteSpans(instance, version);
          return emptyResponse();
        default:
          return emptyResponse();
      }
    case 'mask':
      return serveMask(req);
    case 'ptquery':
      return servePointQuery(req);
    case 'partition':
      return servePartition(req);
    default:
      throw badApiRequest(req);
  }
}

function info(instance: RoiInstance): Record<string, unknown> {
  return { Base: baseJson(instance), Extended: { BlockSize: instance.blockSize, MinZ: instance.minZ, MaxZ: instance.maxZ } };
}

registerDataType<RoiInstance>('roi', {
  create(base: BaseInstance, config: DvidConfig): RoiInstance {
    const setting = config.getString('BlockSize');
    if (setting.error) throw new Error(setting.error);
    let blockSize: Vec3 = [32, 32, 32];
    if (setting.found) {
      let point: number[];
      try {
        point = parsePoint(setting.value!, ',');
      } catch (err) {
        if (err instanceof GoParseError || err instanceof Error) throw new Error(err.message);
        throw err;
      }
      if (point.length !== 3) throw new Error(`BlockSize must be 3d, not ${point.length}d`);
      blockSize = point as Vec3;
    }
    const instance = { ...base, kind: 'roi', syncs: [], blockSize, minZ: MAX_INT32, maxZ: MIN_INT32 } as unknown as RoiInstance;
    instance.spans = new VersionedStore<true>(instance);
    return instance;
  },
  info,
  handle,
  isMutation(method, keyword) {
    const lower = method.toLowerCase();
    if (keyword === 'ptquery' && lower === 'post') return false;
    return lower === 'post' || lower === 'put' || lower === 'delete';
  },
});
