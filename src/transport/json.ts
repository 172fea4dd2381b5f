/**
 * JSON with 64-bit integers. DVID writes label IDs, mutation IDs and max labels as bare JSON
 * integers that can exceed 2^53, which `JSON.parse` silently rounds. These helpers parse with
 * `lossless-json` and turn integers into `bigint` (all of them, or only the unsafe ones).
 *
 * @example
 * ```ts
 * parseJsonWithBigInts('{"label": 18446744073709551615}', 'all') // { label: 18446744073709551615n }
 * stringifyJsonWithBigInts({ labels: [1n, 2n ** 60n] })            // '{"labels":[1,1152921504606846976]}'
 * ```
 * @module
 */
import { isInteger, parse, stringify } from 'lossless-json';

/** Which integers become bigint: every integer, or only those beyond ±(2^53 − 1). */
export type BigIntMode = 'all' | 'unsafe';

/** Parses JSON, keeping integers exact as `bigint` per `mode`; other numbers stay `number`. */
export function parseJsonWithBigInts(text: string, mode: BigIntMode = 'unsafe'): unknown {
  return parse(text, null, (value: string) => {
    if (isInteger(value)) {
      const big = BigInt(value);
      if (mode === 'all') return big;
      return big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER) ? big : Number(value);
    }
    return Number(value);
  });
}

/** Stringifies JSON, writing `bigint` values as bare integers. */
export function stringifyJsonWithBigInts(value: unknown): string {
  return stringify(value, (_key, v) => v, undefined, [
    { test: (v: unknown) => typeof v === 'bigint', stringify: (v: unknown) => (v as bigint).toString() },
  ]) as string;
}
