/**
 * Block streams of image instances (uint8blk, uint16blk, …, rgba8blk): the bodies of
 * `GET /subvolblocks/{size}/{offset}` and `GET /specificblocks?blocks=…`, decoded and cropped
 * into a result volume while the bytes arrive.
 *
 * Each record is 16 header bytes — int32 block x, y, z and int32 payload length N, little-endian
 * — then N payload bytes (DVID v1.0.0 `datatype/imageblk/imageblk.go` `SendSerializedBlock`).
 * Absent blocks are not sent; `/specificblocks` sends records in any order. The payload is the
 * stored value minus DVID's 1-byte serialization header (and 4 CRC bytes when checksummed), so
 * it depends on the instance's storage `Compression` unless `compression=uncompressed` is asked:
 *
 * | encoding | instance `Compression` | payload |
 * | --- | --- | --- |
 * | `lz4` | `lz4` (default) | uint32 LE uncompressed length (bx·by·bz·bytes per voxel) + one LZ4 block; a length of 0 means the rest is stored uncompressed |
 * | `jpeg` | `jpeg` (uint8 only) | a gray JPEG bx wide and by·bz high (rows are y, then z: the block's ZYX bytes) |
 * | `gzip` | `gzip` | a gzip stream of the block bytes |
 * | `raw` | `none`, or any instance with `compression=uncompressed` | the block bytes, ZYX, x fastest |
 *
 * The record framing is parsed by `blockstream.ts` (shared with labelmap); this module decodes
 * the payloads and copies each block's part of the requested box into place.
 *
 * @example
 * ```ts
 * const target = { data: new Uint8Array(64 * 64 * 64), start: [0, 0, 0], size: [64, 64, 64], bytesPerVoxel: 1 };
 * await readImageBlocksInto(response.body!, target, { encoding: 'lz4', blockSize: [32, 32, 32] });
 * ```
 * @module
 */
import { readBlockStream } from './blockstream.js';
import { gunzip } from './gzip.js';
import { decodeJpeg, type JpegIdct } from './jpeg.js';
import { decodeLz4Block } from './lz4.js';
import { DecodeError, DvidArgumentError } from '../errors.js';

/** How the payloads of an image block stream are encoded (see the module table). */
export type ImageBlockEncoding = 'lz4' | 'jpeg' | 'gzip' | 'raw';

/** Every payload encoding this module decodes. */
export const IMAGE_BLOCK_ENCODINGS: readonly ImageBlockEncoding[] = ['lz4', 'jpeg', 'gzip', 'raw'];

/** A point or size along x, y, z. */
export type Triple = readonly [number, number, number];

/** Where decoded blocks go: the bytes of a box, x fastest, then y, then z, voxels of `bytesPerVoxel` bytes. */
export interface ImageBlockTarget {
  data: Uint8Array;
  /** Voxel coordinate of the box's first voxel. */
  start: Triple;
  /** Box size in voxels. */
  size: Triple;
  bytesPerVoxel: number;
}

/** Options for {@link decodeImageBlockPayload}. */
export interface DecodeImageBlockOptions {
  blockSize: Triple;
  bytesPerVoxel: number;
  /** Decode into this buffer (length bx·by·bz·bytesPerVoxel) instead of a new one. */
  into?: Uint8Array;
  /** JPEG inverse DCT (match DVID's Go version; see `decodeJpeg`). @default 'chen-wang' */
  idct?: JpegIdct;
  /** Block name for errors, e.g. `'3,4,5'`. */
  block?: string;
}

/** Options for {@link readImageBlocksInto}. */
export interface ReadImageBlocksOptions {
  encoding: ImageBlockEncoding;
  blockSize: Triple;
  /**
   * JPEG inverse DCT, or a function called with JPEG records until it returns one (the SDK
   * uses this to detect DVID's Go version from a stored block; `undefined` means "this block
   * decodes the same either way, ask again with the next"). After 4 undecided records,
   * `'chen-wang'` is used.
   * @default 'chen-wang'
   */
  idct?: JpegIdct | ((coord: Triple, payload: Uint8Array) => Promise<JpegIdct | undefined>);
  signal?: AbortSignal;
}

/** What {@link readImageBlocksInto} saw. */
export interface ImageBlocksSummary {
  /** Records received. */
  blocks: number;
  /** Records that overlapped the target box. */
  used: number;
  /** Bytes of the stream (headers and payloads). */
  streamBytes: number;
  /** The JPEG IDCT used, when JPEG records were decoded. */
  idct?: JpegIdct;
}

const CODEC = 'dvid-imageblock';

/**
 * Maps the `Compression` text of an instance's `/info` (`Base.Compression`, e.g.
 * `"LZ4 compression, level -1"`, `"jpeg compression, level 32"`) to the payload encoding of its
 * default block stream; `undefined` for storage this module cannot read (snappy), which should
 * be requested with `compression=uncompressed`.
 *
 * @example
 * ```ts
 * imageBlockEncodingOf('No compression, level -1') // 'raw'
 * ```
 */
export function imageBlockEncodingOf(compression: string): ImageBlockEncoding | undefined {
  const text = compression.toLowerCase();
  if (text.startsWith('lz4')) return 'lz4';
  if (text.startsWith('jpeg')) return 'jpeg';
  if (text.startsWith('gzip')) return 'gzip';
  if (text.startsWith('no compression')) return 'raw';
  return undefined;
}

function checkGeometry(blockSize: Triple, bytesPerVoxel: number): number {
  if (blockSize.length !== 3 || !blockSize.every((n) => Number.isInteger(n) && n > 0)) {
    throw new DvidArgumentError('blockSize', `expected three positive integers, got ${JSON.stringify(blockSize)}`);
  }
  if (![1, 2, 4, 8].includes(bytesPerVoxel)) {
    throw new DvidArgumentError('bytesPerVoxel', `expected 1, 2, 4 or 8, got ${bytesPerVoxel}`);
  }
  return blockSize[0] * blockSize[1] * blockSize[2] * bytesPerVoxel;
}

/**
 * Decodes one LZ4, JPEG or raw payload into the block's bytes (ZYX, x fastest). Gzip payloads
 * are asynchronous: use {@link decodeImageBlockPayloadAsync}.
 *
 * @throws {@link DecodeError} (with `block` and `offset`) for a wrong size prefix, corrupt
 *   LZ4/JPEG data, a JPEG of the wrong dimensions, or a raw payload of the wrong length.
 * @example
 * ```ts
 * const voxels = decodeImageBlockPayload(record.data, 'lz4', { blockSize: [32, 32, 32], bytesPerVoxel: 2 });
 * ```
 */
export function decodeImageBlockPayload(
  payload: Uint8Array,
  encoding: Exclude<ImageBlockEncoding, 'gzip'>,
  options: DecodeImageBlockOptions,
): Uint8Array {
  const { blockSize, bytesPerVoxel, block } = options;
  const expected = checkGeometry(blockSize, bytesPerVoxel);
  const into = options.into;
  if (into && into.length !== expected) {
    throw new DvidArgumentError('into', `expected a buffer of ${expected} bytes, got ${into.length}`);
  }
  switch (encoding) {
    case 'lz4': {
      if (payload.length < 4) throw new DecodeError(CODEC, `LZ4 payload of ${payload.length} bytes has no size prefix`, { block, offset: 0 });
      const size = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, true);
      if (size === 0) {
        // DVID's legacy form: a zero prefix, then the bytes uncompressed.
        return takeRaw(payload.subarray(4), expected, into, block, 4);
      }
      if (size !== expected) {
        throw new DecodeError(CODEC, `LZ4 size prefix says ${size} bytes; a ${blockSize.join('×')} block of ${bytesPerVoxel}-byte voxels has ${expected}`, {
          block,
          offset: 0,
        });
      }
      return decodeLz4Block(payload.subarray(4), into ?? expected, { block });
    }
    case 'jpeg': {
      if (bytesPerVoxel !== 1) {
        throw new DecodeError(CODEC, `a JPEG payload cannot hold ${bytesPerVoxel}-byte voxels (DVID's JPEG storage is for uint8blk)`, { block });
      }
      const image = decodeJpeg(payload, { idct: options.idct, block, maxPixels: expected });
      const height = blockSize[1] * blockSize[2];
      if (image.width !== blockSize[0] || image.height !== height) {
        throw new DecodeError(CODEC, `JPEG block is ${image.width} × ${image.height}; expected ${blockSize[0]} × ${height}`, { block });
      }
      const gray = image.data as Uint8Array;
      let bytes = gray;
      if (image.channels !== 1) {
        bytes = new Uint8Array(expected);
        for (let i = 0, j = 0; i < expected; i++, j += image.channels) bytes[i] = gray[j];
      }
      if (into) {
        into.set(bytes);
        return into;
      }
      return bytes;
    }
    case 'raw':
      return takeRaw(payload, expected, into, block, 0);
    default:
      throw new DvidArgumentError('encoding', `expected one of lz4, jpeg, raw, got ${JSON.stringify(encoding)}`);
  }
}

function takeRaw(bytes: Uint8Array, expected: number, into: Uint8Array | undefined, block: string | undefined, at: number): Uint8Array {
  if (bytes.length !== expected) {
    throw new DecodeError(CODEC, `uncompressed payload has ${bytes.length} bytes; the block has ${expected}`, { block, offset: at });
  }
  if (into) {
    into.set(bytes);
    return into;
  }
  return bytes;
}

/**
 * Decodes any payload, gzip included.
 *
 * @throws {@link DecodeError} as {@link decodeImageBlockPayload}, and for corrupt gzip.
 * @example
 * ```ts
 * const voxels = await decodeImageBlockPayloadAsync(record.data, 'gzip', { blockSize: [32, 32, 32], bytesPerVoxel: 1 });
 * ```
 */
export async function decodeImageBlockPayloadAsync(
  payload: Uint8Array,
  encoding: ImageBlockEncoding,
  options: DecodeImageBlockOptions & { signal?: AbortSignal },
): Promise<Uint8Array> {
  if (encoding !== 'gzip') return decodeImageBlockPayload(payload, encoding, options);
  const expected = checkGeometry(options.blockSize, options.bytesPerVoxel);
  const bytes = await gunzip(payload, { expectedBytes: expected, block: options.block, signal: options.signal });
  if (options.into) {
    options.into.set(bytes);
    return options.into;
  }
  return bytes;
}

/**
 * Copies the part of one decoded block (ZYX bytes) that lies inside the target box. Returns
 * false when the block does not overlap the box.
 *
 * @example
 * ```ts
 * copyImageBlockInto(voxels, [1, 0, 0], [32, 32, 32], target);
 * ```
 */
export function copyImageBlockInto(blockBytes: Uint8Array, coord: Triple, blockSize: Triple, target: ImageBlockTarget): boolean {
  const [bx, by, bz] = blockSize;
  const [sx, sy, sz] = target.start;
  const [nx, ny, nz] = target.size;
  const bpv = target.bytesPerVoxel;
  const ox = coord[0] * bx;
  const oy = coord[1] * by;
  const oz = coord[2] * bz;
  const x0 = Math.max(ox, sx);
  const x1 = Math.min(ox + bx, sx + nx);
  const y0 = Math.max(oy, sy);
  const y1 = Math.min(oy + by, sy + ny);
  const z0 = Math.max(oz, sz);
  const z1 = Math.min(oz + bz, sz + nz);
  if (x0 >= x1 || y0 >= y1 || z0 >= z1) return false;
  const run = (x1 - x0) * bpv;
  const dst = target.data;
  if (x1 - x0 === bx && x1 - x0 === nx && y1 - y0 === by && y1 - y0 === ny) {
    // Whole xy planes on both sides: one copy per z range.
    const src = ((z0 - oz) * by * bx) * bpv;
    const at = ((z0 - sz) * ny * nx) * bpv;
    dst.set(blockBytes.subarray(src, src + (z1 - z0) * by * bx * bpv), at);
    return true;
  }
  for (let z = z0; z < z1; z++) {
    let src = (((z - oz) * by + (y0 - oy)) * bx + (x0 - ox)) * bpv;
    let at = (((z - sz) * ny + (y0 - sy)) * nx + (x0 - sx)) * bpv;
    for (let y = y0; y < y1; y++) {
      dst.set(blockBytes.subarray(src, src + run), at);
      src += bx * bpv;
      at += nx * bpv;
    }
  }
  return true;
}

/** The largest payload a block of this geometry can have in a given encoding. */
function maxPayload(encoding: ImageBlockEncoding, blockBytes: number): number {
  // LZ4's worst case is n + n/255 + 16; gzip's is ~n + 5 per 16 KiB + 18; JPEG of noise can
  // exceed the raw size a little. A generous bound still stops a lying length early.
  return encoding === 'raw' ? blockBytes : 4 + 2 * blockBytes + 1024;
}

/**
 * Reads an image block stream (a `ReadableStream`, an async iterable of chunks, or bytes in
 * memory), decodes each record as soon as it is complete, and copies its overlap with the
 * target box into `target.data`. Voxels of the box not covered by any record are left as they
 * are (DVID reads absent blocks as 0, so start from a zeroed buffer).
 *
 * @throws {@link DecodeError} for truncated streams, lying lengths or undecodable payloads
 *   (DVID may append an error message to a stream it already started).
 * @example
 * ```ts
 * const res = await fetch(`${url}/api/node/${uuid}/grayscale/subvolblocks/64_64_64/0_0_0`);
 * const data = new Uint8Array(64 ** 3);
 * await readImageBlocksInto(res.body!, { data, start: [0, 0, 0], size: [64, 64, 64], bytesPerVoxel: 1 },
 *   { encoding: 'lz4', blockSize: [32, 32, 32] });
 * ```
 */
export async function readImageBlocksInto(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array,
  target: ImageBlockTarget,
  options: ReadImageBlocksOptions,
): Promise<ImageBlocksSummary> {
  const { encoding, blockSize, signal } = options;
  if (!IMAGE_BLOCK_ENCODINGS.includes(encoding)) {
    throw new DvidArgumentError('encoding', `expected one of ${IMAGE_BLOCK_ENCODINGS.join(', ')}, got ${JSON.stringify(encoding)}`);
  }
  const bpv = target.bytesPerVoxel;
  const blockBytes = checkGeometry(blockSize, bpv);
  const needed = target.size[0] * target.size[1] * target.size[2] * bpv;
  if (target.data.length !== needed) {
    throw new DvidArgumentError('target', `data has ${target.data.length} bytes; a ${target.size.join('×')} box needs ${needed}`);
  }
  const scratch = encoding === 'raw' ? undefined : new Uint8Array(blockBytes);
  let idct: JpegIdct | undefined = typeof options.idct === 'string' ? options.idct : undefined;
  const resolveIdct = typeof options.idct === 'function' ? options.idct : undefined;
  let probes = 0;
  let blocks = 0;
  let used = 0;
  let streamBytes = 0;
  for await (const record of readBlockStream(source, { maxBlockBytes: maxPayload(encoding, blockBytes), signal })) {
    blocks += 1;
    streamBytes += 16 + record.data.length;
    const block = record.coord.join(',');
    let recordIdct = idct;
    if (encoding === 'jpeg' && idct === undefined) {
      probes += 1;
      const answer = resolveIdct && probes <= 4 ? await resolveIdct(record.coord, record.data) : 'chen-wang';
      if (answer !== undefined) idct = answer;
      recordIdct = answer ?? 'chen-wang';
    }
    const decoded =
      encoding === 'gzip'
        ? await decodeImageBlockPayloadAsync(record.data, 'gzip', { blockSize, bytesPerVoxel: bpv, into: scratch, block, signal })
        : decodeImageBlockPayload(record.data, encoding, { blockSize, bytesPerVoxel: bpv, into: scratch, idct: recordIdct, block });
    if (copyImageBlockInto(decoded, record.coord, blockSize, target)) used += 1;
  }
  return { blocks, used, streamBytes, ...(idct ? { idct } : {}) };
}
