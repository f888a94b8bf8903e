// SPEC §2.14 ignored directories and depth, §2.15 reserved paths, §2.16 home, §15 assets, §2.17 multi-root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogOf, routes } from './helpers.js';

test('§2.14 default ignored directories at any depth, case-insensitively', () => {
  const c = catalogOf({
    'node_modules/get.a.js': '',
    'x/Vendor/get.b.php': '',
    'x/__pycache__/c.py': '',
    'x/target/d.rs': '',
    'x/src/e.js': '',
    'x/.deps/f.py': '',
    'Node_Modules/g.js': '',
    'x/ok.js': '',
  });
  assert.deepEqual(routes(c), ['GET /x/ok']);
  assert.deepEqual(c.warnings, []);
});

test('§2.14 extra ignored directories: root zero_config.ignore_dirs, its aliases (array or CSV) and opts combined', () => {
  const tree = { 'a/x.js': '', 'b/x.js': '', 'c/x.js': '', 'd/x.js': '', 'e/x.js': '', 'f/x.js': '' };
  const cfg = {
    zero_config: { ignore_dirs: ['a'] },
    discovery: { ignore_dirs: 'b' },
    routing: { ignore_dirs: ['C'] },
    zero_config_ignore_dirs: 'd, x/y',
  };
  const c = catalogOf({ ...tree, 'fn.config.json': cfg }, { ignore_dirs: ['e'] });
  assert.deepEqual(routes(c), ['GET /f/x']);
  assert.deepEqual(c.warnings, ['fn.config.json: zero_config_ignore_dirs: x/y is not a directory name; ignored']);
});

test('§2.14 zero_config outside the root config is ignored with a warning', () => {
  const c = catalogOf({ 'a/fn.config.json': { zero_config: { ignore_dirs: ['b'] } }, 'a/b/x.js': '' });
  assert.deepEqual(routes(c), ['GET /a/b/x']);
  assert.deepEqual(c.warnings, [
    'a/fn.config.json: field zero_config is only valid in the root fn.config.json; ignored',
  ]);
});

test('§2.14 protected files are never routes', () => {
  const c = catalogOf({ 'a/fn.config.json': {}, 'a/fn.env.json': {}, 'a/fn.test_events.json': {}, 'a/get.x.js': '' });
  assert.deepEqual(routes(c), ['GET /a/x']);
});

test('§2.14 depth: level 6 allowed, level 7 skipped with one warning per handler', () => {
  const c = catalogOf({
    'a/b/c/d/e/f/get.ok.js': '',
    'a/b/c/d/e/f/g/x.js': '',
    'a/b/c/d/e/f/g/_private.js': '',
    'a/b/c/d/e/f/h/i/y.js': '',
  });
  assert.deepEqual(routes(c), ['GET /a/b/c/d/e/f/ok']);
  assert.deepEqual(c.warnings, ['a/b/c/d/e/f/g/x.js: depth limit exceeded', 'a/b/c/d/e/f/h: depth limit exceeded']);
});

test('§2.15 reserved paths are dropped with a warning naming file and route; /docs is not reserved', () => {
  const c = catalogOf({
    'system/get.metrics.js': '',
    'system/get.other.js': '',
    'docs.js': '',
    'consoles.js': '',
    'console/deep/x.py': '',
    // `_fn` normalises to `fn` (N4): an ordinary route, not the reserved namespace.
    '_fn/get.x.js': '',
  });
  assert.deepEqual(routes(c), ['GET /consoles', 'GET /docs', 'GET /fn/x', 'GET /system/other']);
  assert.deepEqual(c.warnings, [
    'console/deep/x.py: route /console/deep/x is reserved; ignored',
    'system/get.metrics.js: route /system/metrics is reserved; ignored',
  ]);
});

test('§2.15 a catalogued function named console loses both default routes with warnings', () => {
  const c = catalogOf({ 'console/handler.js': '', 'console/fn.config.json': { runtime: 'node' } });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, [
    'console/handler.js: route /console is reserved; ignored',
    'console/handler.js: route /console/* is reserved; ignored',
  ]);
});

test('§2.16 root home: route (with aliases) wins over redirect; string form; invoke.home', () => {
  const home = (v: object) => catalogOf({ 'fn.config.json': v }).home;
  assert.deepEqual(home({ home: '/dash' }), { route: '/dash' });
  assert.deepEqual(home({ home: { function: '/a' } }), { route: '/a' });
  assert.deepEqual(home({ home: { path: 'rel/x' } }), { route: '/rel/x' });
  assert.deepEqual(home({ home: { 'home-route': '/b', redirect: '/c' } }), { route: '/b' });
  assert.deepEqual(home({ home: { url: 'https://example.com/x' } }), { redirect: 'https://example.com/x' });
  assert.deepEqual(home({ home: { location: '/login' } }), { redirect: '/login' });
  assert.deepEqual(home({ invoke: { home_route: '/i' } }), { route: '/i' });
  assert.equal(home({}), null);
});

test('§2.16 invalid home values are ignored with a warning and evaluation continues', () => {
  const c = catalogOf({ 'fn.config.json': { home: { route: 'https://evil.com', redirect: '/ok' } } });
  assert.deepEqual(c.home, { redirect: '/ok' });
  assert.deepEqual(c.warnings, ['fn.config.json: home route "https://evil.com" is invalid; ignored']);
  const bad = catalogOf({ 'fn.config.json': { home: { route: '/', redirect: 'javascript:alert(1)' } } });
  assert.equal(bad.home, null);
  assert.equal(bad.warnings.length, 2);
});

test('§2.16 folder home alias is skipped when the folder route is already mapped or the target is elsewhere', () => {
  const mapped = catalogOf({
    'portal/fn.config.json': { home: 'dashboard' },
    'portal/get.dashboard.js': '',
    'portal/index.js': '',
  });
  assert.deepEqual(routes(mapped), ['GET /portal', 'GET /portal/dashboard']);
  assert.equal(mapped.routes[0]?.key, 'node/portal/index.js@default');
  assert.deepEqual(mapped.warnings, ['portal/fn.config.json: /portal is already mapped; home alias skipped']);
  const outside = catalogOf({ 'portal/fn.config.json': { home: { route: '/elsewhere' } }, 'elsewhere.js': '' });
  assert.deepEqual(routes(outside), ['GET /elsewhere']);
  assert.deepEqual(outside.warnings, ['portal/fn.config.json: home route must name a route inside /portal; ignored']);
});

test('§2.16 folder home alias copies methods and hosts of the target', () => {
  const c = catalogOf({
    'portal/fn.config.json': {
      home: { route: '/portal/app' },
      invoke: { methods: ['GET', 'POST'], allow_hosts: ['p.com'] },
    },
    'portal/app.js': '',
  });
  assert.deepEqual(
    c.routes.map((r) => [r.route, r.methods, r.allow_hosts, r.key, r.source_rank]),
    [
      ['/portal', ['GET', 'POST'], ['p.com'], 'node/portal/app.js@default', 4],
      ['/portal/app', ['GET', 'POST'], ['p.com'], 'node/portal/app.js@default', 4],
    ],
  );
});

test('§15 assets: parsed and validated; the directory is never scanned for handlers', () => {
  const c = catalogOf({
    'fn.config.json': { assets: { directory: 'public/', not_found_handling: 'spa', run_worker_first: true } },
    'public/index.html': '',
    'public/get.evil.js': '',
    'api.js': '',
  });
  assert.deepEqual(c.assets, {
    directory: 'public',
    not_found_handling: 'single-page-application',
    run_worker_first: true,
  });
  assert.deepEqual(routes(c), ['GET /api']);
});

test('§15 assets: unsafe or missing directories disable assets with a warning', () => {
  const missing = catalogOf({ 'fn.config.json': { assets: { directory: 'nope' } } });
  assert.equal(missing.assets, null);
  assert.deepEqual(missing.warnings, ['fn.config.json: assets directory nope not found; assets disabled']);
  for (const directory of ['../x', '/abs', 'a//b', 'a\\b', './x']) {
    const c = catalogOf({ 'fn.config.json': { assets: { directory } }, 'x/': '' });
    assert.equal(c.assets, null, directory);
    assert.deepEqual(c.warnings, ['fn.config.json: assets.directory must be a safe relative path; assets disabled']);
  }
  const def = catalogOf({ 'fn.config.json': { assets: { directory: 'www' } }, 'www/': '' });
  assert.deepEqual(def.assets, { directory: 'www', not_found_handling: '404', run_worker_first: false });
});

test('§2.17 multi-root: catalogued functions in app folders are named by their full relative path', () => {
  const c = catalogOf({
    'shop-app/api/handler.js': '',
    'shop-app/api/fn.config.json': { runtime: 'node' },
    'blog-app/fn.routes.json': { routes: { '/posts': 'posts.py' } },
    'blog-app/posts.py': '',
  });
  assert.deepEqual(
    c.routes.map((r) => `${r.route} -> ${r.key}`),
    [
      '/posts -> python/blog-app/posts.py@default',
      '/shop-app/api -> node/shop-app/api@default',
      '/shop-app/api/* -> node/shop-app/api@default',
    ],
  );
  assert.equal(c.root_config, null);
});
