// Converts what a Node handler returned into protocol frames (docs/protocol.md "Result head", SPEC §5.3): RESULT for
// buffered values and bytes, STREAM_HEAD for Response and stream bodies. No normalisation: the gateway does that once.
import { FrameType, encodeHeadBody, encodeJsonFrame } from '../protocol/index.js';
import { streamSource, type StreamSource } from './stream.js';

/**
 * What to send for one result: a whole RESULT frame (`stream` undefined), or a STREAM_HEAD frame plus the body to
 * pump (`stream` null when a Response has no body).
 */
export interface Reply {
  frame: Buffer;
  stream?: StreamSource | null;
}

const NULL_HEAD = { kind: 'value', value: null } as const;
const BYTES_HEAD = { kind: 'bytes' } as const;

export function errorFrame(id: number, code: string, message: string): Buffer {
  return encodeHeadBody(FrameType.RESULT, id, { kind: 'error', code, message });
}

function invalid(id: number, reason: string): Reply {
  return { frame: errorFrame(id, 'INVALID_RESPONSE', `cannot serialise handler result: ${reason}`) };
}

export function toReply(id: number, result: unknown): Reply {
  if (result === undefined || result === null) return { frame: encodeHeadBody(FrameType.RESULT, id, NULL_HEAD) };
  const t = typeof result;
  if (t === 'function' || t === 'symbol' || t === 'bigint') return invalid(id, `a ${t} is not a response`);
  if (t === 'object') {
    const bytes = asBytes(result);
    if (bytes) return { frame: encodeHeadBody(FrameType.RESULT, id, BYTES_HEAD, bytes) };
    if (isResponse(result)) {
      const head = { status: result.status, headers: headersObject(result.headers) };
      return { frame: encodeJsonFrame(FrameType.STREAM_HEAD, id, head), stream: result.body ? streamSource(result.body) : null };
    }
    const obj = result as Record<string, unknown>;
    const body = obj.body;
    if (body !== null && typeof body === 'object') {
      const bodyBytes = asBytes(body);
      if (bodyBytes) {
        const { body: _body, ...rest } = obj;
        fixHeaders(rest);
        return buffered(id, { kind: 'value', value: rest, body: 'bytes' }, bodyBytes);
      }
      const source = streamSource(body);
      if (source) return streamReply(id, obj.status ?? obj.statusCode ?? 200, obj.headers ?? {}, source);
    }
    // A stream returned directly (not as an envelope body): 200 with no headers of its own.
    const direct = streamSource(result);
    if (direct) return streamReply(id, 200, {}, direct);
    if (isHeaders(obj.headers)) return buffered(id, { kind: 'value', value: { ...obj, headers: headersObject(obj.headers) } });
  }
  return buffered(id, { kind: 'value', value: result });
}

function buffered(id: number, head: unknown, body?: Uint8Array): Reply {
  try {
    return { frame: encodeHeadBody(FrameType.RESULT, id, head, body) };
  } catch (e) {
    return invalid(id, firstLine(e));
  }
}

function streamReply(id: number, status: unknown, headers: unknown, source: StreamSource): Reply {
  const h = isHeaders(headers) ? headersObject(headers) : headers;
  try {
    return { frame: encodeJsonFrame(FrameType.STREAM_HEAD, id, { status, headers: h }), stream: source };
  } catch (e) {
    source.cancel();
    return invalid(id, firstLine(e));
  }
}

function fixHeaders(envelope: Record<string, unknown>): void {
  if (isHeaders(envelope.headers)) envelope.headers = headersObject(envelope.headers);
}

/** JSON.stringify's reason ("Converting circular structure to JSON", "Do not know how to serialize a BigInt"). */
function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const nl = msg.indexOf('\n');
  return nl === -1 ? msg : msg.slice(0, nl);
}

function asBytes(v: object): Uint8Array | null {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return null;
}

interface ResponseLike {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
}

/**
 * WHATWG Response, also from another realm or a userland fetch implementation (duck-typed). Never `instanceof
 * Response`: touching that global makes Node 20 load undici, ~30-70 ms on a function's first request.
 */
function isResponse(v: object): v is ResponseLike {
  const r = v as Record<string, unknown>;
  return (
    typeof r.status === 'number' &&
    typeof r.arrayBuffer === 'function' &&
    typeof r.clone === 'function' &&
    r.headers !== null &&
    typeof r.headers === 'object' &&
    typeof (r.headers as { forEach?: unknown }).forEach === 'function'
  );
}

/** A WHATWG Headers object, duck-typed for the same reason as isResponse. */
function isHeaders(h: unknown): h is Headers {
  return (
    h !== null &&
    typeof h === 'object' &&
    typeof (h as Headers).forEach === 'function' &&
    typeof (h as Headers).get === 'function' &&
    typeof (h as Headers).has === 'function'
  );
}

/** Headers → plain object; repeated Set-Cookie stays a list (Headers would join it with ", "). */
export function headersObject(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
  if (cookies.length === 1) out['set-cookie'] = cookies[0]!;
  else if (cookies.length > 1) out['set-cookie'] = cookies;
  return out;
}
