/**
 * DVID v1.0.0's label downsampling (`labels.(*Block).Downres`, `labelmap.StoreDownres`): each
 * lower-resolution block is rebuilt from the up to eight higher-resolution blocks (octants) a
 * mutation changed; octants not changed keep what the stored lower-resolution block had. Each
 * 2×2×2 cell becomes the label most of its non-zero voxels have (ties: the smallest label; all
 * zero: 0). If every octant is solid with one label (a missing octant counting as solid 0),
 * the result is solid.
 *
 * DVID groups blocks into octants with Go's truncating `%`, so a block with a negative
 * coordinate gets a negative octant number and the request panics (`index out of range [-1]`)
 * after scale 0 was stored; {@link octantNumber} keeps that arithmetic.
 *
 * @example
 * ```ts
 * const lores = downresOctants(undefined, [solidA, solidA, solidA, solidA, solidA, solidA, solidA, solidA], [64, 64, 64]);
 * lores.isSolid; // true
 * ```
 * @module
 */
import type { Point3 } from '../geometry.js';
import { GoPanic } from '../http.js';
import { LabelBlock } from './block.js';

/**
 * DVID's octant number of a higher-resolution block inside its lower-resolution block:
 * `((z % 2) << 2) + ((y % 2) << 1) + (x % 2)` with Go's truncating remainder.
 *
 * @example
 * ```ts
 * octantNumber([1, 0, 1]); // 5
 * octantNumber([-1, 0, 0]); // -1 (DVID panics on it)
 * ```
 */
export function octantNumber(coord: Point3): number {
  return (coord[2] % 2) * 4 + (coord[1] % 2) * 2 + (coord[0] % 2);
}

/**
 * Groups changed higher-resolution blocks by the lower-resolution block they fall in, as
 * `getHiresChanges` does; throws DVID's panic for a negative octant number.
 *
 * @example
 * ```ts
 * groupOctants(new Map([['1,0,1', block]])); // Map { '0,0,0' => [ , , , , , block, , ] }
 * ```
 */
export function groupOctants(hires: Map<string, LabelBlock>): Map<string, (LabelBlock | undefined)[]> {
  const out = new Map<string, (LabelBlock | undefined)[]>();
  for (const [key, block] of hires) {
    const coord = key.split(',').map(Number) as Point3;
    const octant = octantNumber(coord);
    if (octant < 0) throw new GoPanic(`runtime error: index out of range [${octant}]`);
    const lores = coord.map((c) => c >> 1).join(',');
    let octants = out.get(lores);
    if (!octants) {
      octants = new Array<LabelBlock | undefined>(8).fill(undefined);
      out.set(lores, octants);
    }
    octants[octant] = block;
  }
  return out;
}

/** DVID's `setBlank`: the solid label when every octant is solid with it, else undefined. */
function blankLabel(octants: readonly (LabelBlock | undefined)[]): bigint | undefined {
  const first = octants[0];
  let label = 0n;
  if (first) {
    if (!first.isSolid) return undefined;
    label = first.table[0];
  }
  for (let i = 1; i < 8; i++) {
    const octant = octants[i];
    if (!octant) {
      if (label !== 0n) return undefined;
    } else if (!octant.isSolid || octant.table[0] !== label) {
      return undefined;
    }
  }
  return label;
}

/**
 * Writes the 2× downsampling of one octant's words into `out` (the lower-resolution block's
 * words) at voxel offset `at`.
 */
function voteOctant(hires: Uint32Array, size: Point3, out: Uint32Array, at: Point3): void {
  const [nx, ny, nz] = size;
  const lo = new Uint32Array(8);
  const hi = new Uint32Array(8);
  const votes = new Uint8Array(8);
  for (let z = 0; z < nz; z += 2) {
    for (let y = 0; y < ny; y += 2) {
      for (let x = 0; x < nx; x += 2) {
        let distinct = 0;
        for (let dz = 0; dz < 2; dz++) {
          for (let dy = 0; dy < 2; dy++) {
            for (let dx = 0; dx < 2; dx++) {
              const i = 2 * (((z + dz) * ny + y + dy) * nx + x + dx);
              const a = hires[i];
              const b = hires[i + 1];
              if (a === 0 && b === 0) continue;
              let k = 0;
              while (k < distinct && (lo[k] !== a || hi[k] !== b)) k++;
              if (k === distinct) {
                lo[k] = a;
                hi[k] = b;
                votes[k] = 0;
                distinct++;
              }
              votes[k]++;
            }
          }
        }
        let winLo = 0;
        let winHi = 0;
        let winVotes = 0;
        for (let k = 0; k < distinct; k++) {
          const smaller = hi[k] < winHi || (hi[k] === winHi && lo[k] < winLo);
          if (votes[k] > winVotes || (votes[k] === winVotes && smaller)) {
            winVotes = votes[k];
            winLo = lo[k];
            winHi = hi[k];
          }
        }
        const o = 2 * (((at[2] + z / 2) * ny + at[1] + y / 2) * nx + at[0] + x / 2);
        out[o] = winLo;
        out[o + 1] = winHi;
      }
    }
  }
}

/**
 * DVID's `Downres` of one lower-resolution block: `stored` is what that block holds now (used
 * for octants that did not change), `octants` the changed higher-resolution blocks in octant
 * order (x fastest).
 *
 * @example
 * ```ts
 * downresOctants(storedLores, octants, [64, 64, 64]);
 * ```
 */
export function downresOctants(stored: LabelBlock | undefined, octants: readonly (LabelBlock | undefined)[], size: Point3): LabelBlock {
  const blank = blankLabel(octants);
  if (blank !== undefined) return LabelBlock.solid(blank, size);
  const filled = octants.every((o) => o !== undefined);
  const out = filled || !stored ? new Uint32Array(2 * size[0] * size[1] * size[2]) : stored.expand();
  octants.forEach((octant, i) => {
    if (!octant) return;
    const at: Point3 = [((i & 1) * size[0]) / 2, (((i >> 1) & 1) * size[1]) / 2, ((i >> 2) * size[2]) / 2];
    voteOctant(octant.expand(), size, out, at);
  });
  return LabelBlock.fromWords(out, size);
}
