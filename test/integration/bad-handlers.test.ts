// Bad input gets a clear answer, never a crash (issue #2): handlers that flood output, print garbage, corrupt their
// channel, allocate without bound or crash at start; missing toolchains; malformed config files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree } from '../helpers/tree.js';
import { raw, startServer, type Running } from '../helpers/server.js';

let srv: Running;
let tree: { root: string; cleanup(): void };
before(async () => {
  tree = makeTree({
    'ok.js': 'exports.handler = async () => "ok";',
    'flood.js': `exports.handler = async () => { const line = 'x'.repeat(1023) + '\\n'; for (let i = 0; i < 20000; i++) process.stdout.write(line); return 'flooded'; };`,
    'flood-py.py': 'import sys\ndef handler(event):\n    for i in range(20000):\n        sys.stdout.write("y" * 1023 + "\\n")\n    return "flooded"\n',
    'garbage.js': `exports.handler = async () => { process.stdout.write(Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x0a])); return 'garbage printed'; };`,
    'corrupt.js': `const fs = require('fs'); exports.handler = async () => { fs.writeSync(3, 'this is not a frame at all'); await new Promise((r) => setTimeout(r, 2000)); return 'unreachable'; };`,
    'hog/fn.config.json': { timeout_ms: 20000 },
    'hog/get.js': `exports.handler = async () => { const keep = []; for (;;) { keep.push(Buffer.alloc(16 * 1024 * 1024, 1)); await new Promise((r) => setImmediate(r)); } };`,
    'hog/get.py.py': 'def handler(event):\n    keep = []\n    while True:\n        keep.append(bytearray(16 * 1024 * 1024))\n',
    'startcrash.js': 'process.exit(1);\nexports.handler = async () => "never";',
    'badcfg/fn.config.json': '{"timeout_ms": ',
    'badcfg/handler.js': 'exports.handler = async () => "still served";',
    'badenv/fn.env.json': '{ nope',
    'badenv/handler.js': 'exports.handler = async (e) => ({ env: e.env });',
    'badroutes/fn.routes.json': '[[[',
    'badroutes/get.x.js': 'exports.handler = async () => "x served";',
    'wrongtypes/fn.config.json': { timeout_ms: 'soon', max_body_bytes: -5, invoke: { methods: ['GET', 'FETCH'] } },
    'wrongtypes/handler.js': 'exports.handler = async () => "typed";',
    'bigresp.js': `exports.handler = async () => Buffer.alloc(11 * 1024 * 1024, 65);`,
  });
  srv = await startServer(tree.root, { env: { FN_WORKER_MAX_RSS_MB: '256' } });
});
after(async () => {
  await srv?.stop();
  tree?.cleanup();
});

test('a handler that floods stdout still answers; capture is capped', async () => {
  for (const p of ['/flood', '/flood-py']) {
    const r = await raw(srv.port, 'GET', p, { timeoutMs: 60_000 });
    assert.equal(r.status, 200, p);
    assert.equal(r.text, 'flooded');
  }
});

test('a handler printing binary garbage still answers', async () => {
  const r = await raw(srv.port, 'GET', '/garbage');
  assert.equal(r.status, 200);
  assert.equal(r.text, 'garbage printed');
});

test('a handler that corrupts its channel gets 502 and the next request works', async () => {
  const r = await raw(srv.port, 'GET', '/corrupt');
  assert.equal(r.status, 502);
  assert.match(r.json().error, /^runtime error: /);
  assert.equal((await raw(srv.port, 'GET', '/ok')).status, 200);
});

test('a handler that allocates without bound is stopped at the memory cap (node, python)', async () => {
  for (const p of ['/hog', '/hog/py']) {
    const r = await raw(srv.port, 'GET', p, { timeoutMs: 60_000 });
    // Either the watchdog kills the worker (502), or the allocation fails inside the handler first (500 MemoryError).
    assert.ok(r.status === 502 || r.status === 500, `${p}: ${r.status} ${r.text}`);
    assert.match(r.json().error, r.status === 502 ? /^runtime error: worker (exceeded memory limit|exited)/ : /MemoryError|allocation|memory/i);
  }
  assert.equal((await raw(srv.port, 'GET', '/ok')).status, 200);
});

test('a response over FN_MAX_RESPONSE_BYTES is 502 response too large', async () => {
  const r = await raw(srv.port, 'GET', '/bigresp');
  assert.equal(r.status, 502);
  assert.deepEqual(r.json(), { error: 'invalid runtime response: response too large' });
});

test('a function that crashes at start: 502 with X-FastFN-Warming, then 503 runtime down after 5 failures', async () => {
  const first = await raw(srv.port, 'GET', '/startcrash');
  assert.equal(first.status, 502);
  assert.equal(first.json().error, 'runtime error: worker exited (code 1)');
  assert.equal(first.headers['x-fastfn-warming'], 'true');
  assert.equal(first.headers['retry-after'], '1');
  let last = first;
  for (let i = 0; i < 6; i++) last = await raw(srv.port, 'GET', '/startcrash');
  assert.equal(last.status, 503);
  assert.deepEqual(last.json(), { error: 'runtime down' });
  assert.equal(last.headers['retry-after'], '2');
  writeFileSync(join(tree.root, 'startcrash.js'), 'exports.handler = async () => "fixed";');
  const end = Date.now() + 10_000;
  let ok = false;
  while (Date.now() < end && !ok) {
    ok = (await raw(srv.port, 'GET', '/startcrash')).text === 'fixed';
    if (!ok) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(ok, 'a file change clears the down state');
});

test('malformed fn.config.json / fn.env.json / fn.routes.json: warned, the handler is still served', async () => {
  assert.equal((await raw(srv.port, 'GET', '/badcfg')).text, 'still served');
  assert.deepEqual((await raw(srv.port, 'GET', '/badenv')).json(), { env: {} });
  assert.equal((await raw(srv.port, 'GET', '/badroutes/x')).text, 'x served');
  assert.equal((await raw(srv.port, 'GET', '/wrongtypes')).text, 'typed');
  const out = srv.output();
  assert.match(out, /badcfg\/fn\.config\.json/);
  assert.match(out, /badroutes\/fn\.routes\.json/);
  assert.match(out, /wrongtypes\/fn\.config\.json/);
});

test('a runtime whose toolchain is missing answers 503 with the §1.3 message; the others keep working', async () => {
  const t = makeTree({ 'p.py': 'def handler(e):\n    return 1\n', 'n.js': 'exports.handler = async () => 2;' });
  const s = await startServer(t.root, { env: { FN_PYTHON_BIN: '/nonexistent/python3' } });
  try {
    const r = await raw(s.port, 'GET', '/p');
    assert.equal(r.status, 503);
    assert.deepEqual(r.json(), { error: 'runtime python unavailable: python3 not found (install python3)' });
    assert.equal((await raw(s.port, 'GET', '/n')).text, '2');
    assert.match(s.output(), /python unavailable: python3 not found/);
    assert.match(s.output(), /GET\s+\/p\s+p\.py\s+python/);
  } finally {
    await s.stop();
    t.cleanup();
  }
});
