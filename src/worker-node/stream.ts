// Streaming responses (SPEC §5.5): turns a ReadableStream, Node Readable or async iterable into STREAM_CHUNK frames
// and one STREAM_END, honouring channel backpressure and CANCEL. It never buffers a whole stream.
import { FrameType, encodeFrame, encodeJsonFrame } from '../protocol/index.js';
import type { Channel } from './channel.js';
import { errorMessage } from './errors.js';

/** A pull-based view of any streaming body, with the way to stop it. */
export interface StreamSource {
  next(): Promise<IteratorResult<unknown>>;
  cancel(): void;
}

interface ActiveStream {
  source: StreamSource;
  cancelled: boolean;
}

const END_OK = Buffer.from('{}');
const noop = (): void => {};

/** A stream source for `value`, or null when it is not a stream. Strings and arrays are not streams. */
export function streamSource(value: unknown): StreamSource | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string | symbol, unknown>;
  if (typeof v.getReader === 'function') {
    const reader = (value as ReadableStream<unknown>).getReader();
    return { next: () => reader.read() as Promise<IteratorResult<unknown>>, cancel: () => void reader.cancel().catch(noop) };
  }
  const iterate = v[Symbol.asyncIterator];
  if (typeof iterate !== 'function') return null;
  const it = (iterate as () => AsyncIterator<unknown>).call(value);
  if (typeof v.pipe === 'function' && typeof v.destroy === 'function') {
    // Node Readable: destroy() also settles a pending next() of its iterator.
    return { next: () => it.next(), cancel: () => void (v.destroy as () => void).call(value) };
  }
  return {
    next: () => it.next(),
    cancel: () => {
      try {
        const r = it.return?.();
        if (r && typeof r.then === 'function') r.then(noop, noop);
      } catch {
        /* an iterator whose return() throws is stopped anyway: we never pull it again */
      }
    },
  };
}

/** Chunk → bytes: text as UTF-8, bytes as they are, anything else as JSON (docs/protocol.md "Streams"). */
function chunkBytes(chunk: unknown): Uint8Array | null {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk === undefined) return null;
  const json = JSON.stringify(chunk);
  return json === undefined ? null : Buffer.from(json, 'utf8');
}

export class Streams {
  private readonly active = new Map<number, ActiveStream>();

  constructor(
    private readonly channel: Channel,
    private readonly logError: (id: number, err: unknown) => void,
  ) {}

  /** Sends the already-encoded STREAM_HEAD and pumps the body; resolves when STREAM_END was sent. */
  async run(id: number, head: Buffer, source: StreamSource | null): Promise<void> {
    this.channel.send(head);
    if (!source) {
      this.channel.send(encodeFrame(FrameType.STREAM_END, id, END_OK));
      return;
    }
    const state: ActiveStream = { source, cancelled: false };
    this.active.set(id, state);
    try {
      for (;;) {
        const r = await source.next();
        if (state.cancelled) return;
        if (r.done) break;
        const bytes = chunkBytes(r.value);
        // A zero-length chunk would read as "end" in HTTP chunked encoding: skip it.
        if (bytes && bytes.length > 0) this.channel.send(encodeFrame(FrameType.STREAM_CHUNK, id, bytes));
        const wait = this.channel.drained();
        if (wait) await wait;
        if (state.cancelled) return;
      }
      this.channel.send(encodeFrame(FrameType.STREAM_END, id, END_OK));
    } catch (e) {
      if (state.cancelled) return;
      this.logError(id, e);
      this.channel.send(encodeJsonFrame(FrameType.STREAM_END, id, { error: errorMessage(e) }));
    } finally {
      this.active.delete(id);
    }
  }

  /** CANCEL: stop pulling, release the source, and close the stream with STREAM_END. False if `id` is no stream. */
  cancel(id: number): boolean {
    const state = this.active.get(id);
    if (!state) return false;
    this.active.delete(id);
    state.cancelled = true;
    state.source.cancel();
    this.channel.send(encodeFrame(FrameType.STREAM_END, id, END_OK));
    return true;
  }
}
