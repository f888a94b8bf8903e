// Runs a matched function for an HTTP request (SPEC §9.1 steps 10-15): state, body, invoke, platform headers, write.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionSpec, RouteEntry } from '../discovery/types.js';
import { FnError, isFnError } from '../errors/catalog.js';
import { HOP_HEADERS, parseQuery, type HeaderMap, type InvokeOutcome } from '../invoke/index.js';
import { announcedTooLarge, hasBody, readBody } from './body.js';

const EMPTY = Buffer.alloc(0);
import { actualCors } from './cors.js';
import { writeBuffered, writeError, writeStream } from './respond.js';
import type { GatewayContext, RequestInfo } from './context.js';

export interface DispatchResult {
  status: number;
  /** Body bytes sent; absent for platform errors (the access log reads Content-Length then). */
  bytes?: number;
  spec: FunctionSpec;
  route: string;
  cold: boolean;
  queued: boolean;
}

export async function dispatch(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  spec: FunctionSpec,
  entry: RouteEntry,
  params: Record<string, string>,
): Promise<DispatchResult> {
  const route = entry.route;
  const head = info.method === 'HEAD';
  // Step 10 comes before the body: an unavailable runtime answers 503 without reading anything.
  const pre = ctx.invoker.precheck(spec);
  if (pre) return early(writeError(res, pre, {}, head), spec, route);
  // Step 11: body limit, refused before reading when announced.
  const limit = spec.policy.max_body_bytes;
  if (announcedTooLarge(req, limit)) {
    res.setHeader('connection', 'close');
    return early(writeError(res, new FnError('PAYLOAD_TOO_LARGE'), {}, head), spec, route);
  }
  let body: Buffer = EMPTY;
  if (hasBody(req))
    try {
      body = await readBody(req, limit);
    } catch (e) {
      res.setHeader('connection', 'close');
      const status = writeError(res, e, {}, head);
      res.once('finish', () => req.socket.destroySoon?.());
      return early(status, spec, route);
    }

  const onGone = (cb: () => void) => {
    const onClose = () => {
      if (!res.writableFinished) cb();
    };
    res.once('close', onClose);
    return () => res.off('close', onClose);
  };
  const headers = collectHeaders(req);
  let out: InvokeOutcome;
  try {
    out = await ctx.invoker.invoke(spec, {
      requestId: info.requestId,
      ts: info.t0,
      method: info.method,
      path: info.path,
      rawPath: info.rawPath,
      query: parseQuery(info.queryString),
      params,
      headers,
      clientIp: info.client.ip,
      route,
      body: body.length ? body : null,
      onGone,
    });
  } catch (e) {
    ctx.logger.error('invoke failed', { request_id: info.requestId, error: (e as Error).stack });
    return early(writeError(res, isFnError(e) ? e : new FnError('GATEWAY_EXCEPTION'), {}, head), spec, route);
  }
  const extra = platformHeaders(ctx, req, info, spec, out);
  if (out.error) {
    const status = out.error.status;
    if (out.dispatched && out.cold && (status === 502 || status === 503 || status === 504)) {
      extra['x-fastfn-warming'] = 'true';
      extra['retry-after'] = '1';
    }
    return answered(writeError(res, out.error, extra, head), undefined, spec, route, out);
  }
  const r = out.response!;
  if (out.cold && r.status < 500) extra['x-fastfn-warmed'] = 'true';
  const opts = { head, acceptsGzip: acceptsGzip(req), extra, streamTimeoutMs: spec.policy.stream_timeout_ms };
  if (r.kind === 'buffer') {
    const written = writeBuffered(res, r, opts);
    const bytes = typeof written === 'number' ? written : await written;
    return answered(r.status, bytes, spec, route, out);
  }
  const bytes = await new Promise<number>((resolve) =>
    writeStream(res, r, opts, (n) => {
      out.finish();
      resolve(n);
    }),
  );
  return answered(r.status, bytes, spec, route, out);
}

/** The result of a request the platform answered before any worker was involved (or when invoke itself failed). */
function early(status: number, spec: FunctionSpec, route: string): DispatchResult {
  return { status, bytes: undefined, spec, route, cold: false, queued: false };
}

/** The result once invoke returned: its cold and queued flags go to the access log. */
function answered(status: number, bytes: number | undefined, spec: FunctionSpec, route: string, out: InvokeOutcome): DispatchResult {
  return { status, bytes, spec, route, cold: out.cold, queued: out.queued };
}

function platformHeaders(
  ctx: GatewayContext,
  req: IncomingMessage,
  info: RequestInfo,
  spec: FunctionSpec,
  out: InvokeOutcome,
): HeaderMap {
  const h: HeaderMap = actualCors(req, spec.policy.cors);
  if (out.dispatched) h['x-fastfn-function-state'] = out.cold ? 'cold' : 'warm';
  if (out.queued) h['x-fastfn-queued'] = 'true';
  if (spec.policy.include_debug_headers) {
    const wp = spec.policy.worker_pool;
    h['x-fn-request-id'] = info.requestId;
    h['x-fn-runtime'] = spec.runtime;
    h['x-fn-function'] = spec.name;
    h['x-fn-version'] = spec.version;
    h['x-fn-latency-ms'] = String(Math.round(performance.now() - info.t0Perf));
    h['x-fn-worker-pool-max-workers'] = String(wp?.max_workers ?? spec.policy.max_concurrency);
    h['x-fn-worker-pool-max-queue'] = String(wp?.max_queue ?? 0);
    h['x-fn-runtime-routing'] = out.routing;
    h['x-fn-runtime-socket-index'] = String(out.workerIndex);
    if (out.stdout.length) h['x-fn-stdout'] = debugText(out.stdout);
    if (out.stderr.length) h['x-fn-stderr'] = debugText(out.stderr);
  }
  void ctx;
  return h;
}

/** SPEC §3.10: first 4096 bytes, JSON-escaped without quotes, ASCII only (no CR/LF reaches the header). */
function debugText(chunks: Buffer[]): string {
  const text = Buffer.concat(chunks).subarray(0, 4096).toString('utf8');
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function acceptsGzip(req: IncomingMessage): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /\bgzip\b/i.test(ae);
}

/**
 * Header names lower-cased; a repeated header becomes an array in order; hop-by-hop headers left out (SPEC §4.1).
 * Leaving them out here, not deleting them later, keeps the object fast for JSON.stringify.
 */
export function collectHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    if (HOP_HEADERS.has(k)) continue;
    const v = raw[i + 1]!;
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}
