/**
 * The part of a data instance every DVID datatype shares (`datastore.Data`): name checks,
 * the Compression/Checksum/Versioned/Tags settings of `ModifyConfig` with DVID's messages,
 * and the `Base` object of `/info`.
 *
 * @example
 * ```ts
 * const base = createBaseInstance(COMPILED_TYPES.uint8blk, 'gray', new DvidConfig({ Compression: 'gzip' }), rootUuid);
 * baseInfo(base).Compression // 'gzip compression, level -1'
 * ```
 * @module
 */
import type { DvidConfig } from './config.js';
import { goAtoi, GoParseError, goQuote } from './goformat.js';
import { sortedKeys } from './gojson.js';
import type { CompiledType } from './types.js';

/**
 * Names DVID refuses for data instances.
 *
 * @example
 * ```ts
 * RESERVED_NAMES.includes('log') // true
 * ```
 */
export const RESERVED_NAMES: readonly string[] = ['log', 'branch', 'note', 'commit', 'newversion'];

/**
 * Settings common to every instance.
 *
 * @example
 * ```ts
 * const { name, dataUuid, compression } = instance;
 * ```
 */
export interface BaseInstance {
  type: CompiledType;
  name: string;
  dataUuid: string;
  /** Root UUID of the repo holding the instance. */
  repoUuid: string;
  compression: string;
  checksum: string;
  versioned: boolean;
  tags: Record<string, string> | null;
}

/**
 * A new random 32-hex-digit UUID, as DVID writes them.
 *
 * @example
 * ```ts
 * newUuid() // e.g. '65f83dff0c9848b483e998530bc8770a'
 * ```
 */
export function newUuid(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function toInt8(value: number): number {
  return ((((value % 256) + 256) % 256) ^ 0x80) - 0x80;
}

/** `dvid.Compression.String` of a format and level, after `NewCompression`'s adjustments. */
function describeCompression(format: 'none' | 'snappy' | 'lz4' | 'gzip' | 'jpeg', level = -1): string {
  if (level === 0 || format === 'none') return 'No compression, level -1';
  if (format === 'snappy') return 'Go Snappy compression, level -1';
  if (format === 'lz4') return 'LZ4 compression, level -1';
  if (format === 'jpeg') return `jpeg compression, level ${level}`;
  if (level !== -1 && (level < 1 || level > 9)) return 'No compression, level 0';
  return `gzip compression, level ${level}`;
}

function parseCompression(config: DvidConfig): string | undefined {
  const setting = config.getString('Compression');
  if (setting.error) throw new Error(setting.error);
  if (!setting.found) return undefined;
  const format = setting.value!.toLowerCase();
  if (format === 'none' || format === 'snappy' || format === 'lz4' || format === 'gzip') return describeCompression(format);
  if (format === 'jpeg') return describeCompression('jpeg', toInt8(jpegFirstDimension(config)));
  const parts = format.split(':');
  if (parts.length === 2 && parts[0] === 'gzip') {
    let level: number;
    try {
      level = goAtoi(parts[1]);
    } catch (err) {
      if (err instanceof GoParseError) throw new Error(`unable to parse gzip compression level (${goQuote(parts[1])}).  Should be 'gzip:<level>'`);
      throw err;
    }
    return describeCompression('gzip', toInt8(level));
  }
  throw new Error(`Illegal compression specified: ${setting.value}`);
}

function jpegFirstDimension(config: DvidConfig): number {
  const blockSize = config.getString('BlockSize');
  if (blockSize.error) throw new Error(blockSize.error);
  if (!blockSize.found) return 32;
  const first = blockSize.value!.split(',')[0];
  let dim: number;
  try {
    dim = goAtoi(first);
  } catch (err) {
    if (err instanceof GoParseError) throw new Error(`unable to parse first block dim (${goQuote(first)})`);
    throw err;
  }
  if (dim <= 0) throw new Error('Invalid blocksize dim for jpeg compression');
  return dim;
}

function parseChecksum(config: DvidConfig): string | undefined {
  const setting = config.getString('Checksum');
  if (setting.error) throw new Error(setting.error);
  if (!setting.found) return undefined;
  const checksum = setting.value!.toLowerCase();
  if (checksum === 'none') return 'No checksum';
  if (checksum === 'crc32') return 'CRC32 checksum';
  throw new Error(`Illegal checksum specified: ${setting.value}`);
}

function parseVersioned(config: DvidConfig): boolean | undefined {
  const raw = config.get('Versioned');
  if (typeof raw.value === 'boolean') return raw.value;
  const setting = config.getString('Versioned');
  if (setting.error) throw new Error(setting.error);
  if (!setting.found) return undefined;
  const text = setting.value!.toLowerCase();
  if (text === 'false' || text === '0') return false;
  if (text === 'true' || text === '1') return true;
  throw new Error(`Illegal setting for 'versioned' (needs to be 'false', '0', 'true', or '1'): ${setting.value}`);
}

function parseTags(config: DvidConfig): Record<string, string> | undefined {
  const setting = config.getString('Tags');
  if (setting.error) throw new Error(setting.error);
  if (!setting.found) return undefined;
  const tags: Record<string, string> = {};
  for (const assignment of setting.value!.split(',')) {
    const parts = assignment.split('=');
    if (parts.length === 2 && parts[0].length > 0) tags[parts[0]] = parts[1];
  }
  return tags;
}

/**
 * `datastore.NewDataService`: refuses reserved names, then applies the common settings in
 * DVID's order. Throws an Error with DVID's message on the first bad setting.
 *
 * @example
 * ```ts
 * createBaseInstance(type, 'log', config, root) // throws 'cannot use reserved name "log"'
 * ```
 */
export function createBaseInstance(type: CompiledType, name: string, config: DvidConfig, repoUuid: string): BaseInstance {
  if (RESERVED_NAMES.includes(name)) throw new Error(`cannot use reserved name ${goQuote(name)}`);
  const compression = parseCompression(config) ?? 'LZ4 compression, level -1';
  const checksum = parseChecksum(config) ?? 'No checksum';
  const versioned = parseVersioned(config) ?? true;
  const tags = parseTags(config) ?? null;
  return { type, name, dataUuid: newUuid(), repoUuid, compression, checksum, versioned, tags };
}

/**
 * Where the mock says instance data lives, in place of DVID's store description.
 *
 * @example
 * ```ts
 * baseInfo(instance).KVStore === MOCK_KV_STORE // true
 * ```
 */
export const MOCK_KV_STORE = 'dvid-ts mock @ memory';

/**
 * The `Base` object of `GET .../info`, in DVID's field order.
 *
 * @example
 * ```ts
 * baseInfo(instance).TypeName // 'uint8blk'
 * ```
 */
export function baseInfo(instance: BaseInstance): Record<string, unknown> {
  return {
    TypeName: instance.type.name,
    TypeURL: instance.type.url,
    TypeVersion: instance.type.version,
    DataUUID: instance.dataUuid,
    Name: instance.name,
    RepoUUID: instance.repoUuid,
    Compression: instance.compression,
    Checksum: instance.checksum,
    Syncs: [],
    Versioned: instance.versioned,
    KVStore: MOCK_KV_STORE,
    LogStore: 'no mutation log set',
    Tags: instance.tags === null ? null : sortedKeys(instance.tags),
  };
}
