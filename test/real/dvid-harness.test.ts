/**
 * Tests of the real-DVID harness (test/support/dvid-server.ts). The server-starting tests need a
 * Go toolchain (or DVID_BIN) and are skipped without one; a cold DVID build takes ~2 minutes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dvidToml, startDvid, type DvidServer } from '../support/dvid-server';
import { freePorts } from '../support/free-port';

const haveToolchain = ((): boolean => {
  if (process.env.DVID_BIN) return true;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('dvidToml', () => {
  it('writes loopback addresses, absolute paths, both split keys and corsDomains', () => {
    const t = dvidToml({ dir: '/tmp/x', httpPort: 1234, rpcPort: 1235, corsDomains: ['http://127.0.0.1:5173'], allowSplit: true });
    expect(t).toContain('httpAddress = "127.0.0.1:1234"');
    expect(t).toContain('rpcAddress = "127.0.0.1:1235"');
    expect(t).toContain('shutdownDelay = 0');
    expect(t).toContain('noLabelmapSplit = false');
    expect(t).toContain('allowLabelmapSplit = true');
    expect(t).toContain('corsDomains = ["http://127.0.0.1:5173"]');
    expect(t).toContain('jsonstore = "/tmp/x/mutlog-json"');
    expect(t).toContain('log = "mutlog"');
    expect(t).toContain('engine = "filelog"');
    expect(dvidToml({ dir: '/d', httpPort: 1, rpcPort: 2, allowSplit: false })).not.toContain('corsDomains');
  });
});

describe('freePorts', () => {
  it('returns distinct ports', async () => {
    const ports = await freePorts(3);
    expect(new Set(ports).size).toBe(3);
  });
});

describe.skipIf(!haveToolchain)('startDvid (real DVID)', { timeout: 300_000 }, () => {
  it('starts two servers side by side, serves the API, and stop() kills exactly that pid and removes its dir', async () => {
    const servers: DvidServer[] = [];
    try {
      servers.push(await startDvid(), await startDvid({ allowSplit: false }));
      const [a, b] = servers;
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.httpPort).not.toBe(b.httpPort);
      expect(a.adminToken).toMatch(/^[0-9a-f]{32}$/);
      expect(await (await fetch(`${a.url}/api/heartbeat`)).text()).toBe('OK');

      // labelmap works (needs the filelog store that install-dvid links in)
      const repo = (await (
        await fetch(`${a.url}/api/repos`, { method: 'POST', body: '{"alias":"t","description":"t"}' })
      ).json()) as { root: string };
      const mk = await fetch(`${a.url}/api/repo/${repo.root}/instance`, {
        method: 'POST',
        body: '{"typename":"labelmap","dataname":"seg"}',
      });
      expect(mk.status).toBe(200);
      const split = await fetch(`${a.url}/api/node/${repo.root}/seg/split/1`, { method: 'POST', body: '' });
      expect(await split.text()).not.toContain('deactivated');

      // allowSplit: false
      const repoB = (await (
        await fetch(`${b.url}/api/repos`, { method: 'POST', body: '{"alias":"t","description":"t"}' })
      ).json()) as { root: string };
      await fetch(`${b.url}/api/repo/${repoB.root}/instance`, { method: 'POST', body: '{"typename":"labelmap","dataname":"seg"}' });
      const splitB = await fetch(`${b.url}/api/node/${repoB.root}/seg/split/1`, { method: 'POST', body: '' });
      expect(splitB.status).toBe(400);
      expect(await splitB.text()).toContain('Split endpoint deactivated');

      expect(a.logTail(5)).toContain('dvid.log');
      await a.stop();
      expect(alive(a.pid)).toBe(false);
      expect(existsSync(a.dir)).toBe(false);
      expect(alive(b.pid)).toBe(true);
      await a.stop(); // idempotent
    } finally {
      for (const s of servers) await s.stop();
    }
  });

  it('reports a process that dies during startup, with its output', async () => {
    await expect(startDvid({ binary: '/bin/false', readyTimeoutMs: 10_000 })).rejects.toThrow(/exited before becoming ready/);
  });

  it('honours an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled by test'));
    await expect(startDvid({ signal: ac.signal })).rejects.toThrow('cancelled by test');
  });
});
