/**
 * Responses shaped like DVID's Go server writes them: `http.Error` bodies (text plus newline,
 * `text/plain; charset=utf-8`, `nosniff`), DVID's `BadRequest` format `"<message> (<path>).\n"`,
 * goji's `404 page not found`, and the content types each endpoint sets.
 *
 * Handlers throw a {@link DvidFailure} (a ready response) or a plain `Error` (its message
 * becomes a 400 in DVID's `BadRequest` format); the router turns either into a Response.
 *
 * @example
 * ```ts
 * throw badRequest('/api/repo/abc/info', 'could not find UUID with partial match to abc');
 * // 400, body 'could not find UUID with partial match to abc (/api/repo/abc/info).\n'
 * ```
 * @module
 */

/**
 * Content type Go's `http.Error` sets.
 *
 * @example
 * ```ts
 * response.headers.get('Content-Type') === ERROR_CONTENT_TYPE
 * ```
 */
export const ERROR_CONTENT_TYPE = 'text/plain; charset=utf-8';

/**
 * A complete error response a handler throws to end the request.
 *
 * @example
 * ```ts
 * throw new DvidFailure(503, 'DVID server is unavailable.\n');
 * ```
 */
export class DvidFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string> = { 'Content-Type': ERROR_CONTENT_TYPE, 'X-Content-Type-Options': 'nosniff' },
  ) {
    super(body.trim());
    this.name = 'DvidFailure';
  }

  /** The response this failure stands for. */
  toResponse(): Response {
    return bodyResponse(this.body, this.status, this.headers);
  }
}

/**
 * Stands for a Go runtime panic in DVID (e.g. an index out of range on odd instance settings);
 * the router answers it like DVID's `recoverHandler`, with a 500.
 *
 * @example
 * ```ts
 * throw new GoPanic('runtime error: index out of range [2] with length 2');
 * ```
 */
export class GoPanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoPanic';
  }
}

let panicCount = 0;

/**
 * The 500 DVID's `recoverHandler` writes after a panic.
 *
 * @example
 * ```ts
 * panicResponse(new GoPanic('runtime error: integer divide by zero'), '/api/node/u/g/metadata').status // 500
 * ```
 */
export function panicResponse(error: unknown, path: string): DvidFailure {
  panicCount += 1;
  const detail = error instanceof Error ? error.message : String(error);
  const requestId = `dvid-ts-mock/${String(panicCount).padStart(6, '0')}`;
  return goHttpError(500, `Panic detected on request ${requestId}:\n${detail}\nIP: 127.0.0.1, URL: ${path}\n`);
}

/**
 * Go's `http.Error(w, message, status)`: the message plus a newline.
 *
 * @example
 * ```ts
 * goHttpError(404, '404 page not found').body // '404 page not found\n'
 * ```
 */
export function goHttpError(status: number, message: string): DvidFailure {
  return new DvidFailure(status, `${message}\n`);
}

/**
 * DVID's `server.BadRequest`: 400 with `"<message> (<path>).\n"`.
 *
 * @example
 * ```ts
 * badRequest('/api/repos', 'UUID already exists in datastore').body // 'UUID already exists in datastore (/api/repos).\n'
 * ```
 */
export function badRequest(path: string, message: string): DvidFailure {
  return goHttpError(400, `${message} (${path}).`);
}

/**
 * The 404 goji and Go's file server answer for unknown routes.
 *
 * @example
 * ```ts
 * notFound().status // 404
 * ```
 */
export function notFound(): DvidFailure {
  return goHttpError(404, '404 page not found');
}

/**
 * A body with an explicit `Content-Length`, like Go writes for small responses.
 *
 * @example
 * ```ts
 * bodyResponse('OK', 200, { 'Content-Type': 'text/plain' })
 * ```
 */
export function bodyResponse(body: string | Uint8Array, status = 200, headers: Record<string, string> = {}): Response {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const all = new Headers(headers);
  all.set('Content-Length', String(bytes.byteLength));
  return new Response(status === 204 || status === 304 ? null : (bytes as Uint8Array<ArrayBuffer>), { status, headers: all });
}

/**
 * A text body with the given content type (DVID uses bare `text/plain` for its own text).
 *
 * @example
 * ```ts
 * textResponse('OK')
 * ```
 */
export function textResponse(text: string, contentType = 'text/plain', status = 200): Response {
  return bodyResponse(text, status, { 'Content-Type': contentType });
}

/**
 * A JSON body already serialized (see `goJson`), `application/json` unless told otherwise.
 *
 * @example
 * ```ts
 * jsonResponse('{"root": "abc"}')
 * ```
 */
export function jsonResponse(json: string, contentType = 'application/json'): Response {
  return bodyResponse(json, 200, { 'Content-Type': contentType });
}

/**
 * A 200 with an empty body and no content type, as DVID answers most POSTs.
 *
 * @example
 * ```ts
 * emptyResponse()
 * ```
 */
export function emptyResponse(headers: Record<string, string> = {}): Response {
  return bodyResponse('', 200, headers);
}

/**
 * Binary voxel data as `application/octet-stream`.
 *
 * @example
 * ```ts
 * bytesResponse(new Uint8Array(8))
 * ```
 */
export function bytesResponse(bytes: Uint8Array): Response {
  return bodyResponse(bytes, 200, { 'Content-Type': 'application/octet-stream' });
}

/**
 * An answer the mock gives for DVID features it does not emulate: 501 with an explanation,
 * never mistaken for a DVID answer.
 *
 * @example
 * ```ts
 * throw notEmulated('/api/node/abc/gray/arb/...', 'GET arb');
 * ```
 */
export function notEmulated(path: string, what: string): DvidFailure {
  return goHttpError(501, `dvid-ts mock: ${what} is not emulated (${path}). See docs/mock.md.`);
}
