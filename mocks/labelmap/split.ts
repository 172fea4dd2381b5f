/**
 * Voxel-level proofreading of the mock labelmap, as DVID v1.0.0 does it: `split/{label}` gives
 * every supervoxel the runs touch two new IDs (the voxels under the runs, the rest) and maps
 * the split parts to a new label; `split-supervoxel/{sv}` does the same for one supervoxel,
 * keeping both parts in its label. Blocks whose split supervoxels change entirely only get a
 * new label table (DVID's header modification); others are relabelled voxel by voxel. Label
 * indices, the mapping, the lower scales and the mutation log follow.
 *
 * Bodies are DVID's legacy RLEs (`dvid.ReadRLEs`: 8 header bytes, `uint32` run count, runs).
 *
 * @example
 * ```ts
 * // POST /api/node/<uuid>/seg/split/300 <RLEs> → {"label": 38, "MutationID": 1000000007}
 * ```
 * @module
 */
import type { Point3 } from '../geometry.js';
import { goQuote } from '../goformat.js';
import { sortedKeys } from '../gojson.js';
import { newUuid } from '../instance.js';
import { LabelBlock } from './block.js';
import { cloneIndex, compareZyx, describeBlockKey, indexSupervoxels, indexVoxels, newLabelIndex, parseBlockKey, stampIndex, supervoxelCounts, type LabelIndex, type ModInfo } from './labelindex.js';
import { logMutation, storeLabelIndex } from './mutate.js';
import { handJson, LABEL0_SPARSE, modInfo, newLabel, newMutationId, parseLabel, readBody, requireBlockSize, updateMaxLabel, type LabelmapRequest } from './request.js';
import { computeLowerScales } from './write.js';

/** One run along x: start and length. */
interface Run {
  x: number;
  y: number;
  z: number;
  n: number;
}

/** A supervoxel's two new IDs. */
interface SvSplit {
  split: bigint;
  remain: bigint;
}

/**
 * `dvid.ReadRLEs` with Go's io errors (`EOF` when a field starts at the end, `unexpected EOF`
 * inside one).
 *
 * @example
 * ```ts
 * readRuns(encodeRles(createRunList([[0, 0, 0, 8]]))); // [{ x: 0, y: 0, z: 0, n: 8 }]
 * ```
 */
export function readRuns(body: Uint8Array): Run[] {
  const need = (pos: number, n: number) => {
    if (body.length - pos >= n) return;
    throw new Error(body.length <= pos ? 'EOF' : 'unexpected EOF');
  };
  need(0, 8);
  if (body[0] !== 0) throw new Error(`sparse vol is not binary: ${body[0]}`);
  need(8, 4);
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const count = dv.getUint32(8, true);
  const runs: Run[] = [];
  for (let i = 0, pos = 12; i < count; i++) {
    const v: number[] = [];
    for (let k = 0; k < 4; k++, pos += 4) {
      need(pos, 4);
      v.push(dv.getInt32(pos, true));
    }
    runs.push({ x: v[0], y: v[1], z: v[2], n: v[3] });
  }
  return runs;
}

/** `RLEs.Stats`: the voxels of the runs (uint64 of each int32 length, as Go adds them). */
function runVoxels(runs: readonly Run[]): bigint {
  let total = 0n;
  for (const r of runs) total = BigInt.asUintN(64, total + BigInt.asUintN(64, BigInt(r.n)));
  return total;
}

/** `RLEs.Partition`: runs cut at block faces along x, by block key. */
function partitionRuns(runs: readonly Run[], size: Point3): Map<string, Run[]> {
  const out = new Map<string, Run[]>();
  for (const run of runs) {
    const b = [run.x, run.y, run.z].map((v, d) => Math.floor(v / size[d]));
    let blockStart = b[0] * size[0];
    let x = run.x;
    for (let remain = run.n; remain >= 1; ) {
      const dx = blockStart + size[0] - x;
      const key = b.join(',');
      const list = out.get(key) ?? [];
      list.push({ x, y: run.y, z: run.z, n: Math.min(remain, dx) });
      out.set(key, list);
      b[0]++;
      blockStart += size[0];
      x += dx;
      remain -= dx;
    }
  }
  return out;
}

/** Calls `visit` with the block-relative voxel index of every voxel under the runs. */
function forRunVoxels(runs: readonly Run[], coord: Point3, size: Point3, visit: (i: number) => void): void {
  for (const r of runs) {
    const base = ((r.z - coord[2] * size[2]) * size[1] + (r.y - coord[1] * size[1])) * size[0] + (r.x - coord[0] * size[0]);
    for (let k = 0; k < r.n; k++) visit(base + k);
  }
}

/** `ReplaceLabels`: the same voxels under a relabelled table. */
function relabelTable(block: LabelBlock, mapping: ReadonlyMap<bigint, bigint>): LabelBlock {
  return block.withTable(block.table.map((label) => mapping.get(label) ?? label));
}

/**
 * Relabels the voxels of split supervoxels: under the runs to their split ID, elsewhere to
 * their remain ID (`SplitSupervoxels`, `SplitSupervoxel`). Returns the block and the voxels
 * given each ID.
 */
function relabelVoxels(block: LabelBlock, coord: Point3, runs: readonly Run[], splits: ReadonlyMap<bigint, SvSplit>): { block: LabelBlock; counts: Map<bigint, number> } {
  const words = block.expand();
  const target = Array.from(block.table, (label) => splits.get(label));
  const marked = new Uint8Array(block.voxels);
  const counts = new Map<bigint, number>();
  const set = (i: number, label: bigint) => {
    words[2 * i] = Number(label & 0xffffffffn);
    words[2 * i + 1] = Number(label >> 32n);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  };
  forRunVoxels(runs, coord, block.size, (i) => {
    const split = target[block.index ? block.index[i] : 0];
    if (!split || marked[i]) return;
    marked[i] = 1;
    set(i, split.split);
  });
  for (let i = 0; i < block.voxels; i++) {
    const split = target[block.index ? block.index[i] : 0];
    if (split && !marked[i]) set(i, split.remain);
  }
  return { block: LabelBlock.fromWords(words, block.size), counts };
}

/** Pass 1 of a label split: per block under the runs, the voxels of each supervoxel. */
function countSplitVoxels(req: LabelmapRequest, byBlock: Map<string, Run[]>, keys: readonly string[], svSplits: Map<bigint, SvSplit>): Map<string, Map<bigint, number>> {
  const size = requireBlockSize(req);
  const out = new Map<string, Map<bigint, number>>();
  for (const key of keys) {
    const coord = parseBlockKey(key);
    const block = req.instance.store.getBlock(req.version, 0, coord);
    if (!block) throw new Error(`split on block ${describeBlockKey(key)} attempted but block doesn't exist`);
    const counts = new Map<bigint, number>();
    forRunVoxels(byBlock.get(key)!, coord, size, (i) => {
      const label = block.table[block.index ? block.index[i] : 0];
      if (label === 0n) return;
      if (!svSplits.has(label)) svSplits.set(label, { split: newLabel(req.instance, req.version), remain: newLabel(req.instance, req.version) });
      counts.set(label, (counts.get(label) ?? 0) + 1);
    });
    out.set(key, counts);
  }
  return out;
}

/** DVID's `splitIndex`: the label keeps its remains, a new index gets the split parts. */
function splitLabelIndex(idx: LabelIndex, toLabel: bigint, blockSplits: Map<string, Map<bigint, number>>, svSplits: Map<bigint, SvSplit>): LabelIndex {
  const split = newLabelIndex(toLabel);
  for (const [key, counts] of idx.blocks) {
    const inBlock = blockSplits.get(key);
    const splitCounts = new Map<bigint, number>();
    for (const [sv, orig] of [...counts]) {
      const ids = svSplits.get(sv);
      if (!ids) continue;
      const voxels = inBlock?.get(sv);
      if (voxels !== undefined) {
        if (voxels > orig) throw new Error(`block ${describeBlockKey(key)} had ${voxels} voxels written over supervoxel ${sv} in label ${idx.label} split yet this supervoxel only had ${orig} voxels from index`);
        splitCounts.set(ids.split, voxels);
        if (orig > voxels) counts.set(ids.remain, orig - voxels);
      } else {
        counts.set(ids.remain, orig);
      }
      counts.delete(sv);
    }
    if (inBlock) split.blocks.set(key, splitCounts);
    if (counts.size === 0) idx.blocks.delete(key);
  }
  return split;
}

/** Pass 2 of a label split: rewrites every indexed block holding a split supervoxel. */
function rewriteSplitBlocks(req: LabelmapRequest, idx: LabelIndex, byBlock: Map<string, Run[]>, blockSplits: Map<string, Map<bigint, number>>, svSplits: Map<bigint, SvSplit>): Map<string, LabelBlock> {
  const affected = [...idx.blocks.keys()].filter((key) => [...idx.blocks.get(key)!.keys()].some((sv) => svSplits.has(sv)));
  affected.sort((a, b) => compareZyx(parseBlockKey(a), parseBlockKey(b)));
  const changed = new Map<string, LabelBlock>();
  for (const key of affected) {
    const coord = parseBlockKey(key);
    const block = req.instance.store.getBlock(req.version, 0, coord);
    if (!block) throw new Error(`block ${describeBlockKey(key)} doesn't exist for split modification`);
    const counts = idx.blocks.get(key)!;
    const inBlock = blockSplits.get(key);
    const mapping = new Map<bigint, bigint>();
    let replaceable = true;
    for (const [sv, count] of counts) {
      const ids = svSplits.get(sv);
      if (!ids) continue;
      const voxels = inBlock?.get(sv);
      if (voxels === undefined) mapping.set(sv, ids.remain);
      else if (voxels !== count) replaceable = false;
      else mapping.set(sv, ids.split);
    }
    changed.set(key, replaceable ? relabelTable(block, mapping) : relabelVoxels(block, coord, byBlock.get(key) ?? [], svSplits).block);
  }
  return changed;
}

/** `SplitLabels`; returns the new label and the mutation ID. */
function splitLabel(req: LabelmapRequest, fromLabel: bigint, body: Uint8Array, info: ModInfo): { toLabel: bigint; mutId: bigint } {
  const { instance, version } = req;
  const size = requireBlockSize(req);
  const toLabel = newLabel(instance, version);
  const runs = readRuns(body);
  const splitSize = runVoxels(runs);
  if (splitSize === 0n) throw new Error('bad split since split volume was zero voxels');
  const stored = instance.store.getIndex(version, fromLabel);
  if (!stored) throw new Error(`unable to modify split index for data ${goQuote(instance.name)}: missing label ${fromLabel}`);
  const mutId = newMutationId(req);
  const fromSize = BigInt(indexVoxels(stored));
  if (splitSize >= fromSize) throw new Error(`split volume of ${splitSize} voxels >= ${fromSize} of label ${fromLabel}`);
  const byBlock = partitionRuns(runs, size);
  const keys = [...byBlock.keys()].sort((a, b) => compareZyx(parseBlockKey(a), parseBlockKey(b)));
  const svSplits = new Map<bigint, SvSplit>();
  const blockSplits = countSplitVoxels(req, byBlock, keys, svSplits);
  const members = indexSupervoxels(stored);
  for (const sv of svSplits.keys()) {
    if (!members.has(sv)) throw new Error(`supervoxel ${sv} was part of split volume yet was not part of body label ${fromLabel}`);
  }
  const idx = cloneIndex(stored);
  const changed = rewriteSplitBlocks(req, idx, byBlock, blockSplits, svSplits);
  for (const [key, block] of changed) instance.store.putBlock(version, 0, parseBlockKey(key), block);
  stampIndex(idx, mutId, info);
  const splitIdx = splitLabelIndex(idx, toLabel, blockSplits, svSplits);
  stampIndex(splitIdx, mutId, info);
  storeLabelIndex(instance, version, idx);
  storeLabelIndex(instance, version, splitIdx);
  for (const [sv, ids] of svSplits) {
    instance.store.setMapping(version, ids.split, toLabel);
    instance.store.setMapping(version, ids.remain, fromLabel);
    instance.store.setMapping(version, sv, 0n);
  }
  computeLowerScales(instance, version, changed, size);
  const splitsJson: Record<string, unknown> = {};
  for (const [sv, ids] of svSplits) splitsJson[String(sv)] = { Split: ids.split, Remain: ids.remain };
  logMutation(req, info, {
    Action: 'split-complete',
    Target: fromLabel,
    NewLabel: toLabel,
    Split: newUuid(),
    MutationID: mutId,
    SVSplits: sortedKeys(splitsJson),
  });
  return { toLabel, mutId };
}

/**
 * `POST /split/{label}` with legacy RLEs.
 *
 * @example
 * ```ts
 * await handleSplit(req); // {"label": 38, "MutationID": 1000000007}
 * ```
 */
export async function handleSplit(req: LabelmapRequest): Promise<Response> {
  if (req.request.method !== 'POST') throw new Error('Split requests must be POST actions.');
  if (req.parts.length < 5) throw new Error("ERROR: DVID requires label ID to follow 'split' command");
  const fromLabel = parseLabel(req.parts[4]);
  if (fromLabel === 0n) throw new Error(LABEL0_SPARSE);
  const body = await readBody(req);
  try {
    const { toLabel, mutId } = splitLabel(req, fromLabel, body, modInfo(req));
    return handJson(`{"label": ${toLabel}, "MutationID": ${mutId}}`);
  } catch (err) {
    if (err instanceof Error && err.constructor === Error) throw new Error(`split label ${fromLabel}: ${err.message}`);
    throw err;
  }
}

/** The IDs a supervoxel split has handed out so far (they appear in DVID's error text). */
interface SupervoxelSplitIds {
  split: bigint;
  remain: bigint;
}

/** `splitSupervoxelIndex`: the supervoxel's counts become split and remain counts. */
function splitSupervoxelCounts(idx: LabelIndex, sv: bigint, ids: SupervoxelSplitIds, byBlock: Map<string, Run[]>): string[] {
  const touched: string[] = [];
  for (const [key, counts] of idx.blocks) {
    const orig = counts.get(sv);
    if (orig === undefined) continue;
    counts.delete(sv);
    touched.push(key);
    const runs = byBlock.get(key);
    if (!runs) {
      counts.set(ids.remain, orig);
      continue;
    }
    const split = Number(runVoxels(runs));
    counts.set(ids.split, split);
    if (split > orig) throw new Error(`tried to split ${split} voxels from supervoxel ${sv}, but label index only has ${orig} voxels`);
    if (split !== orig) counts.set(ids.remain, orig - split);
  }
  return touched;
}

/** `SplitSupervoxel`; fills `ids` as DVID assigns them and returns the mutation ID. */
function splitSupervoxel(req: LabelmapRequest, sv: bigint, ids: SupervoxelSplitIds, body: Uint8Array, downscale: boolean, info: ModInfo): bigint {
  const { instance, version } = req;
  const size = requireBlockSize(req);
  const q = req.request.query;
  const assign = (param: string) => {
    const given = q.get(param) ? parseLabel(q.get(param)!) : 0n;
    if (given === 0n) return newLabel(instance, version);
    updateMaxLabel(instance, version, given);
    return given;
  };
  ids.split = assign('split');
  ids.remain = assign('remain');
  const runs = readRuns(body);
  const splitSize = runVoxels(runs);
  const mapped = instance.store.mapLabel(version, sv);
  const label = mapped.label;
  const stored = instance.store.getIndex(version, label);
  if (!stored) throw new Error(`unable to split supervoxel ${sv} for data ${goQuote(instance.name)}: missing label index ${label}`);
  const svSize = BigInt(supervoxelCounts(stored).get(sv) ?? 0);
  if (splitSize > svSize) throw new Error(`split volume of ${splitSize} > ${svSize} of supervoxel ${sv}`);
  const mutId = newMutationId(req);
  const byBlock = partitionRuns(runs, size);
  const idx = cloneIndex(stored);
  stampIndex(idx, mutId, info);
  const touched = splitSupervoxelCounts(idx, sv, ids, byBlock);
  const splits = new Map([[sv, { split: ids.split, remain: ids.remain }]]);
  const changed = new Map<string, LabelBlock>();
  const errors: string[] = [];
  for (const key of touched) {
    const coord = parseBlockKey(key);
    const block = instance.store.getBlock(version, 0, coord);
    if (!block) continue;
    const { block: split, counts } = relabelVoxels(block, coord, byBlock.get(key) ?? [], splits);
    const got = [counts.get(ids.split) ?? 0, counts.get(ids.remain) ?? 0];
    const want = [idx.blocks.get(key)?.get(ids.split) ?? 0, idx.blocks.get(key)?.get(ids.remain) ?? 0];
    if (got[0] !== want[0] || got[1] !== want[1]) {
      errors.push(`ran supervoxel ${sv} split on block ${describeBlockKey(key)}: got ${got[0]} split, ${got[1]} remain voxels, different from label index ${want[0]} split, ${want[1]} remain`);
      continue;
    }
    changed.set(key, split);
  }
  if (errors.length > 0) throw new Error(`supervoxel split of ${sv}: ${errors.length} errors, last one: ${errors[errors.length - 1]}`);
  for (const [key, block] of changed) instance.store.putBlock(version, 0, parseBlockKey(key), block);
  instance.store.setMapping(version, ids.split, label);
  instance.store.setMapping(version, ids.remain, label);
  instance.store.setMapping(version, sv, 0n);
  storeLabelIndex(instance, version, idx);
  if (downscale) computeLowerScales(instance, version, changed, size);
  logMutation(req, info, {
    Action: 'split-supervoxel-complete',
    Supervoxel: sv,
    Body: label,
    SplitSupervoxel: ids.split,
    RemainSupervoxel: ids.remain,
    Split: newUuid(),
    MutationID: mutId,
    SplitSize: splitSize,
    RemainSize: svSize - splitSize,
  });
  return mutId;
}

/**
 * `POST /split-supervoxel/{sv}[?split=ID][&remain=ID][&downres=false]` with legacy RLEs.
 *
 * @example
 * ```ts
 * await handleSplitSupervoxel(req); // {"SplitSupervoxel": 45, "RemainSupervoxel": 46, "MutationID": ...}
 * ```
 */
export async function handleSplitSupervoxel(req: LabelmapRequest): Promise<Response> {
  if (req.request.method !== 'POST') throw new Error('Split requests must be POST actions.');
  if (req.parts.length < 5) throw new Error("ERROR: DVID requires label ID to follow 'split' command");
  const q = req.request.query;
  for (const param of ['split', 'remain']) {
    const text = q.get(param) ?? '';
    if (text === '') continue;
    try {
      parseLabel(text);
    } catch {
      throw new Error(`bad ${param} query string provided: ${text}`);
    }
  }
  const downscale = q.get('downres') !== 'false';
  const sv = parseLabel(req.parts[4]);
  if (sv === 0n) throw new Error('Label 0 is protected background value and cannot be used as split target\n');
  const body = await readBody(req);
  const ids: SupervoxelSplitIds = { split: 0n, remain: 0n };
  try {
    const mutId = splitSupervoxel(req, sv, ids, body, downscale, modInfo(req));
    return handJson(`{"SplitSupervoxel": ${ids.split}, "RemainSupervoxel": ${ids.remain}, "MutationID": ${mutId}}`);
  } catch (err) {
    if (err instanceof Error && err.constructor === Error) throw new Error(`split supervoxel ${sv} -> ${ids.split}, ${ids.remain}: ${err.message}`);
    throw err;
  }
}
