// CORS (SPEC §9.3): preflight answers and the headers added to actual responses, from a function's `cors` block.
import type { IncomingMessage } from 'node:http';
import type { CorsPolicy, Method } from '../discovery/types.js';
import type { HeaderMap } from '../invoke/index.js';

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function originAllowed(cors: CorsPolicy, origin: string): boolean {
  return cors.allow_origins.includes('*') || cors.allow_origins.includes(origin);
}

function allowOriginValue(cors: CorsPolicy, origin: string): string {
  return cors.allow_origins.includes('*') && !cors.allow_credentials ? '*' : origin;
}

/** Headers for an OPTIONS request: a CORS preflight when it is one and it passes, else just `Allow`. */
export function preflight(req: IncomingMessage, cors: CorsPolicy | null, allow: Method[]): HeaderMap {
  const out: HeaderMap = {};
  const origin = header(req, 'origin');
  const reqMethod = header(req, 'access-control-request-method')?.toUpperCase();
  if (cors && origin && reqMethod) {
    const methods = cors.allow_methods ?? allow;
    if (originAllowed(cors, origin) && (methods as string[]).includes(reqMethod)) {
      out['access-control-allow-origin'] = allowOriginValue(cors, origin);
      out['access-control-allow-methods'] = methods.join(', ');
      const reqHeaders = header(req, 'access-control-request-headers');
      const allowHeaders = cors.allow_headers ? cors.allow_headers.join(', ') : (reqHeaders ?? '');
      if (allowHeaders) out['access-control-allow-headers'] = allowHeaders;
      out['access-control-max-age'] = String(cors.max_age);
      if (cors.allow_credentials) out['access-control-allow-credentials'] = 'true';
      out.vary = 'Origin';
      return out;
    }
  }
  out.allow = allow.join(', ');
  return out;
}

/** Headers for an actual request with an allowed Origin; the handler's own headers are not overwritten. */
export function actualCors(req: IncomingMessage, cors: CorsPolicy | null): HeaderMap {
  const origin = header(req, 'origin');
  if (!cors || !origin || !originAllowed(cors, origin)) return {};
  const out: HeaderMap = { 'access-control-allow-origin': allowOriginValue(cors, origin), vary: 'Origin' };
  if (cors.expose_headers.length) out['access-control-expose-headers'] = cors.expose_headers.join(', ');
  if (cors.allow_credentials) out['access-control-allow-credentials'] = 'true';
  return out;
}
