/**
 * `GET /arb/{top left}/{top right}/{bottom left}/{res}[/{format}]` of image-block instances as
 * DVID v1.0.0 computes it (`imageblk/arb_image.go`): points in VoxelSize units, an image
 * ⌊|tr−tl|/res⌋+1 wide and ⌊|bl−tl|/res⌋+1 high, each pixel the trilinear interpolation of the
 * eight voxels around its point (float64 steps accumulated row by row, as DVID does). Unwritten
 * blocks read as the instance's Background. Like DVID, uint16/uint32/uint64/float32 instances
 * get an all-zero image (DVID's per-row computation fails and is only logged), and rgba8
 * instances read each voxel at byte offset = voxel index instead of 4 × index.
 *
 * @example
 * ```ts
 * serveArb(state, instance, node, parts, request) // 200 image/png, 26 × 11 for the SDK's test plane
 * ```
 * @module
 */
import { goParseFloat, GoParseError, goQuote } from '../goformat.js';
import { GoPanic } from '../http.js';
import type { ImageInstance } from '../imageblk.js';
import type { RouteRequest } from '../router.js';
import type { MockDvidState } from '../state.js';
import type { VersionNode } from '../versioned.js';
import { goImageFromVoxels } from './goimage.js';
import { goImageResponse } from './image-response.js';
import { takeThrottleSlot } from './throttle.js';

type Vector3 = [number, number, number];

const MAX_DATA_REQUEST = 3 * 2 ** 30;

function parseFloat64(text: string): number {
  try {
    return goParseFloat(text, 64);
  } catch (err) {
    if (err instanceof GoParseError) throw new Error(err.message);
    throw err;
  }
}

/** `dvid.StringToVector3d(text, "_")`. */
function parseVector(text: string): Vector3 {
  const parts = text.split('_');
  if (parts.length !== 3) throw new Error(`Can't convert string '${text}' (length ${parts.length}) to Vector3d`);
  return parts.map((part) => parseFloat64(part.trim())) as Vector3;
}

function distance(a: Vector3, b: Vector3): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const dz = b[2] - a[2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** Go's `int32(float64)` on amd64: out-of-range and NaN become -2^31. */
function toInt32(value: number): number {
  return Number.isFinite(value) && value >= -(2 ** 31) && value < 2 ** 31 ? Math.trunc(value) : -(2 ** 31);
}

function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return value.toFixed(6);
}

function describeVector(v: Vector3): string {
  return goQuote(`(${v.map(goFloat).join(',')})`);
}

/** The geometry of an arbitrary image: size and per-pixel steps. */
interface ArbPlane {
  topLeft: Vector3;
  width: number;
  height: number;
  stepX: Vector3;
  stepY: Vector3;
}

/** `NewArbSlice`: size and steps, with DVID's checks. */
function arbPlane(tl: Vector3, tr: Vector3, bl: Vector3, res: number, bytesPerVoxel: number): ArbPlane {
  const nx = Math.floor(distance(tl, tr) / res);
  const ny = Math.floor(distance(tl, bl) / res);
  const stepX = tr.map((v, i) => (v - tl[i]) / nx) as Vector3;
  const stepY = bl.map((v, i) => (v - tl[i]) / ny) as Vector3;
  const width = (toInt32(nx) + 1) | 0;
  const height = (toInt32(ny) + 1) | 0;
  const voxels = Math.imul(width, height);
  if (voxels <= 0) {
    throw new Error(
      `Bad arbitrary image size requested: Arbitrary ${width} x ${height} image: top left ${describeVector(tl)}, top right ${describeVector(tr)}, bottom left ${describeVector(bl)}, res ${goFloat(res)}`,
    );
  }
  if (width <= 0 || height <= 0) {
    // Both sides overflowed (a resolution of 0 or below): DVID's row loop indexes out of its buffer.
    throw new GoPanic('runtime error: slice bounds out of range');
  }
  if (voxels * bytesPerVoxel > MAX_DATA_REQUEST) {
    throw new Error(`Requested payload (${voxels * bytesPerVoxel} bytes) exceeds this DVID server's set limit (${MAX_DATA_REQUEST})`);
  }
  return { topLeft: tl, width, height, stepX, stepY };
}

/** Reads voxels for the interpolation, one block at a time (unwritten blocks: Background). */
class VoxelReader {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    private readonly instance: ImageInstance,
    private readonly version: VersionNode,
  ) {}

  /** The bytes at byte offset `index(voxel)` of the voxel's block, `count` of them. */
  bytesAt(voxel: Vector3, count: number, stride: number): Uint8Array {
    const [bx, by, bz] = this.instance.blockSize;
    const chunk = [Math.floor(voxel[0] / bx), Math.floor(voxel[1] / by), Math.floor(voxel[2] / bz)];
    const block = this.block(chunk as Vector3);
    const local = [voxel[0] - chunk[0] * bx, voxel[1] - chunk[1] * by, voxel[2] - chunk[2] * bz];
    const index = (local[2] * bx * by + local[1] * bx + local[0]) * stride;
    return block.subarray(index, index + count);
  }

  private block(chunk: Vector3): Uint8Array {
    const key = chunk.join(',');
    let data = this.cache.get(key);
    if (!data) {
      data = this.instance.store!.getBlock(chunk, this.version) ?? this.background();
      this.cache.set(key, data);
    }
    return data;
  }

  private background(): Uint8Array {
    const store = this.instance.store!;
    const block = new Uint8Array(store.blockBytes);
    if (this.instance.background !== 0 && store.bytesPerVoxel === 1) block.fill(this.instance.background);
    return block;
  }
}

/** The lattice around a point: the eight voxels and the fractional offsets. */
function neighbourhood(point: Vector3, res: Vector3): { corners: Vector3[]; frac: Vector3 } {
  const lo: Vector3 = [0, 0, 0];
  const hi: Vector3 = [0, 0, 0];
  const frac: Vector3 = [0, 0, 0];
  for (let d = 0; d < 3; d++) {
    const coord = point[d] / res[d];
    const f0 = Math.floor(coord);
    const f1 = Math.ceil(coord);
    lo[d] = toInt32(f0);
    hi[d] = toInt32(f1);
    if (lo[d] !== hi[d]) frac[d] = (point[d] - f0 * res[d]) / (f1 * res[d] - f0 * res[d]);
  }
  const corners: Vector3[] = [];
  for (let k = 0; k < 8; k++) corners.push([k & 1 ? hi[0] : lo[0], k & 2 ? hi[1] : lo[1], k & 4 ? hi[2] : lo[2]]);
  return { corners, frac };
}

/** `trilinearInterpUint8`. */
function trilinear(frac: Vector3, c: number[]): number {
  const [xd, yd, zd] = frac;
  const c00 = c[0] * (1 - xd) + c[1] * xd;
  const c10 = c[2] * (1 - xd) + c[3] * xd;
  const c01 = c[4] * (1 - xd) + c[5] * xd;
  const c11 = c[6] * (1 - xd) + c[7] * xd;
  const c0 = c00 * (1 - yd) + c10 * yd;
  const c1 = c01 * (1 - yd) + c11 * yd;
  const v = Math.floor(c0 * (1 - zd) + c1 * zd + 0.5);
  return v > 255 ? 255 : v & 255;
}

/** `computeValue` for uint8 (channels 1) and rgba8 (channels 4, DVID's byte addressing). */
function computeValue(reader: VoxelReader, point: Vector3, res: Vector3, channels: 1 | 4): Uint8Array {
  const { corners, frac } = neighbourhood(point, res);
  const values = corners.map((corner) => reader.bytesAt(corner, channels, 1));
  const out = new Uint8Array(channels);
  for (let c = 0; c < channels; c++) out[c] = trilinear(frac, values.map((v) => v[c]));
  return out;
}

function voxelResolution(instance: ImageInstance): Vector3 {
  const size = instance.voxelSize;
  if (size.length < 3) throw new GoPanic(`runtime error: index out of range [${size.length}] with length ${size.length}`);
  return [size[0], size[1], size[2]];
}

/** The image's bytes: computed for uint8 and rgba8, zero for the types DVID fails on. */
function arbBytes(instance: ImageInstance, version: VersionNode, plane: ArbPlane): Uint8Array {
  const bpv = instance.voxelType.bytesPerVoxel;
  const out = new Uint8Array(plane.width * plane.height * bpv);
  const channels = instance.voxelType.values.length === 4 ? 4 : bpv === 1 ? 1 : 0;
  if (channels === 0) return out;
  const res = voxelResolution(instance);
  const reader = new VoxelReader(instance, version);
  const left: Vector3 = [...plane.topLeft];
  for (let y = 0; y < plane.height; y++) {
    const point: Vector3 = [...left];
    for (let x = 0; x < plane.width; x++) {
      out.set(computeValue(reader, point, res, channels), (y * plane.width + x) * bpv);
      for (let d = 0; d < 3; d++) point[d] += plane.stepX[d];
    }
    for (let d = 0; d < 3; d++) left[d] += plane.stepY[d];
  }
  return out;
}

/**
 * Serves `GET /arb/...` (with `throttle=on|true` taking a throttle slot).
 *
 * @throws Error with DVID's message for bad points, resolution, size or format.
 * @example
 * ```ts
 * serveArb(state, instance, node, ['node', uuid, 'gray', 'arb', '0_0_0', '80_0_0', '0_80_0', '8'], request)
 * ```
 */
export function serveArb(state: MockDvidState, instance: ImageInstance, version: VersionNode, parts: readonly string[], request: RouteRequest): Response {
  if (parts.length < 8) throw new Error(`${goQuote(parts[3])} must be followed by top-left/top-right/bottom-left/res`);
  const release = takeThrottleSlot(state, request.query);
  try {
    const [tl, tr, bl] = parts.slice(4, 7).map(parseVector);
    const res = parseFloat64(parts[7]);
    const plane = arbPlane(tl, tr, bl, res, instance.voxelType.bytesPerVoxel);
    if (!instance.store) throw new GoPanic('runtime error: integer divide by zero');
    const bytes = arbBytes(instance, version, plane);
    const image = goImageFromVoxels(bytes, plane.width, plane.height, instance.voxelType);
    // dvid.ImageFromData uses the bytes as they are, also for Gray16 (all zero here anyway).
    return goImageResponse({ ...image, pix: bytes }, parts[8] ?? '', request.path);
  } finally {
    release();
  }
}
