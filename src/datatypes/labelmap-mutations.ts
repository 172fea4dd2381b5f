/**
 * Label allocation and the proofreading operations of a labelmap instance: `maxlabel`,
 * `nextlabel`, reserving labels, `merge`, `cleave`, `split`, `split-supervoxel`, `renumber` and
 * the mutation log. IDs are `bigint` in and out (numbers are accepted when they are safe
 * integers); JSON is parsed and written without precision loss.
 *
 * Mutations are never retried: a repeat after a lost reply would apply the change twice.
 *
 * @example
 * ```ts
 * const { mutationId } = await mergeLabels(ctx, 7n, [9n, 11n]);
 * const { cleavedLabel } = await cleaveLabel(ctx, 7n, [9n]);
 * ```
 * @module
 */
import { encodeRles, type RunList } from '../codecs/rle.js';
import { DvidArgumentError, isDvidError } from '../errors.js';
import { stringifyJsonWithBigInts } from '../transport/json.js';
import type { QueryValues } from '../transport/transport.js';
import {
  expectBigintField,
  labelmapPath,
  requestLabelmapJson,
  throwUnexpectedJson,
  toLabelId,
  toLabelIds,
  type LabelId,
  type LabelmapCallOptions,
  type LabelmapContext,
} from './labelmap-common.js';

/** What a merge returns. */
export interface MergeResult {
  mutationId: bigint;
}

/** What a cleave returns. */
export interface CleaveResult {
  /** The new label that now owns the cleaved supervoxels. */
  cleavedLabel: bigint;
  mutationId: bigint;
}

/** What `split-supervoxel` returns. */
export interface SplitSupervoxelResult {
  /** The new supervoxel holding the given voxels. */
  splitSupervoxel: bigint;
  /** The new supervoxel holding the rest of the old one. */
  remainSupervoxel: bigint;
  mutationId: bigint;
}

/** What `split` returns. */
export interface SplitResult {
  /** The new label holding the given voxels. */
  label: bigint;
  mutationId: bigint;
}

/** Options for {@link splitSupervoxel}. */
export interface SplitSupervoxelOptions extends LabelmapCallOptions {
  /** ID for the split part (DVID picks one by default). */
  split?: LabelId;
  /** ID for the remaining part (DVID picks one by default). */
  remain?: LabelId;
  /** Recompute lower scales before replying. @default true (DVID's default) */
  downres?: boolean;
}

// ---- label allocation -------------------------------------------------------------------------------------

/**
 * The largest label stored at this version: `GET /maxlabel`; `0n` when nothing was written yet
 * (DVID v1.0.0 answers 400 "No maximum label found" then, and looks at this exact version only,
 * not its ancestors).
 *
 * @example
 * ```ts
 * await getMaxLabel(ctx); // 1152921504606846977n
 * ```
 */
export async function getMaxLabel(ctx: LabelmapContext, options: LabelmapCallOptions = {}): Promise<bigint> {
  try {
    const data = await requestLabelmapJson(ctx, 'maxlabel', 'read the max label', { ...options, idempotent: true });
    return expectBigintField(ctx, 'maxlabel', data, 'maxlabel');
  } catch (error) {
    if (isDvidError(error, 'http') && error.status === 400 && /no maximum label found/i.test(error.responseText)) return 0n;
    throw error;
  }
}

/**
 * The next label DVID would hand out: `GET /nextlabel`.
 *
 * @example
 * ```ts
 * await getNextLabel(ctx); // 1152921504606846978n
 * ```
 */
export async function getNextLabel(ctx: LabelmapContext, options: LabelmapCallOptions = {}): Promise<bigint> {
  const data = await requestLabelmapJson(ctx, 'nextlabel', 'read the next label', { ...options, idempotent: true });
  return expectBigintField(ctx, 'nextlabel', data, 'nextlabel');
}

/**
 * Reserves `count` new labels: `POST /nextlabel/{count}`; returns the inclusive range. Not retried.
 *
 * @example
 * ```ts
 * const { start, end } = await reserveLabels(ctx, 10); // end - start + 1n === 10n
 * ```
 */
export async function reserveLabels(ctx: LabelmapContext, count: number, options: LabelmapCallOptions = {}): Promise<{ start: bigint; end: bigint }> {
  if (!Number.isSafeInteger(count) || count < 1) throw new DvidArgumentError('count', `expected a positive integer, got ${count}`);
  const data = await requestLabelmapJson(ctx, `nextlabel/${count}`, `reserve ${count} labels`, { ...options, method: 'POST', idempotent: false });
  return { start: expectBigintField(ctx, 'nextlabel', data, 'start'), end: expectBigintField(ctx, 'nextlabel', data, 'end') };
}

// ---- mutations ---------------------------------------------------------------------------------------------

/**
 * Merges labels into `target`: `POST /merge` with `[target, ...others]`. The supervoxel mapping
 * changes; voxels are not rewritten. Not retried.
 *
 * @example
 * ```ts
 * const { mutationId } = await mergeLabels(ctx, 7n, [9n, 11n]);
 * ```
 */
export async function mergeLabels(ctx: LabelmapContext, target: LabelId, others: Iterable<LabelId>, options: LabelmapCallOptions = {}): Promise<MergeResult> {
  const t = toLabelId(target, 'target');
  const rest = toLabelIds(others, 'others');
  if (rest.length === 0) throw new DvidArgumentError('others', 'merge needs at least one label to merge into the target');
  if (rest.includes(t)) throw new DvidArgumentError('others', `the target ${t} cannot be merged into itself`);
  const data = await requestLabelmapJson(ctx, 'merge', `merge ${rest.length} labels into ${t}`, {
    ...options,
    method: 'POST',
    body: stringifyJsonWithBigInts([t, ...rest]),
    idempotent: false,
  });
  return { mutationId: expectBigintField(ctx, 'merge', data, 'MutationID') };
}

/**
 * Moves supervoxels of `label` to a new label: `POST /cleave/{label}`. DVID refuses (400) to
 * cleave every supervoxel of the label. Not retried.
 *
 * @example
 * ```ts
 * const { cleavedLabel, mutationId } = await cleaveLabel(ctx, 7n, [9n]);
 * ```
 */
export async function cleaveLabel(ctx: LabelmapContext, label: LabelId, supervoxels: Iterable<LabelId>, options: LabelmapCallOptions = {}): Promise<CleaveResult> {
  const id = toLabelId(label, 'label');
  const svs = toLabelIds(supervoxels, 'supervoxels');
  if (svs.length === 0) throw new DvidArgumentError('supervoxels', 'cleave needs at least one supervoxel');
  const data = await requestLabelmapJson(ctx, `cleave/${id}`, `cleave ${svs.length} supervoxels from label ${id}`, {
    ...options,
    method: 'POST',
    body: stringifyJsonWithBigInts(svs),
    idempotent: false,
  });
  return { cleavedLabel: expectBigintField(ctx, 'cleave', data, 'CleavedLabel'), mutationId: expectBigintField(ctx, 'cleave', data, 'MutationID') };
}

function checkRuns(runs: RunList): Uint8Array {
  if (!runs || !(runs.runs instanceof Int32Array) || runs.runs.length !== 4 * runs.count) {
    throw new DvidArgumentError('runs', 'expected a RunList (see createRunList, maskToRuns)');
  }
  if (runs.count === 0) throw new DvidArgumentError('runs', 'a split needs at least one voxel');
  return encodeRles(runs);
}

/**
 * Splits the given voxels of a supervoxel into a new supervoxel (the rest becomes another new
 * one): `POST /split-supervoxel/{sv}` with the voxels as legacy RLEs. Not retried.
 *
 * @example
 * ```ts
 * const runs = maskToRuns(mask, [0, 0, 0]);
 * const { splitSupervoxel, remainSupervoxel } = await splitSupervoxel(ctx, 9n, runs);
 * ```
 */
export async function splitSupervoxel(
  ctx: LabelmapContext,
  supervoxel: LabelId,
  runs: RunList,
  options: SplitSupervoxelOptions = {},
): Promise<SplitSupervoxelResult> {
  const sv = toLabelId(supervoxel, 'supervoxel');
  const body = checkRuns(runs);
  const query: QueryValues = {
    ...(options.split !== undefined ? { split: toLabelId(options.split, 'split').toString() } : {}),
    ...(options.remain !== undefined ? { remain: toLabelId(options.remain, 'remain').toString() } : {}),
    ...(options.downres === false ? { downres: 'false' } : {}),
  };
  const data = await ctx.transport.requestJson({
    method: 'POST',
    path: labelmapPath(ctx, `split-supervoxel/${sv}`),
    query,
    body,
    headers: { 'Content-Type': 'application/octet-stream' },
    attempted: `split supervoxel ${sv} of "${ctx.name}"`,
    bigints: 'all',
    idempotent: false,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  return {
    splitSupervoxel: expectBigintField(ctx, 'split-supervoxel', data, 'SplitSupervoxel'),
    remainSupervoxel: expectBigintField(ctx, 'split-supervoxel', data, 'RemainSupervoxel'),
    mutationId: expectBigintField(ctx, 'split-supervoxel', data, 'MutationID'),
  };
}

/**
 * Splits the given voxels of a label into a new label: `POST /split/{label}` with the voxels as
 * legacy RLEs. The voxels must be fewer than the label's. DVID v1.0.0 enables it unless the
 * server's TOML sets `noLabelmapSplit = true` (HEAD: only with `allowLabelmapSplit = true`).
 * Not retried.
 *
 * @example
 * ```ts
 * const { label, mutationId } = await splitLabel(ctx, 7n, runs);
 * ```
 */
export async function splitLabel(ctx: LabelmapContext, label: LabelId, runs: RunList, options: LabelmapCallOptions = {}): Promise<SplitResult> {
  const id = toLabelId(label, 'label');
  const body = checkRuns(runs);
  const data = await ctx.transport.requestJson({
    method: 'POST',
    path: labelmapPath(ctx, `split/${id}`),
    body,
    headers: { 'Content-Type': 'application/octet-stream' },
    attempted: `split label ${id} of "${ctx.name}"`,
    bigints: 'all',
    idempotent: false,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  return { label: expectBigintField(ctx, 'split', data, 'label'), mutationId: expectBigintField(ctx, 'split', data, 'MutationID') };
}

/**
 * Gives labels new IDs: `POST /renumber` with `[new1, old1, new2, old2, ...]`. DVID v1.0.0
 * replies 200 with an empty body (no mutation IDs). Not retried.
 *
 * @example
 * ```ts
 * await renumberLabels(ctx, [[100n, 7n]]); // label 7 is now 100
 * ```
 */
export async function renumberLabels(
  ctx: LabelmapContext,
  pairs: Iterable<readonly [newLabel: LabelId, oldLabel: LabelId]> | Map<LabelId, LabelId>,
  options: LabelmapCallOptions = {},
): Promise<void> {
  const flat: bigint[] = [];
  let i = 0;
  for (const pair of pairs as Iterable<readonly [LabelId, LabelId]>) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new DvidArgumentError(`pairs[${i}]`, 'expected [newLabel, oldLabel]');
    flat.push(toLabelId(pair[0], `pairs[${i}][0]`), toLabelId(pair[1], `pairs[${i}][1]`));
    i += 1;
  }
  if (flat.length === 0) throw new DvidArgumentError('pairs', 'nothing to renumber');
  const response = await ctx.transport.request({
    method: 'POST',
    path: labelmapPath(ctx, 'renumber'),
    body: stringifyJsonWithBigInts(flat),
    headers: { 'Content-Type': 'application/json' },
    attempted: `renumber ${flat.length / 2} labels of "${ctx.name}"`,
    idempotent: false,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  await response.body?.cancel().catch(() => undefined);
}

/**
 * The mutation log of this version (`GET /mutations`): merges, cleaves, splits, as DVID wrote
 * them (the same JSON as its Kafka messages; every integer a `bigint`). Needs `[mutations]
 * jsonstore` in the server's TOML, else DVID answers 400.
 *
 * @example
 * ```ts
 * const log = await getMutations(ctx); // [{ Action: 'merge-complete', MutationID: 1000000011n, ... }]
 * ```
 */
export async function getMutations(ctx: LabelmapContext, options: LabelmapCallOptions = {}): Promise<Record<string, unknown>[]> {
  const data = await requestLabelmapJson(ctx, 'mutations', 'read the mutation log', { ...options, idempotent: true });
  if (data === null) return [];
  if (!Array.isArray(data)) throwUnexpectedJson(ctx, 'mutations', data);
  return data as Record<string, unknown>[];
}
