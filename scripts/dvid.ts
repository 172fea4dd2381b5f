/**
 * `npm run dvid`: installs DVID if needed, starts a throwaway server on 127.0.0.1, prints its
 * URL and admin token, and on Ctrl-C / SIGTERM stops it and removes its directory.
 *
 * Env: DVID_VERSION, DVID_BIN (binary), DVID_CORS_ORIGIN=<origin>[,<origin>] (corsDomains).
 */
import { startDvid } from '../test/support/dvid-server';

const corsDomains = (process.env.DVID_CORS_ORIGIN ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

const dvid = await startDvid({ corsDomains });
const info = (await (await fetch(`${dvid.url}/api/server/info`)).json()) as Record<string, string>;
console.log(`DVID ${info['DVID Version'] || '(unknown version)'} running (pid ${dvid.pid})`);
console.log(`  url:         ${dvid.url}`);
console.log(`  admin token: ${dvid.adminToken}`);
console.log(`  rpc:         127.0.0.1:${dvid.rpcPort}   (e.g. ${dvid.binary} -rpc=127.0.0.1:${dvid.rpcPort} about)`);
console.log(`  directory:   ${dvid.dir}  (removed on exit)`);
if (corsDomains.length) console.log(`  corsDomains: ${corsDomains.join(', ')}`);
console.log('Press Ctrl-C to stop.');

let stopping = false;
const shutdown = (sig: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${sig}: stopping DVID pid ${dvid.pid} ...`);
  dvid.stop().then(
    () => {
      console.log('stopped, directory removed');
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGHUP', () => shutdown('SIGHUP'));

// If DVID dies on its own, say so and exit.
const watch = setInterval(() => {
  try {
    process.kill(dvid.pid, 0);
  } catch {
    clearInterval(watch);
    if (!stopping) {
      console.error(`DVID pid ${dvid.pid} exited unexpectedly.\n${dvid.logTail()}`);
      void dvid.stop().then(() => process.exit(1));
    }
  }
}, 1000);
