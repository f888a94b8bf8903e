// SPEC §2.2 entry files, §2.6 discovery modes, §2.7 catalogued functions vs plain entry directories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogOf, fn, routeLines, routes } from './helpers.js';

test('§2.6 pure file tree: every non-private candidate file is a route', () => {
  const c = catalogOf({ 'api/a.js': '', 'api/b.py': '', 'api/_c.js': '', 'api/deep/d.js': '' });
  assert.deepEqual(routes(c), ['GET /api/a', 'GET /api/b', 'GET /api/deep/d']);
});

test('§2.6 single-entry directory: explicit siblings only; mixed subtree below', () => {
  const c = catalogOf({
    'svc/handler.py': '',
    'svc/db.py': '',
    'svc/search.js': '',
    'svc/get.health.js': '',
    'svc/[id].js': '',
    'svc/main.js': '',
    'svc/lib/util.js': '',
    'svc/lib/get.x.js': '',
    'svc/lib/[k].py': '',
  });
  assert.deepEqual(routeLines(c), [
    'GET /svc/:id -> node/svc/[id].js@default',
    'GET /svc/health -> node/svc/get.health.js@default',
    'GET /svc/lib/:k -> python/svc/lib/[k].py@default',
    'GET /svc/lib/x -> node/svc/lib/get.x.js@default',
  ]);
  // main.js is entry-named (explicit) but not a canonical node entry: it claims /svc at level 4 too -> 409.
  assert.deepEqual(
    c.conflicts.map((x) => [x.route, x.methods, x.files]),
    [['/svc', ['GET'], ['svc/handler.py', 'svc/main.js']]],
  );
});

test('§2.2 several runtimes: go, lua, node, php, python, rust order; the others become private with a warning', () => {
  const c = catalogOf({ 'multi/handler.py': '', 'multi/handler.js': '', 'multi/main.go': '' });
  assert.deepEqual(routeLines(c), ['GET /multi -> go/multi/main.go@default']);
  assert.deepEqual(c.warnings, [
    'multi/handler.js: entry file not used (main.go is the entry of multi); private',
    'multi/handler.py: entry file not used (main.go is the entry of multi); private',
  ]);
});

test('§2.2 canonical order within a runtime: handler.js before index.js', () => {
  const c = catalogOf({ 'x/index.js': '', 'x/handler.js': '' });
  assert.deepEqual(routeLines(c), ['GET /x -> node/x/handler.js@default']);
  assert.deepEqual(c.warnings, ['x/index.js: entry file not used (handler.js is the entry of x); private']);
});

test('§2.2 entrypoint wins and may point into an ignored directory', () => {
  const c = catalogOf({
    'api/fn.config.json': { entrypoint: 'src/api.py' },
    'api/src/api.py': '',
    'api/src/get.hidden.py': '',
  });
  assert.deepEqual(routeLines(c), ['GET /api -> python/api@default', 'GET /api/* -> python/api@default']);
  assert.equal(fn(c, 'python/api@default').entry, 'api/src/api.py');
  assert.equal(fn(c, 'python/api@default').dir, 'api');
});

test('§2.2 a missing entrypoint is warned and the canonical entry is used', () => {
  const c = catalogOf({ 'api/fn.config.json': { entrypoint: 'nope.py', runtime: 'node' }, 'api/handler.js': '' });
  assert.deepEqual(routes(c), ['GET /api', 'GET /api/*']);
  assert.deepEqual(c.warnings, ['api/fn.config.json: entrypoint nope.py not found; ignored']);
});

test('§2.2 an entrypoint with .. is the wrong type', () => {
  const c = catalogOf({ 'api/fn.config.json': { entrypoint: '../x.js' }, 'api/handler.js': '', 'x.js': '' });
  assert.deepEqual(routeLines(c), ['GET /api -> node/api/handler.js@default', 'GET /x -> node/x.js@default']);
  assert.deepEqual(c.warnings, ['api/fn.config.json: field entrypoint has the wrong type; ignored']);
});

test('§2.2 there is no first-file fallback: app.js alone is a file route, not an entry', () => {
  const c = catalogOf({ 'app/app.js': '', 'app/fn.config.json': { runtime: 'node' } });
  assert.deepEqual(routes(c), ['GET /app/app']);
  assert.deepEqual(c.warnings, ['app/fn.config.json: no entry file for app']);
});

test('§2.7 identity config without entry acts as an overlay and registers nothing', () => {
  const c = catalogOf({
    'grp/fn.config.json': { invoke: { routes: ['/config-only'], methods: ['POST'] } },
    'grp/sub/x.js': '',
  });
  assert.deepEqual(routes(c), ['POST /grp/sub/x']);
  assert.deepEqual(c.warnings, ['grp/fn.config.json: no entry file for grp']);
});

test('§2.7 catalogued name from config; default routes normalise each name segment', () => {
  const c = catalogOf({
    'team_x/ns-hello/handler.js': '',
    'team_x/ns-hello/fn.config.json': { runtime: 'node' },
    'other/handler.py': '',
    'other/fn.config.json': { name: 'Renamed_Fn' },
  });
  assert.deepEqual(routeLines(c), [
    'GET /renamed-fn -> python/Renamed_Fn@default',
    'GET /renamed-fn/* -> python/Renamed_Fn@default',
    'GET /team-x/ns-hello -> node/team_x/ns-hello@default',
    'GET /team-x/ns-hello/* -> node/team_x/ns-hello@default',
  ]);
});

test('§2.7 an invalid name is ignored with a warning', () => {
  const c = catalogOf({ 'f/handler.js': '', 'f/fn.config.json': { name: '../evil', runtime: 'node' } });
  assert.deepEqual(routeLines(c), ['GET /f -> node/f@default', 'GET /f/* -> node/f@default']);
  assert.deepEqual(c.warnings, ['f/fn.config.json: field name has the wrong type; ignored']);
});

test('§2.7 the entry of a catalogued function is not a file route; explicit siblings are', () => {
  const c = catalogOf({
    'payments/handler.js': '',
    'payments/get.status.js': '',
    'payments/helpers.js': '',
    'payments/fn.config.json': { runtime: 'node' },
  });
  assert.deepEqual(routeLines(c), [
    'GET /payments -> node/payments@default',
    'GET /payments/* -> node/payments@default',
    'GET /payments/status -> node/payments/get.status.js@default',
  ]);
  assert.equal(c.functions.has('node/payments/handler.js@default'), false);
});

test('§6.1 runtime that does not match the entry: config ignored with a warning', () => {
  const c = catalogOf({ 'x/handler.js': '', 'x/fn.config.json': { runtime: 'python', timeout_ms: 9 } });
  assert.deepEqual(routeLines(c), ['GET /x -> node/x/handler.js@default']);
  assert.equal(fn(c, 'node/x/handler.js@default').policy.timeout_ms, 2500);
  assert.deepEqual(c.warnings, [
    'x/fn.config.json: runtime python does not match the entry file x/handler.js; config ignored',
  ]);
});

test('§6.1 runtime in config selects that runtime entry when several exist', () => {
  const c = catalogOf({ 'x/handler.js': '', 'x/handler.py': '', 'x/fn.config.json': { runtime: 'python' } });
  assert.deepEqual(routeLines(c), ['GET /x -> python/x@default', 'GET /x/* -> python/x@default']);
});

test('§2.7 kinds: catalogued "function", plain entry and file routes "file"', () => {
  const c = catalogOf({ 'a/handler.js': '', 'a/fn.config.json': { runtime: 'node' }, 'b/handler.js': '', 'c.js': '' });
  assert.equal(fn(c, 'node/a@default').kind, 'function');
  assert.equal(fn(c, 'node/b/handler.js@default').kind, 'file');
  assert.equal(fn(c, 'node/c.js@default').kind, 'file');
  assert.equal(fn(c, 'node/b/handler.js@default').name, 'b/handler.js');
  assert.equal(fn(c, 'node/c.js@default').dir, '.');
});

test('the root directory is never an entry directory: its siblings stay routes', () => {
  const c = catalogOf({ 'handler.js': '', 'hello.js': '', 'fn.config.json': { runtime: 'node' } });
  assert.deepEqual(routes(c), ['GET /hello']);
  assert.deepEqual(c.warnings, [
    'fn.config.json: runtime, name, entrypoint and routes are ignored in the root fn.config.json',
    'handler.js: route / is reserved for home routing; ignored',
  ]);
});

test('duplicate function keys keep the first and warn', () => {
  const c = catalogOf({
    'a/handler.js': '',
    'a/fn.config.json': { name: 'same' },
    'b/handler.js': '',
    'b/fn.config.json': { name: 'same' },
  });
  assert.equal(fn(c, 'node/same@default').entry, 'a/handler.js');
  assert.deepEqual(c.warnings, [
    'b/handler.js: function node/same@default is already defined by a/handler.js; ignored',
  ]);
});
