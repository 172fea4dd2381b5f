/**
 * JSON schemas of DVID's responses, as validators compiled at build time (ajv standalone code,
 * so no schema compiler and no `unsafe-eval` ship). The schemas live in `./schemas/*.json` and
 * describe what DVID really returns; each names its Go source.
 *
 * @example
 * ```ts
 * const issues = SCHEMAS.voxelsMetadata.validate(json); // [] when valid
 * ```
 * @module
 */
import type { SchemaIssue } from '../errors.js';
import * as generated from './validators.generated.js';

/** A named validator returning the problems it found. */
export interface Schema {
  name: string;
  validate: (data: unknown) => SchemaIssue[];
}

function wrap(name: string, fn: (typeof generated)['validateServerInfo']): Schema {
  return {
    name,
    validate(data) {
      if (fn(data)) return [];
      return (fn.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message ?? 'invalid' }));
    },
  };
}

/** Every response schema the SDK checks. */
export const SCHEMAS = {
  serverInfo: wrap('server-info', generated.validateServerInfo),
  serverTypes: wrap('server-types', generated.validateServerTypes),
  reposInfo: wrap('repos-info', generated.validateReposInfo),
  repoInfo: wrap('repo-info', generated.validateRepoInfo),
  createRepo: wrap('create-repo', generated.validateCreateRepo),
  createInstance: wrap('create-instance', generated.validateCreateInstance),
  instanceInfo: wrap('instance-info', generated.validateInstanceInfo),
  voxelsMetadata: wrap('voxels-metadata', generated.validateVoxelsMetadata),
} as const;
