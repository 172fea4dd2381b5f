/**
 * Gzip for DVID payloads, on the platform's `DecompressionStream`/`CompressionStream` (Node ≥ 18,
 * Deno, every current browser), so the SDK ships no compression library.
 *
 * Where DVID uses gzip (DVID `datatype/labelmap/blocks.go` `transcodeBlock`, `read.go`
 * `readStreamedBlock`, `compression.go` `writeCompressedToHTTP`):
 *
 * - labelmap `GET /blocks?compression=blocks` and `/specificblocks`: each block's payload is a
 *   gzip stream of one DVID compressed label block;
 * - labelmap `POST /blocks` and `/ingest-supervoxels`: the same, in the other direction;
 * - `compression=gzip` on `/raw`, `/blocks` and `sparsevol`: a gzip stream **without** a
 *   `Content-Encoding` header, so `fetch` never inflates it.
 *
 * Hostile input: {@link gunzip} stops reading as soon as the output passes `maxOutputBytes`
 * (a few hundred gzip bytes can claim gigabytes) and turns every failure of the platform stream
 * (bad header, corrupt data, truncated input, wrong CRC) into a {@link DecodeError} naming the
 * block.
 *
 * Why the platform streams and not a JavaScript inflater: see docs/labelmap.md ("gzip"), which
 * has the measurements in Node, Deno and Chromium.
 *
 * @example
 * ```ts
 * const inflated = await gunzip(payload, { maxOutputBytes: 64 ** 3 * 8 + 1024, block: '3,4,5' });
 * const packed = await gzip(encodeLabelBlock(labels, [64, 64, 64]));
 * ```
 * @module
 */
import { DecodeError, DvidArgumentError } from '../errors.js';
import { concatBytes } from './bytes.js';

/** The `codec` of every {@link DecodeError} raised here. */
export const GZIP_CODEC = 'gzip';

/** Options for {@link gunzip}. */
export interface GunzipOptions {
  /**
   * Largest output accepted, in bytes; inflating stops and a {@link DecodeError} is raised
   * beyond it.
   * @default 1 GiB
   */
  maxOutputBytes?: number;
  /**
   * The exact output size when known (e.g. nx·ny·nz·8 for a gzip'd uint64 array): the output
   * is written straight into one buffer of that size, and any other size is a {@link DecodeError}.
   */
  expectedBytes?: number;
  /** Name of what is being inflated (e.g. a block coordinate), for error messages. */
  block?: string;
  signal?: AbortSignal;
}

/** Options for {@link gzip}. */
export interface GzipOptions {
  signal?: AbortSignal;
}

const DEFAULT_MAX_OUTPUT = 1 << 30;

/**
 * True when this runtime has `DecompressionStream` and `CompressionStream` with gzip support.
 *
 * @example
 * ```ts
 * if (!hasGzipStreams()) console.warn('compression=blocks reads need DecompressionStream');
 * ```
 */
export function hasGzipStreams(): boolean {
  return typeof globalThis.DecompressionStream === 'function' && typeof globalThis.CompressionStream === 'function';
}

function requireStreams(): void {
  if (!hasGzipStreams()) {
    throw new DvidArgumentError('runtime', 'this runtime has no DecompressionStream/CompressionStream (Node ≥ 18, Deno and current browsers have them)');
  }
}

/** Feeds `bytes` into a transform stream's writable side and returns a reader of its output. */
function pipeThrough(stream: TransformStream<BufferSource, Uint8Array>, bytes: Uint8Array): ReadableStreamDefaultReader<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Errors surface on the readable side; swallow them here so they are not unhandled.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  return stream.readable.getReader();
}

/**
 * Inflates one gzip stream (RFC 1952, one member, as Go's `compress/gzip` writes it).
 *
 * @returns the inflated bytes (exactly `expectedBytes` long when that was given).
 * @throws {@link DecodeError} (codec `gzip`) for corrupt or truncated input, output beyond
 *   `maxOutputBytes`, or output of a size other than `expectedBytes`; the signal's reason on abort.
 * @example
 * ```ts
 * // one record of GET .../blocks/...?compression=blocks
 * const block = await gunzip(record.data, { block: record.coord.join(','), maxOutputBytes: 4 << 20 });
 * ```
 */
export async function gunzip(bytes: Uint8Array, options: GunzipOptions = {}): Promise<Uint8Array> {
  if (!(bytes instanceof Uint8Array)) throw new DvidArgumentError('bytes', 'expected a Uint8Array holding a gzip stream');
  requireStreams();
  options.signal?.throwIfAborted();
  const expected = options.expectedBytes;
  if (expected !== undefined && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new DvidArgumentError('expectedBytes', `expected a non-negative integer, got ${expected}`);
  }
  const max = expected ?? options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const fail = (message: string, cause?: unknown): never => {
    throw new DecodeError(GZIP_CODEC, message, { block: options.block, cause });
  };
  if (bytes.length < 18) fail(`${bytes.length} bytes is shorter than the smallest gzip stream (18 bytes)`);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    fail(`not a gzip stream: starts with 0x${hex(bytes[0])} 0x${hex(bytes[1])}, not 0x1f 0x8b`);
  }
  const reader = pipeThrough(new DecompressionStream('gzip'), bytes);
  const out = expected !== undefined ? new Uint8Array(expected) : undefined;
  const parts: Uint8Array[] = [];
  let total = 0;
  const onAbort = () => void reader.cancel().catch(() => undefined);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (cause) {
        options.signal?.throwIfAborted();
        return fail(`corrupt or truncated gzip data (${(cause as Error)?.message ?? String(cause)})`, cause);
      }
      if (result.done) break;
      const chunk = result.value;
      if (total + chunk.length > max) {
        await reader.cancel().catch(() => undefined);
        if (expected !== undefined) fail(`inflates to more than the expected ${expected} bytes`);
        fail(`inflates to more than maxOutputBytes (${max})`);
      }
      if (out) out.set(chunk, total);
      else parts.push(chunk);
      total += chunk.length;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  options.signal?.throwIfAborted();
  if (out) {
    if (total !== expected) fail(`inflates to ${total} bytes, expected ${expected}`);
    return out;
  }
  return concatBytes(parts, total);
}

/**
 * Compresses bytes into one gzip stream (default level of the platform's zlib).
 *
 * @example
 * ```ts
 * const body = await gzip(encodeLabelBlock(labels, [64, 64, 64])); // one POST /blocks payload
 * ```
 */
export async function gzip(bytes: Uint8Array, options: GzipOptions = {}): Promise<Uint8Array> {
  if (!(bytes instanceof Uint8Array)) throw new DvidArgumentError('bytes', 'expected a Uint8Array');
  requireStreams();
  options.signal?.throwIfAborted();
  const reader = pipeThrough(new CompressionStream('gzip'), bytes);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.length;
  }
  options.signal?.throwIfAborted();
  return concatBytes(parts, total);
}

function hex(b: number | undefined): string {
  return (b ?? 0).toString(16).padStart(2, '0');
}
