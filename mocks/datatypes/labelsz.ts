/**
 * The labelsz data type of the mock, as DVID v1.0.0 serves it (`datatype/labelsz`): per-label
 * counts of the element kinds of a synced annotation instance (`PostSyn`, `PreSyn`, `Gap`,
 * `Note`, `AllSyn` = every kind together, `Voxels` always 0), optionally restricted to a static
 * ROI, with `count`, `counts` (GET body), `top` and `threshold` in DVID's formats and order
 * (highest count first, ties by label).
 *
 * The counts are computed from the annotation's label index when asked, so they are always
 * converged: DVID keeps them from sync events and `reload` (which the mock accepts and needs
 * not), so right after changes DVID may still report older counts — clients poll (the SDK's
 * `waitForLabelCount`).
 *
 * @example
 * ```ts
 * // GET /api/node/<uuid>/sizes/count/7/PreSyn → {"Label":7,"PreSyn":3}
 * // GET /api/node/<uuid>/sizes/top/2/AllSyn   → [{"Label":7,"Size":5},{"Label":5,"Size":3}]
 * ```
 * @module
 */
import type { DvidConfig } from '../config.js';
import { goQuote } from '../goformat.js';
import { goJson, parseGoJson } from '../gojson.js';
import { emptyResponse, jsonResponse } from '../http.js';
import type { BaseInstance } from '../instance.js';
import type { MockNode } from '../state.js';
import { badApiRequest, registerDataType, type DataRequest } from '../versioned.js';
import { labelElementsOf, type AnnotationInstance } from './annotation.js';
import { baseJson, chunkOf, helpResponse, requestText, serveSync, type SyncingInstance } from './common.js';
import { roiSpans, type RoiInstance } from './roi.js';

const INDEX_TYPES = ['PostSyn', 'PreSyn', 'Gap', 'Note', 'AllSyn', 'Voxels'];
const MAX_U64 = (1n << 64n) - 1n;
const MAX_LABELS_RETURNED = 10000;

/**
 * A labelsz instance of the mock.
 *
 * @example
 * ```ts
 * (state.getInstance(uuid, 'sizes') as LabelszInstance).staticRoi // '' or 'roiname,uuid'
 * ```
 */
export interface LabelszInstance extends SyncingInstance {
  kind: 'labelsz';
  staticRoi: string;
}

function parseUint(text: string, bits: 32 | 64): bigint {
  if (!/^\d+$/.test(text)) throw new Error(`strconv.ParseUint: parsing ${goQuote(text)}: invalid syntax`);
  const v = BigInt(text);
  if (v > (bits === 64 ? MAX_U64 : 0xffffffffn)) throw new Error(`strconv.ParseUint: parsing ${goQuote(text)}: value out of range`);
  return v;
}

function indexType(text: string): string {
  if (!INDEX_TYPES.includes(text)) throw new Error(`unknown index type specified (${goQuote(text)})`);
  return text;
}

/** A predicate for the static ROI (everything when none; nothing when it cannot be loaded). */
function roiFilter(req: DataRequest<LabelszInstance>): (pos: readonly number[]) => boolean {
  const spec = req.instance.staticRoi;
  if (spec === '') return () => true;
  try {
    const [name, uuid] = spec.split(',');
    const resolved = req.context.state.resolveUuid(uuid);
    const roi = resolved.repo.instances.get(name) as unknown as RoiInstance | undefined;
    if (!roi || roi.type.name !== 'roi') return () => false;
    const node: MockNode = roi.versioned ? resolved.node : resolved.repo.nodes.get(resolved.repo.root)!;
    const blocks = new Set<string>();
    for (const [z, y, x0, x1] of roiSpans(roi, node)) for (let x = x0; x <= x1; x++) blocks.add(`${x},${y},${z}`);
    return (pos) => blocks.has(chunkOf(pos, roi.blockSize).join(','));
  } catch {
    return () => false;
  }
}

/** Counts per index type and label (only labels with elements appear), as DVID's reload writes them. */
function counts(req: DataRequest<LabelszInstance>): Map<string, Map<bigint, number>> {
  const out = new Map<string, Map<bigint, number>>(INDEX_TYPES.map((t) => [t, new Map()]));
  const annotation = req.instance.syncs
    .map((name) => req.repo.instances.get(name))
    .find((i): i is AnnotationInstance => i?.type.name === 'annotation') as AnnotationInstance | undefined;
  if (!annotation) return out;
  const inRoi = roiFilter(req);
  for (const [label, elems] of labelElementsOf({ repo: req.repo, version: req.version }, annotation)) {
    const perKind = new Map<string, number>();
    for (const e of elems) if (inRoi(e.Pos)) perKind.set(e.Kind, (perKind.get(e.Kind) ?? 0) + 1);
    let all = 0;
    for (const [kind, n] of perKind) {
      all += n;
      if (INDEX_TYPES.includes(kind)) out.get(kind)!.set(label, n);
    }
    out.get('AllSyn')!.set(label, all);
  }
  return out;
}

/** Labels of an index type by count (highest first), ties by label. */
function ranked(req: DataRequest<LabelszInstance>, type: string): [bigint, number][] {
  return [...(counts(req).get(type) ?? new Map<bigint, number>())].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function sizesJson(list: [bigint, number][]): string {
  return `[${list.map(([label, size]) => `{"Label":${label},"Size":${size}}`).join(',')}]`;
}

function onlyGet(req: DataRequest, keyword: string): void {
  if (req.request.method !== 'GET' && req.request.method !== 'HEAD') throw new Error(`Only GET action is available on '${keyword}' endpoint.`);
}

async function handle(req: DataRequest<LabelszInstance>): Promise<Response> {
  switch (req.keyword) {
    case 'help':
      return helpResponse(req);
    case 'info':
      return jsonResponse(goJson(info(req.instance)));
    case 'sync':
      return serveSync(req, () => undefined);
    case 'count': {
      onlyGet(req, 'count');
      if (req.parts.length < 6) throw new Error("Must include label and element type after 'count' endpoint.");
      const label = parseUint(req.parts[4], 64);
      const type = indexType(req.parts[5]);
      const n = counts(req).get(type)?.get(label) ?? 0;
      return jsonResponse(`{"Label":${label},"${type}":${n}}`);
    }
    case 'counts': {
      onlyGet(req, 'counts');
      const body = await requestText(req.request);
      if (req.parts.length < 5) throw new Error("Must include element type after 'counts' endpoint.");
      const type = indexType(req.parts[4]);
      const parsed = parseGoJson(body, 'unmarshal');
      let labels: bigint[] = [];
      const bad = (message: string) => new Error(`Bad JSON label array sent in 'counts' query: ${message}`);
      if (!parsed.ok) throw bad(parsed.error);
      const node = parsed.node!;
      if (node.kind === 'array') {
        labels = node.items.map((item) => {
          if (item.kind === 'null') return 0n;
          if (item.kind !== 'number') throw bad(`json: cannot unmarshal ${item.kind} into Go value of type uint64`);
          if (!/^\d+$/.test(item.text) || BigInt(item.text) > MAX_U64) throw bad(`json: cannot unmarshal number ${item.text} into Go value of type uint64`);
          return BigInt(item.text);
        });
      } else if (node.kind !== 'null') {
        throw bad(`json: cannot unmarshal ${node.kind} into Go value of type []uint64`);
      }
      const table = counts(req).get(type)!;
      return jsonResponse(`[${labels.map((l) => `{"Label":${l},"${type}":${table.get(l) ?? 0}}`).join(',')}]`);
    }
    case 'top': {
      onlyGet(req, 'top');
      if (req.parts.length < 6) throw new Error("Must include N and element type after 'top' endpoint.");
      const n = Number(parseUint(req.parts[4], 32));
      const type = indexType(req.parts[5]);
      return jsonResponse(sizesJson(n === 0 ? [] : ranked(req, type).slice(0, n)));
    }
    case 'threshold': {
      onlyGet(req, 'threshold');
      if (req.parts.length < 6) throw new Error("Must include threshold # and element type after 'threshold' endpoint.");
      const min = Number(parseUint(req.parts[4], 32));
      const type = indexType(req.parts[5]);
      const q = req.request.query;
      const int = (name: string, what: string): number => {
        const text = q.get(name) ?? '';
        if (text === '') return 0;
        if (!/^[+-]?\d+$/.test(text)) throw new Error(`bad ${what} specified in query string (${goQuote(text)})`);
        return Number(text);
      };
      const offset = int('offset', 'offset');
      const num = int('n', 'num');
      if (num < 0) throw new Error(`bad number of requested labels (${num})`);
      const page = num === 0 ? MAX_LABELS_RETURNED : num;
      const above = ranked(req, type).filter(([, size]) => size >= min);
      return jsonResponse(sizesJson(above.slice(Math.max(0, offset), Math.max(0, offset) + page)));
    }
    case 'reload':
      if (req.request.method !== 'POST') throw new Error("Only POST action is available on 'reload' endpoint.");
      return emptyResponse();
    default:
      throw badApiRequest(req);
  }
}

function info(instance: LabelszInstance): Record<string, unknown> {
  return { Base: baseJson(instance), Extended: { StaticROI: instance.staticRoi } };
}

registerDataType<LabelszInstance>('labelsz', {
  create(base: BaseInstance, config: DvidConfig): LabelszInstance {
    const roi = config.getString('ROI');
    if (roi.error) throw new Error(roi.error);
    if (roi.found && roi.value!.split(',').length !== 2) {
      throw new Error(`bad ROI value (${goQuote(roi.value!)}) expected ${goQuote('<roiname>,<uuid>')}`);
    }
    return { ...base, kind: 'labelsz', syncs: [], staticRoi: roi.value ?? '' } as unknown as LabelszInstance;
  },
  info,
  handle,
});
