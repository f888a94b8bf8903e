// Encoder and incremental decoder for protocol frames (docs/protocol.md). Pure: bytes in, frames out.
import { FrameType, HEADER_BYTES, MAX_PAYLOAD, isKnownFrameType, type Frame, type FrameTypeCode } from './frames.js';

export class ProtocolError extends Error {
  readonly code = 'PROTOCOL_VIOLATION';
}

export function encodeFrame(type: FrameTypeCode, id: number, payload?: Buffer | Uint8Array): Buffer {
  const len = payload ? payload.length : 0;
  const out = Buffer.allocUnsafe(HEADER_BYTES + len);
  out.writeUInt32BE(len, 0);
  out.writeUInt8(type, 4);
  out.writeUInt32BE(id >>> 0, 5);
  if (payload && len) out.set(payload, HEADER_BYTES);
  return out;
}

export function encodeJsonFrame(type: FrameTypeCode, id: number, value: unknown): Buffer {
  return encodeFrame(type, id, Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Payload = u32 head length | head JSON | body bytes. Built in one allocation: this is the hot path. */
export function encodeHeadBody(type: FrameTypeCode, id: number, head: unknown, body?: Buffer | Uint8Array): Buffer {
  return encodeHeadJson(type, id, JSON.stringify(head), body);
}

/** As encodeHeadBody, for a head the caller already serialised (the gateway caches parts of the event). */
export function encodeHeadJson(type: FrameTypeCode, id: number, headJson: string, body?: Buffer | Uint8Array): Buffer {
  const headLen = Buffer.byteLength(headJson, 'utf8');
  const bodyLen = body ? body.length : 0;
  const payloadLen = 4 + headLen + bodyLen;
  const out = Buffer.allocUnsafe(HEADER_BYTES + payloadLen);
  out.writeUInt32BE(payloadLen, 0);
  out.writeUInt8(type, 4);
  out.writeUInt32BE(id >>> 0, 5);
  out.writeUInt32BE(headLen, HEADER_BYTES);
  out.write(headJson, HEADER_BYTES + 4, headLen, 'utf8');
  if (body && bodyLen) out.set(body, HEADER_BYTES + 4 + headLen);
  return out;
}

export function decodeHeadBody(payload: Buffer): { head: unknown; body: Buffer } {
  if (payload.length < 4) throw new ProtocolError('head+body payload shorter than 4 bytes');
  const headLen = payload.readUInt32BE(0);
  if (4 + headLen > payload.length) throw new ProtocolError('head length exceeds payload');
  const head: unknown = JSON.parse(payload.toString('utf8', 4, 4 + headLen));
  return { head, body: payload.subarray(4 + headLen) };
}

export function decodeJson(payload: Buffer): unknown {
  return JSON.parse(payload.toString('utf8'));
}

export function encodeLog(id: number, stream: 1 | 2, data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const payload = Buffer.allocUnsafe(1 + bytes.length);
  payload.writeUInt8(stream, 0);
  payload.set(bytes, 1);
  return encodeFrame(FrameType.LOG, id, payload);
}

/**
 * Incremental decoder: feed it whatever the socket gives, get whole frames back. Throws ProtocolError on an
 * oversized length or unknown type, after which the decoder must not be used again.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.buffered < HEADER_BYTES) break;
      const head = this.peek(HEADER_BYTES);
      const len = head.readUInt32BE(0);
      const type = head.readUInt8(4);
      if (len > MAX_PAYLOAD) throw new ProtocolError(`frame length ${len} exceeds limit`);
      if (!isKnownFrameType(type)) throw new ProtocolError(`unknown frame type 0x${type.toString(16)}`);
      if (this.buffered < HEADER_BYTES + len) break;
      const id = head.readUInt32BE(5);
      const all = this.take(HEADER_BYTES + len);
      frames.push({ type, id, payload: all.subarray(HEADER_BYTES) });
    }
    return frames;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    let first = this.chunks[0]!;
    if (first.length < n) {
      first = Buffer.concat(this.chunks);
      this.chunks = [first];
    }
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return out;
  }
}
