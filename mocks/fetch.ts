/**
 * A `fetch`-compatible function that answers from MSW handlers with `getResponse`, without
 * intercepting anything: no service worker, no patched globals, so it works the same in Node,
 * Deno and browsers. Requests no handler answers get DVID's 404.
 *
 * @example
 * ```ts
 * const mockFetch = createMockFetch(handlers, (request) => new Response('404 page not found\n', { status: 404 }));
 * const client = new DvidClient('http://mock.dvid', { fetch: mockFetch });
 * ```
 * @module
 */
import { getResponse, type RequestHandler } from 'msw';

/**
 * The signature of `globalThis.fetch`.
 *
 * @example
 * ```ts
 * const f: FetchFunction = mock.fetch;
 * ```
 */
export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Creates the fetch function. `fallback` answers requests no handler matched.
 *
 * @example
 * ```ts
 * const response = await createMockFetch(handlers, fallback)('http://mock.dvid/api/heartbeat');
 * ```
 */
export function createMockFetch(
  handlers: readonly RequestHandler[],
  fallback: (request: Request) => Response | Promise<Response>,
): FetchFunction {
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw abortReason(request.signal);
    const response = (await getResponse([...handlers], request)) ?? (await fallback(request));
    if (request.signal.aborted) throw abortReason(request.signal);
    return response;
  };
}
