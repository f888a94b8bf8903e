// SPEC §4 (event), §5 (responses), §9.3 (HEAD, OPTIONS, CORS), §5.8/§5.9 (platform and debug headers), for the
// Node and Python workers through the real gateway.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { makeTree } from '../helpers/tree.js';
import { raw, startServer, type Running } from '../helpers/server.js';

let srv: Running;
let tree: { root: string; cleanup(): void };
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

before(async () => {
  tree = makeTree({
    'echo.js': `exports.handler = async (event, params) => ({ event, params });`,
    'echo-py.py': 'def handler(event):\n    return {"event": event}\n',
    'items/[sku].py': 'def handler(event, sku, params, missing=None):\n    return {"sku": sku, "params": params, "missing": missing}\n',
    'items/[sku]/get.detail.js': 'exports.handler = async (event, params) => ({ sku: params.sku, same: event.params === event.path_params || JSON.stringify(event.params) === JSON.stringify(event.path_params) });',
    'bin.js': `exports.handler = async (event) => Buffer.from(event.body_base64 ?? '', 'base64');`,
    'bin-py.py': 'import base64\ndef handler(event):\n    return base64.b64decode(event.get("body_base64", ""))\n',
    'b64env.js': `exports.handler = async () => ({ status: 201, headers: { 'content-type': 'image/png' }, is_base64: true, body_base64: Buffer.from([137, 80, 78, 71, 0, 255]).toString('base64') });`,
    'shapes/get.str.js': `exports.handler = async () => 'plain text';`,
    'shapes/get.html.js': `exports.handler = async () => '<!doctype html><p>hi</p>';`,
    'shapes/get.jsonstr.js': `exports.handler = async () => '{"a":1}';`,
    'shapes/get.num.js': `exports.handler = async () => 42;`,
    'shapes/get.nul.js': `exports.handler = async () => null;`,
    'shapes/get.arr.py': 'def handler(event):\n    return [1, 2, 3]\n',
    'shapes/get.tuple.py': 'def handler(event):\n    return ("created", 201, {"X-Kind": "tuple"})\n',
    'shapes/get.statusword.js': `exports.handler = async () => ({ status: 'success', data: [1] });`,
    'shapes/get.csv.js': `exports.handler = async () => ({ headers: { 'Content-Type': 'text/csv' }, body: [{ a: 1, b: 'x,y' }, { a: 2, b: 'q"z' }] });`,
    'shapes/get.big.js': `exports.handler = async () => ({ data: 'x'.repeat(5000) });`,
    'shapes/get.multi.js': `exports.handler = async () => ({ headers: { 'Set-Cookie': ['a=1', 'b=2'], 'X-Num': 7, 'X-Null': null }, body: 'ok' });`,
    'shapes/get.response.js': `exports.handler = async () => new Response('from Response', { status: 202, headers: { 'x-r': '1' } });`,
    'sse/get.js': `exports.handler = async () => ({ headers: { 'Content-Type': 'text/event-stream' }, body: (async function* () { for (let i = 0; i < 3; i++) { yield 'data: ' + i + '\\n\\n'; await new Promise((r) => setTimeout(r, 50)); } })() });`,
    'sse/get.py.py': 'def handler(event):\n    def gen():\n        for i in range(3):\n            yield f"data: {i}\\n\\n"\n    return {"headers": {"Content-Type": "text/event-stream"}, "body": gen()}\n',
    'logs/fn.config.json': { response: { include_debug_headers: true } },
    'logs/get.js': `exports.handler = async () => { console.log('hello stdout ✓'); console.error('hello stderr'); return 'logged'; };`,
    'logs/get.py.py': 'import sys\ndef handler(event):\n    print("py out")\n    print("py err", file=sys.stderr)\n    return "logged"\n',
    'cors/fn.config.json': { invoke: { methods: ['GET', 'POST'] }, cors: { allow_origins: ['https://app.example.com'], expose_headers: ['X-Total'], max_age: 120 } },
    'cors/handler.js': `exports.handler = async () => ({ headers: { 'X-Total': '3' }, body: 'cors' });`,
    'envfn/handler.py': 'import os\ndef handler(event):\n    return {"env": event["env"], "os_region": os.environ.get("REGION"), "leak": {k: v for k, v in os.environ.items() if k.startswith("FN_")}}\n',
    'envfn/fn.env.json': { REGION: 'eu-west-1', RETRIES: 3, GONE: null, API_TOKEN: { value: 'tok', is_secret: true } },
    'envnode/handler.js': `exports.handler = async (event) => ({ env: event.env, proc: process.env.REGION, fnKeys: Object.keys(process.env).filter((k) => k.startsWith('FN_')), keys: Object.keys(process.env).sort() });`,
    'envnode/fn.env.json': { REGION: 'us-east-1' },
  });
  srv = await startServer(tree.root, { env: { FN_ADMIN_TOKEN: 'super-secret-admin', FN_CONSOLE_SESSION_SECRET: 'x', SECRET_HOST_VAR: 'nope' } });
});
after(async () => {
  await srv?.stop();
  tree?.cleanup();
});

test('event fields (node): method, path, raw_path, query, params, headers, client, context, env, version', async () => {
  const r = await raw(srv.port, 'POST', '/echo?a=1&a=2&b=x+y&flag', { headers: { 'X-Custom': 'v', cookie: 'sid=abc; theme=dark' }, body: 'héllo' });
  // echo.js allows GET only: POST gives 405.
  assert.equal(r.status, 405);
  const g = await raw(srv.port, 'GET', '/echo?a=1&a=2&b=x+y&flag&e=%C3%A9', { headers: { 'X-Custom': 'v', cookie: 'sid=abc; theme=dark; fastfn_session=zzz', 'user-agent': 'ua/1' } });
  assert.equal(g.status, 200);
  const ev = g.json().event;
  assert.equal(ev.method, 'GET');
  assert.equal(ev.path, '/echo');
  assert.equal(ev.raw_path, '/echo?a=1&a=2&b=x+y&flag&e=%C3%A9');
  assert.deepEqual(ev.query, { a: ['1', '2'], b: 'x y', flag: true, e: 'é' });
  assert.deepEqual(ev.params, {});
  assert.equal(ev.headers['x-custom'], 'v');
  assert.deepEqual(ev.session, { id: 'abc', raw: 'sid=abc; theme=dark', cookies: { sid: 'abc', theme: 'dark' } });
  assert.deepEqual(ev.client, { ip: '127.0.0.1', ua: 'ua/1' });
  assert.equal(ev.context.runtime, 'node');
  assert.equal(ev.context.function_name, 'echo.js');
  assert.equal(ev.context.route, '/echo');
  assert.equal(ev.context.request_id, ev.id);
  assert.ok(ev.context.deadline_ms > ev.ts);
  assert.equal(ev.context.timeout_ms, 2500);
  assert.deepEqual(ev.env, {});
  assert.equal(ev.version, 'default');
  assert.equal(ev.body, undefined, 'no body field without a body');
});

test('event fields (python) and direct params by name, params dict, defaults', async () => {
  const e = await raw(srv.port, 'GET', '/echo-py?x=1');
  assert.equal(e.status, 200);
  assert.equal(e.json().event.context.runtime, 'python');
  const r = await raw(srv.port, 'GET', '/items/A%20B');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { sku: 'A B', params: { sku: 'A B' }, missing: null });
  const d = await raw(srv.port, 'GET', '/items/42/detail');
  assert.deepEqual(d.json(), { sku: '42', same: true });
});

test('binary request and response bodies are byte-exact (node, python)', async () => {
  for (const p of ['/bin', '/bin-py']) {
    // GET with a body: the route only allows GET.
    const r = await raw(srv.port, 'GET', p, { body: ALL_BYTES, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    assert.ok(r.body.equals(ALL_BYTES), `${p} round trip`);
  }
  const b = await raw(srv.port, 'GET', '/b64env');
  assert.equal(b.status, 201);
  assert.equal(b.headers['content-type'], 'image/png');
  assert.ok(b.body.equals(Buffer.from([137, 80, 78, 71, 0, 255])));
});

test('response shapes and Content-Type inference (SPEC §5.2)', async () => {
  const cases: [string, number, string | undefined, string][] = [
    ['/shapes/str', 200, 'text/plain; charset=utf-8', 'plain text'],
    ['/shapes/html', 200, 'text/html; charset=utf-8', '<!doctype html><p>hi</p>'],
    ['/shapes/jsonstr', 200, 'application/json', '{"a":1}'],
    ['/shapes/num', 200, 'text/plain; charset=utf-8', '42'],
    ['/shapes/nul', 200, undefined, ''],
    ['/shapes/arr', 200, 'application/json', '[1,2,3]'],
    ['/shapes/tuple', 201, 'text/plain; charset=utf-8', 'created'],
    ['/shapes/statusword', 200, 'application/json', '{"status":"success","data":[1]}'],
    ['/shapes/csv', 200, 'text/csv', 'a,b\n1,"x,y"\n2,"q""z"\n'],
    ['/shapes/response', 202, 'text/plain;charset=UTF-8', 'from Response'],
  ];
  for (const [p, status, ct, body] of cases) {
    const r = await raw(srv.port, 'GET', p);
    assert.equal(r.status, status, p);
    assert.equal(r.headers['content-type'], ct, p);
    assert.equal(r.text, body, p);
  }
  const t = await raw(srv.port, 'GET', '/shapes/tuple');
  assert.equal(t.headers['x-kind'], 'tuple');
  const m = await raw(srv.port, 'GET', '/shapes/multi');
  assert.deepEqual(m.headers['set-cookie'], ['a=1', 'b=2']);
  assert.equal(m.headers['x-num'], '7');
  assert.equal(m.headers['x-null'], undefined);
});

test('gzip for large JSON when accepted; HEAD keeps Content-Length without a body', async () => {
  const r = await raw(srv.port, 'GET', '/shapes/big', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(JSON.parse(gunzipSync(r.body).toString()).data.length, 5000);
  const plain = await raw(srv.port, 'GET', '/shapes/big');
  assert.equal(plain.headers['content-encoding'], undefined);
  const h = await raw(srv.port, 'HEAD', '/shapes/big');
  assert.equal(h.status, 200);
  assert.equal(h.body.length, 0);
  assert.equal(Number(h.headers['content-length']), plain.body.length);
});

test('streaming SSE from node and python: chunked, no-cache, not compressed', async () => {
  for (const p of ['/sse', '/sse/py']) {
    const r = await raw(srv.port, 'GET', p, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type'], 'text/event-stream');
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.equal(r.headers['x-accel-buffering'], 'no');
    assert.equal(r.headers['transfer-encoding'], 'chunked');
    assert.equal(r.headers['content-encoding'], undefined);
    assert.equal(r.text, 'data: 0\n\ndata: 1\n\ndata: 2\n\n');
  }
});

test('cold then warm: X-FastFN-Function-State and X-FastFN-Warmed', async () => {
  const first = await raw(srv.port, 'GET', '/shapes/num');
  const second = await raw(srv.port, 'GET', '/shapes/num');
  assert.equal(second.headers['x-fastfn-function-state'], 'warm');
  assert.equal(second.headers['x-fastfn-warmed'], undefined);
  assert.ok(first.headers['x-fastfn-function-state']);
  const fresh = await raw(srv.port, 'GET', '/shapes/jsonstr?cold=1');
  void fresh;
});

test('debug headers carry captured stdout/stderr, JSON-escaped ASCII (node, python)', async () => {
  const r = await raw(srv.port, 'GET', '/logs');
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-fn-runtime'], 'node');
  assert.equal(r.headers['x-fn-function'], 'logs/get.js');
  assert.equal(r.headers['x-fn-version'], 'default');
  assert.equal(r.headers['x-fn-stdout'], 'hello stdout \\u2713\\n');
  assert.equal(r.headers['x-fn-stderr'], 'hello stderr\\n');
  assert.match(String(r.headers['x-fn-latency-ms']), /^\d+$/);
  const p = await raw(srv.port, 'GET', '/logs/py');
  assert.equal(p.headers['x-fn-stdout'], 'py out\\n');
  assert.equal(p.headers['x-fn-stderr'], 'py err\\n');
  await srv.waitFor('[fn:logs/get.js@default stdout] hello stdout ✓');
  await srv.waitFor('[fn:logs/get.py.py@default stderr] py err');
});

test('OPTIONS: 204 with Allow; CORS preflight and actual response headers', async () => {
  const o = await raw(srv.port, 'OPTIONS', '/shapes/num');
  assert.equal(o.status, 204);
  assert.equal(o.headers.allow, 'GET');
  const pre = await raw(srv.port, 'OPTIONS', '/cors', { headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-a' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(pre.headers['access-control-allow-methods'], 'GET, POST');
  assert.equal(pre.headers['access-control-allow-headers'], 'x-a');
  assert.equal(pre.headers['access-control-max-age'], '120');
  const bad = await raw(srv.port, 'OPTIONS', '/cors', { headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
  assert.equal(bad.status, 204);
  assert.equal(bad.headers['access-control-allow-origin'], undefined);
  assert.equal(bad.headers.allow, 'GET, POST');
  const act = await raw(srv.port, 'GET', '/cors', { headers: { origin: 'https://app.example.com' } });
  assert.equal(act.headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(act.headers['access-control-expose-headers'], 'X-Total');
  assert.equal(act.headers.vary, 'Origin');
});

test('fn.env.json reaches event.env and the process env; the platform environment does not (SEC-01)', async () => {
  const r = await raw(srv.port, 'GET', '/envfn');
  assert.equal(r.status, 200, r.text);
  const j = r.json();
  assert.deepEqual(j.env, { REGION: 'eu-west-1', RETRIES: '3', API_TOKEN: 'tok' });
  assert.equal(j.os_region, 'eu-west-1');
  assert.deepEqual(j.leak, {});
  const n = (await raw(srv.port, 'GET', '/envnode')).json();
  assert.deepEqual(n.env, { REGION: 'us-east-1' });
  assert.equal(n.proc, 'us-east-1');
  assert.deepEqual(n.fnKeys, []);
  for (const k of n.keys as string[]) {
    assert.ok(['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR', 'REGION'].includes(k) || k.startsWith('LC_') || k.startsWith('SSL_'), `unexpected env var ${k}`);
  }
});
