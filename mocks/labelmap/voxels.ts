/**
 * The voxel endpoints of the mock labelmap with DVID v1.0.0's checks, in its order:
 * `raw`/`isotropic` (3D GET any box; 3D POST block-aligned, optional lz4/gzip body, `mutate`),
 * `blocks` (GET block streams; POST gzip'd label blocks with `scale`, `downres`,
 * `noindexing`), `specificblocks`, `label` and `labels`.
 *
 * @example
 * ```ts
 * // POST /api/node/<uuid>/seg/raw/0_1_2/64_64_64/0_0_0?mutate=true  (2097152 bytes) → 200
 * // GET  /api/node/<uuid>/seg/blocks/128_64_64/0_0_0?compression=blocks → block stream
 * ```
 * @module
 */
import { gunzip } from '../../src/codecs/gzip.js';
import { decodeLz4Block } from '../../src/codecs/lz4.js';
import { blockAligned, checkSliceStrings, endPoint, formatPoint, parseSubvolume, shapeDimensions, type Point3, type Subvolume } from '../geometry.js';
import { goQuote, GoParseError } from '../goformat.js';
import { emptyResponse, notEmulated } from '../http.js';
import { labelSliceResponse } from '../images/label-slices.js';
import { takeRawThrottleSlot, takeThrottleSlot } from '../images/throttle.js';
import { getBlocks, getRaw, getSpecificBlocks, labelResponse, labelsAtPoints, readBox } from './read.js';
import { handJson, parsePoints, parseScale, readBody, refuseHash, requireBlockSize, type LabelmapRequest } from './request.js';
import { putLabels, storeBlocks } from './write.js';

/** `uncompressReaderData` of a `POST /raw` body. */
async function uncompressBody(body: Uint8Array, compression: string, expected: number): Promise<Uint8Array> {
  switch (compression) {
    case '':
      return body;
    case 'lz4': {
      if (body.length === 0) throw new Error('received 0 LZ4 compressed bytes');
      const out = new Uint8Array(Math.max(0, expected));
      try {
        decodeLz4Block(body, out, { strict: true });
      } catch (err) {
        // LZ4_decompress_safe accepts output shorter than the buffer (the rest stays zero).
        if (!/^.*output is \d+ bytes, expected/.test((err as Error).message)) throw new Error('Malformed compression stream');
      }
      return out;
    }
    case 'gzip':
      try {
        return await gunzip(body, { maxOutputBytes: 2 ** 31 });
      } catch {
        throw new Error('gzip: invalid header');
      }
    default:
      throw new Error(`unknown compression type ${goQuote(compression)}`);
  }
}

/** `POST /raw` of a 3D box after the shape checks (`PutLabels`). */
async function postRaw(req: LabelmapRequest, box: Subvolume, compression: string): Promise<Response> {
  const { instance } = req;
  const voxels = box.size[0] * box.size[1] * box.size[2];
  const data = await uncompressBody(await readBody(req), compression, voxels * 8);
  const size = requireBlockSize(req);
  if (!blockAligned(box, size)) {
    throw new Error(`cannot store labels for data ${goQuote(instance.name)} in non-block aligned geometry ${formatPoint(box.offset)} -> ${formatPoint(endPoint(box))}`);
  }
  if (data.byteLength !== voxels * 8) {
    throw new Error(`expected ${voxels * 8} bytes for data ${goQuote(instance.name)} label PUT but only received ${data.byteLength} bytes`);
  }
  const roi = req.request.query.get('roi') ?? '';
  if (roi !== '') {
    if (!req.repo.instances.has(roi)) throw new Error(`Can't get ROI with name ${goQuote(roi)}: invalid data instance name`);
    throw notEmulated(req.request.path, 'the roi query on labelmap raw');
  }
  const aligned = data.byteOffset % 4 === 0 ? data : data.slice();
  putLabels(req, box, aligned, req.request.query.get('mutate') === 'true');
  return emptyResponse();
}

/**
 * `raw`/`isotropic` (`handleDataRequest`).
 *
 * @example
 * ```ts
 * await handleRaw(req);
 * ```
 */
export async function handleRaw(req: LabelmapRequest): Promise<Response> {
  const { parts, request } = req;
  if (parts.length < 7) throw new Error(`'${parts[3]}' must be followed by shape/size/offset`);
  const isotropic = parts[3] === 'isotropic';
  const [shape, sizeText, offsetText] = parts.slice(4, 7);
  const dims = shapeDimensions(shape);
  const scale = parseScale(request.query);
  const supervoxels = request.query.get('supervoxels') === 'true';
  if (dims === 2) {
    checkSliceStrings(offsetText, sizeText);
    if (request.method !== 'GET') throw new Error('DVID does not permit 2d mutations, only 3d block-aligned stores');
    return getSlice(req, scale, supervoxels);
  }
  if (dims !== 3) throw new Error('DVID currently supports shapes of only 2 and 3 dimensions');
  const release = takeRawThrottleSlot(req.context.state, request.query);
  try {
    const compression = request.query.get('compression') ?? '';
    const box = parseSubvolume(offsetText, sizeText);
    if (request.method === 'GET') return await getRaw(req, box, compression, supervoxels, scale);
    if (isotropic) throw new Error("can only POST 'raw' not 'isotropic' images");
    return await postRaw(req, box, compression);
  } finally {
    release();
  }
}

/**
 * `blocks` (`handleBlocks`): GET streams blocks of an aligned box, any other method stores a
 * posted block stream.
 *
 * @example
 * ```ts
 * await handleBlocks(req);
 * ```
 */
export async function handleBlocks(req: LabelmapRequest): Promise<Response> {
  const { parts, request } = req;
  const q = request.query;
  const release = takeThrottleSlot(req.context.state, q);
  try {
    const scale = parseScale(q);
    const compression = q.get('compression') ?? '';
    const supervoxels = q.get('supervoxels') === 'true';
    if (request.method === 'GET') {
      if (parts.length < 6) throw new Error('must specify size and offset with GET /blocks endpoint');
      const box = parseSubvolume(parts[5], parts[4]);
      if (!blockAligned(box, requireBlockSize(req))) {
        throw new Error(`cannot use labels via 'blocks' endpoint in non-block aligned geometry ${formatPoint(box.offset)} -> ${formatPoint(endPoint(box))}`);
      }
      return await getBlocks(req, box, compression, supervoxels, scale);
    }
    await storeBlocks(req, await readBody(req), scale, q.get('downres') === 'true', compression, q.get('noindexing') !== 'true');
    return emptyResponse();
  } finally {
    release();
  }
}

/**
 * `specificblocks?blocks=x,y,z,...` (GET only).
 *
 * @example
 * ```ts
 * await handleSpecificBlocks(req);
 * ```
 */
export async function handleSpecificBlocks(req: LabelmapRequest): Promise<Response> {
  const q = req.request.query;
  let scale: number;
  try {
    scale = parseScale(q);
  } catch (err) {
    throw new Error((err as Error).message.replace(/^bad scale specified: /, ''));
  }
  if (req.request.method !== 'GET') {
    throw new Error(`DVID does not accept the ${req.request.method.toLowerCase()} action on the 'specificblocks' endpoint`);
  }
  return getSpecificBlocks(req, q.get('blocks') ?? '', q.get('compression') ?? '', q.get('supervoxels') === 'true', scale);
}

/**
 * A 2D label slice (`GetImage`, packed like uint64blk; any image format, `/isotropic` rescaled
 * like uint64blk): mocks/images/label-slices.ts. Coordinates and size are at `scale`.
 */
function getSlice(req: LabelmapRequest, scale: number, supervoxels: boolean): Response {
  return labelSliceResponse(req.parts, req.instance.voxelSize, (box) => readBox(req, box, scale, supervoxels), req.request.path);
}

/** `dvid.StringToPoint3d(text, "_")`. */
function parsePoint3(text: string): Point3 {
  const parts = text.split('_');
  if (parts.length !== 3) throw new Error(`String ${goQuote(text)} cannot be converted to a 3d point`);
  return parts.map((part) => {
    const trimmed = part.trim();
    if (!/^[+-]?\d+$/.test(trimmed)) throw new GoParseError('ParseInt', trimmed, 'invalid syntax');
    const value = BigInt(trimmed);
    if (value < -(2n ** 31n) || value >= 2n ** 31n) throw new GoParseError('ParseInt', trimmed, 'value out of range');
    return Number(value);
  }) as Point3;
}

/**
 * `label/{x_y_z}`: `{"Label": N}`.
 *
 * @example
 * ```ts
 * handleLabel(req); // {"Label": 23}
 * ```
 */
export function handleLabel(req: LabelmapRequest): Response {
  if (req.parts.length < 5) throw new Error("DVID requires coord to follow 'label' command");
  const point = parsePoint3(req.parts[4]);
  const scale = parseScale(req.request.query);
  const supervoxels = req.request.query.get('supervoxels') === 'true';
  return labelResponse(labelsAtPoints(req, [point], scale, supervoxels)[0]);
}

/**
 * `labels` (GET with a JSON list of points in the body): `[l1,l2,…]`.
 *
 * @example
 * ```ts
 * await handleLabels(req); // [23,911,0]
 * ```
 */
export async function handleLabels(req: LabelmapRequest): Promise<Response> {
  if (req.request.method !== 'GET') throw new Error('Batch labels query must be a GET request');
  const body = new TextDecoder().decode(await readBody(req));
  const scale = parseScale(req.request.query);
  const supervoxels = req.request.query.get('supervoxels') === 'true';
  refuseHash(req);
  let points: Point3[];
  try {
    points = parsePoints(body);
  } catch (err) {
    throw new Error(`Bad labels request JSON: ${(err as Error).message}`);
  }
  return handJson(`[${labelsAtPoints(req, points, scale, supervoxels).join(',')}]`);
}
