/**
 * The imagetile type: multiscale 2D tiles in the XY, XZ and YZ planes, stored pre-encoded
 * (DVID v1.0.0 `datatype/imagetile/imagetile.go`). A client posts a tile spec and tiles, reads
 * tiles back by plane, scale and tile coordinate, and reads arbitrary slices that DVID stitches
 * from the scale-0 tiles (`/raw`, `/isotropic`; these need the instance's `Source`, a voxel
 * instance that gives the image type and voxel size).
 *
 * Facts this module relies on (imagetile.go `ServeHTTP`, `ServeTile`, `GetImage`):
 *
 * - `Format` `png` (default) and `jpg` store and return the posted bytes as they are
 *   (`image/png`, `image/jpeg`); DVID does not check them. `lz4` stores Go-serialized images
 *   and returns PNGs; posting to it needs that serialization, so this module refuses it.
 * - Tile coordinates: for `xy` tiles, [tx, ty, z] where x ∈ [tx·w, (tx+1)·w) and z is a voxel z;
 *   `xz`: [tx, y, tz]; `yz`: [x, ty, tz] (w, h from the level's TileSize for that plane). Scale s
 *   tiles cover 2^s times as many voxels.
 * - A missing tile answers a blank (all-zero gray) image of the tile size, 200, unless
 *   `noblanks=true`, which answers 404. This module asks with `noblanks=true` and reports missing
 *   tiles as `placeholder: true` (fetching DVID's blank image only when asked).
 * - Until a tile spec is posted, tile, raw and isotropic requests answer 400.
 * - The `Placeholder` config only affects `/raw`/`/isotropic`: missing tiles are drawn as a
 *   labelled placeholder image instead of being left zero.
 *
 * @example
 * ```ts
 * const tiles = await client.createImagetile(uuid, 'tiles', { format: 'png', source: 'grayscale' });
 * await tiles.postMetadata({ minTileCoord: [0, 0, 0], maxTileCoord: [3, 3, 63], levels: [{ resolution: [8, 8, 8], tileSize: [512, 512, 512] }] });
 * await tiles.postTile('xy', 0, [0, 0, 10], Volume.zeros([1, 512, 512], 'uint8'));
 * const { placeholder, image } = await tiles.tile('xy', 0, [0, 0, 10]);
 * ```
 * @module
 */
import { decodeImage, dvidImageBytesPerVoxel, sniffImageFormat, type DvidImageDType, type ImageFormat } from '../codecs/image.js';
import type { JpegIdct } from '../codecs/jpeg.js';
import { encodePng } from '../codecs/png.js';
import { DecodeError, DvidArgumentError, isDvidError } from '../errors.js';
import type { QueryValues, Transport } from '../transport/transport.js';
import type { RetryOptions } from '../transport/retry.js';
import { Volume } from '../volume/index.js';
import type { DType, TypedArrayFor } from '../volume/dtype.js';
import { createInstance, type InstanceConfig } from './repo.js';
import { nodePath } from './paths.js';
import { VoxelsAccessor } from './voxels.js';
import {
  SLICE_PLANES,
  fetchSliceImage,
  readSlice,
  type EncodedImage,
  type ImageInstanceContext,
  type SliceImageOptions,
  type SliceOptions,
  type SlicePlane,
} from './voxels-images.js';

/** Options every imagetile call accepts. */
export interface ImagetileCallOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout in ms (the client's by default). */
  timeout?: number | false;
  /** Retry policy for this call (the client's by default). */
  retry?: number | RetryOptions;
}

/** How an imagetile instance stores tiles (its `Format` config). */
export type ImagetileFormat = 'png' | 'jpg' | 'lz4';

/** Resolution and tile size of one scale level. */
export interface TileLevelSpec {
  /** Voxel size at this level, per x, y, z. */
  resolution: readonly [number, number, number];
  /** Tile size in voxels per x, y, z (an `xz` tile is tileSize[0] × tileSize[2]). */
  tileSize: readonly [number, number, number];
}

/** The tile spec (DVID's imagetile `/metadata`). */
export interface TileSpec {
  minTileCoord: readonly [number, number, number];
  maxTileCoord: readonly [number, number, number];
  /** One entry per scale, from 0 (full resolution). */
  levels: readonly TileLevelSpec[];
}

/** Options for {@link createImagetile}. */
export interface CreateImagetileOptions extends ImagetileCallOptions {
  /** @default 'png' */
  format?: ImagetileFormat;
  /** Voxel instance (uint8blk, …) the stitched `/raw` slices take their type and voxel size from. */
  source?: string;
  /** Draw placeholder images for missing tiles in `/raw` and `/isotropic` slices. */
  placeholder?: boolean;
  /** Further config, sent as strings. */
  config?: InstanceConfig;
}

/** Options for tile reads. */
export interface TileReadOptions extends ImagetileCallOptions {
  /**
   * For a missing tile, also fetch the blank image DVID serves in its place (one more request).
   * @default false
   */
  blank?: boolean;
}

/** A tile as stored, or a report that it is missing. */
export interface TileImage {
  /** True when DVID has no such tile (what it would serve is a blank placeholder). */
  placeholder: boolean;
  /** The stored tile; for a placeholder, DVID's blank image when `blank: true` was asked. */
  image?: EncodedImage;
}

/** A tile decoded into a Volume `[c, width, height]`. */
export interface TileVolume {
  placeholder: boolean;
  /** 8-bit gray → uint8 `[1, w, h]`; 16-bit gray → uint16; RGB(A) → uint8 `[3|4, w, h]`. */
  volume?: Volume;
}

/** Options for {@link ImagetileAccessor.postTile}. */
export type PostTileOptions = ImagetileCallOptions;

interface ImagetileInfoJSON {
  Base?: { TypeName?: string; Name?: string };
  Extended?: {
    Source?: string;
    Placeholder?: boolean;
    Encoding?: number;
    Quality?: number;
  };
}

interface DvidTileSpecJSON {
  MinTileCoord: number[];
  MaxTileCoord: number[];
  Levels: Record<string, { Resolution: number[]; TileSize: number[] }>;
}

const FORMATS: readonly ImagetileFormat[] = ['png', 'jpg', 'lz4'];

function checkTriple(argument: string, v: readonly number[], predicate: (n: number) => boolean, what: string): void {
  if (!Array.isArray(v) || v.length !== 3 || !v.every(predicate)) {
    throw new DvidArgumentError(argument, `expected three ${what}, got ${JSON.stringify(v)}`);
  }
}

/**
 * Converts a tile spec to DVID's `/metadata` JSON (`{"MinTileCoord", "MaxTileCoord", "Levels":
 * {"0": {"Resolution", "TileSize"}}}`).
 *
 * @throws {@link DvidArgumentError} for missing levels or non-positive sizes.
 * @example
 * ```ts
 * toDvidTileSpec({ minTileCoord: [0, 0, 0], maxTileCoord: [1, 1, 1], levels: [{ resolution: [8, 8, 8], tileSize: [512, 512, 512] }] });
 * ```
 */
export function toDvidTileSpec(spec: TileSpec): DvidTileSpecJSON {
  checkTriple('minTileCoord', spec.minTileCoord, Number.isSafeInteger, 'integers');
  checkTriple('maxTileCoord', spec.maxTileCoord, Number.isSafeInteger, 'integers');
  if (!Array.isArray(spec.levels) || spec.levels.length === 0) throw new DvidArgumentError('levels', 'expected at least one level (scale 0)');
  const Levels: DvidTileSpecJSON['Levels'] = {};
  spec.levels.forEach((level, s) => {
    checkTriple(`levels[${s}].resolution`, level.resolution, (n) => Number.isFinite(n) && n > 0, 'positive numbers');
    checkTriple(`levels[${s}].tileSize`, level.tileSize, (n) => Number.isSafeInteger(n) && n > 0, 'positive integers');
    Levels[String(s)] = { Resolution: [...level.resolution], TileSize: [...level.tileSize] };
  });
  return { MinTileCoord: [...spec.minTileCoord], MaxTileCoord: [...spec.maxTileCoord], Levels };
}

/**
 * Converts DVID's `/metadata` JSON back to a tile spec.
 *
 * @throws {@link DecodeError} for JSON of another shape.
 * @example
 * ```ts
 * const spec = fromDvidTileSpec(await res.json());
 * ```
 */
export function fromDvidTileSpec(json: unknown): TileSpec {
  const j = json as Partial<DvidTileSpecJSON> | null;
  const triple = (v: unknown): v is number[] => Array.isArray(v) && v.length === 3 && v.every((n) => typeof n === 'number');
  if (!j || typeof j !== 'object' || !triple(j.MinTileCoord) || !triple(j.MaxTileCoord) || !j.Levels || typeof j.Levels !== 'object') {
    throw new DecodeError('json', `not an imagetile tile spec: ${JSON.stringify(json).slice(0, 200)}`);
  }
  const keys = Object.keys(j.Levels).map(Number).sort((a, b) => a - b);
  const levels = keys.map((k, i) => {
    const level = j.Levels![String(k)];
    if (k !== i || !triple(level?.Resolution) || !triple(level?.TileSize)) {
      throw new DecodeError('json', `tile spec level ${k} is malformed or out of sequence`);
    }
    return { resolution: level.Resolution as unknown as [number, number, number], tileSize: level.TileSize as unknown as [number, number, number] };
  });
  return { minTileCoord: j.MinTileCoord as unknown as [number, number, number], maxTileCoord: j.MaxTileCoord as unknown as [number, number, number], levels };
}

/**
 * Creates an imagetile instance and returns its accessor.
 *
 * @throws {@link DvidArgumentError} before the request for an unknown format.
 * @example
 * ```ts
 * const tiles = await createImagetile(client.transport, uuid, 'tiles', { format: 'jpg', source: 'grayscale' });
 * ```
 */
export async function createImagetile(
  transport: Transport,
  uuid: string,
  name: string,
  options: CreateImagetileOptions = {},
): Promise<ImagetileAccessor> {
  const format = options.format ?? 'png';
  if (!FORMATS.includes(format)) throw new DvidArgumentError('format', `expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  await createInstance(
    transport,
    uuid,
    name,
    'imagetile',
    { Format: format, Source: options.source, Placeholder: options.placeholder, ...options.config },
    options,
  );
  return ImagetileAccessor.open(transport, uuid, name, options);
}

function checkTileArgs(plane: SlicePlane, scale: number, coord: readonly number[]): void {
  if (!SLICE_PLANES.includes(plane)) throw new DvidArgumentError('plane', `expected one of ${SLICE_PLANES.join(', ')}, got ${JSON.stringify(plane)}`);
  if (!Number.isInteger(scale) || scale < 0 || scale > 255) throw new DvidArgumentError('scale', `expected an integer from 0 to 255, got ${scale}`);
  checkTriple('coord', coord, Number.isSafeInteger, 'integers');
}

/**
 * Remote access to one imagetile instance. Make it with `client.imagetile(uuid, name)` or
 * `client.createImagetile(...)`.
 *
 * @example
 * ```ts
 * const tiles = await client.imagetile(uuid, 'tiles');
 * const t = await tiles.tileVolume('xz', 1, [0, 40, 2]); // { placeholder, volume }
 * ```
 */
export class ImagetileAccessor {
  readonly uuid: string;
  readonly name: string;
  /** How tiles are stored. */
  readonly format: ImagetileFormat;
  /** The source voxel instance (for `/raw` slices), if configured. */
  readonly source: string | undefined;
  /** Whether `/raw` slices draw placeholders for missing tiles. */
  readonly placeholder: boolean;
  private readonly transport: Transport;
  private sourceAccessor: Promise<VoxelsAccessor> | undefined;

  private constructor(transport: Transport, uuid: string, name: string, info: ImagetileInfoJSON) {
    this.transport = transport;
    this.uuid = uuid;
    this.name = name;
    const ext = info.Extended ?? {};
    this.format = ext.Encoding === 0 ? 'lz4' : ext.Encoding === 2 ? 'jpg' : 'png';
    this.source = ext.Source ? ext.Source : undefined;
    this.placeholder = ext.Placeholder === true;
  }

  /**
   * Opens an accessor: reads `/info` (format, source, placeholder setting).
   *
   * @throws {@link DvidArgumentError} when the instance is not an imagetile.
   * @example
   * ```ts
   * const tiles = await ImagetileAccessor.open(client.transport, uuid, 'tiles');
   * ```
   */
  static async open(transport: Transport, uuid: string, name: string, options: ImagetileCallOptions = {}): Promise<ImagetileAccessor> {
    const info = await transport.requestJson<ImagetileInfoJSON>({
      path: `${nodePath(uuid, name)}/info`,
      attempted: `read the info of imagetile "${name}"`,
      signal: options.signal,
      timeout: options.timeout,
      retry: options.retry,
    });
    const type = info.Base?.TypeName;
    if (type !== undefined && type !== 'imagetile') {
      throw new DvidArgumentError('name', `"${name}" is a ${type} instance, not an imagetile`);
    }
    return new ImagetileAccessor(transport, uuid, name, info);
  }

  private path(rest: string): string {
    return `${nodePath(this.uuid, this.name)}/${rest}`;
  }

  /**
   * `POST /metadata`: sets the tile spec (scale levels, tile sizes, tile coordinate extents).
   *
   * @example
   * ```ts
   * await tiles.postMetadata({ minTileCoord: [0, 0, 0], maxTileCoord: [7, 7, 255],
   *   levels: [{ resolution: [8, 8, 8], tileSize: [512, 512, 512] }, { resolution: [16, 16, 16], tileSize: [512, 512, 512] }] });
   * ```
   */
  async postMetadata(spec: TileSpec, options: ImagetileCallOptions = {}): Promise<void> {
    const body = JSON.stringify(toDvidTileSpec(spec));
    await this.transport.request({
      method: 'POST',
      path: this.path('metadata'),
      body,
      headers: { 'Content-Type': 'application/json' },
      attempted: `set the tile spec of "${this.name}"`,
      idempotent: true,
      signal: options.signal,
      timeout: options.timeout,
      retry: options.retry,
    });
  }

  /**
   * `GET /metadata`: the tile spec, or `undefined` when none was posted yet (DVID answers 400).
   *
   * @example
   * ```ts
   * const spec = await tiles.metadata(); // { minTileCoord, maxTileCoord, levels }
   * ```
   */
  async metadata(options: ImagetileCallOptions = {}): Promise<TileSpec | undefined> {
    try {
      const json = await this.transport.requestJson({
        path: this.path('metadata'),
        attempted: `read the tile spec of "${this.name}"`,
        signal: options.signal,
        timeout: options.timeout,
        retry: options.retry,
      });
      return fromDvidTileSpec(json);
    } catch (err) {
      if (isDvidError(err, 'http') && err.status === 400 && /not set/i.test(err.responseText)) return undefined;
      throw err;
    }
  }

  /**
   * `POST /tile/{plane}/{scale}/{x_y_z}`: stores one tile. `data` is the encoded tile (PNG for
   * `png` instances, JPEG for `jpg`; DVID stores it unchecked, so it is checked here), or, for
   * `png` instances, a uint8 or uint16 Volume `[1, w, h]` / `[w, h]` (or `[3|4, w, h]` uint8)
   * that is PNG-encoded first.
   *
   * @throws {@link DvidArgumentError} before the request for bad coordinates, bytes of the
   *   wrong format, or an `lz4` instance.
   * @example
   * ```ts
   * await tiles.postTile('xy', 0, [1, 2, 100], Volume.zeros([1, 512, 512], 'uint8'));
   * await jpgTiles.postTile('xz', 0, [0, 64, 0], jpegBytes);
   * ```
   */
  async postTile(plane: SlicePlane, scale: number, coord: readonly number[], data: Uint8Array | Volume, options: PostTileOptions = {}): Promise<void> {
    checkTileArgs(plane, scale, coord);
    if (this.format === 'lz4') {
      throw new DvidArgumentError('format', `"${this.name}" stores lz4 tiles, which DVID expects as Go-serialized images; use a png or jpg imagetile`);
    }
    let bytes: Uint8Array;
    if (data instanceof Volume) {
      if (this.format !== 'png') throw new DvidArgumentError('data', 'a Volume can be posted to png imagetiles only; encode JPEG tiles yourself');
      bytes = encodePng(volumeToImage(data));
    } else if (data instanceof Uint8Array) {
      const kind = sniffImageFormat(data);
      const want: ImageFormat = this.format === 'png' ? 'png' : 'jpeg';
      if (kind !== want) throw new DvidArgumentError('data', `"${this.name}" stores ${want.toUpperCase()} tiles; these bytes are ${kind ? kind.toUpperCase() : 'neither PNG nor JPEG'}`);
      bytes = data;
    } else {
      throw new DvidArgumentError('data', 'expected encoded tile bytes (Uint8Array) or a Volume');
    }
    await this.transport.request({
      method: 'POST',
      path: this.path(`tile/${plane}/${scale}/${coord.join('_')}`),
      body: bytes,
      headers: { 'Content-Type': this.format === 'png' ? 'image/png' : 'image/jpeg' },
      attempted: `store the ${plane} tile [${coord.join(',')}] at scale ${scale} of "${this.name}"`,
      idempotent: true,
      signal: options.signal,
      timeout: options.timeout,
      retry: options.retry,
    });
  }

  /**
   * `GET /tile/{plane}/{scale}/{x_y_z}?noblanks=true`: the stored tile bytes, or
   * `placeholder: true` when DVID has none (with DVID's blank image if `blank: true`).
   *
   * @example
   * ```ts
   * const { placeholder, image } = await tiles.tile('xy', 0, [0, 0, 100]);
   * if (!placeholder) el.src = URL.createObjectURL(image!.blob());
   * ```
   */
  async tile(plane: SlicePlane, scale: number, coord: readonly number[], options: TileReadOptions = {}): Promise<TileImage> {
    checkTileArgs(plane, scale, coord);
    const path = this.path(`tile/${plane}/${scale}/${coord.join('_')}`);
    const what = `read the ${plane} tile [${coord.join(',')}] at scale ${scale} of "${this.name}"`;
    const response = await this.transport.request({
      path,
      query: { noblanks: 'true' },
      attempted: what,
      idempotent: true,
      okStatuses: [200, 404],
      signal: options.signal,
      timeout: options.timeout,
      retry: options.retry,
    });
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      if (!options.blank) return { placeholder: true };
      const blankFormat = this.format === 'jpg' ? 'jpg' : 'png';
      const blank = await this.fetchTileBytes(`${path}/${blankFormat}`, {}, `${what} (blank placeholder)`, options);
      return { placeholder: true, image: blank };
    }
    return { placeholder: false, image: await toEncoded(response, what) };
  }

  private async fetchTileBytes(path: string, query: QueryValues, what: string, options: ImagetileCallOptions): Promise<EncodedImage> {
    const response = await this.transport.request({
      path,
      query,
      attempted: what,
      idempotent: true,
      signal: options.signal,
      timeout: options.timeout,
      retry: options.retry,
    });
    return toEncoded(response, what);
  }

  /**
   * A tile decoded into a Volume `[c, w, h]` (8-bit gray → uint8, 16-bit gray → uint16, RGB/RGBA
   * → uint8 with 3/4 channels), axes `cxy`, `cxz` or `cyz`.
   *
   * @example
   * ```ts
   * const { placeholder, volume } = await tiles.tileVolume('xy', 0, [0, 0, 100], { blank: true });
   * ```
   */
  async tileVolume(
    plane: SlicePlane,
    scale: number,
    coord: readonly number[],
    options: TileReadOptions & { jpegIdct?: JpegIdct } = {},
  ): Promise<TileVolume> {
    const { placeholder, image } = await this.tile(plane, scale, coord, options);
    if (!image) return { placeholder };
    const decoded = decodeImage(image.bytes, { idct: options.jpegIdct });
    if (decoded.channels === 2) throw new DecodeError('dvid-image', 'gray + alpha tiles are not supported');
    const data = decoded.data;
    const volume = Volume.from(data as TypedArrayFor<DType>, [decoded.channels, decoded.width, decoded.height], { axes: `c${plane}`, order: 'F' });
    return { placeholder, volume };
  }

  private sourceVoxels(options: ImagetileCallOptions): Promise<VoxelsAccessor> {
    if (!this.source) {
      throw new DvidArgumentError('source', `"${this.name}" has no Source voxel instance; DVID cannot make /raw or /isotropic slices from it`);
    }
    this.sourceAccessor ??= VoxelsAccessor.open(this.transport, this.uuid, this.source, { signal: options.signal });
    const pending = this.sourceAccessor;
    pending.catch(() => {
      if (this.sourceAccessor === pending) this.sourceAccessor = undefined;
    });
    return pending;
  }

  private async context(options: ImagetileCallOptions): Promise<ImageInstanceContext> {
    const src = await this.sourceVoxels(options);
    dvidImageBytesPerVoxel(src.dtype, src.metadata.channels);
    return { transport: this.transport, uuid: this.uuid, name: this.name, dtype: src.dtype as DvidImageDType, channels: src.metadata.channels, blockSize: src.blockSize };
  }

  /**
   * A slice DVID stitches from the scale-0 tiles (`/raw`, or `/isotropic` with `isotropic: true`),
   * decoded with the source instance's dtype like `VoxelsAccessor.slice`. Missing tiles read as
   * zeros, or as DVID's drawn placeholder when the instance has `Placeholder` set.
   *
   * @throws {@link DvidArgumentError} when the instance has no source, or for `format: 'raw'`.
   * @example
   * ```ts
   * const xy = await tiles.slice('xy', [0, 0, 100], [1024, 1024]);
   * ```
   */
  async slice<D extends DType = DType>(plane: SlicePlane, offset: readonly number[], size: readonly number[], options: SliceOptions = {}): Promise<Volume<D>> {
    if (options.format === 'raw') throw new DvidArgumentError('format', "imagetile serves 2D images only: use 'png' or 'jpeg'");
    return readSlice<D>(await this.context(options), plane, offset, size, options);
  }

  /**
   * The stitched slice as the image DVID encodes.
   *
   * @example
   * ```ts
   * const img = await tiles.sliceImage('xz', [0, 100, 0], [1024, 256], { format: 'jpeg', quality: 85 });
   * ```
   */
  async sliceImage(plane: SlicePlane, offset: readonly number[], size: readonly number[], options: SliceImageOptions = {}): Promise<EncodedImage> {
    if (!this.source) {
      throw new DvidArgumentError('source', `"${this.name}" has no Source voxel instance; DVID cannot make /raw or /isotropic slices from it`);
    }
    const ctx: ImageInstanceContext = { transport: this.transport, uuid: this.uuid, name: this.name, dtype: 'uint8', channels: 1, blockSize: [1, 1, 1] };
    return fetchSliceImage(ctx, plane, offset, size, options);
  }
}

async function toEncoded(response: Response, what: string): Promise<EncodedImage> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? '';
  const format = sniffImageFormat(bytes);
  if (!format) {
    throw new DecodeError('dvid-image', `expected an image for ${what}, got ${contentType || 'no content type'}: ${JSON.stringify(new TextDecoder().decode(bytes.subarray(0, 200)))}`);
  }
  return { format, contentType, bytes, blob: () => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType || `image/${format}` }) };
}

function volumeToImage(vol: Volume): { width: number; height: number; channels: 1 | 3 | 4; depth: 8 | 16; data: Uint8Array | Uint16Array } {
  const shape = vol.shape.length === 2 ? [1, vol.shape[0], vol.shape[1]] : [...vol.shape];
  if (shape.length !== 3 || ![1, 3, 4].includes(shape[0])) {
    throw new DvidArgumentError('data', `expected a tile Volume [w, h] or [c, w, h] with c = 1, 3 or 4, got [${vol.shape.join(', ')}]`);
  }
  if (vol.dtype !== 'uint8' && !(vol.dtype === 'uint16' && shape[0] === 1)) {
    throw new DvidArgumentError('data', `PNG tiles hold uint8 (1, 3 or 4 channels) or uint16 (1 channel), not ${shape[0]} × ${vol.dtype}`);
  }
  const flat = vol.reshape(shape, { axes: vol.shape.length === 2 ? 'cxy' : vol.axes }).toTypedArray('F');
  return { width: shape[1], height: shape[2], channels: shape[0] as 1 | 3 | 4, depth: vol.dtype === 'uint16' ? 16 : 8, data: flat as Uint8Array | Uint16Array };
}
