/**
 * Shared setup of the contract suite. Every file under test/contract runs twice with the same
 * assertions: against the mock DVID (project contract-mock) and against a real DVID process
 * (project contract-dvid). `inject('dvidUrl')` says where the server is; it is empty when the
 * real-DVID suite was skipped (no Go toolchain and DVID_REQUIRED unset).
 */
import { describe } from 'vitest';
import { providedServer } from '../support/context.js';
import { DvidClient, type DvidClientOptions } from '../../src/index.js';

/** The server under test. */
export const server = providedServer();

/** `describe`, skipped when no server is available for this project. */
export const describeServer = server.url ? describe : describe.skip;

/** A client for the server under test. */
export function newClient(options: DvidClientOptions = {}): DvidClient {
  return new DvidClient(server.url, { adminToken: server.adminToken, app: 'dvid-ts-contract', user: 'tester', ...options });
}

let counter = 0;
/** Creates a fresh repo and returns its root UUID. */
export async function newRepo(client = newClient()): Promise<string> {
  counter += 1;
  return client.createRepo({ alias: `contract-${process.pid}-${counter}`, description: 'dvid-ts contract test' });
}

/** A unique instance name. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter}`;
}
