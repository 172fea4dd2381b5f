/**
 * What the vitest globalSetups provide to tests (see setup-mock.ts and setup-dvid.ts).
 * `dvidUrl` is empty when the real-DVID suite was skipped.
 */
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    dvidUrl: string;
    dvidAdminToken: string;
    dvidKind: 'mock' | 'dvid';
  }
}

/** The server the current project's globalSetup started. */
export function providedServer(): { url: string; adminToken: string; kind: 'mock' | 'dvid' } {
  return { url: inject('dvidUrl'), adminToken: inject('dvidAdminToken'), kind: inject('dvidKind') ?? 'dvid' };
}
