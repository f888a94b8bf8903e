// Regenerates test/protocol/vectors.json from the TypeScript codec (the reference implementation).
import { writeFileSync } from 'node:fs';
import { encodeFrame, encodeHeadBody, encodeLog, FrameType } from '../src/protocol/index.js';

type V = { name: string; layout: 'raw' | 'json' | 'head_body' | 'log'; type: number; id: number; json?: unknown; head?: unknown; body_hex?: string; stream?: number; hex: string };
const v: V[] = [];
const hb = (name: string, type: number, id: number, head: unknown, body: Buffer) =>
  v.push({ name, layout: 'head_body', type, id, head, body_hex: body.toString('hex'), hex: encodeHeadBody(type as never, id, head, body).toString('hex') });
const js = (name: string, type: number, id: number, json: unknown) =>
  v.push({ name, layout: 'json', type, id, json, hex: encodeFrame(type as never, id, Buffer.from(JSON.stringify(json))).toString('hex') });
const raw = (name: string, type: number, id: number, body: Buffer) =>
  v.push({ name, layout: 'raw', type, id, body_hex: body.toString('hex'), hex: encodeFrame(type as never, id, body).toString('hex') });

js('hello', FrameType.HELLO, 0, { protocol: 1, runtime: 'python', pid: 42 });
js('loaded_error', FrameType.LOADED, 0, { ok: false, code: 'HANDLER_NOT_FOUND', message: 'handler' });
js('env_unicode', FrameType.ENV, 0, { env: { GREETING: 'héllo ✓' } });
raw('ping', FrameType.PING, 7, Buffer.alloc(0));
raw('pong_max_id', FrameType.PONG, 4294967295, Buffer.alloc(0));
hb('request_utf8', FrameType.REQUEST, 1, { method: 'POST', path: '/x', query: {}, params: { id: '42' } }, Buffer.from('héllo'));
hb('request_binary', FrameType.REQUEST, 65536, { method: 'PUT' }, Buffer.from([0, 255, 254, 10, 13]));
hb('request_empty_body', FrameType.REQUEST, 3, { method: 'GET' }, Buffer.alloc(0));
hb('result_value', FrameType.RESULT, 2, { kind: 'value', value: { status: 201, body: { a: [1, 2] } } }, Buffer.alloc(0));
hb('result_bytes', FrameType.RESULT, 3, { kind: 'bytes' }, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]));
hb('result_error', FrameType.RESULT, 4, { kind: 'error', code: 'HANDLER_ERROR', message: 'boom "quoted"' }, Buffer.alloc(0));
js('stream_head', FrameType.STREAM_HEAD, 5, { status: 200, headers: { 'content-type': 'text/event-stream' } });
raw('stream_chunk', FrameType.STREAM_CHUNK, 5, Buffer.from('data: 1\n\n'));
js('stream_end', FrameType.STREAM_END, 5, {});
v.push({ name: 'log_stderr', layout: 'log', type: FrameType.LOG, id: 9, stream: 2, body_hex: Buffer.from('boom\n').toString('hex'), hex: encodeLog(9, 2, 'boom\n').toString('hex') });
raw('cancel', FrameType.CANCEL, 12, Buffer.alloc(0));

const doc = {
  note: 'Golden frames for docs/protocol.md. JSON is compact (no spaces, key order as written, non-ASCII as raw UTF-8). layout says how the payload is built: json = JSON text; raw = body bytes; head_body = u32 BE head length + head JSON + body; log = stream byte + body. hex is the whole frame.',
  frames: v,
};
writeFileSync(new URL('../test/protocol/vectors.json', import.meta.url), JSON.stringify(doc, null, 1) + '\n');
