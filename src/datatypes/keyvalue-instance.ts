/**
 * The keyvalue accessor class: {@link KeyvalueInstance}, one instance at one version, with a
 * method per call of `./keyvalue.ts` (where the DVID behaviour is documented).
 *
 * @example
 * ```ts
 * const kv = client.keyvalue(uuid, 'config');
 * await kv.putJson('settings', { threshold: 0.5 });
 * ```
 * @module
 */
import {
  getInstanceInfo,
  getInstanceTags,
  setInstanceTags,
  InstanceAccessor,
  type InstanceCallOptions,
  type InstanceContext,
  type InstanceInfo,
  type SetTagsOptions,
} from './instance-common.js';
import {
  deleteKey,
  getKeyBytes,
  getKeyJson,
  getKeyRangeValues,
  getKeyText,
  getKeyValues,
  hasKey,
  listKeyRange,
  listKeys,
  putKey,
  putKeyJson,
  putKeyValues,
  type GetKeyJsonOptions,
  type GetKeyOptions,
  type GetManyOptions,
  type KeyValueInput,
  type ValueFormat,
  type ValueOf,
  type ValueReadOptions,
} from './keyvalue.js';

/**
 * One keyvalue instance at one version. Make it with `client.keyvalue(uuid, name)` (no request
 * is made) or `client.createKeyvalue(uuid, name)`.
 *
 * @example
 * ```ts
 * const kv = client.keyvalue(uuid, 'config');
 * await kv.put('a', 'hello');
 * await kv.getText('a');  // 'hello'
 * await kv.has('b');      // false
 * ```
 */
export class KeyvalueInstance extends InstanceAccessor {
  /**
   * The same instance at another version.
   *
   * @example
   * ```ts
   * const old = kv.at(parentUuid);
   * ```
   */
  at(uuid: string): KeyvalueInstance {
    return new KeyvalueInstance({ ...this.ctx, uuid });
  }

  /**
   * `GET /info`.
   *
   * @example
   * ```ts
   * (await kv.info()).Base.Versioned; // true
   * ```
   */
  info(options?: InstanceCallOptions): Promise<InstanceInfo<Record<string, never>>> {
    return getInstanceInfo(this.ctx, options);
  }

  /**
   * Bytes of a value, or `undefined`. See {@link getKeyBytes}.
   *
   * @example
   * ```ts
   * await kv.get('blob');
   * ```
   */
  get(key: string, options?: GetKeyOptions): Promise<Uint8Array | undefined> {
    return getKeyBytes(this.ctx, key, options);
  }

  /**
   * A value as text, or `undefined`.
   *
   * @example
   * ```ts
   * await kv.getText('notes.txt');
   * ```
   */
  getText(key: string, options?: InstanceCallOptions): Promise<string | undefined> {
    return getKeyText(this.ctx, key, options);
  }

  /**
   * A value parsed as JSON, or `undefined`.
   *
   * @example
   * ```ts
   * await kv.getJson<{ a: number }>('settings');
   * ```
   */
  getJson<T = unknown>(key: string, options?: GetKeyJsonOptions): Promise<T | undefined> {
    return getKeyJson<T>(this.ctx, key, options);
  }

  /**
   * Stores bytes or text.
   *
   * @example
   * ```ts
   * await kv.put('a', 'hello');
   * ```
   */
  put(key: string, value: KeyValueInput, options?: InstanceCallOptions): Promise<void> {
    return putKey(this.ctx, key, value, options);
  }

  /**
   * Stores a JSON value.
   *
   * @example
   * ```ts
   * await kv.putJson('settings', { threshold: 0.5 });
   * ```
   */
  putJson(key: string, value: unknown, options?: InstanceCallOptions): Promise<void> {
    return putKeyJson(this.ctx, key, value, options);
  }

  /**
   * Deletes a key.
   *
   * @example
   * ```ts
   * await kv.delete('a');
   * ```
   */
  delete(key: string, options?: InstanceCallOptions): Promise<void> {
    return deleteKey(this.ctx, key, options);
  }

  /**
   * True when the key exists (HEAD).
   *
   * @example
   * ```ts
   * await kv.has('a');
   * ```
   */
  has(key: string, options?: InstanceCallOptions): Promise<boolean> {
    return hasKey(this.ctx, key, options);
  }

  /**
   * All keys in byte order.
   *
   * @example
   * ```ts
   * await kv.keys();
   * ```
   */
  keys(options?: InstanceCallOptions): Promise<string[]> {
    return listKeys(this.ctx, options);
  }

  /**
   * Keys in `[first, last]` (inclusive).
   *
   * @example
   * ```ts
   * await kv.keyRange('a', 'c');
   * ```
   */
  keyRange(first: string, last: string, options?: InstanceCallOptions): Promise<string[]> {
    return listKeyRange(this.ctx, first, last, options);
  }

  /**
   * Keys and values in `[first, last]`.
   *
   * @example
   * ```ts
   * await kv.rangeValues('a', 'c', { as: 'text' });
   * ```
   */
  rangeValues<F extends ValueFormat = 'bytes'>(first: string, last: string, options?: ValueReadOptions<F>): Promise<Map<string, ValueOf<F>>> {
    return getKeyRangeValues(this.ctx, first, last, options);
  }

  /**
   * Many values at once.
   *
   * @example
   * ```ts
   * await kv.getMany(['a', 'b']);
   * ```
   */
  getMany<F extends ValueFormat = 'bytes'>(keys: readonly string[], options?: GetManyOptions<F>): Promise<Map<string, ValueOf<F>>> {
    return getKeyValues(this.ctx, keys, options);
  }

  /**
   * Stores many values in one request.
   *
   * @example
   * ```ts
   * await kv.putMany({ a: '1', b: '2' });
   * ```
   */
  putMany(entries: Record<string, KeyValueInput> | Iterable<readonly [string, KeyValueInput]>, options?: InstanceCallOptions): Promise<void> {
    return putKeyValues(this.ctx, entries, options);
  }

  /**
   * Instance tags.
   *
   * @example
   * ```ts
   * await kv.tags();
   * ```
   */
  tags(options?: InstanceCallOptions): Promise<Record<string, string>> {
    return getInstanceTags(this.ctx, options);
  }

  /**
   * Sets instance tags (merged unless `replace`).
   *
   * @example
   * ```ts
   * await kv.setTags({ owner: 'alice' });
   * ```
   */
  setTags(tags: Record<string, string>, options?: SetTagsOptions): Promise<void> {
    return setInstanceTags(this.ctx, tags, options);
  }
}
