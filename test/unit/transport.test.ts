import { describe, expect, it, vi } from 'vitest';
import { DvidBusyError, DvidHttpError, isDvidError } from '../../src/errors.js';
import { Transport, type FetchFunction } from '../../src/transport/transport.js';
import { computeBackoff, resolveRetryPolicy } from '../../src/transport/retry.js';

/** A fake fetch answering from a list of responders, recording every request. */
function fakeFetch(...responders: ((req: Request) => Response | Promise<Response>)[]) {
  const requests: Request[] = [];
  const fn: FetchFunction = async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    requests.push(req);
    const responder = responders[Math.min(requests.length - 1, responders.length - 1)];
    return responder(req);
  };
  return { fetch: fn, requests };
}

const busy = () => new Response('Server already running 1 throttled operations (max = 1)', { status: 503 });
const ok = (body = 'OK') => () => new Response(body, { status: 200 });
const fastBusy = { interval: 5, timeout: 200, warnEvery: 20 };

describe('Transport requests', () => {
  it('adds u= and app= to every request and the token as a bearer header, never in the URL', async () => {
    const f = fakeFetch(ok());
    const t = new Transport({ url: 'http://dvid.test:8000/', user: 'alice', app: 'viewer', token: 's3cret', fetch: f.fetch });
    await t.request({ path: '/api/heartbeat', attempted: 'ping' });
    const url = new URL(f.requests[0].url);
    expect(url.origin + url.pathname).toBe('http://dvid.test:8000/api/heartbeat');
    expect(url.searchParams.get('u')).toBe('alice');
    expect(url.searchParams.get('app')).toBe('viewer');
    expect(f.requests[0].url).not.toContain('s3cret');
    expect(f.requests[0].headers.get('authorization')).toBe('Bearer s3cret');
  });

  it('calls a token function before every attempt', async () => {
    const f = fakeFetch(busy, ok());
    let n = 0;
    const t = new Transport({ url: 'http://dvid.test', token: async () => `tok${++n}`, fetch: f.fetch, retry: { busy: fastBusy } });
    await t.request({ path: '/api/x', attempted: 'x' });
    expect(f.requests.map((r) => r.headers.get('authorization'))).toEqual(['Bearer tok1', 'Bearer tok2']);
  });

  it('sends admintoken only on admin requests and refuses admin calls without one', async () => {
    const f = fakeFetch(ok());
    const t = new Transport({ url: 'http://dvid.test', adminToken: 'adm', fetch: f.fetch });
    await t.request({ path: '/api/a', attempted: 'a' });
    await t.request({ path: '/api/b', attempted: 'b', admin: true });
    expect(new URL(f.requests[0].url).searchParams.has('admintoken')).toBe(false);
    expect(new URL(f.requests[1].url).searchParams.get('admintoken')).toBe('adm');
    const bare = new Transport({ url: 'http://dvid.test', fetch: f.fetch });
    expect(() => bare.buildUrl('/api/repos', {}, true)).toThrow(/admin token/);
  });

  it('rejects a relative or non-http base URL', () => {
    expect(() => new Transport({ url: 'localhost:8000' })).toThrow(/absolute DVID URL|http or https/);
    expect(() => new Transport({ url: 'ftp://x' })).toThrow(/http or https/);
  });
});

describe('DVID errors', () => {
  it('turns a 400 into a DvidHttpError with status, method, attempt and DVID body', async () => {
    const f = fakeFetch(() => new Response('invalid data instance name "nope" (/api/node/abc/nope/metadata).\n', { status: 400 }));
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch });
    const err = await t.request({ path: '/api/node/abc/nope/metadata', attempted: 'read the metadata of "nope"' }).catch((e) => e);
    expect(err).toBeInstanceOf(DvidHttpError);
    expect(isDvidError(err, 'http')).toBe(true);
    expect(err.status).toBe(400);
    expect(err.method).toBe('GET');
    expect(err.responseText).toBe('invalid data instance name "nope" (/api/node/abc/nope/metadata).');
    expect(err.message).toContain('read the metadata of "nope"');
    expect(err.message).toContain('DVID returned 400');
    expect(f.requests).toHaveLength(1);
  });

  it('never shows the bearer token or the admin token in an error', async () => {
    const f = fakeFetch(() => new Response('nope', { status: 400 }));
    const t = new Transport({ url: 'http://dvid.test', token: 'bearer-SECRET', adminToken: 'admin-SECRET', fetch: f.fetch });
    const err = await t.request({ path: '/api/repos', attempted: 'create repo', method: 'POST', admin: true }).catch((e) => e);
    expect(err).toBeInstanceOf(DvidHttpError);
    const everything = `${err.message} ${err.url} ${JSON.stringify(err)} ${err.stack}`;
    expect(everything).not.toContain('SECRET');
    expect(err.url).toContain('admintoken=REDACTED');
  });

  it('truncates huge error bodies', async () => {
    const f = fakeFetch(() => new Response('x'.repeat(100_000), { status: 500 }));
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: 0 });
    const err = await t.request({ path: '/api/x', attempted: 'x' }).catch((e) => e);
    expect(err.responseText.length).toBeLessThan(2100);
    expect(err.responseText).toMatch(/more characters\]$/);
  });

  it('wraps connection failures in DvidNetworkError after retrying idempotent requests', async () => {
    const f = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: { limit: 2, delay: () => 1 } });
    const err = await t.request({ path: '/api/x', attempted: 'x' }).catch((e) => e);
    expect(isDvidError(err, 'network')).toBe(true);
    expect(err.message).toContain('fetch failed');
    expect(f.requests).toHaveLength(3);
  });

  it('raises DvidTimeoutError when an attempt exceeds the timeout', async () => {
    const f = fakeFetch(
      (req) =>
        new Promise<Response>((_, reject) => {
          if (req.signal.aborted) reject(req.signal.reason);
          req.signal.addEventListener('abort', () => reject(req.signal.reason));
        }),
    );
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, timeout: 30, retry: 0 });
    const err = await t.request({ path: '/api/slow', attempted: 'wait' }).catch((e) => e);
    expect(isDvidError(err, 'timeout')).toBe(true);
    expect(err.timeoutMs).toBe(30);
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    const f = fakeFetch(
      (req) =>
        new Promise<Response>((_, reject) => {
          if (req.signal.aborted) reject(req.signal.reason);
          req.signal.addEventListener('abort', () => reject(req.signal.reason));
        }),
    );
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch });
    const controller = new AbortController();
    const pending = t.request({ path: '/api/slow', attempted: 'wait', signal: controller.signal });
    controller.abort(new Error('user cancelled'));
    await expect(pending).rejects.toThrow('user cancelled');
  });
});

describe('retry policy', () => {
  it('retries 503 on idempotent requests until DVID answers, calling onWait while waiting', async () => {
    const f = fakeFetch(busy, busy, busy, busy, busy, ok('done'));
    const onWait = vi.fn();
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: { busy: { ...fastBusy, warnEvery: 1, onWait } } });
    const res = await t.request({ path: '/api/x', attempted: 'x' });
    expect(await res.text()).toBe('done');
    expect(f.requests).toHaveLength(6);
    expect(onWait).toHaveBeenCalled();
    expect(onWait.mock.calls[0][0]).toMatchObject({ attempts: expect.any(Number), elapsedMs: expect.any(Number) });
  });

  it('warns on the console by default while DVID stays busy', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const f = fakeFetch(busy, busy, busy, ok());
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: { busy: { interval: 5, warnEvery: 1 } } });
    await t.request({ path: '/api/x', attempted: 'x' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('DVID has been busy'));
    warn.mockRestore();
  });

  it('raises DvidBusyError with attempts and elapsed time when the busy time bound runs out', async () => {
    const f = fakeFetch(busy);
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: { busy: { interval: 10, timeout: 60, onWait: () => undefined } } });
    const started = Date.now();
    const err = await t.request({ path: '/api/x', attempted: 'read voxels' }).catch((e) => e);
    expect(err).toBeInstanceOf(DvidBusyError);
    expect(err.attempts).toBe(f.requests.length);
    expect(err.attempts).toBeGreaterThan(2);
    expect(err.elapsedMs).toBeGreaterThanOrEqual(40);
    expect(err.elapsedMs).toBeLessThanOrEqual(Date.now() - started + 1);
    expect(err.message).toMatch(/still busy \(503\) after \d+ attempts/);
    expect(err.responseText).toContain('throttled operations');
  });

  it('never retries a non-idempotent POST, on 503 or on 500', async () => {
    const f503 = fakeFetch(busy, ok());
    const t = new Transport({ url: 'http://dvid.test', fetch: f503.fetch, retry: { busy: fastBusy } });
    const err = await t.request({ path: '/api/merge', method: 'POST', attempted: 'merge' }).catch((e) => e);
    expect(err).toBeInstanceOf(DvidBusyError);
    expect(err.attempts).toBe(1);
    expect(err.message).toContain('not idempotent');
    const f500 = fakeFetch(() => new Response('boom', { status: 500 }), ok());
    const t2 = new Transport({ url: 'http://dvid.test', fetch: f500.fetch, retry: { delay: () => 1 } });
    await expect(t2.request({ path: '/api/merge', method: 'POST', attempted: 'merge' })).rejects.toBeInstanceOf(DvidHttpError);
    expect(f500.requests).toHaveLength(1);
  });

  it('retries a POST that the SDK marks idempotent (voxel writes)', async () => {
    const f = fakeFetch(busy, ok());
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: { busy: fastBusy } });
    await t.request({ path: '/api/raw', method: 'POST', body: new Uint8Array([1, 2]), attempted: 'write', idempotent: true });
    expect(f.requests).toHaveLength(2);
    expect(new Uint8Array(await f.requests[1].arrayBuffer())).toEqual(new Uint8Array([1, 2]));
  });

  it('with busy retries disabled, the first 503 raises DvidBusyError', async () => {
    const f = fakeFetch(busy, ok());
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: { busy: false } });
    const err = await t.request({ path: '/api/x', attempted: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(DvidBusyError);
    expect(err.attempts).toBe(1);
    expect(err.message).toContain('disabled');
  });

  it('retries listed statuses with backoff up to the limit', async () => {
    const f = fakeFetch(() => new Response('bad gateway', { status: 502 }));
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: { limit: 3, delay: () => 1 } });
    const err = await t.request({ path: '/api/x', attempted: 'x' }).catch((e) => e);
    expect(err.status).toBe(502);
    expect(f.requests).toHaveLength(4);
  });

  it('lets shouldRetry force or forbid a retry', async () => {
    const f = fakeFetch(() => new Response('nope', { status: 400 }), ok());
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: { shouldRetry: ({ status }) => status === 400, delay: () => 1 } });
    await t.request({ path: '/api/x', attempted: 'x' });
    expect(f.requests).toHaveLength(2);
    const g = fakeFetch(busy, ok());
    const t2 = new Transport({ url: 'http://dvid.test', fetch: g.fetch, retry: { shouldRetry: () => false, busy: fastBusy } });
    await expect(t2.request({ path: '/api/x', attempted: 'x' })).rejects.toBeInstanceOf(DvidBusyError);
    expect(g.requests).toHaveLength(1);
  });

  it('stops retrying at the total time bound', async () => {
    const f = fakeFetch(busy);
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch, retry: { totalTimeout: 50, busy: { interval: 10, timeout: 10_000 } } });
    const started = Date.now();
    const err = await t.request({ path: '/api/x', attempted: 'x' }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(isDvidError(err, 'busy') || isDvidError(err, 'timeout')).toBe(true);
  });

  it('computes ky-style exponential backoff, capped and jittered', () => {
    const policy = resolveRetryPolicy({ backoffLimit: 1000 });
    expect([1, 2, 3, 4].map((n) => computeBackoff(policy, n))).toEqual([300, 600, 1000, 1000]);
    const jittered = resolveRetryPolicy({ jitter: true });
    for (let i = 0; i < 20; i++) {
      const d = computeBackoff(jittered, 2);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(600);
    }
    expect(resolveRetryPolicy(5).limit).toBe(5);
    expect(resolveRetryPolicy({ busy: false }).busy.timeout).toBe(0);
    expect(resolveRetryPolicy().methods).not.toContain('post');
  });
});

describe('GET with a body (Node and Deno)', () => {
  it('sends the body with node:http and returns a standard Response', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ method: req.method, body, url: req.url })));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const t = new Transport({ url: `http://127.0.0.1:${port}`, user: 'bob' });
      expect(t.canSendGetBody).toBe(true);
      const echoed = await t.requestJson<{ method: string; body: string; url: string }>({
        path: '/api/node/abc/seg/labels',
        body: '[[1,2,3]]',
        attempted: 'read labels',
      });
      expect(echoed).toEqual({ method: 'GET', body: '[[1,2,3]]', url: '/api/node/abc/seg/labels?u=bob' });
    } finally {
      server.close();
    }
  });

  it('parses 64-bit integers exactly when asked', async () => {
    const f = fakeFetch(() => new Response('{"label": 18446744073709551615, "small": 5}'));
    const t = new Transport({ url: 'http://dvid.test', fetch: f.fetch });
    expect(await t.requestJson({ path: '/x', attempted: 'x', bigints: 'unsafe' })).toEqual({ label: 18446744073709551615n, small: 5 });
    expect(await t.requestJson({ path: '/x', attempted: 'x', bigints: 'all' })).toEqual({ label: 18446744073709551615n, small: 5n });
  });
});
