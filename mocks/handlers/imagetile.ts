/**
 * The imagetile data type of the mock, as DVID v1.0.0 serves it (`datatype/imagetile`):
 * creation with `Format` (png, jpg, lz4), `Source` and `Placeholder` and the compression
 * implied by the format; `/metadata` (the tile spec, see mocks/images/imagetile-spec.ts);
 * tiles stored per version exactly as posted and served back with the instance's content
 * type; missing tiles as an all-zero gray image of the level's tile size (encoded per the
 * optional format segment) or 404 with `noblanks=true`; `/tilekey`; and `/raw`/`/isotropic`
 * slices stitched from scale-0 tiles in the source instance's image type
 * (mocks/images/imagetile-stitch.ts). Serving tiles stored in `lz4` instances (Go-serialized
 * images) answers the mock's 501.
 *
 * @example
 * ```ts
 * // POST /api/repo/<uuid>/instance {"typename":"imagetile","dataname":"tiles","Format":"png","Source":"grayscale"}
 * // POST /api/node/<uuid>/tiles/metadata {"MinTileCoord":[0,0,0],"MaxTileCoord":[1,1,1],"Levels":{"0":{...}}}
 * // POST /api/node/<uuid>/tiles/tile/xy/0/0_0_10   <PNG bytes>
 * // GET  /api/node/<uuid>/tiles/raw/xy/64_64/0_0_10 → PNG stitched from tiles
 * ```
 * @module
 */
import type { DvidConfig } from '../config.js';
import { goParseUint, GoParseError, goQuote } from '../goformat.js';
import { goJson } from '../gojson.js';
import { checkSliceStrings, type Point3 } from '../geometry.js';
import { bodyResponse, emptyResponse, GoPanic, jsonResponse, notEmulated, notFound } from '../http.js';
import type { BaseInstance } from '../instance.js';
import { isImageInstance } from '../state.js';
import { badApiRequest, registerDataType, VersionedStore, VersionConflictError, type DataRequest } from '../versioned.js';
import { baseJson, goPrintfNoArgs, helpResponse, requestBytes, requestText, zyxKey } from '../datatypes/common.js';
import { blankGoImage } from '../images/goimage.js';
import { goImageResponse } from '../images/image-response.js';
import { levelsJson, parseTileMetadata, tileMetadataJson, type TileSpecState } from '../images/imagetile-spec.js';
import { decodeTile, placeholderTile, stitchSlice, type TilePixels } from '../images/imagetile-stitch.js';
import { interpolateGoImage } from '../images/scale.js';
import { parseSliceGeometry, planeAxes } from '../images/slices.js';

/**
 * An imagetile instance of the mock. `encoding` is DVID's `Format` number: 0 lz4, 1 png, 2 jpg.
 *
 * @example
 * ```ts
 * (state.getInstance(uuid, 'tiles') as ImagetileInstance).spec?.levels.size
 * ```
 */
export interface ImagetileInstance extends BaseInstance {
  kind: 'imagetile';
  source: string;
  placeholder: boolean;
  encoding: 0 | 1 | 2;
  spec: TileSpecState | null;
  /** Tile bytes by `tileKey`. */
  tiles: VersionedStore<Uint8Array>;
}

type Request = DataRequest<ImagetileInstance>;

const FORMATS: Record<string, 0 | 1 | 2> = { lz4: 0, png: 1, jpg: 2 };

const NO_METADATA = 'Tile metadata has not been POSTed yet.  GET requests require metadata to be POST.';

/** DVID's shapes by name, as `DataShapeString.DataShape` accepts them, with their key bytes. */
const SHAPES: Record<string, { name: string; label: string; bytes: number[] }> = {
  xy: { name: 'xy', label: 'XY slice', bytes: [3, 2, 0, 1] },
  xz: { name: 'xz', label: 'XZ slice', bytes: [3, 2, 0, 2] },
  yz: { name: 'yz', label: 'YZ slice', bytes: [3, 2, 1, 2] },
  vol: { name: 'vol', label: '3d volume', bytes: [3, 3, 0, 1, 2] },
  arb: { name: 'arb', label: 'slice with arbitrary orientation', bytes: [3, 0] },
};
const SHAPE_ALIASES: Record<string, string> = { '0_1': 'xy', '0,1': 'xy', '0_2': 'xz', '0,2': 'xz', '1_2': 'yz', '1,2': 'yz', '0_1_2': 'vol', '0,1,2': 'vol' };

function shapeOf(text: string): (typeof SHAPES)[string] | undefined {
  const lower = text.toLowerCase();
  return SHAPES[SHAPE_ALIASES[lower] ?? lower];
}

/** A parsed `/{plane}/{scale}/{x_y_z}` tile address (`ParseTileReq`). */
interface TileRequest {
  /** Undefined for the zero request DVID uses after a parse error. */
  shape: (typeof SHAPES)[string] | undefined;
  scale: number;
  coord: Point3;
}

function parseTileRequest(parts: readonly string[]): TileRequest {
  if (parts.length < 7) throw new Error("'tile' request must be following by plane, scale level, and tile coordinate");
  const [planeText, scaleText, coordText] = parts.slice(4, 7);
  const shape = shapeOf(planeText);
  if (!shape) throw new Error(`Illegal tile plane: ${planeText} (Unknown data shape specification (${planeText}))`);
  let scale: number;
  try {
    scale = goParseUint(scaleText, 8);
  } catch (err) {
    if (err instanceof GoParseError) throw new Error(`Illegal tile scale: ${scaleText} (${err.message})`);
    throw err;
  }
  const values = coordText.split('_');
  if (values.length !== 3) throw new Error(`Illegal tile coordinate: ${coordText} (Cannot convert ${goQuote(coordText)} into a ChunkPoint3d)`);
  const coord = values.map((v) => {
    const trimmed = v.trim();
    const n = Number(trimmed);
    if (!/^[+-]?\d+$/.test(trimmed)) throw new Error(`Illegal tile coordinate: ${coordText} (${new GoParseError('ParseInt', trimmed, 'invalid syntax').message})`);
    if (n < -(2 ** 31) || n >= 2 ** 31) throw new Error(`Illegal tile coordinate: ${coordText} (${new GoParseError('ParseInt', trimmed, 'value out of range').message})`);
    return n;
  }) as Point3;
  return { shape, scale, coord };
}

function tileKey(tile: TileRequest): string {
  return `${tile.shape?.name ?? ''}/${tile.scale}/${zyxKey(tile.coord)}`;
}

/** `getTileData`: the stored bytes (none for negative coordinates, as DVID). */
function tileData(req: Request, tile: TileRequest): Uint8Array | undefined {
  if (tile.coord.some((c) => c < 0)) return undefined;
  const data = req.instance.tiles.get(req.version, tileKey(tile));
  return data && data.length > 0 ? data : undefined;
}

function levelsSet(instance: ImagetileInstance): boolean {
  return instance.spec !== null && instance.spec.levels.size > 0;
}

/** `GET /tile/...`: the stored tile, a blank tile, or 404 with `noblanks=true`. */
function getTile(req: Request): Response {
  const { instance, request, parts } = req;
  if (!levelsSet(instance)) throw new Error(NO_METADATA);
  let tile: TileRequest = { shape: undefined, scale: 0, coord: [0, 0, 0] };
  try {
    tile = parseTileRequest(parts);
  } catch {
    // DVID ignores the parse error and goes on with a zero request.
  }
  let data: Uint8Array | undefined;
  try {
    data = tile.shape ? tileData(req, tile) : undefined;
  } catch (err) {
    if (err instanceof VersionConflictError) throw new Error(`Error trying to GET from datastore: ${err.message}`);
    throw err;
  }
  if (!data) {
    if (request.query.get('noblanks') === 'true') throw notFound();
    return blankTile(req, tile);
  }
  if (instance.encoding === 0) throw notEmulated(request.path, 'serving tiles of lz4 imagetiles (Go-serialized images)');
  return bodyResponse(data, 200, { 'Content-Type': instance.encoding === 1 ? 'image/png' : 'image/jpeg' });
}

function blankTile(req: Request, tile: TileRequest): Response {
  const level = req.instance.spec!.levels.get(tile.scale);
  if (!level) throw new Error(`Could not extract tiles for unspecified scale level ${tile.scale}`);
  const axes = tile.shape ? planeAxes(tile.shape.name) : undefined;
  if (!axes) throw new Error(`Can't get 2D size from a non-2D shape: ${tile.shape?.label ?? 'Unknown shape'}`);
  const [w, h] = [level.tileSize[axes[0]], level.tileSize[axes[1]]];
  if (w < 0 || h < 0) throw new GoPanic('runtime error: makeslice: len out of range');
  return goImageResponse(blankGoImage('gray', 1, w, h), req.parts[7] ?? '', req.request.path);
}

async function postTile(req: Request): Promise<Response> {
  let tile: TileRequest;
  try {
    tile = parseTileRequest(req.parts);
  } catch (err) {
    throw new Error(`Error in posting tile with URL ${goQuote(req.request.path.slice('/api/'.length))}: ${(err as Error).message}\n`);
  }
  req.instance.tiles.put(req.version, tileKey(tile), await requestBytes(req.request));
  return emptyResponse();
}

function uint32Hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** `GET /tilekey/...`: DVID's full storage key of the tile, in hex. */
function getTileKey(req: Request): Response {
  if (req.request.method !== 'GET') throw new Error(`Cannot use HTTP ${req.request.method.toLowerCase()} for tilekey endpoint`);
  const tile = parseTileRequest(req.parts);
  const shapeBytes = [...tile.shape!.bytes, 0, 0, 0, 0, 0, 0, 0].slice(0, 7);
  const index = [tile.coord[2], tile.coord[1], tile.coord[0]].map((v) => uint32Hex((v ^ 0x80000000) >>> 0)).join('');
  const id = req.context.state.localInstanceId(req.instance);
  const hex = `01${uint32Hex(id)}${shapeBytes.map((b) => b.toString(16).padStart(2, '0')).join('')}${tile.scale.toString(16).padStart(2, '0')}03${index}${uint32Hex(req.version.versionId)}0000000003`;
  return jsonResponse(`{"key": "${hex}"}`);
}

async function postMetadata(req: Request): Promise<Response> {
  req.instance.spec = parseTileMetadata(await requestText(req.request));
  return emptyResponse();
}

function getMetadata(req: Request): Response {
  if (!levelsSet(req.instance)) throw new Error(`tile metadata for imagetile ${goQuote(req.instance.name)} was not set\n`);
  return jsonResponse(goPrintfNoArgs(tileMetadataJson(req.instance.spec!)));
}

/** A scale-0 tile for stitching: decoded, DVID's placeholder, or nothing. */
function stitchTile(req: Request, shape: (typeof SHAPES)[string], coord: Point3): TilePixels | undefined {
  const { instance } = req;
  const tile: TileRequest = { shape, scale: 0, coord };
  let data: Uint8Array | undefined;
  try {
    data = tileData(req, tile);
  } catch (err) {
    if (err instanceof VersionConflictError) return undefined; // DVID skips tiles it cannot read
    throw err;
  }
  if (!data) {
    if (!instance.placeholder) return undefined;
    const axes = planeAxes(shape.name)!;
    const size = instance.spec!.levels.get(0)!.tileSize;
    return placeholderTile(size[axes[0]], size[axes[1]]);
  }
  if (instance.encoding === 0) throw notEmulated(req.request.path, 'slices stitched from lz4 tiles (Go-serialized images)');
  return decodeTile(data);
}

/** `GET /raw|isotropic/{plane}/{w}_{h}/{offset}[/{format}]`, stitched from scale-0 tiles. */
function getStitched(req: Request): Response {
  const { instance, request, parts, repo } = req;
  if (request.method === 'POST') throw new Error(`imagetile '${instance.name}' can only PUT tiles not images`);
  if (parts.length < 7) throw new Error(`${goQuote(parts[3])} must be followed by shape/size/offset`);
  const shape = shapeOf(parts[4]);
  if (!shape) throw new Error(`Unknown data shape specification (${parts[4]})`);
  if (!planeAxes(shape.name)) throw new Error(`Quadtrees can only return 2d images not ${shape.label}`);
  checkSliceStrings(parts[6], parts[5]);
  const source = repo.instances.get(instance.source);
  if (!source) throw new Error('invalid data instance name');
  if (!isImageInstance(source)) throw new Error(`Cannot construct imagetile for non-voxels data: ${instance.source}`);
  if (!levelsSet(instance)) throw new Error(NO_METADATA);
  const isotropic = parts[3] === 'isotropic';
  const geometry = parseSliceGeometry(parts, source.voxelSize, isotropic);
  if (geometry.read[0] < 0 || geometry.read[1] < 0) throw new GoPanic('runtime error: makeslice: len out of range');
  const tileSize = instance.spec!.levels.get(0)!.tileSize;
  let image = stitchSlice(geometry, tileSize, source.voxelType, (coord) => stitchTile(req, shape, coord));
  if (isotropic) image = interpolateGoImage(image, geometry.size[0], geometry.size[1]);
  return goImageResponse(image, parts[7] ?? '', request.path);
}

async function handle(req: Request): Promise<Response> {
  const method = req.request.method;
  if (method !== 'GET' && method !== 'POST') throw new Error('Can only handle GET or POST HTTP verbs');
  switch (req.keyword) {
    case 'help':
      return helpResponse(req);
    case 'info':
      return jsonResponse(goPrintfNoArgs(goJson(imagetileInfo(req.instance))));
    case 'metadata':
      return method === 'POST' ? postMetadata(req) : getMetadata(req);
    case 'tile':
      return method === 'POST' ? postTile(req) : getTile(req);
    case 'tilekey':
      return getTileKey(req);
    case 'raw':
    case 'isotropic':
      return getStitched(req);
    default:
      throw badApiRequest(req);
  }
}

/**
 * The `/info` object of an imagetile instance.
 *
 * @example
 * ```ts
 * imagetileInfo(instance).Extended // { Source, MinTileCoord, MaxTileCoord, Levels, Placeholder, Encoding, Quality }
 * ```
 */
export function imagetileInfo(instance: ImagetileInstance): Record<string, unknown> {
  const spec = instance.spec;
  return {
    Base: baseJson(instance),
    Extended: {
      Source: instance.source,
      MinTileCoord: spec?.minTileCoord ?? [0, 0, 0],
      MaxTileCoord: spec?.maxTileCoord ?? [0, 0, 0],
      Levels: levelsJson(spec?.levels),
      Placeholder: instance.placeholder,
      Encoding: instance.encoding,
      Quality: 0,
    },
  };
}

function readSetting(config: DvidConfig, key: string): string | undefined {
  const setting = config.getString(key);
  if (setting.error) throw new Error(setting.error);
  return setting.found ? setting.value : undefined;
}

function parseBool(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  throw new Error(`Cannot parse '${text}' as a boolean.  Use 'true', 'false', '0', or '1'.`);
}

/**
 * `NewDataService` of imagetile: Source, Placeholder, Format and the compression it implies.
 *
 * @example
 * ```ts
 * createImagetile(base, new DvidConfig({ Format: 'gif' })) // throws "Unknown encoding specified: 'gif' ..."
 * ```
 */
export function createImagetile(base: BaseInstance, config: DvidConfig): ImagetileInstance {
  const source = readSetting(config, 'Source') ?? '';
  const placeholderText = readSetting(config, 'Placeholder');
  const placeholder = placeholderText === undefined ? false : parseBool(placeholderText);
  const formatText = readSetting(config, 'Format');
  const encoding = formatText === undefined ? 1 : FORMATS[formatText.toLowerCase()];
  if (encoding === undefined) throw new Error(`Unknown encoding specified: '${formatText}' (should be 'lz4', 'png', or 'jpg'`);
  const compression = encoding === 0 ? 'lz4' : 'none';
  const requested = readSetting(config, 'Compression');
  if (requested !== undefined && requested.toLowerCase() !== compression) {
    throw new Error(`Conflict between specified compression '${requested}' and format '${formatText ?? ''}'.  Suggest not dictating compression.`);
  }
  const instance = {
    ...base,
    compression: encoding === 0 ? 'LZ4 compression, level -1' : 'No compression, level -1',
    kind: 'imagetile',
    source,
    placeholder,
    encoding,
    spec: null,
  } as unknown as ImagetileInstance;
  instance.tiles = new VersionedStore<Uint8Array>(instance);
  return instance;
}

registerDataType<ImagetileInstance>('imagetile', {
  create: (base, config) => createImagetile(base, config),
  info: imagetileInfo,
  handle,
});
