/**
 * Images and compressed transfers of voxel instances (uint8blk … rgba8blk): 2D slices as PNG,
 * JPEG or raw bytes (`/raw/{plane}/…`, `/isotropic/…`), arbitrary planes (`/arb`), the stacked
 * 3D JPEG (`/raw/0_1_2/…/jpg`) and block streams (`/subvolblocks`), each either returned as the
 * encoded image or decoded into a Volume with the instance's dtype and the exact values `/raw`
 * returns. `VoxelsAccessor` exposes them as `slice`, `sliceImage`, `arb`, `arbImage` and the
 * `transfer` option of `read`/`get`; the functions here take a small context so other
 * instance types that serve the same images (labelmap: `scale` in `query`) can reuse them.
 *
 * @example
 * ```ts
 * const v = await client.voxels(uuid, 'grayscale');
 * const xy = await v.slice('xy', [0, 0, 100], [512, 512]);                   // Volume [1, 512, 512], 'cxy'
 * const img = await v.sliceImage('xz', [0, 100, 0], [512, 256], { format: 'jpeg', quality: 90 });
 * imgElement.src = URL.createObjectURL(img.blob());
 * const box = await v.read([0, 0, 0, 0], [1, 256, 256, 256], { transfer: 'blocks' });
 * ```
 * @module
 */
import { readBlockStream } from '../codecs/blockstream.js';
import {
  decodeImage,
  dvidImageBytesPerVoxel,
  jpegCarriesValues,
  sniffImageFormat,
  unpackDvidImage,
  type DecodedImage,
  type DvidImageDType,
  type ImageFormat,
} from '../codecs/image.js';
import { imageBlockEncodingOf, decodeImageBlockPayload, readImageBlocksInto, type ImageBlockEncoding } from '../codecs/imageblock-stream.js';
import { JPEG_IDCTS, decodeJpeg, type JpegIdct } from '../codecs/jpeg.js';
import { DecodeError, DvidArgumentError } from '../errors.js';
import type { QueryValues, Transport } from '../transport/transport.js';
import type { RetryOptions } from '../transport/retry.js';
import { Volume } from '../volume/index.js';
import type { DType, TypedArrayFor } from '../volume/dtype.js';
import { nodePath } from './paths.js';

/** What the image calls need to know about an instance. */
export interface ImageInstanceContext {
  transport: Transport;
  uuid: string;
  name: string;
  /** Element type of one channel. */
  dtype: DType;
  /** 1, or 4 for rgba8blk. */
  channels: number;
  /** Block size along x, y, z. */
  blockSize: readonly number[];
  /** Query arguments for every image request (e.g. a labelmap's `scale`). */
  query?: QueryValues;
}

/** An orthogonal plane: `xy` (width x, height y), `xz` (x, z) or `yz` (y, z). */
export type SlicePlane = 'xy' | 'xz' | 'yz';

/** Every slice plane. */
export const SLICE_PLANES: readonly SlicePlane[] = ['xy', 'xz', 'yz'];

/** How voxel boxes travel from DVID; see {@link VoxelsTransfer}'s members. */
export type VoxelsTransfer = 'raw' | 'blocks' | 'jpeg';

/** Every voxel read transfer. */
export const VOXELS_TRANSFERS: readonly VoxelsTransfer[] = ['raw', 'blocks', 'jpeg'];

/**
 * The default voxel read transfer, picked by `bench/images.ts` on a local DVID v1.0.0 (numbers in
 * docs/images.md): `raw` (DVID's uncompressed `/raw`) was as fast as the LZ4 block stream or
 * faster on loopback (123 vs 158 ms median for 256³ uint8), where bytes are free and decoding is
 * not; it also honours `roi` and needs no `/info` request. Prefer `blocks` over slow links.
 */
export const DEFAULT_VOXELS_TRANSFER: VoxelsTransfer = 'raw';

/** Options shared by the image requests. */
export interface ImageRequestOptions {
  /** Extra query arguments (e.g. `{roi: 'myroi'}` for `/raw` slices). */
  query?: QueryValues;
  signal?: AbortSignal;
  timeout?: number | false;
  retry?: number | RetryOptions;
}

/** Options for {@link fetchSliceImage} and `v.sliceImage`. */
export interface SliceImageOptions extends ImageRequestOptions {
  /** @default 'png' */
  format?: ImageFormat;
  /** JPEG quality 1–100. @default DVID's 80 */
  quality?: number;
  /** Ask `/isotropic`: DVID rescales the slice so pixels are square, using the instance's VoxelSize. */
  isotropic?: boolean;
}

/** Options for {@link readSlice} and `v.slice`. */
export interface SliceOptions extends ImageRequestOptions {
  /**
   * `png` (lossless, default), `jpeg` (lossy; uint8, uint16 via its high byte, rgba8) or `raw`
   * (a one-voxel-thick `/raw` box, uncompressed).
   * @default 'png'
   */
  format?: ImageFormat | 'raw';
  /** JPEG quality 1–100. @default DVID's 80 */
  quality?: number;
  /** Ask `/isotropic` (png and jpeg only). */
  isotropic?: boolean;
  /**
   * JPEG inverse DCT; `'auto'` uses the one detected for this server, else `'chen-wang'`.
   * @default 'auto'
   */
  jpegIdct?: JpegIdct | 'auto';
}

/** Options for {@link fetchArbImage} and `v.arbImage`. */
export interface ArbImageOptions extends Omit<ImageRequestOptions, 'query'> {
  /** @default 'png' */
  format?: ImageFormat;
  quality?: number;
  /** Send `throttle=on`. */
  throttle?: boolean;
}

/** Options for {@link readArb} and `v.arb`. */
export interface ArbOptions extends ArbImageOptions {
  jpegIdct?: JpegIdct | 'auto';
}

/** Options for {@link readVoxelBoxBytes}. */
export interface VoxelBoxReadOptions extends ImageRequestOptions {
  /** Send `throttle=on`. */
  throttle?: boolean;
  /**
   * JPEG inverse DCT for JPEG-stored instances read with `transfer: 'blocks'`. `'auto'` compares
   * one stored block with DVID's own decoding of it (one extra request per server, cached).
   * @default 'auto'
   */
  jpegIdct?: JpegIdct | 'auto';
}

/** An image as DVID sent it. */
export interface EncodedImage {
  format: ImageFormat;
  /** The response's Content-Type. */
  contentType: string;
  bytes: Uint8Array;
  /** A Blob for `<img src=URL.createObjectURL(...)>`, no decoding. */
  blob(): Blob;
}

/** Largest width or height of a JPEG. */
const JPEG_MAX_SIDE = 65535;

const idctByTransport = new WeakMap<Transport, JpegIdct>();
const encodingByTransport = new WeakMap<Transport, Map<string, ImageBlockEncoding | 'uncompressed'>>();

function instanceLabel(ctx: ImageInstanceContext): string {
  return `"${ctx.name}"`;
}

function imageType(ctx: ImageInstanceContext): { dtype: DvidImageDType; channels: 1 | 4 } {
  dvidImageBytesPerVoxel(ctx.dtype, ctx.channels);
  return { dtype: ctx.dtype as DvidImageDType, channels: ctx.channels as 1 | 4 };
}

function checkInts(argument: string, values: readonly number[], n: number, positive: boolean): void {
  if (!Array.isArray(values) || values.length !== n || !values.every((v) => Number.isSafeInteger(v) && (!positive || v > 0))) {
    throw new DvidArgumentError(argument, `expected ${n} ${positive ? 'positive ' : ''}integers, got ${JSON.stringify(values)}`);
  }
}

function checkPlane(plane: SlicePlane): void {
  if (!SLICE_PLANES.includes(plane)) {
    throw new DvidArgumentError('plane', `expected one of ${SLICE_PLANES.join(', ')}, got ${JSON.stringify(plane)}`);
  }
}

function formatSegment(format: ImageFormat | undefined, quality: number | undefined): string {
  const f = format ?? 'png';
  if (f !== 'png' && f !== 'jpeg') throw new DvidArgumentError('format', `expected 'png' or 'jpeg', got ${JSON.stringify(format)}`);
  if (quality !== undefined) {
    if (f !== 'jpeg') throw new DvidArgumentError('quality', 'quality applies to JPEG only');
    if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
      throw new DvidArgumentError('quality', `expected an integer from 1 to 100, got ${quality}`);
    }
    return `jpg:${quality}`;
  }
  return f === 'png' ? 'png' : 'jpg';
}

async function fetchImage(
  ctx: ImageInstanceContext,
  path: string,
  format: ImageFormat,
  attempted: string,
  query: QueryValues,
  options: ImageRequestOptions,
): Promise<EncodedImage> {
  const response = await ctx.transport.request({
    path,
    query: { ...ctx.query, ...options.query, ...query },
    attempted,
    idempotent: true,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? '';
  const sniffed = sniffImageFormat(bytes);
  if (sniffed !== format) {
    const text = new TextDecoder().decode(bytes.subarray(0, 200));
    throw new DecodeError('dvid-image', `expected a ${format.toUpperCase()} for ${attempted}, got ${contentType || 'no content type'}: ${JSON.stringify(text)}`, {
      offset: 0,
    });
  }
  return { format, contentType, bytes, blob: () => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType || `image/${format}` }) };
}

/** The path segments of an orthogonal slice request, checked. */
function slicePath(ctx: ImageInstanceContext, plane: SlicePlane, offset: readonly number[], size: readonly number[], isotropic: boolean): string {
  checkPlane(plane);
  checkInts('offset', offset, 3, false);
  checkInts('size', size, 2, true);
  return `${nodePath(ctx.uuid, ctx.name)}/${isotropic ? 'isotropic' : 'raw'}/${plane}/${size.join('_')}/${offset.join('_')}`;
}

/**
 * `GET /raw/{plane}/{w}_{h}/{x}_{y}_{z}/{png|jpg[:q]}` (or `/isotropic/…`): the image bytes as
 * DVID sends them.
 *
 * @throws {@link DvidArgumentError} before the request for a bad plane, offset, size, format or
 *   quality; {@link DecodeError} when the body is not the image asked for.
 * @example
 * ```ts
 * const img = await fetchSliceImage(ctx, 'xy', [0, 0, 100], [512, 512], { format: 'jpeg', quality: 90 });
 * ```
 */
export async function fetchSliceImage(
  ctx: ImageInstanceContext,
  plane: SlicePlane,
  offset: readonly number[],
  size: readonly number[],
  options: SliceImageOptions = {},
): Promise<EncodedImage> {
  const format = options.format ?? 'png';
  const path = `${slicePath(ctx, plane, offset, size, options.isotropic === true)}/${formatSegment(format, options.quality)}`;
  return fetchImage(ctx, path, format, `read the ${plane} slice ${size.join('×')} at [${offset.join(',')}] of ${instanceLabel(ctx)}`, {}, options);
}

function sliceAxes(plane: SlicePlane): string {
  return `c${plane}`;
}

function resolveIdct(ctx: ImageInstanceContext, choice: JpegIdct | 'auto' | undefined): JpegIdct {
  if (choice === undefined || choice === 'auto') return idctByTransport.get(ctx.transport) ?? 'chen-wang';
  if (!JPEG_IDCTS.includes(choice)) throw new DvidArgumentError('jpegIdct', `expected 'auto' or one of ${JPEG_IDCTS.join(', ')}, got ${JSON.stringify(choice)}`);
  return choice;
}

/**
 * Decodes an image DVID made from this instance's voxels into a Volume `[c, width, height]`
 * with the instance's dtype (exact for PNG; JPEG as described in `codecs/image.ts`).
 *
 * @throws {@link DecodeError} when the image does not have the expected size or packing.
 * @example
 * ```ts
 * const vol = decodeInstanceImage(ctx, img, [512, 512], 'cxy');
 * ```
 */
export function decodeInstanceImage<D extends DType = DType>(
  ctx: ImageInstanceContext,
  image: EncodedImage,
  size: readonly number[] | undefined,
  axes: string,
  idct: JpegIdct = 'chen-wang',
): Volume<D> {
  const { dtype, channels } = imageType(ctx);
  const decoded: DecodedImage = decodeImage(image.bytes, { idct });
  if (size && (decoded.width !== size[0] || decoded.height !== size[1])) {
    throw new DecodeError('dvid-image', `DVID sent a ${decoded.width} × ${decoded.height} image; asked for ${size[0]} × ${size[1]}`);
  }
  const values = unpackDvidImage(decoded, dtype, channels, { lossy: image.format === 'jpeg' });
  return Volume.from(values as TypedArrayFor<D>, [channels, decoded.width, decoded.height], { axes, order: 'F' });
}

/**
 * An orthogonal slice decoded into a Volume `[c, w, h]` (axes `cxy`, `cxz` or `cyz`) with the
 * instance's dtype. PNG (default) and raw give exactly the values of `/raw`; JPEG is lossy and
 * refused for uint32, uint64 and float32, whose bytes DVID's JPEGs do not carry.
 *
 * @throws {@link DvidArgumentError} before the request for bad arguments or an impossible
 *   format; {@link DecodeError} for unexpected bytes.
 * @example
 * ```ts
 * const xz = await readSlice(ctx, 'xz', [0, 64, 0], [128, 32]); // Volume [1, 128, 32], 'cxz'
 * ```
 */
export async function readSlice<D extends DType = DType>(
  ctx: ImageInstanceContext,
  plane: SlicePlane,
  offset: readonly number[],
  size: readonly number[],
  options: SliceOptions = {},
): Promise<Volume<D>> {
  const { dtype, channels } = imageType(ctx);
  const format = options.format ?? 'png';
  if (format === 'raw') {
    if (options.isotropic) throw new DvidArgumentError('isotropic', "isotropic slices come as images only (format 'png' or 'jpeg')");
    if (options.quality !== undefined) throw new DvidArgumentError('quality', 'quality applies to JPEG only');
    checkPlane(plane);
    checkInts('offset', offset, 3, false);
    checkInts('size', size, 2, true);
    const box = plane === 'xy' ? [size[0], size[1], 1] : plane === 'xz' ? [size[0], 1, size[1]] : [1, size[0], size[1]];
    const bytes = await readRawBox(ctx, offset, box, {}, options, `read the ${plane} slice ${size.join('×')} at [${offset.join(',')}] of ${instanceLabel(ctx)}`);
    const values = viewAs(dtype, bytes);
    return Volume.from(values as TypedArrayFor<D>, [channels, size[0], size[1]], { axes: sliceAxes(plane), order: 'F' });
  }
  if (format === 'jpeg' && !jpegCarriesValues(dtype, channels)) {
    throw new DvidArgumentError('format', `DVID's JPEG images cannot carry ${dtype} values; use 'png' or 'raw'`);
  }
  const idct = resolveIdct(ctx, options.jpegIdct);
  const image = await fetchSliceImage(ctx, plane, offset, size, { ...options, format });
  return decodeInstanceImage<D>(ctx, image, size, sliceAxes(plane), idct);
}

function formatPoint(argument: string, p: readonly number[]): string {
  if (!Array.isArray(p) || p.length !== 3 || !p.every((v) => Number.isFinite(v))) {
    throw new DvidArgumentError(argument, `expected three finite numbers, got ${JSON.stringify(p)}`);
  }
  return p.map((v) => String(v)).join('_');
}

/**
 * `GET /arb/{tl}/{tr}/{bl}/{res}/{format}`: an arbitrarily oriented plane through physical
 * points (the instance's VoxelSize units), sampled every `res` units with trilinear
 * interpolation; width `⌊|tr−tl|/res⌋+1`, height `⌊|bl−tl|/res⌋+1`. Only uint8blk is served
 * correctly: DVID v1.0.0 answers all zeros for uint16/32/64 and float32, and for rgba8blk reads
 * each voxel at byte offset = voxel index instead of 4 × voxel index (`arb_image.go`
 * `computeValue`), so those types are refused.
 *
 * @throws {@link DvidArgumentError} before the request for bad points or an unsupported type.
 * @example
 * ```ts
 * const img = await fetchArbImage(ctx, [0, 0, 80], [800, 0, 80], [0, 800, 80], 8);
 * ```
 */
export async function fetchArbImage(
  ctx: ImageInstanceContext,
  topLeft: readonly number[],
  topRight: readonly number[],
  bottomLeft: readonly number[],
  res: number,
  options: ArbImageOptions = {},
): Promise<EncodedImage> {
  if (!(ctx.dtype === 'uint8' && ctx.channels === 1)) {
    throw new DvidArgumentError(
      'dtype',
      ctx.channels === 4
        ? 'DVID v1.0.0 misaddresses rgba8 voxels in /arb (it reads 4 bytes at the voxel index, not at 4 × the index)'
        : `DVID v1.0.0 computes /arb images for uint8blk only (a ${ctx.dtype} instance answers all zeros)`,
    );
  }
  if (!(Number.isFinite(res) && res > 0)) throw new DvidArgumentError('res', `expected a positive number, got ${res}`);
  const format = options.format ?? 'png';
  const path = `${nodePath(ctx.uuid, ctx.name)}/arb/${formatPoint('topLeft', topLeft)}/${formatPoint('topRight', topRight)}/${formatPoint('bottomLeft', bottomLeft)}/${res}/${formatSegment(format, options.quality)}`;
  return fetchImage(ctx, path, format, `read an arbitrary plane of ${instanceLabel(ctx)}`, options.throttle ? { throttle: 'on' } : {}, options);
}

/**
 * An arbitrary plane decoded into a Volume `[c, width, height]` with axes `cuv` (u along
 * top-left → top-right, v along top-left → bottom-left).
 *
 * @example
 * ```ts
 * const plane = await readArb(ctx, [0, 0, 80], [800, 0, 80], [0, 800, 80], 8); // [1, 101, 101]
 * ```
 */
export async function readArb<D extends DType = DType>(
  ctx: ImageInstanceContext,
  topLeft: readonly number[],
  topRight: readonly number[],
  bottomLeft: readonly number[],
  res: number,
  options: ArbOptions = {},
): Promise<Volume<D>> {
  const idct = resolveIdct(ctx, options.jpegIdct);
  const image = await fetchArbImage(ctx, topLeft, topRight, bottomLeft, res, options);
  return decodeInstanceImage<D>(ctx, image, undefined, 'cuv', idct);
}

function viewAs(dtype: DType, bytes: Uint8Array): ArrayBufferView {
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  switch (dtype) {
    case 'uint8':
      return aligned;
    case 'uint16':
      return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
    case 'uint32':
      return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    case 'float32':
      return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    case 'uint64':
      return new BigUint64Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 8);
    default:
      throw new DvidArgumentError('dtype', `no voxel instance has dtype ${dtype}`);
  }
}

async function readRawBox(
  ctx: ImageInstanceContext,
  offset: readonly number[],
  size: readonly number[],
  query: QueryValues,
  options: ImageRequestOptions,
  attempted: string,
): Promise<Uint8Array> {
  const bpv = dvidImageBytesPerVoxel(ctx.dtype, ctx.channels);
  const response = await ctx.transport.request({
    path: `${nodePath(ctx.uuid, ctx.name)}/raw/0_1_2/${size.join('_')}/${offset.join('_')}`,
    query: { ...ctx.query, ...options.query, ...query },
    attempted,
    idempotent: true,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const expected = size[0] * size[1] * size[2] * bpv;
  if (bytes.length !== expected) {
    throw new DecodeError('raw voxels', `DVID returned ${bytes.length} bytes for ${attempted}; expected ${expected}`);
  }
  return bytes;
}

/**
 * Reads the voxels of the box `[start, stop)` (x, y, z) through a transfer path and returns their
 * bytes (x fastest, channels interleaved, as `/raw` sends them):
 *
 * - `raw`: `GET /raw/0_1_2/…`, uncompressed;
 * - `blocks`: `GET /subvolblocks/…` over the block-aligned cover of the box, payloads as stored
 *   (LZ4 by default, JPEG for JPEG-stored uint8blk, gzip, none), decoded and cropped while the
 *   bytes arrive; exact, since `/raw` decodes the same stored blocks. Not for `roi` queries.
 * - `jpeg`: `GET /raw/0_1_2/…/jpg`, the box as one JPEG of width nx and height ny·nz at DVID's
 *   quality 80 — lossy, uint8 only.
 *
 * @throws {@link DvidArgumentError} before any request for an unknown transfer, `roi` with
 *   `blocks`, or `jpeg` on a non-uint8 instance; {@link DecodeError} for bad bytes.
 * @example
 * ```ts
 * const bytes = await readVoxelBoxBytes(ctx, [0, 0, 0], [256, 256, 256], 'blocks');
 * ```
 */
export async function readVoxelBoxBytes(
  ctx: ImageInstanceContext,
  start: readonly number[],
  stop: readonly number[],
  transfer: VoxelsTransfer,
  options: VoxelBoxReadOptions = {},
): Promise<Uint8Array> {
  if (!VOXELS_TRANSFERS.includes(transfer)) {
    throw new DvidArgumentError('transfer', `expected one of ${VOXELS_TRANSFERS.join(', ')}, got ${JSON.stringify(transfer)}`);
  }
  checkInts('start', start, 3, false);
  checkInts('stop', stop, 3, false);
  const size = stop.map((s, a) => s - start[a]);
  if (!size.every((n) => n > 0)) throw new DvidArgumentError('stop', `empty box [${start.join(',')}]–[${stop.join(',')}]`);
  const bpv = dvidImageBytesPerVoxel(ctx.dtype, ctx.channels);
  const what = `${instanceLabel(ctx)} box [${start.join(',')}]–[${stop.join(',')}]`;
  const throttle: QueryValues = options.throttle ? { throttle: 'on' } : {};
  if (transfer === 'raw') return readRawBox(ctx, start, size, throttle, options, `read voxels of ${what}`);
  if (transfer === 'jpeg') {
    if (!(ctx.dtype === 'uint8' && ctx.channels === 1)) {
      throw new DvidArgumentError('transfer', `transfer 'jpeg' reads uint8 instances only (${ctx.name} is ${ctx.channels === 4 ? 'rgba8' : ctx.dtype})`);
    }
    // A JPEG is at most 65535 pixels on a side (DVID answers 400 "image is too large to
    // encode"), so tall boxes are read as several z ranges.
    if (size[0] > JPEG_MAX_SIDE || size[1] > JPEG_MAX_SIDE) {
      throw new DvidArgumentError('stop', `transfer 'jpeg' needs x and y extents of at most ${JPEG_MAX_SIDE} voxels`);
    }
    const idct = resolveIdct(ctx, options.jpegIdct);
    const out = new Uint8Array(size[0] * size[1] * size[2]);
    const zStep = Math.floor(JPEG_MAX_SIDE / size[1]);
    for (let z0 = 0; z0 < size[2]; z0 += zStep) {
      const nz = Math.min(zStep, size[2] - z0);
      const part = [size[0], size[1], nz];
      const image = await fetchImage(
        ctx,
        `${nodePath(ctx.uuid, ctx.name)}/raw/0_1_2/${part.join('_')}/${[start[0], start[1], start[2] + z0].join('_')}/jpg`,
        'jpeg',
        `read voxels of ${what} as JPEG${nz < size[2] ? ` (z ${start[2] + z0}–${start[2] + z0 + nz})` : ''}`,
        throttle,
        options,
      );
      const decoded = decodeJpeg(image.bytes, { idct });
      if (decoded.width !== size[0] || decoded.height !== size[1] * nz) {
        throw new DecodeError('dvid-image', `DVID sent a ${decoded.width} × ${decoded.height} JPEG for ${what}; expected ${size[0]} × ${size[1] * nz}`);
      }
      out.set(unpackDvidImage(decoded, 'uint8', 1, { lossy: true }) as Uint8Array, z0 * size[0] * size[1]);
    }
    return out;
  }
  if (options.query && 'roi' in options.query) {
    throw new DvidArgumentError('transfer', "DVID applies 'roi' to /raw only; read with transfer 'raw'");
  }
  const bs = ctx.blockSize;
  checkInts('blockSize', bs, 3, true);
  const alignedStart = start.map((s, a) => Math.floor(s / bs[a]) * bs[a]);
  const alignedStop = stop.map((s, a) => Math.ceil(s / bs[a]) * bs[a]);
  const alignedSize = alignedStop.map((s, a) => s - alignedStart[a]);
  const stored = await storedEncoding(ctx, options);
  const encoding: ImageBlockEncoding = stored === 'uncompressed' ? 'raw' : stored;
  const response = await ctx.transport.request({
    path: `${nodePath(ctx.uuid, ctx.name)}/subvolblocks/${alignedSize.join('_')}/${alignedStart.join('_')}`,
    query: { ...ctx.query, ...options.query, ...throttle, ...(stored === 'uncompressed' ? { compression: 'uncompressed' } : {}) },
    attempted: `read voxels of ${what} as blocks`,
    idempotent: true,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  const data = new Uint8Array(size[0] * size[1] * size[2] * bpv);
  const choice = options.jpegIdct ?? 'auto';
  const idct =
    choice === 'auto'
      ? idctByTransport.get(ctx.transport) ?? ((coord: readonly number[], payload: Uint8Array) => detectJpegIdct(ctx, coord, payload, options))
      : resolveIdct(ctx, choice);
  await readImageBlocksInto(response.body ?? new Uint8Array(0), { data, start: start as [number, number, number], size: size as [number, number, number], bytesPerVoxel: bpv }, {
    encoding,
    blockSize: bs as [number, number, number],
    idct,
    signal: options.signal,
  });
  return data;
}

async function storedEncoding(ctx: ImageInstanceContext, options: ImageRequestOptions): Promise<ImageBlockEncoding | 'uncompressed'> {
  let byInstance = encodingByTransport.get(ctx.transport);
  if (!byInstance) encodingByTransport.set(ctx.transport, (byInstance = new Map()));
  const key = `${ctx.uuid}/${ctx.name}`;
  const known = byInstance.get(key);
  if (known) return known;
  const info = await ctx.transport.requestJson<{ Base?: { Compression?: unknown } }>({
    path: `${nodePath(ctx.uuid, ctx.name)}/info`,
    attempted: `read the storage compression of ${instanceLabel(ctx)}`,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  const text = typeof info.Base?.Compression === 'string' ? info.Base.Compression : '';
  const encoding = imageBlockEncodingOf(text) ?? 'uncompressed';
  byInstance.set(key, encoding);
  return encoding;
}

/**
 * Finds which Go IDCT the server's DVID was built with (see `codecs/jpeg.ts`): fetches the
 * block at `coord` with `compression=uncompressed` — DVID's own decoding of its stored JPEG — and
 * compares it with both decodings of `payload`, that block's stored JPEG. A decisive answer is
 * cached per client. Returns `undefined` when the block decodes the same with both (flat
 * content: ask again with another block); when neither matches (a server decoding some other
 * way) the closer one is returned and cached.
 *
 * @example
 * ```ts
 * const idct = await detectJpegIdct(ctx, [0, 0, 0], jpegPayloadOfThatBlock);
 * ```
 */
export async function detectJpegIdct(
  ctx: ImageInstanceContext,
  coord: readonly number[],
  payload: Uint8Array,
  options: ImageRequestOptions = {},
): Promise<JpegIdct | undefined> {
  const cached = idctByTransport.get(ctx.transport);
  if (cached) return cached;
  const response = await ctx.transport.request({
    path: `${nodePath(ctx.uuid, ctx.name)}/specificblocks`,
    query: { ...ctx.query, blocks: coord.join(','), compression: 'uncompressed' },
    attempted: `read block ${coord.join(',')} of ${instanceLabel(ctx)} uncompressed (to match DVID's JPEG decoder)`,
    idempotent: true,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  let reference: Uint8Array | undefined;
  for await (const record of readBlockStream(response.body ?? new Uint8Array(0), { signal: options.signal })) {
    if (record.coord.every((c, a) => c === coord[a])) reference = record.data.slice();
  }
  if (!reference) throw new DecodeError('dvid-imageblock', `DVID did not return block ${coord.join(',')} uncompressed`);
  const geometry = { blockSize: ctx.blockSize as [number, number, number], bytesPerVoxel: 1 };
  const mismatches = JPEG_IDCTS.map((idct) => {
    const decoded = decodeImageBlockPayload(payload, 'jpeg', { ...geometry, idct, block: coord.join(',') });
    let n = 0;
    for (let i = 0; i < decoded.length; i++) if (decoded[i] !== reference[i]) n++;
    return n;
  });
  const exact = JPEG_IDCTS.filter((_, i) => mismatches[i] === 0);
  if (exact.length === JPEG_IDCTS.length) return undefined;
  const best = exact[0] ?? JPEG_IDCTS[mismatches.indexOf(Math.min(...mismatches))];
  idctByTransport.set(ctx.transport, best);
  return best;
}

/**
 * The JPEG IDCT detected for a client's server, if a JPEG-stored block has been read yet.
 *
 * @example
 * ```ts
 * detectedJpegIdct(client.transport) // 'loeffler' after reading a Go 1.26 DVID's JPEG blocks
 * ```
 */
export function detectedJpegIdct(transport: Transport): JpegIdct | undefined {
  return idctByTransport.get(transport);
}
