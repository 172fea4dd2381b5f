/**
 * DVID URL paths: checked and escaped UUID and instance-name segments. DVID splits paths on
 * `/` after decoding, so a segment containing `/` can never be addressed: it is refused here,
 * before any request.
 *
 * @example
 * ```ts
 * nodePath('a1b2c3', 'grayscale') // '/api/node/a1b2c3/grayscale'
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';

/** Checks a URL path segment (UUID or instance name) and escapes it. */
export function segment(argument: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.includes('/')) {
    throw new DvidArgumentError(argument, `expected a non-empty string without "/", got ${JSON.stringify(value)}`);
  }
  return encodeURIComponent(value);
}

/** `/api/node/{uuid}/{name}`, both segments checked and escaped. */
export function nodePath(uuid: string, name: string): string {
  return `/api/node/${segment('uuid', uuid)}/${segment('name', name)}`;
}
