// Reads a request body up to a limit (SPEC §9.4): a larger Content-Length is refused before reading; chunked bodies
// stop at the first byte over the limit. Bodies stay raw bytes.
import type { IncomingMessage } from 'node:http';
import { FnError } from '../errors/catalog.js';

const EMPTY = Buffer.alloc(0);

export function announcedTooLarge(req: IncomingMessage, limit: number): boolean {
  const cl = req.headers['content-length'];
  return cl !== undefined && Number(cl) > limit;
}

/** RFC 9112 §6.3: without Content-Length or Transfer-Encoding a request has no body; nothing to wait for. */
export function hasBody(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  return (cl !== undefined && cl !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (!hasBody(req)) return Promise.resolve(EMPTY);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(new FnError('PAYLOAD_TOO_LARGE'));
        return;
      }
      chunks.push(c);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(new FnError('BODY_READ_FAILED'));
    };
    const onAborted = () => {
      cleanup();
      reject(new FnError('BODY_READ_FAILED'));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
