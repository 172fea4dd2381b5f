/**
 * The LZ4 *block* format (not the LZ4 frame format), as DVID uses it on the wire.
 *
 * Facts this module relies on, with where they come from:
 *
 * - DVID compresses and decompresses with the C functions `LZ4_compress_limitedOutput` and
 *   `LZ4_decompress_safe` (Go binding `github.com/janelia-flyem/go/golz4-updated`), never the
 *   frame format (DVID `dvid/serialize.go` `SerializeData`, `datatype/labelmap/compression.go`).
 * - HTTP payloads with `compression=lz4` carry no size prefix, so the caller must know the
 *   uncompressed size: for labelmap `/raw` it is nx·ny·nz·8, for each block of `/blocks` it is
 *   bx·by·bz·8 (DVID `datatype/labelmap/compression.go` `writeCompressedToHTTP`,
 *   `datatype/labelmap/blocks.go` `transcodeBlock`).
 * - Data stored inside DVID's own serialization has a 4-byte size prefix; that prefix is not
 *   handled here (DVID `dvid/serialize.go`).
 *
 * The block format itself (LZ4 project, `doc/lz4_Block_format.md`): a series of sequences.
 * Each sequence is a token byte (high nibble: literal count, low nibble: match length − 4,
 * 15 meaning "more bytes follow", each extra byte added until one is below 255), the literals,
 * then a 2-byte little-endian match offset (1…65535, counting back from the current output
 * position) and the match-length extension bytes. The last sequence is literals only. Rules
 * that `LZ4_decompress_safe` enforces and that {@link encodeLz4Block} obeys: the last 5 bytes
 * are always literals, and the last match starts at least 12 bytes before the end of the
 * block (so inputs shorter than 13 bytes are stored as literals only).
 *
 * {@link decodeLz4Block} always checks that offsets stay inside the output written so far,
 * that nothing runs past the input or the destination, and that the output has exactly the
 * expected length. With `strict: true` it also enforces the two end-of-block rules above, as
 * `LZ4_decompress_safe` does.
 *
 * @example
 * ```ts
 * const raw = new Uint8Array(64 * 64 * 64 * 8); // one 64³ uint64 block
 * const packed = encodeLz4Block(raw);
 * const back = decodeLz4Block(packed, raw.length); // equal to raw
 * ```
 * @module
 */
import { DecodeError } from '../errors.js';

const CODEC = 'lz4';
const MIN_MATCH = 4;
/** The last match must start at least this many bytes before the end of the block. */
const MF_LIMIT = 12;
/** The last bytes of a block are always literals. */
const LAST_LITERALS = 5;
const MAX_OFFSET = 65535;
const HASH_LOG = 16;
/** Below this many bytes, copies are done byte by byte instead of with native copies. */
const SHORT_COPY = 32;

/** Options for {@link decodeLz4Block}. */
export interface DecodeLz4Options {
  /** Name of the block being decoded (e.g. a block coordinate), used in error messages. */
  block?: string;
  /**
   * Also reject streams that break the end-of-block rules `LZ4_decompress_safe` enforces (last
   * match starting fewer than 12 bytes before the end, or ending fewer than 5 bytes before it).
   * Streams from any conforming compressor pass.
   * @default false
   */
  strict?: boolean;
}

/**
 * Largest size an LZ4 block can have for `n` input bytes (`LZ4_compressBound`).
 *
 * @example
 * ```ts
 * boundLz4Block(1000); // 1019
 * ```
 */
export function boundLz4Block(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

/**
 * Decodes one LZ4 block (no size prefix, no frame) into exactly `size` bytes, or into the
 * given destination, which must be filled exactly. Never writes past the destination.
 *
 * @param src - the compressed block.
 * @param destination - the uncompressed size in bytes, or a Uint8Array to decode into (its
 *   length is the expected uncompressed size).
 * @returns the decoded bytes (the destination itself when one was given).
 * @throws {@link DecodeError} (codec `lz4`) naming the byte offset in `src` for truncated input,
 *   offsets of 0 or before the start of the output, literals or matches running past the
 *   destination, or an output shorter than expected.
 *
 * @example
 * ```ts
 * // GET /api/node/{uuid}/segmentation/raw/0_1_2/64_64_64/0_0_0?compression=lz4
 * const voxels = new BigUint64Array(decodeLz4Block(body, 64 * 64 * 64 * 8).buffer);
 * ```
 */
export function decodeLz4Block(
  src: Uint8Array,
  destination: number | Uint8Array,
  options: DecodeLz4Options = {},
): Uint8Array {
  let dst: Uint8Array;
  if (typeof destination === 'number') {
    if (!Number.isSafeInteger(destination) || destination < 0) {
      throw new DecodeError(CODEC, `uncompressed size must be a non-negative integer, got ${destination}`, {
        block: options.block,
      });
    }
    dst = new Uint8Array(destination);
  } else {
    dst = destination;
  }
  const strict = options.strict === true;
  const fail = (message: string, offset: number): never => {
    throw new DecodeError(CODEC, message, { block: options.block, offset });
  };
  const iend = src.length;
  const oend = dst.length;
  if (iend === 0) fail('empty input (an LZ4 block holds at least one token byte)', 0);
  let ip = 0;
  let op = 0;
  for (;;) {
    const tokenPos = ip;
    const token = src[ip++];
    // Literal run.
    let litLen = token >>> 4;
    if (litLen === 15) {
      let b: number;
      do {
        if (ip >= iend) fail('input ends inside a literal length', ip);
        b = src[ip++];
        litLen += b;
      } while (b === 255);
    }
    if (litLen > iend - ip) {
      fail(`literal run of ${litLen} bytes runs past the end of the input (${iend - ip} left)`, ip);
    }
    if (litLen > oend - op) {
      fail(`literal run of ${litLen} bytes would write past the ${oend}-byte output (at output byte ${op})`, ip);
    }
    if (litLen < SHORT_COPY) {
      for (let end = ip + litLen; ip < end; ) dst[op++] = src[ip++];
    } else {
      dst.set(src.subarray(ip, ip + litLen), op);
      ip += litLen;
      op += litLen;
    }
    if (ip === iend) break; // the last sequence has no match
    // Match.
    if (iend - ip < 2) fail('input ends inside a match offset', ip);
    const offset = src[ip] | (src[ip + 1] << 8);
    if (offset === 0) fail('match offset 0', ip);
    if (offset > op) fail(`match offset ${offset} points before the start of the output (at output byte ${op})`, ip);
    ip += 2;
    let matchLen = token & 15;
    if (matchLen === 15) {
      let b: number;
      do {
        if (ip >= iend) fail('input ends inside a match length', ip);
        b = src[ip++];
        matchLen += b;
      } while (b === 255);
    }
    matchLen += MIN_MATCH;
    if (matchLen > oend - op) {
      fail(`match of ${matchLen} bytes would write past the ${oend}-byte output (at output byte ${op})`, tokenPos);
    }
    if (strict) {
      if (op > oend - MF_LIMIT) fail(`match starts ${oend - op} bytes before the end of the block (LZ4 requires at least ${MF_LIMIT})`, tokenPos);
      if (op + matchLen > oend - LAST_LITERALS) fail(`match ends fewer than ${LAST_LITERALS} bytes before the end of the block`, tokenPos);
    }
    let m = op - offset;
    if (matchLen < SHORT_COPY) {
      for (let end = op + matchLen; op < end; ) dst[op++] = dst[m++];
    } else if (offset >= matchLen) {
      dst.copyWithin(op, m, m + matchLen);
      op += matchLen;
    } else {
      // Overlapping match: [m, op) repeats with period `offset`; copy ever larger prefixes of it.
      const end = op + matchLen;
      while (op < end) {
        const chunk = Math.min(op - m, end - op);
        dst.copyWithin(op, m, m + chunk);
        op += chunk;
      }
    }
  }
  if (op !== oend) fail(`output is ${op} bytes, expected ${oend}`, iend);
  return dst;
}

/** Reusable hash table for the compressor (single-threaded per realm, so sharing is safe). */
let hashTable: Int32Array | undefined;

/**
 * Compresses bytes into one LZ4 block (no size prefix, no frame) that `LZ4_decompress_safe`,
 * and so DVID, accepts. Greedy single-hash matching, like `LZ4_compress_fast` at acceleration 1:
 * not the best ratio, but fast and simple.
 *
 * @example
 * ```ts
 * // POST /api/node/{uuid}/segmentation/raw/0_1_2/64_64_64/0_0_0?compression=lz4
 * const body = encodeLz4Block(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
 * ```
 */
export function encodeLz4Block(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(boundLz4Block(n));
  let op = 0;
  let anchor = 0;
  if (n >= MF_LIMIT + 1) {
    const table = (hashTable ??= new Int32Array(1 << HASH_LOG));
    table.fill(-1);
    const mfLimit = n - MF_LIMIT; // a match may start at or before this position
    const matchLimit = n - LAST_LITERALS; // and must end at or before this one
    let ip = 0;
    let misses = 0;
    while (ip <= mfLimit) {
      const seq = src[ip] | (src[ip + 1] << 8) | (src[ip + 2] << 16) | (src[ip + 3] << 24);
      const h = Math.imul(seq, 0x9e3779b1) >>> (32 - HASH_LOG);
      let ref = table[h];
      table[h] = ip;
      if (
        ref < 0 ||
        ip - ref > MAX_OFFSET ||
        (src[ref] | (src[ref + 1] << 8) | (src[ref + 2] << 16) | (src[ref + 3] << 24)) !== seq
      ) {
        // Skip faster through data that does not compress (as LZ4's acceleration does).
        ip += 1 + (misses++ >>> 6);
        continue;
      }
      misses = 0;
      let start = ip;
      // Extend backwards over equal bytes not yet emitted.
      while (start > anchor && ref > 0 && src[start - 1] === src[ref - 1]) {
        start--;
        ref--;
      }
      let end = ip + MIN_MATCH;
      let r = ref + (end - start);
      while (end < matchLimit && src[end] === src[r]) {
        end++;
        r++;
      }
      op = writeSequence(out, op, src, anchor, start, start - ref, end - start);
      anchor = end;
      ip = end;
      // Remember a position inside the match so nearby repeats are found.
      if (end - 2 <= mfLimit) {
        const p = end - 2;
        const s = src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24);
        table[Math.imul(s, 0x9e3779b1) >>> (32 - HASH_LOG)] = p;
      }
    }
  }
  op = writeLastLiterals(out, op, src, anchor, n);
  return out.slice(0, op);
}

function writeLength(out: Uint8Array, op: number, rest: number): number {
  while (rest >= 255) {
    out[op++] = 255;
    rest -= 255;
  }
  out[op++] = rest;
  return op;
}

function copyLiterals(out: Uint8Array, op: number, src: Uint8Array, from: number, to: number): number {
  if (to - from < SHORT_COPY) {
    while (from < to) out[op++] = src[from++];
    return op;
  }
  out.set(src.subarray(from, to), op);
  return op + (to - from);
}

function writeSequence(
  out: Uint8Array,
  op: number,
  src: Uint8Array,
  litStart: number,
  litEnd: number,
  offset: number,
  matchLen: number,
): number {
  const litLen = litEnd - litStart;
  const ml = matchLen - MIN_MATCH;
  const tokenPos = op++;
  out[tokenPos] = ((litLen >= 15 ? 15 : litLen) << 4) | (ml >= 15 ? 15 : ml);
  if (litLen >= 15) op = writeLength(out, op, litLen - 15);
  op = copyLiterals(out, op, src, litStart, litEnd);
  out[op++] = offset & 0xff;
  out[op++] = offset >>> 8;
  if (ml >= 15) op = writeLength(out, op, ml - 15);
  return op;
}

function writeLastLiterals(out: Uint8Array, op: number, src: Uint8Array, from: number, to: number): number {
  const litLen = to - from;
  out[op++] = (litLen >= 15 ? 15 : litLen) << 4;
  if (litLen >= 15) op = writeLength(out, op, litLen - 15);
  return copyLiterals(out, op, src, from, to);
}
