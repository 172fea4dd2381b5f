import { afterAll, beforeAll, expect, it } from 'vitest';
import { DvidBusyError, type FetchFunction } from '../../src/index.js';
import { describeServer, newClient, newRepo, server, uniqueName } from './support.js';

// DVID answers 503 to a `throttle=on` request when all throttled-operation slots are taken.
// Setting the slot count to 0 makes that deterministic on the real server and on the mock.
describeServer(`503 busy with throttle=on (${server.kind})`, () => {
  const admin = newClient();
  let uuid: string;
  let name: string;
  let restore = 1;

  beforeAll(async () => {
    uuid = await newRepo(admin);
    name = uniqueName('busy');
    await admin.createInstance(uuid, name, 'uint8blk');
    const v = await admin.voxels(uuid, name);
    await v.write([0, 0, 0, 0], [1, 32, 32, 32], 1);
  });

  afterAll(async () => {
    await admin.updateServerSettings({ throttle: restore });
  });

  function counting(): { fetch: FetchFunction; statuses: number[] } {
    const statuses: number[] = [];
    return {
      statuses,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        statuses.push(res.status);
        return res;
      },
    };
  }

  it('DVID answers 503 with its throttle text when no slot is free', async () => {
    const reply = await admin.updateServerSettings({ throttle: 0 });
    restore = Number(/from (\d+)/.exec(reply)?.[1] ?? 1);
    expect(reply).toMatch(/Maximum throttled ops set to 0 from \d+/);
    const res = await fetch(`${server.url}/api/node/${uuid}/${name}/raw/0_1_2/8_8_8/0_0_0?throttle=on`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/Server already running \d+ throttled operations \(max = 0\)/);
    // Without throttle=on DVID never refuses for load.
    const plain = await fetch(`${server.url}/api/node/${uuid}/${name}/raw/0_1_2/8_8_8/0_0_0`);
    expect(plain.status).toBe(200);
  });

  it('a throttled read is retried until DVID has a free slot', async () => {
    await admin.updateServerSettings({ throttle: 0 });
    const spy = counting();
    const client = newClient({ fetch: spy.fetch, retry: { busy: { interval: 50, timeout: 20_000, onWait: () => undefined } } });
    const v = await client.voxels(uuid, name);
    const pending = v.read([0, 0, 0, 0], [1, 8, 8, 8], { throttle: true });
    await new Promise((r) => setTimeout(r, 400));
    await admin.updateServerSettings({ throttle: 1 });
    const box = await pending;
    expect(box.toTypedArray().every((x) => x === 1)).toBe(true);
    expect(spy.statuses.filter((s) => s === 503).length).toBeGreaterThan(1);
    expect(spy.statuses[spy.statuses.length - 1]).toBe(200);
  });

  it('raises DvidBusyError with attempts and elapsed time when DVID stays busy', async () => {
    await admin.updateServerSettings({ throttle: 0 });
    const client = newClient({ retry: { busy: { interval: 50, timeout: 400, onWait: () => undefined } } });
    const v = await client.voxels(uuid, name);
    const err = await v.read([0, 0, 0, 0], [1, 8, 8, 8], { throttle: true }).catch((e) => e);
    expect(err).toBeInstanceOf(DvidBusyError);
    expect(err.attempts).toBeGreaterThan(2);
    expect(err.elapsedMs).toBeGreaterThanOrEqual(300);
    expect(err.responseText).toMatch(/throttled operations/);
    await admin.updateServerSettings({ throttle: 1 });
  });
});
