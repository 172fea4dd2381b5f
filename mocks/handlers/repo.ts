/**
 * Repo- and version-level endpoints: `POST /api/repos`, `GET /api/repos/info`,
 * `HEAD /api/repo/{uuid}`, `GET|POST /api/repo/{uuid}/info`, `POST /api/repo/{uuid}/instance`,
 * repo and node logs and notes, `branch-versions`, `merge`, `resolve`, and the node
 * `status`/`commit` (GET), `commit`, `branch`, `newversion` and `tag` (POST). As in DVID, the
 * UUID is resolved first (400 when unknown or ambiguous), then node routes refuse non-GET
 * requests on committed nodes except branch/newversion/tag (`nodeSelector`:
 * `Cannot do post on locked node <uuid>`), and only then is the action looked up (404 when
 * unknown). Bodies are decoded like Go's `json.Unmarshal` into DVID's anonymous structs, with
 * Go's messages.
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
import { badRequest, emptyResponse, goHttpError, jsonResponse, notFound, textResponse } from '../http.js';
import { imageInfo } from '../imageblk.js';
import { ANY_METHOD, defineRoute, type MockContext, type RouteRequest } from '../router.js';
import { appendLog, isImageInstance, type MockDvidState, type MockNode, type MockRepo, type ResolvedUuid } from '../state.js';
import { getDataType } from '../versioned.js';

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
    if (!isImageInstance(instance)) {
      const type = getDataType(instance.type.name);
      if (type) instances[name] = type.info(instance);
      continue;
    }
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
  if (resolved.node.locked && !request.admin) throw new Error(`New data instance cannot be created on locked node ${resolved.uuid}`);
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

async function postLog(target: { log: string[]; updated: Date }, request: RouteRequest): Promise<Response> {
  const data = decodeStringMap(await request.request.text(), '[]string');
  const lines = data.get('log') as string[] | undefined;
  if (lines === undefined) throw new Error("Could not find 'log' value in POSTed JSON.");
  appendLog(target, lines);
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
      return postLog(resolved.repo, request);
    case 'GET branch-versions/':
      return jsonResponse(`[${context.state.branchAncestry(resolved.repo, name).map((u) => `"${u}"`).join(',')}]`);
    case 'POST merge':
      return postMerge(context.state, request);
    case 'POST resolve':
      return postResolve(context.state, resolved, request);
    default:
      throw notFound();
  }
}

/**
 * DVID's `nodeSelector`: on a committed node only GET and HEAD pass, plus branch, newversion
 * and tag (and admin requests).
 */
function checkNodeWritable(resolved: ResolvedUuid, request: RouteRequest): void {
  const action = request.params.action;
  const branching = action === 'branch' || action === 'newversion' || action === 'tag';
  const method = request.method.toLowerCase();
  if (resolved.node.locked && !request.admin && !branching && method !== 'get' && method !== 'head') {
    throw new Error(`Cannot do ${method} on locked node ${resolved.uuid}`);
  }
}

function nodeAction(state: MockDvidState, resolved: ResolvedUuid, request: RouteRequest): Response | Promise<Response> {
  checkNodeWritable(resolved, request);
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
      return postLog(resolved.node, request);
    case 'GET commit':
    case 'GET status':
      return jsonResponse(`{"Locked":${resolved.node.locked}}`);
    case 'POST commit':
      return postCommit(state, resolved, request);
    case 'POST branch':
      return postNewVersion(state, resolved, request, true);
    case 'POST newversion':
      return postNewVersion(state, resolved, request, false);
    case 'POST tag':
      return postTag(state, resolved, request);
    default:
      throw notFound();
  }
}

/** One field of a Go struct a handler unmarshals into. */
interface GoField {
  /** The JSON name (the `json:"..."` tag). */
  json: string;
  /** Go field name, for the struct's type string. */
  go: string;
  type: 'string' | '[]string' | '[]dvid.InstanceName';
}

/** Go's `%v` of an anonymous struct type, as `UnmarshalTypeError` prints it. */
function structType(fields: readonly GoField[]): string {
  return `struct { ${fields.map((f) => `${f.go} ${f.type} "json:\\"${f.json}\\""`).join('; ')} }`;
}

/**
 * `json.Unmarshal(body, &struct{...})` as DVID's version handlers do it, returning the string
 * and string-list fields; throws `Malformed JSON request in body: <Go error>`. Keys match
 * field names case-insensitively, unknown keys and nulls are ignored, and a type error is
 * reported after the whole value was read, as Go does.
 */
function unmarshalStruct(body: string, fields: readonly GoField[]): Record<string, string | string[]> {
  const fail = (message: string): never => {
    throw new Error(`Malformed JSON request in body: ${message}`);
  };
  const parsed = parseGoJson(body, 'unmarshal');
  if (!parsed.ok) return fail(parsed.error);
  const out: Record<string, string | string[]> = {};
  const node = parsed.node!;
  if (node.kind === 'null') return out;
  if (node.kind !== 'object') return fail(`json: cannot unmarshal ${node.kind} into Go value of type ${structType(fields)}`);
  let firstError: string | undefined;
  const typeError = (found: GoJsonNode, field: GoField, type: string) => {
    firstError ??= `json: cannot unmarshal ${found.kind === 'number' ? 'number' : found.kind} into Go struct field .${field.json} of type ${type}`;
  };
  for (const [key, value] of node.entries) {
    const field = fields.find((f) => f.json === key) ?? fields.find((f) => f.json.toLowerCase() === key.toLowerCase());
    if (!field || value.kind === 'null') continue;
    if (field.type === 'string') {
      if (value.kind === 'string') out[field.json] = value.value;
      else typeError(value, field, 'string');
      continue;
    }
    if (value.kind !== 'array') {
      typeError(value, field, field.type);
      continue;
    }
    const elementType = field.type.slice(2);
    out[field.json] = value.items.map((item) => {
      if (item.kind === 'string') return item.value;
      if (item.kind !== 'null') typeError(item, field, elementType);
      return '';
    });
  }
  if (firstError !== undefined) fail(firstError);
  return out;
}

const NOTE: GoField = { json: 'note', go: 'Note', type: 'string' };
const UUID_FIELD: GoField = { json: 'uuid', go: 'UUID', type: 'string' };
const PARENTS: GoField = { json: 'parents', go: 'Parents', type: '[]string' };

function str(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value : '';
}

function list(value: string | string[] | undefined): string[] {
  return Array.isArray(value) ? value : [];
}

/** `{"<key>": "<value>"}` as DVID's `fmt.Fprintf(w, "{%q: %q}", ...)` writes it. */
function pairJson(key: string, value: string): Response {
  return jsonResponse(`{${goQuote(key)}: ${goQuote(value)}}`);
}

/** `dvid.StringToUUID` for an optional assigned UUID, with the handler's message. */
function assignedUuid(text: string): string | undefined {
  if (text.length === 0) return undefined;
  let problem: string | undefined;
  if (text.length !== 32) problem = 'UUID must be 32 character hexidecimal string';
  else {
    const bad = [...text].find((c) => !/[0-9a-fA-F]/.test(c));
    if (bad !== undefined) {
      const code = bad.codePointAt(0)!;
      problem = `encoding/hex: invalid byte: U+${code.toString(16).toUpperCase().padStart(4, '0')} ${goQuoteRune(bad)}`;
    }
  }
  if (problem) throw new Error(`Bad UUID provided: ${problem}`);
  return text;
}

/** Go's `%q` of a rune (as `%#U` prints it). */
function goQuoteRune(char: string): string {
  const quoted = goQuote(char);
  return `'${quoted.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

async function postCommit(state: MockDvidState, resolved: ResolvedUuid, request: RouteRequest): Promise<Response> {
  if (resolved.node.locked) throw new Error('Could not post to locked node');
  const body = unmarshalStruct(await request.request.text(), [NOTE, { json: 'log', go: 'Log', type: '[]string' }]);
  state.commit(resolved.uuid, { note: str(body.note), log: list(body.log) });
  return pairJson('committed', resolved.uuid);
}

async function readOptional(request: RouteRequest, fields: readonly GoField[]): Promise<Record<string, string | string[]>> {
  const text = await request.request.text();
  return text.length > 0 ? unmarshalStruct(text, fields) : {};
}

async function postNewVersion(state: MockDvidState, resolved: ResolvedUuid, request: RouteRequest, branching: boolean): Promise<Response> {
  const fields = branching ? [{ json: 'branch', go: 'Branch', type: 'string' } as GoField, NOTE, UUID_FIELD] : [NOTE, UUID_FIELD];
  const body = await readOptional(request, fields);
  const uuid = assignedUuid(str(body.uuid));
  const branch = str(body.branch);
  if (branching && (branch === '' || branch === 'master')) throw new Error('Cannot create a master branch');
  const child = state.newVersion(resolved.uuid, { note: str(body.note), branch, uuid }, request.path);
  return pairJson('child', child.uuid);
}

async function postTag(state: MockDvidState, resolved: ResolvedUuid, request: RouteRequest): Promise<Response> {
  const body = await readOptional(request, [{ json: 'tag', go: 'Tag', type: 'string' }, NOTE]);
  const tag = str(body.tag);
  try {
    state.tag(resolved.uuid, tag, str(body.note), request.path);
  } catch (err) {
    if (!(err instanceof Error) || err.constructor !== Error) throw err;
    // DVID writes the error, then reports its Kafka op against the tag UUID (which fails when
    // no such node exists) or else still tries to commit the tag node, appending that error.
    let second = '';
    if (!hasVersion(state, tag)) {
      second = `Error on sending branch op to kafka: UUID is not present in datastore\n (${request.path}).\n`;
    } else {
      try {
        state.commit(tag);
      } catch (commitErr) {
        second = `${(commitErr as Error).message} (${request.path}).\n`;
      }
    }
    throw goHttpError(400, `${err.message} (${request.path}).\n${second}`.replace(/\n$/, ''));
  }
  return pairJson('child', tag);
}

function hasVersion(state: MockDvidState, uuid: string): boolean {
  for (const repo of state.repos.values()) if (repo.nodes.has(uuid)) return true;
  return false;
}

function matchParents(state: MockDvidState, parents: string[]): string[] {
  return parents.map((fragment) => {
    try {
      return state.resolveUuid(fragment).uuid;
    } catch (err) {
      if (err instanceof Error && err.constructor === Error) throw new Error(`can't match parent ${goQuote(fragment)}: ${err.message}`);
      throw err;
    }
  });
}

async function postMerge(state: MockDvidState, request: RouteRequest): Promise<Response> {
  const body = unmarshalStruct(await request.request.text(), [{ json: 'mergeType', go: 'MergeType', type: 'string' }, NOTE, PARENTS]);
  const fragments = list(body.parents);
  if (fragments.length < 2) throw new Error("Must specify at least two parent UUIDs using 'parents' field");
  const parents = matchParents(state, fragments);
  if (str(body.mergeType) !== 'conflict-free') throw new Error("'mergeType' must be 'conflict-free' at this time");
  return pairJson('child', state.merge(parents, str(body.note)).uuid);
}

async function postResolve(state: MockDvidState, resolved: ResolvedUuid, request: RouteRequest): Promise<Response> {
  const body = unmarshalStruct(await request.request.text(), [
    { json: 'data', go: 'Data', type: '[]dvid.InstanceName' },
    NOTE,
    PARENTS,
  ]);
  const data = list(body.data);
  if (data.length === 0) throw new Error("Must specify at least one data instance using 'data' field");
  const fragments = list(body.parents);
  if (fragments.length < 2) throw new Error("Must specify at least two parent UUIDs using 'parents' field");
  const parents = matchParents(state, fragments);
  return pairJson('child', state.resolveMerge(resolved.uuid, data, parents, str(body.note)).uuid);
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
      checkNodeWritable(resolve(request), request);
      throw notFound();
    }),
    defineRoute(context, ANY_METHOD, '/api/node/:uuid/:action', (request) => nodeAction(state, resolve(request), request)),
  ];
}
