import { describe, expect, it } from 'vitest';
import { DecodeError, DvidClient, DvidTimeoutError, type FetchFunction } from '../../src/index.js';

function scripted(respond: (url: URL, req: Request) => Response) {
  const urls: URL[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    urls.push(url);
    return respond(url, req);
  };
  return { fetch, urls };
}

describe('labelsz', () => {
  it('parses counts exactly for 64-bit labels and checks the kind in the answer', async () => {
    const big = 2n ** 64n - 1n;
    const s = scripted((url) =>
      url.pathname.includes('/top/')
        ? new Response(`[{"Label":${big},"Size":4},{"Label":5,"Size":3}]`)
        : new Response(`{"Label":${big},"PreSyn":2}`),
    );
    const sizes = new DvidClient('http://dvid.test', { fetch: s.fetch }).labelsz('abc', 'lsz');
    expect(await sizes.top(2, 'AllSyn')).toEqual([
      { label: big, count: 4 },
      { label: 5n, count: 3 },
    ]);
    expect(await sizes.count(big, 'PreSyn')).toBe(2);
    await expect(sizes.count(big, 'PostSyn')).rejects.toBeInstanceOf(DecodeError);
  });

  it('asks label by label where GET cannot carry a body', async () => {
    const s = scripted((url) => {
      const [label, kind] = url.pathname.split('/').slice(-2);
      return new Response(`{"Label":${label},"${kind}":${Number(label) % 3}}`);
    });
    const client = new DvidClient('http://dvid.test', { fetch: s.fetch });
    Object.defineProperty(client.transport, 'canSendGetBody', { get: () => false });
    const sizes = client.labelsz('abc', 'lsz');
    expect(await sizes.counts([4n, 5n], 'Gap')).toEqual([
      { label: 4n, count: 1 },
      { label: 5n, count: 2 },
    ]);
    expect(s.urls.map((u) => u.pathname)).toEqual(['/api/node/abc/lsz/count/4/Gap', '/api/node/abc/lsz/count/5/Gap']);
    await expect(sizes.counts([4n], 'Gap', { fallback: 'error' })).rejects.toThrow(/browser/);
  });

  it('keeps waiting while DVID is still recounting, and gives up with a timeout', async () => {
    let n = 0;
    const s = scripted((url) => {
      n += 1;
      if (n < 3) return new Response(`stats not available for labelsz "lsz" at this time (${url.pathname}).\n`, { status: 400 });
      return new Response(`{"Label":7,"AllSyn":${n}}`);
    });
    const sizes = new DvidClient('http://dvid.test', { fetch: s.fetch }).labelsz('abc', 'lsz');
    expect(await sizes.waitForCount(7n, 'AllSyn', (c) => c >= 4, { interval: 1 })).toBe(4);
    const err = await sizes.waitForCount(7n, 'AllSyn', (c) => c < 0, { interval: 5, timeout: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DvidTimeoutError);
  });
});
