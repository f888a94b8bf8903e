// One REQUEST → one handler call (SPEC §3.3, §4): completes the event, calls handler(event, params) inside the
// request's async context, and answers with RESULT or a stream. Many requests run at once; none blocks another.
import { ProtocolError, decodeHeadBody } from '../protocol/index.js';
import { requestScope } from './capture.js';
import type { Channel } from './channel.js';
import { eventEnv } from './env.js';
import type { Handler, LoadOutcome } from './loader.js';
import { errorFrame, toReply, type Reply } from './result.js';
import { errorMessage, safeString } from './errors.js';
import { Streams } from './stream.js';

type Event = Record<string, unknown>;

// One decoder for the worker's lifetime: fatal (invalid UTF-8 throws), BOM kept (SPEC §4.2 "delivered unchanged").
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Invoker {
  private handler: Handler | null = null;
  private failure: { code: string; message: string } | null = null;
  /** Requests whose handler has not returned yet; CANCEL removes an id so its result is dropped. */
  private readonly pending = new Set<number>();
  private readonly streams: Streams;
  private queued: Array<[number, Buffer]> | null = null;

  constructor(private readonly channel: Channel) {
    this.streams = new Streams(channel, (id, err) => this.logError(id, err));
  }

  /** The function's static `context` fields from LOAD, merged into every event (docs/protocol.md). */
  private staticContext: Record<string, unknown> | null = null;

  /** REQUESTs that arrive while an ES module entry is still loading wait here. */
  beginLoad(context?: unknown): void {
    this.queued = [];
    if (context !== null && typeof context === 'object' && !Array.isArray(context)) this.staticContext = context as Record<string, unknown>;
  }

  finishLoad(outcome: LoadOutcome): void {
    if (outcome.ok) this.handler = outcome.handler;
    else this.failure = { code: outcome.code, message: outcome.message };
    const queued = this.queued ?? [];
    this.queued = null;
    for (const [id, payload] of queued) this.request(id, payload);
  }

  request(id: number, payload: Buffer): void {
    if (this.queued) {
      this.queued.push([id, payload]);
      return;
    }
    const { head, body } = decodeHeadBody(payload);
    if (head === null || typeof head !== 'object' || Array.isArray(head)) throw new ProtocolError('request head is not an object');
    const event = head as Event;
    // SPEC §3.9: params and path_params are the same object (JSON decoding made two).
    if (event.params !== undefined && event.path_params !== undefined) event.path_params = event.params;
    const ctx = event.context;
    if (this.staticContext && ctx !== null && typeof ctx === 'object') Object.assign(ctx, this.staticContext);
    event.env = eventEnv();
    if (body.length > 0) {
      try {
        event.body = utf8.decode(body);
      } catch {
        event.is_base64 = true;
        event.body_base64 = body.toString('base64');
      }
    }
    const handler = this.handler;
    if (!handler) {
      const f = this.failure ?? { code: 'HANDLER_LOAD_FAILED', message: 'handler not loaded' };
      this.channel.send(errorFrame(id, f.code, f.message));
      return;
    }
    this.pending.add(id);
    requestScope.run(id, invoke, this, handler, id, event);
  }

  cancel(id: number): void {
    if (this.pending.delete(id)) return; // the handler is still running: its result will be dropped
    this.streams.cancel(id);
  }

  /** Called by invoke() in the request's async context once the handler settled. */
  async settle(id: number, result: unknown, threw: boolean): Promise<void> {
    if (threw) {
      if (!this.pending.delete(id)) return;
      this.logError(id, result);
      this.channel.send(errorFrame(id, 'HANDLER_ERROR', errorMessage(result)));
      return;
    }
    let reply: Reply;
    try {
      reply = toReply(id, result);
    } catch (e) {
      // A throwing getter or a broken Response-like object: the handler's value cannot be turned into a response.
      this.logError(id, e);
      reply = { frame: errorFrame(id, 'INVALID_RESPONSE', `cannot serialise handler result: ${errorMessage(e)}`) };
    }
    if (!this.pending.delete(id)) {
      reply.stream?.cancel(); // cancelled before the handler returned: release the stream, send nothing
      return;
    }
    if (reply.stream === undefined) this.channel.send(reply.frame);
    else await this.streams.run(id, reply.frame, reply.stream);
  }

  /** A stack trace to the function's stderr, tagged with the request id (0 = outside a request). */
  logError(id: number, err: unknown): void {
    let stack: unknown;
    try {
      stack = (err as { stack?: unknown } | null)?.stack;
    } catch {
      stack = undefined;
    }
    const text = typeof stack === 'string' && stack ? stack : safeString(err);
    this.channel.log(id, 2, text.endsWith('\n') ? text : `${text}\n`);
  }
}

// A module-level function (not a per-request closure) run by AsyncLocalStorage.run with its arguments.
async function invoke(inv: Invoker, handler: Handler, id: number, event: Event): Promise<void> {
  let result: unknown;
  try {
    result = handler(event, event.params);
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      result = await result;
    }
  } catch (e) {
    return inv.settle(id, e, true);
  }
  return inv.settle(id, result, false);
}

