/**
 * The mock's handlers used the MSW way: `setupServer(...mock.handlers)` intercepts the global
 * fetch, so code under test needs no injected fetch.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockDvid } from '../../mocks/index.js';

describe('mock handlers with msw/node setupServer', () => {
  const mock = createMockDvid({ baseUrl: 'http://mock.dvid' });
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('answers global fetch on the mocked origin', async () => {
    const res = await fetch('http://mock.dvid/api/heartbeat');
    expect(await res.text()).toBe('OK');
    const { root } = (await (await fetch('http://mock.dvid/api/repos', { method: 'POST', body: '{"alias":"msw"}' })).json()) as {
      root: string;
    };
    await fetch(`http://mock.dvid/api/repo/${root}/instance`, {
      method: 'POST',
      body: JSON.stringify({ typename: 'uint8blk', dataname: 'gray' }),
    });
    const block = new Uint8Array(32 ** 3).fill(9);
    expect((await fetch(`http://mock.dvid/api/node/${root}/gray/raw/0_1_2/32_32_32/0_0_0`, { method: 'POST', body: block })).status).toBe(200);
    const voxels = new Uint8Array(await (await fetch(`http://mock.dvid/api/node/${root}/gray/raw/0_1_2/2_1_1/31_0_0`)).arrayBuffer());
    expect(Array.from(voxels)).toEqual([9, 0]);
  });

  it('answers unknown DVID paths on that origin with 404', async () => {
    const res = await fetch('http://mock.dvid/api/no/such/thing');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('404 page not found\n');
  });

  it('per-test overrides with server.use still work (e.g. a one-off 503)', async () => {
    const { http } = await import('msw');
    server.use(http.get('http://mock.dvid/api/server/info', () => new Response('busy', { status: 503 }), { once: true }));
    expect((await fetch('http://mock.dvid/api/server/info')).status).toBe(503);
    expect((await fetch('http://mock.dvid/api/server/info')).status).toBe(200);
  });
});
