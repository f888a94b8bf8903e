// SPEC §16: the CLI surface (help, version, exit codes, init, routes, dev/run start-up errors and bind defaults).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeTree } from '../helpers/tree.js';
import { CLI, REPO, freePort, raw, startServer } from '../helpers/server.js';

function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FN_')) env[k] = v;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? REPO, env: { ...env, ...opts.env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

test('--version, -v and version print fastfn <semver>', () => {
  for (const a of [['--version'], ['-v'], ['version']]) {
    const r = run(a);
    assert.equal(r.code, 0);
    assert.equal(r.out.trim(), `fastfn ${version}`);
  }
});

test('--help lists the commands; no command prints help and exits 2; unknown command or flag exits 2', () => {
  const h = run(['--help']);
  assert.equal(h.code, 0);
  for (const c of ['dev', 'run', 'init', 'routes']) assert.match(h.out, new RegExp(`\\b${c}\\b`));
  const none = run([]);
  assert.equal(none.code, 2);
  assert.match(none.out, /Usage: fastfn/);
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run(['dev', '--no-such-flag']).code, 2);
});

test('a missing root exits 1 with a clear message', () => {
  const r = run(['dev', '/definitely/not/here', '--port', '18999']);
  assert.equal(r.code, 1);
  assert.match(r.err, /functions root not found: \/definitely\/not\/here/);
});

test('an invalid port exits 2', () => {
  const r = run(['dev', '.', '--port', '99999']);
  assert.equal(r.code, 2);
  assert.match(r.err, /invalid --port: 99999/);
  const e = run(['dev', '.'], { env: { FN_HOST_PORT: 'abc' } });
  assert.equal(e.code, 2);
  assert.match(e.err, /invalid FN_HOST_PORT: abc/);
});

test('a busy port exits 1 with the exact message', async () => {
  const port = await freePort();
  const blocker = createServer().listen(port, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  const t = makeTree({ 'a.js': 'exports.handler = async () => 1;' });
  try {
    const r = run(['dev', t.root, '--port', String(port)]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`error: port ${port} is already in use on 127\\.0\\.0\\.1 \\(use --port or FN_HOST_PORT\\)`));
  } finally {
    blocker.close();
    t.cleanup();
  }
});

test('init -t node|python creates a catalogued function that serves /<name> and /<name>/*', async () => {
  const t = makeTree({});
  try {
    for (const kind of ['node', 'python']) {
      const r = run(['init', `my-${kind}`, '-t', kind], { cwd: t.root });
      assert.equal(r.code, 0, r.err);
      const cfg = JSON.parse(readFileSync(join(t.root, `my-${kind}`, 'fn.config.json'), 'utf8'));
      assert.equal(cfg.name, `my-${kind}`);
      assert.equal(cfg.timeout_ms, 2500);
    }
    assert.ok(existsSync(join(t.root, 'my-python', 'requirements.txt')));
    assert.equal(run(['init', 'my-node'], { cwd: t.root }).code, 1, 'existing target exits 1');
    assert.equal(run(['init', 'bad name!'], { cwd: t.root }).code, 2, 'invalid name exits 2');
    const srv = await startServer(t.root);
    try {
      for (const kind of ['node', 'python']) {
        const r = await raw(srv.port, 'GET', `/my-${kind}/extra/path?q=1`);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json(), { message: `hello from my-${kind}`, runtime: kind, version: 'default', query: { q: '1' }, wildcard: 'extra/path' });
      }
    } finally {
      await srv.stop();
    }
  } finally {
    t.cleanup();
  }
});

test('routes --json and --check', () => {
  const t = makeTree({ 'hello.js': 'x', 'clash/get.js': 'x', 'clash/get.py': 'x', 'get.post.items.js': 'x' });
  try {
    const r = run(['routes', t.root, '--json']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.ok(j.routes.some((x: { route: string; methods: string[] }) => x.route === '/hello' && x.methods.join() === 'GET'));
    assert.equal(j.conflicts[0].route, '/clash');
    assert.ok(j.warnings.some((w: string) => w.includes('ambiguous method prefix')));
    assert.equal(run(['routes', t.root, '--check']).code, 1);
    const text = run(['routes', t.root]);
    assert.match(text.out, /CONFLICT \(409\)/);
  } finally {
    t.cleanup();
  }
});

test('dev prints the route table and listens on 127.0.0.1; SIGTERM exits 0', async () => {
  const t = makeTree({ 'hello.js': 'exports.handler = async () => "hi";' });
  const srv = await startServer(t.root);
  try {
    assert.match(srv.output(), /fastfn dev .* · runtimes /);
    assert.match(srv.output(), /GET\s+\/hello\s+hello\.js\s+node/);
    assert.match(srv.output(), new RegExp(`Listening on http://127\\.0\\.0\\.1:${srv.port}`));
    assert.equal((await raw(srv.port, 'GET', '/hello')).text, 'hi');
  } finally {
    assert.equal(await srv.stop(), 0);
    t.cleanup();
  }
});

test('run binds 0.0.0.0 with JSON logs', async () => {
  const t = makeTree({ 'hello.js': 'exports.handler = async () => "hi";' });
  const srv = await startServer(t.root, { mode: 'run', env: { FN_LOG_FORMAT: '' } });
  try {
    assert.match(srv.output(), /"msg":"Listening on http:\/\/127\.0\.0\.1:\d+/);
    await raw(srv.port, 'GET', '/hello');
    await srv.waitFor('"msg":"request"');
  } finally {
    assert.equal(await srv.stop(), 0);
    t.cleanup();
  }
});
