/**
 * The tile spec of an imagetile instance as DVID v1.0.0 reads and writes it
 * (`datatype/imagetile/imagetile.go` `SetMetadata`, `parseTileSpec`, `TileSpec.MarshalJSON`):
 * `json.Unmarshal` into `{MinTileCoord, MaxTileCoord dvid.Point3d; Levels map[string]LevelSpec}`
 * with Go's type errors, level keys that must be 0…n−1, and the integral-magnification checks
 * between consecutive levels (IEEE remainder, as `math.Remainder`).
 *
 * @example
 * ```ts
 * const spec = parseTileMetadata('{"MinTileCoord":[0,0,0],"MaxTileCoord":[1,1,1],"Levels":{"0":{"Resolution":[8,8,8],"TileSize":[16,16,16]}}}');
 * tileMetadataJson(spec) // the same JSON back, as DVID writes it
 * ```
 * @module
 */
import { goAtoi, GoParseError } from '../goformat.js';
import { float32, goJson, parseGoJson, sortedKeys, type GoJsonNode } from '../gojson.js';
import { GoPanic } from '../http.js';
import type { Point3 } from '../geometry.js';

/**
 * One scale level: voxel size (float32 values, any length) and tile size per axis.
 *
 * @example
 * ```ts
 * const level: TileLevel = { resolution: [8, 8, 8], tileSize: [512, 512, 512] };
 * ```
 */
export interface TileLevel {
  resolution: number[] | null;
  tileSize: Point3;
}

/**
 * A posted tile spec. `levels` is keyed by scale (DVID's `Scaling`, a uint8).
 *
 * @example
 * ```ts
 * spec.levels.get(0)?.tileSize // [512, 512, 512]
 * ```
 */
export interface TileSpecState {
  minTileCoord: Point3;
  maxTileCoord: Point3;
  levels: Map<number, TileLevel>;
}

function typeError(node: GoJsonNode, field: string, type: string, literal = false): Error {
  const value = literal && node.kind === 'number' ? `number ${node.text}` : node.kind;
  return new Error(`json: cannot unmarshal ${value} into Go struct field ${field} of type ${type}`);
}

/** Fills a Go `[3]int32` from a JSON value (null: unchanged; short arrays: zero-filled). */
function readPoint3(node: GoJsonNode, field: string, into: Point3): Point3 {
  if (node.kind === 'null') return into;
  if (node.kind !== 'array') throw typeError(node, field, 'dvid.Point3d');
  const out: Point3 = [0, 0, 0];
  node.items.slice(0, 3).forEach((item, i) => {
    if (item.kind === 'null') return;
    if (item.kind !== 'number') throw typeError(item, field, 'int32');
    const value = Number(item.text);
    if (!/^-?\d+$/.test(item.text) || value < -(2 ** 31) || value >= 2 ** 31) throw typeError(item, field, 'int32', true);
    out[i] = value;
  });
  return out;
}

/** A Go `[]float32` (`dvid.NdFloat32`). */
function readFloats(node: GoJsonNode, field: string): number[] | null {
  if (node.kind === 'null') return null;
  if (node.kind !== 'array') throw typeError(node, field, 'dvid.NdFloat32');
  return node.items.map((item) => {
    if (item.kind === 'null') return 0;
    if (item.kind !== 'number') throw typeError(item, field, 'float32');
    const value = Math.fround(Number(item.text));
    if (!Number.isFinite(value)) throw typeError(item, field, 'float32', true);
    return value;
  });
}

/** Go's case-insensitive match of a JSON key to a struct field. */
function fieldIs(key: string, name: string): boolean {
  return key.toLowerCase() === name.toLowerCase();
}

function readLevel(node: GoJsonNode): TileLevel {
  const level: TileLevel = { resolution: null, tileSize: [0, 0, 0] };
  if (node.kind === 'null') return level;
  if (node.kind !== 'object') throw typeError(node, 'metadataJSON.Levels', 'imagetile.LevelSpec');
  for (const [key, value] of node.entries) {
    if (fieldIs(key, 'Resolution')) level.resolution = readFloats(value, 'LevelSpec.Levels.Resolution');
    else if (fieldIs(key, 'TileSize')) level.tileSize = readPoint3(value, 'LevelSpec.Levels.TileSize', level.tileSize);
  }
  return level;
}

/** The decoded `Levels` map: JSON keys in document order, later duplicates replacing earlier. */
function readLevels(node: GoJsonNode): Map<string, TileLevel> | null {
  if (node.kind === 'null') return null;
  if (node.kind !== 'object') throw typeError(node, 'metadataJSON.Levels', 'imagetile.specJSON');
  const levels = new Map<string, TileLevel>();
  for (const [key, value] of node.entries) levels.set(key, readLevel(value));
  return levels;
}

/** Go's `math.Remainder`: x − n·y with n the nearest integer to x/y, ties to even. */
function ieeeRemainder(x: number, y: number): number {
  const q = x / y;
  let n = Math.round(q);
  if (Math.abs(q - Math.trunc(q)) === 0.5) n = 2 * Math.round(q / 2);
  return x - n * y;
}

function checkMagnification(scale: number, level: TileLevel, next: TileLevel): void {
  const current = level.resolution ?? [];
  const coarser = next.resolution ?? [];
  current.forEach((hires, i) => {
    if (i >= coarser.length) throw new GoPanic(`runtime error: index out of range [${i}] with length ${coarser.length}`);
    const lores = coarser[i];
    if (ieeeRemainder(lores, hires) > 0.001) throw new Error(`Resolutions between scale ${scale} and ${scale + 1} aren't integral magnifications!`);
    if (lores / hires < 0.99) throw new Error(`A resolution between scale ${scale} and ${scale + 1} actually increases!`);
    if (i >= 3) throw new GoPanic(`runtime error: index out of range [${i}] with length 3`);
  });
}

/** `parseTileSpec`: scale keys must be integers below the number of levels, all present. */
function parseLevels(config: Map<string, TileLevel> | null): Map<number, TileLevel> {
  const entries = [...(config ?? new Map<string, TileLevel>())];
  const count = entries.length;
  const specs = new Map<number, TileLevel>();
  for (const [key, level] of entries) {
    let scale: number;
    try {
      scale = goAtoi(key);
    } catch (err) {
      if (err instanceof GoParseError) throw new Error(`Scaling '${key}' needs to be a number for the scale level.`);
      throw err;
    }
    if (scale >= count) throw new Error(`Tile levels must be consecutive integers from [0,Max]: Got scale level ${scale} > # levels (${count})\n`);
    specs.set(((scale % 256) + 256) % 256, level);
  }
  // DVID loops while scaling < uint8(n-1): with no levels that is 255 steps, failing at once.
  const last = (count - 1 + 256) % 256;
  for (let scale = 0; scale < last; scale++) {
    const level = specs.get(scale);
    if (!level) throw new Error(`Could not find tile spec for level ${scale}`);
    const next = specs.get(scale + 1);
    if (!next) throw new Error(`Could not find tile spec for level ${scale + 1}`);
    checkMagnification(scale, level, next);
  }
  return specs;
}

/**
 * Decodes and checks a `POST /metadata` body.
 *
 * @throws Error with DVID's message (JSON syntax, Go type errors, level checks); GoPanic where
 *   DVID panics (a coarser level with fewer resolution values).
 * @example
 * ```ts
 * parseTileMetadata('{"Levels":{"1":{}}}') // throws 'Tile levels must be consecutive integers ...'
 * ```
 */
export function parseTileMetadata(body: string): TileSpecState {
  const parsed = parseGoJson(body, 'unmarshal');
  if (!parsed.ok) throw new Error(parsed.error);
  const node = parsed.node ?? { kind: 'null' };
  let minTileCoord: Point3 = [0, 0, 0];
  let maxTileCoord: Point3 = [0, 0, 0];
  let levels: Map<string, TileLevel> | null = null;
  if (node.kind !== 'null') {
    if (node.kind !== 'object') throw new Error(`json: cannot unmarshal ${node.kind} into Go value of type imagetile.metadataJSON`);
    for (const [key, value] of node.entries) {
      if (fieldIs(key, 'MinTileCoord')) minTileCoord = readPoint3(value, 'metadataJSON.MinTileCoord', minTileCoord);
      else if (fieldIs(key, 'MaxTileCoord')) maxTileCoord = readPoint3(value, 'metadataJSON.MaxTileCoord', maxTileCoord);
      else if (fieldIs(key, 'Levels')) levels = readLevels(value);
    }
  }
  return { minTileCoord, maxTileCoord, levels: parseLevels(levels) };
}

/**
 * The `Levels` object DVID writes (`TileSpec.MarshalJSON`): keys sorted as strings.
 *
 * @example
 * ```ts
 * goJson(levelsJson(spec.levels)) // '{"0":{"Resolution":[8,8,8],"TileSize":[16,16,16]}}'
 * ```
 */
export function levelsJson(levels: Map<number, TileLevel> | undefined): unknown {
  const out: Record<string, unknown> = {};
  for (const [scale, level] of levels ?? []) {
    out[String(scale)] = { Resolution: level.resolution === null ? null : level.resolution.map(float32), TileSize: level.tileSize };
  }
  return sortedKeys(out);
}

/**
 * The body of `GET /metadata`.
 *
 * @example
 * ```ts
 * tileMetadataJson(spec) // '{"MinTileCoord":[0,0,0],"MaxTileCoord":[1,1,1],"Levels":{...}}'
 * ```
 */
export function tileMetadataJson(spec: TileSpecState): string {
  return goJson({ MinTileCoord: spec.minTileCoord, MaxTileCoord: spec.maxTileCoord, Levels: levelsJson(spec.levels) });
}
