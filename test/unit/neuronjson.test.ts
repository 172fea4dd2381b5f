import { describe, expect, it } from 'vitest';
import { createMockDvid } from '../../mocks/index.js';
import { DvidArgumentError, DvidClient, fieldExists, matchesRegex, requireUser, type FetchFunction } from '../../src/index.js';

function recording(respond: (req: Request) => Response = () => new Response('[]')) {
  const requests: Request[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    requests.push(req);
    return respond(req);
  };
  return { fetch, requests };
}

describe('neuronjson', () => {
  it('builds query values', () => {
    expect(matchesRegex('KC.*')).toBe('re/KC.*');
    expect(fieldExists(true)).toBe('exists/1');
    expect(fieldExists(false)).toBe('exists/0');
  });

  it('requires a user for writes and names how to set it', () => {
    const anonymous = new DvidClient('http://dvid.test');
    expect(() => requireUser(anonymous.neuronjson('abc', 'nj').ctx, 'write')).toThrow(/user: '\.\.\.'/);
    expect(requireUser(new DvidClient('http://dvid.test', { user: 'al' }).neuronjson('abc', 'nj').ctx, 'write')).toBe('al');
  });

  it('sends conditional fields under both parameter names, replace, and the user', async () => {
    const f = recording(() => new Response(''));
    const nj = new DvidClient('http://dvid.test', { user: 'al', fetch: f.fetch }).neuronjson('abc', 'nj');
    await nj.put(7n, { a: 1, id: 2n ** 62n }, { conditional: ['a', 'b'], replace: true });
    const url = new URL(f.requests[0].url);
    expect(url.pathname).toBe('/api/node/abc/nj/key/7');
    expect(url.searchParams.get('conditional')).toBe('a,b');
    expect(url.searchParams.get('conditionals')).toBe('a,b');
    expect(url.searchParams.get('replace')).toBe('true');
    expect(url.searchParams.get('u')).toBe('al');
    expect(await f.requests[0].text()).toBe('{"a":1,"id":4611686018427387904}');
    await expect(nj.put(1n, { a: 1 }, { conditional: ['a,b'] })).rejects.toBeInstanceOf(DvidArgumentError);
  });

  it('queries with POST where GET cannot carry a body, and reads many bodies one by one there', async () => {
    const mock = createMockDvid();
    const client = new DvidClient('http://mock.dvid', { user: 'al', fetch: mock.fetch });
    Object.defineProperty(client.transport, 'canSendGetBody', { get: () => false });
    const uuid = await client.createRepo();
    const nj = await client.createNeuronjson(uuid, 'nj');
    await nj.put(7n, { bodyid: 7n, type: 'KC' });
    await nj.put(8n, { bodyid: 8n, type: 'PN' });
    expect(await nj.queryIds({ type: matchesRegex('K') })).toEqual([7n]);
    expect([...(await nj.getMany([8n, 9n, 7n])).keys()]).toEqual([8n, 7n]);
    await expect(nj.getMany([7n], { fallback: 'error' })).rejects.toThrow(/browser/);
  });
});
