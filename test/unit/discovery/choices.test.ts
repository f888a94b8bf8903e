// Decisions taken where the SPEC is silent (docs/routing.md "Choices where the spec is silent").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogOf, routeLines, routes } from './helpers.js';

test('handler.mjs / index.cjs are canonical node entries after the spec names', () => {
  const c = catalogOf({ 'a/handler.mjs': '', 'a/helper.js': '', 'b/index.cjs': '', 'b/handler.ts': '' });
  assert.deepEqual(routeLines(c), ['GET /a -> node/a/handler.mjs@default', 'GET /b -> node/b/handler.ts@default']);
  assert.deepEqual(c.warnings, ['b/index.cjs: entry file not used (handler.ts is the entry of b); private']);
});

test('a lower-level claim overlapping a higher-level winner on any host loses on all its hosts', () => {
  const c = catalogOf({
    'a/fn.config.json': { invoke: { allow_hosts: ['a.com'] } },
    'a/fn.routes.json': { routes: { '/x': 'h.js' } },
    'a/h.js': '',
    'b/fn.config.json': { invoke: { allow_hosts: ['a.com', 'b.com'], routes: ['/x'] } },
    'b/handler.js': '',
  });
  assert.deepEqual(
    c.routes.filter((r) => r.route === '/x').map((r) => [r.key, r.allow_hosts]),
    [['node/a/h.js@default', ['a.com']]],
  );
});

test('version directories of a catalogued function are not scanned for file routes', () => {
  const c = catalogOf({
    'f/handler.js': '',
    'f/fn.config.json': { runtime: 'node' },
    'f/v2/handler.js': '',
    'f/v2/get.extra.js': '',
    'f/tools/get.ping.js': '',
  });
  assert.deepEqual(routes(c), ['GET /f', 'GET /f/*', 'GET /f/tools/ping']);
});

test('runtime-grouped: non-version subdirectories of a function hold file routes only, never functions', () => {
  const c = catalogOf({
    'node/f/handler.js': '',
    'node/f/lib/main.js': '',
    'node/f/lib/get.x.js': '',
    'node/f/lib/[id].js': '',
  });
  assert.deepEqual(routeLines(c), [
    'GET /f -> node/f@default',
    'GET /f/* -> node/f@default',
    'GET /node/f/lib/:id -> node/node/f/lib/[id].js@default',
    'GET /node/f/lib/x -> node/node/f/lib/get.x.js@default',
  ]);
});

test('/<name>@<label>: catalogued functions win over plain entry directories of the same runtime', () => {
  const c = catalogOf({
    'node/hello/handler.js': '',
    'node/hello/v2/handler.js': '',
    'hello/handler.js': '',
    'hello/v2/handler.js': '',
  });
  assert.equal(c.versions.get('hello')?.get('v2'), 'node/hello@v2');
});

test('folder home alias needs a static folder route', () => {
  const c = catalogOf({ '[team]/fn.config.json': { home: 'dash' }, '[team]/get.dash.js': '' });
  assert.deepEqual(routes(c), ['GET /:team/dash']);
  assert.deepEqual(c.warnings, ['[team]/fn.config.json: home alias needs a static folder route; ignored']);
});
