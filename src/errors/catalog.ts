// The error catalogue: every platform error code with its HTTP status and public message (SPEC §9.2).
// Nothing else decides how a platform error looks on the wire; docs/errors.md is pinned to this table by a test.

export interface CatalogEntry {
  status: number;
  /** Public message, or a template taking the error's arguments. */
  message: string | ((a: Record<string, string>) => string);
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

export const ERROR_CATALOG = {
  BAD_REQUEST: { status: 400, message: 'bad request' },
  ROUTE_NOT_FOUND: { status: 404, message: 'not found' },
  DOCS_DISABLED: { status: 404, message: 'docs disabled' },
  CONSOLE_UI_DISABLED: { status: 404, message: 'console ui disabled' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'method not allowed' },
  AMBIGUOUS_FUNCTION: { status: 409, message: 'ambiguous function' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'payload too large' },
  HOST_NOT_ALLOWED: { status: 421, message: 'host not allowed' },
  POOL_OVERFLOW: { status: 429, message: 'worker pool overflow', headers: { 'retry-after': '1' } },
  POOL_QUEUE_TIMEOUT: { status: 429, message: 'worker pool queue timeout', headers: { 'retry-after': '1' } },
  /** Never seen by a client (it left); recorded in the access log as 499, as proxies do. */
  CLIENT_CLOSED: { status: 499, message: 'client closed request' },
  HANDLER_ERROR: { status: 500, message: (a) => a.message ?? 'handler error' },
  HANDLER_NOT_FOUND: {
    status: 500,
    message: (a) => `handler not found in ${a.file}: expected a function named ${a.name}`,
  },
  HANDLER_LOAD_FAILED: { status: 500, message: (a) => `handler load failed for ${a.file}: ${a.message}` },
  UNSUPPORTED_ADAPTER: { status: 500, message: (a) => `unsupported adapter: ${a.adapter}` },
  DEPS_FAILED: { status: 500, message: (a) => `dependency install failed for ${a.fn}: ${a.message}` },
  BUILD_FAILED: { status: 500, message: (a) => `build failed for ${a.fn}: ${a.message}` },
  BODY_READ_FAILED: { status: 500, message: 'failed to read request body' },
  GATEWAY_EXCEPTION: { status: 500, message: 'gateway exception' },
  INVALID_RESPONSE: { status: 502, message: (a) => `invalid runtime response: ${a.reason}` },
  RUNTIME_ERROR: { status: 502, message: (a) => `runtime error: ${a.reason}` },
  RUNTIME_UNAVAILABLE: { status: 503, message: (a) => `runtime ${a.runtime} unavailable: ${a.message}` },
  RUNTIME_DOWN: { status: 503, message: 'runtime down', headers: { 'retry-after': '2' } },
  FUNCTION_PREPARING: {
    status: 503,
    message: (a) => `function ${a.fn} is preparing: ${a.what}`,
    headers: { 'retry-after': '2' },
  },
  RUNTIME_TIMEOUT: { status: 504, message: 'runtime timeout' },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** A platform error: matched by `code`, never by class (STYLE rule 1, undici's habit). */
export class FnError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly publicMessage: string;

  constructor(code: ErrorCode, args: Record<string, string> = {}, opts: { status?: number } = {}) {
    const entry: CatalogEntry = ERROR_CATALOG[code];
    const msg = typeof entry.message === 'function' ? entry.message(args) : entry.message;
    super(msg);
    this.code = code;
    this.status = opts.status ?? entry.status;
    this.headers = { ...(entry.headers ?? {}) };
    this.publicMessage = msg;
  }
}

export function isFnError(e: unknown): e is FnError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && (e as FnError).publicMessage !== undefined;
}

/** The wire form of any error: a known FnError keeps its message; anything else never leaks (STYLE rule 2). */
export function toWire(e: unknown): { status: number; headers: Record<string, string>; body: string; code: string } {
  const err = isFnError(e) ? e : new FnError('GATEWAY_EXCEPTION');
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-fn-error-code': err.code, ...err.headers },
    body: JSON.stringify({ error: err.publicMessage }),
    code: err.code,
  };
}
