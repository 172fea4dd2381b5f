/**
 * Reading annotation elements: by box, label, tag, ROI or block, the whole instance, a scan of
 * its extent, and waiting for a synced label's elements. Element types and checks are in
 * `./annotation.ts`; writes in `./annotation-write.ts`.
 *
 * @example
 * ```ts
 * const inBox = await getElementsInBox(ctx, [0, 0, 0], [64, 64, 64]);
 * const onLabel = await getLabelElements(ctx, 7n, { relationships: true });
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';
import { parseJsonWithBigInts } from '../transport/json.js';
import {
  normalizeElement,
  type AnnotationBlock,
  type AnnotationElement,
  type Point3,
  type RelationshipOptions,
  type VerboseRelationship,
} from './annotation.js';
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

function normalizeList(raw: unknown): AnnotationElement[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw new DecodeError('json', `expected an array of elements, got ${JSON.stringify(raw).slice(0, 120)}`);
  return raw.map(normalizeElement);
}

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
