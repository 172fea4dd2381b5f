/**
 * Label-level proofreading of the mock labelmap, as DVID v1.0.0 does it (`mutate.go`,
 * `labelidx.go`, `equiv.go`): `merge`, `cleave` and `renumber` change label indices and the
 * supervoxel → label mapping only; voxels (supervoxels) are never rewritten. Each completed
 * mutation is logged for `GET /mutations` with DVID's record fields.
 *
 * @example
 * ```ts
 * // POST /api/node/<uuid>/seg/merge [10, 20] → {"MutationID": 1000000001}
 * ```
 * @module
 */
import { goJson, sortedKeys } from '../gojson.js';
import { emptyResponse, GoPanic } from '../http.js';
import type { VersionNode } from '../versioned.js';
import {
  addIndex,
  cleaveIndexBlocks,
  cloneIndex,
  indexSupervoxels,
  newLabelIndex,
  stampIndex,
  type LabelIndex,
  type ModInfo,
} from './labelindex.js';
import {
  goNow,
  goUintList,
  handJson,
  modInfo,
  newLabel,
  newMutationId,
  parseLabel,
  parseUint64List,
  readBody,
  updateMaxLabel,
  type LabelmapRequest,
} from './request.js';
import type { LabelmapInstance } from './store.js';

/**
 * Stores a label index and raises the max label to its label (`putLabelIndexAndMax`).
 *
 * @example
 * ```ts
 * storeLabelIndex(seg, node, idx);
 * ```
 */
export function storeLabelIndex(instance: LabelmapInstance, at: VersionNode, idx: LabelIndex): void {
  instance.store.putIndex(at, idx);
  updateMaxLabel(instance, at, idx.label);
}

/**
 * Logs a completed mutation: DVID's message map with `UUID`, `Timestamp` and the `User`/`App`
 * of the request when given, keys sorted as Go marshals maps.
 *
 * @example
 * ```ts
 * logMutation(req, info, { Action: 'merge-complete', MutationID: 1000000001n, Target: 10n, Labels: [20n] });
 * ```
 */
export function logMutation(req: LabelmapRequest, info: ModInfo, fields: Record<string, unknown>): void {
  const record: Record<string, unknown> = { ...fields, UUID: req.version.uuid, Timestamp: goNow(req) };
  if (info.user) record.User = info.user;
  if (info.app) record.App = info.app;
  req.instance.store.logMutation(req.version, goJson(sortedKeys(record)));
}

async function bodyText(req: LabelmapRequest): Promise<string> {
  return new TextDecoder().decode(await readBody(req));
}

/** `MergeLabels` after the tuple checks; returns the mutation ID. */
function mergeLabels(req: LabelmapRequest, target: bigint, merged: readonly bigint[], info: ModInfo): bigint {
  const { instance, version } = req;
  const mutId = newMutationId(req);
  const stored = instance.store.getIndex(version, target);
  if (!stored) throw new Error(`can't merge into a non-existent label ${target}`);
  const targetIdx = cloneIndex(stored);
  const mergeIdx = newLabelIndex(0n);
  for (const label of merged) addIndex(mergeIdx, instance.store.getIndex(version, label));
  for (const sv of indexSupervoxels(mergeIdx)) instance.store.setMapping(version, sv, target);
  if (mergeIdx.blocks.size > 0) {
    addIndex(targetIdx, mergeIdx);
    stampIndex(targetIdx, mutId, info);
    storeLabelIndex(instance, version, targetIdx);
  }
  for (const label of merged) instance.store.deleteIndex(version, label);
  logMutation(req, info, { Action: 'merge-complete', MutationID: mutId, Target: target, Labels: [...merged] });
  return mutId;
}

/**
 * `POST /merge` with `[target, label, …]`.
 *
 * @example
 * ```ts
 * await handleMerge(req); // {"MutationID": 1000000001}
 * ```
 */
export async function handleMerge(req: LabelmapRequest): Promise<Response> {
  if (req.request.method !== 'POST') throw new Error('Merge requests must be POST actions.');
  const text = await bodyText(req);
  let tuple: bigint[] | null;
  try {
    tuple = parseUint64List(text, 'labels.MergeTuple');
  } catch (err) {
    throw new Error(`Bad merge op JSON: ${(err as Error).message}`);
  }
  if (tuple === null || tuple.length === 1) throw new Error(`invalid merge tuple ${goUintList(tuple ?? [])}, need at least target and to-merge labels`);
  if (tuple.length === 0) throw new GoPanic('runtime error: index out of range [0] with length 0');
  const merged: bigint[] = [];
  for (const label of tuple.slice(1)) {
    if (label === 0n) throw new Error(`invalid merge tuple ${goUintList(tuple)} -- cannot contain background label 0`);
    if (!merged.includes(label)) merged.push(label);
  }
  let mutId: bigint;
  try {
    mutId = mergeLabels(req, tuple[0], merged, modInfo(req));
  } catch (err) {
    throw new Error(`Error on merge: ${(err as Error).message}`);
  }
  return handJson(`{"MutationID": ${mutId}}`);
}

/**
 * `POST /cleave/{label}` with `[sv, …]`: the supervoxels move to a new label.
 *
 * @example
 * ```ts
 * await handleCleave(req); // {"CleavedLabel": 34, "MutationID": 1000000003}
 * ```
 */
export async function handleCleave(req: LabelmapRequest): Promise<Response> {
  const { instance, version } = req;
  if (req.request.method !== 'POST') throw new Error('Cleave requests must be POST actions.');
  if (req.parts.length < 5) throw new Error("ERROR: DVID requires label ID to follow 'cleave' command");
  const label = parseLabel(req.parts[4]);
  if (label === 0n) throw new Error('Label 0 is protected background value and cannot be used as cleave target\n');
  const info = modInfo(req);
  const cleaveLabel = newLabel(instance, version);
  const text = await bodyText(req);
  if (text.length === 0) throw new Error('no cleave supervoxels JSON was POSTed');
  let list: bigint[] | null;
  try {
    list = parseUint64List(text);
  } catch (err) {
    throw new Error(`bad cleave supervoxels JSON: ${(err as Error).message}`);
  }
  const supervoxels = list ?? [];
  const mutId = newMutationId(req);
  const stored = instance.store.getIndex(version, label);
  if (!stored) throw new Error(`cannot cleave non-existent label ${label}`);
  const idx = cloneIndex(stored);
  stampIndex(idx, mutId, info);
  const remaining = indexSupervoxels(idx);
  for (const sv of supervoxels) {
    if (!remaining.has(sv)) throw new Error(`cannot cleave supervoxel ${sv}, which does not exist in label ${label}`);
    remaining.delete(sv);
  }
  if (remaining.size === 0) throw new Error(`cannot cleave all supervoxels from the label ${label}`);
  const { cleaved, cleavedSize, remainSize } = cleaveIndexBlocks(idx, cleaveLabel, supervoxels);
  stampIndex(cleaved, mutId, info);
  storeLabelIndex(instance, version, cleaved);
  storeLabelIndex(instance, version, idx);
  if (supervoxels.length > 0) {
    for (const sv of supervoxels) instance.store.setMapping(version, sv, cleaveLabel);
    instance.store.setMapping(version, cleaveLabel, 0n);
  }
  logMutation(req, info, {
    Action: 'cleave-complete',
    OrigLabel: label,
    CleavedLabel: cleaveLabel,
    CleavedSupervoxels: list,
    MutationID: mutId,
    CleavedSize: cleavedSize,
    RemainSize: remainSize,
  });
  return handJson(`{"CleavedLabel": ${cleaveLabel}, "MutationID": ${mutId}}`);
}

/** `RenumberLabels`: the label's index and supervoxels move to a new, unused label. */
function renumberLabel(req: LabelmapRequest, origLabel: bigint, newLabelId: bigint, info: ModInfo): void {
  const { instance, version } = req;
  if (instance.store.hasIndex(version, newLabelId)) throw new Error(`target label for renumber (${newLabelId}) already exists in mapping`);
  const mutId = newMutationId(req);
  const stored = instance.store.getIndex(version, origLabel);
  if (!stored) throw new Error(`can't renumber non-existant body with label ${origLabel}`);
  const supervoxels = indexSupervoxels(stored);
  if (supervoxels.size > 0) {
    for (const sv of supervoxels) instance.store.setMapping(version, sv, newLabelId);
    instance.store.setMapping(version, newLabelId, 0n);
  }
  if (stored.blocks.size > 0) {
    const idx = { ...cloneIndex(stored), label: newLabelId };
    stampIndex(idx, mutId, info);
    storeLabelIndex(instance, version, idx);
  }
  instance.store.deleteIndex(version, origLabel);
  logMutation(req, info, { Action: 'renumber-complete', MutationID: mutId, NewLabel: newLabelId, OrigLabel: origLabel });
}

/**
 * `POST /renumber` with `[new1, old1, new2, old2, …]`: 200 with an empty body.
 *
 * @example
 * ```ts
 * await handleRenumber(req);
 * ```
 */
export async function handleRenumber(req: LabelmapRequest): Promise<Response> {
  if (req.request.method !== 'POST') throw new Error('Renumber requests must be POST actions.');
  const text = await bodyText(req);
  let pairs: bigint[];
  try {
    pairs = parseUint64List(text) ?? [];
  } catch (err) {
    throw new Error(`Bad renumber op JSON, must be list of numbers: ${(err as Error).message}`);
  }
  if (pairs.length % 2 !== 0) throw new Error('Bad renumber op JSON, must be even list of numbers [new1, old1, new2, old2, ...]');
  const info = modInfo(req);
  for (let i = 0; i < pairs.length; i += 2) {
    try {
      renumberLabel(req, pairs[i + 1], pairs[i], info);
    } catch (err) {
      throw new Error(`Error on merge: ${(err as Error).message}`);
    }
  }
  return emptyResponse();
}
