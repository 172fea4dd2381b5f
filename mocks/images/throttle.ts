/**
 * DVID's `server.ThrottledHTTP` for the endpoints that honour `throttle=on|true`
 * (`/subvolblocks`, `/arb`, 3D `/raw`, labelmap `/blocks`): one of the server's throttle slots
 * for the duration of the request, or 503 `Server already running N throttled operations
 * (max = M)` when none is free. (The mock's `setBusy` answers apply to 3D `/raw` only, see
 * docs/mock.md: {@link takeRawThrottleSlot}.)
 *
 * @example
 * ```ts
 * const release = takeThrottleSlot(state, request.query);
 * try { ... } finally { release(); }
 * ```
 * @module
 */
import { goHttpError } from '../http.js';
import type { MockDvidState } from '../state.js';

/**
 * Takes a throttle slot when the query asks for one; returns its release (a no-op otherwise).
 *
 * @throws DvidFailure 503 with DVID's text when every slot is taken.
 * @example
 * ```ts
 * takeThrottleSlot(state, new URLSearchParams('throttle=on'))
 * ```
 */
export function takeThrottleSlot(state: MockDvidState, query: URLSearchParams): () => void {
  const throttle = query.get('throttle');
  if (throttle !== 'on' && throttle !== 'true') return () => {};
  if (state.currentThrottledOps >= state.maxThrottledOps) {
    throw goHttpError(503, `Server already running ${state.currentThrottledOps} throttled operations (max = ${state.maxThrottledOps})\n`);
  }
  state.currentThrottledOps += 1;
  let released = false;
  return () => {
    if (!released) state.currentThrottledOps -= 1;
    released = true;
  };
}

/**
 * The 3D `/raw` form (imageblk and labelmap): answers 503 while the mock is set busy
 * (`setBusy`, one answer used up per call), then {@link takeThrottleSlot}.
 *
 * @throws DvidFailure 503 with DVID's text while busy or when every slot is taken.
 * @example
 * ```ts
 * const release = takeRawThrottleSlot(state, request.query);
 * try { ... } finally { release(); }
 * ```
 */
export function takeRawThrottleSlot(state: MockDvidState, query: URLSearchParams): () => void {
  if (state.busyRemaining > 0) {
    state.busyRemaining -= 1;
    throw goHttpError(503, `Server already running ${Math.max(state.maxThrottledOps, state.currentThrottledOps)} throttled operations (max = ${state.maxThrottledOps})\n`);
  }
  return takeThrottleSlot(state, query);
}
