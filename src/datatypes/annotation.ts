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
 * This module holds the element types, checks and normalisation; the calls are in
 * `annotation-write.ts` and `annotation-read.ts`, the accessor class in `annotation-instance.ts`.
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
import { checkPoint3, type InstanceCallOptions } from './instance-common.js';

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
