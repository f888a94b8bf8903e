// SPEC §4.1, §4.3, §4.4: query parsing, request ids and the event head.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEventHead, parseQuery, requestId } from '../../src/invoke/event.js';
import type { FunctionSpec } from '../../src/discovery/types.js';

test('query: + is space, repeated keys are arrays in order, bare keys are true, bad escapes kept', () => {
  assert.deepEqual(parseQuery('a=1&a=2&a=3&b=x+y&c&d=%C3%A9&e=%zz'), { a: ['1', '2', '3'], b: 'x y', c: true, d: 'é', e: '%zz' });
  assert.deepEqual(parseQuery(''), {});
});

test('request id: valid incoming kept, else generated', () => {
  assert.equal(requestId('abc.DEF:1-2_3', 1, 2), 'abc.DEF:1-2_3');
  assert.match(requestId('has space', 1700000000000, 42), /^req-1700000000000-42-\d{6}$/);
  assert.match(requestId('x'.repeat(129), 1, 42), /^req-/);
  assert.match(requestId(undefined, 1, 42), /^req-1-42-\d{6}$/);
});

const spec = (runtime: FunctionSpec['runtime']): FunctionSpec =>
  ({
    key: `${runtime}/a@default`,
    runtime,
    name: 'a',
    version: 'default',
    kind: 'file',
    dir: '.',
    entry: 'a',
    env_files: [],
    hints: {},
    policy: { timeout_ms: 100, max_concurrency: 3, max_body_bytes: 9, include_debug_headers: false, worker_pool: null } as unknown as FunctionSpec['policy'],
  }) as FunctionSpec;

test('event head: hop-by-hop removed, session parsed, console cookie hidden, go/rust params at top level', () => {
  const inp = {
    requestId: 'r1', ts: 5, method: 'GET', path: '/u/7', rawPath: '/u/7?x=1', query: { x: '1' }, params: { id: '7' },
    headers: { connection: 'keep-alive', cookie: 'fastfn_session=s; sid=9; a=%20b; a=second', 'user-agent': 'ua' }, clientIp: '10.0.0.1', route: '/u/:id', deadlineMs: 105,
  };
  const ev = buildEventHead(spec('node'), inp, 1);
  assert.equal((ev.headers as Record<string, unknown>).connection, undefined);
  assert.deepEqual(ev.session, { id: '9', raw: 'sid=9; a=%20b; a=second', cookies: { sid: '9', a: ' b' } });
  assert.equal((ev.headers as Record<string, unknown>).cookie, 'sid=9; a=%20b; a=second');
  assert.deepEqual(ev.client, { ip: '10.0.0.1', ua: 'ua' });
  assert.equal(ev.id, 'r1');
  assert.equal((ev.context as Record<string, unknown>).deadline_ms, 105);
  assert.deepEqual(ev.path_params, ev.params, 'the same values; workers alias the two after decoding');
  const go = buildEventHead(spec('go'), inp, 1);
  assert.equal(go.id, '7', 'the param wins at the top level (SPEC §3.9)');
  assert.equal((go.context as Record<string, unknown>).request_id, 'r1');
});
