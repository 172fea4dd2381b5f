/**
 * Server-level endpoints: `/api/heartbeat`, `/api/load`, `/api/user-latencies`,
 * `/api/server/info`, `/note`, `/config`, `/types`, `/compiled-types` and
 * `POST /api/server/settings` (gc and throttle), answering as DVID v1.0.0 does.
 *
 * @example
 * ```ts
 * const handlers = serverHandlers(context);
 * // GET /api/heartbeat → 200 text/plain "OK"
 * ```
 * @module
 */
import type { HttpHandler } from 'msw';
import { DvidConfig } from '../config.js';
import { goDuration, goRfc3339, goTimeString } from '../goformat.js';
import { goJson, sortedKeys } from '../gojson.js';
import { badRequest, jsonResponse, textResponse } from '../http.js';
import { defineRoute, type MockContext, type RouteRequest, type RouteResolver } from '../router.js';
import { COMPILED_TYPES } from '../types.js';

/**
 * Message DVID HEAD answers when a non-admin changes settings (v1.0.0 has no check).
 *
 * @example
 * ```ts
 * // POST /api/server/settings without ?admintoken= → 400 with this message
 * ```
 */
export const SETTINGS_ADMIN_MESSAGE = 'Changing server settings requires admin privileges';

function hostOf(context: MockContext, request: RouteRequest): string {
  return context.serverInfo.Host ?? request.url.host;
}

function cores(): string {
  const count = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency;
  return String(count && count > 0 ? count : 1);
}

/**
 * The `/api/server/info` object: DVID's keys, all values strings, overridable by the
 * `serverInfo` option.
 *
 * @example
 * ```ts
 * serverInfo(context, request)['Datastore Version'] // '0.11.0'
 * ```
 */
export function serverInfo(context: MockContext, request: RouteRequest): Record<string, string> {
  const now = Date.now();
  const uptimeMs = now - context.state.startedAt;
  return {
    Cores: cores(),
    'Maximum Cores': cores(),
    'Datastore Version': '0.11.0',
    'DVID Version': 'v1.0.0',
    'Storage backend': 'dvid-ts mock (in memory)',
    'Server time': goTimeString(new Date(now), uptimeMs / 1000),
    'Server uptime': goDuration(uptimeMs),
    'RPC Address': '',
    Host: hostOf(context, request),
    Note: '',
    'TOML location': '',
    'Max Open Files': '1048576',
    ...context.serverInfo,
  };
}

function typesWithInstances(context: MockContext): Record<string, string> {
  const types: Record<string, string> = {};
  for (const repo of context.state.repos.values()) {
    for (const instance of repo.instances.values()) types[instance.type.name] = instance.type.url;
  }
  return types;
}

function compiledTypes(): Record<string, string> {
  return Object.fromEntries(Object.values(COMPILED_TYPES).map((t) => [t.name, t.url]));
}

const LOAD_KEYS = [
  'file bytes read',
  'file bytes written',
  'key bytes read',
  'key bytes written',
  'value bytes read',
  'value bytes written',
  'GET requests',
  'PUT requests',
  'handlers active',
  'goroutines',
  'active CGo writes',
  'pending log messages',
];

function load(): Record<string, number> {
  return Object.fromEntries(LOAD_KEYS.map((key) => [key, key === 'goroutines' ? 1 : 0]));
}

/** A user's entry in `/api/user-latencies` (Go's zero value when the user is unknown). */
function latencyOf(context: MockContext, user: string): Record<string, unknown> {
  return context.state.userLatencies.get(user) ?? { User: '', LastPing: '', LastLatency: 0, MinLatency: 0, MaxLatency: 0 };
}

/**
 * DVID's latency middleware on the "silent" routes: with `u=`, the request's latency (always
 * 0 ms in the mock) is recorded after the handler ran.
 */
function recordingLatency(context: MockContext, resolve: RouteResolver): RouteResolver {
  return async (request) => {
    const response = await resolve(request);
    const user = request.query.get('u');
    if (user) {
      const previous = context.state.userLatencies.get(user);
      const ping = goRfc3339(new Date());
      context.state.userLatencies.set(
        user,
        previous ? { ...previous, LastPing: ping } : { User: user, LastPing: ping, LastLatency: 0, MinLatency: 0, MaxLatency: 0 },
      );
    }
    return response;
  };
}

function userLatencies(context: MockContext, request: RouteRequest): Response {
  const user = request.query.get('u');
  if (user) return jsonResponse(goJson(latencyOf(context, user)));
  return jsonResponse(goJson(sortedKeys(Object.fromEntries(context.state.userLatencies))));
}

/** The TOML `/api/server/config` shows (DVID returns its config file, unguarded in v1.0.0). */
function configToml(context: MockContext, request: RouteRequest): string {
  const note = context.serverInfo.Note ?? '';
  return `# dvid-ts mock DVID (in memory); no TOML file is read\n[server]\nhttpAddress = ${JSON.stringify(request.url.host)}\nnote = ${JSON.stringify(note)}\n`;
}

/**
 * `POST /api/server/settings`: `gc` and `throttle`, each a string integer. Like DVID, a line
 * already written stays when a later key fails: the error text is appended under status 200.
 */
function changeSettings(context: MockContext, request: RouteRequest, body: string): Response {
  const { path } = request;
  if (context.adminToken && !request.admin) throw badRequest(path, SETTINGS_ADMIN_MESSAGE);
  let config: DvidConfig;
  try {
    config = DvidConfig.fromBody(body);
  } catch (err) {
    throw badRequest(path, `Error decoding POSTed JSON config for 'new': ${(err as Error).message}`);
  }
  let written = '';
  const fail = (message: string): Response => {
    const failure = badRequest(path, message);
    return written ? textResponse(written + failure.body) : failure.toResponse();
  };
  const gc = config.getInt('gc');
  if (gc.error) return fail(`POST on settings endpoint had bad parsing of 'gc' key: ${gc.error}`);
  if (gc.found) {
    written += `DVID server garbage collection target percentage set to ${gc.value} from ${context.state.gcPercent}\n`;
    context.state.gcPercent = gc.value!;
  }
  const throttle = config.getInt('throttle');
  if (throttle.error) return fail(`POST on settings endpoint had bad parsing of 'throttle' key: ${throttle.error}`);
  if (throttle.found) {
    written += `Maximum throttled ops set to ${throttle.value} from ${context.state.maxThrottledOps}\n`;
    context.state.maxThrottledOps = throttle.value!;
  }
  return textResponse(written);
}

/**
 * The server-level routes.
 *
 * @example
 * ```ts
 * setupServer(...serverHandlers(context))
 * ```
 */
export function serverHandlers(context: MockContext): HttpHandler[] {
  return [
    defineRoute(context, ['GET'], '/api/heartbeat', recordingLatency(context, () => textResponse('OK'))),
    defineRoute(context, ['GET'], '/api/load', recordingLatency(context, () => jsonResponse(goJson(sortedKeys(load()))))),
    defineRoute(context, ['GET'], '/api/user-latencies', recordingLatency(context, (request) => userLatencies(context, request))),
    defineRoute(context, ['GET'], '/api/server/info', (request) => jsonResponse(goJson(sortedKeys(serverInfo(context, request))))),
    defineRoute(context, ['GET'], '/api/server/note', () => textResponse(context.serverInfo.Note ?? '')),
    defineRoute(context, ['GET'], '/api/server/config', (request) => textResponse(configToml(context, request))),
    defineRoute(context, ['GET'], '/api/server/types', () => jsonResponse(goJson(sortedKeys(typesWithInstances(context))))),
    defineRoute(context, ['GET'], '/api/server/compiled-types', () => jsonResponse(goJson(sortedKeys(compiledTypes())))),
    defineRoute(context, ['POST'], '/api/server/settings', async (request) =>
      changeSettings(context, request, await request.request.text()),
    ),
  ];
}
