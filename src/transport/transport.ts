/**
 * The transport: one place where requests to DVID are built, sent (through ky, over any
 * `fetch`), retried by the {@link RetryPolicy}, and turned into typed errors.
 *
 * It adds DVID's `u=` and `app=` to every request, the bearer token as an `Authorization`
 * header (never in the URL), and `admintoken=` only to requests that need admin rights.
 * URLs in errors are redacted.
 *
 * @example
 * ```ts
 * const transport = new Transport({ url: 'http://127.0.0.1:8000', user: 'alice', app: 'viewer' });
 * const res = await transport.request({ path: '/api/server/info', attempted: 'read server info' });
 * ```
 * @module
 */
import { CAN_SEND_GET_BODY, sendRequestWithBody } from '#body-get';
import ky from 'ky';
import {
  DecodeError,
  DvidArgumentError,
  DvidBusyError,
  DvidHttpError,
  DvidNetworkError,
  DvidTimeoutError,
  SchemaValidationError,
  redactUrl,
  type SchemaIssue,
} from '../errors.js';
import {
  computeBackoff,
  computeBusyDelay,
  resolveRetryPolicy,
  sleep,
  type RetryOptions,
  type RetryPolicy,
  type RetryState,
} from './retry.js';
import { parseJsonWithBigInts, type BigIntMode } from './json.js';

/** A bearer token, or a function that returns one (called before every attempt). */
export type TokenSource = string | (() => string | Promise<string>);

/** A fetch implementation: the platform's, undici's, a mock's. */
export type FetchFunction = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Sends a request whose body travels with GET (which fetch refuses). The default is
 * `node:http` in Node and Deno and a typed error in browsers; a mock or a proxy can supply its own.
 */
export type SendWithBodyFunction = (
  url: URL,
  init: { method: string; headers?: Record<string, string>; body: string | Uint8Array; signal?: AbortSignal },
) => Promise<Response>;

/** Options shared by the client and the transport. */
export interface TransportOptions {
  /** DVID's base URL, e.g. `http://127.0.0.1:8000`. */
  url: string;
  /** Sent as DVID's `u=` on every request. */
  user?: string;
  /** Sent as DVID's `app=` on every request. */
  app?: string;
  /** Bearer token, or an async function returning one. Sent as `Authorization: Bearer`. */
  token?: TokenSource;
  /** DVID's admin token (`DVID_ADMIN_TOKEN` on the server), sent as `admintoken=` on admin calls. */
  adminToken?: string;
  /**
   * Per-attempt timeout in milliseconds, or `false`.
   * @default 120000
   */
  timeout?: number | false;
  /** Retry policy; a number sets `limit`. */
  retry?: number | RetryOptions;
  /** Aborts every request made through this transport. */
  signal?: AbortSignal;
  /** A fetch implementation. @default globalThis.fetch */
  fetch?: FetchFunction;
  /**
   * How to send GET requests with a body (DVID's batch reads). Give it together with `fetch`
   * when `fetch` does not reach the network, e.g. `mock.sendWithBody` of `dvid-ts/mock`.
   * @default node:http in Node and Deno; browsers get a typed error or a per-item fallback
   */
  sendWithBody?: SendWithBodyFunction;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/** Query values; `undefined` and `null` are left out, booleans become `true`/`false`. */
export type QueryValues = Record<string, string | number | boolean | undefined | null>;

/** One request. */
export interface RequestOptions {
  /** @default 'GET' */
  method?: string;
  /** Path below the base URL, starting with `/api/`. */
  path: string;
  query?: QueryValues;
  body?: BodyInit | Uint8Array | null;
  headers?: Record<string, string>;
  /** What the SDK is attempting, for error messages: e.g. `read voxels from "grayscale"`. */
  attempted: string;
  /**
   * True when repeating the request is harmless (voxel reads and writes), so it is retried
   * whatever its method; false forbids retries. Default: by method, per the policy.
   */
  idempotent?: boolean;
  /** Add `admintoken=` (needs the client's `adminToken`). */
  admin?: boolean;
  /** Statuses that count as success. @default 200–299 */
  okStatuses?: number[];
  signal?: AbortSignal;
  timeout?: number | false;
  retry?: number | RetryOptions;
}

/** A validator for JSON responses: returns the issues found, or an empty list. */
export type JsonValidator = (data: unknown) => SchemaIssue[];

/** Options for {@link Transport.requestJson}. */
export interface JsonRequestOptions extends RequestOptions {
  /** Schema name and validator; skipped when the client was made with `validate: false`. */
  schema?: { name: string; validate: JsonValidator };
  /** Parse integers as `bigint`: every integer (`'all'`) or those beyond 2^53 (`'unsafe'`). */
  bigints?: BigIntMode;
}

const DEFAULT_TIMEOUT = 120_000;

/**
 * Sends requests to one DVID server. Thread the client's options in once; every request goes
 * through {@link Transport.request}.
 *
 * @example
 * ```ts
 * const t = new Transport({ url: 'http://127.0.0.1:8000' });
 * const info = await t.requestJson({ path: '/api/server/info', attempted: 'read server info' });
 * ```
 */
export class Transport {
  readonly baseUrl: string;
  readonly validate: boolean;
  private readonly options: TransportOptions;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: FetchFunction;

  constructor(options: TransportOptions & { validate?: boolean }) {
    this.baseUrl = normalizeBaseUrl(options.url);
    this.options = options;
    this.validate = options.validate ?? true;
    this.policy = resolveRetryPolicy(options.retry);
    const fetchImpl = options.fetch ?? (globalThis.fetch as FetchFunction | undefined);
    if (!fetchImpl) throw new DvidArgumentError('fetch', 'no global fetch in this runtime; pass options.fetch');
    this.fetchImpl = (input, init) => fetchImpl(input, init);
  }

  /** True when this runtime can send a body with GET (Node, Deno; not browsers). */
  get canSendGetBody(): boolean {
    return CAN_SEND_GET_BODY || this.options.sendWithBody !== undefined;
  }

  /** True when the client was given an admin token. */
  get hasAdminToken(): boolean {
    return Boolean(this.options.adminToken);
  }

  /** The full URL for a path and query (admin token included when `admin`). Not redacted. */
  buildUrl(path: string, query?: QueryValues, admin = false): URL {
    const url = new URL(this.baseUrl + (path.startsWith('/') ? path : `/${path}`));
    const params = url.searchParams;
    if (this.options.user) params.set('u', this.options.user);
    if (this.options.app) params.set('app', this.options.app);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      params.set(key, String(value));
    }
    if (admin) {
      if (!this.options.adminToken) {
        throw new DvidArgumentError('adminToken', `this call needs DVID's admin token; pass {adminToken} to the client`);
      }
      params.set('admintoken', this.options.adminToken);
    }
    return url;
  }

  /**
   * Sends a request, retrying per the policy. Resolves with the Response (body unread) when its
   * status is OK; otherwise rejects with a {@link DvidHttpError}, {@link DvidBusyError},
   * {@link DvidNetworkError} or {@link DvidTimeoutError}. A caller's abort rejects with the
   * signal's reason.
   */
  async request(options: RequestOptions): Promise<Response> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = this.buildUrl(options.path, options.query, options.admin);
    const shownUrl = redactUrl(url);
    const ctx = { method, url: shownUrl, attempted: options.attempted };
    const policy = options.retry === undefined ? this.policy : resolveRetryPolicy(options.retry, this.policy);
    const idempotent = options.idempotent ?? policy.methods.includes(method.toLowerCase());
    const userSignal = anySignal([this.options.signal, options.signal]);
    const totalSignal = policy.totalTimeout === false ? undefined : AbortSignal.timeout(policy.totalTimeout);
    const signal = anySignal([userSignal, totalSignal]);
    const timeout = options.timeout ?? this.options.timeout ?? DEFAULT_TIMEOUT;
    const ok = options.okStatuses;
    const started = Date.now();
    let attempts = 0;
    let retries = 0;
    let firstBusy: number | undefined;
    let lastWarn = 0;

    const decide = async (state: RetryState, byPolicy: boolean): Promise<boolean> => {
      const forced = policy.shouldRetry ? await policy.shouldRetry(state) : undefined;
      return forced ?? byPolicy;
    };
    const totalLeft = (wait: number) =>
      policy.totalTimeout === false || Date.now() - started + wait < policy.totalTimeout;

    for (;;) {
      attempts += 1;
      let response: Response;
      try {
        response = await this.fetchOnce(url, method, options, timeout, signal);
      } catch (error) {
        if (userSignal?.aborted) throw userSignal.reason;
        if (totalSignal?.aborted) {
          throw new DvidTimeoutError({ ...ctx, timeoutMs: policy.totalTimeout as number });
        }
        const isTimeout = (error as Error)?.name === 'TimeoutError';
        const state: RetryState = { error, status: undefined, retryCount: retries + 1, elapsedMs: Date.now() - started, method, url: shownUrl };
        const wait = computeBackoff(policy, retries + 1);
        const byPolicy = idempotent && retries < policy.limit && (!isTimeout || policy.retryOnTimeout) && totalLeft(wait);
        if (await decide(state, byPolicy)) {
          retries += 1;
          await sleep(wait, signal);
          continue;
        }
        if (isTimeout) throw new DvidTimeoutError({ ...ctx, timeoutMs: timeout === false ? 0 : timeout });
        throw new DvidNetworkError({ ...ctx, cause: error });
      }

      const { status } = response;
      if (ok ? ok.includes(status) : response.ok) return response;

      if (status === 503) {
        const text = await readText(response);
        const now = Date.now();
        firstBusy ??= now;
        const wait = computeBusyDelay(policy);
        const within = now - firstBusy + wait <= policy.busy.timeout;
        const state: RetryState = { error: response, status, retryCount: retries + 1, elapsedMs: now - started, method, url: shownUrl };
        if (await decide(state, idempotent && within && totalLeft(wait))) {
          if (now - firstBusy - lastWarn >= policy.busy.warnEvery) {
            lastWarn = now - firstBusy;
            policy.busy.onWait({ attempts, elapsedMs: now - firstBusy, url: shownUrl });
          }
          await sleep(wait, signal);
          continue;
        }
        const reason = !idempotent
          ? 'not retried: the request is not idempotent'
          : policy.busy.timeout <= 0
            ? 'busy retries are disabled'
            : !within
              ? `busy retry time bound of ${policy.busy.timeout} ms reached`
              : 'retry stopped by the policy';
        throw new DvidBusyError({ ...ctx, attempts, elapsedMs: now - started, responseText: text, reason });
      }

      const wait = computeBackoff(policy, retries + 1);
      const state: RetryState = { error: response, status, retryCount: retries + 1, elapsedMs: Date.now() - started, method, url: shownUrl };
      const byPolicy = idempotent && retries < policy.limit && policy.statusCodes.includes(status) && totalLeft(wait);
      if (await decide(state, byPolicy)) {
        await response.body?.cancel().catch(() => undefined);
        retries += 1;
        await sleep(wait, signal);
        continue;
      }
      throw new DvidHttpError({ ...ctx, status, statusText: response.statusText, responseText: await readText(response) });
    }
  }

  /** Sends a request and returns its body as text. */
  async requestText(options: RequestOptions): Promise<string> {
    return (await this.request(options)).text();
  }

  /** Sends a request and returns its body as bytes (one buffer, no further copy). */
  async requestBytes(options: RequestOptions): Promise<Uint8Array> {
    return new Uint8Array(await (await this.request(options)).arrayBuffer());
  }

  /**
   * Sends a request and parses its JSON body, validating it against `schema` unless the client
   * turned validation off. Unparseable JSON raises a {@link DecodeError}; a schema mismatch a
   * {@link SchemaValidationError}.
   */
  async requestJson<T = unknown>(options: JsonRequestOptions): Promise<T> {
    const text = await this.requestText(options);
    let data: unknown;
    try {
      data = options.bigints ? parseJsonWithBigInts(text, options.bigints) : JSON.parse(text);
    } catch (cause) {
      throw new DecodeError('json', `While attempting to ${options.attempted}: DVID's response is not JSON: ${text.slice(0, 200)}`, { cause });
    }
    if (options.schema && this.validate) {
      const issues = options.schema.validate(data);
      if (issues.length > 0) throw new SchemaValidationError(options.schema.name, issues, `While attempting to ${options.attempted}`);
    }
    return data as T;
  }

  private async fetchOnce(
    url: URL,
    method: string,
    options: RequestOptions,
    timeout: number | false,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { ...this.options.headers, ...options.headers };
    const token = this.options.token;
    if (token !== undefined) {
      const value = typeof token === 'function' ? await token() : token;
      if (value) headers.Authorization = `Bearer ${value}`;
    }
    const body = options.body ?? undefined;
    if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
      // fetch refuses a body on GET; DVID needs it for several batch reads.
      if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
        throw new DvidArgumentError('body', `a ${method} body must be a string or a Uint8Array`);
      }
      const timeoutSignal = timeout === false ? undefined : AbortSignal.timeout(timeout);
      try {
        const send = this.options.sendWithBody ?? sendRequestWithBody;
        return await send(url, { method, headers, body, signal: anySignal([signal, timeoutSignal]) });
      } catch (error) {
        if (timeoutSignal?.aborted && !signal?.aborted) throw Object.assign(new Error('timed out'), { name: 'TimeoutError' });
        throw error;
      }
    }
    return ky(url, {
      method,
      headers,
      body: body as BodyInit | undefined,
      timeout,
      retry: 0,
      throwHttpErrors: false,
      signal,
      fetch: this.fetchImpl as typeof fetch,
    });
  }
}

/** Strips trailing slashes and checks that the URL is absolute http(s). */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DvidArgumentError('url', `expected an absolute DVID URL like http://127.0.0.1:8000, got ${JSON.stringify(redactUrl(url))}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DvidArgumentError('url', `expected an http or https URL, got ${JSON.stringify(redactUrl(url))}`);
  }
  return parsed.toString().replace(/\/+$/, '');
}

async function readText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}

/** Combines signals; undefined when none is given. */
export function anySignal(signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
