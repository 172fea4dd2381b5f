/**
 * DVID's request configuration (`dvid.Config`): a JSON object decoded from the request body
 * with lower-cased keys, read back with typed getters whose failures carry DVID's messages
 * (values must be JSON strings, e.g. `"BlockSize": "64,64,64"`).
 *
 * @example
 * ```ts
 * const config = DvidConfig.fromBody('{"BlockSize":"64,64,64","Background":7}');
 * config.getString('blocksize') // { found: true, value: '64,64,64' }
 * config.getString('Background').error // "Setting for 'Background' was not a string: 7"
 * ```
 * @module
 */
import { goAtoi, goValue, GoParseError } from './goformat.js';
import { goKindName, parseGoJson, toGoInterface } from './gojson.js';

/**
 * A getter's outcome, shaped like Go's `(value, found, err)`.
 *
 * @example
 * ```ts
 * const { found, value, error } = config.getString('BlockSize');
 * ```
 */
export interface ConfigValue<T> {
  found: boolean;
  value?: T;
  error?: string;
}

/**
 * Case-insensitive key/value configuration read from a JSON body.
 *
 * @example
 * ```ts
 * new DvidConfig({ typename: 'uint8blk' }).getString('TypeName').value // 'uint8blk'
 * ```
 */
export class DvidConfig {
  private readonly values = new Map<string, unknown>();

  constructor(values: Record<string, unknown> = {}) {
    for (const [key, value] of Object.entries(values)) this.values.set(key.toLowerCase(), value);
  }

  /**
   * Decodes a request body like `Config.SetByJSON`. Throws an Error whose message is DVID's
   * ("Malformed JSON request in body: ...") when the body is not a JSON object.
   */
  static fromBody(body: string): DvidConfig {
    const parsed = parseGoJson(body, 'decoder');
    if (!parsed.ok) throw new Error(`Malformed JSON request in body: ${parsed.error}`);
    const node = parsed.node;
    if (node === undefined || node.kind === 'null') return new DvidConfig();
    if (node.kind !== 'object') {
      throw new Error(
        `Malformed JSON request in body: json: cannot unmarshal ${goKindName(node)} into Go value of type map[string]interface {}`,
      );
    }
    let values: Record<string, unknown>;
    try {
      values = toGoInterface(node) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`Malformed JSON request in body: ${(err as Error).message}`);
    }
    return new DvidConfig(values);
  }

  /** The raw decoded value of `key`, if present. */
  get(key: string): { found: boolean; value: unknown } {
    const lower = key.toLowerCase();
    return { found: this.values.has(lower), value: this.values.get(lower) };
  }

  /** `Config.GetString`: the value must be a JSON string. */
  getString(key: string): ConfigValue<string> {
    const { found, value } = this.get(key);
    if (!found) return { found: false };
    if (typeof value !== 'string') return { found: true, error: `Setting for '${key}' was not a string: ${goValue(value)}` };
    return { found: true, value };
  }

  /** `Config.GetInt`: a string holding a decimal integer. */
  getInt(key: string): ConfigValue<number> {
    const text = this.getString(key);
    if (!text.found || text.error !== undefined) return { found: text.found, error: text.error };
    try {
      return { found: true, value: goAtoi(text.value!) };
    } catch (err) {
      if (err instanceof GoParseError) return { found: true, error: err.message };
      throw err;
    }
  }

  /**
   * Formats the configuration like Go's `%v` of a `dvid.Config`, as DVID writes it into the
   * repo log: `{map[dataname:gray typename:uint8blk]}`.
   */
  toGoString(): string {
    return `{${goValue(Object.fromEntries(this.values))}}`;
  }
}
