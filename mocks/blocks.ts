/**
 * Sparse voxel storage: a versioned map from block coordinate to that block's bytes (ZYX, X
 * fastest, little-endian voxels), never one dense array. Boxes are read and written by copying
 * contiguous X runs between the box buffer and each intersecting block. Each block is a key
 * of a {@link VersionedStore}, so reads at a version node see the nearest ancestor's block as
 * DVID does; without a node everything happens at one unversioned root.
 *
 * @example
 * ```ts
 * const store = new BlockStore([32, 32, 32], 1);
 * store.write({ offset: [0, 0, 0], size: [32, 32, 32] }, new Uint8Array(32 ** 3).fill(7));
 * store.read({ offset: [-1, 0, 0], size: [2, 1, 1] }) // Uint8Array [0, 7]
 * ```
 * @module
 */
import { blockOf, endPoint, type Point3, type Subvolume } from './geometry.js';
import { VersionedStore, type VersionNode } from './versioned.js';

/** The node used when a caller gives none (standalone, unversioned use). */
const UNVERSIONED: VersionNode = { versionId: 0, parentNodes: [] };

/** Where a box and a block overlap, in box-local and block-local voxel coordinates. */
interface Overlap {
  /** First overlapping voxel, in world coordinates. */
  from: Point3;
  /** Last overlapping voxel (inclusive), in world coordinates. */
  to: Point3;
}

function overlap(box: Subvolume, blockOrigin: Point3, blockSize: Point3): Overlap {
  const end = endPoint(box);
  const from: Point3 = [0, 0, 0];
  const to: Point3 = [0, 0, 0];
  for (let d = 0; d < 3; d++) {
    from[d] = Math.max(box.offset[d], blockOrigin[d]);
    to[d] = Math.min(end[d], blockOrigin[d] + blockSize[d] - 1);
  }
  return { from, to };
}

/**
 * Sparse blocks of one voxel instance.
 *
 * @example
 * ```ts
 * const store = new BlockStore([32, 32, 32], 2); // uint16 voxels in 32³ blocks
 * ```
 */
export class BlockStore {
  private readonly blocks: VersionedStore<Uint8Array>;

  /** @param owner the data instance, so `/resolve` finds this store (see mocks/versioned.ts). */
  constructor(
    readonly blockSize: Point3,
    readonly bytesPerVoxel: number,
    owner?: object,
  ) {
    this.blocks = new VersionedStore<Uint8Array>(owner);
  }

  /** Bytes in one block. */
  get blockBytes(): number {
    return this.blockSize[0] * this.blockSize[1] * this.blockSize[2] * this.bytesPerVoxel;
  }

  /** Number of block coordinates stored in any version. */
  get size(): number {
    return this.blocks.size;
  }

  /** The bytes of a block as a read at `at` sees them, if it was written. */
  getBlock(coord: Point3, at: VersionNode = UNVERSIONED): Uint8Array | undefined {
    return this.blocks.get(at, coord.join(','));
  }

  /** Removes every block. */
  clear(): void {
    this.blocks.clear();
  }

  /** Calls `visit` for each block coordinate intersecting the box. */
  private forEachBlock(box: Subvolume, visit: (coord: Point3, origin: Point3) => void): void {
    const first = blockOf(box.offset, this.blockSize);
    const last = blockOf(endPoint(box), this.blockSize);
    for (let bz = first[2]; bz <= last[2]; bz++) {
      for (let by = first[1]; by <= last[1]; by++) {
        for (let bx = first[0]; bx <= last[0]; bx++) {
          const origin: Point3 = [bx * this.blockSize[0], by * this.blockSize[1], bz * this.blockSize[2]];
          visit([bx, by, bz], origin);
        }
      }
    }
  }

  /**
   * Copies the X runs of one overlap. `toBlock` true copies box → block, false block → box.
   */
  private copyRuns(box: Subvolume, boxData: Uint8Array, block: Uint8Array, origin: Point3, toBlock: boolean): void {
    const [bx, by] = this.blockSize;
    const [nx, ny] = box.size;
    const bpv = this.bytesPerVoxel;
    const { from, to } = overlap(box, origin, this.blockSize);
    const runBytes = (to[0] - from[0] + 1) * bpv;
    for (let z = from[2]; z <= to[2]; z++) {
      for (let y = from[1]; y <= to[1]; y++) {
        const boxIndex = (((z - box.offset[2]) * ny + (y - box.offset[1])) * nx + (from[0] - box.offset[0])) * bpv;
        const blockIndex = (((z - origin[2]) * by + (y - origin[1])) * bx + (from[0] - origin[0])) * bpv;
        if (toBlock) block.set(boxData.subarray(boxIndex, boxIndex + runBytes), blockIndex);
        else boxData.set(block.subarray(blockIndex, blockIndex + runBytes), boxIndex);
      }
    }
  }

  /**
   * Writes a box of voxels (`box.size` product × bytesPerVoxel bytes). Blocks the box covers
   * only partly keep their other voxels; new blocks start as zeros.
   */
  write(box: Subvolume, data: Uint8Array, at: VersionNode = UNVERSIONED): void {
    this.forEachBlock(box, (coord, origin) => {
      const key = coord.join(',');
      const seen = this.blocks.getWithVersion(at, key);
      let block: Uint8Array;
      if (seen && seen.versionId === at.versionId) block = seen.value;
      else {
        block = seen ? seen.value.slice() : new Uint8Array(this.blockBytes);
        this.blocks.put(at, key, block);
      }
      this.copyRuns(box, data, block, origin, true);
    });
  }

  /** Reads a box of voxels as seen at `at`; voxels in blocks never written are zero. */
  read(box: Subvolume, at: VersionNode = UNVERSIONED): Uint8Array {
    const out = new Uint8Array(box.size[0] * box.size[1] * box.size[2] * this.bytesPerVoxel);
    if (this.blocksIn(box) > this.blocks.size) {
      this.readFromStored(box, out, at);
      return out;
    }
    this.forEachBlock(box, (coord, origin) => {
      const block = this.blocks.get(at, coord.join(','));
      if (block) this.copyRuns(box, out, block, origin, false);
    });
    return out;
  }

  /** Number of block coordinates a box touches. */
  private blocksIn(box: Subvolume): number {
    const first = blockOf(box.offset, this.blockSize);
    const last = blockOf(endPoint(box), this.blockSize);
    return (last[0] - first[0] + 1) * (last[1] - first[1] + 1) * (last[2] - first[2] + 1);
  }

  /** Reads a large, sparsely stored box by visiting the stored blocks instead of the box's. */
  private readFromStored(box: Subvolume, out: Uint8Array, at: VersionNode): void {
    const first = blockOf(box.offset, this.blockSize);
    const last = blockOf(endPoint(box), this.blockSize);
    for (const key of this.blocks.allKeys()) {
      const coord = key.split(',').map(Number) as Point3;
      if (coord.some((c, d) => c < first[d] || c > last[d])) continue;
      const block = this.blocks.get(at, key);
      if (!block) continue;
      const origin: Point3 = [coord[0] * this.blockSize[0], coord[1] * this.blockSize[1], coord[2] * this.blockSize[2]];
      this.copyRuns(box, out, block, origin, false);
    }
  }
}
