/**
 * The dvid-ts error family. Every error the SDK throws on purpose is a {@link DvidError};
 * narrow it with {@link isDvidError}, optionally by kind.
 *
 * This module imports nothing from the rest of the SDK, so the in-memory layers (volume,
 * selection, codecs) can throw these errors without depending on the transport.
 *
 * @example
 * ```ts
 * try {
 *   await client.voxels(uuid, 'grayscale');
 * } catch (err) {
 *   if (isDvidError(err, 'http') && err.status === 400) console.error(err.responseText);
 *   else throw err;
 * }
 * ```
 * @module
 */

/** The tag that tells the members of the error family apart. */
export type DvidErrorKind =
  | 'http'
  | 'busy'
  | 'network'
  | 'timeout'
  | 'selection'
  | 'schema'
  | 'decode'
  | 'argument'
  | 'version';

/** Longest response body text kept on an error, in characters. */
export const MAX_ERROR_BODY_CHARS = 2000;

/** Query parameters and headers whose values are secrets and never appear in messages. */
const SECRET_PARAMS = ['admintoken', 'token', 'access_token', 'jwt', 'dsg_token', 'passcode'];

/**
 * Returns the URL with secret query values (admintoken, token, ...) and userinfo replaced by
 * `REDACTED`, suitable for messages and logs.
 *
 * @example
 * ```ts
 * redactUrl('http://h/api/repos?admintoken=s3cret') // 'http://h/api/repos?admintoken=REDACTED'
 * ```
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return String(url).replace(
      new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#]*`, 'gi'),
      '$1REDACTED',
    );
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? 'REDACTED' : '';
    parsed.password = parsed.password ? 'REDACTED' : '';
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.includes(key.toLowerCase())) parsed.searchParams.set(key, 'REDACTED');
  }
  return parsed.toString();
}

/** Shortens long text for an error message, saying how much was cut. */
export function truncateText(text: string, max = MAX_ERROR_BODY_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

/**
 * Base class of every error dvid-ts throws on purpose. `kind` says which member it is.
 *
 * @example
 * ```ts
 * if (err instanceof DvidError) console.log(err.kind, err.message);
 * ```
 */
export class DvidError extends Error {
  readonly kind: DvidErrorKind;
  constructor(kind: DvidErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'DvidError';
  }
}

/** What the SDK was doing when a request failed; shared by the request-level errors. */
export interface RequestContext {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** The request URL with secrets redacted. */
  url: string;
  /** What the SDK was attempting, e.g. `read voxels from "grayscale"`. */
  attempted: string;
}

function describeRequest(ctx: RequestContext): string {
  return `While attempting to ${ctx.attempted}: ${ctx.method} ${ctx.url}`;
}

/**
 * DVID's texts for requests refused because the version node is committed (locked):
 * data writes (`Cannot do POST on endpoint "raw" of locked node <uuid>`), node-level POSTs
 * (`Cannot do post on locked node <uuid>`), instance creation
 * (`New data instance cannot be created on locked node <uuid>`).
 */
const LOCKED_NODE_TEXT = /(?:Cannot do \S+ on (?:endpoint "[^"]*" of )?locked node|New data instance cannot be created on locked node) (\S+?) \(|Could not post to locked node/;

/**
 * DVID answered with a non-success status. DVID reports nearly every error, including unknown
 * UUIDs and instance names, as 400 with a plain-text body, which is kept in `responseText`.
 *
 * A write to a committed (locked) version is one of those 400s; `locked` is then true and
 * `lockedUuid` names the node, and the message says what to do.
 *
 * @example
 * ```ts
 * if (isDvidError(err, 'http')) console.log(err.status, err.responseText);
 * if (isDvidError(err, 'http') && err.locked) console.log(`version ${err.lockedUuid} is committed`);
 * ```
 */
export class DvidHttpError extends DvidError implements RequestContext {
  readonly status: number;
  readonly statusText: string;
  readonly method: string;
  readonly url: string;
  readonly attempted: string;
  /** DVID's response body as text, truncated to {@link MAX_ERROR_BODY_CHARS}. */
  readonly responseText: string;
  /** True when DVID refused the request because the version node is committed (locked). */
  readonly locked: boolean;
  /** The full UUID of the locked node, when DVID's text names it. */
  readonly lockedUuid: string | undefined;
  constructor(ctx: RequestContext & { status: number; statusText?: string; responseText: string }) {
    const body = truncateText(ctx.responseText.trim());
    const lock = ctx.status === 400 ? LOCKED_NODE_TEXT.exec(body) : null;
    super(
      'http',
      `${describeRequest(ctx)}\nDVID returned ${ctx.status}${ctx.statusText ? ` ${ctx.statusText}` : ''}` +
        (body ? `: ${body}` : ' with an empty body') +
        (lock
          ? `\nThe version${lock[1] ? ` ${lock[1]}` : ''} is committed (locked) and accepts no writes: ` +
            'write to a child version (newVersion or branch) or use an unversioned instance.'
          : ''),
    );
    this.locked = lock !== null;
    this.lockedUuid = lock?.[1];
    this.name = 'DvidHttpError';
    this.status = ctx.status;
    this.statusText = ctx.statusText ?? '';
    this.method = ctx.method;
    this.url = ctx.url;
    this.attempted = ctx.attempted;
    this.responseText = body;
  }
}

/**
 * DVID kept answering 503 ("busy", e.g. for `throttle=on` requests) until the retry policy's
 * time bound or attempt limit ran out.
 *
 * @example
 * ```ts
 * if (isDvidError(err, 'busy')) console.log(`${err.attempts} attempts over ${err.elapsedMs} ms`);
 * ```
 */
export class DvidBusyError extends DvidError implements RequestContext {
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly method: string;
  readonly url: string;
  readonly attempted: string;
  readonly responseText: string;
  constructor(
    ctx: RequestContext & { attempts: number; elapsedMs: number; responseText: string; reason?: string },
  ) {
    const body = truncateText(ctx.responseText.trim(), 300);
    super(
      'busy',
      `${describeRequest(ctx)}\nDVID is still busy (503) after ${ctx.attempts} attempt${ctx.attempts === 1 ? '' : 's'} ` +
        `over ${(ctx.elapsedMs / 1000).toFixed(1)} s${ctx.reason ? ` (${ctx.reason})` : ''}` +
        (body ? `; last response: ${body}` : ''),
    );
    this.name = 'DvidBusyError';
    this.attempts = ctx.attempts;
    this.elapsedMs = ctx.elapsedMs;
    this.method = ctx.method;
    this.url = ctx.url;
    this.attempted = ctx.attempted;
    this.responseText = body;
  }
}

/**
 * The request never got an HTTP answer (connection refused, DNS failure, CORS rejection in a
 * browser, reset connection). The underlying error is in `cause`.
 *
 * @example
 * ```ts
 * if (isDvidError(err, 'network')) console.log('is DVID running?', err.url);
 * ```
 */
export class DvidNetworkError extends DvidError implements RequestContext {
  readonly method: string;
  readonly url: string;
  readonly attempted: string;
  constructor(ctx: RequestContext & { cause: unknown }) {
    const reason = ctx.cause instanceof Error ? ctx.cause.message : String(ctx.cause);
    super('network', `${describeRequest(ctx)}\nNo response from DVID: ${reason}`, { cause: ctx.cause });
    this.name = 'DvidNetworkError';
    this.method = ctx.method;
    this.url = ctx.url;
    this.attempted = ctx.attempted;
  }
}

/**
 * A request took longer than the client's `timeout` (per attempt) or the retry policy's total
 * time bound.
 *
 * @example
 * ```ts
 * if (isDvidError(err, 'timeout')) console.log(`gave up after ${err.timeoutMs} ms`);
 * ```
 */
export class DvidTimeoutError extends DvidError implements RequestContext {
  readonly timeoutMs: number;
  readonly method: string;
  readonly url: string;
  readonly attempted: string;
  constructor(ctx: RequestContext & { timeoutMs: number }) {
    super('timeout', `${describeRequest(ctx)}\nNo answer from DVID within ${ctx.timeoutMs} ms`);
    this.name = 'DvidTimeoutError';
    this.timeoutMs = ctx.timeoutMs;
    this.method = ctx.method;
    this.url = ctx.url;
    this.attempted = ctx.attempted;
  }
}

/**
 * A selection (string or object form) is malformed or does not fit the volume: bad syntax,
 * out-of-range integer, step 0, a step on a remote write, a missing channel.
 *
 * @example
 * ```ts
 * try { vol.get('1:2:3:4'); } catch (err) { if (isDvidError(err, 'selection')) console.log(err.item); }
 * ```
 */
export class SelectionError extends DvidError {
  /** The selection text or a description of the object form. */
  readonly selection: string;
  /** Index of the offending item, when one item is to blame. */
  readonly item: number | undefined;
  constructor(message: string, options: { selection: string; item?: number }) {
    super('selection', message);
    this.name = 'SelectionError';
    this.selection = options.selection;
    this.item = options.item;
  }
}

/** One problem found by schema validation. */
export interface SchemaIssue {
  /** JSON pointer into the validated document, e.g. `/Axes/0/Size`. */
  path: string;
  message: string;
}

/**
 * JSON from DVID did not have the shape the SDK relies on. Deliberately not an HTTP error:
 * the request succeeded, the content is unexpected. Turn validation off with the client's
 * `validate: false` if a server is known to differ.
 *
 * @example
 * ```ts
 * if (isDvidError(err, 'schema')) console.log(err.schema, err.issues);
 * ```
 */
export class SchemaValidationError extends DvidError {
  readonly schema: string;
  readonly issues: SchemaIssue[];
  constructor(schema: string, issues: SchemaIssue[], context?: string) {
    const list = issues
      .slice(0, 10)
      .map((i) => `  ${i.path || '(root)'}: ${i.message}`)
      .join('\n');
    super(
      'schema',
      `${context ? `${context}: ` : ''}response does not match the ${schema} schema:\n${list}` +
        (issues.length > 10 ? `\n  … and ${issues.length - 10} more` : ''),
    );
    this.name = 'SchemaValidationError';
    this.schema = schema;
    this.issues = issues;
  }
}

/**
 * Bytes from DVID could not be decoded: wrong length, truncated or lying headers.
 *
 * @example
 * ```ts
 * if (isDvidError(err, 'decode')) console.log(err.codec, err.offset);
 * ```
 */
export class DecodeError extends DvidError {
  readonly codec: string;
  /** Byte offset where decoding failed, when known. */
  readonly offset: number | undefined;
  /** Which block failed (block coordinate or index), when known. */
  readonly block: string | undefined;
  constructor(codec: string, message: string, options: { offset?: number; block?: string; cause?: unknown } = {}) {
    const where = [
      options.block !== undefined ? `block ${options.block}` : '',
      options.offset !== undefined ? `byte ${options.offset}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    super('decode', `${codec}: ${message}${where ? ` (at ${where})` : ''}`, { cause: options.cause });
    this.name = 'DecodeError';
    this.codec = codec;
    this.offset = options.offset;
    this.block = options.block;
  }
}

/**
 * A function argument is invalid (wrong dtype, wrong shape, unsupported option), detected
 * before any request is sent.
 *
 * @example
 * ```ts
 * if (isDvidError(err, 'argument')) console.log(err.argument, err.message);
 * ```
 */
export class DvidArgumentError extends DvidError {
  /** Name of the offending argument. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super('argument', `Invalid ${argument}: ${message}`);
    this.name = 'DvidArgumentError';
    this.argument = argument;
  }
}

/**
 * Why a version reference could not be resolved.
 *
 * @example
 * ```ts
 * if (isDvidError(err, 'version') && err.problem === 'unknown') console.log('no such version');
 * ```
 */
export type VersionReferenceProblem = 'unknown' | 'ambiguous' | 'branch' | 'syntax' | 'out-of-range' | 'repo';

/**
 * A version reference (full UUID, unique prefix, `prefix:branch`, `prefix:branch~N`, tag)
 * names no version, or more than one. `problem` says which: `unknown` (no UUID starts with
 * the prefix), `ambiguous` (several do; `candidates` lists them), `branch` (no such branch),
 * `syntax`, `out-of-range` (`~N` beyond the branch's history), `repo` (`:branch` without a
 * prefix while the server holds several repos).
 *
 * @example
 * ```ts
 * try { await client.resolveVersion('a1'); } catch (err) {
 *   if (isDvidError(err, 'version') && err.problem === 'ambiguous') console.log(err.candidates);
 * }
 * ```
 */
export class VersionReferenceError extends DvidError {
  readonly reference: string;
  readonly problem: VersionReferenceProblem;
  /** Matching UUIDs, for an ambiguous prefix. */
  readonly candidates: string[];
  constructor(reference: string, problem: VersionReferenceProblem, message: string, candidates: string[] = []) {
    super('version', `Version reference ${JSON.stringify(reference)}: ${message}`);
    this.name = 'VersionReferenceError';
    this.reference = reference;
    this.problem = problem;
    this.candidates = candidates;
  }
}

/** Maps each kind to its class, for {@link isDvidError}'s narrowing. */
export interface DvidErrorByKind {
  http: DvidHttpError;
  busy: DvidBusyError;
  network: DvidNetworkError;
  timeout: DvidTimeoutError;
  selection: SelectionError;
  schema: SchemaValidationError;
  decode: DecodeError;
  argument: DvidArgumentError;
  version: VersionReferenceError;
}

/**
 * True when `err` is a dvid-ts error, and of the given kind if one is named. Works across
 * realms (workers, iframes) by also checking the `kind` tag.
 *
 * @example
 * ```ts
 * if (isDvidError(err, 'http') && err.status === 400) ...
 * ```
 */
export function isDvidError(err: unknown): err is DvidError;
export function isDvidError<K extends DvidErrorKind>(err: unknown, kind: K): err is DvidErrorByKind[K];
export function isDvidError(err: unknown, kind?: DvidErrorKind): boolean {
  if (err instanceof DvidError) return kind === undefined || err.kind === kind;
  if (typeof err !== 'object' || err === null) return false;
  const tagged = err as { kind?: unknown; name?: unknown };
  if (typeof tagged.name !== 'string' || typeof tagged.kind !== 'string') return false;
  const known = ['DvidError', 'DvidHttpError', 'DvidBusyError', 'DvidNetworkError', 'DvidTimeoutError', 'SelectionError', 'SchemaValidationError', 'DecodeError', 'DvidArgumentError', 'VersionReferenceError'];
  return known.includes(tagged.name) && (kind === undefined || tagged.kind === kind);
}
