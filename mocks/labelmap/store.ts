/**
 * The mock labelmap instance: its settings (read from the creation config as DVID's
 * `labelmap.NewData` on top of `imageblk` does), its extents and label counters, and its
 * versioned storage — label blocks per scale, label indices, the supervoxel → label mapping
 * and the mutation log — each a {@link VersionedStore} so reads at a version see the nearest
 * ancestor's data, as in DVID.
 *
 * @example
 * ```ts
 * const seg = createLabelmapInstance(base, new DvidConfig({ BlockSize: '64,64,64', MaxDownresLevel: '2' }));
 * seg.store.putBlock(node, 0, [0, 0, 0], LabelBlock.solid(7n, [64, 64, 64]));
 * ```
 * @module
 */
import type { DvidConfig } from '../config.js';
import type { Point, Point3, Subvolume } from '../geometry.js';
import { createImageInstance, type Extents } from '../imageblk.js';
import type { BaseInstance } from '../instance.js';
import { VOXEL_TYPES } from '../types.js';
import { VersionedStore, type VersionNode } from '../versioned.js';
import { LabelBlock } from './block.js';
import { compareZyx, parseBlockKey, type LabelIndex } from './labelindex.js';

/** DVID's `DefaultBlockSize` for labelmap. */
const DEFAULT_BLOCK_SIZE = 64;

/**
 * A labelmap instance held by the mock.
 *
 * @example
 * ```ts
 * const seg = mock.state.getInstance(uuid, 'segmentation') as LabelmapInstance;
 * seg.maxRepoLabel; // 1152921504606846977n
 * ```
 */
export interface LabelmapInstance extends BaseInstance {
  kind: 'labelmap';
  /** BlockSize as configured (reported in `/info`). */
  blockSize: Point;
  voxelSize: number[];
  voxelUnits: string[];
  configMin: Point | null;
  configMax: Point | null;
  background: number;
  scaleLevel: number;
  /** Scale-0 voxel extents (inclusive), null before the first write. */
  extents: Extents | null;
  indexedLabels: boolean;
  maxDownresLevel: number;
  /** `MaxLabel`: VersionID → largest label written or allocated at that version. */
  maxLabel: Map<number, bigint>;
  maxRepoLabel: bigint;
  /** `NextLabel` (0 unless set; never set through the endpoints v1.0.0 has). */
  nextLabel: bigint;
  store: LabelmapStore;
}

/**
 * A 3D block size every axis of which is a positive multiple of 8, or null.
 *
 * @example
 * ```ts
 * usableBlockSize(seg); // [64, 64, 64]
 * ```
 */
export function usableBlockSize(instance: Pick<LabelmapInstance, 'blockSize'>): Point3 | null {
  const b = instance.blockSize;
  return b.length === 3 && b.every((v) => v > 0 && v % 8 === 0 && v <= 1024) ? (b as Point3) : null;
}

/** `fmt.Sscanf(s, "%d,%d,%d")` as DVID reads BlockSize for its multiple-of-16 check. */
function scanBlockSize(text: string): number[] {
  const out = [0, 0, 0];
  const parts = text.split(',');
  for (let i = 0; i < 3; i++) {
    const match = /^\s*([+-]?\d+)/.exec(parts[i] ?? '');
    if (!match) break;
    out[i] = Number(match[1]);
    if (match[0].length !== parts[i].length) break;
  }
  return out;
}

/**
 * `labelmap.NewData`: the BlockSize check, DVID's defaults (64³ blocks, gzip), the imageblk
 * settings, then IndexedLabels and MaxDownresLevel. Throws DVID's message on a bad value.
 *
 * @example
 * ```ts
 * createLabelmapInstance(base, new DvidConfig({ BlockSize: '40,40,40' })); // throws 'BlockSize must be multiples of 16'
 * ```
 */
export function createLabelmapInstance(base: BaseInstance, config: DvidConfig): LabelmapInstance {
  const blockSizeText = config.getString('BlockSize');
  if (blockSizeText.error) throw new Error(blockSizeText.error);
  if (blockSizeText.found && scanBlockSize(blockSizeText.value!).some((v) => v % 16 !== 0)) {
    throw new Error('BlockSize must be multiples of 16');
  }
  const compression = config.getString('Compression');
  const image = createImageInstance(base, VOXEL_TYPES.uint64blk, config);
  const indexed = config.getString('IndexedLabels');
  if (indexed.error) throw new Error(indexed.error);
  let indexedLabels = true;
  if (indexed.found) {
    const text = indexed.value!.toLowerCase();
    if (text === 'false' || text === '0') indexedLabels = false;
    else if (text !== 'true' && text !== '1') {
      throw new Error(`Cannot parse '${indexed.value}' as a boolean.  Use 'true', 'false', '0', or '1'.`);
    }
  }
  const levels = config.getInt('MaxDownresLevel');
  if (levels.error) throw new Error(levels.error);
  if (levels.found && (levels.value! < 0 || levels.value! > 255)) {
    throw new Error(`illegal number of down-res levels specified (${levels.value}): must be 0 <= n <= 255`);
  }
  const instance: LabelmapInstance = {
    ...base,
    compression: compression.found ? base.compression : 'gzip compression, level -1',
    kind: 'labelmap',
    blockSize: blockSizeText.found ? image.blockSize : [DEFAULT_BLOCK_SIZE, DEFAULT_BLOCK_SIZE, DEFAULT_BLOCK_SIZE],
    voxelSize: image.voxelSize,
    voxelUnits: image.voxelUnits,
    configMin: image.configMin,
    configMax: image.configMax,
    background: image.background,
    scaleLevel: image.scaleLevel,
    extents: null,
    indexedLabels,
    maxDownresLevel: levels.value ?? 0,
    maxLabel: new Map(),
    maxRepoLabel: 0n,
    nextLabel: 0n,
    store: undefined as unknown as LabelmapStore,
  };
  instance.store = new LabelmapStore(instance);
  return instance;
}

/**
 * Grows the scale-0 extents to include a box (`Extents.AdjustPoints`).
 *
 * @example
 * ```ts
 * growLabelExtents(seg, { offset: [0, 0, 0], size: [64, 64, 64] });
 * ```
 */
export function growLabelExtents(instance: LabelmapInstance, box: Subvolume): void {
  const end = box.offset.map((v, d) => v + box.size[d] - 1);
  if (!instance.extents) {
    instance.extents = { min: [...box.offset], max: end };
    return;
  }
  const { min, max } = instance.extents;
  instance.extents = { min: min.map((v, d) => Math.min(v, box.offset[d])), max: max.map((v, d) => Math.max(v, end[d])) };
}

/** Fixed-width hex of a uint64, so keys sort numerically. */
function uint64Key(value: bigint): string {
  return value.toString(16).padStart(16, '0');
}

/**
 * The block coordinates of a box (block-aligned or not), in ZYX order.
 *
 * @example
 * ```ts
 * blocksOfBox({ offset: [0, 0, 0], size: [128, 64, 64] }, [64, 64, 64]); // [[0,0,0],[1,0,0]]
 * ```
 */
export function blockRange(first: Point3, last: Point3): Point3[] {
  const out: Point3[] = [];
  for (let z = first[2]; z <= last[2]; z++) for (let y = first[1]; y <= last[1]; y++) for (let x = first[0]; x <= last[0]; x++) out.push([x, y, z]);
  return out;
}

/**
 * The versioned data of one labelmap instance.
 *
 * @example
 * ```ts
 * const block = seg.store.getBlock(node, 0, [1, 0, 1]);
 * ```
 */
export class LabelmapStore {
  private readonly blocks: VersionedStore<LabelBlock>[] = [];
  private readonly indices: VersionedStore<LabelIndex>;
  private readonly mapping: VersionedStore<bigint>;
  /** JSON records of `GET /mutations`, per VersionID. */
  private readonly log = new Map<number, string[]>();

  constructor(private readonly owner: object) {
    this.indices = new VersionedStore<LabelIndex>(owner);
    this.mapping = new VersionedStore<bigint>(owner);
  }

  private scaleStore(scale: number): VersionedStore<LabelBlock> {
    let store = this.blocks[scale];
    if (!store) {
      store = new VersionedStore<LabelBlock>(this.owner);
      this.blocks[scale] = store;
    }
    return store;
  }

  /** The block at a coordinate and scale as `at` sees it. */
  getBlock(at: VersionNode, scale: number, coord: Point3): LabelBlock | undefined {
    return this.blocks[scale]?.get(at, coord.join(','));
  }

  /** Stores a block at exactly this version. */
  putBlock(at: VersionNode, scale: number, coord: Point3, block: LabelBlock): void {
    this.scaleStore(scale).put(at, coord.join(','), block);
  }

  /**
   * The stored blocks between two block coordinates (inclusive) at a scale, ZYX order.
   *
   * @example
   * ```ts
   * seg.store.blocksIn(node, 0, [0, 0, 0], [3, 3, 3]);
   * ```
   */
  blocksIn(at: VersionNode, scale: number, first: Point3, last: Point3): { coord: Point3; block: LabelBlock }[] {
    const store = this.blocks[scale];
    if (!store) return [];
    const count = (last[0] - first[0] + 1) * (last[1] - first[1] + 1) * (last[2] - first[2] + 1);
    const out: { coord: Point3; block: LabelBlock }[] = [];
    if (count <= store.size) {
      for (const coord of blockRange(first, last)) {
        const block = store.get(at, coord.join(','));
        if (block) out.push({ coord, block });
      }
      return out;
    }
    for (const key of store.allKeys()) {
      const coord = parseBlockKey(key);
      if (coord.some((c, d) => c < first[d] || c > last[d])) continue;
      const block = store.get(at, key);
      if (block) out.push({ coord, block });
    }
    return out.sort((a, b) => compareZyx(a.coord, b.coord));
  }

  /** The label index of a label, if stored (DVID's `GetLabelIndex` without mapping). */
  getIndex(at: VersionNode, label: bigint): LabelIndex | undefined {
    return this.indices.get(at, uint64Key(label));
  }

  /** True when a label index key exists (DVID's `labelIndexExists`). */
  hasIndex(at: VersionNode, label: bigint): boolean {
    return this.indices.has(at, uint64Key(label));
  }

  /** Stores a label index. */
  putIndex(at: VersionNode, idx: LabelIndex): void {
    this.indices.put(at, uint64Key(idx.label), idx);
  }

  /** Deletes a label index (a tombstone at this version). */
  deleteIndex(at: VersionNode, label: bigint): void {
    if (this.indices.has(at, uint64Key(label))) this.indices.delete(at, uint64Key(label));
  }

  /** Stored label indices with label ≥ `start`, in label order. */
  *indicesFrom(at: VersionNode, start: bigint): Generator<LabelIndex> {
    const from = uint64Key(start);
    for (const key of this.indices.allKeys()) {
      if (key < from) continue;
      const idx = this.indices.get(at, key);
      if (idx) yield idx;
    }
  }

  /** True once any supervoxel was mapped (DVID's `mapUsed`). */
  get mappingUsed(): boolean {
    return this.mapping.size > 0;
  }

  /**
   * The label a supervoxel maps to: `{label, found: true}` when a mapping exists (label 0 means
   * the supervoxel no longer exists), else the supervoxel itself with `found: false`.
   */
  mapLabel(at: VersionNode, sv: bigint): { label: bigint; found: boolean } {
    if (this.mapping.size === 0) return { label: sv, found: false };
    const mapped = this.mapping.get(at, uint64Key(sv));
    return mapped === undefined ? { label: sv, found: false } : { label: mapped, found: true };
  }

  /** Maps a supervoxel to a label at this version. */
  setMapping(at: VersionNode, sv: bigint, label: bigint): void {
    this.mapping.put(at, uint64Key(sv), label);
  }

  /**
   * A block's table with every mapped supervoxel replaced by its label (`modifyBlockMapping`),
   * or the block's own table when nothing maps.
   */
  mappedTable(at: VersionNode, block: LabelBlock): BigUint64Array {
    if (this.mapping.size === 0) return block.table;
    let out: BigUint64Array | undefined;
    block.table.forEach((sv, i) => {
      const { label, found } = this.mapLabel(at, sv);
      if (found && label !== sv) {
        out ??= block.table.slice();
        out[i] = label;
      }
    });
    return out ?? block.table;
  }

  /** Appends a JSON record to the mutation log of a version. */
  logMutation(at: VersionNode, json: string): void {
    const list = this.log.get(at.versionId) ?? [];
    list.push(json);
    this.log.set(at.versionId, list);
  }

  /** The JSON records logged at exactly this version. */
  mutations(at: VersionNode): readonly string[] {
    return this.log.get(at.versionId) ?? [];
  }
}
