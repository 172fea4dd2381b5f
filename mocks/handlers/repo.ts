/**
 * Repo- and version-level endpoints: `POST /api/repos`, `GET /api/repos/info`,
 * `HEAD /api/repo/{uuid}`, `GET|POST /api/repo/{uuid}/info`, `POST /api/repo/{uuid}/instance`,
 * repo and node logs and notes, `branch-versions` and the node `status`. As in DVID, the UUID
 * is resolved first (400 when unknown or ambiguous) and only then is the action looked up
 * (404 when unknown). Versioning actions (commit, branch, newversion, tag, merge, resolve)
 * answer 501: the mock keeps a single, open root version per repo.
 *
 * @example
 * ```ts
 * // POST /api/repos {"alias":"a"} → {"root": "<uuid>"}
 * // POST /api/repo/<uuid>/instance {"typename":"uint8blk","dataname":"gray"}
 * //   → {"result": "Added gray [uint8blk] to node <uuid>"}
 * ```
 * @module
 */
import type { HttpHandler } from 'msw';
import { DvidConfig } from '../config.js';
import { goQuote, goRfc3339, goRfc3339Nano } from '../goformat.js';
import { goJson, parseGoJson, sortedKeys, type GoJsonNode } from '../gojson.js';
import { badRequest, emptyResponse, jsonResponse, notEmulated, notFound, textResponse } from '../http.js';
import { imageInfo } from '../imageblk.js';
import { ANY_METHOD, defineRoute, type MockContext, type RouteRequest } from '../router.js';
import type { MockDvidState, MockNode, MockRepo, ResolvedUuid } from '../state.js';

/**
 * Message the mock answers, in DVID HEAD's manner, when repo creation lacks the admin token.
 *
 * @example
 * ```ts
 * // POST /api/repos without ?admintoken= → 400 'Creating a repo requires admin privileges (/api/repos).\n'
 * ```
 */
export const REPO_ADMIN_MESSAGE = 'Creating a repo requires admin privileges';


function nodeJson(node: MockNode): Record<string, unknown> {
  return {
    Branch: node.branch,
    Note: node.note,
    Log: node.log,
    UUID: node.uuid,
    VersionID: node.versionId,
    Locked: node.locked,
    Parents: node.parents,
    Children: node.children,
    Created: goRfc3339Nano(node.created),
    Updated: goRfc3339Nano(node.updated),
  };
}

function instancesJson(repo: MockRepo): Record<string, unknown> {
  const instances: Record<string, unknown> = {};
  for (const [name, instance] of repo.instances) {
    try {
      instances[name] = imageInfo(instance);
    } catch (err) {
      throw new Error(`json: error calling MarshalJSON for type *imageblk.Data: ${(err as Error).message}`);
    }
  }
  return instances;
}

/**
 * A repo as DVID's `repoT.MarshalJSON` writes it (field order kept, maps sorted).
 *
 * @example
 * ```ts
 * JSON.parse(goJson(repoJson(repo))).DAG.Root === repo.root // true
 * ```
 */
export function repoJson(repo: MockRepo): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const [uuid, node] of repo.nodes) nodes[uuid] = nodeJson(node);
  return {
    Root: repo.root,
    Alias: repo.alias,
    Description: repo.description,
    Log: repo.log,
    Properties: {},
    DataInstances: sortedKeys(instancesJson(repo)),
    DAG: { Root: repo.root, Nodes: sortedKeys(nodes) },
    MutationID: repo.mutationId,
    SavedMutationID: repo.savedMutationId,
    Created: goRfc3339Nano(repo.created),
    Updated: goRfc3339Nano(repo.updated),
  };
}

function readConfig(body: string, path: string, what: string): DvidConfig {
  try {
    return DvidConfig.fromBody(body);
  } catch (err) {
    throw badRequest(path, `Error decoding POSTed JSON config for ${what}: ${(err as Error).message}`);
  }
}

function stringSetting(config: DvidConfig, key: string, path: string, context: string): string | undefined {
  const setting = config.getString(key);
  if (setting.error) throw badRequest(path, `${context}: ${setting.error}`);
  return setting.value;
}

async function createRepo(context: MockContext, request: RouteRequest): Promise<Response> {
  const { path } = request;
  if (context.adminToken && !request.admin) throw badRequest(path, REPO_ADMIN_MESSAGE);
  const config = readConfig(await request.request.text(), path, 'new repo');
  const alias = stringSetting(config, 'alias', path, "POST on repos endpoint requires valid 'alias'");
  const description = stringSetting(config, 'description', path, "POST on repos endpoint requires valid 'description'");
  stringSetting(config, 'passcode', path, "POST on repos endpoint requires valid 'passcode'");
  const root = stringSetting(config, 'root', path, "POST on repos endpoint with error on getting 'root'");
  const repo = context.state.createRepo({ alias, description, root });
  return jsonResponse(`{"root": ${goQuote(repo.root)}}`);
}

function reposInfo(state: MockDvidState): Response {
  const repos: Record<string, unknown> = {};
  for (const [root, repo] of state.repos) repos[root] = repoJson(repo);
  return jsonResponse(goJson(sortedKeys(repos)));
}

async function updateRepoInfo(resolved: ResolvedUuid, request: RouteRequest): Promise<Response> {
  const { path } = request;
  const config = readConfig(await request.request.text(), path, 'POST repo');
  const alias = stringSetting(config, 'alias', path, "POST on repo/info endpoint requires valid 'alias'");
  if (alias !== undefined) resolved.repo.alias = alias;
  const description = stringSetting(config, 'description', path, "POST on repo/info endpoint requires valid 'description'");
  if (description !== undefined) resolved.repo.description = description;
  if (alias !== undefined || description !== undefined) resolved.repo.updated = new Date();
  return emptyResponse();
}

async function createInstance(context: MockContext, resolved: ResolvedUuid, request: RouteRequest): Promise<Response> {
  const config = readConfig(await request.request.text(), request.path, "'new'");
  const instance = context.state.createInstance(resolved.uuid, config);
  return jsonResponse(`{"result": "Added ${instance.name} [${instance.type.name}] to node ${resolved.uuid}"}`);
}

/** Decodes a body into Go's `map[string]string` or `map[string][]string`, with Go's errors. */
function decodeStringMap(body: string, values: 'string' | '[]string'): Map<string, string | string[]> {
  const parsed = parseGoJson(body, 'decoder');
  if (!parsed.ok) throw new Error(`Malformed JSON request in body: ${parsed.error}`);
  const out = new Map<string, string | string[]>();
  const node = parsed.node;
  if (!node || node.kind === 'null') return out;
  const typeError = (found: GoJsonNode, type: string) =>
    new Error(`Malformed JSON request in body: json: cannot unmarshal ${found.kind} into Go value of type ${type}`);
  if (node.kind !== 'object') throw typeError(node, `map[string]${values}`);
  for (const [key, value] of node.entries) {
    if (value.kind === 'null') continue;
    if (values === 'string') {
      if (value.kind !== 'string') throw typeError(value, 'string');
      out.set(key, value.value);
    } else {
      if (value.kind !== 'array') throw typeError(value, '[]string');
      out.set(
        key,
        value.items.map((item) => {
          if (item.kind === 'null') return '';
          if (item.kind !== 'string') throw typeError(item, 'string');
          return item.value;
        }),
      );
    }
  }
  return out;
}

function stampLines(lines: string[]): string[] {
  const stamp = goRfc3339(new Date());
  return lines.map((line) => `${stamp}  ${line}`);
}

async function appendLog(target: { log: string[]; updated: Date }, request: RouteRequest): Promise<Response> {
  const data = decodeStringMap(await request.request.text(), '[]string');
  const lines = data.get('log') as string[] | undefined;
  if (lines === undefined) throw new Error("Could not find 'log' value in POSTed JSON.");
  target.log.push(...stampLines(lines));
  target.updated = new Date();
  return emptyResponse();
}

async function setNote(node: MockNode, request: RouteRequest): Promise<Response> {
  const data = decodeStringMap(await request.request.text(), 'string');
  const note = data.get('note') as string | undefined;
  if (note === undefined) throw new Error("Could not find 'note' value in POSTed JSON.");
  node.note = note;
  node.updated = new Date();
  return emptyResponse();
}

function repoAction(context: MockContext, resolved: ResolvedUuid, request: RouteRequest): Response | Promise<Response> {
  const { action, name } = request.params;
  const key = `${request.method === 'HEAD' ? 'GET' : request.method} ${action}${name === undefined ? '' : '/'}`;
  switch (key) {
    case 'GET info':
      return jsonResponse(goJson(repoJson(resolved.repo)));
    case 'POST info':
      return updateRepoInfo(resolved, request);
    case 'POST instance':
      return createInstance(context, resolved, request);
    case 'GET log':
      return jsonResponse(goJson({ log: resolved.repo.log }));
    case 'POST log':
      return appendLog(resolved.repo, request);
    case 'GET branch-versions/':
      return jsonResponse(`[${context.state.branchAncestry(resolved.repo, name).map((u) => `"${u}"`).join(',')}]`);
    case 'POST merge':
    case 'POST resolve':
      throw notEmulated(request.path, `POST /api/repo/{uuid}/${action}`);
    default:
      throw notFound();
  }
}

function nodeAction(resolved: ResolvedUuid, request: RouteRequest): Response | Promise<Response> {
  const { action } = request.params;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  switch (`${method} ${action}`) {
    case 'GET note':
      return jsonResponse(goJson({ note: resolved.node.note }));
    case 'POST note':
      return setNote(resolved.node, request);
    case 'GET log':
      return jsonResponse(goJson({ log: resolved.node.log }));
    case 'POST log':
      return appendLog(resolved.node, request);
    case 'GET commit':
    case 'GET status':
      return jsonResponse(`{"Locked":${resolved.node.locked}}`);
    case 'POST commit':
    case 'POST branch':
    case 'POST newversion':
    case 'POST tag':
      throw notEmulated(request.path, `POST /api/node/{uuid}/${action} (versioning)`);
    default:
      throw notFound();
  }
}

/**
 * The repo- and node-level routes.
 *
 * @example
 * ```ts
 * setupServer(...repoHandlers(context))
 * ```
 */
export function repoHandlers(context: MockContext): HttpHandler[] {
  const { state } = context;
  const resolve = (request: RouteRequest) => state.resolveUuid(request.params.uuid);
  return [
    defineRoute(context, ['POST'], '/api/repos', (request) => createRepo(context, request)),
    defineRoute(context, ['GET'], '/api/repos/info', () => reposInfo(state)),
    defineRoute(context, ANY_METHOD, '/api/repo/:uuid', (request) => {
      const { repo } = resolve(request);
      if (request.method !== 'HEAD') throw notFound();
      return textResponse(`Repo available with root UUID ${repo.root}\n`);
    }),
    defineRoute(context, ANY_METHOD, '/api/repo/:uuid/:action', (request) => repoAction(context, resolve(request), request)),
    defineRoute(context, ANY_METHOD, '/api/repo/:uuid/:action/:name', (request) => repoAction(context, resolve(request), request)),
    defineRoute(context, ANY_METHOD, '/api/node/:uuid', (request) => {
      resolve(request);
      throw notFound();
    }),
    defineRoute(context, ANY_METHOD, '/api/node/:uuid/:action', (request) => nodeAction(resolve(request), request)),
  ];
}
