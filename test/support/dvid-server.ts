/**
 * Harness for running a real, throwaway DVID server (see docs/real-dvid.md).
 *
 *   const dvid = await startDvid();          // installs DVID first if needed
 *   await fetch(`${dvid.url}/api/heartbeat`);
 *   await dvid.stop();                        // SIGTERM that pid, wait, remove its directory
 *
 * Every server gets a fresh temp directory (badger store + filelog log store + mutation JSON
 * store + log file), HTTP and RPC on 127.0.0.1 free ports and a random DVID_ADMIN_TOKEN.
 * Only processes started here are ever signalled, always by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installDvid, EXIT_TOOLCHAIN_MISSING } from '../../scripts/install-dvid.mjs';
import { freePorts } from './free-port';

export interface StartDvidOptions {
  /** DVID module version to build/use. Default: $DVID_VERSION, else scripts/dvid-version.json. */
  version?: string;
  /** Use this dvid binary instead of the cached build (also: env DVID_BIN). */
  binary?: string;
  /** `[server] corsDomains`, exact origins such as "http://127.0.0.1:5173". Omitted when empty. */
  corsDomains?: string[];
  /** Enable labelmap POST /split (v1.0.0: noLabelmapSplit=false; HEAD: allowLabelmapSplit=true). Default true. */
  allowSplit?: boolean;
  /** Aborts startup (the process is killed and its directory removed); after startup it stops the server. */
  signal?: AbortSignal;
  /** Readiness deadline for GET /api/heartbeat. Default 60 000 ms. */
  readyTimeoutMs?: number;
  /** Value for DVID_ADMIN_TOKEN. Default: 32 random hex chars. */
  adminToken?: string;
  /**
   * DVID (v1.0.0 and HEAD) also serves its whole API on ":6060" (all interfaces) for profiling
   * and silently ignores a bind failure there. While true (default) this process holds
   * 127.0.0.1:6060 so that bind fails and nothing is exposed beyond loopback. See docs/real-dvid.md.
   */
  guardProfilingPort?: boolean;
  /** Grace period after SIGTERM before SIGKILL in stop(). Default 10 000 ms. */
  stopGraceMs?: number;
}

export interface DvidServer {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash) */
  url: string;
  httpPort: number;
  rpcPort: number;
  adminToken: string;
  pid: number;
  /** the server's temp directory (config.toml, badger-db/, filelog/, mutlog-json/, dvid.log, stdout.log) */
  dir: string;
  binary: string;
  /** false when 127.0.0.1:6060 could not be held (someone else owns :6060) or the guard was disabled */
  profilingPortGuarded: boolean;
  /** Stops exactly this process (SIGTERM, then SIGKILL after the grace period) and removes `dir`. Idempotent. */
  stop(): Promise<void>;
  /** Last `lines` lines (default 40) of dvid.log and of the process's stdout/stderr. */
  logTail(lines?: number): string;
}

/** Thrown by ensureDvidBinary/startDvid when Go or a C compiler is missing. */
export class DvidToolchainMissingError extends Error {
  override name = 'DvidToolchainMissingError';
}

/** Installs DVID if needed (scripts/install-dvid.mjs) and returns the binary path. */
export async function ensureDvidBinary(version?: string): Promise<string> {
  try {
    return await installDvid(version ? { version } : {});
  } catch (e) {
    const err = e as Error & { exitCode?: number };
    if (err.exitCode === EXIT_TOOLCHAIN_MISSING) throw new DvidToolchainMissingError(err.message);
    throw err;
  }
}

// ---- process bookkeeping: make sure nothing outlives the test run -----------------------------

interface Live {
  child: ChildProcess;
  dir: string;
  watchdogPid: number | undefined;
}
const live = new Map<number, Live>();
let handlersInstalled = false;

function killQuietly(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function cleanupAllSync(): void {
  for (const [pid, l] of live) {
    killQuietly(pid, 'SIGKILL');
    killQuietly(l.watchdogPid, 'SIGKILL');
    try {
      rmSync(l.dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
  live.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // Another handler (vitest, scripts/dvid.ts) owns this signal and will stop servers or
      // exit (then the 'exit' handler kills what is left). Otherwise clean up and terminate as
      // the default disposition would.
      if (process.listenerCount(sig) > 1) return;
      cleanupAllSync();
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/**
 * A detached watchdog that stops DVID (by pid) and removes its directory if this process dies
 * without cleaning up (e.g. SIGKILL of the test runner). It exits when DVID exits.
 */
function startWatchdog(dvidPid: number, dir: string): number | undefined {
  const code = `
    const [parent, pid, dir] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
    const alive = (p) => { try { process.kill(p, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    const timer = setInterval(() => {
      if (!alive(pid)) process.exit(0);
      if (alive(parent)) return;
      clearInterval(timer);
      try { process.kill(pid, 'SIGTERM'); } catch {}
      const t0 = Date.now();
      const wait = setInterval(() => {
        if (alive(pid) && Date.now() - t0 < 5000) return;
        clearInterval(wait);
        if (alive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch {} }
        try { require('node:fs').rmSync(dir, { recursive: true, force: true }); } catch {}
        process.exit(0);
      }, 200);
    }, 1000);`;
  try {
    const wd = spawn(process.execPath, ['-e', code, String(process.pid), String(dvidPid), dir], {
      detached: true,
      stdio: 'ignore',
    });
    wd.unref();
    return wd.pid;
  } catch {
    return undefined;
  }
}

// ---- :6060 guard ---------------------------------------------------------------------------------

let guard: { server: Server | null; refs: number; pending: Promise<boolean> | null } = {
  server: null,
  refs: 0,
  pending: null,
};

async function acquireProfilingGuard(): Promise<boolean> {
  guard.refs++;
  if (guard.server) return true;
  guard.pending ??= new Promise<boolean>((resolve) => {
    const srv = createServer((sock) => sock.destroy());
    srv.unref();
    srv.once('error', () => resolve(false)); // EADDRINUSE: someone else holds :6060
    srv.listen({ port: 6060, host: '127.0.0.1', exclusive: true }, () => {
      guard.server = srv;
      resolve(true);
    });
  });
  const ok = await guard.pending;
  if (!ok) guard.pending = null;
  return ok;
}

function releaseProfilingGuard(): void {
  guard.refs = Math.max(0, guard.refs - 1);
  if (guard.refs === 0 && guard.server) {
    guard.server.close();
    guard = { server: null, refs: 0, pending: null };
  }
}

// ---- config --------------------------------------------------------------------------------------

const q = (s: string): string => JSON.stringify(s); // TOML basic strings accept JSON escapes

export function dvidToml(o: {
  dir: string;
  httpPort: number;
  rpcPort: number;
  corsDomains?: string[];
  allowSplit: boolean;
}): string {
  const lines = [
    '# Written by dvid-ts test/support/dvid-server.ts',
    '[server]',
    `httpAddress = ${q(`127.0.0.1:${o.httpPort}`)}`,
    `rpcAddress = ${q(`127.0.0.1:${o.rpcPort}`)}`,
    'note = "dvid-ts throwaway test server"',
    'shutdownDelay = 0',
    // v1.0.0 key; HEAD ignores it. HEAD key; v1.0.0 ignores it (BurntSushi/toml tolerates unknown keys).
    `noLabelmapSplit = ${!o.allowSplit}`,
    `allowLabelmapSplit = ${o.allowSplit}`,
  ];
  if (o.corsDomains && o.corsDomains.length > 0) {
    lines.push(`corsDomains = [${o.corsDomains.map(q).join(', ')}]`);
  }
  lines.push(
    '',
    '[logging]',
    `logfile = ${q(join(o.dir, 'dvid.log'))}`,
    '',
    '[mutations]',
    `jsonstore = ${q(join(o.dir, 'mutlog-json'))}`,
    '',
    '[backend]',
    '  [backend.default]',
    '  store = "kv"',
    '  log = "mutlog"',
    '',
    '[store]',
    '  [store.kv]',
    '  engine = "badger"',
    `  path = ${q(join(o.dir, 'badger-db'))}`,
    '  [store.mutlog]',
    '  engine = "filelog"',
    `  path = ${q(join(o.dir, 'filelog'))}`,
    '',
  );
  return lines.join('\n');
}

function tailOf(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8').replace(/\n+$/, '');
  return text.split('\n').slice(-lines).join('\n');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- start ---------------------------------------------------------------------------------------

export async function startDvid(options: StartDvidOptions = {}): Promise<DvidServer> {
  const binary = options.binary ?? (await ensureDvidBinary(options.version));
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(binary, options);
    } catch (e) {
      lastError = e as Error;
      // Free-port race: another process took a port between probing and DVID binding it.
      if (!/address already in use/i.test(lastError.message) || options.signal?.aborted) throw lastError;
    }
  }
  throw lastError;
}

async function startOnce(binary: string, options: StartDvidOptions): Promise<DvidServer> {
  const { signal } = options;
  signal?.throwIfAborted();
  const [httpPort, rpcPort] = await freePorts(2);
  const dir = mkdtempSync(join(tmpdir(), 'dvid-ts-'));
  const adminToken = options.adminToken ?? randomBytes(16).toString('hex');
  const url = `http://127.0.0.1:${httpPort}`;
  const tomlPath = join(dir, 'config.toml');
  writeFileSync(
    tomlPath,
    dvidToml({ dir, httpPort, rpcPort, corsDomains: options.corsDomains, allowSplit: options.allowSplit ?? true }),
  );

  const guarded = options.guardProfilingPort === false ? false : await acquireProfilingGuard();
  const outPath = join(dir, 'stdout.log');
  const out = openSync(outPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, ['serve', tomlPath], {
      cwd: dir,
      env: { ...process.env, DVID_ADMIN_TOKEN: adminToken },
      stdio: ['ignore', out, out],
    });
  } finally {
    closeSync(out);
  }
  const pid = child.pid;
  if (pid === undefined) {
    if (guarded) releaseProfilingGuard();
    rmSync(dir, { recursive: true, force: true });
    const err = await new Promise<Error>((r) => child.once('error', r));
    throw new Error(`could not spawn ${binary}: ${err.message}`);
  }
  installExitHandlers();
  const entry: Live = { child, dir, watchdogPid: undefined };
  live.set(pid, entry);
  entry.watchdogPid = startWatchdog(pid, dir);

  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, sig: child.signalCode });
    else child.once('exit', (code, sig) => resolve({ code, sig }));
  });
  let exitInfo: { code: number | null; sig: NodeJS.Signals | null } | null = null;
  void exited.then((x) => (exitInfo = x));

  const logTail = (lines = 40): string =>
    [
      `--- ${join(dir, 'dvid.log')} (last ${lines} lines) ---`,
      tailOf(join(dir, 'dvid.log'), lines),
      `--- stdout/stderr of pid ${pid} ---`,
      tailOf(outPath, lines),
    ].join('\n');

  let stopping: Promise<void> | null = null;
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (exitInfo === null) {
        killQuietly(pid, 'SIGTERM');
        const timedOut = await Promise.race([exited.then(() => false), sleep(stopGraceMs).then(() => true)]);
        if (timedOut) {
          killQuietly(pid, 'SIGKILL');
          await exited;
        }
      }
      killQuietly(entry.watchdogPid, 'SIGTERM');
      live.delete(pid);
      if (guarded) releaseProfilingGuard();
      for (let i = 0; i < 5; i++) {
        try {
          rmSync(dir, { recursive: true, force: true });
          break;
        } catch {
          await sleep(200);
        }
      }
    })());

  // Readiness: poll GET /api/heartbeat until it answers 200.
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let lastProblem = 'no answer yet';
  for (;;) {
    if (signal?.aborted) {
      await stop();
      throw signal.reason ?? new Error('aborted');
    }
    if (exitInfo !== null) {
      const tail = logTail();
      const { code, sig } = exitInfo as { code: number | null; sig: NodeJS.Signals | null };
      await stop();
      throw new Error(`DVID (pid ${pid}) exited before becoming ready (code ${code}, signal ${sig}).\n${tail}`);
    }
    if (Date.now() > deadline) {
      const tail = logTail();
      await stop();
      throw new Error(
        `DVID (pid ${pid}) not ready at ${url}/api/heartbeat within ${options.readyTimeoutMs ?? 60_000} ms (${lastProblem}).\n${tail}`,
      );
    }
    try {
      const res = await fetch(`${url}/api/heartbeat`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
      lastProblem = `status ${res.status}`;
    } catch (e) {
      lastProblem = (e as Error).message;
    }
    await sleep(100);
  }

  signal?.addEventListener('abort', () => void stop(), { once: true });
  return { url, httpPort, rpcPort, adminToken, pid, dir, binary, profilingPortGuarded: guarded, stop, logTail };
}
