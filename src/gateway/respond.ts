// Writes responses: handler results (buffered or streamed) and platform errors, with the platform headers of
// SPEC §5.8/§5.9, gzip (R11), HEAD bodies stripped but lengths kept, SSE never buffered.
import type { ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';
import { toWire, type FnError } from '../errors/catalog.js';
import { bodyLength, type HeaderMap, type NormalizedResponse } from '../invoke/index.js';

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|[a-z0-9.+-]*\+(json|xml))|image\/svg\+xml)/i;
const MIN_GZIP = 1024;

const RID = Symbol('fastfn.requestId');

/** Remembers the request id on the response; every writer stamps it (SPEC §5.8: X-Request-Id on every response). */
export function attachRequestId(res: ServerResponse, id: string): void {
  (res as unknown as Record<symbol, string>)[RID] = id;
}

/** Sets X-Request-Id through the progressive API (for the writers that use setHeader anyway). */
export function stamp(res: ServerResponse): void {
  const id = (res as unknown as Record<symbol, string | undefined>)[RID];
  if (id && !res.headersSent && !res.hasHeader('x-request-id')) res.setHeader('x-request-id', id);
}

export interface WriteOpts {
  head: boolean;
  acceptsGzip: boolean;
  extra: HeaderMap;
  /** SPEC §5.5 `response.stream_timeout_ms`: the longest a stream may run once its head is sent; 0 = unlimited. */
  streamTimeoutMs?: number;
}

function setAll(res: ServerResponse, h: HeaderMap, overwrite: boolean): void {
  for (const [k, v] of Object.entries(h)) {
    if (!overwrite && res.hasHeader(k)) continue;
    res.setHeader(k, v);
  }
}

/** A platform error as `{"error": "..."}` (STYLE rule 1: the catalogue decides status and message). */
export function writeError(res: ServerResponse, err: FnError | unknown, extra: HeaderMap = {}, head = false): number {
  const w = toWire(err);
  if (res.headersSent) {
    res.destroy();
    return w.status;
  }
  stamp(res);
  const body = Buffer.from(w.body);
  res.statusCode = w.status;
  setAll(res, w.headers, true);
  setAll(res, extra, true);
  res.setHeader('content-length', body.length);
  res.end(head ? undefined : body);
  return w.status;
}

/** Plain JSON answers of platform endpoints (health, ready, ...). */
export function writeJson(res: ServerResponse, status: number, value: unknown, head = false): number {
  const body = Buffer.from(JSON.stringify(value));
  stamp(res);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', body.length);
  res.end(head ? undefined : body);
  return status;
}

/**
 * Writes a buffered handler response; returns the bytes sent (a promise only when gzip runs). The head goes out in one writeHead call with
 * a plain object: this is the hot path, and per-header setHeader calls showed up in profiles.
 */
export function writeBuffered(
  res: ServerResponse,
  r: NormalizedResponse & { kind: 'buffer' },
  o: WriteOpts,
): number | Promise<number> {
  const head: Record<string, string | string[]> = { 'x-request-id': (res as unknown as Record<symbol, string>)[RID] ?? '' };
  for (const k in r.headers) head[k] = r.headers[k]!;
  for (const k in o.extra) if (head[k] === undefined) head[k] = o.extra[k]!;
  const ctv = head['content-type'];
  const ct = (Array.isArray(ctv) ? ctv[0] : ctv) ?? '';
  const len = bodyLength(r.body);
  const compress =
    o.acceptsGzip && len >= MIN_GZIP && head['content-encoding'] === undefined && COMPRESSIBLE.test(ct) && !ct.includes('text/event-stream');
  if (!compress) {
    head['content-length'] = String(len);
    res.writeHead(r.status, head);
    res.end(o.head ? undefined : r.body);
    return len;
  }
  const raw = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  return new Promise<number>((resolve) => {
    gzip(raw, (err, zipped) => {
      const body = err ? raw : zipped;
      if (!err) {
        head['content-encoding'] = 'gzip';
        const vary = head.vary;
        head.vary = vary === undefined ? 'Accept-Encoding' : [...(Array.isArray(vary) ? vary : [vary]), 'Accept-Encoding'];
      }
      head['content-length'] = String(body.length);
      res.writeHead(r.status, head);
      res.end(o.head ? undefined : body);
      resolve(body.length);
    });
  });
}

/** Streams a handler response with chunked encoding; each chunk is flushed as it arrives (SPEC §5.5). */
export function writeStream(
  res: ServerResponse,
  r: NormalizedResponse & { kind: 'stream' },
  o: WriteOpts,
  onDone: (bytes: number) => void,
): void {
  stamp(res);
  res.statusCode = r.status;
  setAll(res, r.headers, true);
  setAll(res, o.extra, false);
  const ct = String(res.getHeader('content-type') ?? '');
  if (ct.includes('text/event-stream')) {
    if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-cache');
    if (!res.hasHeader('x-accel-buffering')) res.setHeader('x-accel-buffering', 'no');
  }
  let bytes = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    onDone(bytes);
  };
  if (o.head) {
    r.stream.destroy();
    res.end();
    finish();
    return;
  }
  res.flushHeaders();
  if (o.streamTimeoutMs && o.streamTimeoutMs > 0) {
    const t = setTimeout(() => {
      // Cut the stream: the chunked body is not terminated cleanly, so the client can tell it was incomplete.
      r.stream.destroy();
      res.destroy();
      finish();
    }, o.streamTimeoutMs);
    t.unref();
    res.once('close', () => clearTimeout(t));
  }
  r.stream.on('data', (c: Buffer) => {
    bytes += c.length;
    res.write(c);
  });
  r.stream.on('end', () => {
    res.end();
    finish();
  });
  r.stream.on('error', () => {
    // SPEC §5.5: a failure after the head aborts the connection; the chunked body is not terminated cleanly.
    res.destroy();
    finish();
  });
  res.on('close', () => {
    if (!r.stream.destroyed && !r.stream.readableEnded) r.stream.destroy();
    finish();
  });
}
