/**
 * DVID's label index (`labels.Index`): for one label (body), the blocks it touches and, per
 * block, the voxel count of each of its supervoxels, plus who changed it last. The operations
 * mirror DVID v1.0.0's `datatype/common/labels/index.go` (`ModifyBlocks`, `Add`, `Cleave`,
 * `LimitToSupervoxel`, `GetProcessedBlockIndices`) so that indexing quirks carry over: ingest
 * adds counts, a new index only accepts its own label as a supervoxel, blocks left without
 * supervoxels are dropped.
 *
 * Block keys are `"x,y,z"` block coordinates.
 *
 * @example
 * ```ts
 * const idx = newLabelIndex(7n);
 * modifyIndexBlocks(idx, 7n, new Map([[7n, new Map([['0,0,0', 512]])]]));
 * indexVoxels(idx); // 512
 * ```
 * @module
 */
import type { Point3 } from '../geometry.js';

/**
 * A label's index.
 *
 * @example
 * ```ts
 * const idx: LabelIndex = newLabelIndex(7n);
 * ```
 */
export interface LabelIndex {
  label: bigint;
  /** Block key → supervoxel → voxel count. */
  blocks: Map<string, Map<bigint, number>>;
  lastMutId: bigint;
  lastModUser: string;
  lastModApp: string;
  lastModTime: string;
}

/** Supervoxel → block key → voxel change (DVID's `SupervoxelChanges`). */
export type SupervoxelChanges = Map<bigint, Map<string, number>>;

/** Who made a change (DVID's `ModInfo`). */
export interface ModInfo {
  user: string;
  app: string;
  time: string;
}

/**
 * An empty index of a label.
 *
 * @example
 * ```ts
 * newLabelIndex(7n).blocks.size; // 0
 * ```
 */
export function newLabelIndex(label: bigint): LabelIndex {
  return { label, blocks: new Map(), lastMutId: 0n, lastModUser: '', lastModApp: '', lastModTime: '' };
}

/**
 * A deep copy (indices are copied before every change, as DVID re-reads them from storage).
 *
 * @example
 * ```ts
 * const copy = cloneIndex(idx);
 * ```
 */
export function cloneIndex(idx: LabelIndex): LabelIndex {
  const blocks = new Map<string, Map<bigint, number>>();
  for (const [key, counts] of idx.blocks) blocks.set(key, new Map(counts));
  return { ...idx, blocks };
}

/**
 * Sets the last-modification fields.
 *
 * @example
 * ```ts
 * stampIndex(idx, 1000000003n, { user: 'alice', app: 'tool', time: '2026-01-01T00:00:00Z' });
 * ```
 */
export function stampIndex(idx: LabelIndex, mutId: bigint, info: ModInfo): void {
  idx.lastMutId = mutId;
  idx.lastModUser = info.user;
  idx.lastModApp = info.app;
  idx.lastModTime = info.time;
}

/**
 * Total voxels (`NumVoxels`).
 *
 * @example
 * ```ts
 * indexVoxels(idx); // 262144
 * ```
 */
export function indexVoxels(idx: LabelIndex): number {
  let total = 0;
  for (const counts of idx.blocks.values()) for (const c of counts.values()) total += c;
  return total;
}

/**
 * The supervoxels of the index (`GetSupervoxels`).
 *
 * @example
 * ```ts
 * indexSupervoxels(idx); // Set { 7n, 9n }
 * ```
 */
export function indexSupervoxels(idx: LabelIndex): Set<bigint> {
  const out = new Set<bigint>();
  for (const counts of idx.blocks.values()) for (const sv of counts.keys()) out.add(sv);
  return out;
}

/**
 * Voxels per supervoxel (`GetSupervoxelCounts`), in first-seen order.
 *
 * @example
 * ```ts
 * supervoxelCounts(idx).get(9n); // 147456
 * ```
 */
export function supervoxelCounts(idx: LabelIndex): Map<bigint, number> {
  const out = new Map<bigint, number>();
  for (const counts of idx.blocks.values()) for (const [sv, c] of counts) out.set(sv, (out.get(sv) ?? 0) + c);
  return out;
}

/**
 * Parses a block key.
 *
 * @example
 * ```ts
 * parseBlockKey('1,-2,3'); // [1, -2, 3]
 * ```
 */
export function parseBlockKey(key: string): Point3 {
  return key.split(',').map(Number) as Point3;
}

/**
 * Orders block coordinates as DVID's keys do: z, then y, then x.
 *
 * @example
 * ```ts
 * coords.sort(compareZyx);
 * ```
 */
export function compareZyx(a: Point3, b: Point3): number {
  return a[2] - b[2] || a[1] - b[1] || a[0] - b[0];
}

/**
 * DVID's `ModifyBlocks`: applies the changes of the supervoxels that belong to the index (or,
 * for an index without supervoxels, of the label itself). Throws DVID's message when a count
 * would go negative; the caller then keeps the old index, as DVID does.
 *
 * @example
 * ```ts
 * modifyIndexBlocks(idx, 7n, new Map([[7n, new Map([['0,0,0', -10]])]]));
 * ```
 */
export function modifyIndexBlocks(idx: LabelIndex, label: bigint, changes: SupervoxelChanges): void {
  const members = indexSupervoxels(idx);
  if (members.size === 0) members.add(label);
  const apply = (sv: bigint, perBlock: Map<string, number>) => {
    for (const [key, delta] of perBlock) {
      const counts = idx.blocks.get(key);
      if (counts) {
        const old = counts.get(sv) ?? 0;
        if (delta < 0 && -delta > old) {
          throw new Error(`bad attempt to subtract ${-delta} from ${old} voxels for supervoxel ${sv} in block ${describeBlockKey(key)}`);
        }
        const now = old + delta;
        if (now === 0) counts.delete(sv);
        else counts.set(sv, now);
      } else {
        if (delta < 0) {
          throw new Error(`bad attempt to subtract ${-delta} voxels from supervoxel ${sv} in block ${describeBlockKey(key)} when it wasn't previously in that block`);
        }
        idx.blocks.set(key, new Map([[sv, delta]]));
      }
    }
  };
  if (changes.size <= members.size) {
    for (const [sv, perBlock] of changes) if (members.has(sv)) apply(sv, perBlock);
  } else {
    for (const sv of members) {
      const perBlock = changes.get(sv);
      if (perBlock) apply(sv, perBlock);
    }
  }
  for (const [key, counts] of idx.blocks) if (counts.size === 0) idx.blocks.delete(key);
}

/**
 * DVID's `IZYXString.String()` of a block key: `(x, y, z)`.
 *
 * @example
 * ```ts
 * describeBlockKey('1,2,3'); // '(1, 2, 3)'
 * ```
 */
export function describeBlockKey(key: string): string {
  return `(${key.split(',').join(', ')})`;
}

/**
 * DVID's `Index.Add`: copies every block count of `other` into `idx` (overwriting).
 *
 * @example
 * ```ts
 * addIndex(target, merged);
 * ```
 */
export function addIndex(idx: LabelIndex, other: LabelIndex | undefined): void {
  if (!other) return;
  for (const [key, counts] of other.blocks) {
    const mine = idx.blocks.get(key);
    if (!mine) idx.blocks.set(key, new Map(counts));
    else for (const [sv, c] of counts) mine.set(sv, c);
  }
}

/**
 * DVID's `Index.Cleave`: moves the given supervoxels into a new index for `cleaveLabel`.
 *
 * @example
 * ```ts
 * const { cleaved, cleavedSize, remainSize } = cleaveIndexBlocks(idx, 34n, [9n]);
 * ```
 */
export function cleaveIndexBlocks(
  idx: LabelIndex,
  cleaveLabel: bigint,
  supervoxels: readonly bigint[],
): { cleaved: LabelIndex; cleavedSize: number; remainSize: number } {
  const toCleave = new Set(supervoxels);
  const cleaved = newLabelIndex(cleaveLabel);
  let cleavedSize = 0;
  let remainSize = 0;
  for (const [key, counts] of idx.blocks) {
    const moved = new Map<bigint, number>();
    for (const [sv, c] of counts) {
      if (toCleave.has(sv)) {
        cleavedSize += c;
        moved.set(sv, c);
        counts.delete(sv);
      } else {
        remainSize += c;
      }
    }
    if (moved.size > 0) cleaved.blocks.set(key, moved);
  }
  for (const [key, counts] of idx.blocks) if (counts.size === 0) idx.blocks.delete(key);
  return { cleaved, cleavedSize, remainSize };
}

/**
 * DVID's `LimitToSupervoxel`: the blocks holding one supervoxel, or undefined when none.
 *
 * @example
 * ```ts
 * limitToSupervoxel(idx, 9n)?.blocks.size;
 * ```
 */
export function limitToSupervoxel(idx: LabelIndex, sv: bigint): LabelIndex | undefined {
  const out: LabelIndex = { ...idx, blocks: new Map() };
  for (const [key, counts] of idx.blocks) {
    const c = counts.get(sv);
    if (c) out.blocks.set(key, new Map([[sv, c]]));
  }
  return out.blocks.size > 0 ? out : undefined;
}

/**
 * Optional inclusive bounds (`dvid.OptionalBounds`), any side may be missing.
 *
 * @example
 * ```ts
 * const bounds: OptionalBounds = { min: [0, undefined, undefined], max: [99, undefined, undefined] };
 * ```
 */
export interface OptionalBounds {
  min: (number | undefined)[];
  max: (number | undefined)[];
}

/**
 * True when some side is set (`IsSet`).
 *
 * @example
 * ```ts
 * boundsSet({ min: [undefined, undefined, undefined], max: [undefined, undefined, undefined] }); // false
 * ```
 */
export function boundsSet(b: OptionalBounds | undefined): b is OptionalBounds {
  return !!b && [...b.min, ...b.max].some((v) => v !== undefined);
}

/**
 * DVID's `GetProcessedBlockIndices`: the index's non-empty blocks (holding `sv` when given),
 * reduced to `scale` (coordinates shifted right), then cut to block bounds the way
 * `IZYXSlice.FitToBounds` does — sorted ZYX.
 *
 * @example
 * ```ts
 * processedBlocks(idx, 1, undefined); // [[0, 0, 0], ...]
 * ```
 */
export function processedBlocks(idx: LabelIndex, scale: number, blockBounds: OptionalBounds | undefined, sv?: bigint): Point3[] {
  const seen = new Set<string>();
  const out: Point3[] = [];
  for (const [key, counts] of idx.blocks) {
    if (sv !== undefined ? !counts.get(sv) : ![...counts.values()].some((c) => c > 0)) continue;
    const coord = parseBlockKey(key).map((c) => c >> scale) as Point3;
    const reduced = coord.join(',');
    if (seen.has(reduced)) continue;
    seen.add(reduced);
    out.push(coord);
  }
  out.sort(compareZyx);
  if (!boundsSet(blockBounds)) return out;
  const kept: Point3[] = [];
  for (const c of out) {
    const { min, max } = blockBounds;
    if (min[2] !== undefined && c[2] < min[2]) continue;
    if (max[2] !== undefined && c[2] > max[2]) break;
    if ((min[1] !== undefined && c[1] < min[1]) || (max[1] !== undefined && c[1] > max[1])) continue;
    if ((min[0] !== undefined && c[0] < min[0]) || (max[0] !== undefined && c[0] > max[0])) continue;
    kept.push(c);
  }
  return kept;
}
