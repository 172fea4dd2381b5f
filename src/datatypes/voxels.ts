/**
 * Voxel instances (uint8blk, uint16blk, uint32blk, uint64blk, float32blk, rgba8blk): pydvid's
 * VoxelsAccessor. Reads and writes boxes through DVID's `/raw` endpoint in DVID's own signed
 * coordinates, with the channel axis first and Fortran order, so DVID's byte stream becomes
 * the result Volume with no copy.
 *
 * @example
 * ```ts
 * const v = await client.voxels(uuid, 'grayscale');
 * const cutout = await v.get(':,10:110,20:120,30:130'); // Volume, shape [1, 100, 100, 100]
 * await v.set(':,0:64,0:64,0:64', Volume.ones([1, 64, 64, 64], 'uint8'));
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError, SelectionError } from '../errors.js';
import { VoxelsMetadata, type VoxelsMetadataJSON } from '../metadata/voxels-metadata.js';
import { SCHEMAS } from '../metadata/schemas.js';
import { assertWritableSelection, resolveDvidSelection, toSelection } from '../selection/index.js';
import type { QueryValues, Transport } from '../transport/transport.js';
import type { RetryOptions } from '../transport/retry.js';
import { bytesPerElement, dtypeOf, toScalar, viewBytes, type DType, type Scalar, type TypedArrayFor } from '../volume/dtype.js';
import { Volume, type SelectionInput } from '../volume/index.js';
import { nodePath } from './paths.js';
import {
  DEFAULT_VOXELS_TRANSFER,
  fetchArbImage,
  fetchSliceImage,
  readArb,
  readSlice,
  readVoxelBoxBytes,
  type ArbImageOptions,
  type ArbOptions,
  type EncodedImage,
  type ImageInstanceContext,
  type SliceImageOptions,
  type SliceOptions,
  type SlicePlane,
  type VoxelsTransfer,
} from './voxels-images.js';
import type { JpegIdct } from '../codecs/jpeg.js';

/** Options for voxel reads. */
export interface VoxelsReadOptions {
  /** Send DVID's `throttle=on`: DVID answers 503 instead of queueing when busy (retried). */
  throttle?: boolean;
  /** Extra query arguments passed through (e.g. `{roi: 'myroi'}`). */
  query?: QueryValues;
  signal?: AbortSignal;
  timeout?: number | false;
  retry?: number | RetryOptions;
  /**
   * How the voxels travel: `'raw'` (uncompressed `/raw`), `'blocks'` (the `/subvolblocks`
   * stream as stored — LZ4, JPEG, gzip — decoded while it arrives; exact) or `'jpeg'` (the box
   * as one JPEG; lossy, uint8 only). See docs/images.md.
   * @default 'raw' (the fastest on a local DVID; see docs/images.md)
   */
  transfer?: VoxelsTransfer;
  /** JPEG inverse DCT for JPEG payloads (`'auto'` detects DVID's). @default 'auto' */
  jpegIdct?: JpegIdct | 'auto';
}

/** Options for voxel writes. */
export interface VoxelsWriteOptions extends VoxelsReadOptions {
  /**
   * How to handle boxes that are not block-aligned (DVID accepts only aligned POSTs):
   * `'read-modify-write'` reads the enclosing aligned box, pastes the data and writes it back
   * (not atomic against other writers); `'error'` refuses.
   * @default 'read-modify-write'
   */
  unaligned?: 'read-modify-write' | 'error';
}

/** Options for {@link VoxelsAccessor.refresh} and opening an accessor. */
export interface VoxelsOpenOptions {
  signal?: AbortSignal;
}

/** Data accepted by writes: a Volume, a TypedArray laid out in Fortran order, or a scalar. */
export type VoxelsData<D extends DType> = Volume<D> | TypedArrayFor<D> | Scalar<D> | number;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Remote access to one voxel instance at one version. Make it with `client.voxels(uuid, name)`.
 *
 * @example
 * ```ts
 * const v = await client.voxels(uuid, 'my_volume');
 * console.log(v.axes, v.dtype, v.minIndex, v.shape);
 * const all = await v.read(v.minIndex, v.shape);
 * ```
 */
export class VoxelsAccessor<D extends DType = DType> {
  readonly uuid: string;
  readonly name: string;
  private md: VoxelsMetadata;
  private blocks: number[];
  private readonly transport: Transport;

  private constructor(transport: Transport, uuid: string, name: string, md: VoxelsMetadata, blockSize: number[]) {
    this.transport = transport;
    this.uuid = uuid;
    this.name = name;
    this.md = md;
    this.blocks = blockSize;
  }

  /**
   * Opens an accessor: fetches `/metadata` (and `/info` when the metadata lacks the block size).
   * Prefer `client.voxels(uuid, name)`.
   */
  static async open<D extends DType = DType>(
    transport: Transport,
    uuid: string,
    name: string,
    options: VoxelsOpenOptions = {},
  ): Promise<VoxelsAccessor<D>> {
    const { md, blockSize } = await fetchMetadata(transport, uuid, name, options.signal);
    return new VoxelsAccessor<D>(transport, uuid, name, md, blockSize);
  }

  /** Axis keys, channel first (e.g. `'cxyz'`). */
  get axes(): string {
    return this.md.axes;
  }
  /** Element type. */
  get dtype(): D {
    return this.md.dtype as D;
  }
  /** First stored coordinate per axis, `[0, x, y, z]`. */
  get minIndex(): number[] {
    return this.md.minIndex;
  }
  /** Stop coordinate per axis (pydvid's shape), `[channels, x, y, z]`. */
  get shape(): number[] {
    return this.md.shape;
  }
  /** DVID's block size per spatial axis. */
  get blockSize(): number[] {
    return [...this.blocks];
  }
  /** The instance's metadata as last fetched. */
  get metadata(): VoxelsMetadata {
    return this.md;
  }

  /** Re-reads `/metadata` (extents change as data is written). */
  async refresh(options: VoxelsOpenOptions = {}): Promise<VoxelsMetadata> {
    const { md, blockSize } = await fetchMetadata(this.transport, this.uuid, this.name, options.signal);
    this.md = md;
    this.blocks = blockSize;
    return md;
  }

  /**
   * Reads the box `[start, stop)` (channel axis included and complete), like pydvid's
   * `get_ndarray`. Coordinates are DVID's, signed. Returns a Fortran-order Volume over the
   * response bytes.
   *
   * @example
   * ```ts
   * const box = await v.read([0, 10, 20, 30], [4, 110, 120, 130]); // shape [4, 100, 100, 100]
   * ```
   */
  async read(start: readonly number[], stop: readonly number[], options: VoxelsReadOptions = {}): Promise<Volume<D>> {
    this.checkBox(start, stop, 'read');
    const shape = stop.map((s, i) => s - start[i]);
    const transfer = options.transfer ?? DEFAULT_VOXELS_TRANSFER;
    if (transfer !== 'raw') {
      const bytes = await readVoxelBoxBytes(this.imageContext(), start.slice(1), stop.slice(1), transfer, options);
      return Volume.from(viewBytes(this.dtype, bytes.buffer as ArrayBuffer) as TypedArrayFor<D>, shape, { axes: this.axes, order: 'F' });
    }
    const expected = shape.reduce((a, b) => a * b, 1) * bytesPerElement(this.dtype);
    const response = await this.transport.request({
      path: this.rawPath(start, stop),
      query: this.query(options),
      attempted: `read voxels [${start.join(',')}]–[${stop.join(',')}] from "${this.name}"`,
      idempotent: true,
      signal: options.signal,
      timeout: options.timeout,
      retry: options.retry,
    });
    const buffer = await response.arrayBuffer();
    if (buffer.byteLength !== expected) {
      throw new DecodeError(
        'raw voxels',
        `DVID returned ${buffer.byteLength} bytes for "${this.name}" box [${start.join(',')}]–[${stop.join(',')}]; expected ${expected}`,
      );
    }
    return Volume.from(viewBytes(this.dtype, buffer) as TypedArrayFor<D>, shape, { axes: this.axes, order: 'F' });
  }

  /**
   * Writes `data` to the box `[start, stop)`, like pydvid's `post_ndarray`. Every channel must be
   * included, `data` must have exactly the box's shape and the instance's dtype. Unaligned boxes
   * go through a read-modify-write of the enclosing block-aligned box (not atomic).
   *
   * @example
   * ```ts
   * await v.write([0, 10, 20, 30], [4, 110, 120, 130], Volume.ones([4, 100, 100, 100], 'uint8'));
   * ```
   */
  async write(
    start: readonly number[],
    stop: readonly number[],
    data: VoxelsData<D>,
    options: VoxelsWriteOptions = {},
  ): Promise<void> {
    this.checkBox(start, stop, 'write');
    const shape = stop.map((s, i) => s - start[i]);
    const volume = this.toVolume(data, shape);
    const bs = this.blocks;
    const alignedStart = start.map((s, i) => (i === 0 ? 0 : Math.floor(s / bs[i - 1]) * bs[i - 1]));
    const alignedStop = stop.map((s, i) => (i === 0 ? s : Math.ceil(s / bs[i - 1]) * bs[i - 1]));
    const aligned = alignedStart.every((s, i) => s === start[i]) && alignedStop.every((s, i) => s === stop[i]);
    if (aligned) {
      await this.post(start, stop, volume, options);
    } else if (options.unaligned === 'error') {
      throw new DvidArgumentError(
        'start/stop',
        `box [${start.join(',')}]–[${stop.join(',')}] is not aligned to "${this.name}"'s ${bs.join('×')} blocks ` +
          `(nearest aligned box: [${alignedStart.join(',')}]–[${alignedStop.join(',')}])`,
      );
    } else {
      const box = await this.read(alignedStart, alignedStop, options);
      box.set(
        start.map((s, i) => ({ start: s - alignedStart[i], stop: stop[i] - alignedStart[i], step: 1 })),
        volume,
      );
      await this.post(alignedStart, alignedStop, box, options);
    }
    const md = this.md;
    if (md.shape.some((s, i) => i > 0 && stop[i] > s) || md.minIndex.some((m, i) => i > 0 && start[i] < m) || md.shape.slice(1).every((s, i) => s === md.minIndex[i + 1])) {
      await this.refresh({ signal: options.signal });
    }
  }

  /**
   * Reads a selection in DVID coordinates: `':,10:110,20:120,30:130'`, `'...,5'`, objects.
   * An omitted start means `minIndex`, an omitted stop means `shape`; negative numbers are
   * signed DVID coordinates (not counted from the end); an integer drops its axis; a positive
   * step fetches the bounding box and returns a strided view.
   *
   * @example
   * ```ts
   * const slab = await v.get(':,0:512,0:512,100'); // shape [1, 512, 512]
   * ```
   */
  async get(selection: SelectionInput, options: VoxelsReadOptions = {}): Promise<Volume<D>> {
    const r = resolveDvidSelection(toSelection(selection), { minIndex: this.minIndex, stop: this.shape });
    const start = [0, ...r.start.slice(1)];
    const stop = [this.md.channels, ...r.stop.slice(1)];
    const box = await this.read(start, stop, options);
    return box.get(
      r.start.map((s, i) =>
        r.drop[i] ? s - start[i] : { start: s - start[i], stop: r.stop[i] - start[i], step: r.step[i] },
      ),
    );
  }

  /**
   * Writes a selection in DVID coordinates (the rules of {@link VoxelsAccessor.get}; no steps,
   * all channels). `data` must have exactly the selection's shape and this dtype, or be a scalar.
   *
   * @example
   * ```ts
   * await v.set(':,10:110,20:120,30:130', Volume.ones([4, 100, 100, 100], 'uint8'));
   * ```
   */
  async set(selection: SelectionInput, data: VoxelsData<D>, options: VoxelsWriteOptions = {}): Promise<void> {
    const r = resolveDvidSelection(toSelection(selection), { minIndex: this.minIndex, stop: this.shape });
    assertWritableSelection(r, this.md.channels);
    const fullShape = r.stop.map((s, i) => s - r.start[i]);
    let value: VoxelsData<D> = data;
    if (data instanceof Volume && r.drop.some(Boolean)) {
      const kept = fullShape.filter((_, i) => !r.drop[i]);
      if (data.shape.length !== kept.length || data.shape.some((n, i) => n !== kept[i])) {
        throw shapeMismatch(data.shape, kept);
      }
      // Reinsert the dropped (length-1) axes as stride-0 axes of a view over the same data.
      let k = 0;
      const strides = fullShape.map((_, i) => (r.drop[i] ? 0 : data.strides[k++]));
      value = Volume.from(data.data, fullShape, { strides, offset: data.offset, axes: this.axes }) as Volume<D>;
    }
    await this.write(r.start, r.stop, value, options);
  }

  private async post(start: readonly number[], stop: readonly number[], volume: Volume<D>, options: VoxelsWriteOptions): Promise<void> {
    if (!LITTLE_ENDIAN) throw new DvidArgumentError('platform', 'big-endian platforms are not supported');
    const array = volume.toTypedArray('F');
    const body = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    await this.transport.request({
      method: 'POST',
      path: this.rawPath(start, stop),
      query: this.query(options),
      body,
      headers: { 'Content-Type': 'application/octet-stream' },
      attempted: `write voxels [${start.join(',')}]–[${stop.join(',')}] to "${this.name}"`,
      idempotent: true,
      signal: options.signal,
      timeout: options.timeout,
      retry: options.retry,
    });
  }

  private toVolume(data: VoxelsData<D>, shape: number[]): Volume<D> {
    if (data instanceof Volume) {
      if (data.dtype !== this.dtype) {
        throw new DvidArgumentError('data', `dtype ${data.dtype} does not match "${this.name}"'s dtype ${this.dtype}`);
      }
      if (data.shape.length !== shape.length || data.shape.some((n, i) => n !== shape[i])) {
        throw shapeMismatch(data.shape, shape);
      }
      return data;
    }
    if (typeof data === 'number' || typeof data === 'bigint') {
      return Volume.full(shape, this.dtype, toScalar(this.dtype, data, 'data'), { axes: this.axes });
    }
    if (ArrayBuffer.isView(data)) {
      const dtype = dtypeOf(data);
      if (dtype !== this.dtype) {
        throw new DvidArgumentError('data', `a ${data.constructor.name} does not match "${this.name}"'s dtype ${this.dtype}`);
      }
      const size = shape.reduce((a, b) => a * b, 1);
      if (data.length !== size) {
        throw new DvidArgumentError('data', `expected ${size} elements for shape [${shape.join(', ')}], got ${data.length}`);
      }
      return Volume.from(data as TypedArrayFor<D>, shape, { axes: this.axes, order: 'F' });
    }
    throw new DvidArgumentError('data', 'expected a Volume, a TypedArray or a scalar');
  }

  private checkBox(start: readonly number[], stop: readonly number[], verb: string): void {
    const ndim = this.axes.length;
    const text = `[${start.join(',')}]–[${stop.join(',')}]`;
    if (start.length !== ndim || stop.length !== ndim) {
      throw new SelectionError(`start and stop must have ${ndim} entries (axes "${this.axes}"), got ${text}`, { selection: text });
    }
    for (let i = 0; i < ndim; i++) {
      if (!Number.isInteger(start[i]) || !Number.isInteger(stop[i])) {
        throw new SelectionError(`start and stop must be integers, got ${text}`, { selection: text, item: i });
      }
      if (start[i] >= stop[i]) {
        throw new SelectionError(`empty or inverted range on axis "${this.axes[i]}": ${start[i]}:${stop[i]}`, { selection: text, item: i });
      }
    }
    if (start[0] !== 0 || stop[0] !== this.md.channels) {
      throw new SelectionError(
        `a ${verb} must include every channel: expected channel range 0:${this.md.channels}, got ${start[0]}:${stop[0]}`,
        { selection: text, item: 0 },
      );
    }
  }

  private rawPath(start: readonly number[], stop: readonly number[]): string {
    const spatial = start.length - 1;
    const dims = Array.from({ length: spatial }, (_, i) => i).join('_');
    const size = stop.slice(1).map((s, i) => s - start[i + 1]).join('_');
    const offset = start.slice(1).join('_');
    return `${nodePath(this.uuid, this.name)}/raw/${dims}/${size}/${offset}`;
  }

  private query(options: VoxelsReadOptions): QueryValues {
    return { ...options.query, ...(options.throttle ? { throttle: 'on' } : {}) };
  }

  /**
   * An orthogonal slice (`'xy'`, `'xz'`, `'yz'`) of `size` = [width, height] voxels whose first
   * voxel is `offset` = [x, y, z], decoded into a Volume `[c, width, height]` (axes `cxy`,
   * `cxz`, `cyz`) with this instance's dtype: exactly the `/raw` values for `format: 'png'`
   * (default) and `'raw'`; `'jpeg'` is lossy (uint8, uint16, rgba8 only).
   *
   * @example
   * ```ts
   * const xy = await v.slice('xy', [0, 0, 100], [512, 512]);                  // PNG, exact
   * const yz = await v.slice('yz', [300, 0, 0], [256, 128], { format: 'jpeg', quality: 95 });
   * ```
   */
  slice(plane: SlicePlane, offset: readonly number[], size: readonly number[], options?: SliceOptions): Promise<Volume<D>> {
    return readSlice<D>(this.imageContext(), plane, offset, size, options);
  }

  /**
   * The same slice as the image DVID encodes (PNG by default, or JPEG with `quality`), with a
   * `blob()` an `<img>` can show without decoding.
   *
   * @example
   * ```ts
   * const img = await v.sliceImage('xy', [0, 0, 100], [512, 512], { format: 'jpeg' });
   * el.src = URL.createObjectURL(img.blob());
   * ```
   */
  sliceImage(plane: SlicePlane, offset: readonly number[], size: readonly number[], options?: SliceImageOptions): Promise<EncodedImage> {
    return fetchSliceImage(this.imageContext(), plane, offset, size, options);
  }

  /**
   * An arbitrarily oriented plane through three physical points (top-left, top-right,
   * bottom-left, in VoxelSize units) sampled every `res` units, decoded into a Volume
   * `[c, width, height]` (axes `cuv`). DVID v1.0.0 computes it correctly for uint8blk only
   * (other types are refused; see voxels-images.ts).
   *
   * @example
   * ```ts
   * const plane = await v.arb([0, 0, 800], [4096, 0, 800], [0, 4096, 1600], 8);
   * ```
   */
  arb(topLeft: readonly number[], topRight: readonly number[], bottomLeft: readonly number[], res: number, options?: ArbOptions): Promise<Volume<D>> {
    return readArb<D>(this.imageContext(), topLeft, topRight, bottomLeft, res, options);
  }

  /**
   * The arbitrary plane as the image DVID encodes.
   *
   * @example
   * ```ts
   * const img = await v.arbImage([0, 0, 800], [4096, 0, 800], [0, 4096, 1600], 8, { format: 'jpeg' });
   * ```
   */
  arbImage(topLeft: readonly number[], topRight: readonly number[], bottomLeft: readonly number[], res: number, options?: ArbImageOptions): Promise<EncodedImage> {
    return fetchArbImage(this.imageContext(), topLeft, topRight, bottomLeft, res, options);
  }

  /** What the image and block-stream functions need (see voxels-images.ts). */
  private imageContext(): ImageInstanceContext {
    return { transport: this.transport, uuid: this.uuid, name: this.name, dtype: this.dtype, channels: this.md.channels, blockSize: this.blocks };
  }
}

function shapeMismatch(got: readonly number[], expected: readonly number[]): DvidArgumentError {
  return new DvidArgumentError('data', `shape [${got.join(', ')}] does not match the selection's shape [${expected.join(', ')}]`);
}

async function fetchMetadata(
  transport: Transport,
  uuid: string,
  name: string,
  signal?: AbortSignal,
): Promise<{ md: VoxelsMetadata; blockSize: number[] }> {
  const json = await transport.requestJson<VoxelsMetadataJSON>({
    path: `${nodePath(uuid, name)}/metadata`,
    attempted: `read the metadata of "${name}"`,
    schema: SCHEMAS.voxelsMetadata,
    signal,
  });
  const md = new VoxelsMetadata(json, { validate: false });
  let blockSize = md.blockSize;
  if (!blockSize) {
    const info = await transport.requestJson<{ Extended?: { BlockSize?: number[] } }>({
      path: `${nodePath(uuid, name)}/info`,
      attempted: `read the block size of "${name}"`,
      schema: SCHEMAS.instanceInfo,
      signal,
    });
    blockSize = info.Extended?.BlockSize;
  }
  if (!blockSize || blockSize.length !== md.axes.length - 1) {
    throw new DecodeError('metadata', `"${name}" reported no usable BlockSize`);
  }
  return { md, blockSize };
}
