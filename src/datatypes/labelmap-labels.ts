/**
 * Per-label reads of a labelmap instance (point queries, sizes, sparse volumes, supervoxels and
 * mapping, label listings); label allocation and the proofreading operations are in
 * `labelmap-mutations.ts`. IDs are `bigint` in
 * and out (numbers are accepted when they are safe integers); JSON is parsed and written without
 * precision loss. Label 0 (background) is refused before any request, as DVID would refuse it.
 *
 * Absent labels: DVID answers 404 with an empty body for `size`, `sparsevol*`, `supervoxels`,
 * `supervoxel-sizes` and `lastmod`. These functions turn that into `null` (object results), `0n`
 * (sizes, as DVID's own batch `sizes` does) or `false` (`labelExists`).
 *
 * @example
 * ```ts
 * const label = await getLabelAt(ctx, [100, 200, 300]);
 * const size = await getLabelSize(ctx, label);
 * ```
 * @module
 */
import {
  clipRuns,
  decodeMaskBlocks,
  decodeRles,
  decodeStreamingRles,
  type MaskBlocks,
  type RunList,
} from '../codecs/rle.js';
import { DecodeError, DvidArgumentError } from '../errors.js';
import { parseJsonWithBigInts, stringifyJsonWithBigInts } from '../transport/json.js';
import type { QueryValues } from '../transport/transport.js';
import {
  checkPoint,
  expectBigintArray,
  expectBigintField,
  labelmapPath,
  mapLimited,
  readQuery,
  requestLabelmapJson,
  throwUnexpectedJson,
  toLabelId,
  toLabelIds,
  type LabelId,
  type LabelmapCallOptions,
  type LabelmapContext,
  type Vec3,
} from './labelmap-common.js';
import { readLabelBox } from './labelmap-read.js';

/** Options of reads that take a scale and the supervoxel switch. */
export interface LabelReadOptions extends LabelmapCallOptions {
  /** Resolution level of coordinates and results. @default 0 */
  scale?: number;
  /** Supervoxel IDs instead of mapped labels. @default false */
  supervoxels?: boolean;
}

/** Options for {@link getLabelsAt}. */
export interface LabelsAtOptions extends LabelReadOptions {
  /**
   * Requests in flight for the per-point fallback used where GET cannot carry a body (browsers).
   * @default 8
   */
  concurrency?: number;
}

/** A voxel box for sparse-volume calls: `start` inclusive, `stop` exclusive, scale-0 voxels. */
export interface SparsevolBounds {
  start?: readonly [number, number, number];
  stop?: readonly [number, number, number];
}

/** Options for {@link getSparsevol}. */
export interface SparsevolOptions extends LabelReadOptions {
  /** `rles` (default), `srles` (no header) or `blocks` (binary masks). */
  format?: 'rles' | 'srles' | 'blocks';
  /**
   * Only runs inside this box. `rles`/`srles` are exact to the voxel (DVID trims them, and the
   * SDK clips the few runs DVID lets run on to the next 8-voxel sub-block); `blocks` selects
   * whole blocks (DVID does not trim them).
   */
  bounds?: SparsevolBounds;
  /** With bounds: `false` lets DVID return whole blocks' runs (faster, not voxel-exact). @default true */
  exact?: boolean;
}

/** `GET /sparsevol-size/{label}`: voxel count and block-accurate bounds. */
export interface SparsevolSize {
  voxels: bigint;
  numBlocks: number;
  /** First voxel of the first block (block-aligned, not voxel-exact). */
  minVoxel: Vec3;
  /** Last voxel of the last block (inclusive, block-aligned). */
  maxVoxel: Vec3;
}

/** `GET /lastmod/{label}`. */
export interface LastModified {
  mutationId: bigint;
  user: string;
  app: string;
  /** RFC 3339 time, or `''` when the label was only ever ingested. */
  time: string;
}

// ---- helpers ---------------------------------------------------------------------------------------

/** GET that answers 404 (empty body) for absent labels: `null` then, the body bytes otherwise. */
async function getOrAbsent(
  ctx: LabelmapContext,
  keyword: string,
  what: string,
  options: LabelmapCallOptions & { query?: QueryValues },
): Promise<Uint8Array | null> {
  const response = await ctx.transport.request({
    path: labelmapPath(ctx, keyword),
    query: options.query,
    attempted: `${what} on "${ctx.name}"`,
    okStatuses: [200, 404],
    idempotent: true,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  const body = new Uint8Array(await response.arrayBuffer());
  if (response.status === 404) return null;
  return body;
}

async function getJsonOrAbsent(ctx: LabelmapContext, keyword: string, what: string, options: LabelmapCallOptions & { query?: QueryValues }): Promise<unknown> {
  const body = await getOrAbsent(ctx, keyword, what, options);
  if (body === null) return null;
  const text = new TextDecoder().decode(body);
  try {
    return parseJsonWithBigInts(text, 'all');
  } catch (cause) {
    throw new DecodeError('json', `While attempting to ${what} on "${ctx.name}": DVID's response is not JSON: ${text.slice(0, 200)}`, { cause });
  }
}

function boundsQuery(bounds: SparsevolBounds | undefined): QueryValues {
  if (!bounds) return {};
  const q: QueryValues = {};
  if (bounds.start) {
    const s = checkPoint(bounds.start, 'bounds.start');
    q.minx = s[0];
    q.miny = s[1];
    q.minz = s[2];
  }
  if (bounds.stop) {
    const s = checkPoint(bounds.stop, 'bounds.stop');
    q.maxx = s[0] - 1;
    q.maxy = s[1] - 1;
    q.maxz = s[2] - 1;
  }
  if (bounds.start && bounds.stop && [0, 1, 2].some((a) => (bounds.stop as Vec3)[a] <= (bounds.start as Vec3)[a])) {
    throw new DvidArgumentError('bounds', `empty box [${bounds.start.join(',')}]–[${bounds.stop.join(',')}]`);
  }
  return q;
}

// ---- point queries ------------------------------------------------------------------------------------

/**
 * The label (or supervoxel) at one voxel: `GET /label/{x_y_z}`; points with a negative
 * coordinate are read as a one-voxel `/raw` box instead (DVID v1.0.0 answers `/label` wrongly there).
 *
 * @example
 * ```ts
 * const body = await getLabelAt(ctx, [100, 200, 300]);
 * const sv = await getLabelAt(ctx, [100, 200, 300], { supervoxels: true });
 * ```
 */
export async function getLabelAt(ctx: LabelmapContext, point: readonly number[], options: LabelReadOptions = {}): Promise<bigint> {
  const p = checkPoint(point, 'point');
  if (p.some((v) => v < 0)) return readOneVoxel(ctx, p, options);
  const data = await requestLabelmapJson(ctx, `label/${p.join('_')}`, `read the label at (${p.join(',')})`, {
    ...options,
    query: readQuery(options.scale ?? 0, options.supervoxels),
    idempotent: true,
  });
  return expectBigintField(ctx, 'label', data, 'Label');
}

/**
 * DVID v1.0.0 answers `/label` and `/labels` wrongly for points with a negative coordinate (it
 * looks in the wrong place of the block); `/raw` of one voxel is right everywhere.
 */
async function readOneVoxel(ctx: LabelmapContext, p: Vec3, options: LabelReadOptions): Promise<bigint> {
  const one = await readLabelBox(ctx, p, [p[0] + 1, p[1] + 1, p[2] + 1], {
    transfer: 'raw',
    scale: options.scale,
    supervoxels: options.supervoxels,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  return one[0];
}

/**
 * The labels at many voxels: `GET /labels` with the points as the body (Node, Deno). Where GET
 * cannot carry a body (browsers) it asks `GET /label/{x_y_z}` per point, `concurrency` at a time.
 *
 * @example
 * ```ts
 * const labels = await getLabelsAt(ctx, [[0, 0, 0], [10, 20, 30]]); // BigUint64Array(2)
 * ```
 */
export async function getLabelsAt(
  ctx: LabelmapContext,
  points: readonly (readonly number[])[],
  options: LabelsAtOptions = {},
): Promise<BigUint64Array> {
  if (!Array.isArray(points)) throw new DvidArgumentError('points', 'expected an array of [x, y, z]');
  const checked = points.map((p, i) => checkPoint(p, `points[${i}]`));
  if (checked.length === 0) return new BigUint64Array(0);
  const limit = Math.max(1, options.concurrency ?? 8);
  if (!ctx.transport.canSendGetBody) {
    const labels = await mapLimited(checked, limit, (p) => getLabelAt(ctx, p, options));
    return BigUint64Array.from(labels);
  }
  const out = new BigUint64Array(checked.length);
  const negative = checked.map((p, i) => (p.some((v) => v < 0) ? i : -1)).filter((i) => i >= 0);
  const batch = checked.map((_, i) => i).filter((i) => !negative.includes(i));
  if (batch.length > 0) {
    const data = await requestLabelmapJson(ctx, 'labels', `read the labels at ${batch.length} points`, {
      ...options,
      query: readQuery(options.scale ?? 0, options.supervoxels),
      body: JSON.stringify(batch.map((i) => checked[i])),
      idempotent: true,
    });
    expectBigintArray(ctx, 'labels', data, batch.length).forEach((label, k) => (out[batch[k]] = label));
  }
  const singles = await mapLimited(negative, limit, (i) => readOneVoxel(ctx, checked[i], options));
  singles.forEach((label, k) => (out[negative[k]] = label));
  return out;
}

// ---- sizes and existence ------------------------------------------------------------------------------

/**
 * Whether DVID's label index knows the label (or supervoxel): `GET /size/{label}` answered 200
 * rather than 404.
 *
 * @example
 * ```ts
 * if (!(await labelExists(ctx, 7n))) console.log('no label 7');
 * ```
 */
export async function labelExists(ctx: LabelmapContext, label: LabelId, options: LabelReadOptions = {}): Promise<boolean> {
  return (await getLabelSize(ctx, label, options)) > 0n;
}

/**
 * Voxel count of a label (or supervoxel) from DVID's label index: `GET /size/{label}`; `0n`
 * when DVID does not know it (404).
 *
 * @example
 * ```ts
 * await getLabelSize(ctx, 7n); // 262144n
 * ```
 */
export async function getLabelSize(ctx: LabelmapContext, label: LabelId, options: LabelReadOptions = {}): Promise<bigint> {
  const id = toLabelId(label, 'label');
  const data = await getJsonOrAbsent(ctx, `size/${id}`, `read the size of label ${id}`, {
    ...options,
    query: options.supervoxels ? { supervoxels: 'true' } : {},
  });
  if (data === null) return 0n;
  return expectBigintField(ctx, 'size', data, 'voxels');
}

/**
 * Voxel counts of many labels: `GET /sizes` with the labels as the body (0 for unknown labels).
 * Where GET cannot carry a body (browsers) it asks `GET /size/{label}` per label.
 *
 * @example
 * ```ts
 * const [a, b] = await getLabelSizes(ctx, [7n, 9n]);
 * ```
 */
export async function getLabelSizes(
  ctx: LabelmapContext,
  labels: Iterable<LabelId>,
  options: LabelReadOptions & { concurrency?: number } = {},
): Promise<BigUint64Array> {
  const ids = toLabelIds(labels, 'labels');
  if (ids.length === 0) return new BigUint64Array(0);
  if (!ctx.transport.canSendGetBody) {
    return BigUint64Array.from(await mapLimited(ids, Math.max(1, options.concurrency ?? 8), (id) => getLabelSize(ctx, id, options)));
  }
  const data = await requestLabelmapJson(ctx, 'sizes', `read the sizes of ${ids.length} labels`, {
    ...options,
    query: options.supervoxels ? { supervoxels: 'true' } : {},
    body: stringifyJsonWithBigInts(ids),
    idempotent: true,
  });
  return expectBigintArray(ctx, 'sizes', data, ids.length);
}

/**
 * Voxel count and block-aligned bounding box: `GET /sparsevol-size/{label}`; `null` when absent.
 *
 * @example
 * ```ts
 * const s = await getSparsevolSize(ctx, 7n); // { voxels: 262144n, numBlocks: 1, minVoxel: [0,0,0], maxVoxel: [63,63,63] }
 * ```
 */
export async function getSparsevolSize(ctx: LabelmapContext, label: LabelId, options: LabelReadOptions = {}): Promise<SparsevolSize | null> {
  const id = toLabelId(label, 'label');
  const data = (await getJsonOrAbsent(ctx, `sparsevol-size/${id}`, `read the sparsevol size of label ${id}`, {
    ...options,
    query: options.supervoxels ? { supervoxels: 'true' } : {},
  })) as Record<string, unknown> | null;
  if (data === null) return null;
  const point = (key: string): Vec3 => {
    const v = data[key];
    if (!Array.isArray(v) || v.length !== 3 || !v.every((n) => typeof n === 'bigint')) throwUnexpectedJson(ctx, 'sparsevol-size', data);
    return (v as bigint[]).map(Number) as Vec3;
  };
  return {
    voxels: expectBigintField(ctx, 'sparsevol-size', data, 'voxels'),
    numBlocks: Number(expectBigintField(ctx, 'sparsevol-size', data, 'numblocks')),
    minVoxel: point('minvoxel'),
    maxVoxel: point('maxvoxel'),
  };
}

// ---- sparse volumes ----------------------------------------------------------------------------------

/**
 * The voxels of a label as runs along x (`format` `rles` or `srles`) or binary-mask blocks
 * (`blocks`): `GET /sparsevol/{label}`. `null` when DVID does not know the label (404); no runs
 * when it knows the label but nothing lies in the bounds or at the scale (DVID's empty 200).
 *
 * @example
 * ```ts
 * const runs = await getSparsevol(ctx, 7n);                        // RunList | null
 * const masks = await getSparsevol(ctx, 7n, { format: 'blocks' }); // MaskBlocks | null
 * ```
 */
export async function getSparsevol(
  ctx: LabelmapContext,
  label: LabelId,
  options: SparsevolOptions & { format: 'blocks' },
): Promise<MaskBlocks | null>;
export async function getSparsevol(
  ctx: LabelmapContext,
  label: LabelId,
  options?: SparsevolOptions & { format?: 'rles' | 'srles' },
): Promise<RunList | null>;
export async function getSparsevol(
  ctx: LabelmapContext,
  label: LabelId,
  options: SparsevolOptions = {},
): Promise<RunList | MaskBlocks | null> {
  const id = toLabelId(label, 'label');
  const format = options.format ?? 'rles';
  if (!['rles', 'srles', 'blocks'].includes(format)) {
    throw new DvidArgumentError('format', `expected 'rles', 'srles' or 'blocks', got ${JSON.stringify(format)}`);
  }
  const query = readQuery(options.scale ?? 0, options.supervoxels, {
    ...(format === 'rles' ? {} : { format }),
    ...boundsQuery(options.bounds),
    ...(options.exact === false ? { exact: 'false' } : {}),
  });
  const body = await getOrAbsent(ctx, `sparsevol/${id}`, `read the sparse volume of label ${id}`, { ...options, query });
  if (body === null) return null;
  const block = `label ${id}`;
  if (format === 'blocks') return decodeMaskBlocks(body, { block });
  const runs = format === 'srles' ? decodeStreamingRles(body, { block }) : decodeRles(body, { block });
  // DVID's "exact" bounds still let a run end at the next 8-voxel sub-block boundary past maxx.
  if (options.bounds && options.exact !== false) {
    const b = options.bounds;
    return clipRuns(runs, b.start ?? [-Infinity, -Infinity, -Infinity], b.stop ?? [Infinity, Infinity, Infinity]);
  }
  return runs;
}

/**
 * The blocks a label touches, as runs of **block** coordinates: `GET /sparsevol-coarse/{label}`;
 * `null` when absent.
 *
 * @example
 * ```ts
 * const blocks = await getSparsevolCoarse(ctx, 7n); // countRunVoxels(blocks) = blocks touched
 * ```
 */
export async function getSparsevolCoarse(
  ctx: LabelmapContext,
  label: LabelId,
  options: LabelReadOptions & { bounds?: SparsevolBounds } = {},
): Promise<RunList | null> {
  const id = toLabelId(label, 'label');
  const query = { ...boundsQuery(options.bounds), ...(options.supervoxels ? { supervoxels: 'true' } : {}) };
  const body = await getOrAbsent(ctx, `sparsevol-coarse/${id}`, `read the coarse sparse volume of label ${id}`, { ...options, query });
  if (body === null) return null;
  return decodeRles(body, { block: `label ${id} (coarse)` });
}

// ---- supervoxels and mapping --------------------------------------------------------------------------

/**
 * The supervoxels of a label (unordered): `GET /supervoxels/{label}`; `null` when absent.
 *
 * @example
 * ```ts
 * const svs = await getSupervoxels(ctx, 7n); // BigUint64Array [7n, 9n]
 * ```
 */
export async function getSupervoxels(ctx: LabelmapContext, label: LabelId, options: LabelmapCallOptions = {}): Promise<BigUint64Array | null> {
  const id = toLabelId(label, 'label');
  const data = await getJsonOrAbsent(ctx, `supervoxels/${id}`, `read the supervoxels of label ${id}`, options);
  return data === null ? null : expectBigintArray(ctx, 'supervoxels', data);
}

/**
 * The supervoxels of a label with their voxel counts (parallel arrays): `GET /supervoxel-sizes/{label}`;
 * `null` when absent.
 *
 * @example
 * ```ts
 * const { supervoxels, sizes } = (await getSupervoxelSizes(ctx, 7n))!;
 * ```
 */
export async function getSupervoxelSizes(
  ctx: LabelmapContext,
  label: LabelId,
  options: LabelmapCallOptions = {},
): Promise<{ supervoxels: BigUint64Array; sizes: BigUint64Array } | null> {
  const id = toLabelId(label, 'label');
  const data = (await getJsonOrAbsent(ctx, `supervoxel-sizes/${id}`, `read the supervoxel sizes of label ${id}`, options)) as
    | Record<string, unknown>
    | null;
  if (data === null) return null;
  const supervoxels = expectBigintArray(ctx, 'supervoxel-sizes', data.supervoxels);
  const sizes = expectBigintArray(ctx, 'supervoxel-sizes', data.sizes, supervoxels.length);
  return { supervoxels, sizes };
}

/**
 * The labels the supervoxels map to (`0n` for unknown supervoxels): `GET /mapping` with the
 * supervoxels as the body. Needs GET with a body, which browsers cannot send and DVID offers no
 * alternative for: there it throws a {@link DvidArgumentError} before any request.
 *
 * @example
 * ```ts
 * const labels = await getMapping(ctx, [9n, 11n]); // BigUint64Array [7n, 0n]
 * ```
 */
export async function getMapping(
  ctx: LabelmapContext,
  supervoxels: Iterable<LabelId>,
  options: LabelmapCallOptions & { nolookup?: boolean } = {},
): Promise<BigUint64Array> {
  const ids = toLabelIds(supervoxels, 'supervoxels');
  if (!ctx.transport.canSendGetBody) {
    throw new DvidArgumentError(
      'runtime',
      'GET /mapping takes the supervoxels in the body of a GET, which browsers cannot send, and DVID has no other endpoint for it; call it from Node or Deno',
    );
  }
  if (ids.length === 0) return new BigUint64Array(0);
  const data = await requestLabelmapJson(ctx, 'mapping', `map ${ids.length} supervoxels`, {
    ...options,
    query: options.nolookup ? { nolookup: 'true' } : {},
    body: stringifyJsonWithBigInts(ids),
    idempotent: true,
  });
  return expectBigintArray(ctx, 'mapping', data, ids.length);
}

/**
 * The last mutation of a label: `GET /lastmod/{label}`; `null` when absent.
 *
 * @example
 * ```ts
 * const mod = await getLastModified(ctx, 7n); // { mutationId: 1000000011n, user: 'alice', app: 'tool', time: '2026-…' }
 * ```
 */
export async function getLastModified(ctx: LabelmapContext, label: LabelId, options: LabelmapCallOptions = {}): Promise<LastModified | null> {
  const id = toLabelId(label, 'label');
  const data = (await getJsonOrAbsent(ctx, `lastmod/${id}`, `read the last modification of label ${id}`, options)) as Record<string, unknown> | null;
  if (data === null) return null;
  const text = (key: string): string => {
    const v = data[key];
    if (typeof v !== 'string') throwUnexpectedJson(ctx, 'lastmod', data);
    return v;
  };
  return {
    mutationId: expectBigintField(ctx, 'lastmod', data, 'mutation id'),
    user: text('last mod user'),
    app: text('last mod app'),
    time: text('last mod time'),
  };
}

const LISTLABELS_CODEC = 'dvid-listlabels';

/** One entry of {@link listLabels}. */
export interface ListedLabel {
  label: bigint;
  /** Voxel count, with `sizes: true`. */
  voxels?: bigint;
}

/** Options for {@link listLabels}. */
export interface ListLabelsOptions extends LabelmapCallOptions {
  /** First label to list (inclusive). @default 0 */
  start?: LabelId;
  /** How many labels at most (DVID caps it at 10,000,000). */
  number?: number;
  /** Also return each label's voxel count. */
  sizes?: boolean;
}

/**
 * Streams the labels of DVID's label index in increasing order (`GET /listlabels`), decoding the
 * little-endian uint64s as they arrive. DVID signals a failure after the 200 header by four zero
 * uint64s, raised here as a {@link DecodeError}.
 *
 * @example
 * ```ts
 * for await (const { label, voxels } of listLabels(ctx, { sizes: true })) console.log(label, voxels);
 * ```
 */
export async function* listLabels(ctx: LabelmapContext, options: ListLabelsOptions = {}): AsyncGenerator<ListedLabel, void, undefined> {
  const start = options.start === undefined ? undefined : toLabelId(options.start, 'start', { allowZero: true });
  if (options.number !== undefined && (!Number.isSafeInteger(options.number) || options.number < 1)) {
    throw new DvidArgumentError('number', `expected a positive integer, got ${options.number}`);
  }
  const response = await ctx.transport.request({
    path: labelmapPath(ctx, 'listlabels'),
    query: {
      ...(start !== undefined ? { start: start.toString() } : {}),
      ...(options.number !== undefined ? { number: options.number } : {}),
      ...(options.sizes ? { sizes: 'true' } : {}),
    },
    attempted: `list the labels of "${ctx.name}"`,
    idempotent: true,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  if (!response.body) return;
  const record = options.sizes ? 16 : 8;
  const carry = new Uint8Array(record);
  let carried = 0;
  let offset = 0;
  const reader = response.body.getReader();
  const parseRecord = (bytes: Uint8Array, p: number): ListedLabel => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + p, record);
    const label = dv.getBigUint64(0, true);
    return options.sizes ? { label, voxels: dv.getBigUint64(8, true) } : { label };
  };
  const check = (item: ListedLabel): void => {
    // Label 0 is never indexed: a zero is DVID's error sentinel (four zero uint64s).
    if (item.label === 0n) {
      throw new DecodeError(LISTLABELS_CODEC, 'DVID signalled an error after starting the label list (zero sentinel)', { offset });
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let p = 0;
      if (carried > 0) {
        const take = Math.min(record - carried, value.length);
        carry.set(value.subarray(0, take), carried);
        carried += take;
        p = take;
        if (carried < record) continue;
        const item = parseRecord(carry, 0);
        check(item);
        offset += record;
        carried = 0;
        yield item;
      }
      for (; p + record <= value.length; p += record) {
        const item = parseRecord(value, p);
        check(item);
        offset += record;
        yield item;
      }
      if (p < value.length) {
        carry.set(value.subarray(p), 0);
        carried = value.length - p;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  if (carried > 0) {
    throw new DecodeError(LISTLABELS_CODEC, `label list ends inside a ${record}-byte record (${carried} bytes)`, { offset });
  }
}
