/**
 * Reading labelmap boxes through DVID's four transfer paths, each decoded in TypeScript straight
 * into the result array (uint64, x fastest, so it becomes a Fortran-order `[1, nx, ny, nz]`
 * Volume with no copy):
 *
 * | transfer | request | payload |
 * |---|---|---|
 * | `raw` | `GET /raw/0_1_2/{size}/{offset}` | uint64 array; streamed into the result as it arrives |
 * | `raw-lz4` | same with `compression=lz4` | one LZ4 block of that array (no size prefix) |
 * | `blocks-lz4` | `GET /blocks/{size}/{offset}` (block-aligned cover of the box) | block stream, each an LZ4 block of the uint64 block |
 * | `blocks` | same with `compression=blocks` | block stream, each a gzip'd DVID label block |
 *
 * Block streams arrive in any order and are decoded record by record while the response is
 * still arriving; each block is cropped to the box as it is written. Absent blocks read as 0.
 *
 * DVID v1.0.0 answers `GET /raw` of exactly one block-aligned block through a separate code
 * path that fails when that block was never written (500 "nil pointer dereference" uncompressed,
 * 400 "unable to get label block" with lz4). Such boxes are therefore read through `/blocks`
 * (`compression=uncompressed` for `raw`, `lz4` for `raw-lz4`), which answers absent blocks with an
 * empty stream.
 *
 * @example
 * ```ts
 * const labels = await readLabelBox(ctx, [0, 0, 0], [256, 256, 256], { transfer: 'blocks', scale: 1 });
 * ```
 * @module
 */
import { readBlockStream, type BlockRecord } from '../codecs/blockstream.js';
import { gunzip } from '../codecs/gzip.js';
import { decodeLabelBlockInto } from '../codecs/labelblock.js';
import { boundLz4Block, decodeLz4Block } from '../codecs/lz4.js';
import { DecodeError, DvidArgumentError } from '../errors.js';
import type { QueryValues } from '../transport/transport.js';
import {
  TaskLimiter,
  labelmapPath,
  readQuery,
  type LabelmapCallOptions,
  type LabelmapContext,
  type Vec3,
} from './labelmap-common.js';

/** How label voxels travel from DVID (see the module documentation). */
export type LabelmapTransfer = 'raw' | 'raw-lz4' | 'blocks-lz4' | 'blocks';

/** Every read transfer path. */
export const LABELMAP_TRANSFERS: readonly LabelmapTransfer[] = ['raw', 'raw-lz4', 'blocks-lz4', 'blocks'];

/**
 * The default read path: the fastest in the 256³ comparison of bench/labelmap.ts on a local
 * DVID v1.0.0 (numbers in docs/labelmap.md).
 */
export const DEFAULT_READ_TRANSFER: LabelmapTransfer = 'blocks';

/** Options for {@link readLabelBox}. */
export interface ReadLabelBoxOptions extends LabelmapCallOptions {
  /** Resolution level; coordinates are in that level's voxels. @default 0 */
  scale?: number;
  /** Read supervoxel IDs instead of mapped labels. @default false */
  supervoxels?: boolean;
  /** Transfer path. @default {@link DEFAULT_READ_TRANSFER} */
  transfer?: LabelmapTransfer;
  /** Send DVID's `throttle=on` (DVID answers 503 when busy; retried by the busy policy). */
  throttle?: boolean;
  /** Gzip inflations in flight at once for `transfer: 'blocks'`. @default 4 */
  concurrency?: number;
  /** Extra query arguments for `/raw` (e.g. `{roi: 'myroi'}`; ignored by `/blocks`). */
  query?: QueryValues;
}

const U64 = 8;

/**
 * Reads the labels of the box `[start, stop)` (voxel coordinates at `scale`) into a new array,
 * x fastest. Only DVID-side failures and bad bytes raise; absent data reads as 0.
 *
 * @throws {@link DecodeError} for truncated or corrupt responses; the transport's errors for HTTP failures.
 * @example
 * ```ts
 * const labels = await readLabelBox(ctx, [0, 0, 0], [64, 64, 64], { transfer: 'raw-lz4' });
 * ```
 */
export async function readLabelBox(
  ctx: LabelmapContext,
  start: Vec3,
  stop: Vec3,
  options: ReadLabelBoxOptions = {},
): Promise<BigUint64Array> {
  const transfer = options.transfer ?? DEFAULT_READ_TRANSFER;
  if (!LABELMAP_TRANSFERS.includes(transfer)) {
    throw new DvidArgumentError('transfer', `expected one of ${LABELMAP_TRANSFERS.join(', ')}, got ${JSON.stringify(transfer)}`);
  }
  const size: Vec3 = [stop[0] - start[0], stop[1] - start[1], stop[2] - start[2]];
  const out = new BigUint64Array(size[0] * size[1] * size[2]);
  const bs = ctx.blockSize;
  const oneBlock = size.every((n, a) => n === bs[a] && start[a] % bs[a] === 0);
  if (transfer === 'raw' || transfer === 'raw-lz4') {
    if (oneBlock) {
      await readBlocksInto(ctx, out, start, stop, transfer === 'raw' ? 'uncompressed' : 'lz4', options);
    } else {
      await readRawInto(ctx, out, start, stop, transfer === 'raw-lz4', options);
    }
  } else {
    await readBlocksInto(ctx, out, start, stop, transfer === 'blocks' ? 'blocks' : 'lz4', options);
  }
  return out;
}

function describeBox(ctx: LabelmapContext, start: Vec3, stop: Vec3, scale: number): string {
  return `"${ctx.name}" box [${start.join(',')}]–[${stop.join(',')}]${scale ? ` at scale ${scale}` : ''}`;
}

async function readRawInto(
  ctx: LabelmapContext,
  out: BigUint64Array,
  start: Vec3,
  stop: Vec3,
  lz4: boolean,
  options: ReadLabelBoxOptions,
): Promise<void> {
  const scale = options.scale ?? 0;
  const size = stop.map((s, a) => s - start[a]);
  const what = describeBox(ctx, start, stop, scale);
  const response = await ctx.transport.request({
    path: labelmapPath(ctx, `raw/0_1_2/${size.join('_')}/${start.join('_')}`),
    query: readQuery(scale, options.supervoxels, {
      ...options.query,
      ...(lz4 ? { compression: 'lz4' } : {}),
      ...(options.throttle ? { throttle: 'on' } : {}),
    }),
    attempted: `read labels of ${what}${lz4 ? ' (lz4)' : ''}`,
    idempotent: true,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  if (lz4) {
    const body = new Uint8Array(await response.arrayBuffer());
    decodeLz4Block(body, bytes, { block: `raw ${what}` });
  } else {
    await readBodyInto(response, bytes, `raw ${what}`, options.signal);
  }
}

/** Streams a response body into `dest`, which it must fill exactly. */
async function readBodyInto(response: Response, dest: Uint8Array, what: string, signal?: AbortSignal): Promise<void> {
  let p = 0;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (p + value.length > dest.length) {
          throw new DecodeError('raw labels', `DVID sent more than the expected ${dest.length} bytes for ${what}`, { offset: dest.length });
        }
        dest.set(value, p);
        p += value.length;
      }
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      signal?.throwIfAborted();
      throw error;
    } finally {
      reader.releaseLock();
    }
  }
  if (p !== dest.length) {
    throw new DecodeError('raw labels', `DVID sent ${p} bytes for ${what}, expected ${dest.length}`, { offset: p });
  }
}

/**
 * Reads the block-aligned cover of `[start, stop)` through `/blocks` and crops every block into
 * `out` as its record arrives.
 */
async function readBlocksInto(
  ctx: LabelmapContext,
  out: BigUint64Array,
  start: Vec3,
  stop: Vec3,
  compression: 'blocks' | 'lz4' | 'uncompressed',
  options: ReadLabelBoxOptions,
): Promise<void> {
  const scale = options.scale ?? 0;
  const bs = ctx.blockSize;
  const b0 = start.map((s, a) => Math.floor(s / bs[a])) as Vec3;
  const b1 = stop.map((s, a) => Math.ceil(s / bs[a])) as Vec3;
  const alignedSize = b1.map((b, a) => (b - b0[a]) * bs[a]);
  const alignedStart = b0.map((b, a) => b * bs[a]);
  const what = describeBox(ctx, start, stop, scale);
  const response = await ctx.transport.request({
    path: labelmapPath(ctx, `blocks/${alignedSize.join('_')}/${alignedStart.join('_')}`),
    query: readQuery(scale, options.supervoxels, { compression, ...(options.throttle ? { throttle: 'on' } : {}) }),
    attempted: `read label blocks of ${what} (compression=${compression})`,
    idempotent: true,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
  const blockVoxels = bs[0] * bs[1] * bs[2];
  const blockBytes = blockVoxels * U64;
  // A gzip'd label block is at most ~ the block's uint64 array plus headers.
  const maxBlockBytes =
    compression === 'uncompressed' ? blockBytes : compression === 'lz4' ? boundLz4Block(blockBytes) : blockBytes + (1 << 20);
  const nx = stop[0] - start[0];
  const ny = stop[1] - start[1];
  const dest = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  const scratch = compression === 'lz4' ? new Uint8Array(blockBytes) : undefined;
  const checkHeader = (coord: Vec3, _length: number, offset: number) => {
    for (let a = 0; a < 3; a++) {
      if (coord[a] < b0[a] || coord[a] >= b1[a]) {
        throw new DecodeError(
          'dvid-blockstream',
          `DVID sent block (${coord.join(',')}) outside the requested blocks (${b0.join(',')})–(${b1.map((b) => b - 1).join(',')}); ` +
            'a garbled stream, or an error message DVID appended after starting the response',
          { block: coord.join(','), offset },
        );
      }
    }
  };
  /** The part of block `coord` inside the box: crop in block voxels and the destination index of its first voxel. */
  const place = (coord: Vec3) => {
    const min: Vec3 = [0, 0, 0];
    const max: Vec3 = [0, 0, 0];
    let destIndex = 0;
    const strides = [1, nx, nx * ny];
    for (let a = 0; a < 3; a++) {
      const origin = coord[a] * bs[a];
      min[a] = Math.max(start[a] - origin, 0);
      max[a] = Math.min(stop[a] - origin, bs[a]);
      destIndex += (origin + min[a] - start[a]) * strides[a];
    }
    return { min, max, destIndex };
  };
  const copyRows = (src: Uint8Array, coord: Vec3) => {
    const { min, max, destIndex } = place(coord);
    const rowBytes = (max[0] - min[0]) * U64;
    for (let z = min[2]; z < max[2]; z++) {
      for (let y = min[1]; y < max[1]; y++) {
        const s = ((z * bs[1] + y) * bs[0] + min[0]) * U64;
        const d = (destIndex + (z - min[2]) * nx * ny + (y - min[1]) * nx) * U64;
        dest.set(src.subarray(s, s + rowBytes), d);
      }
    }
  };
  const limiter = new TaskLimiter(Math.max(1, options.concurrency ?? 4));
  const handle = async (record: BlockRecord): Promise<void> => {
    const coord = record.coord;
    const name = coord.join(',');
    if (compression === 'uncompressed') {
      if (record.data.length !== blockBytes) {
        throw new DecodeError('dvid-blockstream', `block holds ${record.data.length} bytes, expected ${blockBytes}`, { block: name, offset: record.offset });
      }
      copyRows(record.data, coord);
    } else if (compression === 'lz4') {
      decodeLz4Block(record.data, scratch as Uint8Array, { block: name });
      copyRows(scratch as Uint8Array, coord);
    } else {
      await limiter.add(async () => {
        const inflated = await gunzip(record.data, { block: name, maxOutputBytes: blockBytes + (1 << 20), signal: options.signal });
        const { min, max, destIndex } = place(coord);
        decodeLabelBlockInto(inflated, out, destIndex, [1, nx, nx * ny], { crop: { min, max }, expectedSize: bs, block: name });
      });
    }
  };
  if (!response.body) return; // an empty stream: no stored blocks
  for await (const record of readBlockStream(response.body, { maxBlockBytes, checkHeader, signal: options.signal })) {
    await handle(record);
  }
  await limiter.drain();
}
