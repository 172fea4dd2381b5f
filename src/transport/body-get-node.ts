/**
 * GET with a body, for Node and Deno. Several DVID reads take their input in the body of a GET
 * (labelmap `/labels`, `/mapping`, `/sizes`; keyvalue `/keyvalues`; labelsz `/counts`), which
 * WHATWG fetch refuses. This sends them with `node:http`/`node:https` and returns a standard
 * Response. Selected through the `#body-get` import condition (browsers get
 * `body-get-browser.ts`).
 *
 * @example
 * ```ts
 * const res = await sendRequestWithBody(new URL(`${url}/api/node/${uuid}/seg/labels`), {
 *   method: 'GET', body: '[[0,0,0],[10,10,10]]',
 * });
 * ```
 * @module
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** Options for {@link sendRequestWithBody}. */
export interface SendWithBodyOptions {
  method: string;
  headers?: Record<string, string>;
  body: string | Uint8Array;
  signal?: AbortSignal;
}

/** True: this runtime can send a body with GET. */
export const CAN_SEND_GET_BODY = true;

/** Sends one request with a body whatever its method; resolves with a WHATWG Response. */
export function sendRequestWithBody(url: URL, options: SendWithBodyOptions): Promise<Response> {
  const body = typeof options.body === 'string' ? new TextEncoder().encode(options.body) : options.body;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    const req = send(
      url,
      {
        method: options.method,
        headers: { ...options.headers, 'Content-Length': String(body.byteLength) },
        signal: options.signal,
      },
      (res) => {
        const headers = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (Array.isArray(value)) for (const v of value) headers.append(key, v);
          else if (value !== undefined) headers.set(key, value);
        }
        const status = res.statusCode ?? 0;
        const nullBody = options.method === 'HEAD' || status === 204 || status === 304;
        if (nullBody) res.resume();
        resolve(
          new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
            status,
            statusText: res.statusMessage,
            headers,
          }),
        );
      },
    );
    req.on('error', (err) => reject(options.signal?.aborted ? options.signal.reason : err));
    req.end(body);
  });
}
