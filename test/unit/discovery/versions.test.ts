// SPEC §2.9 versions (catalog.versions, policy inheritance, env files, version routes) and §2.8 runtime-grouped layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRouter } from '../../../src/router/index.js';
import { catalogOf, fn, routeLines, routes } from './helpers.js';

const versionsOf = (c: ReturnType<typeof catalogOf>) =>
  Object.fromEntries([...c.versions].map(([n, m]) => [n, Object.fromEntries(m)]));

test('§2.9 catalogued: every subdirectory with an entry file is a version, not a route', () => {
  const c = catalogOf({
    'api/users/handler.js': '',
    'api/users/fn.config.json': { runtime: 'node' },
    'api/users/v2/handler.py': '',
    'api/users/beta/index.js': '',
    'api/users/lib/util.js': '',
  });
  assert.deepEqual(routes(c), ['GET /api/users', 'GET /api/users/*']);
  assert.deepEqual(versionsOf(c), { 'api/users': { beta: 'node/api/users@beta', v2: 'python/api/users@v2' } });
  const r = compileRouter(c);
  assert.deepEqual(r.matchVersion('/api/users@v2'), { key: 'python/api/users@v2' });
  assert.equal(r.matchVersion('/api/users@v2/extra'), null);
  assert.equal(r.matchVersion('/api/users@v3'), null);
  assert.equal(r.matchVersion('/api/nobody@v2'), null);
});

test('§2.9 version config overrides field by field; unset fields inherit (§6.5)', () => {
  const c = catalogOf({
    'fn.config.json': { max_body_bytes: 10 },
    'f/handler.js': '',
    'f/fn.config.json': {
      runtime: 'node',
      timeout_ms: 100,
      invoke: { methods: ['GET', 'POST'] },
      worker_pool: { max_queue: 3 },
    },
    'f/v2/handler.js': '',
    'f/v2/fn.config.json': { timeout_ms: 200, worker_pool: { max_workers: 2 } },
  });
  const v = fn(c, 'node/f@v2').policy;
  assert.equal(v.timeout_ms, 200);
  assert.deepEqual(v.methods, ['GET', 'POST']);
  assert.equal(v.max_body_bytes, 10);
  assert.equal(v.worker_pool?.max_queue, 3);
  assert.equal(v.worker_pool?.max_workers, 2);
  assert.equal(fn(c, 'node/f@default').policy.timeout_ms, 100);
});

test('§6.3 env_files: function dir then version dir', () => {
  const c = catalogOf({
    'f/handler.js': '',
    'f/fn.env.json': {},
    'f/fn.config.json': { runtime: 'node' },
    'f/v2/handler.js': '',
    'f/v2/fn.env.json': {},
    'f/v3/handler.js': '',
    'g.js': '',
  });
  assert.deepEqual(fn(c, 'node/f@default').env_files, ['f/fn.env.json']);
  assert.deepEqual(fn(c, 'node/f@v2').env_files, ['f/fn.env.json', 'f/v2/fn.env.json']);
  assert.deepEqual(fn(c, 'node/f@v3').env_files, ['f/fn.env.json']);
  assert.deepEqual(fn(c, 'node/g.js@default').env_files, []);
});

test('§2.9 a version invoke.routes never takes over a mapped URL unless forced', () => {
  const base = {
    'taken.js': '',
    'f/handler.js': '',
    'f/fn.config.json': { runtime: 'node' },
    'f/v2/handler.js': '',
  };
  const c1 = catalogOf({ ...base, 'f/v2/fn.config.json': { invoke: { routes: ['/taken', '/free'] } } });
  assert.deepEqual(
    routeLines(c1).filter((l) => / \/(free|taken) /.test(l)),
    ['GET /free -> node/f@v2', 'GET /taken -> node/taken.js@default'],
  );
  const c2 = catalogOf({ ...base, 'f/v2/fn.config.json': { invoke: { routes: ['/taken'], force_url: true } } });
  assert.deepEqual(
    routeLines(c2).filter((l) => l.includes('/taken')),
    ['GET /taken -> node/f@v2'],
  );
});

test('§2.7 plain entry directory: only version-like subdirectories are versions', () => {
  const c = catalogOf({
    'hello/handler.js': '',
    'hello/v1.2/handler.js': '',
    'hello/2/handler.py': '',
    'hello/lib/handler.js': '',
  });
  assert.deepEqual(routes(c), ['GET /hello', 'GET /hello/2', 'GET /hello/lib', 'GET /hello/v1-2']);
  assert.deepEqual(versionsOf(c), {
    hello: { '2': 'python/hello/handler.js@2', 'v1.2': 'node/hello/handler.js@v1.2' },
  });
});

test('§2.9 catalogued: a subdirectory with an invalid label is skipped with a warning', () => {
  const c = catalogOf({ 'f/handler.js': '', 'f/fn.config.json': { runtime: 'node' }, 'f/a b/handler.js': '' });
  assert.deepEqual(versionsOf(c), {});
  assert.deepEqual(c.warnings, ['f/a b: a b is not a valid version label; skipped']);
});

test('§2.9 the same name in several runtimes resolves in runtime order', () => {
  const tree = {
    'node/greet/handler.js': '',
    'node/greet/v1/handler.js': '',
    'python/greet/handler.py': '',
    'python/greet/v1/handler.py': '',
  };
  assert.equal(catalogOf(tree).versions.get('greet')?.get('v1'), 'python/greet@v1');
  assert.equal(
    catalogOf(tree, { runtimes: ['node', 'python'] })
      .versions.get('greet')
      ?.get('v1'),
    'node/greet@v1',
  );
});

test('§2.8 namespaces recurse up to namespace_depth levels', () => {
  const tree = { 'python/a/b/c/d/handler.py': '', 'python/x/handler.py': '' };
  assert.deepEqual(routes(catalogOf(tree)), ['GET /a/b/c/d', 'GET /a/b/c/d/*', 'GET /x', 'GET /x/*']);
  const shallow = catalogOf(tree, { namespace_depth: 1 });
  assert.deepEqual(routes(shallow), ['GET /x', 'GET /x/*']);
  assert.deepEqual(shallow.warnings, ['python/a/b: namespace depth limit (1) exceeded; subdirectories skipped']);
});

test('§2.8 a namespace segment outside [A-Za-z0-9_-] is skipped with a warning', () => {
  const c = catalogOf({ 'node/bad.name/handler.js': '', 'node/ok_name/handler.js': '' });
  assert.deepEqual(routes(c), ['GET /ok-name', 'GET /ok-name/*']);
  assert.equal(fn(c, 'node/ok_name@default').name, 'ok_name');
  assert.deepEqual(c.warnings, ['node/bad.name: directory name outside [A-Za-z0-9_-] in the node/ layout; skipped']);
});

test('§2.8 entry files of another runtime inside <runtime>/ are ignored with a warning', () => {
  const c = catalogOf({ 'node/mixed/handler.js': '', 'node/mixed/handler.py': '', 'node/only-py/main.py': '' });
  assert.deepEqual(routes(c), ['GET /mixed', 'GET /mixed/*']);
  assert.deepEqual(c.warnings, [
    'node/mixed/handler.py: entry file of another runtime in node/; ignored',
    'node/only-py/main.py: entry file of another runtime in node/; ignored',
  ]);
});

test('§2.8 a directory whose entry children are all version labels is a function with only versions', () => {
  const c = catalogOf({ 'node/svc/v1/handler.js': '', 'node/svc/v2/handler.js': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(versionsOf(c), { svc: { v1: 'node/svc@v1', v2: 'node/svc@v2' } });
  assert.equal(c.functions.has('node/svc@default'), false);
});

test('§2.8 mixed children make a namespace, not a versioned function', () => {
  const c = catalogOf({ 'node/api/v1/handler.js': '', 'node/api/users/handler.js': '' });
  assert.deepEqual(routes(c), ['GET /api/users', 'GET /api/users/*', 'GET /api/v1', 'GET /api/v1/*']);
});

test('§2.8 file routes inside keep the runtime prefix; plain files are not routes', () => {
  const c = catalogOf({
    'php/get.profile.[id].php': '',
    'php/plain.php': '',
    'node/fn/handler.js': '',
    'node/fn/post.x.js': '',
  });
  assert.deepEqual(routeLines(c), [
    'GET /fn -> node/fn@default',
    'GET /fn/* -> node/fn@default',
    'POST /node/fn/x -> node/node/fn/post.x.js@default',
    'GET /php/profile/:id -> php/php/get.profile.[id].php@default',
  ]);
});

test('§2.8 scope: only root-level runtime directories trigger the layout', () => {
  const c = catalogOf({ 'shop/node/x/handler.js': '' });
  assert.deepEqual(routeLines(c), ['GET /shop/node/x -> node/shop/node/x/handler.js@default']);
});

test('§2.8 zero-config catalogued functions are named by their path under <runtime>/ and honour config name', () => {
  const c = catalogOf({
    'go/api/users/main.go': '',
    'lua/t/handler.lua': '',
    'lua/t/fn.config.json': { name: 'tool' },
  });
  assert.deepEqual(routeLines(c), [
    'GET /api/users -> go/api/users@default',
    'GET /api/users/* -> go/api/users@default',
    'GET /tool -> lua/tool@default',
    'GET /tool/* -> lua/tool@default',
  ]);
});

test('§2.8 an entry file directly in <runtime>/ is ignored with a warning', () => {
  const c = catalogOf({ 'node/handler.js': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, ['node/handler.js: entry file directly in node/; ignored']);
});
