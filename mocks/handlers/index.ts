/**
 * All of the mock's MSW handlers in the order DVID's muxes apply: Go's path-cleaning
 * redirect, CORS preflights, the server, repo and instance routes, goji's automatic OPTIONS
 * answer, and the catch-all 404.
 *
 * @example
 * ```ts
 * const handlers = createHandlers(context);
 * const server = setupServer(...handlers);
 * ```
 * @module
 */
import type { HttpHandler } from 'msw';
import { defineCleanPathRedirect, defineNotFound, definePreflight, type MockContext } from '../router.js';
import { defineAutomaticOptions } from './options.js';
import { repoHandlers } from './repo.js';
import { serverHandlers } from './server.js';
import { voxelHandlers } from './voxels.js';

/**
 * Builds the ordered handler list of one mock.
 *
 * @example
 * ```ts
 * createHandlers(context).length > 0 // true
 * ```
 */
export function createHandlers(context: MockContext): HttpHandler[] {
  return [
    defineCleanPathRedirect(context),
    definePreflight(context),
    ...serverHandlers(context),
    ...repoHandlers(context),
    ...voxelHandlers(context),
    defineAutomaticOptions(context),
    defineNotFound(context),
  ];
}
