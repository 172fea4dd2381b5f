/**
 * Instance endpoints of the image-block types under `/api/node/{uuid}/{name}/{keyword}/...`:
 * `info`, `metadata`, `extents`, `resolution`, `rawkey`, `help`, and 3D `raw`/`isotropic`
 * reads (any box, zeros where unwritten) and block-aligned writes, with DVID's checks in
 * DVID's order, `throttle=on|true` slots and the simulated busy answers of `setBusy`.
 *
 * @example
 * ```ts
 * // POST /api/node/<uuid>/gray/raw/0_1_2/32_32_32/0_0_0   (32768 bytes) → 200
 * // GET  /api/node/<uuid>/gray/raw/0_1_2/3_2_1/-1_0_0      → 6 bytes, application/octet-stream
 * ```
 * @module
 */
import type { HttpHandler } from 'msw';
import { goAtoi, GoParseError, goQuote } from '../goformat.js';
import { parseGoJson, type GoJsonNode } from '../gojson.js';
import {
  blockAligned,
  checkSliceStrings,
  describeSubvolume,
  endPoint,
  formatPoint,
  parseSubvolume,
  shapeDimensions,
  voxelCount,
  type Point3,
  type Subvolume,
} from '../geometry.js';
import {
  bytesResponse,
  DvidFailure,
  emptyResponse,
  goHttpError,
  jsonResponse,
  notEmulated,
  textResponse,
} from '../http.js';
import { imageInfoJson, imageMetadataJson, readVoxels, setExtents, writeVoxels, type ImageInstance } from '../imageblk.js';
import { serveArb } from '../images/arb.js';
import { serveSpecificBlocks, serveSubvolBlocks, type BlockStreamRequest } from '../images/block-stream.js';
import { serveImageSlice, stackedJpegResponse } from '../images/slices.js';
import { takeRawThrottleSlot } from '../images/throttle.js';
import { ANY_METHOD, defineRoute, type MockContext, type RouteRequest } from '../router.js';
import { isImageInstance, type MockNode, type MockRepo } from '../state.js';
import { checkWritable, dataNode, getDataType, VersionConflictError } from '../versioned.js';

/**
 * Largest response DVID builds (`server.MaxDataRequest`, 3 GiB).
 *
 * @example
 * ```ts
 * MAX_DATA_REQUEST // 3221225472
 * ```
 */
export const MAX_DATA_REQUEST = 3 * 2 ** 30;

/** Everything a keyword handler needs. */
interface InstanceRequest {
  context: MockContext;
  request: RouteRequest;
  repo: MockRepo;
  instance: ImageInstance;
  /** The version node reads and writes happen at (the root for unversioned instances). */
  version: MockNode;
  /** Path after `/api/`, split on `/`, one trailing empty part removed. */
  parts: string[];
}

function splitParts(path: string): string[] {
  const parts = path.slice('/api/'.length).split('/');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** DVID's `BadAPIRequest`: unknown keyword. Note the two spaces and the missing final period. */
function badApiRequest({ context, request, instance }: InstanceRequest): DvidFailure {
  const host = context.serverInfo.Host ?? request.url.host;
  return goHttpError(
    400,
    `Bad API call (${request.path}) for data ${goQuote(instance.name)}.  See API help at http://${host}/api/help/${instance.type.name}`,
  );
}

function checkRoi(target: InstanceRequest): void {
  const roi = target.request.query.get('roi');
  if (!roi) return;
  if (!target.repo.instances.has(roi)) throw new Error(`Can't get ROI with name ${goQuote(roi)}: invalid data instance name`);
  throw notEmulated(target.request.path, 'the roi query on raw');
}

function requireStore(target: InstanceRequest): void {
  if (!target.instance.store) {
    throw notEmulated(target.request.path, `voxel access with BlockSize ${formatPoint(target.instance.blockSize)}`);
  }
}

function readRaw(target: InstanceRequest, box: Subvolume): Response {
  const { instance, parts, request } = target;
  const voxels = voxelCount(box);
  if (voxels <= 0) throw new Error(`Illegal geometry requested: ${describeSubvolume(box)}`);
  const bytes = voxels * instance.voxelType.bytesPerVoxel;
  if (bytes > MAX_DATA_REQUEST) {
    throw new Error(`Requested payload (${bytes} bytes) exceeds this DVID server's set limit (${MAX_DATA_REQUEST})`);
  }
  checkRoi(target);
  requireStore(target);
  const data = readingConflicts(target, () => readVoxels(instance, box, target.version));
  if (parts.length >= 8 && (parts[7] === 'jpeg' || parts[7] === 'jpg')) return stackedJpegResponse(data, box, instance, parts, request.path);
  return bytesResponse(data);
}

/** The block-stream handlers' view of a request (mocks/images/block-stream.ts). */
function blockStreamRequest(target: InstanceRequest): BlockStreamRequest {
  return { ...target, conflictError: (err) => conflictError(target, err) };
}

/** Runs a read, turning a version conflict into DVID's error for this instance. */
function readingConflicts<T>(target: InstanceRequest, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof VersionConflictError) throw conflictError(target, err);
    throw err;
  }
}

/** Big-endian bytes of a uint32 (DVID's InstanceID, VersionID, ClientID encodings). */
function uint32Bytes(value: number): number[] {
  return [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
}

/**
 * DVID's error for a block whose versions conflict below a merge: `Unable to GET data
 * <context>: found multiple kv for key [<storage key bytes>] among parents: ...`, with the
 * imageblk block key (instance ID, class 23, ZYX block index with flipped sign bits, version,
 * client 0, data marker 3).
 */
function conflictError(target: InstanceRequest, err: VersionConflictError): Error {
  const { instance, version, context } = target;
  const id = context.state.localInstanceId(instance);
  const [x, y, z] = err.key.split(',').map(Number);
  const index = [z, y, x].flatMap((v) => uint32Bytes((v ^ 0x80000000) >>> 0));
  const key = [1, ...uint32Bytes(id), 23, 1, ...index, ...uint32Bytes(err.versionId), 0, 0, 0, 0, 3];
  return new Error(
    `Unable to GET data Versioned data context for ${goQuote(instance.name)} (local id ${id}, version id ${version.versionId}): ${err.describe(`[${key.join(' ')}]`)}`,
  );
}

async function writeRaw(target: InstanceRequest, box: Subvolume): Promise<Response> {
  const { instance, request, repo, context } = target;
  const data = new Uint8Array(await request.request.arrayBuffer());
  const expected = voxelCount(box) * instance.voxelType.bytesPerVoxel;
  if (data.byteLength !== expected) {
    throw new Error(`voxels data was ${data.byteLength} bytes, expected ${expected} bytes for ${describeSubvolume(box)}`);
  }
  context.state.nextMutationId(repo);
  checkRoi(target);
  requireStore(target);
  if (!blockAligned(box, instance.blockSize as Point3)) {
    throw new Error(`cannot store voxels in non-block aligned geometry ${formatPoint(box.offset)} -> ${formatPoint(endPoint(box))}`);
  }
  writeVoxels(instance, box, data, target.version);
  return emptyResponse();
}

async function handleRaw(target: InstanceRequest): Promise<Response> {
  const { parts, request, context } = target;
  if (parts.length < 7) throw new Error(`${goQuote(parts[3])} must be followed by shape/size/offset`);
  const isotropic = parts[3] === 'isotropic';
  const [shape, size, offset] = parts.slice(4, 7);
  const dims = shapeDimensions(shape);
  if (dims === 2) {
    checkSliceStrings(offset, size);
    if (request.method !== 'GET') throw new Error('DVID does not permit 2d mutations, only 3d block-aligned stores');
    const beforeRead = () => {
      checkRoi(target);
      requireStore(target);
    };
    return readingConflicts(target, () => serveImageSlice(target.instance, target.version, parts, request.path, beforeRead));
  }
  if (dims !== 3) throw new Error('DVID currently supports shapes of only 2 and 3 dimensions');
  const release = takeRawThrottleSlot(context.state, request.query);
  try {
    const box = parseSubvolume(offset, size);
    if (request.method === 'GET') return readRaw(target, box);
    if (isotropic) throw new Error("can only POST 'raw' not 'isotropic' images");
    return await writeRaw(target, box);
  } finally {
    release();
  }
}

/** The Go type name and JSON kind, for "json: cannot unmarshal X into ..." messages. */
function unmarshalError(found: string, into: string, field?: string): Error {
  return new Error(`json: cannot unmarshal ${found} into Go ${field ? `struct field extents3D.${field}` : 'value'} of type ${into}`);
}

function parseUnmarshal(body: string): GoJsonNode | undefined {
  const parsed = parseGoJson(body, 'unmarshal');
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.node;
}

function readPoint3(node: GoJsonNode, field: string): Point3 {
  const point: Point3 = [0, 0, 0];
  if (node.kind === 'null') return point;
  if (node.kind !== 'array') throw unmarshalError(node.kind === 'number' ? 'number' : node.kind, 'dvid.Point3d', field);
  node.items.slice(0, 3).forEach((item, i) => {
    if (item.kind === 'null') return;
    if (item.kind !== 'number') throw unmarshalError(item.kind, 'int32', field);
    if (!/^-?\d+$/.test(item.text) || Number(item.text) < -(2 ** 31) || Number(item.text) >= 2 ** 31) {
      throw unmarshalError(`number ${item.text}`, 'int32', field);
    }
    point[i] = Number(item.text);
  });
  return point;
}

/** `POST .../extents`: `json.Unmarshal` into `{MinPoint, MaxPoint dvid.Point3d}`, then stored. */
async function postExtents({ instance, request }: InstanceRequest): Promise<Response> {
  const node = parseUnmarshal(await request.request.text());
  let min: Point3 = [0, 0, 0];
  let max: Point3 = [0, 0, 0];
  if (node && node.kind !== 'null') {
    if (node.kind !== 'object') throw unmarshalError(node.kind, 'imageblk.extents3D');
    for (const [key, value] of node.entries) {
      if (key.toLowerCase() === 'minpoint') min = readPoint3(value, 'MinPoint');
      else if (key.toLowerCase() === 'maxpoint') max = readPoint3(value, 'MaxPoint');
    }
  }
  setExtents(instance, min, max);
  return emptyResponse();
}

/** `POST .../resolution`: `json.Unmarshal` into `dvid.NdFloat32`, which replaces VoxelSize. */
async function postResolution({ instance, request }: InstanceRequest): Promise<Response> {
  const node = parseUnmarshal(await request.request.text());
  if (!node || node.kind === 'null') {
    instance.voxelSize = [];
    return emptyResponse();
  }
  if (node.kind !== 'array') throw unmarshalError(node.kind, 'dvid.NdFloat32');
  instance.voxelSize = node.items.map((item) => {
    if (item.kind === 'null') return 0;
    if (item.kind !== 'number') throw unmarshalError(item.kind, 'float32');
    const value = Math.fround(Number(item.text));
    if (!Number.isFinite(value)) throw unmarshalError(`number ${item.text}`, 'float32');
    return value;
  });
  return emptyResponse();
}

function checkAttenuation(query: URLSearchParams): void {
  if (!query.get('roi')) return;
  const text = query.get('attenuation');
  if (!text) return;
  let value: number;
  try {
    value = goAtoi(text);
  } catch (err) {
    if (err instanceof GoParseError) throw new Error(err.message);
    throw err;
  }
  if (value < 1 || value > 7) throw new Error('Attenuation should be from 1 to 7 (divides by 2^n)');
}

const HELP_TEXT =
  'API for image block datatype (github.com/janelia-flyem/dvid/datatype/imageblk)\n' +
  '(dvid-ts mock: see DVID\'s own help for the full text; the mock emulates info, metadata,\n' +
  'extents, resolution, raw/isotropic volumes and images, arb, subvolblocks, specificblocks)\n';

function requireMethod(target: InstanceRequest, method: string, endpoint: string): void {
  if (target.request.method !== method) throw new Error(`${endpoint} endpoint only supports ${method} HTTP verb`);
}

async function serveKeyword(target: InstanceRequest): Promise<Response> {
  const { parts, request, instance } = target;
  switch (parts[3]) {
    case 'help':
      return textResponse(`${HELP_TEXT}\n`);
    case 'metadata':
      return jsonResponse(`${imageMetadataJson(instance)}\n`, 'application/vnd.dvid-nd-data+json');
    case 'extents':
      requireMethod(target, 'POST', 'extents');
      return postExtents(target);
    case 'resolution':
      requireMethod(target, 'POST', 'resolution');
      return postResolution(target);
    case 'info':
      requireMethod(target, 'GET', 'info');
      return jsonResponse(imageInfoJson(instance));
    case 'rawkey':
      if (parts.length !== 4) throw new Error('rawkey endpoint should be followed by query strings (x, y, and z) giving block coord');
      return emptyResponse();
    case 'raw':
    case 'isotropic':
      return handleRaw(target);
    case 'subvolblocks':
      return serveSubvolBlocks(blockStreamRequest(target));
    case 'specificblocks':
      return serveSpecificBlocks(blockStreamRequest(target));
    case 'arb':
      return readingConflicts(target, () => serveArb(target.context.state, instance, target.version, parts, request));
    case 'blocks':
      throw notEmulated(request.path, `the ${parts[3]} endpoint of ${instance.type.name}`);
    default:
      throw badApiRequest(target);
  }
}

async function serveInstance(context: MockContext, request: RouteRequest): Promise<Response> {
  const { repo, node } = context.state.resolveUuid(request.params.uuid);
  const instance = repo.instances.get(request.params.dataname);
  if (!instance) throw new Error('invalid data instance name');
  const keyword = request.params.keyword;
  if (keyword === 'blobstore') throw notEmulated(request.path, 'the blobstore endpoint');
  // instanceSelector: locked-node check for versioned instances, unversioned ones use the root.
  const registered = isImageInstance(instance) ? undefined : getDataType(instance.type.name);
  checkWritable(request, node, instance, keyword, registered?.isMutation?.bind(registered));
  const version = dataNode(repo, node, instance);
  if (!isImageInstance(instance)) {
    if (!registered) throw notEmulated(request.path, `datatype ${goQuote(instance.type.name)}`);
    return registered.handle({ context, request, repo, node, version, instance, keyword, parts: splitParts(request.path) });
  }
  if (request.method !== 'GET' && request.method !== 'POST') {
    throw new Error(`Data ${goQuote(instance.name)} can only handle GET or POST HTTP verbs`);
  }
  const parts = splitParts(request.path);
  if (parts.length < 4) throw new Error('Incomplete API request');
  checkAttenuation(request.query);
  return serveKeyword({ context, request, repo, instance, version, parts });
}

/**
 * The instance routes (image-block types).
 *
 * @example
 * ```ts
 * setupServer(...voxelHandlers(context))
 * ```
 */
export function voxelHandlers(context: MockContext): HttpHandler[] {
  const serve = (request: RouteRequest) => serveInstance(context, request);
  return [
    defineRoute(context, [...ANY_METHOD, 'OPTIONS'], '/api/node/:uuid/:dataname/:keyword/*', serve),
  ];
}
