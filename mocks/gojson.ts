/**
 * JSON the way DVID's Go code reads and writes it: a parser whose syntax errors carry Go's
 * `encoding/json` messages, conversions that fail with Go's type errors, and a writer that
 * escapes like `json.Marshal` and keeps Go's field order and sorted map keys.
 *
 * @example
 * ```ts
 * const parsed = parseGoJson('{"a": tru}', 'decoder');
 * parsed.ok // false; parsed.error === "invalid character '}' in literal true (expecting 'e')"
 * goJson({ b: 1, a: sortedKeys({ y: 2, x: 1 }) }) // '{"b":1,"a":{"x":1,"y":2}}'
 * ```
 * @module
 */
import { goJsonFloat, goQuoteChar } from './goformat.js';

/**
 * A parsed JSON value that keeps each number's text, as Go's decoder sees it.
 *
 * @example
 * ```ts
 * const node: GoJsonNode = { kind: 'number', text: '1.5' };
 * ```
 */
export type GoJsonNode =
  | { kind: 'object'; entries: [string, GoJsonNode][] }
  | { kind: 'array'; items: GoJsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

/**
 * Result of {@link parseGoJson}: a value, nothing (empty input to a decoder), or Go's error text.
 *
 * @example
 * ```ts
 * const result: GoJsonParse = parseGoJson('{}', 'unmarshal'); // { ok: true, node: { kind: 'object', entries: [] } }
 * ```
 */
export type GoJsonParse = { ok: true; node: GoJsonNode | undefined } | { ok: false; error: string };

class SyntaxFailure extends Error {}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

class Scanner {
  private pos = 0;
  constructor(private readonly text: string, private readonly eofMessage: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text[this.pos])) this.pos++;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private peek(): string {
    if (this.pos >= this.text.length) throw new SyntaxFailure(this.eofMessage);
    return this.text[this.pos];
  }

  private fail(char: string, context: string): never {
    throw new SyntaxFailure(`invalid character ${goQuoteChar(char)} ${context}`);
  }

  value(): GoJsonNode {
    this.skipSpace();
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { kind: 'string', value: this.string() };
    if (c === '-' || (c >= '0' && c <= '9')) return { kind: 'number', text: this.number() };
    if (c === 't') return this.literal('true', { kind: 'bool', value: true });
    if (c === 'f') return this.literal('false', { kind: 'bool', value: false });
    if (c === 'n') return this.literal('null', { kind: 'null' });
    this.fail(c, 'looking for beginning of value');
  }

  private object(): GoJsonNode {
    this.pos++;
    const entries: [string, GoJsonNode][] = [];
    this.skipSpace();
    if (this.peek() === '}') {
      this.pos++;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c !== '"') this.fail(c, 'looking for beginning of object key string');
      const key = this.string();
      this.skipSpace();
      const colon = this.peek();
      if (colon !== ':') this.fail(colon, 'after object key');
      this.pos++;
      entries.push([key, this.value()]);
      this.skipSpace();
      const next = this.peek();
      this.pos++;
      if (next === '}') return { kind: 'object', entries };
      if (next !== ',') this.fail(next, 'after object key:value pair');
    }
  }

  private array(): GoJsonNode {
    this.pos++;
    const items: GoJsonNode[] = [];
    this.skipSpace();
    if (this.peek() === ']') {
      this.pos++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const next = this.peek();
      this.pos++;
      if (next === ']') return { kind: 'array', items };
      if (next !== ',') this.fail(next, 'after array element');
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.peek();
      this.pos++;
      if (c === '"') return JSON.parse(this.text.slice(start, this.pos)) as string;
      if (c === '\\') this.escape();
      else if (c < ' ') this.fail(c, 'in string literal');
    }
  }

  private escape(): void {
    const c = this.peek();
    this.pos++;
    if (c === 'u') {
      for (let i = 0; i < 4; i++) {
        const h = this.peek();
        if (!/[0-9a-fA-F]/.test(h)) this.fail(h, 'in \\u hexadecimal character escape');
        this.pos++;
      }
    } else if (!'"\\/bfnrt'.includes(c)) this.fail(c, 'in string escape code');
  }

  private digits(): void {
    while (!this.atEnd() && this.text[this.pos] >= '0' && this.text[this.pos] <= '9') this.pos++;
  }

  private expectDigit(context: string): void {
    const c = this.peek();
    if (c < '0' || c > '9') this.fail(c, context);
  }

  private number(): string {
    const start = this.pos;
    if (this.text[this.pos] === '-') {
      this.pos++;
      this.expectDigit('in numeric literal');
    }
    if (this.text[this.pos] === '0') this.pos++;
    else this.digits();
    if (!this.atEnd() && this.text[this.pos] === '.') {
      this.pos++;
      this.expectDigit('after decimal point in numeric literal');
      this.digits();
    }
    if (!this.atEnd() && (this.text[this.pos] === 'e' || this.text[this.pos] === 'E')) {
      this.pos++;
      if (!this.atEnd() && (this.text[this.pos] === '+' || this.text[this.pos] === '-')) this.pos++;
      this.expectDigit('in exponent of numeric literal');
      this.digits();
    }
    return this.text.slice(start, this.pos);
  }

  private literal(word: string, node: GoJsonNode): GoJsonNode {
    for (let i = 0; i < word.length; i++) {
      const c = this.peek();
      if (c !== word[i]) this.fail(c, `in literal ${word} (expecting ${goQuoteChar(word[i])})`);
      this.pos++;
    }
    return node;
  }

  rest(): string | undefined {
    this.skipSpace();
    return this.atEnd() ? undefined : this.text[this.pos];
  }
}

/**
 * Parses JSON like Go. `'decoder'` mimics `json.NewDecoder(body).Decode`: empty input yields
 * no value, text after the first value is ignored, truncation is `unexpected EOF`.
 * `'unmarshal'` mimics `json.Unmarshal`: empty or truncated input is
 * `unexpected end of JSON input` and trailing text is an error.
 *
 * @example
 * ```ts
 * parseGoJson('', 'decoder') // { ok: true, node: undefined }
 * parseGoJson('', 'unmarshal') // { ok: false, error: 'unexpected end of JSON input' }
 * ```
 */
export function parseGoJson(text: string, mode: 'decoder' | 'unmarshal'): GoJsonParse {
  const scanner = new Scanner(text, mode === 'decoder' ? 'unexpected EOF' : 'unexpected end of JSON input');
  try {
    scanner.skipSpace();
    if (scanner.atEnd()) {
      return mode === 'decoder' ? { ok: true, node: undefined } : { ok: false, error: 'unexpected end of JSON input' };
    }
    const node = scanner.value();
    if (mode === 'unmarshal') {
      const extra = scanner.rest();
      if (extra !== undefined) return { ok: false, error: `invalid character ${goQuoteChar(extra)} after top-level value` };
    }
    return { ok: true, node };
  } catch (err) {
    if (err instanceof SyntaxFailure) return { ok: false, error: err.message };
    throw err;
  }
}

/**
 * The JSON kind name Go uses in "cannot unmarshal X into ..." messages.
 *
 * @example
 * ```ts
 * goKindName({ kind: 'array', items: [] }) // 'array'
 * ```
 */
export function goKindName(node: GoJsonNode): string {
  return node.kind === 'null' ? 'null' : node.kind;
}

/**
 * Converts a parsed value to what Go's `interface{}` decoding yields, as plain JS values:
 * objects (later duplicate keys win), arrays, float64 numbers, strings, booleans and null.
 * Throws Go's error for numbers a float64 cannot hold.
 *
 * @example
 * ```ts
 * toGoInterface({ kind: 'number', text: '1e2' }) // 100
 * ```
 */
export function toGoInterface(node: GoJsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of node.entries) out[key] = toGoInterface(value);
      return out;
    }
    case 'array':
      return node.items.map(toGoInterface);
    case 'number': {
      const value = Number(node.text);
      if (!Number.isFinite(value)) throw new Error(`json: cannot unmarshal number ${node.text} into Go value of type float64`);
      return value;
    }
    case 'string':
    case 'bool':
      return node.value;
    case 'null':
      return null;
  }
}

/**
 * A value written verbatim by {@link goJson}, e.g. a float32 in Go's shortest form.
 *
 * @example
 * ```ts
 * goJson([new RawJson('1e+21')]) // '[1e+21]'
 * ```
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * An object whose keys {@link goJson} sorts, as Go does for maps.
 *
 * @example
 * ```ts
 * goJson(new SortedKeys({ b: 1, a: 2 })) // '{"a":2,"b":1}'
 * ```
 */
export class SortedKeys {
  constructor(readonly entries: Record<string, unknown>) {}
}

/**
 * Marks an object as a Go map so {@link goJson} writes its keys in sorted order.
 *
 * @example
 * ```ts
 * goJson(sortedKeys({ b: 1, a: 2 })) // '{"a":2,"b":1}'
 * ```
 */
export function sortedKeys(entries: Record<string, unknown>): SortedKeys {
  return new SortedKeys(entries);
}

/**
 * A float32 for {@link goJson}, written with Go's shortest float32 digits.
 *
 * @example
 * ```ts
 * goJson([float32(4.5), float32(0.1)]) // '[4.5,0.1]'
 * ```
 */
export function float32(value: number): RawJson {
  return new RawJson(goJsonFloat(Math.fround(value), 32));
}

function goJsonString(text: string): string {
  return JSON.stringify(text)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Serializes like Go's `json.Marshal`: no spaces, `<`, `>`, `&` escaped, numbers in Go's float64
 * form, plain objects in insertion order (Go struct field order), {@link SortedKeys} sorted,
 * {@link RawJson} verbatim, `undefined` as `null`.
 *
 * @example
 * ```ts
 * goJson({ Note: '<b>' }) // '{"Note":"\\u003cb\\u003e"}'
 * ```
 */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'number') return goJsonFloat(value, 64);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return goJsonString(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const entries =
    value instanceof SortedKeys
      ? Object.entries(value.entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      : Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${goJsonString(k)}:${goJson(v)}`).join(',')}}`;
}
