/**
 * The annotation data type of the mock, as DVID v1.0.0 serves it (`datatype/annotation`):
 * elements stored per block and version as the JSON DVID stores (Go's null/empty distinctions
 * and element order kept: replaced elements are stored as sent, new ones as copies), the tag
 * index maintained by POST/DELETE/move as DVID does, the label index as posted through
 * `POST /labels`, `reload` (in memory, `check`, low memory) rebuilding the indexes, box, block,
 * ROI, tag and label reads, and Go's decoding errors for posted elements.
 *
 * Label sync: an annotation synced to a label instance asks that instance for the labels of
 * its points through {@link registerLabelSource} (the mock's labelmap type registers one).
 * The label index of a synced instance is then derived on demand from the stored elements, so
 * it is always converged — DVID updates it asynchronously and clients poll (see the SDK's
 * `waitForLabelElements`). Without a registered label source, synced instances behave like
 * unsynced ones for labels.
 *
 * @example
 * ```ts
 * // POST /api/node/<uuid>/syn/elements  [{"Pos":[1,2,3],"Kind":"Note"}]  → 200
 * // GET  /api/node/<uuid>/syn/elements/10_10_10/0_0_0 → [{"Pos":[1,2,3],"Kind":"Note","Tags":[],"Prop":{},"Rels":[]}]
 * ```
 * @module
 */
import type { DvidConfig } from '../config.js';
import { goQuote } from '../goformat.js';
import { goJson, parseGoJson, sortedKeys, type GoJsonNode } from '../gojson.js';
import { emptyResponse, jsonResponse } from '../http.js';
import type { BaseInstance } from '../instance.js';
import type { MockNode, MockRepo } from '../state.js';
import { badApiRequest, registerDataType, VersionedStore, type DataRequest, type VersionNode } from '../versioned.js';
import {
  baseJson,
  chunkOf,
  fromZyxKey,
  helpResponse,
  requestText,
  serveSync,
  serveTags,
  uint64Key,
  zyxKey,
  type SyncingInstance,
} from './common.js';
import { labelsAtPoints } from '../labelmap/read.js';
import type { LabelmapRequest } from '../labelmap/request.js';
import { roiSpans, type RoiInstance } from './roi.js';

type Vec3 = [number, number, number];

/** A relationship as DVID stores it. */
interface Rel {
  Rel: string;
  To: Vec3;
}

/** An element as DVID stores it: `null` lists and maps are kept (Go's nil). */
interface Elem {
  Pos: Vec3;
  Kind: string;
  Tags: string[] | null;
  Prop: Record<string, string> | null;
  Rels?: Rel[] | null;
}

const KINDS = ['Unknown', 'PostSyn', 'PreSyn', 'Gap', 'Note'];
const RELS = ['UnknownRelationship', 'PostSynTo', 'PreSynTo', 'ConvergentTo', 'GroupedWith'];
const LABEL_TYPES = ['labelblk', 'labelvol', 'labelarray', 'labelmap'];
const MAX_U64 = (1n << 64n) - 1n;

/**
 * Looks up the labels of voxel points in a label instance at a version (scale 0, mapped labels).
 *
 * @example
 * ```ts
 * const source: LabelSource = (instance, node, points) => points.map(() => 0n);
 * ```
 */
export type LabelSource = (instance: BaseInstance, node: VersionNode, points: readonly Vec3[]) => bigint[];

const labelSources = new Map<string, LabelSource>();

/**
 * Lets annotations synced to instances of `typename` find the labels of their points (the
 * mock's labelmap type registers one). Without it, such syncs have no label index.
 *
 * @example
 * ```ts
 * registerLabelSource('labelmap', (instance, node, points) => lookUp(instance, node, points));
 * ```
 */
export function registerLabelSource(typename: string, source: LabelSource): void {
  labelSources.set(typename, source);
}

// The mock's labelmap: mapped labels at scale 0, as DVID's GetLabelPoints gives them.
registerLabelSource('labelmap', (instance, node, points) =>
  labelsAtPoints({ instance, version: node } as unknown as LabelmapRequest, points, 0, false),
);

/**
 * An annotation instance of the mock.
 *
 * @example
 * ```ts
 * (state.getInstance(uuid, 'syn') as AnnotationInstance).blocks.keys(node)
 * ```
 */
export interface AnnotationInstance extends SyncingInstance {
  kind: 'annotation';
  /** Elements (with relationships) per block, as stored JSON. */
  blocks: VersionedStore<string>;
  /** Label index: label → stored text (JSON of elements without relationships). */
  labels: VersionedStore<string>;
  /** Tag index: tag → stored JSON. */
  tags_: VersionedStore<string>;
}

// ---------------------------------------------------------------------------------------------
// Go JSON encoding and decoding of elements

function marshalElem(e: Elem, withRels: boolean): string {
  const prop = e.Prop === null ? 'null' : goJson(sortedKeys(e.Prop));
  const base = `{"Pos":${goJson(e.Pos)},"Kind":${goJson(e.Kind)},"Tags":${goJson(e.Tags)},"Prop":${prop}`;
  if (!withRels) return `${base}}`;
  const rels = e.Rels === null || e.Rels === undefined ? 'null' : `[${e.Rels.map((r) => `{"Rel":${goJson(r.Rel)},"To":${goJson(r.To)}}`).join(',')}]`;
  return `${base},"Rels":${rels}}`;
}

function marshalList(list: Elem[] | null, withRels: boolean): string {
  return list === null ? 'null' : `[${list.map((e) => marshalElem(e, withRels)).join(',')}]`;
}

interface Decoding {
  firstTypeError?: Error;
}

function typeError(d: Decoding, node: GoJsonNode, field: string, type: string): void {
  d.firstTypeError ??= new Error(`json: cannot unmarshal ${node.kind} into Go struct field ${field} of type ${type}`);
}

function decodeVec(d: Decoding, node: GoJsonNode, field: string): Vec3 {
  const out: Vec3 = [0, 0, 0];
  if (node.kind === 'null') return out;
  if (node.kind !== 'array') {
    typeError(d, node, field, 'dvid.Point3d');
    return out;
  }
  node.items.slice(0, 3).forEach((item, i) => {
    if (item.kind === 'null') return;
    if (item.kind !== 'number') {
      typeError(d, item, field, 'int32');
      return;
    }
    const v = /^-?\d+$/.test(item.text) ? Number(item.text) : NaN;
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
      d.firstTypeError ??= new Error(`json: cannot unmarshal number ${item.text} into Go struct field ${field} of type int32`);
      return;
    }
    out[i] = v;
  });
  return out;
}

function rawText(node: GoJsonNode): string {
  switch (node.kind) {
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.text;
    case 'bool':
      return String(node.value);
    case 'null':
      return 'null';
    default:
      return node.kind === 'array' ? '[...]' : '{...}';
  }
}

function field(entries: [string, GoJsonNode][], name: string): GoJsonNode | undefined {
  let exact: GoJsonNode | undefined;
  let folded: GoJsonNode | undefined;
  for (const [k, v] of entries) {
    if (k === name) exact = v;
    else if (k.toLowerCase() === name.toLowerCase()) folded = v;
  }
  return exact ?? folded;
}

function decodeElem(d: Decoding, node: GoJsonNode, withRels: boolean): Elem {
  const prefix = withRels ? 'Element.ElementNR' : 'ElementNR';
  const e: Elem = { Pos: [0, 0, 0], Kind: 'Unknown', Tags: null, Prop: null };
  if (withRels) e.Rels = null;
  if (node.kind === 'null') return e;
  if (node.kind !== 'object') {
    d.firstTypeError ??= new Error(`json: cannot unmarshal ${node.kind} into Go value of type annotation.${withRels ? 'Element' : 'ElementNR'}`);
    return e;
  }
  const pos = field(node.entries, 'Pos');
  if (pos) e.Pos = decodeVec(d, pos, `${prefix}.Pos`);
  const kind = field(node.entries, 'Kind');
  if (kind) {
    if (kind.kind !== 'string' || !KINDS.includes(kind.value)) throw new Error(`Unknown element type in JSON: ${rawText(kind)}`);
    e.Kind = kind.value;
  }
  const tags = field(node.entries, 'Tags');
  if (tags && tags.kind !== 'null') {
    if (tags.kind !== 'array') typeError(d, tags, `${prefix}.Tags`, 'annotation.Tags');
    else {
      e.Tags = tags.items.map((t) => {
        if (t.kind === 'string') return t.value;
        if (t.kind !== 'null') typeError(d, t, `${prefix}.Tags`, 'annotation.Tag');
        return '';
      });
    }
  }
  const prop = field(node.entries, 'Prop');
  if (prop && prop.kind !== 'null') {
    if (prop.kind !== 'object') typeError(d, prop, `${prefix}.Prop`, 'map[string]string');
    else {
      e.Prop = {};
      for (const [k, v] of prop.entries) {
        if (v.kind === 'string') e.Prop[k] = v.value;
        else if (v.kind === 'null') e.Prop[k] = '';
        else typeError(d, v, `${prefix}.Prop`, 'string');
      }
    }
  }
  if (withRels) {
    const rels = field(node.entries, 'Rels');
    if (rels && rels.kind !== 'null') {
      if (rels.kind !== 'array') typeError(d, rels, 'Element.Rels', 'annotation.Relationships');
      else {
        e.Rels = rels.items.map((r) => {
          const rel: Rel = { Rel: 'UnknownRelationship', To: [0, 0, 0] };
          if (r.kind === 'null') return rel;
          if (r.kind !== 'object') {
            typeError(d, r, 'Element.Rels', 'annotation.Relationship');
            return rel;
          }
          const kindNode = field(r.entries, 'Rel');
          if (kindNode) {
            if (kindNode.kind !== 'string' || !RELS.includes(kindNode.value)) throw new Error(`Unknown relationship type in JSON: ${rawText(kindNode)}`);
            rel.Rel = kindNode.value;
          }
          const to = field(r.entries, 'To');
          if (to) rel.To = decodeVec(d, to, 'Element.Rels.To');
          return rel;
        });
      }
    }
  }
  return e;
}

/** Go's `json.Unmarshal` into `Elements` (with relationships) or `ElementsNR`; null gives null. */
function decodeList(text: string, withRels: boolean): Elem[] | null {
  const parsed = parseGoJson(text, 'unmarshal');
  if (!parsed.ok) throw new Error(parsed.error);
  return decodeListNode(parsed.node!, withRels);
}

function decodeListNode(node: GoJsonNode, withRels: boolean): Elem[] | null {
  if (node.kind === 'null') return null;
  if (node.kind !== 'array') throw new Error(`json: cannot unmarshal ${node.kind} into Go value of type annotation.${withRels ? 'Elements' : 'ElementsNR'}`);
  const d: Decoding = {};
  const out = node.items.map((item) => decodeElem(d, item, withRels));
  if (d.firstTypeError) throw d.firstTypeError;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Element list operations (DVID's Elements / ElementsNR methods)

const samePos = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
const posKey = (p: readonly number[]) => p.join(',');

function copyElem(e: Elem, withRels: boolean): Elem {
  const c: Elem = { Pos: [...e.Pos], Kind: e.Kind, Tags: [...(e.Tags ?? [])], Prop: { ...(e.Prop ?? {}) } };
  if (withRels) c.Rels = (e.Rels ?? []).map((r) => ({ Rel: r.Rel, To: [...r.To] }));
  return c;
}

/** `add`: replace (as sent) at existing positions, append copies of new ones. */
function addElems(list: Elem[], toAdd: readonly Elem[], withRels: boolean): void {
  const index = new Map<string, number>();
  list.forEach((e, i) => index.set(posKey(e.Pos), i));
  for (const e of toAdd) {
    const i = index.get(posKey(e.Pos));
    if (i === undefined) list.push(copyElem(e, withRels));
    else list[i] = e;
  }
}

function swapDelete(list: Elem[], i: number): void {
  list[i] = list[list.length - 1];
  list.pop();
}

function deleteRel(list: Elem[], pt: Vec3): boolean {
  let changed = false;
  for (const e of list) {
    if (e.Rels && e.Rels.some((r) => samePos(r.To, pt))) {
      e.Rels = e.Rels.filter((r) => !samePos(r.To, pt));
      changed = true;
    }
  }
  return changed;
}

function moveElems(list: Elem[], from: Vec3, to: Vec3, deleteElement: boolean, withRels: boolean): Elem | undefined {
  let moved: Elem | undefined;
  for (let i = 0; i < list.length; i++) {
    if (samePos(list[i].Pos, from)) {
      list[i] = { ...list[i], Pos: [...to] };
      moved = copyElem(list[i], withRels);
      if (deleteElement) {
        swapDelete(list, i);
        break;
      }
    }
  }
  if (withRels) {
    for (const e of list) {
      for (const r of e.Rels ?? []) if (samePos(r.To, from)) r.To = [...to];
    }
  }
  return moved;
}

// ---------------------------------------------------------------------------------------------
// Instance helpers

function blockSizeOf(repo: MockRepo, instance: AnnotationInstance): Vec3 {
  for (const name of instance.syncs) {
    const other = repo.instances.get(name) as (BaseInstance & { blockSize?: number[] }) | undefined;
    if (other && LABEL_TYPES.includes(other.type.name) && other.blockSize && other.blockSize.length === 3) {
      return [other.blockSize[0], other.blockSize[1], other.blockSize[2]];
    }
  }
  return [64, 64, 64];
}

/** The synced label instance with a registered label source, if any. */
function labelSourceOf(repo: MockRepo, instance: AnnotationInstance): { target: BaseInstance; source: LabelSource } | undefined {
  for (const name of instance.syncs) {
    const other = repo.instances.get(name);
    const source = other ? labelSources.get(other.type.name) : undefined;
    if (other && source) return { target: other, source };
  }
  return undefined;
}

function getBlock(instance: AnnotationInstance, node: VersionNode, block: Vec3): Elem[] {
  const text = instance.blocks.get(node, zyxKey(block));
  return text === undefined ? [] : (decodeList(text, true) ?? []);
}

function putBlock(instance: AnnotationInstance, node: VersionNode, block: Vec3, list: Elem[] | null): void {
  instance.blocks.put(node, zyxKey(block), marshalList(list, true));
}

function getIndexList(store: VersionedStore<string>, node: VersionNode, key: string): Elem[] {
  const text = store.get(node, key);
  return text === undefined ? [] : (decodeList(text, false) ?? []);
}

/** Every stored block at a version, in DVID's key order. */
function allBlocks(instance: AnnotationInstance, node: VersionNode): [Vec3, string][] {
  return instance.blocks.entries(node).map(([key, text]) => [fromZyxKey(key), text]);
}

/** Elements (with relationships) of the blocks in a box of block coordinates, row by row. */
function blocksInRange(instance: AnnotationInstance, node: VersionNode, beg: Vec3, end: Vec3): [Vec3, string][] {
  return allBlocks(instance, node).filter(
    ([b]) => b[0] >= beg[0] && b[0] <= end[0] && b[1] >= beg[1] && b[1] <= end[1] && b[2] >= beg[2] && b[2] <= end[2],
  );
}

// ---------------------------------------------------------------------------------------------
// Labels: stored index, or derived from the synced label instance

function labelView(req: DataRequest<AnnotationInstance>): Map<bigint, Elem[]> | undefined {
  const link = labelSourceOf(req.repo, req.instance);
  if (!link) return undefined;
  const elems = allBlocks(req.instance, req.version).flatMap(([, text]) => decodeList(text, true) ?? []);
  const labels = link.source(link.target, req.version, elems.map((e) => e.Pos));
  const out = new Map<bigint, Elem[]>();
  elems.forEach((e, i) => {
    const label = labels[i];
    if (!label) return;
    const list = out.get(label) ?? [];
    list.push(e);
    out.set(label, list);
  });
  return out;
}

/**
 * The elements (without relationships) of each label at a version, for labelsz: the derived
 * view of a synced annotation, else its stored label index.
 *
 * @example
 * ```ts
 * for (const [label, elements] of labelElementsOf(req, annotation)) count(label, elements);
 * ```
 */
export function labelElementsOf(
  context: { repo: MockRepo; version: MockNode },
  instance: AnnotationInstance,
): Map<bigint, { Pos: Vec3; Kind: string }[]> {
  const view = labelView({ repo: context.repo, version: context.version, instance } as DataRequest<AnnotationInstance>);
  if (view) return view;
  const out = new Map<bigint, { Pos: Vec3; Kind: string }[]>();
  for (const [key, text] of instance.labels.entries(context.version)) {
    let list: Elem[] | null;
    try {
      list = decodeList(text, false);
    } catch {
      continue;
    }
    if (list && list.length) out.set(BigInt(`0x${key}`), list);
  }
  return out;
}

/** Full elements (with relationships) for index entries, looked up in their blocks. */
function expand(req: DataRequest<AnnotationInstance>, list: Elem[]): Elem[] {
  const bs = blockSizeOf(req.repo, req.instance);
  const byBlock = new Map<string, { block: Vec3; elems: Elem[] }>();
  for (const e of list) {
    const block = chunkOf(e.Pos, bs);
    const key = zyxKey(block);
    const entry = byBlock.get(key) ?? { block, elems: [] };
    entry.elems.push(e);
    byBlock.set(key, entry);
  }
  const out: Elem[] = [];
  for (const key of [...byBlock.keys()].sort()) {
    const { block, elems } = byBlock.get(key)!;
    const stored = getBlock(req.instance, req.version, block);
    for (const e of elems) {
      const found = stored.find((s) => samePos(s.Pos, e.Pos));
      if (found) out.push(found);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

function parsePoint3(text: string): Vec3 {
  const parts = text.split('_');
  if (parts.length !== 3) throw new Error(`String ${goQuote(text)} cannot be converted to a 3d point`);
  return parts.map((p) => {
    const t = p.trim();
    if (!/^[+-]?\d+$/.test(t)) throw new Error(`strconv.ParseInt: parsing ${goQuote(t)}: invalid syntax`);
    const v = Number(t);
    if (v < -(2 ** 31) || v >= 2 ** 31) throw new Error(`strconv.ParseInt: parsing ${goQuote(t)}: value out of range`);
    return v;
  }) as Vec3;
}

function extents(req: DataRequest): { min: Vec3; max: Vec3 } {
  const offset = parsePoint3(req.parts[5]);
  const size = parsePoint3(req.parts[4]);
  return { min: offset, max: [offset[0] + size[0] - 1, offset[1] + size[1] - 1, offset[2] + size[2] - 1] };
}

function getElementsInBox(req: DataRequest<AnnotationInstance>): Response {
  if (req.parts.length < 6) throw new Error("Expect size and offset to follow 'elements' in GET request");
  const { min, max } = extents(req);
  const bs = blockSizeOf(req.repo, req.instance);
  const out: Elem[] = [];
  for (const [, text] of blocksInRange(req.instance, req.version, chunkOf(min, bs), chunkOf(max, bs))) {
    for (const e of decodeList(text, true) ?? []) {
      const p = e.Pos;
      if (p[0] >= min[0] && p[0] <= max[0] && p[1] >= min[1] && p[1] <= max[1] && p[2] >= min[2] && p[2] <= max[2]) out.push(e);
    }
  }
  return jsonResponse(out.length ? marshalList(out, true) : 'null');
}

function streamBlocks(blocks: [Vec3, string][]): Response {
  const parts = blocks.filter(([, text]) => text.length > 0).map(([b, text]) => `"${b.join(',')}":${text}`);
  return jsonResponse(`{${parts.join(',')}}`);
}

/** The tag and label deltas of a POST /elements, applied only if everything is valid (a batch). */
async function postElements(req: DataRequest<AnnotationInstance>): Promise<Response> {
  const { instance, version } = req;
  const elems = decodeList(await requestText(req.request), true) ?? [];
  const bs = blockSizeOf(req.repo, instance);
  const byBlock = new Map<string, { block: Vec3; elems: Elem[] }>();
  for (const e of elems) {
    const block = chunkOf(e.Pos, bs);
    const key = zyxKey(block);
    const entry = byBlock.get(key) ?? { block, elems: [] };
    entry.elems.push(e);
    byBlock.set(key, entry);
  }
  // Tag deltas (addTagDelta): elements to add per tag, positions to erase per tag.
  const tagAdd = new Map<string, Elem[]>();
  const tagErase = new Map<string, Set<string>>();
  const newBlocks = new Map<string, { block: Vec3; list: Elem[] }>();
  for (const [key, { block, elems: added }] of byBlock) {
    const current = getBlock(instance, version, block);
    const byPoint = new Map<string, Elem>();
    for (const e of added) {
      byPoint.set(posKey(e.Pos), e);
      for (const tag of e.Tags ?? []) tagAdd.set(tag, [...(tagAdd.get(tag) ?? []), e]);
    }
    for (const cur of current) {
      const next = byPoint.get(posKey(cur.Pos));
      if (!next) continue;
      const keep = new Set(next.Tags ?? []);
      for (const tag of cur.Tags ?? []) {
        if (!keep.has(tag)) tagErase.set(tag, (tagErase.get(tag) ?? new Set()).add(posKey(cur.Pos)));
      }
      byPoint.delete(posKey(cur.Pos));
    }
    addElems(current, added, true);
    newBlocks.set(key, { block, list: current });
  }
  const tagLists = new Map<string, Elem[]>();
  for (const tag of new Set([...tagAdd.keys(), ...tagErase.keys()])) {
    if (tag === '') throw new Error('empty tag not permitted');
    const list = getIndexList(instance.tags_, version, tag);
    const add = tagAdd.get(tag) ?? [];
    if (add.length) addElems(list, add.map((e) => ({ Pos: e.Pos, Kind: e.Kind, Tags: e.Tags, Prop: e.Prop })), false);
    const erase = tagErase.get(tag);
    if (erase) {
      const toDel = list.flatMap((e, i) => (erase.has(posKey(e.Pos)) ? [i] : []));
      for (let i = toDel.length - 1; i >= 0; i--) swapDelete(list, toDel[i]);
    }
    tagLists.set(tag, list);
  }
  for (const { block, list } of newBlocks.values()) putBlock(instance, version, block, list);
  for (const [tag, list] of tagLists) instance.tags_.put(version, tag, marshalList(list, false));
  return emptyResponse();
}

function deleteElement(req: DataRequest<AnnotationInstance>): Response {
  if (req.request.method !== 'DELETE') throw new Error("Only DELETE action is available on 'element' endpoint.");
  if (req.parts.length < 5) throw new Error("Must include coordinate after DELETE on 'element' endpoint.");
  const pt = parsePoint3(req.parts[4]);
  const { instance, version } = req;
  const bs = blockSizeOf(req.repo, instance);
  const block = chunkOf(pt, bs);
  const list = getBlock(instance, version, block);
  const i = list.findIndex((e) => samePos(e.Pos, pt));
  if (i < 0) throw new Error(`Did not find element (${pt.join(',')}) in datastore`);
  const deleted = copyElem(list[i], true);
  swapDelete(list, i);
  deleteRel(list, pt);
  putBlock(instance, version, block, list);
  for (const tag of deleted.Tags ?? []) {
    const tagList = getIndexList(instance.tags_, version, tag);
    const toDel = tagList.flatMap((e, j) => (samePos(e.Pos, pt) ? [j] : []));
    if (!toDel.length) continue;
    for (let j = toDel.length - 1; j >= 0; j--) swapDelete(tagList, toDel[j]);
    instance.tags_.put(version, tag, marshalList(tagList, false));
  }
  for (const rel of deleted.Rels ?? []) {
    const relBlock = chunkOf(rel.To, bs);
    const relList = getBlock(instance, version, relBlock);
    if (deleteRel(relList, pt)) putBlock(instance, version, relBlock, relList);
  }
  return emptyResponse();
}

function moveElement(req: DataRequest<AnnotationInstance>): Response {
  if (req.request.method !== 'POST') throw new Error("Only POST action is available on 'move' endpoint.");
  if (req.parts.length < 6) throw new Error("Must include 'from' and 'to' coordinate after 'move' endpoint.");
  const from = parsePoint3(req.parts[4]);
  const to = parsePoint3(req.parts[5]);
  const { instance, version } = req;
  const bs = blockSizeOf(req.repo, instance);
  const fromBlock = chunkOf(from, bs);
  const toBlock = chunkOf(to, bs);
  const crossing = zyxKey(fromBlock) !== zyxKey(toBlock);
  const fromList = getBlock(instance, version, fromBlock);
  const moved = moveElems(fromList, from, to, crossing, true);
  if (!moved) throw new Error(`Did not find moved element (${from.join(',')}) in datastore`);
  putBlock(instance, version, fromBlock, fromList);
  if (crossing) {
    const toList = getBlock(instance, version, toBlock);
    addElems(toList, [moved], true);
    putBlock(instance, version, toBlock, toList);
  }
  for (const tag of moved.Tags ?? []) {
    const tagList = getIndexList(instance.tags_, version, tag);
    if (!moveElems(tagList, from, to, false, false)) continue;
    instance.tags_.put(version, tag, marshalList(tagList, false));
  }
  const relBlocks = new Map<string, Vec3>();
  for (const rel of moved.Rels ?? []) {
    const b = chunkOf(rel.To, bs);
    if (zyxKey(b) !== zyxKey(fromBlock)) relBlocks.set(zyxKey(b), b);
  }
  for (const b of relBlocks.values()) {
    const list = getBlock(instance, version, b);
    const before = JSON.stringify(list);
    moveElems(list, from, to, false, true);
    if (JSON.stringify(list) !== before) putBlock(instance, version, b, list);
  }
  return emptyResponse();
}

/** Go's `fmt.Sscanf(key, "%d,%d,%d", ...)`. */
function scanBlockKey(key: string): Vec3 {
  const out: number[] = [];
  let i = 0;
  for (let n = 0; n < 3; n++) {
    if (n > 0) {
      if (i >= key.length) throw new Error('unexpected EOF');
      if (key[i] !== ',') throw new Error('input does not match format');
      i++;
    }
    while (i < key.length && (key[i] === ' ' || key[i] === '\t')) i++;
    if (i >= key.length) throw new Error('unexpected EOF');
    const m = /^[+-]?\d+/.exec(key.slice(i));
    if (!m) throw new Error('expected integer');
    out.push(Number(m[0]) | 0);
    i += m[0].length;
  }
  return out as Vec3;
}

async function postBlocks(req: DataRequest<AnnotationInstance>): Promise<Response> {
  const parsed = parseGoJson(await requestText(req.request), 'unmarshal');
  if (!parsed.ok) throw new Error(parsed.error);
  const node = parsed.node!;
  const puts: [Vec3, Elem[] | null][] = [];
  if (node.kind !== 'null') {
    if (node.kind !== 'object') throw new Error(`json: cannot unmarshal ${node.kind} into Go value of type annotation.blockList`);
    const lists = new Map<string, Elem[] | null>();
    for (const [key, value] of node.entries) lists.set(key, decodeListNode(value, true));
    for (const [key, list] of lists) puts.push([scanBlockKey(key), list]);
  }
  for (const [block, list] of puts) putBlock(req.instance, req.version, block, list);
  return emptyResponse();
}

async function postLabels(req: DataRequest<AnnotationInstance>): Promise<Response> {
  if (req.request.method !== 'POST') throw new Error("Only POST action is available on 'labels' endpoint.");
  if (req.parts.length >= 5) throw new Error('Extraneous arguments after POST /labels endpoint.');
  const parsed = parseGoJson(await requestText(req.request), 'unmarshal');
  if (!parsed.ok) throw new Error(parsed.error);
  const node = parsed.node!;
  if (node.kind === 'null') return emptyResponse();
  if (node.kind !== 'object') throw new Error(`json: cannot unmarshal ${node.kind} into Go value of type annotation.labelsJSONStrs`);
  const values = new Map<string, string>();
  for (const [k, v] of node.entries) {
    if (v.kind === 'string') values.set(k, v.value);
    else if (v.kind === 'null') values.set(k, '');
    else throw new Error(`json: cannot unmarshal ${v.kind} into Go value of type string`);
  }
  for (const [k, v] of values) {
    if (!/^\d+$/.test(k)) throw new Error(`strconv.ParseUint: parsing ${goQuote(k)}: invalid syntax`);
    const label = BigInt(k);
    if (label > MAX_U64) throw new Error(`strconv.ParseUint: parsing ${goQuote(k)}: value out of range`);
    if (label === 0n) continue;
    req.instance.labels.put(req.version, uint64Key(label), v);
  }
  return emptyResponse();
}

function reload(req: DataRequest<AnnotationInstance>): Response {
  if (req.request.method !== 'POST') throw new Error("Only POST action is available on 'reload' endpoint.");
  const { instance, version } = req;
  const inMemory = req.request.query.get('inmemory') !== 'false';
  const check = req.request.query.get('check') === 'true';
  const bs = blockSizeOf(req.repo, instance);
  if (!inMemory || !check) {
    for (const key of instance.labels.keys(version)) instance.labels.delete(version, key);
    for (const key of instance.tags_.keys(version)) instance.tags_.delete(version, key);
  }
  const tagE = new Map<string, Elem[]>();
  for (const [block, text] of allBlocks(instance, version)) {
    let elems: Elem[];
    try {
      elems = decodeList(text, true) ?? [];
    } catch {
      break; // DVID logs and stops the scan, then writes what it has
    }
    if (!inMemory) {
      const fixed = elems.filter((e) => zyxKey(chunkOf(e.Pos, bs)) === zyxKey(block));
      if (fixed.length !== elems.length) putBlock(instance, version, block, fixed);
      for (const e of elems) for (const tag of e.Tags ?? []) tagE.set(tag, [...(tagE.get(tag) ?? []), e]);
      continue;
    }
    for (const e of elems) {
      for (const tag of e.Tags ?? []) tagE.set(tag, [...(tagE.get(tag) ?? []), { Pos: e.Pos, Kind: e.Kind, Tags: e.Tags, Prop: e.Prop }]);
    }
  }
  for (const [tag, list] of tagE) {
    if (tag === '') continue;
    if (!inMemory) {
      const stored = getIndexListWithRels(instance, version, tag);
      addElems(stored, list, true);
      instance.tags_.put(version, tag, marshalList(stored, true));
    } else if (check) {
      const norm = (l: Elem[]) => JSON.stringify([...l].map((e) => marshalElem({ ...e, Tags: [...(e.Tags ?? [])].sort() }, false)).sort());
      if (norm(getIndexList(instance.tags_, version, tag)) !== norm(list)) instance.tags_.put(version, tag, marshalList(list, false));
    } else {
      instance.tags_.put(version, tag, marshalList(list, false));
    }
  }
  return emptyResponse();
}

function getIndexListWithRels(instance: AnnotationInstance, node: VersionNode, tag: string): Elem[] {
  const text = instance.tags_.get(node, tag);
  return text === undefined ? [] : (decodeList(text, true) ?? []);
}

function relationshipsOf(req: DataRequest): boolean {
  return req.request.query.get('relationships') === 'true';
}

function serveLabel(req: DataRequest<AnnotationInstance>): Response {
  if (req.request.method !== 'GET' && req.request.method !== 'HEAD') throw new Error("Only GET action is available on 'label' endpoint.");
  if (req.parts.length < 5) throw new Error("Must include label after 'label' endpoint.");
  const text = req.parts[4];
  if (!/^\d+$/.test(text)) throw new Error(`strconv.ParseUint: parsing ${goQuote(text)}: invalid syntax`);
  const label = BigInt(text);
  if (label > MAX_U64) throw new Error(`strconv.ParseUint: parsing ${goQuote(text)}: value out of range`);
  if (label === 0n) throw new Error('Label 0 is protected background value and cannot be used for query.');
  const view = labelView(req);
  const list = view ? (view.get(label) ?? []) : getIndexList(req.instance.labels, req.version, uint64Key(label));
  return jsonResponse(relationshipsOf(req) ? marshalList(expand(req, list), true) : marshalList(list, false));
}

function serveTag(req: DataRequest<AnnotationInstance>): Response {
  if (req.request.method !== 'GET' && req.request.method !== 'HEAD') throw new Error("Only GET action is available on 'tag' endpoint.");
  if (req.parts.length < 5) throw new Error("Must include tag string after 'tag' endpoint.");
  const tag = req.parts[4];
  const list = getIndexList(req.instance.tags_, req.version, tag);
  return jsonResponse(relationshipsOf(req) ? marshalList(expand(req, list), true) : marshalList(list, false));
}

function serveRoi(req: DataRequest<AnnotationInstance>): Response {
  if (req.request.method !== 'GET' && req.request.method !== 'HEAD') throw new Error("Only GET action is available on 'roi' endpoint.");
  if (req.parts.length < 5) throw new Error("Expect ROI specification to follow 'roi' in GET request");
  const roiParts = req.parts[4].split(',');
  let spec: string;
  if (roiParts.length === 1) spec = `roi:${roiParts[0]},${req.node.uuid}`;
  else if (roiParts.length === 2) spec = `roi:${req.parts[4]}`;
  else throw new Error(`Bad ROI specification: ${goQuote(req.parts[4])}`);
  const [name, uuid] = spec.slice(4).split(',');
  let roi: RoiInstance;
  let roiNode: MockNode;
  try {
    const resolved = req.context.state.resolveUuid(uuid);
    const instance = resolved.repo.instances.get(name);
    if (!instance) throw new Error('invalid data instance name');
    if (instance.type.name !== 'roi') throw new Error(`Data instance ${goQuote(name)} is not ROI instance`);
    roi = instance as unknown as RoiInstance;
    roiNode = instance.versioned ? resolved.node : resolved.repo.nodes.get(resolved.repo.root)!;
  } catch (err) {
    throw new Error(`ROI specification was not parsable (${spec}): ${(err as Error).message}\n`);
  }
  const spans = roiSpans(roi, roiNode);
  const bs = blockSizeOf(req.repo, req.instance);
  if (!samePos(bs, roi.blockSize)) {
    throw new Error(`/roi endpoint currently requires ROI ${goQuote(roi.name)} to have same block size as annotation ${goQuote(req.instance.name)}`);
  }
  const out: Elem[] = [];
  const blocks = allBlocks(req.instance, req.version);
  for (const [z, y, x0, x1] of spans) {
    for (const [b, text] of blocks) {
      if (b[2] === z && b[1] === y && b[0] >= x0 && b[0] <= x1) out.push(...(decodeList(text, true) ?? []));
    }
  }
  return jsonResponse(out.length ? marshalList(out, true) : 'null');
}

async function handle(req: DataRequest<AnnotationInstance>): Promise<Response> {
  const method = req.request.method;
  const { instance, version } = req;
  switch (req.keyword) {
    case 'help':
      return helpResponse(req);
    case 'info':
      return jsonResponse(goJson(info(instance)));
    case 'sync':
      return serveSync(req, (other) =>
        LABEL_TYPES.includes(other.type.name)
          ? undefined
          : `unable to sync ${instance.name} with ${other.name} since datatype ${goQuote(other.type.name)} is not supported`,
      );
    case 'tags':
      return serveTags(req);
    case 'labels':
      return postLabels(req);
    case 'label':
      return serveLabel(req);
    case 'tag':
      return serveTag(req);
    case 'roi':
      return serveRoi(req);
    case 'all-elements':
      if (method !== 'GET' && method !== 'HEAD') throw new Error("Only GET is available on 'all-elements' endpoint.");
      if (req.parts.length > 4) throw new Error("Do not expect additional parameters after 'all-elements' in GET request");
      return streamBlocks(allBlocks(instance, version));
    case 'scan': {
      if (method !== 'GET' && method !== 'HEAD') throw new Error("Only GET is available on 'scan' endpoint.");
      if (req.parts.length > 4) throw new Error("Do not expect additional parameters after 'scan' in GET request");
      const blocks = allBlocks(instance, version);
      return jsonResponse(`{"num kv pairs":${blocks.length},"num empty blocks":${blocks.filter(([, t]) => t.length === 0).length}}`);
    }
    case 'blocks':
      if (method === 'GET' || method === 'HEAD') {
        if (req.parts.length < 6) throw new Error("Expect size and offset to follow 'blocks' in GET request");
        const { min, max } = extents(req);
        const bs = blockSizeOf(req.repo, instance);
        return streamBlocks(blocksInRange(instance, version, chunkOf(min, bs), chunkOf(max, bs)));
      }
      if (method === 'POST') return postBlocks(req);
      throw new Error("Only GET/POST action is available on 'blocks' endpoint.");
    case 'elements':
      if (method === 'GET' || method === 'HEAD') return getElementsInBox(req);
      if (method === 'POST') return postElements(req);
      throw new Error("Only GET or POST action is available on 'elements' endpoint.");
    case 'element':
      return deleteElement(req);
    case 'move':
      return moveElement(req);
    case 'reload':
      return reload(req);
    default:
      throw badApiRequest(req);
  }
}

function info(instance: AnnotationInstance): Record<string, unknown> {
  return { Base: baseJson(instance), Extended: {} };
}

registerDataType<AnnotationInstance>('annotation', {
  create(base: BaseInstance, _config: DvidConfig): AnnotationInstance {
    const instance = { ...base, kind: 'annotation', syncs: [] } as unknown as AnnotationInstance;
    instance.blocks = new VersionedStore<string>(instance);
    instance.labels = new VersionedStore<string>(instance);
    instance.tags_ = new VersionedStore<string>(instance);
    return instance;
  },
  info,
  handle,
});
