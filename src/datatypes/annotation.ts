/**
 * annotation instances: point annotations (synapse elements, notes) with a kind, tags,
 * string properties and relationships to other points, indexed by block, by tag and — when the
 * instance is synced to a labelmap — by label.
 *
 * Element JSON (DVID's `Element`): `{"Pos":[x,y,z],"Kind":"PreSyn","Tags":[...],"Prop":{...},
 * "Rels":[{"Rel":"PreSynTo","To":[x,y,z]}]}`. Kinds: `Unknown`, `PostSyn`, `PreSyn`, `Gap`,
 * `Note`; relationships: `UnknownRelationship`, `PostSynTo`, `PreSynTo`, `ConvergentTo`,
 * `GroupedWith`; `Prop` values are strings. DVID writes `null` or leaves out empty lists and
 * objects in some answers: the SDK always hands back `Tags: []` and `Prop: {}`, and `Rels`
 * (an array) whenever DVID included it.
 *
 * Consistency: block-indexed reads (`elements`, `blocks`, `all-elements`, `roi`) and the tag
 * index are updated before a POST returns. The label index follows labelmap changes
 * (writes, merges, cleaves, splits) **asynchronously**, and `reload` rebuilds indexes in the
 * background (POSTs to the instance fail with 400 while it runs). Wait for a synced view with
 * {@link waitForLabelElements} (or the generic `pollUntil`), never with a fixed sleep.
 *
 * `relationships: 'verbose'` (partner Kind/Tags/Prop in each relationship) exists only after
 * DVID v1.0.0; on servers that ignore it the SDK fills the partners in itself (one extra small
 * read per distinct partner point).
 *
 * @example
 * ```ts
 * const syn = await client.createAnnotation(uuid, 'synapses', { sync: 'segmentation' });
 * await syn.post([
 *   { Pos: [10, 20, 30], Kind: 'PreSyn', Tags: ['t1'], Rels: [{ Rel: 'PreSynTo', To: [12, 20, 30] }] },
 *   { Pos: [12, 20, 30], Kind: 'PostSyn', Rels: [{ Rel: 'PostSynTo', To: [10, 20, 30] }] },
 * ]);
 * await syn.inBox([0, 0, 0], [64, 64, 64]);
 * await syn.waitForLabel(7n, (elems) => elems.length === 2, { timeout: 10_000 });
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';
import { parseJsonWithBigInts } from '../transport/json.js';
import {
  callFields,
  checkPoint3,
  instancePath,
  pollUntil,
  underscored,
  type InstanceCallOptions,
  type InstanceContext,
  type PollOptions,
} from './instance-common.js';
import { mapLimited, toLabelId, type LabelId } from './labelmap-common.js';

/**
 * A voxel position `[x, y, z]`.
 *
 * @example
 * ```ts
 * const pos: Point3 = [10, 20, 30];
 * ```
 */
export type Point3 = [number, number, number];

/**
 * The kinds of annotation elements.
 *
 * @example
 * ```ts
 * const kind: ElementKind = 'PreSyn';
 * ```
 */
export type ElementKind = 'Unknown' | 'PostSyn' | 'PreSyn' | 'Gap' | 'Note';

/**
 * Every {@link ElementKind}.
 *
 * @example
 * ```ts
 * ELEMENT_KINDS.includes('Gap'); // true
 * ```
 */
export const ELEMENT_KINDS: readonly ElementKind[] = ['Unknown', 'PostSyn', 'PreSyn', 'Gap', 'Note'];

/**
 * The kinds of relationships between elements.
 *
 * @example
 * ```ts
 * const rel: RelationKind = 'PreSynTo';
 * ```
 */
export type RelationKind = 'UnknownRelationship' | 'PostSynTo' | 'PreSynTo' | 'ConvergentTo' | 'GroupedWith';

/**
 * Every {@link RelationKind}.
 *
 * @example
 * ```ts
 * RELATION_KINDS.includes('GroupedWith'); // true
 * ```
 */
export const RELATION_KINDS: readonly RelationKind[] = ['UnknownRelationship', 'PostSynTo', 'PreSynTo', 'ConvergentTo', 'GroupedWith'];

/**
 * A relationship to the element at `To`.
 *
 * @example
 * ```ts
 * const rel: Relationship = { Rel: 'PreSynTo', To: [12, 20, 30] };
 * ```
 */
export interface Relationship {
  Rel: RelationKind;
  To: Point3;
}

/**
 * A relationship with the partner's kind, tags and properties (`relationships: 'verbose'`).
 *
 * @example
 * ```ts
 * const [e] = await syn.byLabel(7n, { relationships: 'verbose' }); e.Rels?.[0].Kind;
 * ```
 */
export interface VerboseRelationship extends Relationship {
  Kind?: ElementKind;
  Tags?: string[];
  Prop?: Record<string, string>;
}

/**
 * An element as the SDK hands it back.
 *
 * @example
 * ```ts
 * const e: AnnotationElement = { Pos: [1, 2, 3], Kind: 'Note', Tags: [], Prop: { text: 'hi' } };
 * ```
 */
export interface AnnotationElement<R extends Relationship = Relationship> {
  Pos: Point3;
  Kind: ElementKind;
  Tags: string[];
  Prop: Record<string, string>;
  /** Present when DVID includes relationships (block reads always; label/tag reads on request). */
  Rels?: R[];
}

/**
 * An element to write: `Tags`, `Prop` and `Rels` may be left out.
 *
 * @example
 * ```ts
 * const e: AnnotationElementInput = { Pos: [1, 2, 3], Kind: 'Note' };
 * ```
 */
export interface AnnotationElementInput {
  Pos: readonly number[];
  Kind: ElementKind;
  Tags?: readonly string[] | null;
  Prop?: Readonly<Record<string, string>> | null;
  Rels?: readonly { Rel: RelationKind; To: readonly number[] }[] | null;
}

/**
 * The elements stored in one annotation block.
 *
 * @example
 * ```ts
 * for (const { block, elements } of await syn.all()) console.log(block, elements.length);
 * ```
 */
export interface AnnotationBlock {
  /** Block coordinate `[bx, by, bz]`. */
  block: Point3;
  elements: AnnotationElement[];
}

/**
 * Options for writes.
 *
 * @example
 * ```ts
 * await syn.post(elements, { kafkaLog: false } satisfies AnnotationWriteOptions);
 * ```
 */
export interface AnnotationWriteOptions extends InstanceCallOptions {
  /** `false` sends DVID's `kafkalog=off` (no Kafka message for this mutation). @default true */
  kafkaLog?: boolean;
}

/**
 * Options for label and tag reads.
 *
 * @example
 * ```ts
 * await syn.byTag('t1', { relationships: true } satisfies RelationshipOptions);
 * ```
 */
export interface RelationshipOptions extends InstanceCallOptions {
  /**
   * `true` adds each element's `Rels`; `'verbose'` also the partners' Kind/Tags/Prop (newer
   * DVID; emulated by the SDK on v1.0.0). @default false
   */
  relationships?: boolean | 'verbose';
  /** Requests in flight when the SDK fills in verbose partners. @default 8 */
  concurrency?: number;
}

// ---------------------------------------------------------------------------------------------
// Checks and normalisation

/**
 * Checks elements before they are sent (DVID answers 400 for a bad Kind, Rel or non-string
 * property, after reading the whole body).
 *
 * @throws {@link DvidArgumentError} naming the first bad element.
 * @example
 * ```ts
 * checkElements([{ Pos: [1, 2, 3], Kind: 'Synapse' }]); // throws: unknown Kind
 * ```
 */
export function checkElements(elements: readonly AnnotationElementInput[], argument = 'elements'): AnnotationElement[] {
  if (!Array.isArray(elements)) throw new DvidArgumentError(argument, 'expected an array of elements');
  return elements.map((e, i) => {
    const at = `${argument}[${i}]`;
    if (e === null || typeof e !== 'object') throw new DvidArgumentError(at, 'expected an element object');
    const Pos = checkPoint3(e.Pos, `${at}.Pos`);
    if (!ELEMENT_KINDS.includes(e.Kind)) {
      throw new DvidArgumentError(`${at}.Kind`, `expected one of ${ELEMENT_KINDS.join(', ')}, got ${JSON.stringify(e.Kind)}`);
    }
    const Tags = e.Tags ?? [];
    if (!Array.isArray(Tags) || !Tags.every((t) => typeof t === 'string')) throw new DvidArgumentError(`${at}.Tags`, 'expected an array of strings');
    const Prop = e.Prop ?? {};
    if (typeof Prop !== 'object' || Array.isArray(Prop) || !Object.values(Prop).every((v) => typeof v === 'string')) {
      throw new DvidArgumentError(`${at}.Prop`, 'DVID property values are strings; expected an object of strings');
    }
    const rels = e.Rels ?? [];
    if (!Array.isArray(rels)) throw new DvidArgumentError(`${at}.Rels`, 'expected an array of relationships');
    const Rels = rels.map((r, j) => {
      if (!r || !RELATION_KINDS.includes(r.Rel)) {
        throw new DvidArgumentError(`${at}.Rels[${j}].Rel`, `expected one of ${RELATION_KINDS.join(', ')}, got ${JSON.stringify(r?.Rel)}`);
      }
      return { Rel: r.Rel, To: checkPoint3(r.To, `${at}.Rels[${j}].To`) };
    });
    return { Pos, Kind: e.Kind, Tags: [...Tags], Prop: { ...Prop }, Rels };
  });
}

/**
 * Turns DVID's element JSON into the SDK's shape (`Tags: []`, `Prop: {}` for null/missing,
 * `Rels` kept when present).
 *
 * @example
 * ```ts
 * normalizeElement({ Pos: [1, 2, 3], Kind: 'Note', Tags: null, Prop: null }); // { Pos, Kind, Tags: [], Prop: {} }
 * ```
 */
export function normalizeElement(raw: unknown): AnnotationElement {
  const e = raw as Record<string, unknown>;
  if (!e || typeof e !== 'object' || !Array.isArray(e.Pos) || typeof e.Kind !== 'string') {
    throw new DecodeError('json', `not an annotation element: ${JSON.stringify(raw)?.slice(0, 120)}`);
  }
  const out: AnnotationElement = {
    Pos: [...(e.Pos as number[])] as Point3,
    Kind: e.Kind as ElementKind,
    Tags: Array.isArray(e.Tags) ? [...(e.Tags as string[])] : [],
    Prop: e.Prop && typeof e.Prop === 'object' ? { ...(e.Prop as Record<string, string>) } : {},
  };
  if ('Rels' in e) out.Rels = Array.isArray(e.Rels) ? (e.Rels as Relationship[]).map((r) => ({ ...r, To: [...r.To] as Point3 })) : [];
  return out;
}

function normalizeList(raw: unknown): AnnotationElement[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw new DecodeError('json', `expected an array of elements, got ${JSON.stringify(raw).slice(0, 120)}`);
  return raw.map(normalizeElement);
}

/**
 * Sorts elements by position (z, then y, then x), as a stable order for comparisons; DVID's
 * own order depends on its storage.
 *
 * @example
 * ```ts
 * sortElements(await getElementsInBox(ctx, [0, 0, 0], [64, 64, 64]));
 * ```
 */
export function sortElements<E extends { Pos: readonly number[] }>(elements: E[]): E[] {
  return elements.sort((a, b) => a.Pos[2] - b.Pos[2] || a.Pos[1] - b.Pos[1] || a.Pos[0] - b.Pos[0]);
}

function pointArg(p: readonly number[], argument: string): string {
  return underscored(checkPoint3(p, argument));
}

function write(options: AnnotationWriteOptions): { kafkalog?: string } {
  return options.kafkaLog === false ? { kafkalog: 'off' } : {};
}

// ---------------------------------------------------------------------------------------------
// Writes

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

// ---------------------------------------------------------------------------------------------
// Reads

/**
 * Elements (with relationships) inside the voxel box `[start, stop)` (`GET /elements/{size}/{offset}`).
 *
 * @example
 * ```ts
 * await getElementsInBox(ctx, [0, 0, 0], [100, 100, 100]);
 * ```
 */
export async function getElementsInBox(
  ctx: InstanceContext,
  start: readonly number[],
  stop: readonly number[],
  options: InstanceCallOptions = {},
): Promise<AnnotationElement[]> {
  const { size, offset } = box(start, stop);
  const raw = await ctx.transport.requestJson<unknown>({
    path: instancePath(ctx, 'elements', [size, offset], ['size', 'offset']),
    attempted: `read elements of "${ctx.name}" in a box`,
    ...callFields(options),
  });
  return normalizeList(raw);
}

function box(start: readonly number[], stop: readonly number[]): { size: string; offset: string } {
  const s = checkPoint3(start, 'start');
  const e = checkPoint3(stop, 'stop');
  const size = [e[0] - s[0], e[1] - s[1], e[2] - s[2]];
  if (!size.every((n) => n > 0)) throw new DvidArgumentError('stop', `stop ${JSON.stringify(e)} must exceed start ${JSON.stringify(s)} on every axis`);
  return { size: underscored(size), offset: underscored(s) };
}

async function relationshipsRead(
  ctx: InstanceContext,
  keyword: string,
  arg: string,
  argName: string,
  options: RelationshipOptions,
): Promise<AnnotationElement<VerboseRelationship>[]> {
  const rel = options.relationships;
  const path = instancePath(ctx, keyword, [arg], [argName]);
  const read = async (value: string | undefined) =>
    normalizeList(
      await ctx.transport.requestJson<unknown>({
        path,
        query: { relationships: value },
        attempted: `read elements of "${ctx.name}" with ${keyword} ${arg}`,
        ...callFields(options),
      }),
    );
  if (!rel) return read(undefined);
  if (rel === true) return read('true');
  const verbose = await read('verbose');
  if (verbose.every((e) => e.Rels !== undefined && e.Rels.every((r) => 'Kind' in r))) return verbose;
  // The server ignored relationships=verbose (DVID v1.0.0): fill the partners in here.
  const plain = verbose.every((e) => e.Rels !== undefined) ? verbose : await read('true');
  return addPartners(ctx, plain, options);
}

async function addPartners(
  ctx: InstanceContext,
  elements: AnnotationElement[],
  options: RelationshipOptions,
): Promise<AnnotationElement<VerboseRelationship>[]> {
  const partners = new Map<string, Point3>();
  for (const e of elements) for (const r of e.Rels ?? []) partners.set(r.To.join(','), r.To);
  const points = [...partners.values()];
  const found = await mapLimited(points, options.concurrency ?? 8, (p) =>
    getElementsInBox(ctx, p, [p[0] + 1, p[1] + 1, p[2] + 1], options).then((list) => list.find((x) => x.Pos.join(',') === p.join(','))),
  );
  const byPoint = new Map(points.map((p, i) => [p.join(','), found[i]]));
  return elements.map((e) => ({
    ...e,
    Rels: (e.Rels ?? []).map((r) => {
      const partner = byPoint.get(r.To.join(','));
      const out: VerboseRelationship = { Rel: r.Rel, To: r.To };
      if (partner) {
        out.Kind = partner.Kind;
        if (partner.Tags.length) out.Tags = partner.Tags;
        if (Object.keys(partner.Prop).length) out.Prop = partner.Prop;
      }
      return out;
    }),
  }));
}

/**
 * Elements on a label (`GET /label/{label}`), from the label index a labelmap sync maintains
 * (empty when the instance is not synced). The index follows labelmap changes asynchronously:
 * see {@link waitForLabelElements}.
 *
 * @throws {@link DvidArgumentError} before any request for label 0 or a non-uint64.
 * @example
 * ```ts
 * await getLabelElements(ctx, 7n, { relationships: true });
 * ```
 */
export async function getLabelElements(ctx: InstanceContext, label: LabelId, options: RelationshipOptions = {}): Promise<AnnotationElement<VerboseRelationship>[]> {
  const id = toLabelId(label, 'label');
  return relationshipsRead(ctx, 'label', id.toString(), 'label', options);
}

/**
 * Elements carrying a tag (`GET /tag/{tag}`).
 *
 * @throws {@link DvidArgumentError} before any request for a tag containing `/`.
 * @example
 * ```ts
 * await getTagElements(ctx, 'reviewed', { relationships: true });
 * ```
 */
export async function getTagElements(ctx: InstanceContext, tag: string, options: RelationshipOptions = {}): Promise<AnnotationElement<VerboseRelationship>[]> {
  return relationshipsRead(ctx, 'tag', tag, 'tag', options);
}

/**
 * Options for {@link getRoiElements}.
 *
 * @example
 * ```ts
 * await syn.inRoi('mb', { roiUuid: committedUuid } satisfies RoiElementsOptions);
 * ```
 */
export interface RoiElementsOptions extends InstanceCallOptions {
  /** The version of the ROI (full UUID or unique prefix). @default the annotation's version */
  roiUuid?: string;
}

/**
 * Elements (with relationships) in the blocks of an ROI instance (`GET /roi/{name[,uuid]}`).
 * DVID requires the ROI to have the annotation's block size (64³ unless synced).
 *
 * @example
 * ```ts
 * await getRoiElements(ctx, 'mushroom-body');
 * ```
 */
export async function getRoiElements(ctx: InstanceContext, roiName: string, options: RoiElementsOptions = {}): Promise<AnnotationElement[]> {
  if (typeof roiName !== 'string' || roiName === '' || roiName.includes(',')) {
    throw new DvidArgumentError('roiName', `expected an instance name without ",", got ${JSON.stringify(roiName)}`);
  }
  if (options.roiUuid !== undefined && (options.roiUuid === '' || options.roiUuid.includes(','))) {
    throw new DvidArgumentError('roiUuid', `expected a UUID, got ${JSON.stringify(options.roiUuid)}`);
  }
  const spec = options.roiUuid ? `${roiName},${options.roiUuid}` : roiName;
  const raw = await ctx.transport.requestJson<unknown>({
    path: instancePath(ctx, 'roi', [spec], ['roiName']),
    attempted: `read elements of "${ctx.name}" in ROI "${roiName}"`,
    ...callFields(options),
  });
  return normalizeList(raw);
}

function parseBlocks(text: string): AnnotationBlock[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new DecodeError('json', `DVID's block stream is not JSON (it may have failed mid-stream): ${text.slice(-200)}`, { cause });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new DecodeError('json', 'expected an object keyed by block coordinate');
  const out = Object.entries(raw as Record<string, unknown>).map(([key, elems]) => ({
    block: key.split(',').map(Number) as Point3,
    elements: normalizeList(elems),
  }));
  return out.sort((a, b) => a.block[2] - b.block[2] || a.block[1] - b.block[1] || a.block[0] - b.block[0]);
}

/**
 * Every element (with relationships) of every block that intersects the voxel box
 * `[start, stop)`, unfiltered (`GET /blocks/{size}/{offset}`): the fastest bulk read.
 *
 * @example
 * ```ts
 * for (const { block, elements } of await getBlockElements(ctx, [0, 0, 0], [512, 512, 512])) console.log(block, elements.length);
 * ```
 */
export async function getBlockElements(
  ctx: InstanceContext,
  start: readonly number[],
  stop: readonly number[],
  options: InstanceCallOptions = {},
): Promise<AnnotationBlock[]> {
  const { size, offset } = box(start, stop);
  const text = await ctx.transport.requestText({
    path: instancePath(ctx, 'blocks', [size, offset], ['size', 'offset']),
    attempted: `read element blocks of "${ctx.name}"`,
    ...callFields(options),
  });
  return parseBlocks(text);
}

/**
 * Every element of the instance, by block (`GET /all-elements`).
 *
 * @example
 * ```ts
 * const all = (await getAllElements(ctx)).flatMap((b) => b.elements);
 * ```
 */
export async function getAllElements(ctx: InstanceContext, options: InstanceCallOptions = {}): Promise<AnnotationBlock[]> {
  const text = await ctx.transport.requestText({
    path: instancePath(ctx, 'all-elements'),
    attempted: `read all elements of "${ctx.name}"`,
    ...callFields(options),
  });
  return parseBlocks(text);
}

/**
 * What `GET /scan` reports.
 *
 * @example
 * ```ts
 * const stats: AnnotationScan = await syn.scan(); stats['num kv pairs'];
 * ```
 */
export interface AnnotationScan {
  'num kv pairs': number;
  'num empty blocks': number;
  [key: string]: number;
}

/**
 * Options for {@link scanAnnotation}.
 *
 * @example
 * ```ts
 * await syn.scan({ byCoord: true } satisfies ScanOptions);
 * ```
 */
export interface ScanOptions extends InstanceCallOptions {
  /** Bound the scan by the min/max block coordinates instead of DVID's key constants. */
  byCoord?: boolean;
  /** Scan keys only, without checking for empty values. */
  keysOnly?: boolean;
}

/**
 * Storage statistics of the block index (`GET /scan`).
 *
 * @example
 * ```ts
 * (await scanAnnotation(ctx))['num kv pairs']; // number of stored blocks
 * ```
 */
export async function scanAnnotation(ctx: InstanceContext, options: ScanOptions = {}): Promise<AnnotationScan> {
  return ctx.transport.requestJson<AnnotationScan>({
    path: instancePath(ctx, 'scan'),
    query: { byCoord: options.byCoord ? 'true' : undefined, keysOnly: options.keysOnly ? 'true' : undefined },
    attempted: `scan "${ctx.name}"`,
    ...callFields(options),
  });
}

/**
 * Waits until the label's elements satisfy `accept` (by default: at least one element), by
 * polling `GET /label/{label}`. This is the way to wait for DVID's asynchronous label index
 * after labelmap writes, merges, cleaves, splits or a reload.
 *
 * @throws {@link DvidTimeoutError} after `timeout` (default 30 s); the signal's reason on abort.
 * @example
 * ```ts
 * await seg.merge(7n, [8n]);
 * const elems = await waitForLabelElements(ctx, 7n, (e) => e.length === 5, { timeout: 10_000 });
 * ```
 */
export async function waitForLabelElements(
  ctx: InstanceContext,
  label: LabelId,
  accept: (elements: AnnotationElement<VerboseRelationship>[]) => boolean = (e) => e.length > 0,
  options: PollOptions & RelationshipOptions = {},
): Promise<AnnotationElement<VerboseRelationship>[]> {
  const id = toLabelId(label, 'label');
  return pollUntil(() => getLabelElements(ctx, id, { ...options, timeout: undefined }), accept, {
    ...options,
    what: `the elements of label ${id} in "${ctx.name}"`,
    transport: ctx.transport,
    path: instancePath(ctx, 'label', [id.toString()]),
    describe: (e) => `${e.length} elements`,
  });
}

/**
 * Parses element JSON text as DVID writes it (exported for callers holding raw responses).
 *
 * @example
 * ```ts
 * parseElements('[{"Pos":[1,2,3],"Kind":"Note","Tags":null,"Prop":null}]');
 * ```
 */
export function parseElements(text: string): AnnotationElement[] {
  let raw: unknown;
  try {
    raw = parseJsonWithBigInts(text, 'unsafe');
  } catch (cause) {
    throw new DecodeError('json', `not element JSON: ${text.slice(0, 120)}`, { cause });
  }
  return normalizeList(raw);
}
