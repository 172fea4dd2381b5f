/**
 * Byte-buffer helpers shared by the streaming codecs (gzip, block streams).
 *
 * @example
 * ```ts
 * concatBytes([new Uint8Array([1]), new Uint8Array([2, 3])], 3); // Uint8Array [1, 2, 3]
 * ```
 * @module
 */

/**
 * Joins `parts` (whose lengths sum to `total`) into one array; a single part is returned as is,
 * not copied.
 *
 * @example
 * ```ts
 * const whole = concatBytes(chunks, chunks.reduce((n, c) => n + c.length, 0));
 * ```
 */
export function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}
