// Output capture (SPEC §3.10): console.* and process.stdout/stderr writes become LOG frames tagged with the id of the
// request whose async context wrote them (0 outside any request). Installed once at startup; never swapped per request.
import { AsyncLocalStorage } from 'node:async_hooks';

/** The request id of the running async context; undefined outside a request. */
export const requestScope = new AsyncLocalStorage<number>();

/** Sends captured output; returns false when it could not (channel closed), so the write falls through to the fd. */
export type LogSink = (id: number, stream: 1 | 2, data: string | Buffer) => boolean;

type WriteCallback = (err?: Error | null) => void;

export function currentRequestId(): number {
  return requestScope.getStore() ?? 0;
}

export function installCapture(sink: LogSink): void {
  intercept(process.stdout, 1, sink);
  intercept(process.stderr, 2, sink);
}

function intercept(stream: NodeJS.WriteStream, which: 1 | 2, sink: LogSink): void {
  const original = stream.write.bind(stream) as (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
  const write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    const data = toLogData(chunk, encoding);
    if (data.length > 0 && !sink(requestScope.getStore() ?? 0, which, data)) return original(chunk, encoding, cb);
    if (typeof cb === 'function') process.nextTick(cb as WriteCallback, null);
    return true;
  };
  stream.write = write as typeof stream.write;
}

function toLogData(chunk: unknown, encoding: unknown): string | Buffer {
  if (typeof chunk === 'string') {
    if (typeof encoding === 'string' && encoding !== 'utf8' && encoding !== 'utf-8' && Buffer.isEncoding(encoding)) {
      return Buffer.from(chunk, encoding);
    }
    return chunk;
  }
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return String(chunk);
}
