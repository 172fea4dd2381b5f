/**
 * GET with a body is impossible in browsers (fetch and XMLHttpRequest drop or refuse it). Calls
 * that need it check {@link CAN_SEND_GET_BODY} and use a fallback where one exists (e.g. one
 * request per point), or raise a typed error saying why.
 *
 * @example
 * ```ts
 * if (!CAN_SEND_GET_BODY) useFallback();
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';
import type { SendWithBodyOptions } from './body-get-node.js';

/** False: this runtime cannot send a body with GET. */
export const CAN_SEND_GET_BODY = false;

/** Always rejects: browsers cannot send a body with GET. */
export function sendRequestWithBody(url: URL, options: SendWithBodyOptions): Promise<Response> {
  return Promise.reject(
    new DvidArgumentError(
      'body',
      `${options.method} ${url.pathname} needs a request body, which browsers cannot send with ${options.method} (DVID offers no POST form of this read)`,
    ),
  );
}
