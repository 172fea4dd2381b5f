#!/usr/bin/env node
// Builds (once) and caches a real DVID server binary for the real-DVID test suite.
//
//   node scripts/install-dvid.mjs            -> prints the absolute path of the dvid binary
//   DVID_VERSION=v0.9.17 node scripts/...    -> another module version (default: scripts/dvid-version.json)
//   DVID_BIN=/path/to/dvid node scripts/...  -> use an existing binary, build nothing
//
// The binary is cached outside the repo at ${XDG_CACHE_HOME:-~/.cache}/dvid-ts/dvid/<version>/dvid.
// A second run finds it and builds nothing. Concurrent runs are serialised by a lock directory.
//
// Exit codes: 0 = ok (stdout is exactly the binary path + "\n"; progress goes to stderr),
//             3 = toolchain missing (no `go` on PATH, or cgo has no C compiler),
//             1 = anything else (build failed, lock timeout, bad DVID_BIN).
//
// Plain Node ESM, no dependencies. See docs/real-dvid.md.

import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, accessSync, constants } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join, resolve, delimiter, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pinned = JSON.parse(readFileSync(join(here, 'dvid-version.json'), 'utf8'));

export const EXIT_TOOLCHAIN_MISSING = 3;

class InstallError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

const log = (msg) => process.stderr.write(`[install-dvid] ${msg}\n`);

function cacheRoot() {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'dvid-ts', 'dvid');
}

function isExecutable(p) {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(cmd) {
  if (cmd.includes('/')) return isExecutable(cmd) ? cmd : null;
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d && isExecutable(join(d, cmd))) return join(d, cmd);
  }
  return null;
}

function checkToolchain() {
  const go = onPath('go');
  if (!go) {
    throw new InstallError(
      'Go toolchain not found on PATH: building DVID needs `go` (>= 1.18 for v1.0.0) and a C compiler (cgo). ' +
        'Install Go, or set DVID_BIN=/path/to/dvid to use an existing binary.',
      EXIT_TOOLCHAIN_MISSING,
    );
  }
  let goVersion = '';
  let cc = '';
  try {
    goVersion = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
    cc = execFileSync(go, ['env', 'CC'], { encoding: 'utf8' }).trim();
  } catch (e) {
    throw new InstallError(`\`go env\` failed: ${e.message}`, EXIT_TOOLCHAIN_MISSING);
  }
  const ccBin = (cc || 'gcc').split(/\s+/)[0];
  if (!onPath(ccBin)) {
    throw new InstallError(
      `C compiler ${JSON.stringify(ccBin)} (go env CC) not found: DVID needs cgo for its bundled LZ4. Install gcc/clang or set CC.`,
      EXIT_TOOLCHAIN_MISSING,
    );
  }
  return { go, goVersion };
}

function run(cmd, args, opts) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => resolveRun({ code: -1, out, err: err + String(e) }));
    child.on('close', (code) => resolveRun({ code, out, err }));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Atomic mkdir lock. Returns a release function. Steals locks whose owner process is gone. */
async function acquireLock(lockDir, timeoutMs) {
  const ownerFile = join(lockDir, 'owner.json');
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = null;
    try {
      owner = JSON.parse(readFileSync(ownerFile, 'utf8'));
    } catch {
      // Owner file not written yet (or lock left by a crash before writing it): stale after 60 s.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 60_000) {
          rmSync(lockDir, { recursive: true, force: true });
          continue;
        }
      } catch {
        continue;
      }
    }
    if (owner && owner.host === hostname() && !pidAlive(owner.pid)) {
      log(`removing stale build lock of dead pid ${owner.pid}`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`another build holds ${lockDir}${owner ? ` (pid ${owner.pid})` : ''}; waiting`);
      announced = true;
    }
    if (Date.now() > deadline) throw new InstallError(`timed out waiting for build lock ${lockDir}`);
    await sleep(1000);
  }
}

/**
 * Bump when the build recipe changes (tags, overlay, ldflags) so cached binaries are rebuilt.
 * 2: links the filelog engine (see needsFilelogPatch) and sets server.gitVersion. 3: -trimpath.
 */
const RECIPE = 3;

function upToDate(versionDir) {
  if (!isExecutable(join(versionDir, 'dvid'))) return false;
  try {
    return JSON.parse(readFileSync(join(versionDir, 'build.json'), 'utf8')).recipe === RECIPE;
  } catch {
    return false;
  }
}

/**
 * DVID's labelmap type needs a "filelog" log store. In v1.0.0 the filelog engine
 * (storage/filelog, pure Go) is linked only by datastore/basholeveldb.go, i.e. only with the
 * basholeveldb tag, which needs the C leveldb library. HEAD links it from datastore/badger.go.
 * Returns true when the downloaded source lacks that link (so we must add it).
 */
function needsFilelogPatch(dir) {
  const badgerGo = join(dir, 'datastore', 'badger.go');
  return (
    existsSync(join(dir, 'storage', 'filelog')) &&
    existsSync(badgerGo) &&
    !readFileSync(badgerGo, 'utf8').includes('storage/filelog')
  );
}

/** Copies the (read-only) module source to `dest` and adds the one-line filelog import HEAD has. */
function patchedCopy(dir, dest) {
  cpSync(dir, dest, { recursive: true });
  const makeWritable = (d) => {
    chmodSync(d, 0o755);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) makeWritable(join(d, e.name));
      else chmodSync(join(d, e.name), 0o644);
    }
  };
  makeWritable(dest);
  writeFileSync(
    join(dest, 'datastore', 'zz_dvidts_filelog.go'),
    '//go:build badger\n\n// Added by dvid-ts scripts/install-dvid.mjs (see docs/real-dvid.md): HEAD links\n' +
      '// storage/filelog from datastore/badger.go; v1.0.0 only did so with the basholeveldb tag.\n\n' +
      'package datastore\n\nimport _ "github.com/janelia-flyem/dvid/storage/filelog"\n',
  );
  return dest;
}

/**
 * Returns the absolute path of a dvid binary for `version`, building it if needed.
 * Throws InstallError (with .exitCode) on failure.
 */
export async function installDvid({ version = process.env.DVID_VERSION || pinned.default } = {}) {
  if (process.env.DVID_BIN) {
    const p = resolve(process.env.DVID_BIN);
    if (!isExecutable(p)) throw new InstallError(`DVID_BIN=${p} is not an executable file`);
    return p;
  }
  if (!/^[A-Za-z0-9._+-]+$/.test(version)) throw new InstallError(`bad DVID_VERSION ${JSON.stringify(version)}`);
  const versionDir = join(cacheRoot(), version);
  const bin = join(versionDir, 'dvid');
  if (upToDate(versionDir)) return bin;

  const { go, goVersion } = checkToolchain();
  mkdirSync(dirname(versionDir), { recursive: true });
  const release = await acquireLock(`${versionDir}.lock`, 30 * 60_000);
  const tmp = `${versionDir}.tmp-${process.pid}`;
  try {
    if (upToDate(versionDir)) return bin; // built by whoever held the lock
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const started = Date.now();
    const env = { ...process.env, CGO_ENABLED: '1', GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() };
    log(`building DVID ${version} with ${goVersion} (tags "${pinned.tags}"); a cold build takes about 2 minutes`);

    // The module source is needed anyway (to decide on the filelog overlay and for the fallback build).
    const dl = await run(go, ['mod', 'download', '-json', `${pinned.module}@${version}`], { env });
    let dir;
    try {
      const info = JSON.parse(dl.out);
      if (info.Error) throw new Error(info.Error);
      dir = info.Dir;
    } catch (e) {
      throw new InstallError(`go mod download ${pinned.module}@${version} failed: ${e.message}\n${dl.err.trim()}`);
    }
    const ldflags = `-X github.com/janelia-flyem/dvid/server.gitVersion=${version}`;
    const buildArgs = ['-trimpath', '-tags', pinned.tags, '-ldflags', ldflags];
    const patches = [];
    const out = join(tmp, 'dvid');
    let built = null;

    if (needsFilelogPatch(dir)) {
      // go install pkg@version cannot add a file, so build a patched copy of the source instead.
      patches.push('datastore/zz_dvidts_filelog.go: link storage/filelog with the badger tag (as HEAD does)');
      log(`${version} links the filelog engine (needed by labelmap) only with the basholeveldb tag; building a patched copy of the source instead of go install`);
      const src = patchedCopy(dir, join(tmp, 'src'));
      const b = await run(go, ['build', ...buildArgs, '-o', out, './cmd/dvid'], { env, cwd: src });
      if (b.code !== 0 || !isExecutable(out)) {
        throw new InstallError(`go build of patched DVID ${version} failed (exit ${b.code}):\n${b.err.trim()}`);
      }
      built = { path: out, method: 'go mod download + patched copy + go build' };
    } else {
      // 1) The documented way. Needs the proxy to serve @v/list (deprecation lookup), which not every proxy does.
      const inst = await run(go, ['install', ...buildArgs, `${pinned.package}@${version}`], {
        env: { ...env, GOBIN: tmp },
      });
      if (inst.code === 0 && isExecutable(out)) {
        built = { path: out, method: 'go install' };
      } else {
        const why = (inst.err.trim().split('\n').filter(Boolean).pop() ?? `exit ${inst.code}`).trim().slice(0, 300);
        log(`go install failed (${why}); falling back to go build inside the downloaded module`);
        // 2) Build inside the downloaded module source.
        const b = await run(go, ['build', ...buildArgs, '-o', out, './cmd/dvid'], { env, cwd: dir });
        if (b.code !== 0 || !isExecutable(out)) {
          throw new InstallError(`go build of DVID ${version} in ${dir} failed (exit ${b.code}):\n${b.err.trim()}`);
        }
        built = { path: out, method: 'go mod download + go build' };
      }
    }
    mkdirSync(versionDir, { recursive: true });
    renameSync(built.path, bin);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    writeFileSync(
      join(versionDir, 'build.json'),
      JSON.stringify(
        {
          recipe: RECIPE,
          version,
          tags: pinned.tags,
          patches,
          go: goVersion,
          method: built.method,
          seconds: Number(seconds),
          builtAt: new Date().toISOString(),
        },
        null,
        2,
      ) + '\n',
    );
    log(`built ${bin} via ${built.method} in ${seconds} s`);
    return bin;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    release();
  }
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  installDvid().then(
    (p) => process.stdout.write(`${p}\n`),
    (e) => {
      process.stderr.write(`install-dvid: ${e.message}\n`);
      process.exit(e.exitCode ?? 1);
    },
  );
}
