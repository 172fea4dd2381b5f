/**
 * The labelmap block stream: the body of `GET /blocks`, `GET /specificblocks`, `POST /blocks` and
 * `POST /ingest-supervoxels`. Each record is (DVID `datatype/labelmap/blocks.go` `writeBlock`,
 * `read.go` `readStreamedBlock`), all little-endian:
 *
 * | bytes | content |
 * |---|---|
 * | 0–11 | int32 bx, by, bz: the **block** coordinate (voxel ÷ block size, at the requested scale) |
 * | 12–15 | uint32 N: payload length |
 * | 16… | N payload bytes |
 *
 * The payload depends on the request's `compression` (LZ4 block of the uint64 array, gzip of
 * it, the bare array, or a gzip'd DVID label block). GET streams list only stored blocks and in
 * **no particular order** (DVID transcodes blocks in goroutines and writes whichever finishes
 * first). DVID's reader rejects N = 0, and so does this parser.
 *
 * {@link BlockStreamParser} takes bytes as they arrive (any chunking) and hands out whole
 * records; {@link readBlockStream} runs it over a `ReadableStream`. A payload inside one chunk is
 * returned as a view of that chunk (no copy); one spanning chunks is gathered once it is complete,
 * so memory never runs ahead of the bytes received. A record longer than `maxBlockBytes`, or a
 * stream that ends inside a record, is a {@link DecodeError} naming the block and byte offset.
 *
 * @example
 * ```ts
 * for await (const { coord, data } of readBlockStream(response.body!, { maxBlockBytes: 64 ** 3 * 8 })) {
 *   console.log(coord, data.length);
 * }
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';
import { concatBytes } from './bytes.js';

/** The `codec` of every {@link DecodeError} raised here. */
export const BLOCK_STREAM_CODEC = 'dvid-blockstream';

/** Bytes in a record header. */
export const BLOCK_RECORD_HEADER_BYTES = 16;

/** One record of a block stream. */
export interface BlockRecord {
  /** Block coordinate [bx, by, bz]. */
  coord: [number, number, number];
  /** The payload (a view into the received bytes; do not write to it). */
  data: Uint8Array;
  /** Byte offset of the record's header in the stream. */
  offset: number;
}

/** Options for {@link BlockStreamParser} and {@link readBlockStream}. */
export interface BlockStreamOptions {
  /**
   * Largest payload accepted, in bytes. Callers that know the block size should set it (for an
   * LZ4 uint64 block, `boundLz4Block(bx·by·bz·8)`).
   * @default 1 GiB
   */
  maxBlockBytes?: number;
  /**
   * Called with each header before its payload is gathered; throw to reject the record (e.g. a
   * block outside the requested box, which is what an error message appended by DVID to a
   * 200 response looks like).
   */
  checkHeader?: (coord: [number, number, number], length: number, offset: number) => void;
  signal?: AbortSignal;
}

const DEFAULT_MAX_BLOCK_BYTES = 1 << 30;

/**
 * Incremental parser of a block stream: `push` chunks as they arrive, `end` when the stream is
 * done.
 *
 * @example
 * ```ts
 * const parser = new BlockStreamParser({ maxBlockBytes: 1 << 22 });
 * for (const chunk of chunks) for (const rec of parser.push(chunk)) use(rec);
 * parser.end(); // throws if the stream stopped inside a record
 * ```
 */
export class BlockStreamParser {
  private readonly max: number;
  private readonly check: BlockStreamOptions['checkHeader'];
  private readonly header = new Uint8Array(BLOCK_RECORD_HEADER_BYTES);
  private headerFill = 0;
  /** Stream offset of the first byte of a header being gathered across chunks. */
  private headerAnchor = 0;
  private coord: [number, number, number] | undefined;
  private need = 0;
  private parts: Uint8Array[] = [];
  private gathered = 0;
  private recordOffset = 0;
  private position = 0;
  private count = 0;

  constructor(options: BlockStreamOptions = {}) {
    const max = options.maxBlockBytes ?? DEFAULT_MAX_BLOCK_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) throw new DvidArgumentError('maxBlockBytes', `expected a positive integer, got ${max}`);
    this.max = max;
    this.check = options.checkHeader;
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.position;
  }

  /** Records completed so far. */
  get recordCount(): number {
    return this.count;
  }

  /**
   * Consumes one chunk and returns the records it completed.
   *
   * @throws {@link DecodeError} for a zero or oversized payload length, or whatever `checkHeader` throws.
   */
  push(chunk: Uint8Array): BlockRecord[] {
    const out: BlockRecord[] = [];
    let p = 0;
    const n = chunk.length;
    while (p < n) {
      if (this.coord === undefined) {
        if (this.headerFill === 0 && n - p >= BLOCK_RECORD_HEADER_BYTES) {
          this.startRecord(chunk, p, this.position + p);
          p += BLOCK_RECORD_HEADER_BYTES;
        } else {
          if (this.headerFill === 0) this.headerAnchor = this.position + p;
          const take = Math.min(BLOCK_RECORD_HEADER_BYTES - this.headerFill, n - p);
          this.header.set(chunk.subarray(p, p + take), this.headerFill);
          this.headerFill += take;
          p += take;
          if (this.headerFill < BLOCK_RECORD_HEADER_BYTES) break;
          this.headerFill = 0;
          this.startRecord(this.header, 0, this.headerAnchor);
        }
        continue;
      }
      const want = this.need - this.gathered;
      const take = Math.min(want, n - p);
      if (this.gathered === 0 && take === want) {
        out.push(this.finishRecord(chunk.subarray(p, p + take)));
      } else {
        this.parts.push(chunk.subarray(p, p + take));
        this.gathered += take;
        if (this.gathered === this.need) out.push(this.finishRecord(concatBytes(this.parts, this.need)));
      }
      p += take;
    }
    this.position += n;
    return out;
  }

  /**
   * Declares the end of the stream.
   *
   * @throws {@link DecodeError} when the stream stopped inside a header or a payload.
   */
  end(): void {
    if (this.coord !== undefined) {
      throw new DecodeError(
        BLOCK_STREAM_CODEC,
        `stream ended after ${this.gathered} of the ${this.need} payload bytes`,
        { block: this.coord.join(','), offset: this.position },
      );
    }
    if (this.headerFill > 0) {
      throw new DecodeError(BLOCK_STREAM_CODEC, `stream ended inside a record header (${this.headerFill} of 16 bytes)`, {
        offset: this.headerAnchor,
      });
    }
  }

  /** Reads the header at `bytes[p]`, which starts at byte `offset` of the stream. */
  private startRecord(bytes: Uint8Array, p: number, offset: number): void {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + p, BLOCK_RECORD_HEADER_BYTES);
    const coord: [number, number, number] = [dv.getInt32(0, true), dv.getInt32(4, true), dv.getInt32(8, true)];
    const length = dv.getUint32(12, true);
    this.recordOffset = offset;
    const block = coord.join(',');
    if (length === 0) {
      throw new DecodeError(BLOCK_STREAM_CODEC, 'record has a zero payload length (DVID never sends one)', {
        block,
        offset: this.recordOffset + 12,
      });
    }
    if (length > this.max) {
      throw new DecodeError(BLOCK_STREAM_CODEC, `record claims ${length} payload bytes, more than the ${this.max} a block can need`, {
        block,
        offset: this.recordOffset + 12,
      });
    }
    this.check?.(coord, length, this.recordOffset);
    this.coord = coord;
    this.need = length;
    this.gathered = 0;
    this.parts = [];
  }

  private finishRecord(data: Uint8Array): BlockRecord {
    const record: BlockRecord = { coord: this.coord as [number, number, number], data, offset: this.recordOffset };
    this.coord = undefined;
    this.parts = [];
    this.gathered = 0;
    this.need = 0;
    this.count += 1;
    return record;
  }
}

/**
 * Reads a whole block stream held in memory.
 *
 * @throws {@link DecodeError} for truncated or lying records.
 * @example
 * ```ts
 * const records = parseBlockStream(new Uint8Array(await response.arrayBuffer()));
 * ```
 */
export function parseBlockStream(bytes: Uint8Array, options: BlockStreamOptions = {}): BlockRecord[] {
  const parser = new BlockStreamParser(options);
  const records = parser.push(bytes);
  parser.end();
  return records;
}

/**
 * Reads records from a stream as its bytes arrive (any chunking), in stream order.
 *
 * @throws {@link DecodeError} for truncated or lying records; the signal's reason on abort.
 * @example
 * ```ts
 * const res = await fetch(`${url}/api/node/${uuid}/seg/blocks/128_128_128/0_0_0?compression=blocks`);
 * for await (const rec of readBlockStream(res.body!)) console.log(rec.coord);
 * ```
 */
export async function* readBlockStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array,
  options: BlockStreamOptions = {},
): AsyncGenerator<BlockRecord, void, undefined> {
  const parser = new BlockStreamParser(options);
  if (source instanceof Uint8Array) {
    yield* parser.push(source);
    parser.end();
    return;
  }
  const signal = options.signal;
  if (isReadableStream(source)) {
    const reader = source.getReader();
    const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        signal?.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) break;
        yield* parser.push(value);
      }
      signal?.throwIfAborted();
      parser.end();
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      reader.releaseLock();
    }
    return;
  }
  for await (const chunk of source) {
    signal?.throwIfAborted();
    yield* parser.push(chunk);
  }
  signal?.throwIfAborted();
  parser.end();
}

/**
 * Writes one record header: block coordinate and payload length.
 *
 * @example
 * ```ts
 * const header = encodeBlockRecordHeader([1, 0, 0], payload.length);
 * ```
 */
export function encodeBlockRecordHeader(coord: readonly [number, number, number], length: number): Uint8Array {
  for (let a = 0; a < 3; a++) {
    if (!Number.isInteger(coord[a]) || coord[a] < -(2 ** 31) || coord[a] >= 2 ** 31) {
      throw new DvidArgumentError('coord', `block coordinate ${coord[a]} is not an int32`);
    }
  }
  if (!Number.isInteger(length) || length < 1 || length > 0xffffffff) {
    throw new DvidArgumentError('length', `payload length ${length} is not a uint32 ≥ 1`);
  }
  const out = new Uint8Array(BLOCK_RECORD_HEADER_BYTES);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, coord[0], true);
  dv.setInt32(4, coord[1], true);
  dv.setInt32(8, coord[2], true);
  dv.setUint32(12, length, true);
  return out;
}

/**
 * Writes a whole block stream (e.g. the body of `POST /blocks`, payloads already gzip'd).
 *
 * @example
 * ```ts
 * const body = encodeBlockStream([{ coord: [0, 0, 0], data: await gzip(encodeLabelBlock(labels, [64, 64, 64])) }]);
 * ```
 */
export function encodeBlockStream(records: Iterable<{ coord: readonly [number, number, number]; data: Uint8Array }>): Uint8Array {
  const list = [...records];
  let total = 0;
  for (const r of list) total += BLOCK_RECORD_HEADER_BYTES + r.data.length;
  const out = new Uint8Array(total);
  let p = 0;
  for (const r of list) {
    out.set(encodeBlockRecordHeader(r.coord, r.data.length), p);
    out.set(r.data, p + BLOCK_RECORD_HEADER_BYTES);
    p += BLOCK_RECORD_HEADER_BYTES + r.data.length;
  }
  return out;
}

function isReadableStream(x: unknown): x is ReadableStream<Uint8Array> {
  return typeof (x as ReadableStream | undefined)?.getReader === 'function';
}
