/**
 * Writing annotation elements: post, delete and move elements, post per-block and per-label
 * element sets, and reload the instance's indexes. Element types and checks are in
 * `./annotation.ts`; reads in `./annotation-read.ts`.
 *
 * @example
 * ```ts
 * await postElements(ctx, [{ Pos: [10, 20, 30], Kind: 'PreSyn' }]);
 * await moveElement(ctx, [10, 20, 30], [11, 20, 30]);
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';
import {
  checkElements,
  type AnnotationElement,
  type AnnotationElementInput,
  type AnnotationWriteOptions,
} from './annotation.js';
import {
  callFields,
  checkPoint3,
  instancePath,
  underscored,
  type InstanceCallOptions,
  type InstanceContext,
} from './instance-common.js';
import { toLabelId, type LabelId } from './labelmap-common.js';

function pointArg(p: readonly number[], argument: string): string {
  return underscored(checkPoint3(p, argument));
}

function write(options: AnnotationWriteOptions): { kafkalog?: string } {
  return options.kafkaLog === false ? { kafkalog: 'off' } : {};
}

/**
 * Adds elements, or replaces those already at the same positions (`POST /elements`). Block,
 * tag and (when synced) label indexes are updated before DVID replies.
 *
 * @throws {@link DvidArgumentError} before any request for a malformed element.
 * @example
 * ```ts
 * await postElements(ctx, [{ Pos: [1, 2, 3], Kind: 'Note', Prop: { text: 'check this' } }]);
 * ```
 */
export async function postElements(ctx: InstanceContext, elements: readonly AnnotationElementInput[], options: AnnotationWriteOptions = {}): Promise<void> {
  const checked = checkElements(elements);
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'elements'),
    query: write(options),
    body: JSON.stringify(checked),
    headers: { 'Content-Type': 'application/json' },
    attempted: `write ${checked.length} elements to "${ctx.name}"`,
    idempotent: true,
    ...callFields(options),
  });
}

/**
 * Deletes the element at `pos` (`DELETE /element/{x_y_z}`) and every relationship pointing to
 * it. DVID answers 400 "Did not find element ..." when there is none.
 *
 * @example
 * ```ts
 * await deleteElement(ctx, [1, 2, 3]);
 * ```
 */
export async function deleteElement(ctx: InstanceContext, pos: readonly number[], options: AnnotationWriteOptions = {}): Promise<void> {
  await ctx.transport.request({
    method: 'DELETE',
    path: instancePath(ctx, 'element', [pointArg(pos, 'pos')], ['pos']),
    query: write(options),
    attempted: `delete element at ${JSON.stringify(pos)} of "${ctx.name}"`,
    idempotent: false,
    ...callFields(options),
  });
}

/**
 * Moves the element at `from` to `to` (`POST /move/{from}/{to}`), updating relationships
 * that point to it. Not retried: a repeat would fail with "Did not find moved element".
 *
 * @example
 * ```ts
 * await moveElement(ctx, [1, 2, 3], [4, 5, 6]);
 * ```
 */
export async function moveElement(
  ctx: InstanceContext,
  from: readonly number[],
  to: readonly number[],
  options: AnnotationWriteOptions = {},
): Promise<void> {
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'move', [pointArg(from, 'from'), pointArg(to, 'to')], ['from', 'to']),
    query: write(options),
    attempted: `move element ${JSON.stringify(from)} → ${JSON.stringify(to)} of "${ctx.name}"`,
    idempotent: false,
    ...callFields(options),
  });
}

/**
 * Groups elements by the annotation block holding them (`floor(pos / blockSize)`), in the
 * shape `POST /blocks` takes. The block size is 64³ unless the instance is synced to a label
 * instance, whose block size it then uses.
 *
 * @example
 * ```ts
 * groupElementsByBlock(elements, [64, 64, 64]); // { '0,0,0': [...], '1,0,0': [...] }
 * ```
 */
export function groupElementsByBlock(
  elements: readonly AnnotationElementInput[],
  blockSize: readonly number[] = [64, 64, 64],
): Record<string, AnnotationElement[]> {
  const bs = checkPoint3(blockSize, 'blockSize');
  if (!bs.every((b) => b > 0)) throw new DvidArgumentError('blockSize', 'block sizes must be positive');
  const out: Record<string, AnnotationElement[]> = {};
  for (const e of checkElements(elements)) {
    const key = e.Pos.map((v, i) => Math.floor(v / bs[i])).join(',');
    (out[key] ??= []).push(e);
  }
  return out;
}

/**
 * Low-level ingest (`POST /blocks`): stores elements already grouped by block (see
 * {@link groupElementsByBlock}), **replacing** each named block's contents, without updating
 * label or tag indexes or notifying synced instances. Follow with {@link reloadAnnotation}.
 *
 * @example
 * ```ts
 * await postElementBlocks(ctx, groupElementsByBlock(elements));
 * await reloadAnnotation(ctx);
 * ```
 */
export async function postElementBlocks(
  ctx: InstanceContext,
  blocks: Readonly<Record<string, readonly AnnotationElementInput[]>>,
  options: AnnotationWriteOptions = {},
): Promise<void> {
  if (!blocks || typeof blocks !== 'object') throw new DvidArgumentError('blocks', 'expected an object keyed by "bx,by,bz"');
  const body: Record<string, AnnotationElement[]> = {};
  for (const [key, elems] of Object.entries(blocks)) {
    if (!/^-?\d+,-?\d+,-?\d+$/.test(key)) throw new DvidArgumentError('blocks', `block keys are "bx,by,bz", got ${JSON.stringify(key)}`);
    body[key] = checkElements(elems, `blocks[${JSON.stringify(key)}]`);
  }
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'blocks'),
    query: write(options),
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
    attempted: `write ${Object.keys(body).length} element blocks to "${ctx.name}"`,
    idempotent: true,
    ...callFields(options),
  });
}

/**
 * Stores the label index directly (`POST /labels`): for each label, the elements (without
 * relationships) it holds, replacing what the index had for that label. For restoring or
 * migrating indexes; normally a labelmap sync maintains them.
 *
 * @example
 * ```ts
 * await postLabelElements(ctx, new Map([[7n, [{ Pos: [1, 2, 3], Kind: 'PreSyn' }]]]));
 * ```
 */
export async function postLabelElements(
  ctx: InstanceContext,
  labels: ReadonlyMap<LabelId, readonly AnnotationElementInput[]> | Readonly<Record<string, readonly AnnotationElementInput[]>>,
  options: InstanceCallOptions = {},
): Promise<void> {
  const entries = labels instanceof Map ? [...labels.entries()] : Object.entries(labels as Record<string, readonly AnnotationElementInput[]>);
  const body: Record<string, string> = {};
  for (const [label, elems] of entries) {
    if (typeof label === 'string' && !/^\d+$/.test(label)) throw new DvidArgumentError('labels', `expected decimal label keys, got ${JSON.stringify(label)}`);
    const id = toLabelId(typeof label === 'string' ? BigInt(label) : label, 'labels');
    const checked = checkElements(elems, `labels[${id}]`).map(({ Pos, Kind, Tags, Prop }) => ({ Pos, Kind, Tags, Prop }));
    body[id.toString()] = JSON.stringify(checked);
  }
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'labels'),
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
    attempted: `write the label index of ${entries.length} labels to "${ctx.name}"`,
    idempotent: true,
    ...callFields(options),
  });
}

/**
 * Options for {@link reloadAnnotation}.
 *
 * @example
 * ```ts
 * await syn.reload({ check: true } satisfies ReloadOptions);
 * ```
 */
export interface ReloadOptions extends InstanceCallOptions {
  /** Only check the indexes and fix what is wrong (logged by DVID). @default false */
  check?: boolean;
  /** `false` makes DVID rebuild without holding everything in memory. @default true */
  inMemory?: boolean;
}

/**
 * Starts DVID's background rebuild of the label and tag indexes (`POST /reload`). It returns
 * at once; while it runs, POSTs to the instance fail with 400. Wait for the expected view
 * with {@link waitForLabelElements} or `pollUntil`.
 *
 * @example
 * ```ts
 * await reloadAnnotation(ctx);
 * await waitForLabelElements(ctx, 7n, (e) => e.length > 0);
 * ```
 */
export async function reloadAnnotation(ctx: InstanceContext, options: ReloadOptions = {}): Promise<void> {
  await ctx.transport.request({
    method: 'POST',
    path: instancePath(ctx, 'reload'),
    query: { check: options.check ? 'true' : undefined, inmemory: options.inMemory === false ? 'false' : undefined },
    attempted: `reload the indexes of "${ctx.name}"`,
    idempotent: false,
    ...callFields(options),
  });
}
