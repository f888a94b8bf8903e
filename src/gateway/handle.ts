// The public edge in SPEC §9.1 order: sanitise, platform paths, home, route match (409/421/405/OPTIONS), versions,
// 404; then dispatch. Every response gets X-Request-Id and one access-log line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FnError } from '../errors/catalog.js';
import { requestId } from '../invoke/index.js';
import { sanitizePath } from '../router/index.js';
import type { MatchResult } from '../router/types.js';
import { effectiveHost } from './client.js';
import { preflight } from './cors.js';
import { dispatch, type DispatchResult } from './dispatch.js';
import { homeTarget, landingPage } from './home.js';
import { attachRequestId, stamp, writeError } from './respond.js';
import type { GatewayContext, RequestInfo } from './context.js';

const PLATFORM_EXACT = new Set(['/openapi.json', '/system/metrics']);

export async function handleRequest(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const t0 = Date.now();
  const t0Perf = performance.now();
  const xr = req.headers['x-request-id'];
  const rid = requestId(Array.isArray(xr) ? xr[0] : xr, t0, process.pid);
  attachRequestId(res, rid);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPathOnly = q < 0 ? url : url.slice(0, q);
  const client = ctx.trust.client(req);
  const info: RequestInfo = {
    requestId: rid,
    t0,
    t0Perf,
    method: (req.method ?? 'GET').toUpperCase(),
    path: rawPathOnly,
    rawPath: url,
    queryString: q < 0 ? '' : url.slice(q + 1),
    client,
    host: effectiveHost(req, client.forwardedHonoured),
  };
  let result: Partial<DispatchResult> & { status: number; bytes?: number } = { status: 500 };
  try {
    const routed = route(ctx, req, res, info);
    result = routed instanceof Promise ? await routed : routed;
  } catch (e) {
    ctx.logger.error('gateway exception', { request_id: rid, error: (e as Error).stack });
    result = { status: writeError(res, new FnError('GATEWAY_EXCEPTION')) };
  }
  ctx.logger.access({
    request_id: rid,
    method: info.method,
    path: info.path,
    route: result.route ?? null,
    status: result.status,
    bytes: result.bytes ?? Number(res.getHeader('content-length') ?? 0),
    latency_ms: Math.round(performance.now() - t0Perf),
    runtime: result.spec?.runtime ?? null,
    function: result.spec?.name ?? null,
    version: result.spec?.version ?? null,
    client_ip: client.ip,
    ua: req.headers['user-agent'] ?? null,
    cold: result.cold ?? false,
    queued: result.queued ?? false,
  });
}

type Routed = Partial<DispatchResult> & { status: number; bytes?: number };

// route, matchAndDispatch and home are plain functions returning the dispatch promise as is: wrapping them in async
// functions cost several promise hops per request.
function route(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo): Routed | Promise<Routed> {
  const head = info.method === 'HEAD';
  // Step 2: path sanitising (SPEC §2.5 M2).
  const sp = sanitizePath(info.path);
  if (!sp.ok) return { status: writeError(res, new FnError('BAD_REQUEST'), {}, head) };
  info.path = sp.path;
  const path = sp.path;
  // Step 3: platform paths.
  if (path === '/_fn' || path.startsWith('/_fn/') || PLATFORM_EXACT.has(path)) return ctx.platform(req, res, info).then((status) => ({ status }));
  if (path === '/fastfn.json' || path === '/fastfn.toml') return { status: writeError(res, new FnError('ROUTE_NOT_FOUND'), {}, head) };
  if (path === '/console' || path.startsWith('/console/')) {
    // SPEC §10.2 UI guard: the console is off unless FN_UI_ENABLED (it is not built yet, so it is always off).
    return { status: writeError(res, new FnError('CONSOLE_UI_DISABLED'), {}, head) };
  }
  const pending = ctx.whenReady();
  if (pending) return pending.then(() => routeReady(ctx, req, res, info, path));
  return routeReady(ctx, req, res, info, path);
}

function routeReady(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, path: string): Routed | Promise<Routed> {
  // Step 4: home routing.
  if (path === '/') return home(ctx, req, res, info);
  return matchAndDispatch(ctx, req, res, info, path);
}

function matchAndDispatch(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  path: string,
): Routed | Promise<Routed> {
  const head = info.method === 'HEAD';
  const { catalog, router } = ctx.routes();
  const m: MatchResult = router.match(path, info.method, info.host);
  switch (m.kind) {
    case 'hit': {
      const spec = catalog.functions.get(m.entry.key);
      if (!spec) return { status: writeError(res, new FnError('ROUTE_NOT_FOUND'), {}, head) };
      return dispatch(ctx, req, res, info, spec, m.entry, m.params);
    }
    case 'conflict':
      return { status: writeError(res, new FnError('AMBIGUOUS_FUNCTION'), {}, head) };
    case 'host':
      return { status: writeError(res, new FnError('HOST_NOT_ALLOWED'), {}, head) };
    case 'method':
      return { status: writeError(res, new FnError('METHOD_NOT_ALLOWED'), { allow: m.allow.join(', ') }, head) };
    case 'options': {
      const first = m.entries[0];
      const spec = first ? catalog.functions.get(first.key) : undefined;
      const h = preflight(req, spec?.policy.cors ?? null, m.allow);
      stamp(res);
      res.statusCode = 204;
      for (const [k, v] of Object.entries(h)) res.setHeader(k, v);
      res.end();
      return { status: 204, bytes: 0 };
    }
    case 'miss': {
      // Step 9: `/<name>@<version>`, then 404 (the /docs page and assets come with their own features).
      const v = router.matchVersion(path);
      if (v) {
        const spec = catalog.functions.get(v.key);
        if (spec) {
          const method = info.method === 'HEAD' ? 'GET' : info.method;
          if (info.method === 'OPTIONS') {
            stamp(res);
            res.statusCode = 204;
            res.setHeader('allow', spec.policy.methods.join(', '));
            res.end();
            return { status: 204, bytes: 0 };
          }
          if (!(spec.policy.methods as string[]).includes(method)) {
            return { status: writeError(res, new FnError('METHOD_NOT_ALLOWED'), { allow: spec.policy.methods.join(', ') }, head) };
          }
          return dispatch(ctx, req, res, info, spec, { route: path, methods: spec.policy.methods, allow_hosts: spec.policy.allow_hosts, key: spec.key, source: 'config', source_rank: 5, force_url: false }, {});
        }
      }
      return { status: writeError(res, new FnError('ROUTE_NOT_FOUND'), {}, head) };
    }
  }
}

function home(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo): Routed | Promise<Routed> {
  const head = info.method === 'HEAD';
  const { catalog } = ctx.routes();
  const target = homeTarget(ctx.settings, catalog, (m) => ctx.logger.warn(m));
  if (target?.kind === 'redirect' && (info.method === 'GET' || head)) {
    stamp(res);
    res.statusCode = 302;
    res.setHeader('location', target.location);
    res.end();
    return { status: 302, bytes: 0 };
  }
  if (target?.kind === 'route') return matchAndDispatch(ctx, req, res, info, target.path);
  if ((info.method === 'GET' || head) && catalog.routes.length > 0) {
    const body = Buffer.from(landingPage(catalog));
    stamp(res);
    res.statusCode = 200;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('content-length', body.length);
    res.end(head ? undefined : body);
    return { status: 200, bytes: body.length };
  }
  return { status: writeError(res, new FnError('ROUTE_NOT_FOUND'), {}, head) };
}
