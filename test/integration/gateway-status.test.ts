// SPEC §9.1/§9.2: every platform status the core produces, with its exact message and headers, against real workers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTree } from '../helpers/tree.js';
import { raw, startServer, type Running } from '../helpers/server.js';

const pidDir = join(tmpdir(), `fastfn-pids-${process.pid}`);

let srv: Running;
let tree: { root: string; cleanup(): void };
before(async () => {
  tree = makeTree({
    'ok.js': 'exports.handler = async () => ({ ok: true });',
    'throws.js': "exports.handler = async () => { throw new Error('kaboom'); };",
    'throws-py.py': 'def handler(event):\n    raise ValueError("py kaboom")\n',
    'nohandler.js': 'exports.other = 1;',
    'nohandler-py.py': 'def other(event):\n    return 1\n',
    'syntax.js': 'exports.handler = (;',
    'syntax-py.py': 'def handler(event)\n    return 1\n',
    'badstatus.js': 'exports.handler = async () => ({ status: 42, body: "x" });',
    'badheader.js': "exports.handler = async () => ({ status: 200, headers: { 'bad header': 'x' }, body: '' });",
    'crlf.py': 'def handler(event):\n    return {"status": 200, "headers": {"X-A": "a\\r\\nb"}, "body": ""}\n',
    'badb64.js': "exports.handler = async () => ({ is_base64: true, body_base64: '!!!' });",
    'circular.js': 'exports.handler = async () => { const a = {}; a.a = a; return a; };',
    'exit.js': 'exports.handler = async () => { process.exit(3); };',
    'exit-py.py': 'import sys\ndef handler(event):\n    sys.exit(4)\n',
    'slow/fn.config.json': { timeout_ms: 400 },
    'slow/get.sleep.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return "late"; };',
    'slow/get.spin.js': `const fs = require('fs'); exports.handler = async (e) => { if (!e.query.spin) return 'warm'; fs.mkdirSync(${JSON.stringify(pidDir)}, {recursive:true}); fs.writeFileSync(${JSON.stringify(pidDir)} + '/node', String(process.pid)); for (;;) {} };`,
    'slow/get.pyspin.py': `import os\ndef handler(event):\n    if not event["query"].get("spin"):\n        return "warm"\n    os.makedirs(${JSON.stringify(pidDir)}, exist_ok=True)\n    open(${JSON.stringify(pidDir)} + '/python', 'w').write(str(os.getpid()))\n    while True:\n        pass\n`,
    'limited/fn.config.json': { max_body_bytes: 10 },
    'limited/post.echo.js': 'exports.handler = async (e) => ({ len: (e.body || "").length });',
    'hosts/fn.config.json': { invoke: { allow_hosts: ['api.example.com'] } },
    'hosts/get.only.js': 'exports.handler = async () => "ok";',
    'post.only.js': 'exports.handler = async () => "posted";',
    'clash/get.js': 'exports.handler = async () => "js";',
    'clash/get.py': 'def handler(e):\n    return "py"\n',
    'clash/post.js': 'exports.handler = async () => "post is fine";',
    'busy/fn.config.json': { worker_pool: { max_workers: 1, max_queue: 0 } },
    'busy/get.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 800)); return "done"; };',
    'queued/fn.config.json': { worker_pool: { max_workers: 1, max_queue: 5 } },
    'queued/get.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 300)); return "done"; };',
  });
  srv = await startServer(tree.root);
});
after(async () => {
  await srv?.stop();
  tree?.cleanup();
  rmSync(pidDir, { recursive: true, force: true });
});

async function expectError(method: string, path: string, status: number, error: string, opts: Parameters<typeof raw>[3] = {}) {
  const r = await raw(srv.port, method, path, opts);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.deepEqual(r.json(), { error });
  assert.ok(r.headers['x-request-id'], 'every response carries X-Request-Id');
  return r;
}

test('200 for a working handler, with X-Request-Id echoed when valid', async () => {
  const r = await raw(srv.port, 'GET', '/ok', { headers: { 'x-request-id': 'abc-123' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), { ok: true });
  assert.equal(r.headers['x-request-id'], 'abc-123');
  const r2 = await raw(srv.port, 'GET', '/ok', { headers: { 'x-request-id': 'bad id with spaces' } });
  assert.match(String(r2.headers['x-request-id']), /^req-\d+-\d+-\d{6}$/);
});

test('400 bad request for unsafe paths, before routing', async () => {
  for (const p of ['/a/../ok', '/%2e%2e/ok', '/ok/%2E', '/a%00b', '/a%5Cb', '/a\\b', '/%zz', '/users%2Fx']) {
    await expectError('GET', p, 400, 'bad request');
  }
});

test('404 not found for unknown paths and platform-owned files', async () => {
  await expectError('GET', '/nope', 404, 'not found');
  await expectError('GET', '/fastfn.json', 404, 'not found');
  await expectError('GET', '/fastfn.toml', 404, 'not found');
  await expectError('OPTIONS', '/nope', 404, 'not found');
  await expectError('GET', '/console', 404, 'console ui disabled');
  await expectError('GET', '/console/functions/node/x', 404, 'console ui disabled');
});

test('405 with Allow for a method the route does not serve', async () => {
  const r = await expectError('GET', '/only', 405, 'method not allowed');
  assert.equal(r.headers.allow, 'POST');
  const h = await raw(srv.port, 'HEAD', '/only');
  assert.equal(h.status, 405);
});

test('409 ambiguous function only for the conflicting method', async () => {
  await expectError('GET', '/clash', 409, 'ambiguous function');
  const r = await raw(srv.port, 'POST', '/clash');
  assert.equal(r.status, 200);
  assert.equal(r.text, 'post is fine');
});

test('413 for an announced body over the limit, handler not called', async () => {
  await expectError('POST', '/limited/echo', 413, 'payload too large', { body: 'x'.repeat(11) });
  const ok = await raw(srv.port, 'POST', '/limited/echo', { body: 'x'.repeat(10) });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json(), { len: 10 });
});

test('413 for a chunked body that passes the limit', async () => {
  await expectError('POST', '/limited/echo', 413, 'payload too large', { chunked: [Buffer.from('12345'), Buffer.from('67890'), Buffer.from('abc')] });
});

test('421 host not allowed', async () => {
  await expectError('GET', '/hosts/only', 421, 'host not allowed', { headers: { host: 'evil.example.com' } });
  const r = await raw(srv.port, 'GET', '/hosts/only', { headers: { host: 'api.example.com' } });
  assert.equal(r.status, 200);
});

test('431 for a header block over 16 KiB', async () => {
  const r = await raw(srv.port, 'GET', '/ok', { headers: { 'x-big': 'a'.repeat(20000) } });
  assert.equal(r.status, 431);
});

test('500 with the exception message for a throwing handler (node, python)', async () => {
  await expectError('GET', '/throws', 500, 'kaboom');
  await expectError('GET', '/throws-py', 500, 'py kaboom');
});

test('500 handler not found / handler load failed', async () => {
  await expectError('GET', '/nohandler', 500, 'handler not found in nohandler.js: expected a function named handler');
  await expectError('GET', '/nohandler-py', 500, 'handler not found in nohandler-py.py: expected a function named handler');
  const r = await raw(srv.port, 'GET', '/syntax');
  assert.equal(r.status, 500);
  assert.match(r.json().error, /^handler load failed for syntax\.js: /);
  const p = await raw(srv.port, 'GET', '/syntax-py');
  assert.equal(p.status, 500);
  assert.match(p.json().error, /^handler load failed for syntax-py\.py: .*SyntaxError/);
});

test('502 invalid runtime response for bad status, header, base64 and unserialisable results', async () => {
  await expectError('GET', '/badstatus', 502, 'invalid runtime response: status must be an integer between 100 and 599');
  await expectError('GET', '/badheader', 502, 'invalid runtime response: invalid header bad header');
  await expectError('GET', '/crlf', 502, 'invalid runtime response: invalid header X-A');
  await expectError('GET', '/badb64', 502, 'invalid runtime response: invalid body_base64');
  const r = await raw(srv.port, 'GET', '/circular');
  assert.equal(r.status, 502);
  assert.match(r.json().error, /^invalid runtime response: /);
});

test('502 when the worker exits mid-request, and the next request gets a fresh worker (SEC-21)', async () => {
  await expectError('GET', '/exit', 502, 'runtime error: worker exited (code 3)');
  await expectError('GET', '/exit-py', 502, 'runtime error: worker exited (code 4)');
  const again = await raw(srv.port, 'GET', '/exit');
  assert.equal(again.status, 502, 'the function still exits, from a new worker');
  const other = await raw(srv.port, 'GET', '/ok');
  assert.equal(other.status, 200, 'other functions are unaffected');
});

test('504 runtime timeout; the handler is stopped (SEC-17)', async () => {
  await expectError('GET', '/slow/sleep', 504, 'runtime timeout');
  for (const [path, file] of [['/slow/spin', 'node'], ['/slow/pyspin', 'python']] as const) {
    // Warm the worker first: a cold start on a loaded machine may itself take longer than the 400 ms timeout.
    assert.equal((await raw(srv.port, 'GET', path)).text, 'warm');
    const r = await expectError('GET', `${path}?spin=1`, 504, 'runtime timeout');
    assert.equal(r.headers['x-fastfn-function-state'], 'warm');
    const pidFile = join(pidDir, file);
    assert.ok(existsSync(pidFile), `${file} spin handler ran`);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 1200));
    assert.throws(() => process.kill(pid, 0), /ESRCH/, `${file} worker ${pid} must be gone 1.2 s after the 504`);
  }
});

test('429 worker pool overflow with Retry-After: 1', async () => {
  const first = raw(srv.port, 'GET', '/busy');
  await new Promise((res) => setTimeout(res, 150));
  const r = await expectError('GET', '/busy', 429, 'worker pool overflow');
  assert.equal(r.headers['retry-after'], '1');
  assert.equal(r.headers['x-fastfn-function-state'], undefined, 'no function state on admission rejections');
  assert.equal((await first).status, 200);
});

test('FIFO queue: waiting requests are admitted in order and marked X-FastFN-Queued', async () => {
  const order: number[] = [];
  const reqs = [0, 1, 2].map(async (i) => {
    await new Promise((res) => setTimeout(res, i * 40));
    const r = await raw(srv.port, 'GET', '/queued');
    order.push(i);
    return r;
  });
  const rs = await Promise.all(reqs);
  assert.deepEqual(rs.map((r) => r.status), [200, 200, 200]);
  assert.deepEqual(order, [0, 1, 2]);
  assert.equal(rs[0]!.headers['x-fastfn-queued'], undefined);
  assert.equal(rs[2]!.headers['x-fastfn-queued'], 'true');
});

test('the gateway survives all of the above', async () => {
  const r = await raw(srv.port, 'GET', '/ok');
  assert.equal(r.status, 200);
});
