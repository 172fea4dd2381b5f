/**
 * Plain `OPTIONS` requests (not CORS preflights answered by rs/cors) the way goji's
 * `AutomaticOptions` middleware answers them in DVID's main mux: 200 with an `Allow` header
 * listing the methods the path's routes accept (sorted, then `OPTIONS`), empty body. Paths of
 * DVID's silent mux (`/api/heartbeat`, `/api/load`, `/api/user-latencies`) and unknown
 * actions get 404; repo and node paths resolve their UUID first (400 when unknown).
 *
 * @example
 * ```ts
 * // OPTIONS /api/repos → 200, Allow: GET, HEAD, POST, OPTIONS
 * ```
 * @module
 */
import type { HttpHandler } from 'msw';
import { ERROR_CONTENT_TYPE, bodyResponse, notFound } from '../http.js';
import { defineRoute, matchPattern, type MockContext, type RouteRequest } from '../router.js';

const READ = ['GET', 'HEAD'];
const READ_WRITE = ['GET', 'HEAD', 'POST'];
const WRITE = ['POST'];

const SERVER_ACTIONS: Record<string, string[]> = {
  info: READ,
  note: READ,
  config: READ,
  types: READ,
  'compiled-types': READ,
  groupcache: READ,
  token: READ,
  settings: WRITE,
  'reload-auth': WRITE,
  'reload-blocklist': WRITE,
};

const REPO_ACTIONS: Record<string, string[]> = {
  info: READ_WRITE,
  instance: WRITE,
  log: READ_WRITE,
  merge: WRITE,
  resolve: WRITE,
};

const NODE_ACTIONS: Record<string, string[]> = {
  note: READ_WRITE,
  log: READ_WRITE,
  commit: READ_WRITE,
  status: READ,
  branch: WRITE,
  newversion: WRITE,
  tag: WRITE,
};

const SILENT_PATHS = ['/api/load', '/api/heartbeat', '/api/user-latencies'];

function lookup(table: Record<string, string[]>, key: string): string[] {
  const methods = Object.hasOwn(table, key) ? table[key] : undefined;
  if (!methods) throw notFound();
  return methods;
}

/** The methods goji would list for a path, or a thrown 404/400 like DVID. */
function allowedMethods(context: MockContext, request: RouteRequest): string[] {
  const { path } = request;
  if (SILENT_PATHS.includes(path)) throw notFound();
  const resolve = (uuid: string) => context.state.resolveUuid(uuid);
  let params = matchPattern('/api/server/:action', path);
  if (params) return lookup(SERVER_ACTIONS, params.action);
  if ((params = matchPattern('/api/repo/:uuid', path))) {
    resolve(params.uuid);
    return ['HEAD'];
  }
  if ((params = matchPattern('/api/repo/:uuid/:action', path))) {
    resolve(params.uuid);
    return lookup(REPO_ACTIONS, params.action);
  }
  if ((params = matchPattern('/api/repo/:uuid/:action/:name', path))) {
    resolve(params.uuid);
    return lookup({ 'branch-versions': READ }, params.action);
  }
  if ((params = matchPattern('/api/node/:uuid', path))) {
    resolve(params.uuid);
    throw notFound();
  }
  if ((params = matchPattern('/api/node/:uuid/:action', path))) {
    resolve(params.uuid);
    return lookup(NODE_ACTIONS, params.action);
  }
  return path === '/api/repos' ? READ_WRITE : READ;
}

/**
 * The `OPTIONS` handler; must come after the instance routes (which answer OPTIONS
 * themselves, as DVID's datatypes do) and before the catch-all 404.
 *
 * @example
 * ```ts
 * defineAutomaticOptions(context)
 * ```
 */
export function defineAutomaticOptions(context: MockContext): HttpHandler {
  return defineRoute(context, ['OPTIONS'], '/*', (request) => {
    const methods = [...allowedMethods(context, request)].sort();
    return bodyResponse('', 200, {
      Allow: [...methods, 'OPTIONS'].join(', '),
      'Content-Type': ERROR_CONTENT_TYPE,
      'X-Content-Type-Options': 'nosniff',
    });
  });
}
