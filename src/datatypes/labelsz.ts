/**
 * labelsz instances: per-label counts of annotation elements, for ranking bodies. A labelsz is
 * synced to one annotation instance (itself synced to a labelmap) and follows its label index
 * **asynchronously**; `reload` recomputes everything in the background. Wait for counts with
 * {@link waitForLabelCount} instead of sleeping.
 *
 * Count types ({@link LabelszIndex}): `PostSyn`, `PreSyn`, `Gap`, `Note`, `AllSyn` (every
 * element kind counted together) and `Voxels` (accepted by DVID v1.0.0 but never computed: 0).
 * Labels are `bigint`; counts are numbers (DVID keeps uint32).
 *
 * `getLabelCounts` sends its labels in the body of a GET (DVID has no POST form). Browsers cannot
 * do that: there the SDK asks label by label (or raises a typed error with `fallback: 'error'`).
 *
 * DVID v1.0.0 has no tags endpoint for labelsz. While a reload runs, reads fail with 400
 * "stats not available for labelsz ... at this time".
 *
 * @example
 * ```ts
 * const sizes = await client.createLabelsz(uuid, 'synapse-counts', { sync: 'synapses' });
 * await sizes.reload();
 * await sizes.waitForCount(7n, 'PreSyn', (n) => n === 3);
 * await sizes.top(10, 'AllSyn');   // [{ label: 7n, count: 5 }, ...]
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';
import { stringifyJsonWithBigInts } from '../transport/json.js';
import {
  callFields,
  getInstanceInfo,
  instancePath,
  pollUntil,
  setInstanceSync,
  InstanceAccessor,
  type InstanceCallOptions,
  type InstanceContext,
  type InstanceInfo,
  type PollOptions,
  type SetSyncOptions,
} from './instance-common.js';
import { mapLimited, toLabelId, toLabelIds, type LabelId } from './labelmap-common.js';

/**
 * What a labelsz counts.
 *
 * @example
 * ```ts
 * const index: LabelszIndex = 'AllSyn';
 * ```
 */
export type LabelszIndex = 'PostSyn' | 'PreSyn' | 'Gap' | 'Note' | 'AllSyn' | 'Voxels';

/**
 * Every {@link LabelszIndex}.
 *
 * @example
 * ```ts
 * LABELSZ_INDEXES.includes('Gap'); // true
 * ```
 */
export const LABELSZ_INDEXES: readonly LabelszIndex[] = ['PostSyn', 'PreSyn', 'Gap', 'Note', 'AllSyn', 'Voxels'];

/**
 * A label and its count.
 *
 * @example
 * ```ts
 * const [{ label, count }]: LabelCount[] = await sizes.top(1, 'PreSyn');
 * ```
 */
export interface LabelCount {
  label: bigint;
  count: number;
}

/**
 * `Extended` of a labelsz's `/info`.
 *
 * @example
 * ```ts
 * (await sizes.info()).Extended.StaticROI; // '' unless created with a ROI
 * ```
 */
export interface LabelszProperties {
  /** `"<roiname>,<uuid>"` when counting is restricted to a static ROI, else `""`. */
  StaticROI: string;
}

function checkIndex(index: unknown): LabelszIndex {
  if (!LABELSZ_INDEXES.includes(index as LabelszIndex)) {
    throw new DvidArgumentError('index', `expected one of ${LABELSZ_INDEXES.join(', ')}, got ${JSON.stringify(index)}`);
  }
  return index as LabelszIndex;
}

function checkCount(value: unknown, argument: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 0xffffffff) {
    throw new DvidArgumentError(argument, `expected an integer 0…4294967295, got ${String(value)}`);
  }
  return value as number;
}

/** Parses `{"Label":..,"<index>":..}` objects or `{"Label":..,"Size":..}` objects. */
function parseCounts(text: string, field: string): LabelCount[] {
  const out: LabelCount[] = [];
  const re = /\{\s*"Label"\s*:\s*(\d+)\s*,\s*"([^"]+)"\s*:\s*(\d+)\s*\}/g;
  const body = text.trim();
  if (!body.startsWith('[') || !body.endsWith(']')) throw new DecodeError('json', `expected a JSON array of label counts, got ${body.slice(0, 120)}`);
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    if (m[2] !== field) throw new DecodeError('json', `expected "${field}" counts, got "${m[2]}"`);
    out.push({ label: BigInt(m[1]), count: Number(m[3]) });
  }
  // Everything between the matched objects must be commas and whitespace.
  const rest = body.slice(1, -1).replace(re, '').replace(/[\s,]/g, '');
  if (rest !== '') throw new DecodeError('json', `unexpected content in label counts: ${rest.slice(0, 120)}`);
  return out;
}

/**
 * The count of one kind for one label (`GET /count/{label}/{index}`); 0 for unknown labels.
 *
 * @example
 * ```ts
 * await getLabelCount(ctx, 7n, 'PreSyn'); // 3
 * ```
 */
export async function getLabelCount(ctx: InstanceContext, label: LabelId, index: LabelszIndex, options: InstanceCallOptions = {}): Promise<number> {
  const id = toLabelId(label, 'label', { allowZero: true });
  const kind = checkIndex(index);
  const text = await ctx.transport.requestText({
    path: instancePath(ctx, 'count', [id.toString(), kind], ['label', 'index']),
    attempted: `read ${kind} count of label ${id} from "${ctx.name}"`,
    ...callFields(options),
  });
  const [count] = parseCounts(`[${text}]`, kind);
  if (!count) throw new DecodeError('json', `expected a label count, got ${text.slice(0, 120)}`);
  return count.count;
}

/**
 * Options for {@link getLabelCounts}.
 *
 * @example
 * ```ts
 * await sizes.counts([7n, 8n], 'PreSyn', { concurrency: 4 } satisfies LabelCountsOptions);
 * ```
 */
export interface LabelCountsOptions extends InstanceCallOptions {
  /**
   * Where GET cannot carry a body (browsers): `'per-label'` asks label by label, `'error'`
   * throws a {@link DvidArgumentError}. @default 'per-label'
   */
  fallback?: 'per-label' | 'error';
  /** Requests in flight for the per-label fallback. @default 8 */
  concurrency?: number;
}

/**
 * Counts for many labels in request order (`GET /counts/{index}` with a JSON label list in the
 * body).
 *
 * @example
 * ```ts
 * await getLabelCounts(ctx, [7n, 8n, 2n ** 60n], 'AllSyn'); // [{ label: 7n, count: 5 }, ...]
 * ```
 */
export async function getLabelCounts(
  ctx: InstanceContext,
  labels: Iterable<LabelId>,
  index: LabelszIndex,
  options: LabelCountsOptions = {},
): Promise<LabelCount[]> {
  const ids = toLabelIds(labels, 'labels', { allowZero: true });
  const kind = checkIndex(index);
  if (ids.length === 0) return [];
  if (!ctx.transport.canSendGetBody) {
    if (options.fallback === 'error') {
      throw new DvidArgumentError('labels', 'GET /counts needs a request body, which this runtime (a browser) cannot send with GET');
    }
    const counts = await mapLimited(ids, options.concurrency ?? 8, (id) => getLabelCount(ctx, id, kind, options));
    return ids.map((label, i) => ({ label, count: counts[i] }));
  }
  const text = await ctx.transport.requestText({
    path: instancePath(ctx, 'counts', [kind], ['index']),
    body: stringifyJsonWithBigInts(ids),
    attempted: `read ${kind} counts of ${ids.length} labels from "${ctx.name}"`,
    ...callFields(options),
  });
  return parseCounts(text, kind);
}

/**
 * The `n` labels with the highest counts, highest first (`GET /top/{n}/{index}`). Ties come in
 * label order.
 *
 * @example
 * ```ts
 * await getTopLabels(ctx, 3, 'PreSyn');
 * ```
 */
export async function getTopLabels(ctx: InstanceContext, n: number, index: LabelszIndex, options: InstanceCallOptions = {}): Promise<LabelCount[]> {
  const count = checkCount(n, 'n');
  const kind = checkIndex(index);
  const text = await ctx.transport.requestText({
    path: instancePath(ctx, 'top', [String(count), kind], ['n', 'index']),
    attempted: `read the top ${count} labels by ${kind} from "${ctx.name}"`,
    ...callFields(options),
  });
  return parseCounts(text, 'Size');
}

/**
 * Options for {@link getLabelsByThreshold}.
 *
 * @example
 * ```ts
 * await sizes.threshold(10, 'AllSyn', { offset: 100, n: 100 } satisfies ThresholdOptions);
 * ```
 */
export interface ThresholdOptions extends InstanceCallOptions {
  /** Rank to start from (0 = the label with the highest count). @default 0 */
  offset?: number;
  /** How many labels to return. @default DVID's page of 10000 */
  n?: number;
}

/**
 * Labels whose count is at least `threshold`, highest first, one page at a time
 * (`GET /threshold/{t}/{index}?offset=&n=`).
 *
 * @example
 * ```ts
 * const page1 = await getLabelsByThreshold(ctx, 10, 'AllSyn', { n: 100 });
 * const page2 = await getLabelsByThreshold(ctx, 10, 'AllSyn', { n: 100, offset: 100 });
 * ```
 */
export async function getLabelsByThreshold(
  ctx: InstanceContext,
  threshold: number,
  index: LabelszIndex,
  options: ThresholdOptions = {},
): Promise<LabelCount[]> {
  const t = checkCount(threshold, 'threshold');
  const kind = checkIndex(index);
  const offset = options.offset === undefined ? undefined : checkCount(options.offset, 'offset');
  const n = options.n === undefined ? undefined : checkCount(options.n, 'n');
  if (n === 0) return [];
  const text = await ctx.transport.requestText({
    path: instancePath(ctx, 'threshold', [String(t), kind], ['threshold', 'index']),
    query: { offset, n },
    attempted: `read labels with ${kind} ≥ ${t} from "${ctx.name}"`,
    ...callFields(options),
  });
  return parseCounts(text, 'Size');
}

/**
 * Starts DVID's background recount from the synced annotation's label index (`POST /reload`).
 * Returns at once; reads fail with 400 while it runs. Wait with {@link waitForLabelCount}.
 *
 * @example
 * ```ts
 * await reloadLabelsz(ctx);
 * ```
 */
export async function reloadLabelsz(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<void> {
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'reload'),
    attempted: `reload "${ctx.name}"`,
    idempotent: false,
    ...callFields(options),
  });
}

/**
 * Polls `GET /count/{label}/{index}` until `accept` approves the count (default: non-zero).
 * Counts DVID is still rebuilding (400 "stats not available") are polled again.
 *
 * @throws {@link DvidTimeoutError} after `timeout` (default 30 s).
 * @example
 * ```ts
 * await waitForLabelCount(ctx, 7n, 'PreSyn', (n) => n === 3, { timeout: 10_000 });
 * ```
 */
export async function waitForLabelCount(
  ctx: InstanceContext,
  label: LabelId,
  index: LabelszIndex,
  accept: (count: number) => boolean = (n) => n > 0,
  options: PollOptions = {},
): Promise<number> {
  const id = toLabelId(label, 'label', { allowZero: true });
  const kind = checkIndex(index);
  const probe = async (): Promise<number> => {
    try {
      return await getLabelCount(ctx, id, kind, { signal: options.signal });
    } catch (err) {
      if ((err as { status?: number }).status === 400 && /stats not available/.test((err as { responseText?: string }).responseText ?? '')) return -1;
      throw err;
    }
  };
  return pollUntil(probe, (n) => n >= 0 && accept(n), {
    ...options,
    what: `the ${kind} count of label ${id} in "${ctx.name}"`,
    transport: ctx.transport,
    path: instancePath(ctx, 'count', [id.toString(), kind]),
    describe: (n) => (n < 0 ? 'still reloading' : String(n)),
  });
}

/**
 * One labelsz instance at one version. Make it with `client.labelsz(uuid, name)` or
 * `client.createLabelsz(uuid, name, {sync})`.
 *
 * @example
 * ```ts
 * const sizes = client.labelsz(uuid, 'counts');
 * await sizes.count(7n, 'PreSyn');
 * ```
 */
export class LabelszInstance extends InstanceAccessor {
  /**
   * The same instance at another version.
   *
   * @example
   * ```ts
   * await sizes.at(parent).top(5, 'AllSyn');
   * ```
   */
  at(uuid: string): LabelszInstance {
    return new LabelszInstance({ ...this.ctx, uuid });
  }

  /**
   * `GET /info`.
   *
   * @example
   * ```ts
   * (await sizes.info()).Base.Syncs; // ['synapses']
   * ```
   */
  info(options?: InstanceCallOptions): Promise<InstanceInfo<LabelszProperties>> {
    return getInstanceInfo<LabelszProperties>(this.ctx, options);
  }

  /**
   * One label's count.
   *
   * @example
   * ```ts
   * await sizes.count(7n, 'AllSyn');
   * ```
   */
  count(label: LabelId, index: LabelszIndex, options?: InstanceCallOptions): Promise<number> {
    return getLabelCount(this.ctx, label, index, options);
  }

  /**
   * Many labels' counts.
   *
   * @example
   * ```ts
   * await sizes.counts([7n, 8n], 'PreSyn');
   * ```
   */
  counts(labels: Iterable<LabelId>, index: LabelszIndex, options?: LabelCountsOptions): Promise<LabelCount[]> {
    return getLabelCounts(this.ctx, labels, index, options);
  }

  /**
   * The top `n` labels.
   *
   * @example
   * ```ts
   * await sizes.top(10, 'PostSyn');
   * ```
   */
  top(n: number, index: LabelszIndex, options?: InstanceCallOptions): Promise<LabelCount[]> {
    return getTopLabels(this.ctx, n, index, options);
  }

  /**
   * Labels at or above a threshold.
   *
   * @example
   * ```ts
   * await sizes.threshold(5, 'AllSyn', { n: 100 });
   * ```
   */
  threshold(threshold: number, index: LabelszIndex, options?: ThresholdOptions): Promise<LabelCount[]> {
    return getLabelsByThreshold(this.ctx, threshold, index, options);
  }

  /**
   * Starts a background recount.
   *
   * @example
   * ```ts
   * await sizes.reload();
   * ```
   */
  reload(options?: InstanceCallOptions): Promise<void> {
    return reloadLabelsz(this.ctx, options);
  }

  /**
   * Syncs with an annotation instance.
   *
   * @example
   * ```ts
   * await sizes.sync('synapses');
   * ```
   */
  sync(annotationInstance: string, options?: SetSyncOptions): Promise<void> {
    return setInstanceSync(this.ctx, annotationInstance, options);
  }

  /**
   * Waits for a count. See {@link waitForLabelCount}.
   *
   * @example
   * ```ts
   * await sizes.waitForCount(7n, 'PreSyn', (n) => n === 3);
   * ```
   */
  waitForCount(label: LabelId, index: LabelszIndex, accept?: (count: number) => boolean, options?: PollOptions): Promise<number> {
    return waitForLabelCount(this.ctx, label, index, accept, options);
  }
}
