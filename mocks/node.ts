/**
 * Serves a mock DVID over real HTTP with `node:http` (Node, and Deno's Node compatibility):
 * each request becomes a WHATWG Request, runs through the mock's handlers, and the Response
 * is written back (binary bodies streamed, HEAD without a body). Tests, the quickstart and
 * browsers can then talk to it exactly as to a DVID server.
 *
 * @example
 * ```ts
 * const server = await startMockDvid();
 * const client = new DvidClient(server.url);
 * await server.close();
 * ```
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockDvid, type MockDvid, type MockDvidOptions } from './mock-dvid.js';
import { forgetGetBody, GET_BODY_HEADER, rememberGetBody } from './datatypes/common.js';

/**
 * Options of {@link startMockDvid}.
 *
 * @example
 * ```ts
 * await startMockDvid({ port: 0, host: '127.0.0.1', corsOrigins: '*' })
 * ```
 */
export interface StartMockDvidOptions extends MockDvidOptions {
  /**
   * Port to listen on; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * Address to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
}

/**
 * A running mock DVID server.
 *
 * @example
 * ```ts
 * const { url, mock, close } = await startMockDvid();
 * ```
 */
export interface RunningMockDvid {
  /** Base URL, e.g. `http://127.0.0.1:43117`. */
  url: string;
  port: number;
  /** The mock behind the server (state, setBusy, reset, handlers). */
  mock: MockDvid;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

function toHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

async function readBody(message: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return chunks.length ? new Uint8Array(Buffer.concat(chunks)) : undefined;
}

async function toRequest(message: IncomingMessage, fallbackHost: string): Promise<Request> {
  const method = (message.method ?? 'GET').toUpperCase();
  const url = `http://${message.headers.host ?? fallbackHost}${message.url ?? '/'}`;
  const body = await readBody(message);
  const headers = toHeaders(message);
  headers.delete(GET_BODY_HEADER);
  if (method === 'GET' || method === 'HEAD') {
    // DVID reads GET bodies (batch queries); a WHATWG Request cannot carry one.
    if (body) headers.set(GET_BODY_HEADER, rememberGetBody(body));
    return new Request(url, { method, headers });
  }
  return new Request(url, { method, headers, body: body as Uint8Array<ArrayBuffer> | undefined });
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => res.once('drain', resolve));
}

async function writeResponse(response: Response, res: ServerResponse, head: boolean): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (head || !response.body) {
    await response.body?.cancel();
    res.end();
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await waitForDrain(res);
  }
  res.end();
}

async function handle(mock: MockDvid, message: IncomingMessage, res: ServerResponse, fallbackHost: string): Promise<void> {
  try {
    const request = await toRequest(message, fallbackHost);
    const bodyId = request.headers.get(GET_BODY_HEADER);
    try {
      const response = await mock.fetch(request);
      await writeResponse(response, res, request.method === 'HEAD');
    } finally {
      if (bodyId !== null) forgetGetBody(bodyId);
    }
  } catch (err) {
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`dvid-ts mock: ${(err as Error).message}\n`);
    } else {
      res.destroy(err as Error);
    }
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts a mock DVID on `127.0.0.1` and a free port.
 *
 * @example
 * ```ts
 * const { url, close } = await startMockDvid({ corsOrigins: ['http://localhost:5173'] });
 * await fetch(`${url}/api/heartbeat`); // "OK"
 * await close();
 * ```
 */
export async function startMockDvid(options: StartMockDvidOptions = {}): Promise<RunningMockDvid> {
  const { port = 0, host = '127.0.0.1', ...mockOptions } = options;
  const mock = createMockDvid(mockOptions);
  let fallbackHost = host;
  const server = createServer((message, res) => {
    void handle(mock, message, res, fallbackHost);
  });
  const address = await listen(server, port, host);
  fallbackHost = `${host}:${address.port}`;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    mock,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
