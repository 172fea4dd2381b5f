/**
 * `dvid-ts/mock`: an in-memory DVID (v1.0.0 behaviour) for tests, built on MSW handlers.
 *
 * - {@link createMockDvid} gives handlers for `setupServer`/`setupWorker`, a `fetch` function
 *   that needs no interception (Node, Deno, browsers), the in-memory state, `setBusy` and
 *   `reset`.
 * - {@link startMockDvid} (Node and Deno only; loads `node:http` on first call) serves the
 *   same mock over real HTTP on 127.0.0.1.
 *
 * What is and is not emulated is listed in `docs/mock.md`.
 *
 * @example
 * ```ts
 * import { createMockDvid } from 'dvid-ts/mock';
 * import { DvidClient } from 'dvid-ts';
 *
 * const mock = createMockDvid();
 * const client = new DvidClient('http://mock.dvid', { fetch: mock.fetch });
 * const uuid = await client.createRepo({ alias: 'test' });
 * ```
 * @module
 */
import type { RunningMockDvid, StartMockDvidOptions } from './node.js';

export { createMockDvid, type MockDvid, type MockDvidOptions } from './mock-dvid.js';
export type { RunningMockDvid, StartMockDvidOptions } from './node.js';
export type { CorsOrigins } from './cors.js';
export type { FetchFunction } from './fetch.js';
export { MockDvidState, type CreateRepoOptions, type MockInstance, type MockNode, type MockRepo } from './state.js';
export { COMPILED_TYPES, VOXEL_TYPES, type CompiledType, type VoxelType } from './types.js';

/**
 * Starts a mock DVID over real HTTP on 127.0.0.1 and a free port (Node and Deno only).
 * `node:http` is imported on the first call, so this module stays loadable in browsers.
 *
 * @example
 * ```ts
 * const server = await startMockDvid({ adminToken: 'secret' });
 * console.log(server.url); // http://127.0.0.1:43117
 * await server.close();
 * ```
 */
export async function startMockDvid(options: StartMockDvidOptions = {}): Promise<RunningMockDvid> {
  const { startMockDvid: start } = await import('./node.js');
  return start(options);
}
