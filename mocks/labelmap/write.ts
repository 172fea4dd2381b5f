/**
 * Storing label blocks the way DVID v1.0.0 does, with the bookkeeping that follows: per-block
 * label counts aggregated into label-index changes (`aggregateBlockChanges`, `ChangeLabelIndex`),
 * max-label updates, extents, and the lower scales (`downres.Mutation.Execute`).
 *
 * `POST /raw` (`PutLabels`) and `POST /blocks` (`storeBlocks`) are implemented here; unlike DVID,
 * indexing finishes before the reply (DVID indexes `/raw` writes after replying).
 *
 * @example
 * ```ts
 * putLabels(req, { offset: [0, 0, 0], size: [64, 64, 64] }, bytes, true);
 * ```
 * @module
 */
import { gunzip } from '../../src/codecs/gzip.js';
import { decodeLabelBlock } from '../../src/codecs/labelblock.js';
import type { Point3, Subvolume } from '../geometry.js';
import { goQuote } from '../goformat.js';
import { notEmulated } from '../http.js';
import type { VersionNode } from '../versioned.js';
import { LabelBlock } from './block.js';
import { downresOctants, groupOctants } from './downres.js';
import { cloneIndex, describeBlockKey, modifyIndexBlocks, newLabelIndex, type SupervoxelChanges } from './labelindex.js';
import { newMutationId, requireBlockSize, updateBlockMaxLabel, updateMaxLabel, type LabelmapRequest } from './request.js';
import { blockRange, growLabelExtents, type LabelmapInstance } from './store.js';

/**
 * One block's change in voxel counts per supervoxel.
 *
 * @example
 * ```ts
 * const change: BlockChange = { key: '0,0,0', delta: new Map([[7n, 512]]) };
 * ```
 */
export interface BlockChange {
  key: string;
  delta: Map<bigint, number>;
}

/**
 * DVID's `CalcNumLabels(prev)`: counts of the new block minus counts of the old one.
 *
 * @example
 * ```ts
 * blockDelta(newBlock, oldBlock).get(7n); // -512 when 512 voxels of 7 were overwritten
 * ```
 */
export function blockDelta(current: LabelBlock, previous?: LabelBlock): Map<bigint, number> {
  const delta = new Map<bigint, number>();
  if (previous) for (const [label, count] of previous.counts()) delta.set(label, -count);
  for (const [label, count] of current.counts()) delta.set(label, (delta.get(label) ?? 0) + count);
  return delta;
}

/** `ChangeLabelIndex`: applies the changes to one label's index (kept as is on DVID's errors). */
function changeLabelIndex(instance: LabelmapInstance, at: VersionNode, label: bigint, changes: SupervoxelChanges): void {
  const stored = instance.store.getIndex(at, label);
  const idx = stored ? cloneIndex(stored) : newLabelIndex(label);
  try {
    modifyIndexBlocks(idx, label, changes);
  } catch {
    return; // DVID logs "indexing label N: ..." and leaves the index unchanged
  }
  if (idx.blocks.size === 0) {
    instance.store.deleteIndex(at, label);
    return;
  }
  instance.store.putIndex(at, idx);
  updateMaxLabel(instance, at, label);
}

/**
 * `aggregateBlockChanges`: groups block changes by supervoxel, raises the max label to the
 * largest supervoxel seen and, for indexed instances, updates the index of every label those
 * supervoxels map to.
 *
 * @example
 * ```ts
 * indexBlockChanges(seg, node, [{ key: '0,0,0', delta: new Map([[7n, 262144]]) }]);
 * ```
 */
export function indexBlockChanges(instance: LabelmapInstance, at: VersionNode, changes: readonly BlockChange[]): void {
  const bySupervoxel: SupervoxelChanges = new Map();
  const labels = new Set<bigint>();
  let maxLabel = 0n;
  for (const { key, delta } of changes) {
    for (const [sv, d] of delta) {
      let perBlock = bySupervoxel.get(sv);
      if (!perBlock) {
        perBlock = new Map();
        bySupervoxel.set(sv, perBlock);
      }
      perBlock.set(key, (perBlock.get(key) ?? 0) + d);
      if (sv > maxLabel) maxLabel = sv;
      labels.add(instance.store.mapLabel(at, sv).label);
    }
  }
  updateMaxLabel(instance, at, maxLabel);
  if (!instance.indexedLabels) return;
  for (const label of labels) changeLabelIndex(instance, at, label, bySupervoxel);
}

/**
 * `Mutation.Execute`: recomputes scales 1…MaxDownresLevel from the changed scale-0 blocks.
 * Throws DVID's panic for blocks at negative coordinates.
 *
 * @example
 * ```ts
 * computeLowerScales(seg, node, new Map([['1,0,1', block]]));
 * ```
 */
export function computeLowerScales(instance: LabelmapInstance, at: VersionNode, hires: Map<string, LabelBlock>, size: Point3): void {
  let changed = hires;
  for (let scale = 0; scale < instance.maxDownresLevel; scale++) {
    const next = new Map<string, LabelBlock>();
    for (const [key, octants] of groupOctants(changed)) {
      const coord = key.split(',').map(Number) as Point3;
      const filled = octants.every((o) => o !== undefined);
      const stored = filled ? undefined : instance.store.getBlock(at, scale + 1, coord);
      const block = downresOctants(stored, octants, size);
      instance.store.putBlock(at, scale + 1, coord, block);
      next.set(key, block);
    }
    changed = next;
  }
}

/** Copies one block's words out of an x-fastest box of uint64 words. */
function blockWordsFromBox(data: Uint32Array, box: Subvolume, origin: Point3, size: Point3): Uint32Array {
  const [bx, by, bz] = size;
  const [nx, ny] = box.size;
  const out = new Uint32Array(2 * bx * by * bz);
  for (let z = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      const src = 2 * (((origin[2] - box.offset[2] + z) * ny + origin[1] - box.offset[1] + y) * nx + origin[0] - box.offset[0]);
      out.set(data.subarray(src, src + 2 * bx), 2 * (z * by + y) * bx);
    }
  }
  return out;
}

/**
 * DVID's `PutLabels` after its checks: grows the extents, stores every block of the
 * block-aligned box (reading the old ones when `mutate`), indexes the differences and computes
 * the lower scales.
 *
 * @example
 * ```ts
 * putLabels(req, box, new Uint8Array(box.size[0] * box.size[1] * box.size[2] * 8), true);
 * ```
 */
export function putLabels(req: LabelmapRequest, box: Subvolume, data: Uint8Array, mutate: boolean): void {
  const { instance, version } = req;
  const size = requireBlockSize(req);
  const words = new Uint32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  growLabelExtents(instance, box);
  newMutationId(req);
  const first = box.offset.map((v, d) => Math.floor(v / size[d])) as Point3;
  const last = box.offset.map((v, d) => Math.floor((v + box.size[d] - 1) / size[d])) as Point3;
  const changes: BlockChange[] = [];
  const hires = new Map<string, LabelBlock>();
  for (const coord of blockRange(first, last)) {
    const origin = coord.map((c, d) => c * size[d]) as Point3;
    const block = LabelBlock.fromWords(blockWordsFromBox(words, box, origin, size), size);
    const previous = mutate ? instance.store.getBlock(version, 0, coord) : undefined;
    updateBlockMaxLabel(instance, version, block);
    instance.store.putBlock(version, 0, coord, block);
    const key = coord.join(',');
    if (instance.indexedLabels) changes.push({ key, delta: blockDelta(block, previous) });
    hires.set(key, block);
  }
  indexBlockChanges(instance, version, changes);
  computeLowerScales(instance, version, hires, size);
}

/** One record of a `POST /blocks` stream, or DVID's error for a bad one. */
interface StreamedBlock {
  coord: Point3;
  gzipped: Uint8Array;
}

/** `readStreamedBlock` up to the gzip stage: undefined at a clean end of the stream. */
function readRecord(body: Uint8Array, pos: number): { record?: StreamedBlock; next: number } {
  if (pos >= body.length) return { next: pos };
  if (body.length - pos < 16) throw new Error('unexpected EOF');
  const dv = new DataView(body.buffer, body.byteOffset + pos, 16);
  const coord: Point3 = [dv.getInt32(0, true), dv.getInt32(4, true), dv.getInt32(8, true)];
  const length = dv.getUint32(12, true);
  const name = describeBlockKey(coord.join(','));
  if (length === 0) throw new Error(`illegal zero length block at block ${name} detected`);
  const start = pos + 16;
  const available = Math.min(length, body.length - start);
  if (available < length) {
    throw new Error(`error reading ${length} bytes for block ${name}: ${available} actually read (${available === 0 ? 'EOF' : 'unexpected EOF'})`);
  }
  return { record: { coord, gzipped: body.subarray(start, start + length) }, next: start + length };
}

/** Gunzips and decodes one streamed block, with DVID's message shapes. */
async function decodeRecord(record: StreamedBlock): Promise<LabelBlock> {
  const { coord, gzipped } = record;
  const name = describeBlockKey(coord.join(','));
  if (gzipped.length < 10 || gzipped[0] !== 0x1f || gzipped[1] !== 0x8b) {
    const reason = gzipped.length < 10 ? 'unexpected EOF' : 'gzip: invalid header';
    throw new Error(`can't initiate gzip reader on compressed data of length ${gzipped.length}: ${reason}`);
  }
  let inflated: Uint8Array;
  try {
    inflated = await gunzip(gzipped, { maxOutputBytes: 1 << 30 });
  } catch {
    throw new Error(`can't read all ${gzipped.length} bytes from gzipped block ${name}: flate: corrupt input`);
  }
  try {
    const decoded = decodeLabelBlock(inflated, { block: coord.join(','), maxVoxels: 256 ** 3 });
    return LabelBlock.fromLabels(decoded.labels, decoded.size);
  } catch (err) {
    throw new Error((err as Error).message);
  }
}

/**
 * DVID's `storeBlocks` (`POST /blocks`): stores each streamed block at `scale`; at scale 0 also
 * extents, max label, indexing (ingest: counts added) unless `indexing` is false, and with
 * `downscale` the lower scales. A bad record ends the request after the blocks before it were
 * stored (without indexing them), as in DVID.
 *
 * @example
 * ```ts
 * await storeBlocks(req, body, 0, true, '', true);
 * ```
 */
export async function storeBlocks(req: LabelmapRequest, body: Uint8Array, scale: number, downscale: boolean, compression: string, indexing: boolean): Promise<void> {
  const { instance, version } = req;
  if (downscale && scale !== 0) throw new Error('cannot downscale blocks of scale > 0');
  if (compression !== '' && compression !== 'blocks') throw new Error('compression must be "blocks" (default) at this time');
  const size = requireBlockSize(req);
  newMutationId(req);
  if (!instance.compression.startsWith('gzip')) {
    const format = instance.compression.replace(/, level .*$/, '');
    throw new Error(`labelmap ${goQuote(instance.name)} cannot accept GZIP /blocks POST since it internally uses ${format}`);
  }
  const changes: BlockChange[] = [];
  const hires = new Map<string, LabelBlock>();
  let extents = instance.extents;
  for (let pos = 0; ; ) {
    const { record, next } = readRecord(body, pos);
    if (!record) break;
    pos = next;
    const block = await decodeRecord(record);
    if (block.size.some((v, d) => v !== size[d])) {
      throw notEmulated(req.request.path, `POST /blocks with a ${block.size.join('×')} block in an instance of ${size.join('×')} blocks`);
    }
    block.gzipped = record.gzipped.slice();
    instance.store.putBlock(version, scale, record.coord, block);
    if (scale !== 0) continue;
    const origin = record.coord.map((c, d) => c * size[d]);
    extents = widen(extents, origin, origin.map((v, d) => v + size[d] - 1));
    updateBlockMaxLabel(instance, version, block);
    const key = record.coord.join(',');
    if (indexing && instance.indexedLabels) changes.push({ key, delta: blockDelta(block) });
    if (downscale) hires.set(key, block);
  }
  if (indexing) indexBlockChanges(instance, version, changes);
  instance.extents = extents;
  if (downscale) computeLowerScales(instance, version, hires, size);
}

function widen(extents: LabelmapInstance['extents'], min: number[], max: number[]): LabelmapInstance['extents'] {
  if (!extents) return { min, max };
  return { min: extents.min.map((v, d) => Math.min(v, min[d])), max: extents.max.map((v, d) => Math.max(v, max[d])) };
}
