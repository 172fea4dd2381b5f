import { describe, expect, it } from 'vitest';
import { createMockDvid } from '../../mocks/index.js';
import {
  DecodeError,
  DvidArgumentError,
  DvidClient,
  checkKey,
  checkWritableKey,
  decodeKeyValues,
  encodeKeyValues,
  encodeKeys,
  type FetchFunction,
} from '../../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);

/** A client on an in-memory mock that records every request, optionally acting like a browser. */
async function setup(browser = false) {
  const mock = createMockDvid();
  const seen: string[] = [];
  const fetch: FetchFunction = (input, init) => {
    const req = new Request(input as RequestInfo, init);
    seen.push(`${req.method} ${new URL(req.url).pathname}`);
    return mock.fetch(req);
  };
  const client = new DvidClient('http://mock.dvid', { fetch });
  if (browser) Object.defineProperty(client.transport, 'canSendGetBody', { get: () => false });
  const uuid = await client.createRepo({ alias: 'unit' });
  const kv = await client.createKeyvalue(uuid, 'kv');
  seen.length = 0;
  return { client, kv, seen };
}

describe('keyvalue protobuf forms', () => {
  it('encodes and decodes DVID KeyValues byte for byte', () => {
    // Bytes DVID v1.0.0 sent for keys a → "hello", j → '{"x":1}' (GET keyrangevalues).
    const dvid = '0a0a0a0161120568656c6c6f0a0c0a016a12077b2278223a317d';
    expect(hex(encodeKeyValues([['a', utf8('hello')], ['j', utf8('{"x":1}')]]))).toBe(dvid);
    expect(decodeKeyValues(Buffer.from(dvid, 'hex')).map(([k, v]) => [k, new TextDecoder().decode(v)])).toEqual([
      ['a', 'hello'],
      ['j', '{"x":1}'],
    ]);
    expect(hex(encodeKeys(['a', 'b']))).toBe('0a01610a0162');
    expect(decodeKeyValues(new Uint8Array(0))).toEqual([]);
  });

  it('reports undecodable protobuf as a DecodeError', () => {
    expect(() => decodeKeyValues(new Uint8Array([0x0a, 0x05, 0x01]))).toThrow(DecodeError);
  });
});

describe('keyvalue keys', () => {
  it('accepts any non-empty key without "/" and refuses the rest', () => {
    for (const ok of ['a', 'a b', 'é', '?#', '..a', 'a.']) expect(checkKey(ok)).toBe(ok);
    for (const bad of ['', 'a/b', '/', '.', '..', 5, null]) expect(() => checkKey(bad)).toThrow(DvidArgumentError);
    expect(() => checkWritableKey('50%')).toThrow(/Printf/);
    expect(checkWritableKey('50 percent')).toBe('50 percent');
  });
});

describe('keyvalue calls', () => {
  it('reads many keys one by one where GET cannot carry a body, or refuses when asked to', async () => {
    const { kv, seen } = await setup(true);
    await kv.putMany({ a: '1', b: '2' });
    seen.length = 0;
    const got = await kv.getMany(['a', 'missing', 'b'], { as: 'text' });
    expect([...got]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(seen.sort()).toEqual(['GET /api/node/' + kv.uuid + '/kv/key/a', 'GET /api/node/' + kv.uuid + '/kv/key/b', 'GET /api/node/' + kv.uuid + '/kv/key/missing'].sort());
    seen.length = 0;
    await expect(kv.getMany(['a'], { fallback: 'error' })).rejects.toThrow(/browser/);
    expect(seen).toEqual([]);
  });

  it('sends a Range header and returns a 206 body as is', async () => {
    let range: string | null = null;
    const client = new DvidClient('http://dvid.test', {
      fetch: async (input, init) => {
        range = new Request(input as RequestInfo, init).headers.get('range');
        return new Response('cde', { status: 206, headers: { 'Content-Range': 'bytes 2-4/10' } });
      },
    });
    const bytes = await client.keyvalue('abc', 'kv').get('k', { range: { start: 2, end: 4 } });
    expect(range).toBe('bytes=2-4');
    expect(new TextDecoder().decode(bytes)).toBe('cde');
    await expect(client.keyvalue('abc', 'kv').get('k', { range: { start: 4, end: 2 } })).rejects.toBeInstanceOf(DvidArgumentError);
    await expect(client.keyvalue('abc', 'kv').get('k', { range: { suffix: 0 } })).rejects.toBeInstanceOf(DvidArgumentError);
  });

  it('falls back to the protobuf range read when DVID mangles "%" in its JSON key list', async () => {
    const paths: string[] = [];
    const client = new DvidClient('http://dvid.test', {
      fetch: async (input, init) => {
        const url = new URL(new Request(input as RequestInfo, init).url);
        paths.push(url.pathname);
        if (url.pathname.endsWith('/keys')) return new Response('["a%!b(MISSING)","c"]');
        return new Response(encodeKeyValues([['a%20b', utf8('x')], ['c', utf8('y')]]) as BodyInit);
      },
    });
    expect(await client.keyvalue('abc', 'kv').keys()).toEqual(['a%20b', 'c']);
    expect(paths).toEqual(['/api/node/abc/kv/keys', '/api/node/abc/kv/keyrangevalues/%00/%FF']);
  });

  it('stores JSON with exact 64-bit integers and reads them back as bigint', async () => {
    const { kv } = await setup();
    await kv.putJson('n', { id: 2n ** 63n + 1n, small: 5 });
    expect(await kv.getText('n')).toBe('{"id":9223372036854775809,"small":5}');
    expect(await kv.getJson('n')).toEqual({ id: 2n ** 63n + 1n, small: 5 });
    expect(await kv.getJson('n', { bigints: 'all' })).toEqual({ id: 2n ** 63n + 1n, small: 5n });
    await kv.put('bad', '{not json');
    await expect(kv.getJson('bad')).rejects.toBeInstanceOf(DecodeError);
  });
});
