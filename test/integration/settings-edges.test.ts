// Behaviours that need their own settings: min_warm and idle reaping (§3.11), trusted proxies (§4.5), home
// redirect and landing page (§2.16), polling hot reload (§14), disabled runtimes (§9.6), --dry-run (§16.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree, type TreeSpec } from '../helpers/tree.js';
import { CLI, raw, startServer, type Running } from '../helpers/server.js';

async function withServer(files: TreeSpec, env: Record<string, string>, fn: (s: Running, root: string) => Promise<void>): Promise<void> {
  const t = makeTree(files);
  const s = await startServer(t.root, { env });
  try {
    await fn(s, t.root);
  } finally {
    await s.stop();
    t.cleanup();
  }
}

async function until(what: string, fn: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`never happened: ${what}`);
}

const state = async (s: Running, name: string): Promise<string> =>
  ((await raw(s.port, 'GET', '/_fn/health')).json().functions.states as { name: string; state: string }[]).find((x) => x.name === name)!.state;

test('worker_pool.min_warm starts workers ahead of traffic; idle_ttl_seconds reaps idle ones', async () => {
  await withServer(
    {
      'warm/fn.config.json': { worker_pool: { max_workers: 2, min_warm: 1 } },
      'warm/handler.js': 'exports.handler = async () => "w";',
      'idle/fn.config.json': { worker_pool: { max_workers: 1, idle_ttl_seconds: 1 } },
      'idle/handler.py': 'def handler(e):\n    return "i"\n',
    },
    {},
    async (s) => {
      await until('min_warm worker is live', async () => (await state(s, 'warm/handler.js')) !== 'cold');
      const first = await raw(s.port, 'GET', '/warm');
      assert.equal(first.headers['x-fastfn-function-state'], 'warm', 'the first request found a warm worker');
      assert.equal((await raw(s.port, 'GET', '/idle')).text, 'i');
      assert.equal(await state(s, 'idle/handler.py'), 'warm');
      await until('idle worker reaped', async () => (await state(s, 'idle/handler.py')) === 'cold');
      assert.notEqual(await state(s, 'warm/handler.js'), 'cold', 'min_warm workers are never reaped');
    },
  );
});

test('X-Forwarded-For counts only from trusted proxies (SEC-14)', async () => {
  const files = { 'ip.js': 'exports.handler = async (e) => e.client.ip;' };
  await withServer(files, {}, async (s) => {
    assert.equal((await raw(s.port, 'GET', '/ip', { headers: { 'x-forwarded-for': '203.0.113.7' } })).text, '127.0.0.1');
  });
  await withServer(files, { FN_TRUSTED_PROXY_CIDRS: '127.0.0.0/8' }, async (s) => {
    assert.equal((await raw(s.port, 'GET', '/ip', { headers: { 'x-forwarded-for': '203.0.113.7, 127.0.0.9' } })).text, '203.0.113.7');
    assert.equal((await raw(s.port, 'GET', '/ip', { headers: { 'x-forwarded-for': '127.0.0.5, 127.0.0.9' } })).text, '127.0.0.5');
  });
});

test('home: FN_HOME_REDIRECT answers 302; the landing page lists routes; an empty root answers 404', async () => {
  await withServer({ 'a.js': 'exports.handler = async () => 1;' }, { FN_HOME_REDIRECT: 'https://example.com/start' }, async (s) => {
    const r = await raw(s.port, 'GET', '/');
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, 'https://example.com/start');
  });
  await withServer({ 'a.js': 'exports.handler = async () => 1;' }, { FN_HOME_REDIRECT: 'javascript:alert(1)' }, async (s) => {
    const r = await raw(s.port, 'GET', '/');
    assert.equal(r.status, 200, 'an invalid value is skipped, the landing page follows');
    assert.match(String(r.headers['content-type']), /text\/html/);
    for (const link of ['/_fn/docs', '/_fn/openapi.json', '/_fn/health', '/console', 'href="/a"']) assert.ok(r.text.includes(link), link);
    await s.waitFor('FN_HOME_REDIRECT: invalid value');
  });
  await withServer({ 'README.txt': 'no handlers here' }, {}, async (s) => {
    const r = await raw(s.port, 'GET', '/');
    assert.equal(r.status, 404);
    assert.deepEqual(r.json(), { error: 'not found' });
  });
});

test('polling hot reload (FN_HOT_RELOAD_WATCHDOG=0) serves an edit', async () => {
  await withServer({ 'p.js': 'exports.handler = async () => "one";' }, { FN_HOT_RELOAD_WATCHDOG: '0', FN_HOT_RELOAD_INTERVAL: '1' }, async (s, root) => {
    assert.equal((await raw(s.port, 'GET', '/p')).text, 'one');
    assert.equal((await raw(s.port, 'GET', '/_fn/health')).json().hot_reload.watchdog.backend, 'polling');
    writeFileSync(join(root, 'p.js'), 'exports.handler = async () => "two";');
    await until('polled edit served', async () => (await raw(s.port, 'GET', '/p')).text === 'two');
  });
});

test('a runtime left out of FN_RUNTIMES is disabled: its files are not routes', async () => {
  await withServer({ 'n.js': 'exports.handler = async () => "n";', 'p.py': 'def handler(e):\n    return "p"\n' }, { FN_RUNTIMES: 'node' }, async (s) => {
    assert.equal((await raw(s.port, 'GET', '/n')).text, 'n');
    assert.equal((await raw(s.port, 'GET', '/p')).status, 404);
  });
});

test('dev --dry-run prints the route table, warnings and settings, then exits 0', () => {
  const t = makeTree({ 'hello.js': 'x', 'get.post.items.js': 'x' });
  try {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FN_')) env[k] = v;
    const r = spawnSync(process.execPath, [CLI, 'dev', t.root, '--dry-run'], { encoding: 'utf8', env, timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /GET\s+\/hello\s+hello\.js\s+node/);
    assert.match(r.stdout, /ambiguous method prefix/);
    assert.match(r.stdout, /settings: host=127\.0\.0\.1 port=8080/);
  } finally {
    t.cleanup();
  }
});

test('a fastfn.json change while running prints a restart notice', async () => {
  const t = makeTree({ 'a.js': 'exports.handler = async () => 1;', 'fastfn.json': { 'hot-reload': true } });
  const s = await startServer(t.root, { args: ['--config', join(t.root, 'fastfn.json')] });
  try {
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(join(t.root, 'fastfn.json'), JSON.stringify({ 'hot-reload': true, port: 9 }));
    await s.waitFor('fastfn.json changed; restart fastfn to apply it', 20_000);
  } finally {
    await s.stop();
    t.cleanup();
  }
});
