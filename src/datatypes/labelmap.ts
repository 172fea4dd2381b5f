/**
 * labelmap instances: DVID's segmentation type, uint64 supervoxel IDs mapped to labels (bodies).
 * `LabelmapAccessor` reads and writes label Volumes (`BigUint64Array`, axes `'cxyz'`, shape
 * `[1, nx, ny, nz]`, Fortran order) in DVID's own coordinates with the selection rules of voxel
 * instances, through any of DVID's four transfer paths, at any scale; and it carries the
 * per-label and proofreading operations.
 *
 * Reading: `labelmap-read.ts` (transfer paths). Writing: `labelmap-write.ts`. Per-label reads:
 * `labelmap-labels.ts`; label allocation and mutations: `labelmap-mutations.ts`. Shared
 * helpers: `labelmap-common.ts`. What DVID v1.0.0 does on the wire: docs/labelmap.md.
 *
 * @example
 * ```ts
 * const seg = await client.labelmap(uuid, 'segmentation');
 * const labels = await seg.get(':,0:256,0:256,100');       // Volume<'uint64'>, shape [1, 256, 256]
 * const svs = await seg.get(':,0:64,0:64,0:64', { supervoxels: true, transfer: 'raw-lz4' });
 * await seg.merge(labels.item(0, 0, 0), [labels.item(0, 10, 10)]);
 * ```
 * @module
 */
import type { MaskBlocks, RunList } from '../codecs/rle.js';
import { DecodeError, DvidArgumentError, SelectionError } from '../errors.js';
import { SCHEMAS } from '../metadata/schemas.js';
import { assertWritableSelection, resolveDvidSelection, toSelection } from '../selection/index.js';
import type { Transport } from '../transport/transport.js';
import { Volume, type SelectionInput } from '../volume/index.js';
import { checkScale, toLabelId, type LabelId, type LabelmapCallOptions, type LabelmapContext, type Vec3 } from './labelmap-common.js';
import * as ops from './labelmap-labels.js';
import * as mutations from './labelmap-mutations.js';
import { DEFAULT_READ_TRANSFER, readLabelBox, type LabelmapTransfer, type ReadLabelBoxOptions } from './labelmap-read.js';
import { waitForLabelSize, writeLabelBox, type WaitForLabelOptions, type WriteLabelBoxOptions } from './labelmap-write.js';
import { nodePath } from './paths.js';

/** What `GET /info` says about a labelmap instance (the `Extended` and `Extents` parts). */
export interface LabelmapInfo {
  /** Block size in voxels, the same at every scale. */
  blockSize: Vec3;
  voxelSize: number[];
  voxelUnits: string[];
  /** Highest scale level; scales 0…maxDownresLevel exist. */
  maxDownresLevel: number;
  /** False when DVID keeps no label index (then sparsevol, merge, cleave, split, maxlabel, nextlabel are refused). */
  indexedLabels: boolean;
  /** First written voxel at scale 0 (block-aligned after block writes), or null when empty. */
  minPoint: Vec3 | null;
  /** Last written voxel at scale 0 (inclusive), or null when empty. */
  maxPoint: Vec3 | null;
  /** Largest label in the repo, as DVID tracks it. */
  maxRepoLabel: bigint;
  /** DVID's storage compression (labelmap needs the default gzip for POST /blocks). */
  compression: string;
  /** The whole `/info` JSON (integers beyond 2^53 as bigint). */
  json: Record<string, unknown>;
}

/** Options for opening an accessor: its defaults for every read. */
export interface LabelmapOpenOptions {
  /** Default resolution level of reads. @default 0 */
  scale?: number;
  /** Read supervoxel IDs by default instead of mapped labels. @default false */
  supervoxels?: boolean;
  signal?: AbortSignal;
}

/** Options for label reads (defaults from the accessor). */
export interface LabelmapReadOptions extends Omit<ReadLabelBoxOptions, 'transfer'> {
  /**
   * `'raw'`, `'raw-lz4'`, `'blocks-lz4'` or `'blocks'` (gzip'd DVID label blocks).
   * @default DEFAULT_READ_TRANSFER (the fastest measured)
   */
  transfer?: LabelmapTransfer;
}

/** Options for label writes. */
export interface LabelmapWriteOptions extends WriteLabelBoxOptions {
  /**
   * Unaligned boxes: `'read-modify-write'` reads the enclosing aligned box (supervoxels, at the
   * write's scale), pastes the data and writes it back (not atomic); `'error'` refuses.
   * @default 'read-modify-write'
   */
  unaligned?: 'read-modify-write' | 'error';
  /** Transfer path of the read in a read-modify-write. @default DEFAULT_READ_TRANSFER */
  readTransfer?: LabelmapTransfer;
}

/** Data accepted by writes: a uint64 Volume, a BigUint64Array in Fortran order, or one label. */
export type LabelmapData = Volume<'uint64'> | BigUint64Array | bigint | number;

/** Voxel extents at one scale, channel axis first (pydvid's convention: `shape` is the stop). */
export interface LabelmapExtents {
  /** `[0, x, y, z]`: first stored voxel. */
  minIndex: number[];
  /** `[1, x, y, z]`: stop coordinate (exclusive). */
  shape: number[];
}

const AXES = 'cxyz';

/**
 * Remote access to one labelmap instance at one version. Make it with `client.labelmap(uuid, name)`.
 *
 * @example
 * ```ts
 * const seg = await client.labelmap(uuid, 'segmentation', { scale: 1 });
 * console.log(seg.blockSize, seg.maxDownresLevel, seg.minIndex, seg.shape);
 * const all = await seg.read(seg.minIndex, seg.shape);
 * ```
 */
export class LabelmapAccessor {
  readonly uuid: string;
  readonly name: string;
  /** Default scale of reads. */
  readonly scale: number;
  /** True when reads return supervoxel IDs by default. */
  readonly readsSupervoxels: boolean;
  private state: { info: LabelmapInfo };
  private readonly transport: Transport;

  private constructor(transport: Transport, uuid: string, name: string, state: { info: LabelmapInfo }, scale: number, supervoxels: boolean) {
    this.transport = transport;
    this.uuid = uuid;
    this.name = name;
    this.state = state;
    this.scale = scale;
    this.readsSupervoxels = supervoxels;
  }

  /**
   * Opens an accessor (fetches `/info`). Prefer `client.labelmap(uuid, name)`.
   *
   * @example
   * ```ts
   * const seg = await LabelmapAccessor.open(client.transport, uuid, 'segmentation', { scale: 1 });
   * ```
   */
  static async open(transport: Transport, uuid: string, name: string, options: LabelmapOpenOptions = {}): Promise<LabelmapAccessor> {
    const info = await fetchLabelmapInfo(transport, uuid, name, options.signal);
    const scale = checkScale(options.scale, info.maxDownresLevel);
    return new LabelmapAccessor(transport, uuid, name, { info }, scale, Boolean(options.supervoxels));
  }

  /**
   * The same instance with other read defaults; shares this accessor's metadata.
   *
   * @example
   * ```ts
   * const svs = seg.withDefaults({ supervoxels: true, scale: 2 });
   * ```
   */
  withDefaults(options: { scale?: number; supervoxels?: boolean }): LabelmapAccessor {
    const scale = checkScale(options.scale ?? this.scale, this.info.maxDownresLevel);
    return new LabelmapAccessor(this.transport, this.uuid, this.name, this.state, scale, options.supervoxels ?? this.readsSupervoxels);
  }

  /** The instance's `/info` as last fetched. */
  get info(): LabelmapInfo {
    return this.state.info;
  }
  /** Always `'cxyz'`. */
  get axes(): string {
    return AXES;
  }
  /** Always `'uint64'`. */
  get dtype(): 'uint64' {
    return 'uint64';
  }
  /** Block size [x, y, z] (the same at every scale). */
  get blockSize(): Vec3 {
    return [...this.info.blockSize] as Vec3;
  }
  /** Highest scale level. */
  get maxDownresLevel(): number {
    return this.info.maxDownresLevel;
  }
  /** Number of scales (maxDownresLevel + 1). */
  get scaleCount(): number {
    return this.info.maxDownresLevel + 1;
  }
  /** `[0, x, y, z]` first stored voxel at the default scale. */
  get minIndex(): number[] {
    return this.extents().minIndex;
  }
  /** `[1, x, y, z]` stop coordinate at the default scale. */
  get shape(): number[] {
    return this.extents().shape;
  }

  /**
   * Extents at a scale. DVID stores only scale 0's (`MinPoint`, `MaxPoint`); scale s is derived
   * as `floor(min / 2^s)` to `ceil(stop / 2^s)`. Empty instances give `[0,0,0,0]`/`[1,0,0,0]`.
   *
   * @example
   * ```ts
   * seg.extents(2); // { minIndex: [0, 0, 0, 0], shape: [1, 64, 64, 32] }
   * ```
   */
  extents(scale = this.scale): LabelmapExtents {
    const s = checkScale(scale, this.info.maxDownresLevel);
    const { minPoint, maxPoint } = this.info;
    if (!minPoint || !maxPoint) return { minIndex: [0, 0, 0, 0], shape: [1, 0, 0, 0] };
    const f = 2 ** s;
    return {
      minIndex: [0, ...minPoint.map((m) => Math.floor(m / f))],
      shape: [1, ...maxPoint.map((m) => Math.ceil((m + 1) / f))],
    };
  }

  /**
   * Re-reads `/info` (extents and max label change as data is written).
   *
   * @example
   * ```ts
   * const { minPoint, maxPoint } = await seg.refresh();
   * ```
   */
  async refresh(options: { signal?: AbortSignal } = {}): Promise<LabelmapInfo> {
    this.state.info = await fetchLabelmapInfo(this.transport, this.uuid, this.name, options.signal);
    return this.state.info;
  }

  private get ctx(): LabelmapContext {
    return { transport: this.transport, uuid: this.uuid, name: this.name, blockSize: this.info.blockSize };
  }

  // ---- voxels ---------------------------------------------------------------------------------------

  /**
   * Reads the box `[start, stop)` (`[c, x, y, z]`, channel range 0:1) in DVID coordinates at the
   * read's scale. Returns a Fortran-order `[1, nx, ny, nz]` uint64 Volume.
   *
   * @example
   * ```ts
   * const box = await seg.read([0, 0, 0, 0], [1, 256, 256, 256], { transfer: 'blocks' });
   * ```
   */
  async read(start: readonly number[], stop: readonly number[], options: LabelmapReadOptions = {}): Promise<Volume<'uint64'>> {
    checkBox(start, stop, 'read');
    const scale = checkScale(options.scale ?? this.scale, this.info.maxDownresLevel);
    const s = start.slice(1) as Vec3;
    const e = stop.slice(1) as Vec3;
    const labels = await readLabelBox(this.ctx, s, e, {
      ...options,
      scale,
      supervoxels: options.supervoxels ?? this.readsSupervoxels,
      transfer: options.transfer ?? DEFAULT_READ_TRANSFER,
    });
    return Volume.from(labels, [1, e[0] - s[0], e[1] - s[1], e[2] - s[2]], { axes: AXES });
  }

  /**
   * Reads a selection in DVID coordinates (`':,0:256,0:256,100'`), with the rules of voxel
   * instances: omitted bounds are the extents at the read's scale, negative numbers are signed
   * coordinates, an integer drops its axis, a positive step returns a strided view.
   *
   * @example
   * ```ts
   * const slab = await seg.get(':,0:512,0:512,100'); // shape [1, 512, 512]
   * ```
   */
  async get(selection: SelectionInput, options: LabelmapReadOptions = {}): Promise<Volume<'uint64'>> {
    const scale = options.scale ?? this.scale;
    const ext = this.extents(scale);
    const r = resolveDvidSelection(toSelection(selection), { minIndex: ext.minIndex, stop: ext.shape });
    const start = [0, ...r.start.slice(1)];
    const stop = [1, ...r.stop.slice(1)];
    const box = await this.read(start, stop, { ...options, scale });
    return box.get(r.start.map((s, i) => (r.drop[i] ? s - start[i] : { start: s - start[i], stop: r.stop[i] - start[i], step: r.step[i] })));
  }

  /**
   * Writes supervoxel IDs to the box `[start, stop)` (`[c, x, y, z]`, channel range 0:1). By
   * default through `POST /raw?mutate=true` (any box; unaligned ones by read-modify-write); with
   * `transfer: 'blocks'` through `POST /blocks` and the SDK's label-block encoder (ingest
   * semantics, any scale). `POST /raw` replies before DVID has indexed the labels: wait with
   * {@link LabelmapAccessor.waitForLabel} before per-label reads.
   *
   * @example
   * ```ts
   * await seg.write([0, 0, 0, 0], [1, 64, 64, 64], Volume.full([1, 64, 64, 64], 'uint64', 7n));
   * await seg.write([0, 0, 0, 0], [1, 64, 64, 64], labels, { transfer: 'blocks', downres: true });
   * ```
   */
  async write(start: readonly number[], stop: readonly number[], data: LabelmapData, options: LabelmapWriteOptions = {}): Promise<void> {
    checkBox(start, stop, 'write');
    const s = start.slice(1) as Vec3;
    const e = stop.slice(1) as Vec3;
    const size: Vec3 = [e[0] - s[0], e[1] - s[1], e[2] - s[2]];
    let labels = toLabels(data, size);
    const scale = checkScale(options.scale, this.info.maxDownresLevel);
    const bs = this.info.blockSize;
    const a0 = s.map((v, a) => Math.floor(v / bs[a]) * bs[a]) as Vec3;
    const a1 = e.map((v, a) => Math.ceil(v / bs[a]) * bs[a]) as Vec3;
    const aligned = a0.every((v, a) => v === s[a]) && a1.every((v, a) => v === e[a]);
    let ws = s;
    let we = e;
    if (!aligned) {
      if (options.unaligned === 'error') {
        throw new DvidArgumentError(
          'start/stop',
          `box [${s.join(',')}]–[${e.join(',')}] is not aligned to "${this.name}"'s ${bs.join('×')} blocks ` +
            `(nearest aligned box: [${a0.join(',')}]–[${a1.join(',')}])`,
        );
      }
      const around = await readLabelBox(this.ctx, a0, a1, {
        scale,
        supervoxels: true,
        transfer: options.readTransfer ?? DEFAULT_READ_TRANSFER,
        signal: options.signal,
        timeout: options.timeout,
        retry: options.retry,
        throttle: options.throttle,
      });
      const box = Volume.from(around, [1, a1[0] - a0[0], a1[1] - a0[1], a1[2] - a0[2]], { axes: AXES });
      box.set(
        [0, 1, 2, 3].map((i) => (i === 0 ? { start: 0, stop: 1, step: 1 } : { start: s[i - 1] - a0[i - 1], stop: e[i - 1] - a0[i - 1], step: 1 })),
        Volume.from(labels, [1, ...size], { axes: AXES }),
      );
      labels = around;
      ws = a0;
      we = a1;
    }
    await writeLabelBox(this.ctx, ws, we, labels, { ...options, scale });
    if (scale === 0) {
      const { minPoint, maxPoint } = this.info;
      if (!minPoint || !maxPoint || ws.some((v, a) => v < minPoint[a]) || we.some((v, a) => v - 1 > maxPoint[a])) {
        await this.refresh({ signal: options.signal });
      }
    }
  }

  /**
   * Writes a selection in DVID coordinates (no steps; the channel axis may be omitted or `:`).
   *
   * @example
   * ```ts
   * await seg.set(':,0:64,0:64,0:64', 7n);
   * ```
   */
  async set(selection: SelectionInput, data: LabelmapData, options: LabelmapWriteOptions = {}): Promise<void> {
    const ext = this.extents(options.scale ?? 0);
    const r = resolveDvidSelection(toSelection(selection), { minIndex: ext.minIndex, stop: ext.shape });
    assertWritableSelection(r, 1);
    const fullShape = r.stop.map((v, i) => v - r.start[i]);
    let value: LabelmapData = data;
    if (data instanceof Volume && r.drop.some(Boolean)) {
      const kept = fullShape.filter((_, i) => !r.drop[i]);
      if (data.shape.length !== kept.length || data.shape.some((n, i) => n !== kept[i])) {
        throw new DvidArgumentError('data', `shape [${data.shape.join(', ')}] does not match the selection's shape [${kept.join(', ')}]`);
      }
      let k = 0;
      const strides = fullShape.map((_, i) => (r.drop[i] ? 0 : data.strides[k++]));
      value = Volume.from(data.data, fullShape, { strides, offset: data.offset, axes: AXES }) as Volume<'uint64'>;
    }
    await this.write(r.start, r.stop, value, options);
  }

  /**
   * Waits until DVID's label index reports `label` (and, with `voxels`, exactly that size):
   * `POST /raw` replies before indexing ends.
   *
   * @example
   * ```ts
   * await seg.set(':,0:64,0:64,0:64', 7n);
   * await seg.waitForLabel(7n, { voxels: 64 ** 3, timeout: 10_000 });
   * ```
   */
  waitForLabel(label: LabelId, options: WaitForLabelOptions = {}): Promise<bigint> {
    return waitForLabelSize(this.ctx, label, options);
  }

  // ---- per-label reads ---------------------------------------------------------------------------

  private readDefaults<T extends { scale?: number; supervoxels?: boolean }>(options: T): T {
    return { ...options, scale: checkScale(options.scale ?? this.scale, this.info.maxDownresLevel), supervoxels: options.supervoxels ?? this.readsSupervoxels };
  }

  /**
   * The label at a voxel (`[x, y, z]` at the read's scale).
   *
   * @example
   * ```ts
   * await seg.labelAt([100, 200, 300]); // 7n
   * ```
   */
  labelAt(point: readonly number[], options: ops.LabelReadOptions = {}): Promise<bigint> {
    return ops.getLabelAt(this.ctx, point, this.readDefaults(options));
  }

  /**
   * The labels at many voxels (one `GET /labels` in Node and Deno; per-point requests in browsers).
   *
   * @example
   * ```ts
   * await seg.labelsAt([[0, 0, 0], [10, 20, 30]]); // BigUint64Array [7n, 9n]
   * ```
   */
  labelsAt(points: readonly (readonly number[])[], options: ops.LabelsAtOptions = {}): Promise<BigUint64Array> {
    return ops.getLabelsAt(this.ctx, points, this.readDefaults(options));
  }

  /**
   * A label's voxels as runs (`rles`, `srles`) or binary-mask blocks (`blocks`); `null` when absent.
   *
   * @example
   * ```ts
   * const runs = await seg.sparsevol(7n, { bounds: { start: [0, 0, 0], stop: [64, 64, 64] } });
   * ```
   */
  sparsevol(label: LabelId, options: ops.SparsevolOptions & { format: 'blocks' }): Promise<MaskBlocks | null>;
  sparsevol(label: LabelId, options?: ops.SparsevolOptions & { format?: 'rles' | 'srles' }): Promise<RunList | null>;
  sparsevol(label: LabelId, options: ops.SparsevolOptions = {}): Promise<RunList | MaskBlocks | null> {
    return ops.getSparsevol(this.ctx, label, this.readDefaults(options) as ops.SparsevolOptions & { format?: 'rles' });
  }

  /**
   * Voxel count and block-aligned bounds of a label; `null` when absent.
   *
   * @example
   * ```ts
   * (await seg.sparsevolSize(7n))?.voxels; // 262144n
   * ```
   */
  sparsevolSize(label: LabelId, options: ops.LabelReadOptions = {}): Promise<ops.SparsevolSize | null> {
    return ops.getSparsevolSize(this.ctx, label, { ...options, supervoxels: options.supervoxels ?? this.readsSupervoxels });
  }

  /**
   * The blocks a label touches, as runs of block coordinates; `null` when absent.
   *
   * @example
   * ```ts
   * const blocks = await seg.sparsevolCoarse(7n);
   * ```
   */
  sparsevolCoarse(label: LabelId, options: ops.LabelReadOptions & { bounds?: ops.SparsevolBounds } = {}): Promise<RunList | null> {
    return ops.getSparsevolCoarse(this.ctx, label, { ...options, supervoxels: options.supervoxels ?? this.readsSupervoxels });
  }

  /**
   * Whether DVID's label index knows the label.
   *
   * @example
   * ```ts
   * await seg.exists(7n); // true
   * ```
   */
  exists(label: LabelId, options: ops.LabelReadOptions = {}): Promise<boolean> {
    return ops.labelExists(this.ctx, label, { ...options, supervoxels: options.supervoxels ?? this.readsSupervoxels });
  }

  /**
   * Voxel count of a label (`0n` when absent).
   *
   * @example
   * ```ts
   * await seg.size(7n); // 262144n
   * ```
   */
  size(label: LabelId, options: ops.LabelReadOptions = {}): Promise<bigint> {
    return ops.getLabelSize(this.ctx, label, { ...options, supervoxels: options.supervoxels ?? this.readsSupervoxels });
  }

  /**
   * Voxel counts of many labels (`0n` for absent ones).
   *
   * @example
   * ```ts
   * await seg.sizes([7n, 9n]); // BigUint64Array [262144n, 131072n]
   * ```
   */
  sizes(labels: Iterable<LabelId>, options: ops.LabelReadOptions & { concurrency?: number } = {}): Promise<BigUint64Array> {
    return ops.getLabelSizes(this.ctx, labels, { ...options, supervoxels: options.supervoxels ?? this.readsSupervoxels });
  }

  /**
   * The supervoxels of a label; `null` when absent.
   *
   * @example
   * ```ts
   * await seg.supervoxels(7n); // BigUint64Array [7n, 9n]
   * ```
   */
  supervoxels(label: LabelId, options: LabelmapCallOptions = {}): Promise<BigUint64Array | null> {
    return ops.getSupervoxels(this.ctx, label, options);
  }

  /**
   * The supervoxels of a label with their sizes; `null` when absent.
   *
   * @example
   * ```ts
   * const { supervoxels, sizes } = (await seg.supervoxelSizes(7n))!;
   * ```
   */
  supervoxelSizes(label: LabelId, options: LabelmapCallOptions = {}): Promise<{ supervoxels: BigUint64Array; sizes: BigUint64Array } | null> {
    return ops.getSupervoxelSizes(this.ctx, label, options);
  }

  /**
   * The labels of supervoxels (Node and Deno only: it needs GET with a body).
   *
   * @example
   * ```ts
   * await seg.mapping([9n]); // BigUint64Array [7n]
   * ```
   */
  mapping(supervoxels: Iterable<LabelId>, options: LabelmapCallOptions & { nolookup?: boolean } = {}): Promise<BigUint64Array> {
    return ops.getMapping(this.ctx, supervoxels, options);
  }

  /**
   * The last mutation of a label; `null` when absent.
   *
   * @example
   * ```ts
   * (await seg.lastModified(7n))?.mutationId;
   * ```
   */
  lastModified(label: LabelId, options: LabelmapCallOptions = {}): Promise<ops.LastModified | null> {
    return ops.getLastModified(this.ctx, label, options);
  }

  /**
   * The largest label at this version (`0n` before any write).
   *
   * @example
   * ```ts
   * await seg.maxLabel();
   * ```
   */
  maxLabel(options: LabelmapCallOptions = {}): Promise<bigint> {
    return mutations.getMaxLabel(this.ctx, options);
  }

  /**
   * Without `count`: the next label DVID would hand out (`GET /nextlabel`). With `count`:
   * reserves that many new labels (`POST /nextlabel/{count}`, not retried) and returns the
   * inclusive range.
   *
   * @example
   * ```ts
   * await seg.nextLabel();                       // 8n
   * const { start, end } = await seg.nextLabel(10); // 8n, 17n
   * ```
   */
  nextLabel(): Promise<bigint>;
  nextLabel(count: number, options?: LabelmapCallOptions): Promise<{ start: bigint; end: bigint }>;
  nextLabel(count?: number, options: LabelmapCallOptions = {}): Promise<bigint | { start: bigint; end: bigint }> {
    return count === undefined ? mutations.getNextLabel(this.ctx, options) : mutations.reserveLabels(this.ctx, count, options);
  }

  /**
   * Streams the indexed labels in increasing order (`GET /listlabels`).
   *
   * @example
   * ```ts
   * for await (const { label } of seg.listLabels()) console.log(label);
   * ```
   */
  listLabels(options: ops.ListLabelsOptions = {}): AsyncGenerator<ops.ListedLabel, void, undefined> {
    return ops.listLabels(this.ctx, options);
  }

  /**
   * The mutation log of this version (needs `[mutations] jsonstore` on the server).
   *
   * @example
   * ```ts
   * (await seg.mutations()).map((m) => m.Action); // ['merge-complete', 'cleave-complete']
   * ```
   */
  mutations(options: LabelmapCallOptions = {}): Promise<Record<string, unknown>[]> {
    return mutations.getMutations(this.ctx, options);
  }

  // ---- proofreading ------------------------------------------------------------------------------

  /**
   * Merges `others` into `target` (never retried).
   *
   * @example
   * ```ts
   * const { mutationId } = await seg.merge(7n, [9n]);
   * ```
   */
  merge(target: LabelId, others: Iterable<LabelId>, options: LabelmapCallOptions = {}): Promise<mutations.MergeResult> {
    return mutations.mergeLabels(this.ctx, target, others, options);
  }

  /**
   * Moves supervoxels of `label` to a new label (never retried).
   *
   * @example
   * ```ts
   * const { cleavedLabel } = await seg.cleave(7n, [9n]);
   * ```
   */
  cleave(label: LabelId, supervoxels: Iterable<LabelId>, options: LabelmapCallOptions = {}): Promise<mutations.CleaveResult> {
    return mutations.cleaveLabel(this.ctx, label, supervoxels, options);
  }

  /**
   * Splits voxels of a supervoxel into a new supervoxel (never retried).
   *
   * @example
   * ```ts
   * await seg.splitSupervoxel(9n, maskToRuns(mask, [0, 0, 0]));
   * ```
   */
  splitSupervoxel(supervoxel: LabelId, runs: RunList, options: mutations.SplitSupervoxelOptions = {}): Promise<mutations.SplitSupervoxelResult> {
    return mutations.splitSupervoxel(this.ctx, supervoxel, runs, options);
  }

  /**
   * Splits voxels of a label into a new label (never retried).
   *
   * @example
   * ```ts
   * const { label } = await seg.split(7n, runs);
   * ```
   */
  split(label: LabelId, runs: RunList, options: LabelmapCallOptions = {}): Promise<mutations.SplitResult> {
    return mutations.splitLabel(this.ctx, label, runs, options);
  }

  /**
   * Gives labels new IDs, `[newLabel, oldLabel]` pairs (never retried).
   *
   * @example
   * ```ts
   * await seg.renumber([[100n, 7n]]);
   * ```
   */
  renumber(pairs: Iterable<readonly [LabelId, LabelId]> | Map<LabelId, LabelId>, options: LabelmapCallOptions = {}): Promise<void> {
    return mutations.renumberLabels(this.ctx, pairs, options);
  }
}

function checkBox(start: readonly number[], stop: readonly number[], verb: string): void {
  const text = `[${start.join(',')}]–[${stop.join(',')}]`;
  if (start.length !== 4 || stop.length !== 4) {
    throw new SelectionError(`start and stop must have 4 entries (axes "cxyz"), got ${text}`, { selection: text });
  }
  for (let i = 0; i < 4; i++) {
    if (!Number.isInteger(start[i]) || !Number.isInteger(stop[i])) throw new SelectionError(`start and stop must be integers, got ${text}`, { selection: text, item: i });
    if (start[i] >= stop[i]) throw new SelectionError(`empty or inverted range on axis "${AXES[i]}": ${start[i]}:${stop[i]}`, { selection: text, item: i });
    if (i > 0 && (start[i] < -(2 ** 31) || stop[i] > 2 ** 31)) throw new SelectionError(`coordinates must fit int32, got ${text}`, { selection: text, item: i });
  }
  if (start[0] !== 0 || stop[0] !== 1) {
    throw new SelectionError(`a labelmap ${verb} has one channel: expected channel range 0:1, got ${start[0]}:${stop[0]}`, { selection: text, item: 0 });
  }
}

/** Contiguous x-fastest labels of a box from any accepted data form. */
function toLabels(data: LabelmapData, size: Vec3): BigUint64Array {
  const n = size[0] * size[1] * size[2];
  if (data instanceof Volume) {
    if (data.dtype !== 'uint64') throw new DvidArgumentError('data', `expected a uint64 Volume, got ${data.dtype}`);
    const want = [1, ...size];
    const got = data.shape;
    const same = got.length === 4 ? got.every((v, i) => v === want[i]) : got.length === 3 && got.every((v, i) => v === size[i]);
    if (!same) throw new DvidArgumentError('data', `shape [${got.join(', ')}] does not match the box's shape [${want.join(', ')}]`);
    return (data as Volume<'uint64'>).toTypedArray('F');
  }
  if (data instanceof BigUint64Array) {
    if (data.length !== n) throw new DvidArgumentError('data', `expected ${n} labels for box [${size.join(', ')}], got ${data.length}`);
    return data;
  }
  if (typeof data === 'bigint' || typeof data === 'number') {
    const id = toLabelId(data, 'data', { allowZero: true });
    return new BigUint64Array(n).fill(id);
  }
  throw new DvidArgumentError('data', 'expected a uint64 Volume, a BigUint64Array or a label');
}

/**
 * Reads `GET /info` of a labelmap instance.
 *
 * @throws {@link DvidArgumentError} when the instance is not a labelmap; {@link DecodeError} when
 *   its `/info` lacks what the SDK needs.
 * @example
 * ```ts
 * const info = await fetchLabelmapInfo(client.transport, uuid, 'segmentation');
 * info.maxDownresLevel; // 2
 * ```
 */
export async function fetchLabelmapInfo(transport: Transport, uuid: string, name: string, signal?: AbortSignal): Promise<LabelmapInfo> {
  const json = await transport.requestJson<Record<string, unknown>>({
    path: `${nodePath(uuid, name)}/info`,
    attempted: `read the info of "${name}"`,
    schema: SCHEMAS.instanceInfo,
    bigints: 'unsafe',
    signal,
  });
  const base = json.Base as { TypeName?: string; Compression?: string };
  if (base?.TypeName !== 'labelmap') {
    throw new DvidArgumentError('name', `"${name}" is a ${String(base?.TypeName)} instance, not a labelmap`);
  }
  const ext = (json.Extended ?? {}) as Record<string, unknown>;
  const extents = (json.Extents ?? {}) as Record<string, unknown>;
  const vec = (v: unknown): Vec3 | null =>
    Array.isArray(v) && v.length === 3 && v.every((n) => typeof n === 'number' && Number.isInteger(n)) ? (v as Vec3) : null;
  const blockSize = vec(ext.BlockSize);
  if (!blockSize) throw new DecodeError('metadata', `"${name}" reported no usable BlockSize`);
  const level = ext.MaxDownresLevel;
  const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(v) : 0n);
  return {
    blockSize,
    voxelSize: Array.isArray(ext.VoxelSize) ? (ext.VoxelSize as number[]) : [],
    voxelUnits: Array.isArray(ext.VoxelUnits) ? (ext.VoxelUnits as string[]) : [],
    maxDownresLevel: typeof level === 'number' ? level : 0,
    indexedLabels: ext.IndexedLabels !== false,
    minPoint: vec(extents.MinPoint ?? ext.MinPoint),
    maxPoint: vec(extents.MaxPoint ?? ext.MaxPoint),
    maxRepoLabel: big(ext.MaxRepoLabel),
    compression: typeof base.Compression === 'string' ? base.Compression : '',
    json,
  };
}
