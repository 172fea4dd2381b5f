/**
 * `createMockDvid`: one in-memory DVID with its MSW handlers and a fetch function over them.
 *
 * @example
 * ```ts
 * import { createMockDvid } from 'dvid-ts/mock';
 * const mock = createMockDvid();
 * const client = new DvidClient('http://mock.dvid', { fetch: mock.fetch });
 * ```
 * @module
 */
import type { HttpHandler } from 'msw';
import { createCorsPolicy, type CorsOrigins } from './cors.js';
import { createMockFetch, type FetchFunction } from './fetch.js';
import { forgetGetBody, GET_BODY_HEADER, rememberGetBody } from './datatypes/common.js';
import { createHandlers } from './handlers/index.js';
import { notFoundResponse, type MockContext } from './router.js';
import { MockDvidState } from './state.js';

/**
 * Options of {@link createMockDvid}.
 *
 * @example
 * ```ts
 * createMockDvid({ adminToken: 'secret', corsOrigins: ['http://localhost:5173'], baseUrl: 'http://mock.dvid' })
 * ```
 */
export interface MockDvidOptions {
  /**
   * Admin token. When set, `POST /api/repos` and `POST /api/server/settings` need
   * `?admintoken=<token>` (as on DVID after v1.0.0, started with `DVID_ADMIN_TOKEN`); when
   * unset nothing is checked, as on DVID v1.0.0.
   * @default undefined
   */
  adminToken?: string;
  /**
   * Origins allowed to call the mock from a browser, like DVID's `[server] corsDomains`: a list
   * gives rs/cors behaviour with preflights; `'*'` adds `Access-Control-Allow-Origin: *`
   * everywhere and answers no preflight.
   * @default undefined (no CORS headers)
   */
  corsOrigins?: CorsOrigins;
  /**
   * Values that replace or extend `GET /api/server/info` (e.g. `{Host: 'mock:8000'}`). `Host`
   * is also used in DVID's "See API help at http://<Host>/..." messages and `Note` by
   * `/api/server/note`.
   * @default {}
   */
  serverInfo?: Record<string, string>;
  /**
   * Only requests to this origin are answered (e.g. `'http://mock.dvid'`). Without it the
   * handlers answer DVID paths on any origin, and the catch-all 404 covers every `/api/` path.
   * @default undefined
   */
  baseUrl?: string;
}

/**
 * One mock DVID.
 *
 * @example
 * ```ts
 * const mock: MockDvid = createMockDvid();
 * setupServer(...mock.handlers).listen();
 * ```
 */
export interface MockDvid {
  /** MSW handlers for `setupServer(...handlers)` (msw/node) or `setupWorker(...handlers)`. */
  readonly handlers: HttpHandler[];
  /** The in-memory server: repos, instances and voxels, for inspection or direct seeding. */
  readonly state: MockDvidState;
  /** A fetch-compatible function answering from the handlers (no interception needed). */
  readonly fetch: FetchFunction;
  /**
   * Sends a GET (or HEAD) with a body to the handlers, as DVID's batch reads need. Pass it to
   * the client with `fetch`: `new DvidClient(url, { fetch: mock.fetch, sendWithBody: mock.sendWithBody })`.
   */
  readonly sendWithBody: (
    url: URL | string,
    init: { method: string; headers?: Record<string, string>; body: string | Uint8Array; signal?: AbortSignal },
  ) => Promise<Response>;
  /** `{fetch, sendWithBody}`: spread into DvidClient options to talk to this mock. */
  readonly clientOptions: { fetch: FetchFunction; sendWithBody: MockDvid['sendWithBody'] };
  /**
   * Makes the next `count` voxel requests (3D raw/isotropic GET or POST) answer 503 with
   * DVID's throttle text, whether or not they ask for `throttle=on`.
   */
  setBusy(count: number): void;
  /** Empties the server and restores default settings. */
  reset(): void;
}

/**
 * Creates an in-memory DVID.
 *
 * @example
 * ```ts
 * const mock = createMockDvid({ adminToken: 'secret' });
 * const res = await mock.fetch('http://mock.dvid/api/repos?admintoken=secret', { method: 'POST', body: '{"alias":"t"}' });
 * const { root } = await res.json();
 * ```
 */
export function createMockDvid(options: MockDvidOptions = {}): MockDvid {
  const state = new MockDvidState();
  const context: MockContext = {
    state,
    cors: createCorsPolicy(options.corsOrigins),
    adminToken: options.adminToken || undefined,
    origin: options.baseUrl === undefined ? undefined : new URL(options.baseUrl).origin,
    serverInfo: { ...options.serverInfo },
  };
  const handlers = createHandlers(context);
  const fetch = createMockFetch(handlers, (request) => notFoundResponse(context, request));
  const sendWithBody: MockDvid['sendWithBody'] = async (url, init) => {
    const bytes = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : init.body;
    const headers = new Headers(init.headers);
    const id = rememberGetBody(bytes);
    headers.set(GET_BODY_HEADER, id);
    try {
      return await fetch(String(url), { method: init.method, headers, signal: init.signal });
    } finally {
      forgetGetBody(id);
    }
  };
  return {
    handlers,
    state,
    fetch,
    sendWithBody,
    clientOptions: { fetch, sendWithBody },
    setBusy(count: number) {
      state.busyRemaining = Math.max(0, Math.floor(count));
    },
    reset() {
      state.reset();
    },
  };
}
