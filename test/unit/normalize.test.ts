// SPEC §5.1-5.2: envelope detection and normalisation, for every runtime's reply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeReply, isEnvelope } from '../../src/invoke/normalize.js';
import { isFnError } from '../../src/errors/catalog.js';
import type { WorkerReply } from '../../src/runtime-host/worker.js';

const MAX = 10 * 1024 * 1024;
const norm = (value: unknown, body?: Buffer) => {
  const r = normalizeReply({ kind: 'value', value, ...(body ? { body } : {}) } as WorkerReply, 'f.js', MAX);
  assert.equal(r.kind, 'buffer');
  return r as Extract<typeof r, { kind: 'buffer' }>;
};
const fails = (value: unknown, msg: string) =>
  assert.throws(() => norm(value), (e: unknown) => isFnError(e) && e.status === 502 && e.publicMessage === `invalid runtime response: ${msg}`);

test('envelope detection (§5.1)', () => {
  assert.equal(isEnvelope({ status: 'success', data: 1 }), false);
  assert.equal(isEnvelope({ status: 200, data: 1 }), true);
  assert.equal(isEnvelope({ status: '201' }), true);
  assert.equal(isEnvelope({ statusCode: 'x' }), true);
  assert.equal(isEnvelope({ headers: 'nope' }), false);
  assert.equal(isEnvelope({ headers: {} }), true);
  assert.equal(isEnvelope({ proxy: {} }), true);
  assert.equal(isEnvelope({ body: null }), true);
  assert.equal(isEnvelope({ a: 1 }), false);
});

test('shorthands: object/array JSON, string, number, boolean, null', () => {
  assert.deepEqual([norm({ a: 1 }).body.toString(), norm({ a: 1 }).headers['content-type']], ['{"a":1}', 'application/json']);
  assert.equal(norm([1]).body.toString(), '[1]');
  assert.equal(norm('hi').headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(norm(true).body.toString(), 'true');
  const n = norm(null);
  assert.equal(n.body.length, 0);
  assert.equal(n.headers['content-type'], undefined);
  const s = norm({ status: 'success', data: 1 });
  assert.equal(s.status, 200);
  assert.equal(s.body.toString(), '{"status":"success","data":1}');
});

test('R2 content-type inference for string bodies', () => {
  const ct = (body: string) => norm({ body }).headers['content-type'];
  assert.equal(ct('<!DOCTYPE html><p>'), 'text/html; charset=utf-8');
  assert.equal(ct('  <html>'), 'text/html; charset=utf-8');
  assert.equal(ct('x <body> y'), 'text/html; charset=utf-8');
  assert.equal(ct('{"a":1}'), 'application/json');
  assert.equal(ct('[1,2]'), 'application/json');
  assert.equal(ct('{not json'), 'text/plain; charset=utf-8');
  assert.equal(ct('"a string"'), 'text/plain; charset=utf-8');
  assert.equal(norm({ body: 'x', headers: { 'Content-Type': 'text/x-custom' } }).headers['content-type'], 'text/x-custom');
});

test('status: default 200, digit strings, statusCode alias; invalid -> 502 (R7)', () => {
  assert.equal(norm({ body: '' }).status, 200);
  assert.equal(norm({ status: '204' }).status, 204);
  assert.equal(norm({ statusCode: 418, body: 'x' }).status, 418);
  fails({ status: 99 }, 'status must be an integer between 100 and 599');
  fails({ status: 600 }, 'status must be an integer between 100 and 599');
  fails({ statusCode: 'abc' }, 'status must be an integer between 100 and 599');
  fails({ statusCode: 200.5 }, 'status must be an integer between 100 and 599');
});

test('headers: stringified, arrays repeated, null dropped, invalid names and CR/LF refused, hop-by-hop dropped', () => {
  const r = norm({ headers: { 'X-N': 1, 'X-B': false, 'X-A': ['1', '2'], 'X-Null': null, 'Content-Length': '999', Connection: 'close', 'Transfer-Encoding': 'chunked' }, body: 'ok' });
  assert.deepEqual(r.headers, { 'x-n': '1', 'x-b': 'false', 'x-a': ['1', '2'], 'content-type': 'text/plain; charset=utf-8' });
  fails({ headers: { 'bad name': 'x' } }, 'invalid header bad name');
  fails({ headers: { 'X-A': 'a\nb' } }, 'invalid header X-A');
  fails({ headers: { 'X-A': 'a\u0000b' } }, 'invalid header X-A');
});

test('base64 bodies (R5) and the isBase64Encoded alias', () => {
  const r = norm({ is_base64: true, body_base64: Buffer.from([0, 1, 255]).toString('base64') });
  assert.deepEqual([...r.body], [0, 1, 255]);
  assert.equal(r.headers['content-type'], 'application/octet-stream');
  const a = norm({ statusCode: 200, isBase64Encoded: true, body: Buffer.from('hi').toString('base64') });
  assert.equal(a.body.toString(), 'hi');
  fails({ is_base64: true, body_base64: '!!!' }, 'invalid body_base64');
  fails({ is_base64: true }, 'invalid body_base64');
});

test('bytes: whole-body bytes and envelope body bytes default to octet-stream (R6)', () => {
  const b = normalizeReply({ kind: 'bytes', body: Buffer.from([9]) }, 'f', MAX);
  assert.equal(b.kind === 'buffer' && b.headers['content-type'], 'application/octet-stream');
  const e = norm({ status: 201, headers: { 'content-type': 'image/png' } }, Buffer.from([1, 2]));
  assert.equal(e.status, 201);
  assert.equal(e.headers['content-type'], 'image/png');
  assert.deepEqual([...e.body], [1, 2]);
});

test('CSV (R3) and numbers/booleans as bodies (R4)', () => {
  const c = norm({ headers: { 'content-type': 'text/csv' }, body: [{ a: 1, b: 'x,y' }, { a: 2, b: { n: 1 } }] });
  assert.equal(c.body.toString(), 'a,b\n1,"x,y"\n2,"{""n"":1}"\n');
  assert.equal(norm({ headers: { 'content-type': 'text/csv' }, body: [[1, 2], ['a"b', null]] }).body.toString(), '1,2\n"a""b",\n');
  assert.equal(norm({ headers: { 'content-type': 'text/csv' }, body: { x: 1 } }).body.toString(), 'x\n1\n');
  assert.equal(norm({ body: 3.5 }).body.toString(), '3.5');
});

test('size cap (R9) and worker errors', () => {
  assert.throws(() => normalizeReply({ kind: 'bytes', body: Buffer.alloc(11) }, 'f', 10), (e: unknown) => isFnError(e) && e.publicMessage === 'invalid runtime response: response too large');
  const err = (code: string, message: string) => {
    try {
      normalizeReply({ kind: 'error', code, message } as WorkerReply, 'dir/h.py', MAX);
    } catch (e) {
      return isFnError(e) ? [e.status, e.publicMessage] : null;
    }
    return null;
  };
  assert.deepEqual(err('HANDLER_ERROR', 'boom'), [500, 'boom']);
  assert.deepEqual(err('HANDLER_NOT_FOUND', 'main'), [500, 'handler not found in dir/h.py: expected a function named main']);
  assert.deepEqual(err('HANDLER_LOAD_FAILED', 'SyntaxError: x'), [500, 'handler load failed for dir/h.py: SyntaxError: x']);
  assert.deepEqual(err('UNSUPPORTED_ADAPTER', 'soap'), [500, 'unsupported adapter: soap']);
  assert.deepEqual(err('INVALID_RESPONSE', 'cannot serialise handler result: cycle'), [502, 'invalid runtime response: cannot serialise handler result: cycle']);
});
