/**
 * Reading labels from the mock labelmap as DVID v1.0.0 serves them: `GET /raw` (any box, any
 * scale, mapped unless `supervoxels=true`, optional lz4/gzip), `GET /blocks` and
 * `GET /specificblocks` (block streams: `int32 bx, by, bz`, `uint32 n`, payload, only stored
 * blocks, in ZYX order here — DVID's order varies), `GET /label` and `GET /labels`.
 *
 * @example
 * ```ts
 * const bytes = readBox(req, { offset: [0, 0, 0], size: [10, 10, 10] }, 0, false); // uint64 LE
 * ```
 * @module
 */
import { encodeBlockRecordHeader } from '../../src/codecs/blockstream.js';
import { gzip } from '../../src/codecs/gzip.js';
import { encodeLabelBlock } from '../../src/codecs/labelblock-encode.js';
import { encodeLz4Block } from '../../src/codecs/lz4.js';
import { describeSubvolume, type Point3, type Subvolume } from '../geometry.js';
import { goQuote } from '../goformat.js';
import { GoPanic, notEmulated } from '../http.js';
import type { VersionNode } from '../versioned.js';
import type { LabelBlock } from './block.js';
import { handJson, octetResponse, requireBlockSize, type LabelmapRequest } from './request.js';
import { usableBlockSize, type LabelmapInstance } from './store.js';

/** DVID's `server.MaxDataRequest` (3 GiB). */
const MAX_DATA_REQUEST = 3 * 2 ** 30;

/** Largest box the mock builds in memory (DVID allows 3 GiB). */
const MOCK_MAX_BYTES = 2 ** 30;

/** The table words a read uses: supervoxels as stored, or mapped labels. */
function readTable(instance: LabelmapInstance, at: VersionNode, block: LabelBlock, supervoxels: boolean): BigUint64Array {
  return supervoxels ? block.table : instance.store.mappedTable(at, block);
}

function wordsOf(table: BigUint64Array): Uint32Array {
  return new Uint32Array(table.buffer, table.byteOffset, table.length * 2);
}

/**
 * The labels of any box at a scale (x fastest, little-endian uint64), zeros where nothing is
 * stored.
 *
 * @example
 * ```ts
 * readBox(req, { offset: [-5, 0, 0], size: [10, 1, 1] }, 0, true);
 * ```
 */
export function readBox(req: LabelmapRequest, box: Subvolume, scale: number, supervoxels: boolean): Uint8Array {
  const { instance, version } = req;
  const size = requireBlockSize(req);
  const out = new Uint32Array(2 * box.size[0] * box.size[1] * box.size[2]);
  const first = box.offset.map((v, d) => Math.floor(v / size[d])) as Point3;
  const last = box.offset.map((v, d) => Math.floor((v + box.size[d] - 1) / size[d])) as Point3;
  for (const { coord, block } of instance.store.blocksIn(version, scale, first, last)) {
    const origin = coord.map((c, d) => c * size[d]) as Point3;
    block.copyInto(out, box.offset, box.size, origin, wordsOf(readTable(instance, version, block, supervoxels)));
  }
  return new Uint8Array(out.buffer);
}

/**
 * `writeCompressedToHTTP`: the bytes as asked (`""`, `lz4`, `gzip`).
 *
 * @example
 * ```ts
 * await compressedResponse(req, bytes, 'lz4');
 * ```
 */
export async function compressedResponse(req: LabelmapRequest, bytes: Uint8Array, compression: string): Promise<Response> {
  switch (compression) {
    case '':
      return octetResponse(bytes);
    case 'lz4':
      return octetResponse(encodeLz4Block(bytes));
    case 'gzip':
      return octetResponse(await gzip(bytes));
    case 'google':
    case 'googlegzip':
      throw notEmulated(req.request.path, `compression=${compression} (neuroglancer compressed segmentation)`);
    default:
      throw new Error(`unknown compression type ${goQuote(compression)}`);
  }
}

/**
 * `GET /raw/0_1_2/...` of a 3D box: DVID's one-aligned-block path (which fails on a block never
 * written), then the general path with its geometry checks.
 *
 * @example
 * ```ts
 * return await getRaw(req, box, 'lz4', false, 0);
 * ```
 */
export async function getRaw(req: LabelmapRequest, box: Subvolume, compression: string, supervoxels: boolean, scale: number): Promise<Response> {
  const size = requireBlockSize(req);
  const roi = req.request.query.get('roi') ?? '';
  const oneBlock = box.size.every((v, d) => v === size[d]) && box.offset.every((v, d) => v % size[d] === 0);
  if (roi === '' && oneBlock) {
    const coord = box.offset.map((v, d) => v / size[d]) as Point3;
    const block = req.instance.store.getBlock(req.version, scale, coord);
    if (!block) {
      if (compression === '') throw new GoPanic('runtime error: invalid memory address or nil pointer dereference');
      throw new Error(`unable to get label block (${coord.join(', ')})`);
    }
  }
  const voxels = box.size[0] * box.size[1] * box.size[2];
  if (box.size.some((v) => v <= 0) || voxels <= 0) throw new Error(`illegal geometry requested: ${describeSubvolume(box)}`);
  if (voxels * 8 > MAX_DATA_REQUEST) {
    throw new Error(`requested payload (${voxels * 8} bytes) exceeds this DVID server's set limit (${MAX_DATA_REQUEST})`);
  }
  if (voxels * 8 > MOCK_MAX_BYTES) throw notEmulated(req.request.path, `reading more than ${MOCK_MAX_BYTES} bytes at once`);
  if (roi !== '') {
    if (!req.repo.instances.has(roi)) throw new Error(`Can't get ROI with name ${goQuote(roi)}: invalid data instance name`);
    throw notEmulated(req.request.path, 'the roi query on labelmap raw');
  }
  return compressedResponse(req, readBox(req, box, scale, supervoxels), compression);
}

/** Compression values `GET /blocks` accepts. */
const BLOCK_COMPRESSIONS = ['', 'lz4', 'gzip', 'blocks', 'uncompressed'];

/**
 * The gzip'd DVID label block of a stored block (cached on the block), or of its mapped labels.
 *
 * @example
 * ```ts
 * const payload = await gzippedLabelBlock(block, table);
 * ```
 */
export async function gzippedLabelBlock(block: LabelBlock, table: BigUint64Array): Promise<Uint8Array> {
  if (table === block.table) {
    block.gzipped ??= await gzip(encodeLabelBlock(block.toLabels(), block.size));
    return block.gzipped;
  }
  return gzip(encodeLabelBlock(block.toLabels(table), block.size));
}

/** `transcodeBlock`: one block's payload in the requested compression. */
async function transcode(block: LabelBlock, table: BigUint64Array, compression: string): Promise<Uint8Array> {
  if (compression === 'blocks') return gzippedLabelBlock(block, table);
  const bytes = new Uint8Array(block.expand(wordsOf(table)).buffer);
  if (compression === 'uncompressed') return bytes;
  if (compression === 'gzip') return gzip(bytes);
  return encodeLz4Block(bytes);
}

/** A block stream of the given blocks. */
async function blockStream(req: LabelmapRequest, blocks: { coord: Point3; block: LabelBlock }[], compression: string, supervoxels: boolean): Promise<Response> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const { coord, block } of blocks) {
    const payload = await transcode(block, readTable(req.instance, req.version, block, supervoxels), compression);
    parts.push(encodeBlockRecordHeader(coord, payload.length), payload);
    total += 16 + payload.length;
  }
  const out = new Uint8Array(total);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return octetResponse(out);
}

/**
 * `sendBlocksVolume` (`GET /blocks/{size}/{offset}`), the box already checked to be aligned.
 *
 * @example
 * ```ts
 * return await getBlocks(req, box, 'blocks', false, 0);
 * ```
 */
export async function getBlocks(req: LabelmapRequest, box: Subvolume, compression: string, supervoxels: boolean, scale: number): Promise<Response> {
  if (!BLOCK_COMPRESSIONS.includes(compression)) throw new Error('compression must be "lz4" (default), "gzip", "blocks" or "uncompressed"');
  const size = requireBlockSize(req);
  const first = box.offset.map((v, d) => Math.trunc(v / size[d])) as Point3;
  const last = first.map((v, d) => v + Math.trunc(box.size[d] / size[d]) - 1) as Point3;
  if (last.some((v, d) => v < first[d])) return octetResponse(new Uint8Array(0));
  return blockStream(req, req.instance.store.blocksIn(req.version, scale, first, last), compression, supervoxels);
}

/**
 * `sendBlocksSpecific` (`GET /specificblocks?blocks=x,y,z,...`): the listed blocks that are
 * stored, in the order asked (compression `blocks` by default).
 *
 * @example
 * ```ts
 * return await getSpecificBlocks(req, '0,0,0,1,0,0', '', false, 0);
 * ```
 */
export async function getSpecificBlocks(req: LabelmapRequest, list: string, compression: string, supervoxels: boolean, scale: number): Promise<Response> {
  const chosen = compression === '' ? 'blocks' : compression;
  if (!BLOCK_COMPRESSIONS.includes(chosen)) throw new Error('compression must be "lz4" (default), "gzip", "blocks" or "uncompressed"');
  if (list === '') return octetResponse(new Uint8Array(0));
  const items = list.split(',');
  if (items.length % 3 !== 0) throw new Error('block query string should be three coordinates per block');
  const blocks: { coord: Point3; block: LabelBlock }[] = [];
  for (let i = 0; i < items.length; i += 3) {
    const coord = items.slice(i, i + 3).map((text) => {
      if (!/^[+-]?\d+$/.test(text)) throw new Error(`strconv.Atoi: parsing ${goQuote(text)}: invalid syntax`);
      return Number(BigInt.asIntN(32, BigInt(text)));
    }) as Point3;
    const block = req.instance.store.getBlock(req.version, scale, coord);
    if (block) blocks.push({ coord, block });
  }
  return blockStream(req, blocks, chosen, supervoxels);
}

/**
 * The labels at points (`GetLabelPoints`) of an instance as a version sees them, at a scale,
 * mapped unless `supervoxels`; 0 where nothing is stored. Points are located with floor
 * division (DVID v1.0.0 looks up points with a negative coordinate in the wrong place; the
 * mock does not reproduce that). Other mock types (annotation syncs) use it directly.
 *
 * @example
 * ```ts
 * labelsAt(seg, node, [[0, 0, 0]], 0, false); // [7n]
 * ```
 */
export function labelsAt(instance: LabelmapInstance, at: VersionNode, points: readonly Point3[], scale: number, supervoxels: boolean): bigint[] {
  const size = usableBlockSize(instance);
  if (!size) return points.map(() => 0n);
  return points.map((p) => {
    const coord = p.map((v, d) => Math.floor(v / size[d])) as Point3;
    const block = instance.store.getBlock(at, scale, coord);
    if (!block) return 0n;
    const t = block.indexAt(p[0] - coord[0] * size[0], p[1] - coord[1] * size[1], p[2] - coord[2] * size[2]);
    return readTable(instance, at, block, supervoxels)[t];
  });
}

/**
 * {@link labelsAt} for a request (`GET /label`, `GET /labels`); 501 for block sizes the mock
 * cannot store.
 *
 * @example
 * ```ts
 * labelsAtPoints(req, [[0, 0, 0]], 0, false); // [7n]
 * ```
 */
export function labelsAtPoints(req: LabelmapRequest, points: readonly Point3[], scale: number, supervoxels: boolean): bigint[] {
  if (req.request) requireBlockSize(req);
  return labelsAt(req.instance, req.version, points, scale, supervoxels);
}

/**
 * `{"Label": N}` of `GET /label/{x_y_z}`.
 *
 * @example
 * ```ts
 * labelJson(23n); // '{"Label": 23}'
 * ```
 */
export function labelResponse(label: bigint): Response {
  return handJson(`{"Label": ${label}}`);
}
