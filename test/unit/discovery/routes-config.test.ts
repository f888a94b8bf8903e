// SPEC §2.10 fn.routes.json manifests and §2.11 invoke.routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRouter } from '../../../src/router/index.js';
import { parseManifestKey } from '../../../src/discovery/manifest.js';
import { catalogOf, fn, routeLines, routes } from './helpers.js';

test('§2.10 manifest keys: METHODS by commas and/or spaces; omitted means GET', () => {
  assert.deepEqual(parseManifestKey('GET,POST /items/:id'), { methods: ['GET', 'POST'], path: '/items/:id' });
  assert.deepEqual(parseManifestKey('delete  put, get /x'), { methods: ['GET', 'PUT', 'DELETE'], path: '/x' });
  assert.deepEqual(parseManifestKey('/health'), { methods: ['GET'], path: '/health' });
  assert.equal(parseManifestKey('HEAD /x'), 'unknown method HEAD');
  assert.equal(parseManifestKey('GET health'), 'the path must be absolute');
});

test('§2.10 manifest: paths used as written, {p} alias, targets relative to the manifest', () => {
  const c = catalogOf({
    'svc/fn.routes.json': { routes: { 'GET,POST /items/{id}': 'handlers/item.js', '/health': 'health.py' } },
    'svc/handlers/item.js': '',
    'svc/health.py': '',
  });
  assert.deepEqual(routeLines(c), [
    'GET /health -> python/svc/health.py@default',
    'GET,POST /items/:id -> node/svc/handlers/item.js@default',
  ]);
  assert.deepEqual(fn(c, 'node/svc/handlers/item.js@default').policy.methods, ['GET', 'POST']);
  const m = compileRouter(c).match('/items/9', 'POST', 'h');
  assert.deepEqual(m.kind === 'hit' && m.params, { id: '9' });
});

test('§2.10 manifest: missing, escaping and non-handler targets are skipped with warnings', () => {
  const c = catalogOf({
    'm/fn.routes.json': { routes: { '/a': 'nope.js', '/b': '../../etc/passwd.js', '/c': 'data.txt', '/d': 42 } },
    'm/data.txt': '',
  });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, [
    'm/fn.routes.json: route /a: target nope.js not found; skipped',
    'm/fn.routes.json: route /b: target ../../etc/passwd.js is outside the root; skipped',
    'm/fn.routes.json: route /c: target data.txt is not a handler of an enabled runtime; skipped',
    'm/fn.routes.json: route /d: target must be a string; skipped',
  ]);
});

test('§2.10 manifest: a target may be outside the manifest directory but inside the root', () => {
  const c = catalogOf({ 'm/fn.routes.json': { routes: { '/shared': '../lib/x.js' } }, 'lib/x.js': '' });
  assert.deepEqual(routeLines(c), ['GET /shared -> node/lib/x.js@default']);
});

test('§2.10 manifest directory is a leaf; its own files are still file routes; the root is not a leaf', () => {
  const c = catalogOf({
    'm/fn.routes.json': { routes: { '/deep': 'sub/t.js' } },
    'm/get.own.js': '',
    'm/sub/t.js': '',
    'm/sub/get.hidden.js': '',
    'fn.routes.json': { routes: { '/r': 'x/r.js' } },
    'x/r.js': '',
    'x/get.visible.js': '',
  });
  assert.deepEqual(routeLines(c), [
    'GET /deep -> node/m/sub/t.js@default',
    'GET /m/own -> node/m/get.own.js@default',
    'GET /r -> node/x/r.js@default',
    'GET /x/visible -> node/x/get.visible.js@default',
  ]);
});

test('§2.10 manifest: invalid JSON is ignored with a warning; the files next to it are still served', () => {
  const c = catalogOf({ 'm/fn.routes.json': '{"routes":', 'm/get.x.js': '' });
  assert.deepEqual(routes(c), ['GET /m/x']);
  assert.equal(c.warnings.length, 1);
  assert.match(c.warnings[0] ?? '', /^m\/fn\.routes\.json: invalid JSON \(.+\); ignored$/);
});

test('§2.10 manifest: a reserved path is dropped with a warning naming the file and route', () => {
  const c = catalogOf({ 'fn.routes.json': { routes: { '/_fn/x': 'a.js', '/console': 'a.js' } }, 'a.js': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, [
    'fn.routes.json: route /_fn/x is reserved; ignored',
    'fn.routes.json: route /console is reserved; ignored',
  ]);
});

test('§2.11 invoke.routes replaces the default pair; trimmed and normalised', () => {
  const c = catalogOf({
    'f/handler.js': '',
    'f/fn.config.json': { invoke: { routes: ['  //v1//things/ ', '/v1/things/{id}', 'bare'] } },
  });
  assert.deepEqual(routes(c), ['GET /bare', 'GET /v1/things', 'GET /v1/things/:id']);
});

test('§2.11 invoke.route as a string, and top-level routes as an alias', () => {
  assert.deepEqual(routes(catalogOf({ 'f/handler.js': '', 'f/fn.config.json': { invoke: { route: '/one' } } })), [
    'GET /one',
  ]);
  assert.deepEqual(routes(catalogOf({ 'f/handler.js': '', 'f/fn.config.json': { routes: ['/two'] } })), ['GET /two']);
  assert.deepEqual(
    routes(
      catalogOf({ 'f/handler.js': '', 'f/fn.config.json': { routes: ['/alias'], invoke: { routes: ['/canon'] } } }),
    ),
    ['GET /canon'],
  );
});

test('§2.11 routes with .. or a reserved path are dropped with a warning', () => {
  const c = catalogOf({
    'f/handler.js': '',
    'f/fn.config.json': { invoke: { routes: ['/ok', '/a/../b', '/_fn/health', '/openapi.json', '/', 7] } },
  });
  assert.deepEqual(routes(c), ['GET /ok']);
  assert.deepEqual(c.warnings, [
    'f/fn.config.json: route / is reserved for home routing; ignored',
    'f/fn.config.json: route /_fn/health is reserved; ignored',
    'f/fn.config.json: route /a/../b: route contains a . or .. segment; dropped',
    'f/fn.config.json: route /openapi.json is reserved; ignored',
    'f/fn.config.json: route 7 is not a string; dropped',
  ]);
});

test('§2.11 at most 32 routes per function; extra ones dropped with a warning', () => {
  const list = Array.from({ length: 34 }, (_, i) => `/r${String(i).padStart(2, '0')}`);
  const c = catalogOf({ 'f/handler.js': '', 'f/fn.config.json': { invoke: { routes: list } } });
  assert.equal(c.routes.length, 32);
  assert.equal(c.routes.at(-1)?.route, '/r31');
  assert.deepEqual(c.warnings, [
    'f/fn.config.json: more than 32 routes; route /r32 dropped',
    'f/fn.config.json: more than 32 routes; route /r33 dropped',
  ]);
});

test('§2.11 wildcards: trailing * is a catch-all captured as wildcard; inner * one segment', () => {
  const c = catalogOf({ 'f/handler.js': '', 'f/fn.config.json': { invoke: { routes: ['/w/*/x/*'] } } });
  const m = compileRouter(c).match('/w/a/x/b/c', 'GET', 'h');
  assert.deepEqual(m.kind === 'hit' && m.params, { wildcard: 'a', wildcard2: 'b/c' });
});

test('§2.13 force_url aliases (invoke and top level) and the global switch', () => {
  const tree = (cfg: object) => ({
    'x.js': '',
    'f/handler.js': '',
    'f/fn.config.json': { invoke: { routes: ['/x'] }, ...cfg },
  });
  const owner = (cfg: object, force = false) =>
    catalogOf(tree(cfg), { force_url: force }).routes.find((r) => r.route === '/x');
  assert.equal(owner({})?.key, 'node/x.js@default');
  for (const cfg of [
    { invoke: { routes: ['/x'], force_url: true } },
    { invoke: { routes: ['/x'], 'force-url': true } },
    { invoke: { routes: ['/x'], forceUrl: true } },
    { force_url: true },
    { 'force-url': true },
    { forceUrl: true },
  ]) {
    const r = owner(cfg);
    assert.equal(r?.key, 'node/f@default', JSON.stringify(cfg));
    assert.equal(r?.source, 'config-forced');
    assert.equal(r?.force_url, true);
  }
  assert.equal(owner({}, true)?.key, 'node/f@default');
});
