// SPEC §10.8 health and readiness, §9.7 graceful shutdown, §9.8 access log, §2.16 home routing, §2.9 versions,
// §9.4 overflow_status 503, §3.11 worker pools and FN_RUNTIME_DAEMONS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree } from '../helpers/tree.js';
import { raw, startServer, type Running } from '../helpers/server.js';

let srv: Running;
let tree: { root: string; cleanup(): void };
before(async () => {
  tree = makeTree({
    'hello.js': 'exports.handler = async () => "hi";',
    'py.py': 'def handler(e):\n    return "py"\n',
    'counter/fn.config.json': { worker_pool: { max_workers: 1, max_queue: 10 } },
    'counter/handler.js': 'let n = 0; exports.handler = async () => ({ n: ++n, pid: process.pid });',
    'rr/handler.js': 'exports.handler = async () => ({ pid: process.pid });',
    'full/fn.config.json': { worker_pool: { max_workers: 1, max_queue: 0, overflow_status: 503 } },
    'full/handler.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 600)); return "ok"; };',
    'greet/handler.js': 'exports.handler = async () => "v1";',
    'greet/v2/handler.js': 'exports.handler = async (e) => "v2 " + e.version;',
    'slowshut.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return "finished"; };',
  });
  srv = await startServer(tree.root, { env: { FN_RUNTIME_DAEMONS: 'node=2', FN_HOME_FUNCTION: '/hello' } });
});
after(async () => {
  await srv?.stop();
  tree?.cleanup();
});

test('/_fn/health: always 200 with the documented shape; /system/metrics is the same document', async () => {
  await raw(srv.port, 'GET', '/hello');
  const r = await raw(srv.port, 'GET', '/_fn/health');
  assert.equal(r.status, 200);
  const h = r.json();
  for (const k of ['config_loaded_at', 'defaults', 'functions_root', 'socket_base_dir', 'runtime_order', 'hot_reload', 'routing', 'functions', 'runtimes', 'deps', 'state_store']) {
    assert.ok(k in h, `health has ${k}`);
  }
  assert.deepEqual(h.defaults, { timeout_ms: 2500, max_concurrency: 20, max_body_bytes: 1048576 });
  assert.equal(h.functions_root, '.');
  assert.ok(!String(h.socket_base_dir).startsWith('/'), 'no absolute host paths (SEC-20)');
  assert.equal(h.runtimes.node.available, true);
  assert.equal(h.runtimes.php.available, false);
  assert.equal(h.runtimes.php.health.up, false);
  assert.match(h.runtimes.php.health.reason, /php/);
  const hello = h.functions.states.find((s: { name: string }) => s.name === 'hello.js');
  assert.equal(hello.state, 'warm');
  assert.ok(h.functions.summary.total >= 6);
  assert.equal(h.routing.mapped_route_conflicts, 0);
  const m = await raw(srv.port, 'GET', '/system/metrics');
  assert.equal(m.status, 200);
  assert.ok('functions' in m.json());
});

test('/_fn/ready: 200 once routes are built and node and python answered a framed ping', async () => {
  let r = await raw(srv.port, 'GET', '/_fn/ready');
  for (let i = 0; i < 100 && r.status !== 200; i++) {
    await new Promise((res) => setTimeout(res, 100));
    r = await raw(srv.port, 'GET', '/_fn/ready');
  }
  assert.equal(r.status, 200, r.text);
  const j = r.json();
  assert.equal(j.ready, true);
  assert.equal(j.runtimes.node.up, true);
  assert.equal(j.runtimes.python.up, true);
  assert.equal(j.runtimes.php.available, false, 'unavailable runtimes are reported but do not block');
});

test('a remaining /_fn path answers 404 not found', async () => {
  const r = await raw(srv.port, 'GET', '/_fn/nope');
  assert.equal(r.status, 404);
  assert.deepEqual(r.json(), { error: 'not found' });
});

test('home: FN_HOME_FUNCTION dispatches internally (no redirect), keeping the query', async () => {
  const r = await raw(srv.port, 'GET', '/?x=1');
  assert.equal(r.status, 200);
  assert.equal(r.text, 'hi');
  assert.equal(r.headers.location, undefined);
});

test('versions: /<name>@<label> serves the version directory with event.version', async () => {
  assert.equal((await raw(srv.port, 'GET', '/greet')).text, 'v1');
  assert.equal((await raw(srv.port, 'GET', '/greet@v2')).text, 'v2 v2');
  assert.equal((await raw(srv.port, 'GET', '/greet/v2')).text, 'v2 default', 'as a plain file route it is unversioned');
  assert.equal((await raw(srv.port, 'GET', '/greet@v9')).status, 404);
});

test('worker_pool max_workers 1 runs serially in one process: module state is seen by consecutive calls', async () => {
  const rs = await Promise.all([0, 1, 2, 3].map(() => raw(srv.port, 'GET', '/counter')));
  const bodies = rs.map((r) => r.json() as { n: number; pid: number });
  assert.deepEqual(bodies.map((b) => b.n).sort(), [1, 2, 3, 4]);
  assert.equal(new Set(bodies.map((b) => b.pid)).size, 1);
});

test('FN_RUNTIME_DAEMONS=node=2: requests round-robin over two worker processes', async () => {
  const pids = new Set<number>();
  for (let i = 0; i < 6; i++) pids.add((await raw(srv.port, 'GET', '/rr')).json().pid);
  assert.equal(pids.size, 2);
});

test('overflow_status 503: worker pool overflow answers 503 with Retry-After: 1', async () => {
  const first = raw(srv.port, 'GET', '/full');
  await new Promise((r) => setTimeout(r, 150));
  const r = await raw(srv.port, 'GET', '/full');
  assert.equal(r.status, 503);
  assert.deepEqual(r.json(), { error: 'worker pool overflow' });
  assert.equal(r.headers['retry-after'], '1');
  assert.equal((await first).status, 200);
});

test('access log: text line on the terminal, JSON lines in access.log (mode 0600), no secret headers', async () => {
  await raw(srv.port, 'GET', '/hello?q=1', { headers: { 'x-request-id': 'log-check-1', authorization: 'Bearer TOPSECRET' } });
  await srv.waitFor(/127\.0\.0\.1 "GET \/hello" status=200 bytes=2 rt=\d+ms fn=node\/hello\.js@default id=log-check-1/);
  const file = join(tree.root, '.fastfn', 'logs', 'access.log');
  let line: Record<string, unknown> | undefined;
  for (let i = 0; i < 50 && !line; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      line = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.request_id === 'log-check-1');
    } catch {
      /* not flushed yet */
    }
  }
  assert.ok(line, 'the access line reached access.log');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  for (const k of ['ts', 'level', 'msg', 'request_id', 'method', 'path', 'route', 'status', 'bytes', 'latency_ms', 'runtime', 'function', 'version', 'client_ip', 'ua', 'cold', 'queued']) {
    assert.ok(k in line!, `access record has ${k}`);
  }
  assert.equal(line!.msg, 'request');
  assert.equal(line!.route, '/hello');
  assert.ok(!readFileSync(file, 'utf8').includes('TOPSECRET'));
  assert.ok(!srv.output().includes('TOPSECRET'));
});

test('graceful shutdown: an in-flight request finishes, then the process exits 0', async () => {
  const inflight = raw(srv.port, 'GET', '/slowshut');
  await new Promise((r) => setTimeout(r, 300));
  const code = srv.stop();
  const r = await inflight;
  assert.equal(r.status, 200);
  assert.equal(r.text, 'finished');
  assert.equal(await code, 0);
});
