// SPEC §2.5 M3-M9 and §9.1 steps 6-8: the compiled matcher on hand-made route tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, Method, RouteConflict, RouteEntry } from '../../../src/discovery/index.js';
import { compileRouter, sanitizePath } from '../../../src/router/index.js';

function entry(
  route: string,
  methods: Method[] = ['GET'],
  key = `node/${route}@default`,
  allow_hosts: string[] = [],
): RouteEntry {
  return { route, methods, allow_hosts, key, source: 'file', source_rank: 4, force_url: false };
}

function router(
  routes: RouteEntry[],
  conflicts: RouteConflict[] = [],
  versions = new Map<string, Map<string, string>>(),
) {
  const catalog: Catalog = {
    generated_at: 0,
    root: '/r',
    runtime_order: ['node'],
    functions: new Map(),
    routes,
    conflicts,
    versions,
    warnings: [],
    home: null,
    assets: null,
    root_config: null,
  };
  return compileRouter(catalog);
}

const keyOf = (r: ReturnType<typeof router>, path: string, method = 'GET', host = 'h') => {
  const m = r.match(path, method, host);
  return m.kind === 'hit' ? m.entry.route : m.kind;
};

test('M3: exact static routes are tried before dynamic ones', () => {
  const r = router([entry('/users/:id'), entry('/users/me')]);
  assert.equal(keyOf(r, '/users/me'), '/users/me');
  assert.equal(keyOf(r, '/users/you'), '/users/:id');
});

test('M4: more static segments, then more segments, then fewer catch-alls, then more dynamic, then lexical', () => {
  const r = router([
    entry('/:a/:b'),
    entry('/a/:x*'),
    entry('/a/:b'),
    entry('/a/*'),
    entry('/:a*'),
    entry('/a/:b/c'),
    entry('/a/:b/:c'),
    entry('/:z/b'),
  ]);
  assert.equal(keyOf(r, '/a/x'), '/a/:b'); // beats /a/*, /a/:x* (catch-alls) and /:a/:b, /:z/b (fewer statics)
  assert.equal(keyOf(r, '/a/x/c'), '/a/:b/c');
  assert.equal(keyOf(r, '/a/x/y'), '/a/:b/:c');
  assert.equal(keyOf(r, '/a/x/y/z'), '/a/*'); // lexical: '/a/*' < '/a/:x*'
  assert.equal(keyOf(r, '/q/b'), '/:z/b');
  assert.equal(keyOf(r, '/q/r'), '/:a/:b');
  assert.equal(keyOf(r, '/q'), '/:a*');
});

test('M5: :name one non-empty segment; :name* and trailing * one or more; inner * one segment', () => {
  const r = router([entry('/p/:id'), entry('/c/:rest*'), entry('/w/*'), entry('/x/*/y/*')]);
  const params = (path: string) => {
    const m = r.match(path, 'GET', 'h');
    return m.kind === 'hit' ? m.params : m.kind;
  };
  assert.deepEqual(params('/p/1'), { id: '1' });
  assert.equal(params('/p'), 'miss');
  assert.equal(params('/p/1/2'), 'miss');
  assert.equal(params('/c'), 'miss');
  assert.deepEqual(params('/c/a/b c/d'), { rest: 'a/b c/d' });
  assert.deepEqual(params('/w/one'), { wildcard: 'one' });
  assert.deepEqual(params('/x/1/y/2/3'), { wildcard: '1', wildcard2: '2/3' });
  assert.equal(params('/x/1/2/y/3'), 'miss');
});

test('M1/M9: matching is case-sensitive and captures decoded, non-ASCII segments', () => {
  const r = router([entry('/hello'), entry('/u/:name')]);
  assert.equal(keyOf(r, '/Hello'), 'miss');
  const p = sanitizePath('/u/%E6%97%A5%20x');
  assert.ok(p.ok);
  const m = r.match(p.ok ? p.path : '', 'GET', 'h');
  assert.deepEqual(m.kind === 'hit' && m.params, { name: '日 x' });
});

test('M6: host allow-list first (421), then methods (405 with Allow in canonical order)', () => {
  const r = router([
    entry('/h', ['GET'], 'a', ['a.com']),
    entry('/h', ['DELETE', 'POST'], 'b', ['b.com:8080']),
    entry('/m', ['PATCH', 'DELETE']),
    entry('/m', ['POST'], 'k2'),
  ]);
  assert.deepEqual(r.match('/h', 'GET', 'c.com'), { kind: 'host' });
  assert.deepEqual(r.match('/h', 'POST', 'b.com'), { kind: 'host' });
  assert.equal(keyOf(r, '/h', 'POST', 'b.com:8080'), '/h');
  assert.deepEqual(r.match('/h', 'PUT', 'a.com:9'), { kind: 'method', allow: ['GET'] });
  assert.deepEqual(r.match('/m', 'GET', 'x'), { kind: 'method', allow: ['POST', 'PATCH', 'DELETE'] });
  assert.deepEqual(r.match('/m', 'TRACE', 'x'), { kind: 'method', allow: ['POST', 'PATCH', 'DELETE'] });
});

test('M6: a static route without the method falls through to a dynamic one that has it', () => {
  const r = router([entry('/users/me', ['GET']), entry('/users/:id', ['POST'])]);
  const m = r.match('/users/me', 'POST', 'h');
  assert.equal(m.kind === 'hit' && m.entry.route, '/users/:id');
  assert.deepEqual(m.kind === 'hit' && m.params, { id: 'me' });
});

test('host patterns: exact host any port, host:port exact, *.example.com subdomains only', () => {
  const r = router([
    entry('/a', ['GET'], 'a', ['api.example.com']),
    entry('/b', ['GET'], 'b', ['api.example.com:8443']),
    entry('/c', ['GET'], 'c', ['*.example.com']),
    entry('/d', ['GET'], 'd', ['[::1]:3000']),
  ]);
  assert.equal(keyOf(r, '/a', 'GET', 'api.example.com'), '/a');
  assert.equal(keyOf(r, '/a', 'GET', 'api.example.com:1'), '/a');
  assert.equal(keyOf(r, '/a', 'GET', 'x.api.example.com'), 'host');
  assert.equal(keyOf(r, '/b', 'GET', 'api.example.com:8443'), '/b');
  assert.equal(keyOf(r, '/b', 'GET', 'api.example.com'), 'host');
  assert.equal(keyOf(r, '/c', 'GET', 'deep.x.example.com'), '/c');
  assert.equal(keyOf(r, '/c', 'GET', 'example.com'), 'host');
  assert.equal(keyOf(r, '/c', 'GET', 'badexample.com'), 'host');
  assert.equal(keyOf(r, '/d', 'GET', '[::1]:3000'), '/d');
});

test('§9.3 HEAD is looked up as GET; OPTIONS returns the union and the entries', () => {
  const g = entry('/x', ['GET']);
  const p = entry('/x', ['POST'], 'p');
  const r = router([g, p, entry('/y', ['POST'])]);
  assert.equal(keyOf(r, '/x', 'HEAD'), '/x');
  assert.deepEqual(r.match('/y', 'HEAD', 'h'), { kind: 'method', allow: ['POST'] });
  assert.deepEqual(r.match('/x', 'OPTIONS', 'h'), { kind: 'options', allow: ['GET', 'POST'], entries: [g, p] });
  assert.deepEqual(r.match('/nope', 'OPTIONS', 'h'), { kind: 'miss' });
});

test('M7: a recorded conflict answers only for its methods and host set', () => {
  const conflict: RouteConflict = {
    route: '/c/:id',
    methods: ['GET'],
    allow_hosts: ['a.com'],
    targets: ['x', 'y'],
    files: [],
  };
  const r = router(
    [entry('/c/:id', ['POST']), entry('/c/:id', ['GET'], 'z', ['b.com']), entry('/c/static')],
    [conflict],
  );
  assert.deepEqual(r.match('/c/1', 'GET', 'a.com'), { kind: 'conflict' });
  assert.equal(keyOf(r, '/c/1', 'GET', 'b.com'), '/c/:id');
  assert.equal(keyOf(r, '/c/1', 'POST', 'a.com'), '/c/:id');
  assert.equal(keyOf(r, '/c/static', 'GET', 'a.com'), '/c/static');
});

test('M8/§2.9 matchVersion: exact /<name>@<label> only', () => {
  const versions = new Map([
    ['hello', new Map([['v2', 'node/hello@v2']])],
    ['api/users', new Map([['1.0_b', 'python/api/users@1.0_b']])],
  ]);
  const r = router([], [], versions);
  assert.deepEqual(r.matchVersion('/hello@v2'), { key: 'node/hello@v2' });
  assert.deepEqual(r.matchVersion('/api/users@1.0_b'), { key: 'python/api/users@1.0_b' });
  for (const p of ['/hello@v3', '/hello@', '/@v2', '/hello@v2/x', '/hello/@v2', '/hello@v 2', 'hello@v2', '/nope@v2']) {
    assert.equal(r.matchVersion(p), null, p);
  }
});

test('the root path and unknown paths', () => {
  const r = router([entry('/:x'), entry('/a')]);
  assert.deepEqual(r.match('/', 'GET', 'h'), { kind: 'miss' });
  assert.equal(keyOf(r, '/b'), '/:x');
  assert.deepEqual(r.match('/a/b', 'GET', 'h'), { kind: 'miss' });
});

test('match is cheap: 1000 routes, 100k lookups well under a second', () => {
  const routes: RouteEntry[] = [];
  for (let i = 0; i < 500; i++) routes.push(entry(`/s${i}/items`), entry(`/d${i}/:id/x`, ['GET', 'POST']));
  const r = router(routes);
  const started = process.hrtime.bigint();
  let hits = 0;
  for (let i = 0; i < 100_000; i++) {
    if (r.match(i % 2 ? `/s${i % 500}/items` : `/d${i % 500}/${i}/x`, 'GET', 'h').kind === 'hit') hits++;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(hits, 100_000);
  assert.ok(ms < 1000, `100k matches took ${ms} ms`);
});
