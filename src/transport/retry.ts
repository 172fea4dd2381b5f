/**
 * The retry policy: shaped like ky's (`limit`, `methods`, `statusCodes`, backoff with jitter,
 * a total time bound, `shouldRetry`), plus pydvid's busy rule: DVID answers 503 when it is busy
 * (e.g. a `throttle=on` request finds no free slot), and idempotent requests are retried on 503
 * until a time bound, with a callback every `warnEvery` ms of waiting.
 *
 * @example
 * ```ts
 * const client = new DvidClient(url, {
 *   retry: { limit: 4, busy: { timeout: 120_000, onWait: ({ elapsedMs }) => console.log(elapsedMs) } },
 * });
 * ```
 * @module
 */

/** What a retry decision can look at. */
export interface RetryState {
  /** The failure: a Response with a retryable status, or a thrown error (network, timeout). */
  error: unknown;
  /** HTTP status when the failure is a response, else undefined. */
  status: number | undefined;
  /** 1 for the first retry. */
  retryCount: number;
  /** Milliseconds since the first attempt started. */
  elapsedMs: number;
  method: string;
  /** Redacted URL. */
  url: string;
}

/** Reported to `busy.onWait` while DVID keeps answering 503. */
export interface BusyWaitInfo {
  attempts: number;
  elapsedMs: number;
  /** Redacted URL. */
  url: string;
}

/** pydvid's rule for 503 "busy" answers. */
export interface BusyRetryOptions {
  /**
   * Keep retrying a busy idempotent request for this many milliseconds after the first 503.
   * 0 disables busy retries (the first 503 raises DvidBusyError).
   * @default 60000
   */
  timeout?: number;
  /**
   * Wait between busy retries, in milliseconds (jittered by ±10 %).
   * @default 1000
   */
  interval?: number;
  /**
   * Call `onWait` every this many milliseconds of busy waiting.
   * @default 30000
   */
  warnEvery?: number;
  /**
   * Called every `warnEvery` ms while waiting. Default: `console.warn` with the elapsed time.
   */
  onWait?: (info: BusyWaitInfo) => void;
}

/**
 * Retry policy options. Every field is optional; `retry: 0` or `retry: {limit: 0, busy: false}`
 * turns retries off.
 *
 * @example
 * ```ts
 * const retry: RetryOptions = { limit: 3, statusCodes: [500, 502, 504], jitter: true };
 * ```
 */
export interface RetryOptions {
  /**
   * Retries after network errors, timeouts and `statusCodes` (busy 503s are counted by `busy`).
   * @default 2
   */
  limit?: number;
  /**
   * Methods that are retried. POST is absent on purpose: DVID mutations are POSTs. Requests the
   * SDK knows to be idempotent (voxel writes) are retried whatever their method.
   * @default ['get', 'head', 'put', 'delete', 'options']
   */
  methods?: string[];
  /**
   * Statuses that are retried with backoff. 503 is handled by the busy rule.
   * @default [408, 413, 429, 500, 502, 504]
   */
  statusCodes?: number[];
  /**
   * Delay before retry n (1-based), in milliseconds.
   * @default (n) => 0.3 * 2 ** (n - 1) * 1000
   */
  delay?: (retryCount: number) => number;
  /**
   * Upper bound for one backoff delay, in milliseconds.
   * @default Infinity
   */
  backoffLimit?: number;
  /**
   * Jitter for backoff delays: `true` picks uniformly in [0, delay] ("full jitter"), a function
   * maps the delay to a new one.
   * @default false
   */
  jitter?: boolean | ((delay: number) => number);
  /**
   * Bound on the whole request including every retry and wait, in milliseconds.
   * @default false
   */
  totalTimeout?: number | false;
  /** Retry after a per-attempt timeout. @default false */
  retryOnTimeout?: boolean;
  /**
   * Final say: return true or false to force the decision, undefined to use the policy.
   * Consulted for every failure, busy 503s included.
   */
  shouldRetry?: (state: RetryState) => boolean | undefined | Promise<boolean | undefined>;
  /** pydvid's busy rule for 503; `false` turns it off. */
  busy?: BusyRetryOptions | false;
}

/** A RetryOptions with every field filled in. */
export interface RetryPolicy {
  limit: number;
  methods: string[];
  statusCodes: number[];
  delay: (retryCount: number) => number;
  backoffLimit: number;
  jitter: boolean | ((delay: number) => number);
  totalTimeout: number | false;
  retryOnTimeout: boolean;
  shouldRetry: RetryOptions['shouldRetry'];
  busy: Required<Omit<BusyRetryOptions, 'onWait'>> & { onWait: (info: BusyWaitInfo) => void };
}

/** Warns on the console that DVID is still busy, as pydvid did. */
export function warnBusy(info: BusyWaitInfo): void {
  console.warn(
    `dvid-ts: DVID has been busy (503) for ${(info.elapsedMs / 1000).toFixed(1)} s after ${info.attempts} attempts; still retrying ${info.url}`,
  );
}

/**
 * Fills in defaults. `retry` may be a number (the `limit`) or options.
 *
 * @example
 * ```ts
 * resolveRetryPolicy(3).limit // 3
 * resolveRetryPolicy({ busy: false }).busy.timeout // 0
 * ```
 */
export function resolveRetryPolicy(retry?: number | RetryOptions, base?: RetryPolicy): RetryPolicy {
  const options: RetryOptions = typeof retry === 'number' ? { limit: retry } : (retry ?? {});
  const busyBase = base?.busy ?? { timeout: 60_000, interval: 1000, warnEvery: 30_000, onWait: warnBusy };
  const busy =
    options.busy === false
      ? { ...busyBase, timeout: 0 }
      : { ...busyBase, ...stripUndefined(options.busy ?? {}) };
  return {
    limit: options.limit ?? base?.limit ?? 2,
    methods: (options.methods ?? base?.methods ?? ['get', 'head', 'put', 'delete', 'options']).map((m) =>
      m.toLowerCase(),
    ),
    statusCodes: options.statusCodes ?? base?.statusCodes ?? [408, 413, 429, 500, 502, 504],
    delay: options.delay ?? base?.delay ?? ((n) => 0.3 * 2 ** (n - 1) * 1000),
    backoffLimit: options.backoffLimit ?? base?.backoffLimit ?? Number.POSITIVE_INFINITY,
    jitter: options.jitter ?? base?.jitter ?? false,
    totalTimeout: options.totalTimeout ?? base?.totalTimeout ?? false,
    retryOnTimeout: options.retryOnTimeout ?? base?.retryOnTimeout ?? false,
    shouldRetry: options.shouldRetry ?? base?.shouldRetry,
    busy: busy as RetryPolicy['busy'],
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The backoff delay before retry `retryCount`, capped and jittered.
 *
 * @example
 * ```ts
 * computeBackoff(resolveRetryPolicy(), 2) // 600
 * ```
 */
export function computeBackoff(policy: RetryPolicy, retryCount: number): number {
  const raw = Math.min(policy.delay(retryCount), policy.backoffLimit);
  if (policy.jitter === true) return Math.random() * raw;
  if (typeof policy.jitter === 'function') return Math.max(0, policy.jitter(raw));
  return raw;
}

/** The wait before the next busy retry: `interval` jittered by ±10 %. */
export function computeBusyDelay(policy: RetryPolicy): number {
  const { interval } = policy.busy;
  return interval * (0.9 + Math.random() * 0.2);
}

/**
 * Resolves after `ms`, or rejects with the signal's reason when it aborts first.
 *
 * @example
 * ```ts
 * await sleep(100, controller.signal);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
