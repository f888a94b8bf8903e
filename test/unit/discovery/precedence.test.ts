// SPEC §2.13 precedence levels, per-method conflicts, host sets; determinism of the whole catalog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog, treeFromObject, type Catalog } from '../../../src/discovery/index.js';
import { hostSetsOverlap } from '../../../src/discovery/precedence.js';
import { compileRouter } from '../../../src/router/index.js';
import { catalogOf, opts, routeLines } from './helpers.js';

const owner = (c: Catalog, route: string, method = 'GET') =>
  c.routes
    .filter((r) => r.route === route && r.methods.includes(method as 'GET'))
    .map((r) => `${r.key} ${r.source_rank}`);

test('§2.13 each level beats the next: forced config > manifest > prefixed file > unprefixed file > config', () => {
  const tree: Record<string, unknown> = {
    'forced/handler.js': '',
    'forced/fn.config.json': { invoke: { routes: ['/p'], force_url: true } },
    'fn.routes.json': { routes: { '/p': 'm.js' } },
    'm.js': '',
    'get.p.js': '',
    'p.py': '',
    'plain/handler.js': '',
    'plain/fn.config.json': { invoke: { routes: ['/p'] } },
  };
  assert.deepEqual(owner(catalogOf(tree), '/p'), ['node/forced@default 1']);
  delete tree['forced/fn.config.json'];
  delete tree['forced/handler.js'];
  assert.deepEqual(owner(catalogOf(tree), '/p'), ['node/m.js@default 2']);
  delete tree['fn.routes.json'];
  assert.deepEqual(owner(catalogOf(tree), '/p'), ['node/get.p.js@default 3']);
  delete tree['get.p.js'];
  assert.deepEqual(owner(catalogOf(tree), '/p'), ['python/p.py@default 4']);
  delete tree['p.py'];
  assert.deepEqual(owner(catalogOf(tree), '/p'), ['node/plain@default 5']);
});

test('§2.13 unforced config routes serve only the methods no higher source serves', () => {
  const c = catalogOf({
    'get.items.js': '',
    'f/handler.js': '',
    'f/fn.config.json': { invoke: { routes: ['/items'], methods: ['GET', 'POST', 'DELETE'] } },
  });
  assert.deepEqual(routeLines(c), ['GET /items -> node/get.items.js@default', 'POST,DELETE /items -> node/f@default']);
});

test('§2.13 a conflict answers 409 for its methods only; other methods are served', () => {
  const c = catalogOf({
    'x/get.js': '',
    'x/get.py': '',
    'x/post.js': '',
  });
  assert.deepEqual(routeLines(c), ['POST /x -> node/x/post.js@default']);
  assert.deepEqual(
    c.conflicts.map((k) => [k.route, k.methods]),
    [['/x', ['GET']]],
  );
  const r = compileRouter(c);
  assert.deepEqual(r.match('/x', 'GET', 'h'), { kind: 'conflict' });
  assert.deepEqual(r.match('/x', 'HEAD', 'h'), { kind: 'conflict' });
  assert.equal(r.match('/x', 'POST', 'h').kind, 'hit');
});

test('§2.13 same shape with different parameter names is one path: conflict', () => {
  const c = catalogOf({ 'u/[id].js': '', 'u/[uid].py': '' });
  assert.deepEqual(c.routes, []);
  assert.deepEqual(
    c.conflicts.map((k) => [k.route, k.files]),
    [['/u/:id', ['u/[id].js', 'u/[uid].py']]],
  );
});

test('§2.13 a conflict at a higher level shadows lower levels for that method', () => {
  const c = catalogOf({ 'get.x.js': '', 'get.x.py': '', 'x.php': '' });
  assert.deepEqual(c.routes, []);
  assert.deepEqual(
    c.conflicts.map((k) => [k.route, k.methods, k.targets]),
    [['/x', ['GET'], ['node/get.x.js@default', 'python/get.x.py@default']]],
  );
});

test('§2.13 disjoint exact host sets coexist; the router picks by host', () => {
  const c = catalogOf({
    'a/fn.config.json': { invoke: { allow_hosts: ['a.example.com'] } },
    'a/fn.routes.json': { routes: { '/tenant': 'h.js' } },
    'a/h.js': '',
    'b/fn.config.json': { invoke: { allow_hosts: 'b.example.com, B2.example.com' } },
    'b/fn.routes.json': { routes: { '/tenant': 'h.py' } },
    'b/h.py': '',
  });
  assert.deepEqual(c.conflicts, []);
  assert.deepEqual(
    c.routes.map((r) => [r.route, r.key, r.allow_hosts]),
    [
      ['/tenant', 'node/a/h.js@default', ['a.example.com']],
      ['/tenant', 'python/b/h.py@default', ['b.example.com', 'b2.example.com']],
    ],
  );
  const r = compileRouter(c);
  const a = r.match('/tenant', 'GET', 'a.example.com');
  const b = r.match('/tenant', 'GET', 'b2.example.com:8080');
  assert.equal(a.kind === 'hit' && a.entry.key, 'node/a/h.js@default');
  assert.equal(b.kind === 'hit' && b.entry.key, 'python/b/h.py@default');
  assert.deepEqual(r.match('/tenant', 'GET', 'c.example.com'), { kind: 'host' });
});

test('§2.13 a wildcard host overlaps every set; an empty set (any host) overlaps too', () => {
  assert.equal(hostSetsOverlap(['a.com'], ['b.com']), false);
  assert.equal(hostSetsOverlap(['a.com'], ['a.com:8080']), true);
  assert.equal(hostSetsOverlap(['a.com:80'], ['a.com:8080']), false);
  assert.equal(hostSetsOverlap(['*.x.com'], ['b.com']), true);
  assert.equal(hostSetsOverlap([], ['b.com']), true);
  const c = catalogOf({
    'a/fn.config.json': { invoke: { allow_hosts: ['*.example.com'] } },
    'a/get.t.js': '',
    'b/fn.config.json': { invoke: { allow_hosts: ['other.org'] } },
    'b/get.t.py': '',
    'fn.routes.json': { routes: { '/t': 'a/get.t.js', 'GET /t ': 'b/get.t.py' } },
  });
  assert.deepEqual(
    c.conflicts.map((k) => [k.route, k.allow_hosts]),
    [['/t', ['*.example.com', 'other.org']]],
  );
});

test('§2.13 the same canonical route in two runtimes is a conflict at its level', () => {
  const c = catalogOf({ 'node/same/handler.js': '', 'python/same/handler.py': '' });
  assert.deepEqual(c.routes, []);
  assert.deepEqual(
    c.conflicts.map((k) => k.route),
    ['/same', '/same/*'],
  );
});

test('determinism: insertion order does not change the catalog', () => {
  const files: [string, unknown][] = [
    ['b/[id].js', ''],
    ['a/handler.js', ''],
    ['a/fn.config.json', { runtime: 'node', invoke: { methods: 'GET,POST' } }],
    ['a/v2/handler.py', ''],
    ['clash/get.js', ''],
    ['clash/get.py', ''],
    ['get.post.bad.js', ''],
    ['node/x/handler.js', ''],
    ['m/fn.routes.json', { routes: { '/m/:x*': 'h.js' } }],
    ['m/h.js', '// @summary hello'],
  ];
  const dump = (c: Catalog) =>
    JSON.stringify({
      ...c,
      generated_at: 0,
      functions: [...c.functions],
      versions: [...c.versions].map(([k, v]) => [k, [...v]]),
    });
  const one = dump(buildCatalog(treeFromObject(Object.fromEntries(files)), opts()));
  const two = dump(buildCatalog(treeFromObject(Object.fromEntries([...files].reverse())), opts()));
  assert.equal(one, two);
});
