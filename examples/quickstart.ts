/**
 * The pydvid quickstart in TypeScript (shared/reference/seed-pydvid-quickstart.rst): list repos,
 * create a 4-channel uint8 volume (DVID's rgba8blk), write ones at `:,10:110,20:120,30:130` by
 * selection and by `write(start, stop)`, read back both ways, check shapes and values.
 *
 *   npm run quickstart                                   # on an embedded mock DVID
 *   DVID_URL=http://127.0.0.1:8000 DVID_ADMIN_TOKEN=... npm run quickstart   # on a real DVID
 *
 * `quickstart(client)` is also run by the Deno and Chromium smoke tests.
 */
import { DvidClient, Volume, VoxelsMetadata } from 'dvid-ts';

/** Runs the seed quickstart against `client`; returns what it printed. */
export async function quickstart(client: DvidClient, log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const print = (line: string) => {
    lines.push(line);
    log(line);
  };

  // Get detailed dataset info: /api/repos/info
  const reposBefore = await client.reposInfo();
  print(`repos on the server: ${Object.keys(reposBefore).length}`);

  // Create a new remote volume (pydvid used a fixed uuid 'abcde'; DVID makes the UUID).
  const uuid = await client.createRepo({ alias: 'quickstart', description: 'dvid-ts quickstart' });
  const metadata = VoxelsMetadata.createDefault([4, 0, 0, 0], 'uint8', 'cxyz', 1.0, '');
  await client.createVoxels(uuid, 'my_volume', metadata);

  // The accessor: pydvid's VoxelsAccessor.
  const volume = await client.voxels<'uint8'>(uuid, 'my_volume');
  print(`${volume.axes} ${volume.dtype} [${volume.minIndex}] [${volume.shape}]`);

  // Add some data. Must include all channels.
  const updated = Volume.ones([4, 100, 100, 100], 'uint8');
  await volume.set(':,10:110,20:120,30:130', updated);
  // OR:
  await volume.write([0, 10, 20, 30], [4, 110, 120, 130], updated);

  // Read from it (first axis is channel).
  const bySelection = await volume.get(':,10:110,20:120,30:130');
  const byBox = await volume.read([0, 10, 20, 30], [4, 110, 120, 130]);
  for (const [how, cutout] of [['selection', bySelection], ['read', byBox]] as const) {
    if (cutout.shape.join(',') !== '4,100,100,100') throw new Error(`${how}: shape is [${cutout.shape}]`);
    if (!cutout.toTypedArray().every((v) => v === 1)) throw new Error(`${how}: not every voxel is 1`);
  }
  const outside = await volume.get(':,0:10,20:120,30:130');
  if (!outside.toTypedArray().every((v) => v === 0)) throw new Error('voxels outside the write are not 0');
  print(`read back [${bySelection.shape}] by selection and by read(): all ones`);

  // The write grew the extents; the accessor refreshed its metadata.
  print(`${volume.axes} ${volume.dtype} [${volume.minIndex}] [${volume.shape}]`);
  return lines;
}

const argv1 = (globalThis as { process?: { argv?: string[] } }).process?.argv?.[1] ?? '';
if (/quickstart\.[cm]?[tj]s$/.test(argv1)) {
  const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;
  let url: string;
  let close = async () => {};
  if (env.DVID_URL) {
    url = env.DVID_URL;
  } else {
    const { startMockDvid } = await import('dvid-ts/mock');
    const server = await startMockDvid();
    url = server.url;
    close = server.close;
    console.log(`DVID_URL is not set: running on an embedded mock DVID at ${url}`);
  }
  try {
    await quickstart(new DvidClient(url, { adminToken: env.DVID_ADMIN_TOKEN, app: 'dvid-ts-quickstart' }));
    console.log('quickstart: OK');
  } finally {
    await close();
  }
}
