import { describe, expect, it } from 'vitest';
import { createMockDvid } from '../../mocks/index.js';
import { DvidClient } from '../../src/index.js';

// The mock works in any runtime without a server: the client talks to it through `fetch` and,
// for DVID's GET-with-body batch reads, through `sendWithBody`.
describe('DvidClient over mock.clientOptions (no network)', () => {
  it('runs ordinary calls and GET-with-body batch reads in-process', async () => {
    const mock = createMockDvid();
    const client = new DvidClient('http://mock.dvid', { ...mock.clientOptions, user: 'tester' });
    expect(client.transport.canSendGetBody).toBe(true);
    const uuid = await client.createRepo({ alias: 'in-process' });
    const kv = await client.createKeyvalue(uuid, 'kv');
    await kv.put('a', new TextEncoder().encode('alpha'));
    await kv.put('b', new TextEncoder().encode('beta'));
    const values = await kv.getMany(['a', 'b', 'missing'], { as: 'text' });
    expect(values.get('a')).toBe('alpha');
    expect(values.get('b')).toBe('beta');
    expect(values.has('missing')).toBe(false);
  });
});
