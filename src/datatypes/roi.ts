/**
 * roi instances: a region of interest made of blocks (the instance's `BlockSize`, default 32³),
 * stored as runs along X. A run is a {@link RoiSpan} `[z, y, x0, x1]` in **block** coordinates,
 * `x1` inclusive; a list of spans is the ROI.
 *
 * - `putRoi` **replaces** the ROI at a version. DVID deletes the old spans before it checks the
 *   new ones, so a bad span would leave the ROI empty: the SDK checks every span first.
 * - `getRoiMask` returns a `uint8` {@link Volume} (1 inside, 0 outside) of shape
 *   `[1, nx, ny, nz]`, axes `'cxyz'`, Fortran order, like voxel reads. DVID v1.0.0's `/mask`
 *   divides the box's start by the block size rounding toward zero, so for a box starting at
 *   a negative coordinate it leaves out blocks it should include; for such boxes the SDK
 *   builds the mask from the spans itself ({@link rasterizeRoi}).
 * - `queryRoiPoints` answers for voxel points in request order; it is allowed on committed
 *   versions (DVID does not count it as a mutation even though it is a POST).
 * - `partitionRoi` covers the ROI with subvolumes of `batchSize³` blocks (DVID requires
 *   `batchsize`).
 *
 * DVID v1.0.0 has no tags and no sync endpoints for roi.
 *
 * @example
 * ```ts
 * const roi = client.roi(uuid, 'mushroom-body');
 * await roi.put([[0, 0, 0, 3], [0, 1, 0, 3]]);       // z=0: y=0 and y=1, x blocks 0..3
 * const mask = await roi.mask([0, 0, 0], [128, 64, 32]); // Volume<'uint8'> [1, 128, 64, 32]
 * await roi.contains([[10, 10, 10], [500, 0, 0]]);     // [true, false]
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';
import { Volume } from '../volume/index.js';
import {
  callFields,
  checkPoint3,
  getInstanceInfo,
  instancePath,
  underscored,
  InstanceAccessor,
  type InstanceCallOptions,
  type InstanceContext,
  type InstanceInfo,
} from './instance-common.js';

/**
 * One run of blocks: `[z, y, x0, x1]` in block coordinates, `x1` inclusive.
 *
 * @example
 * ```ts
 * const span: RoiSpan = [0, 0, 0, 3]; // z=0, y=0, x blocks 0..3
 * ```
 */
export type RoiSpan = [z: number, y: number, x0: number, x1: number];

/**
 * `Extended` of an roi's `/info`.
 *
 * @example
 * ```ts
 * const { BlockSize, MinZ, MaxZ }: RoiProperties = (await roi.info()).Extended;
 * ```
 */
export interface RoiProperties {
  BlockSize: [number, number, number];
  /** Lowest block Z with data (2147483647 when empty). */
  MinZ: number;
  /** Highest block Z with data (-2147483648 when empty). */
  MaxZ: number;
}

/**
 * A subvolume of a partition. Voxel and block bounds are inclusive.
 *
 * @example
 * ```ts
 * for (const sv of (await roi.partition(8)).Subvolumes) console.log(sv.MinPoint, sv.MaxPoint);
 * ```
 */
export interface RoiSubvolume {
  MinPoint: [number, number, number];
  MaxPoint: [number, number, number];
  MinChunk: [number, number, number];
  MaxChunk: [number, number, number];
  TotalBlocks: number;
  ActiveBlocks: number;
}

/**
 * What `GET /partition` returns.
 *
 * @example
 * ```ts
 * const p: RoiPartition = await roi.partition(8); p.NumSubvolumes;
 * ```
 */
export interface RoiPartition {
  NumTotalBlocks: number;
  NumActiveBlocks: number;
  NumSubvolumes: number;
  /** Block bounds of the covered ROI. */
  ROI: { MinChunk: [number, number, number]; MaxChunk: [number, number, number] };
  Subvolumes: RoiSubvolume[];
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isInt32(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX;
}

/**
 * Checks spans: four int32 each, `x1 ≥ x0`.
 *
 * @throws {@link DvidArgumentError} naming the first bad span.
 * @example
 * ```ts
 * checkSpans([[0, 0, 3, 1]]); // throws: x1 < x0
 * ```
 */
export function checkSpans(spans: unknown): RoiSpan[] {
  if (!Array.isArray(spans)) throw new DvidArgumentError('spans', 'expected an array of [z, y, x0, x1] spans');
  return spans.map((s, i) => {
    if (!Array.isArray(s) || s.length !== 4 || !s.every(isInt32)) {
      throw new DvidArgumentError(`spans[${i}]`, `expected [z, y, x0, x1] block coordinates (int32), got ${JSON.stringify(s)}`);
    }
    if (s[3] < s[2]) throw new DvidArgumentError(`spans[${i}]`, `x1 (${s[3]}) < x0 (${s[2]}) in ${JSON.stringify(s)}`);
    return [s[0], s[1], s[2], s[3]] as RoiSpan;
  });
}

/**
 * Reads the ROI's spans at this version (`GET /roi`), sorted by z, y, x0. Spans come back as
 * they were stored: DVID does not merge touching or overlapping runs.
 *
 * @example
 * ```ts
 * await getRoi(ctx); // [[0, 0, 0, 3], [0, 1, 0, 3]]
 * ```
 */
export async function getRoi(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<RoiSpan[]> {
  const spans = await ctx.transport.requestJson<RoiSpan[] | null>({
    path: instancePath(ctx, 'roi'),
    attempted: `read ROI "${ctx.name}"`,
    ...callFields(options),
  });
  return spans ?? [];
}

/**
 * Replaces the ROI at this version with these spans (`POST /roi`). Every span is checked first
 * (DVID would empty the ROI before rejecting a bad one).
 *
 * @throws {@link DvidArgumentError} before any request for a malformed span.
 * @example
 * ```ts
 * await putRoi(ctx, [[0, 0, 0, 3], [1, 0, 0, 3]]);
 * ```
 */
export async function putRoi(ctx: InstanceContext, spans: readonly RoiSpan[], options: InstanceCallOptions = {}): Promise<void> {
  const checked = checkSpans(spans);
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'roi'),
    body: JSON.stringify(checked),
    headers: { 'Content-Type': 'application/json' },
    attempted: `write ROI "${ctx.name}" (${checked.length} spans)`,
    idempotent: true,
    ...callFields(options),
  });
}

/**
 * Deletes the ROI at this version (`DELETE /roi`); earlier versions keep theirs.
 *
 * @example
 * ```ts
 * await deleteRoi(ctx);
 * ```
 */
export async function deleteRoi(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<void> {
  await ctx.transport.request({
    method: 'DELETE',
    path: instancePath(ctx, 'roi'),
    attempted: `delete ROI "${ctx.name}"`,
    ...callFields(options),
  });
}

/**
 * The ROI as a mask over the voxel box `[start, stop)` (`GET /mask/0_1_2/{size}/{offset}`): a
 * `uint8` Volume of shape `[1, nx, ny, nz]` (axes `'cxyz'`, Fortran order), 1 inside.
 *
 * @throws {@link DvidArgumentError} before any request for an empty or inverted box.
 * @example
 * ```ts
 * const mask = await getRoiMask(ctx, [0, 0, 0], [64, 64, 64]);
 * mask.item(0, 10, 10, 10); // 1 when voxel (10, 10, 10) is inside
 * ```
 */
export async function getRoiMask(
  ctx: InstanceContext,
  start: readonly number[],
  stop: readonly number[],
  options: InstanceCallOptions = {},
): Promise<Volume<'uint8'>> {
  const s = checkPoint3(start, 'start');
  const e = checkPoint3(stop, 'stop');
  const size = [e[0] - s[0], e[1] - s[1], e[2] - s[2]];
  if (!size.every((n) => n > 0)) throw new DvidArgumentError('stop', `stop ${JSON.stringify(e)} must exceed start ${JSON.stringify(s)} on every axis`);
  if (s.some((v) => v < 0)) {
    // DVID's /mask misses blocks here (see the module notes): build it from the spans.
    const [info, spans] = await Promise.all([getInstanceInfo<RoiProperties>(ctx, options), getRoi(ctx, options)]);
    return rasterizeRoi(spans, info.Extended.BlockSize, s, e);
  }
  const bytes = await ctx.transport.requestBytes({
    path: instancePath(ctx, 'mask', ['0_1_2', underscored(size), underscored(s)], ['shape', 'size', 'offset']),
    attempted: `read mask of ROI "${ctx.name}"`,
    ...callFields(options),
  });
  const expected = size[0] * size[1] * size[2];
  if (bytes.length !== expected) {
    throw new DecodeError('roi-mask', `expected ${expected} mask bytes for a ${size.join('×')} box, got ${bytes.length}`);
  }
  return Volume.from(bytes, [1, size[0], size[1], size[2]], { axes: 'cxyz' }) as Volume<'uint8'>;
}

/**
 * Builds the mask of spans over the voxel box `[start, stop)` locally (block of a voxel =
 * `floor(voxel / blockSize)`): a `uint8` Volume `[1, nx, ny, nz]`, axes `'cxyz'`.
 *
 * @example
 * ```ts
 * rasterizeRoi([[0, 0, 0, 0]], [32, 32, 32], [-2, 0, 0], [2, 1, 1]).toTypedArray(); // [0, 0, 1, 1]
 * ```
 */
export function rasterizeRoi(
  spans: readonly RoiSpan[],
  blockSize: readonly number[],
  start: readonly number[],
  stop: readonly number[],
): Volume<'uint8'> {
  const s = checkPoint3(start, 'start');
  const e = checkPoint3(stop, 'stop');
  const bs = checkPoint3(blockSize, 'blockSize');
  if (!bs.every((b) => b > 0)) throw new DvidArgumentError('blockSize', 'block sizes must be positive');
  const [nx, ny, nz] = [e[0] - s[0], e[1] - s[1], e[2] - s[2]];
  if (!(nx > 0 && ny > 0 && nz > 0)) throw new DvidArgumentError('stop', 'stop must exceed start on every axis');
  const data = new Uint8Array(nx * ny * nz);
  for (const [bz, by, bx0, bx1] of checkSpans(spans)) {
    const z0 = Math.max(bz * bs[2], s[2]);
    const z1 = Math.min((bz + 1) * bs[2], e[2]);
    const y0 = Math.max(by * bs[1], s[1]);
    const y1 = Math.min((by + 1) * bs[1], e[1]);
    const x0 = Math.max(bx0 * bs[0], s[0]);
    const x1 = Math.min((bx1 + 1) * bs[0], e[0]);
    if (z0 >= z1 || y0 >= y1 || x0 >= x1) continue;
    for (let z = z0; z < z1; z++) {
      for (let y = y0; y < y1; y++) {
        const row = (z - s[2]) * nx * ny + (y - s[1]) * nx;
        data.fill(1, row + x0 - s[0], row + x1 - s[0]);
      }
    }
  }
  return Volume.from(data, [1, nx, ny, nz], { axes: 'cxyz' }) as Volume<'uint8'>;
}

/**
 * Which voxel points `[x, y, z]` lie inside the ROI (`POST /ptquery`), in request order.
 *
 * @example
 * ```ts
 * await queryRoiPoints(ctx, [[0, 0, 0], [1000, 0, 0]]); // [true, false]
 * ```
 */
export async function queryRoiPoints(ctx: InstanceContext, points: readonly (readonly number[])[], options: InstanceCallOptions = {}): Promise<boolean[]> {
  if (!Array.isArray(points)) throw new DvidArgumentError('points', 'expected an array of [x, y, z] points');
  const checked = points.map((p, i) => checkPoint3(p, `points[${i}]`));
  if (checked.length === 0) return [];
  const answer = await ctx.transport.requestJson<boolean[]>({
    method: 'POST',
    path: instancePath(ctx, 'ptquery'),
    body: JSON.stringify(checked),
    headers: { 'Content-Type': 'application/json' },
    attempted: `query ${checked.length} points in ROI "${ctx.name}"`,
    idempotent: true,
    ...callFields(options),
  });
  if (!Array.isArray(answer) || answer.length !== checked.length) {
    throw new DecodeError('json', `expected ${checked.length} booleans from ptquery, got ${JSON.stringify(answer).slice(0, 100)}`);
  }
  return answer;
}

/**
 * Options for {@link partitionRoi}.
 *
 * @example
 * ```ts
 * await roi.partition(8, { optimized: true } satisfies PartitionOptions);
 * ```
 */
export interface PartitionOptions extends InstanceCallOptions {
  /**
   * DVID's `optimized=true`: variable-sized subvolumes that try to hold more active blocks.
   * @default false (fixed-size subvolumes centred over the ROI)
   */
  optimized?: boolean;
}

/**
 * Covers the ROI with subvolumes of `batchSize` blocks along each axis (`GET /partition`).
 *
 * @throws {@link DvidArgumentError} before any request unless `batchSize` is a positive integer.
 * @example
 * ```ts
 * const { Subvolumes } = await partitionRoi(ctx, 8);
 * for (const sv of Subvolumes) console.log(sv.MinPoint, sv.MaxPoint, sv.ActiveBlocks);
 * ```
 */
export async function partitionRoi(ctx: InstanceContext, batchSize: number, options: PartitionOptions = {}): Promise<RoiPartition> {
  if (!Number.isInteger(batchSize) || batchSize <= 0 || batchSize > INT32_MAX) {
    throw new DvidArgumentError('batchSize', `expected a positive integer, got ${batchSize}`);
  }
  return ctx.transport.requestJson<RoiPartition>({
    path: instancePath(ctx, 'partition'),
    query: { batchsize: batchSize, optimized: options.optimized ? 'true' : undefined },
    attempted: `partition ROI "${ctx.name}" into ${batchSize}³-block subvolumes`,
    ...callFields(options),
  });
}

/**
 * The number of blocks the spans cover (overlapping spans counted once).
 *
 * @example
 * ```ts
 * countRoiBlocks([[0, 0, 0, 3], [0, 0, 2, 5]]); // 6
 * ```
 */
export function countRoiBlocks(spans: readonly RoiSpan[]): number {
  const byRow = new Map<string, [number, number][]>();
  for (const [z, y, x0, x1] of checkSpans(spans)) {
    const key = `${z},${y}`;
    const runs = byRow.get(key) ?? [];
    runs.push([x0, x1]);
    byRow.set(key, runs);
  }
  let total = 0;
  for (const runs of byRow.values()) {
    runs.sort((a, b) => a[0] - b[0]);
    let end = -Infinity;
    for (const [x0, x1] of runs) {
      const from = Math.max(x0, end + 1);
      if (x1 >= from) total += x1 - from + 1;
      end = Math.max(end, x1);
    }
  }
  return total;
}

/**
 * One roi instance at one version. Make it with `client.roi(uuid, name)` or
 * `client.createRoi(uuid, name, {blockSize})`.
 *
 * @example
 * ```ts
 * const roi = client.roi(uuid, 'mb');
 * await roi.put([[0, 0, 0, 1]]);
 * await roi.get(); // [[0, 0, 0, 1]]
 * ```
 */
export class RoiInstance extends InstanceAccessor {
  /**
   * The same ROI at another version.
   *
   * @example
   * ```ts
   * await roi.at(parent).get();
   * ```
   */
  at(uuid: string): RoiInstance {
    return new RoiInstance({ ...this.ctx, uuid });
  }

  /**
   * `GET /info` (block size and Z extent).
   *
   * @example
   * ```ts
   * (await roi.info()).Extended.BlockSize; // [32, 32, 32]
   * ```
   */
  info(options?: InstanceCallOptions): Promise<InstanceInfo<RoiProperties>> {
    return getInstanceInfo<RoiProperties>(this.ctx, options);
  }

  /**
   * The spans. See {@link getRoi}.
   *
   * @example
   * ```ts
   * await roi.get();
   * ```
   */
  get(options?: InstanceCallOptions): Promise<RoiSpan[]> {
    return getRoi(this.ctx, options);
  }

  /**
   * Replaces the ROI. See {@link putRoi}.
   *
   * @example
   * ```ts
   * await roi.put([[0, 0, 0, 1]]);
   * ```
   */
  put(spans: readonly RoiSpan[], options?: InstanceCallOptions): Promise<void> {
    return putRoi(this.ctx, spans, options);
  }

  /**
   * Deletes the ROI at this version.
   *
   * @example
   * ```ts
   * await roi.delete();
   * ```
   */
  delete(options?: InstanceCallOptions): Promise<void> {
    return deleteRoi(this.ctx, options);
  }

  /**
   * A uint8 mask over `[start, stop)`. See {@link getRoiMask}.
   *
   * @example
   * ```ts
   * await roi.mask([0, 0, 0], [64, 64, 64]);
   * ```
   */
  mask(start: readonly number[], stop: readonly number[], options?: InstanceCallOptions): Promise<Volume<'uint8'>> {
    return getRoiMask(this.ctx, start, stop, options);
  }

  /**
   * Point-in-ROI tests. See {@link queryRoiPoints}.
   *
   * @example
   * ```ts
   * await roi.contains([[0, 0, 0]]);
   * ```
   */
  contains(points: readonly (readonly number[])[], options?: InstanceCallOptions): Promise<boolean[]> {
    return queryRoiPoints(this.ctx, points, options);
  }

  /**
   * Subvolumes covering the ROI. See {@link partitionRoi}.
   *
   * @example
   * ```ts
   * await roi.partition(8);
   * ```
   */
  partition(batchSize: number, options?: PartitionOptions): Promise<RoiPartition> {
    return partitionRoi(this.ctx, batchSize, options);
  }
}
