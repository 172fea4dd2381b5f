/**
 * Probes a real DVID and writes a Markdown transcript of every exchange (status, headers, body).
 *
 *   npx tsx scripts/probe-dvid.ts                          # transcript to stdout
 *   npx tsx scripts/probe-dvid.ts --update docs/dvid-observed.md
 *        # replaces the text between <!-- BEGIN PROBE --> and <!-- END PROBE --> in that file
 *
 * Starts two throwaway servers with test/support/dvid-server.ts (one plain, one with
 * corsDomains) and stops them at the end. Env DVID_VERSION / DVID_BIN select the binary.
 * Values that change per run are replaced by placeholders: {port}, {rpcport}, {dir},
 * {admintoken}, {uuid1}.. (repo root UUIDs), {datauuid:<name>}, and the CORS server's {port2}, {dir2}.
 */
import { request } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { startDvid, type DvidServer } from '../test/support/dvid-server';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function http(
  base: string,
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, base);
    const req = request(
      u,
      {
        method,
        headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// ---- transcript ----------------------------------------------------------------------------------

const out: string[] = [];
const subs: [string, string][] = [];
let uuidCount = 0;

function scrub(s: string): string {
  for (const m of s.matchAll(/"DataUUID":"([0-9a-f]{32})","Name":"([^"]+)"/g)) {
    if (!subs.some(([v]) => v === m[1])) subs.push([m[1], `{datauuid:${m[2]}}`]);
  }
  for (const [v, p] of subs) s = s.split(v).join(p);
  return s;
}

const registerRoot = (res: Res): void => {
  if (res.status === 200) registerUuid((JSON.parse(res.body.toString()) as { root: string }).root);
};

function registerUuid(uuid: string): string {
  const p = `{uuid${++uuidCount}}`;
  subs.unshift([uuid, p]);
  return p;
}

const isText = (ct: string): boolean => /json|text|xml|javascript/.test(ct) || ct === '';

function fmtBody(b: Buffer, ct: string, max = 2500): string {
  if (b.length === 0) return '(empty body)';
  if (isText(ct) && !b.includes(0)) {
    let s = b.toString('utf8');
    const ends = s.endsWith('\n') ? 'ends with "\\n"' : 'no trailing newline';
    let cut = '';
    if (s.length > max) {
      cut = ` (first ${max} of ${s.length} chars shown)`;
      s = s.slice(0, max) + ' …';
    }
    return `body (${b.length} bytes, ${ends})${cut}:\n\n\`\`\`\n${scrub(s).replace(/\n$/, '')}\n\`\`\``;
  }
  const hex = b.subarray(0, 64).toString('hex').replace(/(..)/g, '$1 ').trim();
  return `body: ${b.length} bytes, first ${Math.min(64, b.length)} as hex: \`${hex}\``;
}

function heading(title: string): void {
  out.push('', `### ${title}`, '');
}

function note(text: string): void {
  out.push('', `> ${text}`, '');
}

async function ex(
  base: string,
  method: string,
  path: string,
  opts: {
    body?: Buffer | string;
    headers?: Record<string, string>;
    showBody?: boolean;
    label?: string;
    /** runs before the exchange is printed, e.g. to register a new UUID placeholder */
    before?: (res: Res) => void;
  } = {},
): Promise<Res> {
  const res = await http(base, method, path, opts.body, opts.headers);
  opts.before?.(res);
  const ct = String(res.headers['content-type'] ?? '');
  const hdrs = Object.entries(res.headers)
    .filter(([k]) => k !== 'date')
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
    .join(' · ');
  const reqHeaders = opts.headers ? ' ' + Object.entries(opts.headers).map(([k, v]) => `[${k}: ${v}]`).join(' ') : '';
  let reqBody = '';
  if (opts.body !== undefined) {
    reqBody =
      typeof opts.body === 'string'
        ? ` body \`${opts.body.length > 200 ? opts.body.slice(0, 200) + '…' : opts.body}\``
        : ` body ${opts.body.length} binary bytes`;
  }
  out.push(`**${opts.label ? opts.label + ': ' : ''}${method} ${scrub(path)}**${scrub(reqHeaders)}${scrub(reqBody)}`);
  out.push('');
  out.push(`→ **${res.status}** · ${scrub(hdrs) || '(no headers)'}`);
  out.push('');
  if (opts.showBody !== false) out.push(fmtBody(res.body, ct), '');
  return res;
}

// ---- data patterns -------------------------------------------------------------------------------

const N = 32;
const NV = N * N * N;

function pattern(bpv: number, f: (i: number, x: number, y: number, z: number, buf: Buffer) => void): Buffer {
  const buf = Buffer.alloc(NV * bpv);
  for (let z = 0; z < N; z++)
    for (let y = 0; y < N; y++)
      for (let x = 0; x < N; x++) {
        const i = (z * N + y) * N + x;
        f(i, x, y, z, buf);
      }
  return buf;
}

// ---- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const servers: DvidServer[] = [];
  try {
    const dvid = await startDvid();
    servers.push(dvid);
    subs.push([dvid.dir, '{dir}'], [String(dvid.rpcPort), '{rpcport}'], [String(dvid.httpPort), '{port}'], [dvid.adminToken, '{admintoken}']);
    const B = dvid.url;
    const T = dvid.adminToken;
    const info = JSON.parse((await http(B, 'GET', '/api/server/info')).body.toString()) as Record<string, string>;

    out.push(
      `Generated ${new Date().toISOString().slice(0, 10)} by \`npx tsx scripts/probe-dvid.ts --update docs/dvid-observed.md\` against DVID ${info['DVID Version']} (${info['Storage backend']}), started by test/support/dvid-server.ts.`,
    );

    // 1. server level
    heading('1. Server-level endpoints (fresh server)');
    await ex(B, 'GET', '/api/heartbeat');
    await ex(B, 'GET', '/api/server/info');
    await ex(B, 'GET', '/api/server/types', { label: 'no instances yet' });
    await ex(B, 'GET', '/api/server/compiled-types');
    await ex(B, 'GET', '/api/repos/info', { label: 'no repos yet' });
    await ex(B, 'GET', '/api/server/note');
    await ex(B, 'GET', '/api/load');
    await ex(B, 'GET', '/api/server/config', { label: 'without admintoken' });
    await ex(B, 'GET', `/api/server/config?admintoken=${T}`, { label: 'with admintoken' });
    await ex(B, 'GET', '/api/nosuch', { label: 'unknown /api path' });
    await ex(B, 'GET', '/api/help/uint8blk', { showBody: false, label: 'type help (body not shown)' });

    // 2. repos
    heading('2. Repos');
    const r1 = await ex(B, 'POST', '/api/repos', {
      body: JSON.stringify({ alias: 'probe', description: 'probe repo' }),
      label: 'without admintoken',
      before: registerRoot,
    });
    const uuid = (JSON.parse(r1.body.toString()) as { root: string }).root;
    out.push('(root UUIDs are shown as {uuid1}, {uuid2}, … in order of creation)', '');
    await ex(B, 'GET', '/api/repos/info', { label: 'one repo' });
    await ex(B, 'POST', `/api/repos?admintoken=${T}`, {
      body: JSON.stringify({ alias: 'probe2', description: 'second repo' }),
      label: 'with admintoken',
      before: registerRoot,
    });
    await ex(B, 'POST', '/api/repos?admintoken=wrong', {
      body: JSON.stringify({ alias: 'probe3', description: 'wrong admintoken' }),
      label: 'wrong admintoken',
      before: registerRoot,
    });
    await ex(B, 'POST', '/api/repos', { label: 'no body', before: registerRoot });
    await ex(B, 'POST', '/api/repos', {
      body: JSON.stringify({ alias: 'r5', description: 'with root', root: 'abcdef0123456789abcdef0123456789' }),
      label: 'with desired root UUID',
      before: registerRoot,
    });
    await ex(B, 'POST', '/api/repos', { body: '{"alias":', label: 'malformed JSON' });
    await ex(B, 'POST', '/api/repos', { body: '{"alias":5,"description":"x"}', label: 'alias as a number' });
    await ex(B, 'GET', `/api/repo/${uuid}/info`);
    await ex(B, 'GET', `/api/repo/${uuid.slice(0, 6)}/info`, { showBody: false, label: '6-char prefix (body = same repo JSON)' });
    await ex(B, 'HEAD', `/api/repo/${uuid}`);
    await ex(B, 'HEAD', '/api/repo/0123456789abcdef', { label: 'unknown UUID' });
    await ex(B, 'GET', '/api/repo/0123456789abcdef/info', { label: 'unknown UUID' });
    await ex(B, 'GET', '/api/node/0123456789abcdef/x/metadata', { label: 'unknown UUID' });
    await ex(B, 'GET', `/api/node/${uuid}/log`);
    await ex(B, 'GET', `/api/node/${uuid}/status`);

    // 3. instances
    heading('3. Creating instances');
    const types = ['uint8blk', 'uint16blk', 'uint32blk', 'uint64blk', 'float32blk', 'rgba8blk'] as const;
    const cfg = (typename: string, dataname: string, extra: Record<string, unknown> = {}): string =>
      JSON.stringify({
        typename,
        dataname,
        BlockSize: '32,32,32',
        VoxelSize: '1.0,1.0,1.0',
        VoxelUnits: 'nanometers,nanometers,nanometers',
        ...extra,
      });
    for (const t of types) await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg(t, `img_${t}`) });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg('uint8blk', 'defaults_u8', {}).replace(/,"BlockSize".*\}$/, '}'), label: 'no block keys (defaults)' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg('uint8blk', 'bad1', { BlockSize: 32 }), label: 'BlockSize as JSON number' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg('uint8blk', 'bad2', { BlockSize: [32, 32, 32] }), label: 'BlockSize as JSON array' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg('uint8blk', 'bad3', { VoxelSize: 8 }), label: 'VoxelSize as JSON number' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg('uint8blk', 'bad4', { BlockSize: '32,32' }), label: 'BlockSize with 2 components' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg('uint8blk', 'bad5', { versioned: false }), label: 'versioned as JSON bool' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg('uint8blk', 'img_uint8blk'), label: 'duplicate name' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg('nosuchtype', 'x1'), label: 'unknown typename' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: cfg('uint8blk', 'log'), label: 'reserved name' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: JSON.stringify({ typename: 'uint8blk' }), label: 'missing dataname' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: JSON.stringify({ dataname: 'x2' }), label: 'missing typename' });
    await ex(B, 'POST', `/api/repo/0123456789abcdef/instance`, { body: cfg('uint8blk', 'x3'), label: 'unknown UUID' });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, {
      body: JSON.stringify({ typename: 'labelmap', dataname: 'seg', BlockSize: '64,64,64' }),
      label: 'labelmap (needs the filelog log store)',
    });
    await ex(B, 'POST', `/api/repo/${uuid}/instance`, { body: JSON.stringify({ typename: 'keyvalue', dataname: 'kv' }) });
    await ex(B, 'GET', `/api/node/${uuid}/bad4/info`, { label: 'instance created with BlockSize "32,32"' });
    await ex(B, 'GET', `/api/node/${uuid}/bad5/info`, { label: 'instance created with versioned:false (JSON bool)' });
    await ex(B, 'GET', `/api/node/${uuid}/seg/info`, { label: 'labelmap' });
    await ex(B, 'GET', `/api/node/${uuid}/kv/info`, { label: 'keyvalue' });
    await ex(B, 'GET', '/api/server/types', { label: 'after instances exist' });
    await ex(B, 'GET', `/api/repo/${uuid}/info`, { label: 'repo with instances' });

    // 4. imageblk info / metadata / raw
    heading('4. imageblk: info, metadata, raw');
    const u8 = `/api/node/${uuid}/img_uint8blk`;
    await ex(B, 'GET', `${u8}/info`, { label: 'fresh uint8blk' });
    await ex(B, 'GET', `${u8}/metadata`, { label: 'fresh uint8blk' });
    await ex(B, 'GET', `/api/node/${uuid}/defaults_u8/info`, { label: 'uint8blk created without block keys' });
    const p8 = pattern(1, (i, x, y, z, b) => b.writeUInt8((x + 2 * y + 3 * z) & 0xff, i));
    await ex(B, 'POST', `${u8}/raw/0_1_2/32_32_32/0_0_0`, { body: p8, label: 'aligned write, value = (x+2y+3z)&255' });
    await ex(B, 'GET', `${u8}/info`, { label: 'after write at 0_0_0' });
    await ex(B, 'GET', `${u8}/metadata`, { label: 'after write at 0_0_0' });
    const back = await ex(B, 'GET', `${u8}/raw/0_1_2/32_32_32/0_0_0`, { label: 'read back' });
    out.push(`read-back equals written bytes: **${back.body.equals(p8)}**`, '');
    await ex(B, 'POST', `${u8}/raw/0_1_2/32_32_32/-32_-32_0`, { body: Buffer.alloc(NV, 7), label: 'write at negative offset, all 7s' });
    await ex(B, 'GET', `${u8}/info`, { label: 'after write at -32_-32_0' });
    await ex(B, 'GET', `${u8}/metadata`, { label: 'after write at -32_-32_0' });
    await ex(B, 'POST', `${u8}/raw/0_1_2/100_100_100/10_20_30`, { body: Buffer.alloc(1_000_000), label: 'unaligned write' });
    await ex(B, 'POST', `${u8}/raw/0_1_2/32_32_32/32_0_0`, { body: Buffer.alloc(100), label: 'aligned, body too short (100 bytes)' });
    await ex(B, 'POST', `${u8}/raw/0_1_2/32_32_32/32_0_0`, { body: Buffer.alloc(NV + 1), label: 'aligned, body one byte too long' });
    await ex(B, 'POST', `${u8}/raw/0_1_2/32_32_32/32_0_0`, { label: 'aligned, no body' });
    await ex(B, 'POST', `${u8}/raw/0_1/32_32/0_0_0`, { body: Buffer.alloc(1024), label: '2D POST' });
    await ex(B, 'GET', `${u8}/raw/0_1_2/4_4_4/1000_1000_1000`, { label: 'never-written region' });
    const st = await ex(B, 'GET', `${u8}/raw/0_1_2/4_2_1/30_0_0`, { label: 'straddling x=30..33 (x≥32 unwritten)' });
    out.push(`bytes: [${[...st.body].join(', ')}]`, '');
    const un = await ex(B, 'GET', `${u8}/raw/0_1_2/3_2_2/5_6_7`, { label: 'unaligned box' });
    out.push(`bytes: [${[...un.body].join(', ')}] (expected (x+2y+3z)&255 for x=5..7,y=6..7,z=7..8)`, '');
    const ng = await ex(B, 'GET', `${u8}/raw/0_1_2/4_2_1/-2_-1_0`, {
      label: 'negative offset, x=-2..1, y=-1..0 (block at -32_-32_0 holds 7s)',
    });
    out.push(`bytes: [${[...ng.body].join(', ')}]`, '');
    await ex(B, 'GET', `${u8}/raw/0_1_2/2_2_2/0_0_0/jpg`, { label: '3D with jpg format' });
    await ex(B, 'GET', `${u8}/raw/0_1/4_4/0_0_0`, { label: '2D XY default format' });
    await ex(B, 'GET', `${u8}/raw/xy/4_4/0_0_0/png`, { label: '2D via "xy"' });
    await ex(B, 'GET', `${u8}/raw/0_1_2/0_0_0/0_0_0`, { label: 'zero size' });
    await ex(B, 'GET', `${u8}/raw/0_1_2/4_4/0_0_0`, { label: 'size with 2 components for 3D' });
    await ex(B, 'GET', `${u8}/raw/0_1_2/a_b_c/0_0_0`, { label: 'non-numeric size' });
    await ex(B, 'GET', `${u8}/raw/0_1_2/4_4_4`, { label: 'missing offset' });
    await ex(B, 'GET', `${u8}/isotropic/0_1_2/2_2_2/0_0_0`, { label: 'isotropic 3D' });
    await ex(B, 'GET', `${u8}/blocks/0_0_0/1`, { showBody: false, label: 'GET blocks' });
    await ex(B, 'GET', `${u8}/subvolblocks/32_32_32/0_0_0`, { label: 'subvolblocks (default compression)' });
    await ex(B, 'GET', `${u8}/subvolblocks/32_32_32/0_0_0?compression=uncompressed`, { label: 'subvolblocks uncompressed' });

    heading('4b. Byte layout per type (write a 32³ pattern at 0_0_0, read back 2_1_1 at 1_0_0)');
    const layouts: [string, number, (i: number, x: number, y: number, z: number, b: Buffer) => void, string][] = [
      ['uint16blk', 2, (i, x, y, z, b) => b.writeUInt16LE(x + 256 * y + 1000 * z, 2 * i), 'x + 256y + 1000z, uint16 LE'],
      ['uint32blk', 4, (i, x, y, z, b) => b.writeUInt32LE(0x01020300 + x + 65536 * y, 4 * i), '0x01020300 + x + 65536y, uint32 LE'],
      ['uint64blk', 8, (i, x, y, z, b) => b.writeBigUInt64LE(0x0102030405060700n + BigInt(x), 8 * i), '0x0102030405060700 + x, uint64 LE'],
      ['float32blk', 4, (i, x, y, z, b) => b.writeFloatLE(x + 0.5, 4 * i), 'x + 0.5, float32 LE'],
      ['rgba8blk', 4, (i, x, y, z, b) => b.writeUInt32BE(((x & 0xff) << 24) | ((y & 0xff) << 16) | ((z & 0xff) << 8) | 0xff, 4 * i), 'bytes R=x, G=y, B=z, A=255'],
    ];
    for (const [t, bpv, f, desc] of layouts) {
      const buf = pattern(bpv, f);
      const path = `/api/node/${uuid}/img_${t}`;
      await ex(B, 'POST', `${path}/raw/0_1_2/32_32_32/0_0_0`, { body: buf, label: `${t}: ${desc}` });
      const whole = await http(B, 'GET', `${path}/raw/0_1_2/32_32_32/0_0_0`);
      const r = await ex(B, 'GET', `${path}/raw/0_1_2/2_1_1/1_0_0`, { label: t });
      const expect = buf.subarray(bpv, 3 * bpv);
      out.push(`whole block round-trips: **${whole.body.equals(buf)}**; voxels x=1,2 equal the written bytes: **${r.body.equals(expect)}**`, '');
      await ex(B, 'GET', `${path}/raw/0_1/2_2/0_0_0/png`, { showBody: false, label: `${t} 2D png (body not shown)` });
      await ex(B, 'GET', `${path}/metadata`, { label: `${t} after write` });
    }

    // 5. unknown names, keywords, methods
    heading('5. Unknown instance, unknown keyword, wrong method');
    await ex(B, 'GET', `/api/node/${uuid}/nosuch/metadata`, { label: 'unknown instance' });
    await ex(B, 'GET', `${u8}/nosuch`, { label: 'unknown keyword' });
    await ex(B, 'GET', `${u8}`, { label: 'no keyword' });
    await ex(B, 'PUT', `${u8}/raw/0_1_2/32_32_32/0_0_0`, { body: Buffer.alloc(NV) });
    await ex(B, 'DELETE', `${u8}/raw/0_1_2/32_32_32/0_0_0`);
    await ex(B, 'HEAD', `${u8}/raw/0_1_2/4_4_4/0_0_0`);
    await ex(B, 'POST', `${u8}/info`, { body: '{}', label: 'POST info' });
    await ex(B, 'POST', `${u8}/metadata`, { body: '{}', label: 'POST metadata' });
    await ex(B, 'POST', `${u8}/extents`, { body: '{"MinPoint":[0,0,0],"MaxPoint":[63,63,63]}', label: 'POST extents' });
    await ex(B, 'GET', `${u8}/metadata`, { label: 'after POST extents' });

    heading('5b. labelmap split is enabled (noLabelmapSplit = false)');
    await ex(B, 'POST', `/api/node/${uuid}/seg/split/1`, { body: Buffer.alloc(0), label: 'split of an absent label, empty body' });

    // 6. throttling
    heading('6. Throttling');
    const raw = `${u8}/raw/0_1_2/32_32_32/0_0_0`;
    await ex(B, 'GET', `${raw}?throttle=on`, { showBody: false, label: 'default max (1), idle server' });
    await ex(B, 'POST', '/api/server/settings', { body: '{"throttle":"0"}', label: 'settings WITHOUT admintoken' });
    await ex(B, 'GET', `${raw}?throttle=on`, { label: 'after throttle=0' });
    await ex(B, 'GET', `${raw}?throttle=true`, { label: 'after throttle=0' });
    await ex(B, 'POST', `${raw}?throttle=on`, { body: p8, label: 'POST after throttle=0' });
    await ex(B, 'GET', `${raw}`, { showBody: false, label: 'no throttle param, after throttle=0' });
    await ex(B, 'GET', `${u8}/raw/0_1/4_4/0_0_0?throttle=on`, { showBody: false, label: '2D with throttle=on, after throttle=0' });
    await ex(B, 'GET', `${u8}/subvolblocks/32_32_32/0_0_0?throttle=on`, { label: 'subvolblocks, after throttle=0' });
    await ex(B, 'POST', `/api/server/settings?admintoken=${T}`, { body: '{"throttle":"1"}', label: 'restore with admintoken' });
    await ex(B, 'GET', `${raw}?throttle=on`, { showBody: false, label: 'after restore' });
    await ex(B, 'POST', `/api/server/settings?admintoken=${T}`, { body: '{"throttle":1}', label: 'number value' });
    await ex(B, 'POST', `/api/server/settings?admintoken=${T}`, { body: '{"throttle":"-1"}', label: 'negative' });
    await ex(B, 'GET', `${raw}?throttle=on`, { label: 'after throttle=-1' });
    await ex(B, 'POST', `/api/server/settings?admintoken=${T}`, { body: '{}', label: 'empty object' });
    await ex(B, 'POST', `/api/server/settings?admintoken=${T}`, { body: '{"throttle":"1"}', label: 'restore' });
    await ex(B, 'GET', '/api/server/settings', { label: 'GET settings' });

    // 7. u/app, Authorization, CORS
    heading('7a. u= and app= query parameters, Authorization header');
    await ex(B, 'GET', '/api/heartbeat?u=alice&app=probe');
    await ex(B, 'GET', '/api/user-latencies');
    await ex(B, 'GET', '/api/server/info?u=alice&app=probe', { showBody: false });
    await ex(B, 'GET', `/api/repos/info?u=alice&app=probe`, { showBody: false });
    await ex(B, 'GET', `${u8}/metadata?u=alice&app=probe`, { showBody: false });
    await ex(B, 'GET', `${raw}?u=alice&app=probe`, { showBody: false });
    await ex(B, 'POST', `${raw}?u=alice&app=probe`, { body: p8 });
    await ex(B, 'POST', `/api/repo/${uuid}/instance?u=alice&app=probe`, { body: cfg('uint8blk', 'with_u') });
    await ex(B, 'GET', `${u8}/metadata`, { headers: { Authorization: 'Bearer not-a-real-token' }, showBody: false });
    await ex(B, 'GET', `/api/repo/${uuid}/info`, { headers: { Authorization: 'Bearer not-a-real-token' }, showBody: false });
    await ex(B, 'POST', `${raw}`, { body: p8, headers: { Authorization: 'Bearer not-a-real-token' } });
    await ex(B, 'POST', '/api/repos', {
      body: JSON.stringify({ alias: 'bearer', description: 'x' }),
      headers: { Authorization: 'Bearer not-a-real-token' },
      before: registerRoot,
    });

    heading('7b. CORS on the server WITHOUT corsDomains');
    const origin = 'http://127.0.0.1:5173';
    await ex(B, 'GET', '/api/heartbeat', { headers: { Origin: origin } });
    await ex(B, 'GET', `${u8}/metadata`, { headers: { Origin: origin }, showBody: false });
    await ex(B, 'OPTIONS', `${raw}`, {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    await ex(B, 'OPTIONS', '/api/repos/info', {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });

    const cors = await startDvid({ corsDomains: [origin] });
    servers.push(cors);
    subs.push([cors.dir, '{dir2}'], [String(cors.rpcPort), '{rpcport2}'], [String(cors.httpPort), '{port2}'], [cors.adminToken, '{admintoken2}']);
    const C = cors.url;
    heading(`7c. CORS on a server with corsDomains = ["${origin}"]`);
    const cr = await http(C, 'POST', '/api/repos', JSON.stringify({ alias: 'cors', description: 'cors' }));
    registerRoot(cr);
    const cuuid = (JSON.parse(cr.body.toString()) as { root: string }).root;
    const CU = scrub(cuuid);
    await http(C, 'POST', `/api/repo/${cuuid}/instance`, cfg('uint8blk', 'img'));
    out.push(`(repo ${CU} with uint8blk "img" created on this server)`, '');
    const craw = `/api/node/${cuuid}/img/raw/0_1_2/32_32_32/0_0_0`;
    await ex(C, 'GET', '/api/heartbeat', { headers: { Origin: origin } });
    await ex(C, 'GET', '/api/server/info', { headers: { Origin: origin }, showBody: false });
    await ex(C, 'GET', `/api/node/${cuuid}/img/metadata`, { headers: { Origin: origin }, showBody: false });
    await ex(C, 'GET', `/api/node/${cuuid}/img/metadata`, { headers: { Origin: 'http://evil.example' }, showBody: false, label: 'other origin' });
    await ex(C, 'GET', `/api/node/${cuuid}/img/metadata`, { showBody: false, label: 'no Origin' });
    await ex(C, 'GET', `/api/node/${cuuid}/img/nosuch`, { headers: { Origin: origin }, label: 'error response with Origin' });
    await ex(C, 'OPTIONS', craw, {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      label: 'preflight POST octet-stream',
    });
    await ex(C, 'OPTIONS', craw, {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      label: 'preflight GET + Authorization',
    });
    await ex(C, 'OPTIONS', '/api/repos', {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      label: 'preflight POST /api/repos',
    });
    await ex(C, 'OPTIONS', '/api/heartbeat', {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      label: 'preflight heartbeat + Authorization',
    });
    await ex(C, 'OPTIONS', craw, {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'DELETE' },
      label: 'preflight DELETE',
    });
    await ex(C, 'OPTIONS', craw, {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT' },
      label: 'preflight PUT (not allowed)',
    });
    await ex(C, 'OPTIONS', craw, {
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
      label: 'preflight from other origin',
    });
    await ex(C, 'OPTIONS', craw, { headers: { Origin: origin }, label: 'OPTIONS without Access-Control-Request-Method' });
    await ex(C, 'POST', craw, {
      body: Buffer.alloc(NV),
      headers: { Origin: origin, 'Content-Type': 'application/octet-stream' },
      label: 'actual POST with Origin',
    });
  } finally {
    for (const s of servers.reverse()) await s.stop();
  }
}

await main();
const text = out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
const i = process.argv.indexOf('--update');
if (i >= 0) {
  const file = process.argv[i + 1];
  if (!file) throw new Error('--update needs a file');
  const doc = readFileSync(file, 'utf8');
  const begin = '<!-- BEGIN PROBE -->';
  const end = '<!-- END PROBE -->';
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file} lacks ${begin} … ${end}`);
  writeFileSync(file, doc.slice(0, a + begin.length) + '\n\n' + text + '\n' + doc.slice(b));
  console.error(`updated ${file}`);
} else {
  process.stdout.write(text);
}
