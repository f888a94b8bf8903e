// Builds the event head a worker receives (SPEC §4.1, §4.3, §4.4, §4.6), minus body and env which the worker adds
// from the raw bytes and its loaded env (docs/protocol.md). Pure and cheap: it runs once per request.
import type { FunctionSpec } from '../discovery/types.js';
import { quote } from '../util/json-quote.js';

export interface EventInput {
  requestId: string;
  ts: number;
  method: string;
  path: string;
  rawPath: string;
  query: Record<string, string | string[] | true>;
  params: Record<string, string>;
  headers: Record<string, string | string[]>;
  clientIp: string;
  route: string;
  deadlineMs: number;
  trigger?: Record<string, unknown>;
  user?: Record<string, unknown>;
}

const HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
/** Hop-by-hop headers never reach handlers (SPEC §4.1). */
export const HOP_HEADERS: ReadonlySet<string> = new Set(HOP);
/** The console's session cookie never reaches handlers (SPEC §4.4). */
const CONSOLE_COOKIE = 'fastfn_session';

/**
 * The per-function part of `context` (SPEC §4.6). It travels once, in the worker's LOAD (DESIGN §3: static data is
 * not sent with every request); the worker merges it into each event. A change to it recycles the function.
 */
export function staticContext(spec: FunctionSpec, gatewayPid: number): Record<string, unknown> {
  const p = spec.policy;
  const wp = p.worker_pool;
  return {
    runtime: spec.runtime,
    function_name: spec.name,
    version: spec.version,
    timeout_ms: p.timeout_ms,
    max_concurrency: p.max_concurrency,
    max_body_bytes: p.max_body_bytes,
    worker_pool: {
      enabled: !!wp,
      min_warm: wp?.min_warm ?? 0,
      idle_ttl_seconds: wp?.idle_ttl_seconds ?? 300,
      max_workers: wp?.max_workers ?? p.max_concurrency,
      max_queue: wp?.max_queue ?? 0,
      queue_timeout_ms: wp?.queue_timeout_ms ?? 0,
      queue_poll_ms: wp?.queue_poll_ms ?? 20,
      overflow_status: wp?.overflow_status ?? 429,
    },
    gateway: { worker_pid: gatewayPid },
    debug: { enabled: p.include_debug_headers },
  };
}

/**
 * The event head as JSON text, ready for the REQUEST frame: only the per-request part of `context` (the rest came
 * with LOAD). Built as a string because it runs once per request; `deadlineMs` is a separate argument so callers
 * need not copy the request (an object spread here cost ~1.5 µs per request).
 */
export function eventHeadJson(spec: FunctionSpec, inp: Omit<EventInput, 'deadlineMs'>, deadlineMs: number): string {
  let headers = inp.headers;
  for (let i = 0; i < HOP.length; i++) {
    if (headers[HOP[i]!] !== undefined) {
      headers = withoutHop(headers);
      break;
    }
  }
  const q = JSON.stringify;
  const params = isEmpty(inp.params) ? '{}' : q(inp.params);
  let session = '';
  const cookie = headers.cookie;
  if (cookie !== undefined) {
    const list = Array.isArray(cookie) ? cookie : [cookie];
    const sess = parseSession(list);
    session = ',"session":' + q(sess);
    if (sess.raw !== list.join('; ')) {
      if (headers === inp.headers) headers = { ...inp.headers };
      headers.cookie = sess.raw;
    }
  }
  const ua = headers['user-agent'];
  const client =
    '{"ip":' + quote(inp.clientIp) + (ua === undefined ? '}' : ',"ua":' + quote((Array.isArray(ua) ? ua[0] : ua) ?? '') + '}');
  const id = quote(inp.requestId);
  let ctx = '"request_id":' + id + ',"route":' + quote(inp.route) + ',"deadline_ms":' + deadlineMs;
  if (inp.user) ctx += ',"user":' + q(inp.user);
  if (inp.trigger) ctx += ',"trigger":' + q(inp.trigger);
  const path = quote(inp.path);
  let out =
    '{"id":' + id +
    ',"ts":' + inp.ts +
    ',"method":' + quote(inp.method) +
    ',"path":' + path +
    ',"raw_path":' + (inp.rawPath === inp.path ? path : quote(inp.rawPath)) +
    ',"query":' + (isEmpty(inp.query) ? '{}' : q(inp.query)) +
    ',"params":' + params +
    ',"path_params":' + params +
    ',"headers":' + q(headers) +
    session +
    ',"client":' + client +
    ',"context":{' + ctx + '}' +
    ',"version":' + quote(spec.version);
  if (spec.runtime === 'go' || spec.runtime === 'rust') {
    // SPEC §3.9: params are merged into the top level for Go and Rust, replacing built-in fields of the same name
    // (a repeated JSON key: the last one wins when decoded).
    for (const [k, v] of Object.entries(inp.params)) out += ',' + q(k) + ':' + q(v);
  }
  return out + '}';
}

/** A copy without hop-by-hop headers, built by insertion: `delete` would turn the object into a slow dictionary. */
function withoutHop(h: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k in h) if (!HOP_HEADERS.has(k)) out[k] = h[k]!;
  return out;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** The whole event head as the handler sees it (minus body and env): what the worker assembles. For tests. */
export function buildEventHead(spec: FunctionSpec, inp: EventInput, gatewayPid: number): Record<string, unknown> {
  const ev = JSON.parse(eventHeadJson(spec, inp, inp.deadlineMs)) as Record<string, unknown>;
  Object.assign(ev.context as object, staticContext(spec, gatewayPid));
  return ev;
}

function parseSession(cookieHeaders: string[]): { id: string | null; raw: string; cookies: Record<string, string> } {
  const cookies: Record<string, string> = {};
  const kept: string[] = [];
  for (const header of cookieHeaders) {
    for (const part of header.split(';')) {
      const t = part.trim();
      if (!t) continue;
      const eq = t.indexOf('=');
      const name = (eq < 0 ? t : t.slice(0, eq)).trim();
      if (name === CONSOLE_COOKIE) continue;
      kept.push(t);
      if (name in cookies) continue;
      const raw = eq < 0 ? '' : t.slice(eq + 1).trim();
      cookies[name] = safeDecode(raw);
    }
  }
  const id = cookies.session_id ?? cookies.sessionid ?? cookies.sid ?? null;
  return { id, raw: kept.join('; '), cookies };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** SPEC §4.1/§4.3: `+` is a space; a repeated key becomes an array in order; a key without `=` is `true`. */
export function parseQuery(qs: string): Record<string, string | string[] | true> {
  const out: Record<string, string | string[] | true> = {};
  if (!qs) return out;
  for (const part of qs.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeQ(eq < 0 ? part : part.slice(0, eq));
    const v: string | true = eq < 0 ? true : decodeQ(part.slice(eq + 1));
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else {
      const sv = v === true ? '' : v;
      out[k] = Array.isArray(prev) ? [...prev, sv] : [prev === true ? '' : prev, sv];
    }
  }
  return out;
}

function decodeQ(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

let seq = 0;
const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** SPEC §4.1: the incoming X-Request-Id when well-formed, else `req-<epoch_ms>-<gateway_pid>-<6 digits>`. */
export function requestId(incoming: string | undefined, now: number, pid: number): string {
  if (incoming && VALID_ID.test(incoming)) return incoming;
  seq = (seq + 1) % 1000000;
  return `req-${now}-${pid}-${String(seq).padStart(6, '0')}`;
}
