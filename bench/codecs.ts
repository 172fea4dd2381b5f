/**
 * Throughput of the segmentation codecs, single thread. Not part of the test suite.
 *
 *   npx tsx bench/codecs.ts            # all
 *   npx tsx bench/codecs.ts label      # label blocks only
 *   npx tsx bench/codecs.ts lz4        # LZ4 only
 *
 * Label blocks: the libdvid-cpp "tricky" fixture (64³, 15,933 labels, sub-blocks of up to 345
 * labels) and 64³ Voronoi blocks with 2, 10 and 40 random 61-bit labels (most sub-blocks hold
 * 1 label, boundary ones 2–4), the "typical" blocks; the same shapes libdvid-cpp was timed on
 * (reference/peer-clients.md §3). LZ4: two 256³ uint64 label volumes (128 MiB each), a synthetic
 * Voronoi one and the real fixture block tiled with per-tile IDs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeLabelBlock, decodeLabelBlockInto } from '../src/codecs/labelblock.js';
import { encodeLabelBlock } from '../src/codecs/labelblock-encode.js';
import { decodeLz4Block, encodeLz4Block } from '../src/codecs/lz4.js';
import { randomId, rng } from './support.js';

const which = process.argv[2] ?? 'all';

/** A 64³ block partitioned among `k` random seeds (nearest seed wins). */
function voronoiBlock(k: number, seed: number): BigUint64Array {
  const r = rng(seed);
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const sz = new Float64Array(k);
  const ids: bigint[] = [];
  for (let i = 0; i < k; i++) {
    sx[i] = r() * 64;
    sy[i] = r() * 64;
    sz[i] = r() * 64;
    ids.push(randomId(r));
  }
  const out = new BigUint64Array(64 ** 3);
  let v = 0;
  for (let z = 0; z < 64; z++)
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        let best = 0;
        let bd = Infinity;
        for (let i = 0; i < k; i++) {
          const d = (x - sx[i]) ** 2 + (y - sy[i]) ** 2 + (z - sz[i]) ** 2;
          if (d < bd) {
            bd = d;
            best = i;
          }
        }
        out[v++] = ids[best];
      }
  return out;
}

/** A 256³ Voronoi volume with jittered seeds on a 32-voxel grid (512 labels). */
function voronoiVolume(n: number, cell: number, seed: number): BigUint64Array {
  const r = rng(seed);
  const g = n / cell;
  const seeds = new Float64Array(g * g * g * 3);
  const ids: bigint[] = [];
  for (let i = 0; i < g * g * g; i++) {
    const cx = i % g;
    const cy = Math.floor(i / g) % g;
    const cz = Math.floor(i / (g * g));
    seeds[3 * i] = (cx + r()) * cell;
    seeds[3 * i + 1] = (cy + r()) * cell;
    seeds[3 * i + 2] = (cz + r()) * cell;
    ids.push(r() < 0.3 ? 0n : randomId(r));
  }
  const out = new BigUint64Array(n * n * n);
  let v = 0;
  for (let z = 0; z < n; z++) {
    const cz = Math.floor(z / cell);
    for (let y = 0; y < n; y++) {
      const cy = Math.floor(y / cell);
      for (let x = 0; x < n; x++) {
        const cx = Math.floor(x / cell);
        let best = 0;
        let bd = Infinity;
        for (let dz = -1; dz <= 1; dz++) {
          const qz = cz + dz;
          if (qz < 0 || qz >= g) continue;
          for (let dy = -1; dy <= 1; dy++) {
            const qy = cy + dy;
            if (qy < 0 || qy >= g) continue;
            for (let dx = -1; dx <= 1; dx++) {
              const qx = cx + dx;
              if (qx < 0 || qx >= g) continue;
              const i = (qz * g + qy) * g + qx;
              const d = (x - seeds[3 * i]) ** 2 + (y - seeds[3 * i + 1]) ** 2 + (z - seeds[3 * i + 2]) ** 2;
              if (d < bd) {
                bd = d;
                best = i;
              }
            }
          }
        }
        out[v++] = ids[best];
      }
    }
  }
  return out;
}

/** Runs `fn` repeatedly for about `ms` milliseconds after a warm-up; returns calls per second. */
function rate(fn: () => void, ms = 1500): number {
  const warm = performance.now();
  while (performance.now() - warm < 300) fn();
  let best = 0;
  // Best of 3 rounds, to shrug off other processes on the machine.
  for (let round = 0; round < 3; round++) {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms / 3) {
      fn();
      calls++;
      t = performance.now();
    }
    best = Math.max(best, calls / ((t - t0) / 1000));
  }
  return best;
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function subBlockStats(block: BigUint64Array): string {
  const counts: number[] = [];
  for (let sz = 0; sz < 8; sz++)
    for (let sy = 0; sy < 8; sy++)
      for (let sx = 0; sx < 8; sx++) {
        const s = new Set<bigint>();
        for (let z = 0; z < 8; z++)
          for (let y = 0; y < 8; y++)
            for (let x = 0; x < 8; x++) s.add(block[(sz * 8 + z) * 4096 + (sy * 8 + y) * 64 + sx * 8 + x]);
        counts.push(s.size);
      }
  const one = counts.filter((c) => c === 1).length;
  return `${one}/512 sub-blocks solid, max ${Math.max(...counts)} labels/sub-block`;
}

if (which === 'all' || which === 'label') {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const tricky = new Uint8Array(readFileSync(`${here}../test/fixtures/tricky-label-block.dvidblock`));
  const cases: [string, Uint8Array, BigUint64Array][] = [];
  const trickyLabels = decodeLabelBlock(tricky).labels;
  cases.push(['tricky fixture (15,933 labels)', tricky, trickyLabels]);
  for (const k of [2, 10, 40]) {
    const labels = voronoiBlock(k, 1000 + k);
    cases.push([`Voronoi ${k} labels`, encodeLabelBlock(labels, [64, 64, 64]), labels]);
  }
  const solid = new BigUint64Array(64 ** 3).fill(2n ** 63n + 5n);
  cases.push(['solid', encodeLabelBlock(solid, [64, 64, 64]), solid]);
  console.log(`Label blocks, 64³ (262,144 voxels), million voxels per second, Node ${process.version}`);
  console.log('| block | bytes | sub-blocks | decode | decode into 256³ volume | encode |');
  console.log('|---|---:|---|---:|---:|---:|');
  const volume = new BigUint64Array(256 * 256 * 256);
  for (const [name, bytes, labels] of cases) {
    const dec = rate(() => decodeLabelBlock(bytes));
    const into = rate(() => decodeLabelBlockInto(bytes, volume, 64 + 64 * 256 + 64 * 65536, [1, 256, 65536]));
    const enc = rate(() => encodeLabelBlock(labels, [64, 64, 64]));
    const v = 64 ** 3 / 1e6;
    console.log(
      `| ${name} | ${bytes.length} | ${name === 'solid' ? 'n/a' : subBlockStats(labels)} | ${fmt(dec * v)} | ${fmt(into * v)} | ${fmt(enc * v)} |`,
    );
  }
}

/** The fixture block tiled 4×4×4 into 256³, each tile's non-zero labels offset so tiles differ. */
function tiledFixture(block: BigUint64Array): BigUint64Array {
  const out = new BigUint64Array(256 ** 3);
  const w = new Uint32Array(out.buffer);
  const bw = new Uint32Array(block.buffer);
  for (let t = 0; t < 64; t++) {
    const tx = (t & 3) * 64;
    const ty = ((t >> 2) & 3) * 64;
    const tz = (t >> 4) * 64;
    for (let z = 0; z < 64; z++)
      for (let y = 0; y < 64; y++)
        for (let x = 0; x < 64; x++) {
          const s = 2 * (x + 64 * y + 4096 * z);
          const d = 2 * (tx + x + 256 * (ty + y) + 65536 * (tz + z));
          const zero = bw[s] === 0 && bw[s + 1] === 0;
          w[d] = bw[s];
          w[d + 1] = zero ? 0 : bw[s + 1] + t * 256; // + t·2^40
        }
  }
  return out;
}

if (which === 'all' || which === 'lz4') {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const fixture = readFileSync(`${here}../test/fixtures/tricky-label-block.u64`);
  const block = new BigUint64Array(new Uint8Array(fixture).buffer);
  const t0 = performance.now();
  const volumes: [string, BigUint64Array][] = [
    ['Voronoi, 512 cells of 32³, 30 % label 0, 61-bit IDs', voronoiVolume(256, 32, 7)],
    ['tricky fixture tiled 4×4×4, per-tile IDs', tiledFixture(block)],
  ];
  const gen = performance.now() - t0;
  console.log(`\nLZ4 on 256³ uint64 label volumes (134,217,728 bytes; generated in ${gen.toFixed(0)} ms), MB/s of uncompressed bytes`);
  console.log('| volume | compressed bytes | ratio | decode into preallocated | decode (allocating) | encode |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, volume] of volumes) {
    const bytes = new Uint8Array(volume.buffer);
    const packed = encodeLz4Block(bytes);
    const back = decodeLz4Block(packed, bytes.length);
    for (let i = 0; i < bytes.length; i++) if (back[i] !== bytes[i]) throw new Error(`lz4 mismatch at ${i}`);
    const mb = bytes.length / 1e6;
    const dest = new Uint8Array(bytes.length);
    const into = rate(() => decodeLz4Block(packed, dest), 3000);
    const alloc = rate(() => decodeLz4Block(packed, bytes.length), 3000);
    const enc = rate(() => encodeLz4Block(bytes), 3000);
    console.log(
      `| ${name} | ${packed.length} | ${(bytes.length / packed.length).toFixed(1)} | ${fmt(into * mb)} | ${fmt(alloc * mb)} | ${fmt(enc * mb)} |`,
    );
  }
}
