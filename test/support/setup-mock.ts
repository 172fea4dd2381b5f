/**
 * vitest globalSetup for the `contract-mock` project: serves the mock DVID over real HTTP on
 * 127.0.0.1 (a free port) so the contract tests talk to it exactly as they talk to a real DVID.
 */
import type { TestProject } from 'vitest/node';
import { startMockDvid } from '../../mocks/index.js';

export default async function setup(project: TestProject) {
  const adminToken = 'mock-admin-token';
  const cors = process.env.DVID_CORS_ORIGIN;
  const server = await startMockDvid({ adminToken, corsOrigins: cors ? [cors] : undefined });
  project.provide('dvidUrl', server.url);
  project.provide('dvidAdminToken', adminToken);
  project.provide('dvidKind', 'mock');
  return async () => {
    await server.close();
  };
}
