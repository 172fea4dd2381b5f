/**
 * Block streams of image-block instances as DVID v1.0.0 sends them (`imageblk`
 * `SendBlocks`, `SendBlocksSpecific`, `SendSerializedBlock`): records of int32 x, y, z, int32 N
 * and N payload bytes for the stored blocks only. The payload is the stored value without
 * DVID's 1-byte serialization header — LZ4 (uint32 LE size + LZ4 block), gzip, snappy, the
 * JPEG of JPEG-stored instances, or the raw bytes — or, with `compression=uncompressed`, the
 * block's voxels; `compression=jpeg` insists on JPEG storage.
 *
 * `/subvolblocks` needs a block-aligned box, answers blocks in z, y, x order, and wraps errors
 * of multi-block reads in `Unable to GET data <context>: ...`; `/specificblocks` answers the
 * listed blocks in request order and silently skips blocks it cannot encode, as DVID does.
 *
 * @example
 * ```ts
 * // GET /api/node/<uuid>/gray/subvolblocks/64_64_32/0_0_0 → two LZ4 records
 * ```
 * @module
 */
import { encodeBlockStream } from '../../src/codecs/blockstream.js';
import { gzip } from '../../src/codecs/gzip.js';
import { encodeLz4Block } from '../../src/codecs/lz4.js';
import { goAtoi, GoParseError, goQuote } from '../goformat.js';
import { blockAligned, endPoint, formatPoint, parseSubvolume, type Point3 } from '../geometry.js';
import { bodyResponse, GoPanic, notEmulated } from '../http.js';
import type { ImageInstance } from '../imageblk.js';
import type { MockContext, RouteRequest } from '../router.js';
import type { MockNode } from '../state.js';
import { VersionConflictError } from '../versioned.js';
import { storedJpeg } from './jpeg-storage.js';
import { takeThrottleSlot } from './throttle.js';

/**
 * What a block-stream handler needs about the request.
 *
 * @example
 * ```ts
 * serveSubvolBlocks({ context, request, instance, version, parts })
 * ```
 */
export interface BlockStreamRequest {
  context: MockContext;
  request: RouteRequest;
  instance: ImageInstance;
  version: MockNode;
  /** The API path after `/api/`, split on `/`. */
  parts: string[];
  /** DVID's error for a version conflict on a block read (the caller's storage-key text). */
  conflictError(err: VersionConflictError): Error;
}

type StreamRecord = { coord: [number, number, number]; data: Uint8Array };

/** `SendSerializedBlock`'s refusal to send a non-JPEG block as JPEG. */
class NotJpegStoredError extends Error {
  constructor(storage: string) {
    super(`can't encode JPEG: expected internal block data to be JPEG, was ${storage} instead`);
    this.name = 'NotJpegStoredError';
  }
}

function streamResponse(records: StreamRecord[]): Response {
  return bodyResponse(encodeBlockStream(records), 200, { 'Content-Type': 'application/octet-stream' });
}

/** The compression format name DVID prints (`LZ4 compression`, `jpeg compression`, ...). */
function storageName(instance: ImageInstance): string {
  return instance.compression.split(',')[0];
}

function checkCompressionQuery(compression: string): void {
  if (compression !== '' && compression !== 'uncompressed' && compression !== 'jpeg') {
    throw new Error(`don't understand 'compression' query string value: ${compression}`);
  }
}

/** Snappy's block format with literals only (valid for any decoder). */
function encodeSnappyLiterals(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let n = data.length; ; n >>>= 7) {
    if (n < 0x80) {
      out.push(n);
      break;
    }
    out.push((n & 0x7f) | 0x80);
  }
  const chunks: Uint8Array[] = [Uint8Array.from(out)];
  for (let p = 0; p < data.length; p += 65536) {
    const part = data.subarray(p, Math.min(data.length, p + 65536));
    const len = part.length - 1;
    chunks.push(len < 60 ? Uint8Array.of(len << 2) : len < 256 ? Uint8Array.of(60 << 2, len) : Uint8Array.of(61 << 2, len & 255, len >> 8), part);
  }
  const total = chunks.reduce((sum, c) => sum + c.length, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.length;
  }
  return bytes;
}

function lz4Payload(block: Uint8Array): Uint8Array {
  const compressed = encodeLz4Block(block);
  const out = new Uint8Array(4 + compressed.length);
  new DataView(out.buffer).setUint32(0, block.length, true);
  out.set(compressed, 4);
  return out;
}

/** The stored value of a block without DVID's serialization header. */
async function storedPayload(instance: ImageInstance, block: Uint8Array, path: string): Promise<Uint8Array> {
  const name = storageName(instance);
  switch (name) {
    case 'LZ4 compression':
      return lz4Payload(block);
    case 'gzip compression':
      return gzip(block);
    case 'Go Snappy compression':
      return encodeSnappyLiterals(block);
    case 'jpeg compression': {
      const jpeg = storedJpeg(block);
      if (!jpeg) throw notEmulated(path, 'a JPEG-stored block written without the JPEG encoder');
      return jpeg;
    }
    default:
      return block;
  }
}

/** `SendSerializedBlock`'s payload for a compression query (validated already). */
async function blockPayload(instance: ImageInstance, block: Uint8Array, compression: string, path: string): Promise<Uint8Array> {
  if (compression === 'jpeg' && storageName(instance) !== 'jpeg compression') {
    throw new NotJpegStoredError(storageName(instance));
  }
  if (compression === 'uncompressed') return block;
  return storedPayload(instance, block, path);
}

function readBlock(req: BlockStreamRequest, coord: Point3): Uint8Array | undefined {
  if (!req.instance.store) throw notEmulated(req.request.path, 'block streams of an instance without a 3D block size');
  try {
    return req.instance.store.getBlock(coord, req.version);
  } catch (err) {
    if (err instanceof VersionConflictError) throw req.conflictError(err);
    throw err;
  }
}

/** DVID's `VersionedCtx` description, which prefixes errors of multi-block reads. */
function contextText(req: BlockStreamRequest): string {
  const id = req.context.state.localInstanceId(req.instance);
  return `Versioned data context for ${goQuote(req.instance.name)} (local id ${id}, version id ${req.version.versionId})`;
}

async function collectBlocks(req: BlockStreamRequest, first: Point3, counts: Point3, compression: string): Promise<StreamRecord[]> {
  const records: StreamRecord[] = [];
  for (let z = first[2]; z < first[2] + counts[2]; z++) {
    for (let y = first[1]; y < first[1] + counts[1]; y++) {
      for (let x = first[0]; x < first[0] + counts[0]; x++) {
        const block = readBlock(req, [x, y, z]);
        if (!block) continue;
        try {
          records.push({ coord: [x, y, z], data: await blockPayload(req.instance, block, compression, req.request.path) });
        } catch (err) {
          if (err instanceof NotJpegStoredError) throw new Error(`Unable to GET data ${contextText(req)}: ${err.message}`);
          throw err;
        }
      }
    }
  }
  return records;
}

/**
 * `GET /subvolblocks/{size}/{offset}[?compression=...]`.
 *
 * @throws Error with DVID's message for a bad or unaligned box, a POST, or a bad compression.
 * @example
 * ```ts
 * await serveSubvolBlocks(req) // 200 application/octet-stream
 * ```
 */
export async function serveSubvolBlocks(req: BlockStreamRequest): Promise<Response> {
  const { parts, request, instance } = req;
  if (parts.length < 6) throw new GoPanic(`runtime error: index out of range [${parts.length}] with length ${parts.length}`);
  const release = takeThrottleSlot(req.context.state, request.query);
  try {
    const box = parseSubvolume(parts[5], parts[4]);
    const blockSize = instance.blockSize as Point3;
    if (!instance.store) throw notEmulated(request.path, 'block streams of an instance without a 3D block size');
    if (!blockAligned(box, blockSize)) {
      throw new Error(`cannot use labels via 'block' endpoint in non-block aligned geometry ${formatPoint(box.offset)} -> ${formatPoint(endPoint(box))}`);
    }
    if (request.method !== 'GET') throw new Error(`DVID does not accept the ${request.method.toLowerCase()} action on the 'blocks' endpoint`);
    const compression = request.query.get('compression') ?? '';
    checkCompressionQuery(compression);
    const first = box.offset.map((v, d) => Math.trunc(v / blockSize[d])) as Point3;
    const counts = box.size.map((v, d) => Math.trunc(v / blockSize[d])) as Point3;
    if (counts.every((c) => c === 1)) {
      const block = readBlock(req, first);
      if (!block) return streamResponse([]);
      try {
        return streamResponse([{ coord: first, data: await blockPayload(instance, block, compression, request.path) }]);
      } catch (err) {
        if (err instanceof NotJpegStoredError) throw new Error(err.message); // a plain 400, unwrapped
        throw err;
      }
    }
    return streamResponse(await collectBlocks(req, first, counts, compression));
  } finally {
    release();
  }
}

function parseBlockList(text: string): Point3[] {
  const values = text.split(',');
  if (values.length % 3 !== 0) throw new Error('block query string should be three coordinates per block');
  const coords: Point3[] = [];
  for (let i = 0; i < values.length; i += 3) {
    try {
      coords.push([goAtoi(values[i]), goAtoi(values[i + 1]), goAtoi(values[i + 2])].map((v) => v | 0) as Point3);
    } catch (err) {
      if (err instanceof GoParseError) throw new Error(err.message);
      throw err;
    }
  }
  return coords;
}

/**
 * `GET /specificblocks?blocks=x,y,z,...[&compression=...][&prefetch=true]`.
 *
 * @throws Error with DVID's message for a POST, a bad compression or a bad block list.
 * @example
 * ```ts
 * await serveSpecificBlocks(req) // the listed blocks that are stored, in request order
 * ```
 */
export async function serveSpecificBlocks(req: BlockStreamRequest): Promise<Response> {
  const { request, instance } = req;
  if (request.method !== 'GET') {
    throw new Error(`DVID does not accept the ${request.method.toLowerCase()} action on the 'specificblocks' endpoint`);
  }
  const compression = request.query.get('compression') ?? '';
  checkCompressionQuery(compression);
  const list = request.query.get('blocks') ?? '';
  if (list === '') return streamResponse([]);
  const coords = parseBlockList(list);
  const prefetch = ['on', 'true'].includes(request.query.get('prefetch') ?? '');
  const records: StreamRecord[] = [];
  for (const coord of coords) {
    const block = readBlock(req, coord);
    if (!block || prefetch) continue;
    try {
      records.push({ coord, data: await blockPayload(instance, block, compression, request.path) });
    } catch (err) {
      if (err instanceof NotJpegStoredError) continue; // DVID ignores the block's error
      throw err;
    }
  }
  return streamResponse(records);
}
