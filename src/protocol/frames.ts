// Frame types and message shapes of the worker protocol (docs/protocol.md). No I/O here: the codec is pure,
// so the gateway (runtime-host) and the Node worker share it byte for byte.

export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 9;
export const MAX_PAYLOAD = 0x40000000;

export const FrameType = {
  HELLO: 0x01,
  LOAD: 0x02,
  LOADED: 0x03,
  ENV: 0x04,
  REQUEST: 0x10,
  RESULT: 0x20,
  STREAM_HEAD: 0x21,
  STREAM_CHUNK: 0x22,
  STREAM_END: 0x23,
  LOG: 0x30,
  PING: 0x40,
  PONG: 0x41,
  CANCEL: 0x50,
} as const;
export type FrameTypeName = keyof typeof FrameType;
export type FrameTypeCode = (typeof FrameType)[FrameTypeName];

const KNOWN = new Set<number>(Object.values(FrameType));
export function isKnownFrameType(t: number): t is FrameTypeCode {
  return KNOWN.has(t);
}

export interface Frame {
  type: FrameTypeCode;
  id: number;
  payload: Buffer;
}

export interface HelloMsg {
  protocol: number;
  runtime: string;
  pid: number;
  version?: string;
}

export interface LoadSpec {
  key: string;
  runtime: string;
  name: string;
  version: string;
  root: string;
  dir: string;
  entry: string;
  file: string;
  handler: string;
  adapter: string;
  env: Record<string, string>;
  /** The function's static `context` fields (SPEC §4.6), merged by the worker into every event's `context`. */
  context?: Record<string, unknown>;
}

export type WorkerErrorCode =
  | 'HANDLER_ERROR'
  | 'INVALID_RESPONSE'
  | 'HANDLER_NOT_FOUND'
  | 'HANDLER_LOAD_FAILED'
  | 'UNSUPPORTED_ADAPTER';

export type LoadedMsg = { ok: true } | { ok: false; code: WorkerErrorCode; message: string };

export type ResultHead =
  | { kind: 'value'; value: unknown; body?: 'bytes' }
  | { kind: 'bytes' }
  | { kind: 'error'; code: WorkerErrorCode; message: string };

export interface StreamHead {
  status: unknown;
  headers: unknown;
}

export const LogStream = { stdout: 1, stderr: 2 } as const;
