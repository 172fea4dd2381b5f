/**
 * Text formatting that reproduces what DVID's Go code prints: `strconv` parse errors, `%q`
 * quoting, `%v` of decoded JSON values, float and time formats. The mock's error messages are
 * built from these so they match the real server byte for byte.
 *
 * @example
 * ```ts
 * goValue(1234567) // '1.234567e+06' (what Go's %v prints for a float64)
 * goQuote('a"b') // '"a\\"b"'
 * ```
 * @module
 */

/**
 * Quotes a string the way Go's `strconv.Quote` (and `%q`) does.
 *
 * @example
 * ```ts
 * goQuote('tab\there') // '"tab\\there"'
 * ```
 */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0)) out += char;
    else out += escapeControl(code);
  }
  return `${out}"`;
}

const NAMED_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

function escapeControl(code: number): string {
  if (NAMED_ESCAPES[code]) return NAMED_ESCAPES[code];
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Quotes one byte the way Go's JSON scanner names an unexpected character, e.g. `'x'`, `'\''`.
 * Non-ASCII characters are named by their first UTF-8 byte, as Go does.
 *
 * @example
 * ```ts
 * goQuoteChar('o') // "'o'"
 * ```
 */
export function goQuoteChar(char: string): string {
  if (char === "'") return "'\\''";
  if (char === '"') return `'"'`;
  const byte = new TextEncoder().encode(char)[0] ?? 0;
  const quoted = goQuote(String.fromCharCode(byte));
  return `'${quoted.slice(1, -1)}'`;
}

/** Digits and decimal-point position of the shortest representation: value = 0.digits × 10^point. */
interface ShortestDecimal {
  digits: string;
  point: number;
}

function shortestDecimal(value: number, bits: 32 | 64): ShortestDecimal {
  const abs = Math.abs(value);
  let text = abs.toExponential();
  if (bits === 32) {
    for (let precision = 1; precision <= 9; precision++) {
      const candidate = abs.toExponential(precision - 1);
      if (Math.fround(Number(candidate)) === abs) {
        text = candidate;
        break;
      }
    }
  }
  const [mantissa, exponent] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, point: Number(exponent) + 1 };
}

function formatFixed({ digits, point }: ShortestDecimal): string {
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

function formatExponent({ digits, point }: ShortestDecimal, minExponentDigits: number): string {
  const exponent = point - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(minExponentDigits, '0')}`;
}

function formatSpecial(value: number): string | undefined {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  return undefined;
}

/**
 * Formats a float64 like Go's `%v` / `strconv.FormatFloat(x, 'g', -1, 64)`.
 *
 * @example
 * ```ts
 * goFloat(64) // '64'
 * goFloat(1e-5) // '1e-05'
 * ```
 */
export function goFloat(value: number): string {
  const special = formatSpecial(value);
  if (special !== undefined) return special;
  const decimal = shortestDecimal(value, 64);
  const exponent = decimal.point - 1;
  const text = exponent < -4 || exponent >= 6 ? formatExponent(decimal, 2) : formatFixed(decimal);
  return value < 0 ? `-${text}` : text;
}

/**
 * Formats a number the way Go's `encoding/json` writes a float of the given size (shortest
 * round-trip digits, exponent form only below 1e-6 or from 1e21).
 *
 * @example
 * ```ts
 * goJsonFloat(Math.fround(0.1), 32) // '0.1'
 * goJsonFloat(8, 32) // '8'
 * ```
 */
export function goJsonFloat(value: number, bits: 32 | 64 = 64): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const decimal = shortestDecimal(value, bits);
  const abs = Math.abs(value);
  const text = abs < 1e-6 || abs >= 1e21 ? formatExponent(decimal, 1) : formatFixed(decimal);
  return value < 0 ? `-${text}` : text;
}

/**
 * Formats a decoded JSON value the way Go's `%v` prints the `interface{}` it decoded to:
 * numbers as float64, arrays as `[a b]`, objects as `map[k:v]` with sorted keys, null as `<nil>`.
 *
 * @example
 * ```ts
 * goValue([64, 64, 64]) // '[64 64 64]'
 * goValue({ b: 1, a: 'x' }) // 'map[a:x b:1]'
 * ```
 */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return goFloat(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareBytes(a, b));
    return `map[${entries.map(([k, v]) => `${k}:${goValue(v)}`).join(' ')}]`;
  }
  return String(value);
}

/**
 * Orders strings by their UTF-8 bytes, as Go sorts map keys.
 *
 * @example
 * ```ts
 * ['b', 'a'].sort(compareBytes) // ['a', 'b']
 * ```
 */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i] - eb[i];
  return ea.length - eb.length;
}

/**
 * A `strconv` failure, with Go's message.
 *
 * @example
 * ```ts
 * new GoParseError('Atoi', 'x', 'invalid syntax').message // 'strconv.Atoi: parsing "x": invalid syntax'
 * ```
 */
export class GoParseError extends Error {
  constructor(fn: string, input: string, reason: 'invalid syntax' | 'value out of range') {
    super(`strconv.${fn}: parsing ${goQuote(input)}: ${reason}`);
    this.name = 'GoParseError';
  }
}

const DECIMAL_INTEGER = /^[+-]?\d+$/;

function parseDecimalInteger(fn: string, text: string, min: bigint, max: bigint, signed: boolean): bigint {
  if (!DECIMAL_INTEGER.test(text) || (!signed && /^[+-]/.test(text))) throw new GoParseError(fn, text, 'invalid syntax');
  const value = BigInt(text);
  if (value < min || value > max) throw new GoParseError(fn, text, 'value out of range');
  return value;
}

/**
 * Go's `strconv.ParseInt(text, 10, bits)`: decimal, optional sign, range-checked.
 *
 * @example
 * ```ts
 * goParseInt('-12', 32) // -12
 * goParseInt('a', 32) // throws 'strconv.ParseInt: parsing "a": invalid syntax'
 * ```
 */
export function goParseInt(text: string, bits: number): number {
  const limit = 1n << BigInt(bits - 1);
  return Number(parseDecimalInteger('ParseInt', text, -limit, limit - 1n, true));
}

/**
 * Go's `strconv.ParseUint(text, 10, bits)`: decimal digits only, range-checked.
 *
 * @example
 * ```ts
 * goParseUint('255', 8) // 255
 * ```
 */
export function goParseUint(text: string, bits: number): number {
  return Number(parseDecimalInteger('ParseUint', text, 0n, (1n << BigInt(bits)) - 1n, false));
}

/**
 * Go's `strconv.Atoi` on a 64-bit platform.
 *
 * @example
 * ```ts
 * goAtoi('3') // 3
 * ```
 */
export function goAtoi(text: string): number {
  return Number(parseDecimalInteger('Atoi', text, -(1n << 63n), (1n << 63n) - 1n, true));
}

const FLOAT_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FLOAT_SPECIAL = /^[+-]?(inf|infinity|nan)$/i;

/**
 * Go's `strconv.ParseFloat(text, bits)` for decimal input (hex floats are not accepted):
 * returns the value rounded to the given size, with Go's errors.
 *
 * @example
 * ```ts
 * goParseFloat('4.5', 32) // 4.5
 * ```
 */
export function goParseFloat(text: string, bits: 32 | 64): number {
  if (FLOAT_SPECIAL.test(text)) {
    const lower = text.toLowerCase().replace(/^\+/, '');
    if (lower.endsWith('nan')) return NaN;
    return lower.startsWith('-') ? -Infinity : Infinity;
  }
  if (!FLOAT_SYNTAX.test(text)) throw new GoParseError('ParseFloat', text, 'invalid syntax');
  const value = bits === 32 ? Math.fround(Number(text)) : Number(text);
  if (!Number.isFinite(value)) throw new GoParseError('ParseFloat', text, 'value out of range');
  return value;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * Formats a time as Go's `time.RFC3339` in UTC, e.g. `2026-11-24T01:12:20Z`.
 *
 * @example
 * ```ts
 * goRfc3339(new Date(0)) // '1970-01-01T00:00:00Z'
 * ```
 */
export function goRfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Formats a time as Go marshals `time.Time` to JSON (RFC3339 with trailing zeros of the
 * fraction removed), in UTC.
 *
 * @example
 * ```ts
 * goRfc3339Nano(new Date(1500)) // '1970-01-01T00:00:01.5Z'
 * ```
 */
export function goRfc3339Nano(date: Date): string {
  const fraction = pad(date.getUTCMilliseconds(), 3).replace(/0+$/, '');
  return `${date.toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/**
 * Formats a duration in milliseconds like Go's `time.Duration.String`, e.g. `1m2.5s`.
 *
 * @example
 * ```ts
 * goDuration(62_500) // '1m2.5s'
 * ```
 */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${trimFraction(ms.toFixed(3))}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = trimFraction(((ms % 60_000) / 1000).toFixed(3));
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

function trimFraction(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/**
 * Formats a time like Go's `time.Time.String` in UTC, with the monotonic reading `m=+…`
 * Go appends for times taken from `time.Now()`.
 *
 * @example
 * ```ts
 * goTimeString(new Date(0), 1.5) // '1970-01-01 00:00:00 +0000 UTC m=+1.500000000'
 * ```
 */
export function goTimeString(date: Date, monotonicSeconds: number): string {
  const iso = date.toISOString();
  const fraction = pad(date.getUTCMilliseconds(), 3).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''} +0000 UTC m=+${monotonicSeconds.toFixed(9)}`;
}
