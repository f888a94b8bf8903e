// SPEC §2.18, second half (entry directories, layouts, precedence, limits): one test per table row,
// asserting the exact routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRouter } from '../../../src/router/index.js';
import { catalogOf, routeLines, routes } from './helpers.js';

const hit = (r: ReturnType<typeof compileRouter>, path: string, method = 'GET') => r.match(path, method, 'localhost');

test('§2.18 payments/handler.js + payments/core.js -> GET /payments; core.js private', () => {
  const c = catalogOf({ 'payments/handler.js': '', 'payments/core.js': '' });
  assert.deepEqual(routeLines(c), ['GET /payments -> node/payments/handler.js@default']);
  assert.equal(c.functions.get('node/payments/handler.js@default')?.kind, 'file');
});

test('§2.18 payments/handler.js + overlay methods GET,POST -> GET,POST /payments', () => {
  const c = catalogOf({
    'payments/handler.js': '',
    'payments/fn.config.json': { invoke: { methods: ['GET', 'POST'] } },
  });
  assert.deepEqual(routeLines(c), ['GET,POST /payments -> node/payments/handler.js@default']);
});

test('§2.18 payments/handler.js + identity config -> GET,POST /payments and /payments/*', () => {
  const c = catalogOf({
    'payments/handler.js': '',
    'payments/fn.config.json': { runtime: 'node', invoke: { methods: ['GET', 'POST'] } },
  });
  assert.deepEqual(routeLines(c), [
    'GET,POST /payments -> node/payments@default',
    'GET,POST /payments/* -> node/payments@default',
  ]);
  const m = hit(compileRouter(c), '/payments/a/b', 'POST');
  assert.deepEqual(m.kind === 'hit' && m.params, { wildcard: 'a/b' });
  assert.equal(c.functions.get('node/payments@default')?.kind, 'function');
});

test('§2.18 shop/handler.js, core.js, admin/get.health.js, admin/helpers.js', () => {
  const c = catalogOf({
    'shop/handler.js': '',
    'shop/core.js': '',
    'shop/admin/get.health.js': '',
    'shop/admin/helpers.js': '',
  });
  assert.deepEqual(routeLines(c), [
    'GET /shop -> node/shop/handler.js@default',
    'GET /shop/admin/health -> node/shop/admin/get.health.js@default',
  ]);
});

test('§2.18 tasks handler + post.js + [id].js + overlay GET,POST', () => {
  const c = catalogOf({
    'tasks/handler.js': '',
    'tasks/post.js': '',
    'tasks/[id].js': '',
    'tasks/fn.config.json': { invoke: { methods: ['GET', 'POST'] } },
  });
  assert.deepEqual(routeLines(c), [
    'GET /tasks -> node/tasks/handler.js@default',
    'POST /tasks -> node/tasks/post.js@default',
    'GET,POST /tasks/:id -> node/tasks/[id].js@default',
  ]);
  assert.deepEqual(c.conflicts, []);
});

test('§2.18 hello/handler.js + hello/v2/handler.js (no config) -> /hello, /hello/v2, /hello@v2', () => {
  const c = catalogOf({ 'hello/handler.js': '', 'hello/v2/handler.js': '' });
  assert.deepEqual(routeLines(c), [
    'GET /hello -> node/hello/handler.js@default',
    'GET /hello/v2 -> node/hello/v2/handler.js@default',
  ]);
  const r = compileRouter(c);
  assert.deepEqual(r.matchVersion('/hello@v2'), { key: 'node/hello/handler.js@v2' });
  assert.equal(c.functions.get('node/hello/handler.js@v2')?.entry, 'hello/v2/handler.js');
});

test('§2.18 node/hello/handler.js + node/hello/v2/handler.js -> /hello, /hello/*, /hello@v2', () => {
  const c = catalogOf({ 'node/hello/handler.js': '', 'node/hello/v2/handler.js': '' });
  assert.deepEqual(routeLines(c), ['GET /hello -> node/hello@default', 'GET /hello/* -> node/hello@default']);
  assert.deepEqual(compileRouter(c).matchVersion('/hello@v2'), { key: 'node/hello@v2' });
});

test('§2.18 python/api/v1/users/handler.py -> /api/v1/users and /api/v1/users/*', () => {
  const c = catalogOf({ 'python/api/v1/users/handler.py': '' });
  assert.deepEqual(routeLines(c), [
    'GET /api/v1/users -> python/api/v1/users@default',
    'GET /api/v1/users/* -> python/api/v1/users@default',
  ]);
});

test('§2.18 node/multi/get.alpha.js -> GET /node/multi/alpha', () => {
  const c = catalogOf({ 'node/multi/get.alpha.js': '' });
  assert.deepEqual(routeLines(c), ['GET /node/multi/alpha -> node/node/multi/get.alpha.js@default']);
});

test('§2.18 api/users/handler.js + {"runtime":"node"} -> /api/users and /api/users/*', () => {
  const c = catalogOf({ 'api/users/handler.js': '', 'api/users/fn.config.json': { runtime: 'node' } });
  assert.deepEqual(routeLines(c), [
    'GET /api/users -> node/api/users@default',
    'GET /api/users/* -> node/api/users@default',
  ]);
});

test('§2.18 node/pasted/handler.js + unparsable config -> /pasted, /pasted/* and a warning', () => {
  const c = catalogOf({ 'node/pasted/handler.js': '', 'node/pasted/fn.config.json': '{"runtime": "node",' });
  assert.deepEqual(routeLines(c), ['GET /pasted -> node/pasted@default', 'GET /pasted/* -> node/pasted@default']);
  assert.equal(c.warnings.length, 1);
  assert.match(c.warnings[0] ?? '', /^node\/pasted\/fn\.config\.json: invalid JSON \(.+\); ignored$/);
});

test('§2.18 root index.js or root get.js -> none (/ is home routing)', () => {
  for (const file of ['index.js', 'get.js']) {
    const c = catalogOf({ [file]: '' });
    assert.deepEqual(routes(c), [], file);
    assert.deepEqual(c.warnings, [`${file}: route / is reserved for home routing; ignored`]);
  }
});

test('§2.18 console/get.status.js -> none (reserved, warning)', () => {
  const c = catalogOf({ 'console/get.status.js': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, ['console/get.status.js: route /console/status is reserved; ignored']);
});

test('§2.18 clash/get.js + clash/get.py -> GET /clash answers 409', () => {
  const c = catalogOf({ 'clash/get.js': '', 'clash/get.py': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.conflicts, [
    {
      route: '/clash',
      methods: ['GET'],
      allow_hosts: [],
      targets: ['node/clash/get.js@default', 'python/clash/get.py@default'],
      files: ['clash/get.js', 'clash/get.py'],
    },
  ]);
  const r = compileRouter(c);
  assert.deepEqual(hit(r, '/clash'), { kind: 'conflict' });
  assert.deepEqual(hit(r, '/clash', 'POST'), { kind: 'method', allow: ['GET'] });
});

test('§2.18 manifest beats file route; target.js is not /manifest/target', () => {
  const c = catalogOf({
    'manifest/get.ping.js': '',
    'manifest/target.js': '',
    'manifest/fn.routes.json': { routes: { 'GET /manifest/ping': 'target.js' } },
  });
  assert.deepEqual(routeLines(c), ['GET /manifest/ping -> node/manifest/target.js@default']);
  assert.equal(c.routes[0]?.source, 'manifest');
});

test('§2.18 portal/get.dashboard.js + home route dashboard -> /portal/dashboard and /portal alias', () => {
  const c = catalogOf({ 'portal/get.dashboard.js': '', 'portal/fn.config.json': { home: { route: 'dashboard' } } });
  assert.deepEqual(routeLines(c), [
    'GET /portal -> node/portal/get.dashboard.js@default',
    'GET /portal/dashboard -> node/portal/get.dashboard.js@default',
  ]);
});

test('§2.18 a/b/c/d/e/f/index.py -> GET /a/b/c/d/e/f (depth 6 allowed)', () => {
  const c = catalogOf({ 'a/b/c/d/e/f/index.py': '' });
  assert.deepEqual(routes(c), ['GET /a/b/c/d/e/f']);
  assert.deepEqual(c.warnings, []);
});

test('§2.18 a/b/c/d/e/f/g/index.py -> none (depth limit, warning)', () => {
  const c = catalogOf({ 'a/b/c/d/e/f/g/index.py': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, ['a/b/c/d/e/f/g/index.py: depth limit exceeded']);
});

test('§2.18 dist/get.shadow.js with FN_ZERO_CONFIG_IGNORE_DIRS=dist -> none', () => {
  assert.deepEqual(routes(catalogOf({ 'dist/get.shadow.js': '' })), ['GET /dist/shadow']);
  assert.deepEqual(routes(catalogOf({ 'dist/get.shadow.js': '' }, { ignore_dirs: ['dist'] })), []);
});

test('§2.18 shop-app/users/index.js (multi-root) -> GET /shop-app/users', () => {
  assert.deepEqual(routes(catalogOf({ 'shop-app/users/index.js': '' })), ['GET /shop-app/users']);
});
