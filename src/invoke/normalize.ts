// Turns a worker's reply into an HTTP response (SPEC §5.1-5.3), once, for every runtime: envelope detection,
// Content-Type inference, CSV, base64, status and header validation, size cap. Pure: no I/O.
import type { Readable } from 'node:stream';
import { FnError } from '../errors/catalog.js';
import type { WorkerReply } from '../runtime-host/index.js';
import { toCsv } from './csv.js';

export type HeaderMap = Record<string, string | string[]>;

export type NormalizedResponse =
  /** `body` stays a string for text and JSON: Node then writes head and body in one syscall (no writev). */
  | { kind: 'buffer'; status: number; headers: HeaderMap; body: Buffer | string }
  | { kind: 'stream'; status: number; headers: HeaderMap; stream: Readable };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\r\n\0]/;
/** R10: hop-by-hop headers and Content-Length from handlers are dropped (the real length is computed). */
const DROP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer']);
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

const invalid = (reason: string) => new FnError('INVALID_RESPONSE', { reason });

export function normalizeReply(reply: WorkerReply, file: string, maxBytes: number): NormalizedResponse {
  switch (reply.kind) {
    case 'error':
      throw workerError(reply.code, reply.message, file);
    case 'gone':
      throw new FnError('CLIENT_CLOSED');
    case 'bytes':
      return capped({ kind: 'buffer', status: 200, headers: { 'content-type': 'application/octet-stream' }, body: reply.body }, maxBytes);
    case 'stream':
      return { kind: 'stream', status: parseStatus(reply.status), headers: parseHeaders(reply.headers), stream: reply.stream };
    case 'value':
      return capped(normalizeValue(reply.value, reply.body), maxBytes);
  }
}

export function workerError(code: string, message: string, file: string): FnError {
  switch (code) {
    case 'HANDLER_NOT_FOUND':
      return new FnError('HANDLER_NOT_FOUND', { file, name: message });
    case 'HANDLER_LOAD_FAILED':
      return new FnError('HANDLER_LOAD_FAILED', { file, message });
    case 'UNSUPPORTED_ADAPTER':
      return new FnError('UNSUPPORTED_ADAPTER', { adapter: message });
    case 'INVALID_RESPONSE':
      return invalid(message);
    default:
      return new FnError('HANDLER_ERROR', { message });
  }
}

function capped(r: NormalizedResponse & { kind: 'buffer' }, maxBytes: number): NormalizedResponse {
  if (bodyLength(r.body) > maxBytes) throw invalid('response too large');
  return r;
}

export function bodyLength(b: Buffer | string): number {
  return typeof b === 'string' ? Buffer.byteLength(b, 'utf8') : b.length;
}

/** SPEC §5.1: which returned objects are envelopes. */
export function isEnvelope(o: Record<string, unknown>): boolean {
  if ('statusCode' in o || 'body' in o || 'body_base64' in o || 'is_base64' in o || 'isBase64Encoded' in o) return true;
  const s = o.status;
  if ((typeof s === 'number' && Number.isInteger(s)) || (typeof s === 'string' && /^\d+$/.test(s))) return true;
  if (o.headers && typeof o.headers === 'object' && !Array.isArray(o.headers)) return true;
  if (o.proxy && typeof o.proxy === 'object' && !Array.isArray(o.proxy)) return true;
  return false;
}

function normalizeValue(value: unknown, bodyBytes: Buffer | undefined): NormalizedResponse & { kind: 'buffer' } {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && (bodyBytes || isEnvelope(value as Record<string, unknown>))) {
    return envelope(value as Record<string, unknown>, bodyBytes);
  }
  return { kind: 'buffer', status: 200, ...encodeBody(value, {}) };
}

function envelope(o: Record<string, unknown>, bodyBytes: Buffer | undefined): NormalizedResponse & { kind: 'buffer' } {
  const status = parseStatus(o.statusCode !== undefined ? o.statusCode : o.status);
  const headers = parseHeaders(o.headers);
  const aliasB64 = o.isBase64Encoded === true;
  if (o.is_base64 === true || aliasB64) {
    const raw = aliasB64 ? (o.body ?? o.body_base64) : (o.body_base64 ?? o.body);
    if (typeof raw !== 'string') throw invalid('invalid body_base64');
    const compact = raw.replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !B64.test(compact)) throw invalid('invalid body_base64');
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/octet-stream';
    return { kind: 'buffer', status, headers, body: Buffer.from(compact, 'base64') };
  }
  if (bodyBytes) {
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/octet-stream';
    return { kind: 'buffer', status, headers, body: bodyBytes };
  }
  const enc = encodeBody(o.body, headers);
  return { kind: 'buffer', status, headers: enc.headers, body: enc.body };
}

export function parseStatus(s: unknown): number {
  if (s === undefined || s === null) return 200;
  const n = typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : s;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 100 || n > 599) {
    throw invalid('status must be an integer between 100 and 599');
  }
  return n;
}

export function parseHeaders(h: unknown): HeaderMap {
  const out: HeaderMap = {};
  if (h === undefined || h === null) return out;
  if (typeof h !== 'object' || Array.isArray(h)) throw invalid('headers must be an object');
  for (const [name, v] of Object.entries(h as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (!TOKEN.test(name)) throw invalid(`invalid header ${name}`);
    const lower = name.toLowerCase();
    const vals = (Array.isArray(v) ? v : [v]).filter((x) => x !== null && x !== undefined).map((x) => headerValue(name, x));
    if (DROP.has(lower) || !vals.length) continue;
    const prev = out[lower];
    const merged = prev === undefined ? vals : [...(Array.isArray(prev) ? prev : [prev]), ...vals];
    out[lower] = merged.length === 1 ? merged[0]! : merged;
  }
  return out;
}

function headerValue(name: string, x: unknown): string {
  const s = typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : JSON.stringify(x);
  if (BAD_VALUE.test(s)) throw invalid(`invalid header ${name}`);
  return s;
}

function hasHeader(h: HeaderMap, name: string): boolean {
  return h[name] !== undefined;
}

function contentType(h: HeaderMap): string {
  const v = h['content-type'];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** SPEC §5.2 R1-R4 (and R6 for raw bytes). */
function encodeBody(body: unknown, headers: HeaderMap): { headers: HeaderMap; body: Buffer | string } {
  if (body === undefined || body === null) return { headers, body: EMPTY };
  if (typeof body === 'string') {
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = inferTextType(body);
    return { headers, body };
  }
  if (typeof body === 'number' || typeof body === 'boolean') {
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'text/plain; charset=utf-8';
    return { headers, body: String(body) };
  }
  if (typeof body === 'object') {
    if (contentType(headers).toLowerCase().includes('text/csv')) return { headers, body: toCsv(body) };
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    return { headers, body: JSON.stringify(body) };
  }
  throw invalid('unsupported body type');
}

const EMPTY = Buffer.alloc(0);

function inferTextType(s: string): string {
  const t = s.trim();
  const lower = t.slice(0, 64).toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || t.includes('<body') || t.includes('</html>')) {
    return 'text/html; charset=utf-8';
  }
  const c = t[0];
  if (c === '{' || c === '[') {
    try {
      JSON.parse(t);
      return 'application/json';
    } catch {
      /* not JSON: plain text */
    }
  }
  return 'text/plain; charset=utf-8';
}
