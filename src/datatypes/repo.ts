/**
 * Server- and repo-level calls: server info and types, repos, creating repos and instances.
 * Each function takes the transport; `DvidClient` exposes them as methods.
 *
 * @example
 * ```ts
 * const root = await createRepo(transport, { alias: 'test', description: 'scratch' });
 * await createInstance(transport, root, 'grayscale', 'uint8blk', { BlockSize: [64, 64, 64] });
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';
import { SCHEMAS } from '../metadata/schemas.js';
import type { Transport } from '../transport/transport.js';
import { segment } from './paths.js';

/** Options every call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** `GET /api/server/info`: every value is a string. */
export type ServerInfo = Record<string, string>;

/** Type name → type URL. */
export type ServerTypes = Record<string, string>;

/** A node of a repo's version DAG as DVID reports it (parents and children are VersionIDs). */
export interface RepoNodeJSON {
  UUID: string;
  VersionID: number;
  Locked: boolean;
  Branch?: string;
  Note?: string;
  Log?: string[] | null;
  Parents: number[] | null;
  Children: number[] | null;
  Created?: string;
  Updated?: string;
}

/** `GET /api/repo/{uuid}/info`. */
export interface RepoInfo {
  Root: string;
  Alias: string;
  Description: string;
  Log?: string[] | null;
  Properties?: Record<string, unknown> | null;
  /** Instance name → `/info` object of the instance. */
  DataInstances: Record<string, { Base: { TypeName: string; Name: string; [key: string]: unknown }; [key: string]: unknown }> | null;
  DAG: { Root: string; Nodes: Record<string, RepoNodeJSON> };
  [key: string]: unknown;
}

/** `GET /api/repos/info`: root UUID → repo. */
export type ReposInfo = Record<string, RepoInfo>;

/** Options for {@link createRepo}. */
export interface CreateRepoOptions extends CallOptions {
  alias?: string;
  description?: string;
}

/** A config value the SDK converts to the string DVID insists on. */
export type InstanceConfigValue = string | number | boolean | readonly (string | number)[] | null | undefined;

/** Instance configuration: keys as DVID documents them (`BlockSize`, `VoxelSize`, ...). */
export type InstanceConfig = Record<string, InstanceConfigValue>;

/** Reads `GET /api/server/info`. */
export function getServerInfo(transport: Transport, options: CallOptions = {}): Promise<ServerInfo> {
  return transport.requestJson({ path: '/api/server/info', attempted: 'read server info', schema: SCHEMAS.serverInfo, signal: options.signal });
}

/** Reads `GET /api/server/types`: the types that have instances. */
export function getServerTypes(transport: Transport, options: CallOptions = {}): Promise<ServerTypes> {
  return transport.requestJson({ path: '/api/server/types', attempted: 'read server types', schema: SCHEMAS.serverTypes, signal: options.signal });
}

/** Reads `GET /api/server/compiled-types`: every type compiled into the server. */
export function getCompiledTypes(transport: Transport, options: CallOptions = {}): Promise<ServerTypes> {
  return transport.requestJson({
    path: '/api/server/compiled-types',
    attempted: 'read compiled types',
    schema: SCHEMAS.serverTypes,
    signal: options.signal,
  });
}

/** Reads `GET /api/repos/info` (an empty object when the server has no repos). */
export async function getReposInfo(transport: Transport, options: CallOptions = {}): Promise<ReposInfo> {
  const info = await transport.requestJson<ReposInfo | null>({
    path: '/api/repos/info',
    attempted: 'read repos info',
    schema: SCHEMAS.reposInfo,
    signal: options.signal,
  });
  return info ?? {};
}

/** Reads `GET /api/repo/{uuid}/info` for the repo holding `uuid` (any of its versions). */
export function getRepoInfo(transport: Transport, uuid: string, options: CallOptions = {}): Promise<RepoInfo> {
  return transport.requestJson({
    path: `/api/repo/${segment('uuid', uuid)}/info`,
    attempted: `read repo info of ${uuid}`,
    schema: SCHEMAS.repoInfo,
    signal: options.signal,
  });
}

/**
 * Creates a repo and returns its root UUID. Current DVID requires admin rights: the client's
 * `adminToken` is sent when set. Never retried (it is not idempotent).
 */
export async function createRepo(transport: Transport, options: CreateRepoOptions = {}): Promise<string> {
  const body: Record<string, string> = {};
  if (options.alias !== undefined) body.alias = options.alias;
  if (options.description !== undefined) body.description = options.description;
  const result = await transport.requestJson<{ root: string }>({
    method: 'POST',
    path: '/api/repos',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
    attempted: `create repo${options.alias ? ` "${options.alias}"` : ''}`,
    admin: transport.hasAdminToken,
    idempotent: false,
    schema: SCHEMAS.createRepo,
    signal: options.signal,
  });
  return result.root;
}

/**
 * Converts instance config to what DVID accepts: every value a string (numbers as decimal,
 * arrays comma-joined, booleans `true`/`false`); `null`/`undefined` values are left out.
 *
 * @example
 * ```ts
 * toDvidConfig({ BlockSize: [64, 64, 64], MaxDownresLevel: 2 }) // { BlockSize: '64,64,64', MaxDownresLevel: '2' }
 * ```
 */
export function toDvidConfig(config: InstanceConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new DvidArgumentError(`config.${key}`, `expected a finite number, got ${value}`);
      out[key] = String(value);
    } else if (typeof value === 'boolean') out[key] = String(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
      out[key] = value.join(',');
    } else {
      throw new DvidArgumentError(`config.${key}`, `expected a string, number, boolean or array of them, got ${JSON.stringify(value)}`);
    }
  }
  return out;
}

/**
 * Creates a data instance of `typename` named `name` in the repo holding `uuid`. Config values
 * may be numbers, booleans or arrays: they are sent as the strings DVID requires.
 */
export async function createInstance(
  transport: Transport,
  uuid: string,
  name: string,
  typename: string,
  config: InstanceConfig = {},
  options: CallOptions = {},
): Promise<void> {
  segment('name', name);
  if (!typename) throw new DvidArgumentError('typename', 'expected a DVID type name such as "uint8blk"');
  const lower = Object.keys(config).map((k) => k.toLowerCase());
  for (const reserved of ['typename', 'dataname']) {
    if (lower.includes(reserved)) throw new DvidArgumentError('config', `"${reserved}" is set from the arguments; remove it from config`);
  }
  await transport.requestJson({
    method: 'POST',
    path: `/api/repo/${segment('uuid', uuid)}/instance`,
    body: JSON.stringify({ typename, dataname: name, ...toDvidConfig(config) }),
    headers: { 'Content-Type': 'application/json' },
    attempted: `create ${typename} instance "${name}"`,
    idempotent: false,
    schema: SCHEMAS.createInstance,
    signal: options.signal,
  });
}

/** Settings accepted by `POST /api/server/settings`. */
export interface ServerSettings {
  /** Go garbage-collection target percentage. */
  gc?: number;
  /** Maximum concurrent `throttle=on` operations; 0 makes every throttled request answer 503. */
  throttle?: number;
}

/**
 * Changes server settings (admin only on current DVID; the client's `adminToken` is sent).
 * Returns DVID's text lines, e.g. `Maximum throttled ops set to 0 from 1`.
 */
export async function postServerSettings(transport: Transport, settings: ServerSettings, options: CallOptions = {}): Promise<string> {
  return transport.requestText({
    method: 'POST',
    path: '/api/server/settings',
    body: JSON.stringify(toDvidConfig({ ...settings })),
    headers: { 'Content-Type': 'application/json' },
    attempted: 'change server settings',
    admin: transport.hasAdminToken,
    idempotent: false,
    signal: options.signal,
  });
}
