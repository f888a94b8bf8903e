// Node worker: event completion (SPEC §4.2) and result conversion into RESULT / STREAM frames (docs/protocol.md, §5.3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkerClient } from './helpers.js';

let w: WorkerClient;
let nextId = 100;
before(async () => {
  const r = await WorkerClient.start({ entry: 'shapes/handler.js' });
  assert.deepEqual(r.loaded, { ok: true });
  w = r.w;
});
after(() => w.kill());

const call = (mode: string, extra: Record<string, unknown> = {}, body?: Buffer) => w.call(nextId++, { mode }, extra, body);

describe('node worker: request body', () => {
  it('UTF-8 body → body (BOM kept); no body → no field', async () => {
    const text = '\uFEFF{"a":"é ✓"}';
    let r = await call('body', {}, Buffer.from(text, 'utf8'));
    assert.deepEqual(r.result?.head.value.got, { body: text, is_base64: null, body_base64: null });
    r = await call('body');
    assert.deepEqual(r.result?.head.value.got, { body: null, is_base64: null, body_base64: null });
  });

  it('binary body with all 256 byte values → is_base64 + body_base64, byte-exact', async () => {
    const bytes = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) bytes[i] = i;
    const r = await call('body', {}, bytes);
    const got = r.result?.head.value.got;
    assert.equal(got.body, null);
    assert.equal(got.is_base64, true);
    assert.deepEqual(Buffer.from(got.body_base64, 'base64'), bytes);
  });
});

describe('node worker: buffered results', () => {
  it('values: object, string, number', async () => {
    assert.deepEqual((await call('value')).result?.head, { kind: 'value', value: { hello: 'world', list: [1, 2, 3] } });
    assert.deepEqual((await call('string')).result?.head, { kind: 'value', value: 'just text' });
    assert.deepEqual((await call('number')).result?.head, { kind: 'value', value: 42 });
    assert.deepEqual((await call('sync')).result?.head, { kind: 'value', value: 'sync result' });
  });

  it('null and undefined → value null', async () => {
    assert.deepEqual((await call('null')).result?.head, { kind: 'value', value: null });
    assert.deepEqual((await call('undefined')).result?.head, { kind: 'value', value: null });
  });

  it('Buffer, Uint8Array and ArrayBuffer → kind bytes with the raw bytes', async () => {
    let r = await call('bytes');
    assert.deepEqual(r.result?.head, { kind: 'bytes' });
    assert.deepEqual(r.result?.body, Buffer.from([0, 1, 2, 254, 255]));
    r = await call('u8');
    assert.deepEqual(r.result?.body, Buffer.from([7, 8, 9]));
    r = await call('arraybuffer');
    assert.deepEqual(r.result?.body, Buffer.from([10, 11]));
  });

  it('envelope with a Buffer body → value without body, body:"bytes", bytes in the frame body', async () => {
    const r = await call('buffer-body');
    assert.deepEqual(r.result?.head, { kind: 'value', value: { status: 201, headers: { 'content-type': 'image/png' } }, body: 'bytes' });
    assert.deepEqual(r.result?.body, Buffer.from([137, 80, 78, 71]));
  });

  it('envelope headers given as a Headers instance become a plain object', async () => {
    const r = await call('headers-instance');
    assert.deepEqual(r.result?.head.value, { status: 200, headers: { 'x-h': 'one' }, body: 'with Headers' });
  });

  it('circular, BigInt and function results → INVALID_RESPONSE', async () => {
    let r = await call('circular');
    assert.equal(r.result?.head.kind, 'error');
    assert.equal(r.result?.head.code, 'INVALID_RESPONSE');
    assert.match(r.result?.head.message, /^cannot serialise handler result: Converting circular structure to JSON$/);
    r = await call('bigint');
    assert.equal(r.result?.head.code, 'INVALID_RESPONSE');
    assert.match(r.result?.head.message, /^cannot serialise handler result: .*BigInt/);
    r = await call('function');
    assert.deepEqual(r.result?.head, { kind: 'error', code: 'INVALID_RESPONSE', message: 'cannot serialise handler result: a function is not a response' });
  });
});

describe('node worker: handler errors', () => {
  it('a result whose conversion throws (throwing getter) → INVALID_RESPONSE, not a hung request', async () => {
    const r = await call('throwing-getter');
    assert.deepEqual(r.result?.head, { kind: 'error', code: 'INVALID_RESPONSE', message: 'cannot serialise handler result: getter exploded' });
  });

  it('thrown Error → HANDLER_ERROR with its message; the stack goes to stderr tagged with the request id', async () => {
    const id = nextId++;
    const r = await w.call(id, { mode: 'throw' });
    assert.deepEqual(r.result?.head, { kind: 'error', code: 'HANDLER_ERROR', message: `boom req-${id}` });
    const { stderr } = w.logs(id);
    assert.match(stderr, new RegExp(`Error: boom req-${id}\\n\\s+at `));
    assert.match(stderr, /shapes\/handler\.js/);
    assert.equal(w.logs(0).stderr.includes(`boom req-${id}`), false);
  });

  it('rejected promise and thrown non-Error', async () => {
    assert.deepEqual((await call('throw-async')).result?.head, { kind: 'error', code: 'HANDLER_ERROR', message: 'async boom' });
    assert.deepEqual((await call('throw-string')).result?.head, { kind: 'error', code: 'HANDLER_ERROR', message: 'plain string' });
    // No toString at all: still answered, never a hung request.
    assert.deepEqual((await call('throw-bare-object')).result?.head, { kind: 'error', code: 'HANDLER_ERROR', message: '[object Object]' });
  });
});

describe('node worker: streams', () => {
  it('Response → STREAM_HEAD with status and headers (repeated set-cookie as a list), chunks, STREAM_END', async () => {
    const r = await call('response');
    assert.equal(r.result, undefined);
    assert.deepEqual(r.streamHead, {
      status: 202,
      headers: { 'content-type': 'text/plain', 'x-a': '1', 'set-cookie': ['a=1', 'b=2'] },
    });
    assert.equal(Buffer.concat(r.chunks).toString(), 'hello response');
    assert.deepEqual(r.end, {});
  });

  it('Response without a body → head and end only', async () => {
    const r = await call('response-empty');
    assert.equal(r.streamHead?.status, 204);
    assert.deepEqual(r.chunks, []);
    assert.deepEqual(r.end, {});
  });

  it('envelope with an async generator body → 3 chunks (string, bytes, JSON)', async () => {
    const r = await call('asyncgen');
    assert.deepEqual(r.streamHead, { status: 200, headers: { 'content-type': 'text/plain' } });
    assert.deepEqual(r.chunks.map(String), ['one ', 'two ', '{"three":3}']);
    assert.deepEqual(r.end, {});
  });

  it('an async generator returned directly streams with status 200', async () => {
    const r = await call('direct-asyncgen');
    assert.deepEqual(r.streamHead, { status: 200, headers: {} });
    assert.deepEqual(r.chunks.map(String), ['a', 'b']);
  });

  it('envelope with a Node Readable body', async () => {
    const r = await call('readable');
    assert.deepEqual(r.streamHead, { status: 206, headers: { 'x-r': 'yes' } });
    assert.deepEqual(r.chunks.map(String), ['r1', 'r2', 'r3']);
    assert.deepEqual(r.end, {});
  });

  it('envelope with a ReadableStream body (bytes and text chunks)', async () => {
    const r = await call('readablestream');
    assert.deepEqual(r.streamHead, { status: 200, headers: {} });
    assert.deepEqual(r.chunks.map(String), ['rs1', 'rs2']);
  });

  it('an error after the head → STREAM_END {error} and the stack on stderr with the request id', async () => {
    const id = nextId++;
    const r = await w.call(id, { mode: 'stream-error' });
    assert.deepEqual(r.chunks.map(String), ['before']);
    assert.deepEqual(r.end, { error: 'stream broke' });
    assert.match(w.logs(id).stderr, /Error: stream broke/);
  });

  it('CANCEL stops an endless async generator (its finally runs) and sends STREAM_END', async () => {
    const id = nextId++;
    const done = w.call(id, { mode: 'infinite' });
    await w.waitFor((f) => f.id === id && f.type === 0x22);
    w.send(0x50, id);
    const r = await done;
    assert.deepEqual(r.end, {});
    const count = await waitForValue(() => call('cleanup-count'), (v) => v.cleaned >= 1);
    assert.equal(count.cleaned, 1);
  });

  it('CANCEL destroys a Node Readable body', async () => {
    const id = nextId++;
    const done = w.call(id, { mode: 'readable-infinite' });
    await w.waitFor((f) => f.id === id && f.type === 0x22);
    w.send(0x50, id);
    assert.deepEqual((await done).end, {});
    const v = await waitForValue(() => call('readable-closed'), (x) => x.closed === true);
    assert.equal(v.closed, true);
  });

  it('CANCEL before the handler returns drops the result', async () => {
    const id = nextId++;
    w.call(id, { mode: 'slow', ms: '50' }).catch(() => {});
    w.send(0x50, id);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(w.frames.some((f) => f.id === id && f.type === 0x20), false);
    // The worker is still healthy.
    assert.deepEqual((await call('string')).result?.head.value, 'just text');
  });
});

async function waitForValue(get: () => Promise<{ result?: { head: Record<string, any> } }>, ok: (v: any) => boolean): Promise<any> {
  for (let i = 0; i < 50; i++) {
    const v = (await get()).result?.head.value;
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  return (await get()).result?.head.value;
}
