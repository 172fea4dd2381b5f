/**
 * Writing labelmap boxes (supervoxel IDs, always at block-aligned boxes; the accessor does the
 * read-modify-write for unaligned ones) and waiting for DVID's label index to catch up.
 *
 * | transfer | request | DVID v1.0.0 behaviour |
 * |---|---|---|
 * | `raw` | `POST /raw/0_1_2/{size}/{offset}?mutate=true` | scale 0 only; lower scales recomputed before the reply; **label indexing continues after the reply** |
 * | `raw-lz4` | same, body one LZ4 block, `compression=lz4` | as `raw` |
 * | `blocks` | `POST /blocks[?scale=N][&downres=true][&noindexing=true]`, the SDK's own label blocks, gzip'd | replies after indexing (and downres) finished; **ingest semantics** |
 *
 * `mutate=true` (the SDK's default for `/raw`) makes DVID read each old block and index the
 * difference; without it DVID indexes the new labels as if the blocks were empty before, so
 * overwriting labelled voxels leaves stale counts in the old labels' indices. `POST /blocks`
 * has no such switch: it always indexes as ingest. Use it for regions not yet written (or with
 * `noindexing`), and `/raw` to change existing segmentation.
 *
 * @example
 * ```ts
 * await writeLabelBox(ctx, [0, 0, 0], [64, 64, 64], labels, { transfer: 'blocks' });
 * await waitForLabelSize(ctx, 7n, { voxels: 262144n, timeout: 10_000 });
 * ```
 * @module
 */
import { encodeBlockStream } from '../codecs/blockstream.js';
import { gzip } from '../codecs/gzip.js';
import { encodeLabelBlock } from '../codecs/labelblock-encode.js';
import { encodeLz4Block } from '../codecs/lz4.js';
import { DvidArgumentError } from '../errors.js';
import { pollUntil } from './instance-common.js';
import {
  TaskLimiter,
  labelmapPath,
  toLabelId,
  type LabelId,
  type LabelmapCallOptions,
  type LabelmapContext,
  type Vec3,
} from './labelmap-common.js';

/** How label voxels travel to DVID (see the module documentation). */
export type LabelmapWriteTransfer = 'raw' | 'raw-lz4' | 'blocks';

/** Every write transfer path. */
export const LABELMAP_WRITE_TRANSFERS: readonly LabelmapWriteTransfer[] = ['raw', 'raw-lz4', 'blocks'];

/** Options for {@link writeLabelBox}. */
export interface WriteLabelBoxOptions extends LabelmapCallOptions {
  /** @default 'raw' */
  transfer?: LabelmapWriteTransfer;
  /**
   * Resolution level to write. `/raw` writes scale 0 only; `blocks` writes any scale (for
   * ingesting precomputed lower resolutions; DVID neither indexes nor downsamples them).
   * @default 0
   */
  scale?: number;
  /**
   * `/raw` only: send `mutate=true` so DVID indexes the change against the old blocks. Turn it
   * off only when ingesting into empty regions (it saves DVID a read per block).
   * @default true
   */
  mutate?: boolean;
  /** `blocks` at scale 0 only: also compute the lower scales before replying (`downres=true`). */
  downres?: boolean;
  /** `blocks` only: skip label indexing (`noindexing=true`). */
  noindexing?: boolean;
  /** Send DVID's `throttle=on`. */
  throttle?: boolean;
  /** Gzip compressions in flight at once for `blocks`. @default 4 */
  concurrency?: number;
}

/**
 * Writes labels (x fastest) to the block-aligned box `[start, stop)`.
 *
 * @throws {@link DvidArgumentError} before any request for an unaligned box, a scale on `/raw`,
 *   or `downres` at a scale other than 0.
 * @example
 * ```ts
 * await writeLabelBox(ctx, [0, 0, 0], [128, 64, 64], labels, { transfer: 'raw-lz4' });
 * ```
 */
export async function writeLabelBox(
  ctx: LabelmapContext,
  start: Vec3,
  stop: Vec3,
  labels: BigUint64Array,
  options: WriteLabelBoxOptions = {},
): Promise<void> {
  const transfer = options.transfer ?? 'raw';
  if (!LABELMAP_WRITE_TRANSFERS.includes(transfer)) {
    throw new DvidArgumentError('transfer', `expected one of ${LABELMAP_WRITE_TRANSFERS.join(', ')}, got ${JSON.stringify(transfer)}`);
  }
  const bs = ctx.blockSize;
  for (let a = 0; a < 3; a++) {
    if (start[a] % bs[a] !== 0 || stop[a] % bs[a] !== 0) {
      throw new DvidArgumentError('start/stop', `box [${start.join(',')}]–[${stop.join(',')}] is not aligned to ${bs.join('×')} blocks`);
    }
  }
  const size: Vec3 = [stop[0] - start[0], stop[1] - start[1], stop[2] - start[2]];
  if (labels.length !== size[0] * size[1] * size[2]) {
    throw new DvidArgumentError('labels', `has ${labels.length} elements, the box needs ${size[0] * size[1] * size[2]}`);
  }
  const scale = options.scale ?? 0;
  if (transfer !== 'blocks') {
    if (scale !== 0) {
      throw new DvidArgumentError('scale', `DVID's POST /raw writes scale 0 only (v1.0.0 ignores scale=${scale}); use transfer 'blocks' for scale ${scale}`);
    }
    if (options.downres || options.noindexing) {
      throw new DvidArgumentError('options', 'downres and noindexing apply to transfer "blocks" only (POST /raw always indexes and downsamples)');
    }
    await postRaw(ctx, start, size, labels, transfer === 'raw-lz4', options);
    return;
  }
  if (options.downres && scale !== 0) {
    throw new DvidArgumentError('downres', `DVID computes lower scales from scale 0 only; got scale ${scale}`);
  }
  await postBlocks(ctx, start, size, labels, scale, options);
}

async function postRaw(
  ctx: LabelmapContext,
  start: Vec3,
  size: Vec3,
  labels: BigUint64Array,
  lz4: boolean,
  options: WriteLabelBoxOptions,
): Promise<void> {
  const raw = new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength);
  const body = lz4 ? encodeLz4Block(raw) : raw;
  const mutate = options.mutate ?? true;
  await ctx.transport.request({
    method: 'POST',
    path: labelmapPath(ctx, `raw/0_1_2/${size.join('_')}/${start.join('_')}`),
    query: {
      ...(mutate ? { mutate: 'true' } : {}),
      ...(lz4 ? { compression: 'lz4' } : {}),
      ...(options.throttle ? { throttle: 'on' } : {}),
    },
    body,
    headers: { 'Content-Type': 'application/octet-stream' },
    attempted: `write labels to "${ctx.name}" box [${start.join(',')}]+[${size.join(',')}]${lz4 ? ' (lz4)' : ''}`,
    // With mutate=true a repeat writes the same voxels and indexes no difference.
    idempotent: mutate,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
}

/**
 * Encodes the blocks of a block-aligned box as DVID label blocks, gzip'd: the body of
 * `POST /blocks`. `labels` is x fastest over the box; `start` is its first voxel (at any scale).
 *
 * @example
 * ```ts
 * const body = await encodeLabelBlocks(labels, [0, 0, 0], [128, 64, 64], [64, 64, 64]);
 * ```
 */
export async function encodeLabelBlocks(
  labels: BigUint64Array,
  start: Vec3,
  size: Vec3,
  blockSize: Vec3,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  const [bx, by, bz] = blockSize;
  const [nx, ny] = size;
  const counts = size.map((n, a) => n / blockSize[a]);
  const records: { coord: Vec3; data: Uint8Array }[] = [];
  const limiter = new TaskLimiter(Math.max(1, options.concurrency ?? 4));
  const scratch = new BigUint64Array(bx * by * bz);
  for (let k = 0; k < counts[2]; k++) {
    for (let j = 0; j < counts[1]; j++) {
      for (let i = 0; i < counts[0]; i++) {
        // Copy the block out of the box, row by row (same-type copies: no per-voxel BigInt).
        for (let z = 0; z < bz; z++) {
          for (let y = 0; y < by; y++) {
            const src = ((k * bz + z) * ny + j * by + y) * nx + i * bx;
            scratch.set(labels.subarray(src, src + bx), (z * by + y) * bx);
          }
        }
        const encoded = encodeLabelBlock(scratch, blockSize);
        const record = { coord: [start[0] / bx + i, start[1] / by + j, start[2] / bz + k] as Vec3, data: encoded };
        records.push(record);
        await limiter.add(async () => {
          record.data = await gzip(encoded, { signal: options.signal });
        });
      }
    }
  }
  await limiter.drain();
  return encodeBlockStream(records);
}

async function postBlocks(
  ctx: LabelmapContext,
  start: Vec3,
  size: Vec3,
  labels: BigUint64Array,
  scale: number,
  options: WriteLabelBoxOptions,
): Promise<void> {
  const body = await encodeLabelBlocks(labels, start, size, ctx.blockSize, options);
  await ctx.transport.request({
    method: 'POST',
    path: labelmapPath(ctx, 'blocks'),
    query: {
      ...(scale ? { scale } : {}),
      ...(options.downres ? { downres: 'true' } : {}),
      ...(options.noindexing ? { noindexing: 'true' } : {}),
      ...(options.throttle ? { throttle: 'on' } : {}),
    },
    body,
    headers: { 'Content-Type': 'application/octet-stream' },
    attempted: `write label blocks to "${ctx.name}" box [${start.join(',')}]+[${size.join(',')}]${scale ? ` at scale ${scale}` : ''}`,
    // Ingest indexing adds counts: a repeat after a lost reply would count the voxels twice.
    idempotent: Boolean(options.noindexing) || scale !== 0,
    signal: options.signal,
    timeout: options.timeout,
    retry: options.retry,
  });
}

/** Options for {@link waitForLabelSize}. */
export interface WaitForLabelOptions {
  /**
   * Wait until the label has exactly this many voxels (mapped label, or the supervoxel with
   * `supervoxels: true`); otherwise until it exists at all. Use `0` to wait until it is gone.
   */
  voxels?: LabelId;
  /** Query the supervoxel index instead of the mapped label. */
  supervoxels?: boolean;
  /** Give up after this many ms with a {@link DvidTimeoutError}. @default 60000 */
  timeout?: number;
  /** Delay between polls in ms. @default 100 */
  interval?: number;
  signal?: AbortSignal;
}

/**
 * Polls `GET /size/{label}` until DVID's label index reports the label (with `voxels`, exactly
 * that size). This is how to wait after `POST /raw`, which replies before DVID has indexed the
 * written labels. Returns the size seen last.
 *
 * @throws {@link DvidTimeoutError} when `timeout` passes first; {@link DvidArgumentError} for a
 *   negative `timeout` or `interval` (as {@link pollUntil}, which this is built on); the signal's
 *   reason on abort.
 * @example
 * ```ts
 * await seg.write([0, 0, 0, 0], [1, 64, 64, 64], Volume.full([1, 64, 64, 64], 'uint64', 7n));
 * await waitForLabelSize(ctx, 7n, { voxels: 64 ** 3 });
 * ```
 */
export async function waitForLabelSize(ctx: LabelmapContext, label: LabelId, options: WaitForLabelOptions = {}): Promise<bigint> {
  const id = toLabelId(label, 'label');
  const want = options.voxels === undefined ? undefined : toLabelId(options.voxels, 'voxels', { allowZero: true });
  const path = labelmapPath(ctx, `size/${id}`);
  const probe = async (): Promise<bigint> => {
    const response = await ctx.transport.request({
      path,
      query: options.supervoxels ? { supervoxels: 'true' } : {},
      attempted: `wait for label ${id} of "${ctx.name}" to be indexed`,
      okStatuses: [200, 404],
      idempotent: true,
      signal: options.signal,
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      return 0n;
    }
    const match = /"voxels"\s*:\s*(\d+)/.exec(await response.text());
    return match ? BigInt(match[1]) : 0n;
  };
  return pollUntil(probe, (voxels) => (want === undefined ? voxels > 0n : voxels === want), {
    what: `label ${id} of "${ctx.name}" to reach ${want === undefined ? 'the index' : `${want} voxels`}`,
    describe: (voxels) => String(voxels),
    timeout: options.timeout ?? 60_000,
    interval: options.interval,
    signal: options.signal,
    transport: ctx.transport,
    path,
  });
}
