/**
 * Turns DVID routes into MSW handlers that behave like DVID's goji muxes: segment patterns
 * matched on the decoded path (`:name` is one non-empty segment, a final `*` is any rest),
 * GET routes also answering HEAD (without a body), the mock's CORS policy on every response,
 * and thrown errors turned into DVID's error responses.
 *
 * @example
 * ```ts
 * const heartbeat = defineRoute(context, ['GET'], '/api/heartbeat', () => textResponse('OK'));
 * const response = await getResponse([heartbeat], new Request('http://mock/api/heartbeat'));
 * ```
 * @module
 */
import { http, type HttpHandler } from 'msw';
import type { CorsPolicy } from './cors.js';
import { GoParseError } from './goformat.js';
import { badRequest, bodyResponse, DvidFailure, GoPanic, notEmulated, notFound, panicResponse } from './http.js';
import { NotEmulatedTypeError, type MockDvidState } from './state.js';
import { VersionConflictError } from './versioned.js';

/**
 * What every handler of one mock shares.
 *
 * @example
 * ```ts
 * const context: MockContext = { state, cors: createCorsPolicy(undefined), adminToken: undefined, origin: undefined, serverInfo: {} };
 * ```
 */
export interface MockContext {
  state: MockDvidState;
  cors: CorsPolicy;
  /** When set, admin-only requests need `?admintoken=` with this value. */
  adminToken: string | undefined;
  /** Only requests to this origin are handled; undefined handles any origin. */
  origin: string | undefined;
  /** Values that replace or extend the mock's `/api/server/info`. */
  serverInfo: Readonly<Record<string, string>>;
}

/**
 * A request as a route's resolver sees it.
 *
 * @example
 * ```ts
 * defineRoute(context, ['GET'], '/api/repo/:uuid/info', ({ params, path }) => textResponse(`${params.uuid} ${path}`))
 * ```
 */
export interface RouteRequest {
  request: Request;
  url: URL;
  /** Upper-case method. */
  method: string;
  /** The decoded URL path (Go's `r.URL.Path`), used in DVID's error messages. */
  path: string;
  /** Values of the pattern's `:name` segments; `*` holds the rest after the fixed part. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** True when the request carries the configured admin token. */
  admin: boolean;
}

/**
 * The methods the repo, node and instance routes take (goji `Handle` routes); OPTIONS is
 * added only where DVID's datatypes answer it (see `handlers/options.ts`).
 *
 * @example
 * ```ts
 * defineRoute(context, ANY_METHOD, '/api/repo/:uuid', resolve)
 * ```
 */
export const ANY_METHOD: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'TRACE'];

/**
 * Produces the response of a matched route.
 *
 * @example
 * ```ts
 * const resolve: RouteResolver = () => textResponse('OK');
 * ```
 */
export type RouteResolver = (request: RouteRequest) => Response | Promise<Response>;

/**
 * Decodes a URL path like Go's `url.URL.Path` (percent escapes decoded, `+` kept).
 *
 * @example
 * ```ts
 * decodePath('/api/node/abc/my%20data/info') // '/api/node/abc/my data/info'
 * ```
 */
export function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/**
 * Matches a decoded path against a pattern; returns the parameters or undefined.
 *
 * @example
 * ```ts
 * matchPattern('/api/repo/:uuid/info', '/api/repo/ab12/info') // { uuid: 'ab12' }
 * matchPattern('/api/node/:uuid/:name/:keyword/*', '/api/node/a/b/raw/0_1_2/1_1_1/0_0_0') // {..., '*': '0_1_2/1_1_1/0_0_0'}
 * ```
 */
export function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const have = path.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i];
    if (part === '*' && i === want.length - 1) {
      params['*'] = have.slice(i).join('/');
      return params;
    }
    const value = have[i];
    if (value === undefined) return undefined;
    if (part.startsWith(':')) {
      if (value === '') return undefined;
      params[part.slice(1)] = value;
    } else if (part !== value) return undefined;
  }
  return have.length === want.length ? params : undefined;
}

/**
 * True when the request goes to the origin the mock serves.
 *
 * @example
 * ```ts
 * inScope(context, new URL('http://mock.dvid/api/heartbeat')) // true when no origin is configured
 * ```
 */
export function inScope(context: MockContext, url: URL): boolean {
  return context.origin === undefined || url.origin === context.origin;
}

function isAdmin(context: MockContext, query: URLSearchParams): boolean {
  return context.adminToken !== undefined && context.adminToken !== '' && query.get('admintoken') === context.adminToken;
}

/**
 * Converts anything a resolver threw into DVID's answer: a {@link DvidFailure} as is, a
 * plain Error, Go parse error or version conflict as a 400 in `BadRequest` format, a not-emulated type as 501,
 * anything else (a panic in Go terms) as a 500.
 *
 * @example
 * ```ts
 * failureFor(new Error('invalid data instance name'), '/api/node/u/x/info').status // 400
 * ```
 */
export function failureFor(error: unknown, path: string): DvidFailure {
  if (error instanceof DvidFailure) return error;
  if (error instanceof NotEmulatedTypeError) return notEmulated(path, `creating an instance of ${error.message}`);
  if (error instanceof GoPanic) return panicResponse(error, path);
  if (error instanceof GoParseError || error instanceof VersionConflictError || (error instanceof Error && error.constructor === Error)) {
    return badRequest(path, error.message);
  }
  return panicResponse(error, path);
}

/**
 * Runs a resolver with DVID's common behaviour: error conversion, CORS headers, HEAD without
 * a body.
 */
async function runResolver(context: MockContext, request: RouteRequest, resolve: RouteResolver): Promise<Response> {
  let response: Response;
  try {
    response = await resolve(request);
  } catch (error) {
    response = failureFor(error, request.path).toResponse();
  }
  response = context.cors.decorate(request.request, response);
  if (request.method === 'HEAD') {
    await response.body?.cancel();
    response = new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
  return response;
}

function toRouteRequest(context: MockContext, request: Request, params: Record<string, string>): RouteRequest {
  const url = new URL(request.url);
  return {
    request,
    url,
    method: request.method.toUpperCase(),
    path: decodePath(url.pathname),
    params,
    query: url.searchParams,
    admin: isAdmin(context, url.searchParams),
  };
}

/**
 * An MSW handler for one DVID route. `methods` lists the accepted methods; `GET` also
 * accepts `HEAD`, as goji's `Get` does.
 *
 * @example
 * ```ts
 * defineRoute(context, ['GET'], '/api/server/info', () => jsonResponse('{}'))
 * ```
 */
export function defineRoute(context: MockContext, methods: readonly string[], pattern: string, resolve: RouteResolver): HttpHandler {
  const accepts = new Set(methods.includes('GET') ? [...methods, 'HEAD'] : methods);
  return http.all(
    ({ request }) => {
      if (!accepts.has(request.method.toUpperCase())) return false;
      const url = new URL(request.url);
      if (!inScope(context, url)) return false;
      const params = matchPattern(pattern, decodePath(url.pathname));
      return params ? { matches: true, params } : false;
    },
    ({ request, params }) => runResolver(context, toRouteRequest(context, request, params as Record<string, string>), resolve),
  );
}

/**
 * Go's `path.Clean` plus `net/http`'s rule of keeping a trailing slash.
 *
 * @example
 * ```ts
 * cleanPath('/api/node//info') // '/api/node/info'
 * ```
 */
export function cleanPath(path: string): string {
  if (path === '') return '/';
  const rooted = path.startsWith('/') ? path : `/${path}`;
  const out: string[] = [];
  for (const part of rooted.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  let clean = `/${out.join('/')}`;
  if (rooted.endsWith('/') && clean !== '/') clean += '/';
  return clean;
}

/**
 * The 301 Go's `ServeMux` sends for unclean paths (`//`, `/./`, `/../`), before any DVID
 * handler or CORS middleware runs.
 *
 * @example
 * ```ts
 * defineCleanPathRedirect(context) // GET /api//heartbeat → 301 Location: /api/heartbeat
 * ```
 */
export function defineCleanPathRedirect(context: MockContext): HttpHandler {
  return http.all(
    ({ request }) => {
      const url = new URL(request.url);
      if (!inScope(context, url)) return false;
      const path = decodePath(url.pathname);
      return path !== cleanPath(path);
    },
    ({ request }) => {
      const url = new URL(request.url);
      const target = `${cleanPath(decodePath(url.pathname)).split('/').map(encodeURIComponent).join('/')}${url.search}`;
      const headers: Record<string, string> = { Location: target };
      const method = request.method.toUpperCase();
      if (method === 'GET' || method === 'HEAD') headers['Content-Type'] = 'text/html; charset=utf-8';
      const body = method === 'GET' ? `<a href="${target.replace(/&/g, '&amp;').replace(/"/g, '&#34;')}">Moved Permanently</a>.\n\n` : '';
      const response = bodyResponse(body, 301, headers);
      return method === 'HEAD' ? new Response(null, { status: 301, headers: response.headers }) : response;
    },
  );
}

/**
 * Answers CORS preflights the way DVID's rs/cors middleware does (only when origins are
 * configured as a list).
 *
 * @example
 * ```ts
 * definePreflight(context) // OPTIONS with Access-Control-Request-Method → 204
 * ```
 */
export function definePreflight(context: MockContext): HttpHandler {
  return http.options(
    ({ request }) => inScope(context, new URL(request.url)) && context.cors.preflight(request) !== undefined,
    ({ request }) => context.cors.preflight(request),
  );
}

/**
 * The last handler: goji's `404 page not found` for every unmatched request in scope (with
 * no origin configured: every path under `/api/`).
 *
 * @example
 * ```ts
 * defineNotFound(context) // PUT /api/repos → 404
 * ```
 */
export function defineNotFound(context: MockContext): HttpHandler {
  return http.all(
    ({ request }) => {
      const url = new URL(request.url);
      return context.origin !== undefined ? inScope(context, url) : url.pathname.startsWith('/api/');
    },
    ({ request }) => notFoundResponse(context, request),
  );
}

/**
 * The 404 response for an unmatched request, with the CORS headers DVID would add.
 *
 * @example
 * ```ts
 * (await notFoundResponse(context, new Request('http://mock/nope'))).status // 404
 * ```
 */
export async function notFoundResponse(context: MockContext, request: Request): Promise<Response> {
  const route = toRouteRequest(context, request, {});
  return runResolver(context, route, () => {
    throw notFound();
  });
}
