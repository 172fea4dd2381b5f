/**
 * CORS as DVID v1.0.0 configures it from `[server] corsDomains`:
 *
 * - no origins: no CORS headers at all;
 * - `'*'` (or a list containing `"*"`): every response gets `Access-Control-Allow-Origin: *`,
 *   and preflights are not answered (OPTIONS reaches the handlers);
 * - a list of origins: `rs/cors` v1.8.2 with methods GET, POST, DELETE, HEAD and its default
 *   allowed headers (Origin, Accept, Content-Type, X-Requested-With). Preflights get 204, with
 *   the allow headers only when origin, method and headers are all allowed; actual responses
 *   get `Vary: Origin`, plus the echoed origin when allowed.
 *
 * @example
 * ```ts
 * const cors = createCorsPolicy(['http://localhost:5173']);
 * cors.preflight(new Request('http://h/api/heartbeat', { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET' } }));
 * // 204 with Access-Control-Allow-Origin: http://localhost:5173, Access-Control-Allow-Methods: GET
 * ```
 * @module
 */

/**
 * Which origins may call the mock from a browser.
 *
 * @example
 * ```ts
 * const origins: CorsOrigins = ['http://localhost:5173'];
 * ```
 */
export type CorsOrigins = readonly string[] | '*';

/**
 * Applies a CORS configuration to requests and responses.
 *
 * @example
 * ```ts
 * const response = policy.preflight(request) ?? policy.decorate(request, await handle(request));
 * ```
 */
export interface CorsPolicy {
  /** The answer to a preflight request, or undefined when the request is not one DVID answers. */
  preflight(request: Request): Response | undefined;
  /** Adds the headers DVID adds to an actual (non-preflight) response. */
  decorate(request: Request, response: Response): Response;
}

const ALLOWED_METHODS = ['GET', 'POST', 'DELETE', 'HEAD'];
const ALLOWED_HEADERS = ['Origin', 'Accept', 'Content-Type', 'X-Requested-With'];

/**
 * rs/cors `parseHeaderList`: splits on spaces and commas, keeps `[A-Za-z0-9._-]`, and
 * canonicalizes case (first letter and letters after `-`/`_` upper, the rest lower).
 *
 * @example
 * ```ts
 * parseHeaderList('content-type, x-foo') // ['Content-Type', 'X-Foo']
 * ```
 */
export function parseHeaderList(list: string): string[] {
  const headers: string[] = [];
  let current = '';
  let upper = true;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (/[a-z]/.test(c)) current += upper ? c.toUpperCase() : c;
    else if (/[A-Z]/.test(c)) current += upper ? c : c.toLowerCase();
    else if (/[-_.0-9]/.test(c)) current += c;
    if (c === ' ' || c === ',' || i === list.length - 1) {
      if (current) headers.push(current);
      current = '';
      upper = true;
    } else {
      upper = c === '-' || c === '_';
    }
  }
  return headers;
}

function withHeaders(response: Response, edit: (headers: Headers) => void): Response {
  const headers = new Headers(response.headers);
  edit(headers);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function matchesOrigin(allowed: string, origin: string): boolean {
  const star = allowed.indexOf('*');
  if (star < 0) return allowed === origin;
  const prefix = allowed.slice(0, star);
  const suffix = allowed.slice(star + 1);
  return origin.length >= prefix.length + suffix.length && origin.startsWith(prefix) && origin.endsWith(suffix);
}

function listPolicy(origins: readonly string[]): CorsPolicy {
  const allowed = origins.map((o) => o.toLowerCase());
  const originAllowed = (origin: string) => allowed.some((a) => matchesOrigin(a, origin.toLowerCase()));
  const methodAllowed = (method: string) => method.toUpperCase() === 'OPTIONS' || ALLOWED_METHODS.includes(method.toUpperCase());
  return {
    preflight(request) {
      const requestedMethod = request.headers.get('Access-Control-Request-Method');
      if (request.method !== 'OPTIONS' || !requestedMethod) return undefined;
      const headers = new Headers();
      headers.append('Vary', 'Origin');
      headers.append('Vary', 'Access-Control-Request-Method');
      headers.append('Vary', 'Access-Control-Request-Headers');
      const origin = request.headers.get('Origin') ?? '';
      const requested = parseHeaderList(request.headers.get('Access-Control-Request-Headers') ?? '');
      const headersAllowed = requested.every((h) => ALLOWED_HEADERS.includes(h));
      if (origin && originAllowed(origin) && methodAllowed(requestedMethod) && headersAllowed) {
        headers.set('Access-Control-Allow-Origin', origin);
        headers.set('Access-Control-Allow-Methods', requestedMethod.toUpperCase());
        if (requested.length > 0) headers.set('Access-Control-Allow-Headers', requested.join(', '));
      }
      return new Response(null, { status: 204, headers });
    },
    decorate(request, response) {
      return withHeaders(response, (headers) => {
        headers.append('Vary', 'Origin');
        const origin = request.headers.get('Origin') ?? '';
        if (origin && originAllowed(origin) && methodAllowed(request.method)) {
          headers.set('Access-Control-Allow-Origin', origin);
        }
      });
    },
  };
}

const NO_CORS: CorsPolicy = {
  preflight: () => undefined,
  decorate: (_request, response) => response,
};

const WILDCARD: CorsPolicy = {
  preflight: () => undefined,
  decorate: (_request, response) => withHeaders(response, (headers) => headers.append('Access-Control-Allow-Origin', '*')),
};

/**
 * Builds the CORS behaviour DVID has for a `corsDomains` setting.
 *
 * @example
 * ```ts
 * createCorsPolicy('*').decorate(request, response).headers.get('Access-Control-Allow-Origin') // '*'
 * ```
 */
export function createCorsPolicy(origins: CorsOrigins | undefined): CorsPolicy {
  if (origins === undefined || origins.length === 0) return NO_CORS;
  if (origins === '*' || origins.includes('*')) return WILDCARD;
  return listPolicy(origins);
}
