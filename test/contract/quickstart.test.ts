import { expect, it } from 'vitest';
import { quickstart } from '../../examples/quickstart.js';
import { describeServer, newClient, server } from './support.js';

describeServer(`the seed quickstart (${server.kind})`, () => {
  it('runs verbatim: rgba8blk volume, unaligned write by selection and by write(), read back both ways', async () => {
    const lines = await quickstart(newClient(), () => undefined);
    expect(lines[0]).toMatch(/^repos on the server: \d+$/);
    expect(lines[1]).toBe('cxyz uint8 [0,0,0,0] [4,0,0,0]');
    expect(lines[2]).toBe('read back [4,100,100,100] by selection and by read(): all ones');
    // The unaligned write stored the enclosing 32³-aligned box, so the extents are block-aligned.
    expect(lines[3]).toBe('cxyz uint8 [0,0,0,0] [4,128,128,160]');
  });
});
