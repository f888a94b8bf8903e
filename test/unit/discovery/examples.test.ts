// SPEC §2.18, first half (file names): one test per table row, asserting the exact routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRouter } from '../../../src/router/index.js';
import { catalogOf, routeLines, routes } from './helpers.js';

const hit = (r: ReturnType<typeof compileRouter>, path: string, method = 'GET') => r.match(path, method, 'localhost');

test('§2.18 hello.js -> GET /hello', () => {
  assert.deepEqual(routeLines(catalogOf({ 'hello.js': '' })), ['GET /hello -> node/hello.js@default']);
});

test('§2.18 get.hello.py -> GET /hello', () => {
  assert.deepEqual(routeLines(catalogOf({ 'get.hello.py': '' })), ['GET /hello -> python/get.hello.py@default']);
});

test('§2.18 hello/get.py -> GET /hello', () => {
  assert.deepEqual(routeLines(catalogOf({ 'hello/get.py': '' })), ['GET /hello -> python/hello/get.py@default']);
});

test('§2.18 users/index.js -> GET /users', () => {
  assert.deepEqual(routeLines(catalogOf({ 'users/index.js': '' })), ['GET /users -> node/users/index.js@default']);
});

test('§2.18 users/[id].js -> GET /users/:id', () => {
  const c = catalogOf({ 'users/[id].js': '' });
  assert.deepEqual(routeLines(c), ['GET /users/:id -> node/users/[id].js@default']);
  const m = hit(compileRouter(c), '/users/42');
  assert.equal(m.kind, 'hit');
  assert.deepEqual(m.kind === 'hit' && m.params, { id: '42' });
});

test('§2.18 users/get.settings.js + users/[id].js: static beats dynamic', () => {
  const c = catalogOf({ 'users/get.settings.js': '', 'users/[id].js': '' });
  assert.deepEqual(routes(c), ['GET /users/:id', 'GET /users/settings']);
  const r = compileRouter(c);
  const s = hit(r, '/users/settings');
  assert.equal(s.kind === 'hit' && s.entry.key, 'node/users/get.settings.js@default');
  const d = hit(r, '/users/7');
  assert.equal(d.kind === 'hit' && d.entry.key, 'node/users/[id].js@default');
});

test('§2.18 users/[userId].php -> GET /users/:userid (param userid)', () => {
  const c = catalogOf({ 'users/[userId].php': '' });
  assert.deepEqual(routes(c), ['GET /users/:userid']);
  const m = hit(compileRouter(c), '/users/Ab');
  assert.deepEqual(m.kind === 'hit' && m.params, { userid: 'Ab' });
});

test('§2.18 posts/[category]/[slug]/get.py -> GET /posts/:category/:slug', () => {
  const c = catalogOf({ 'posts/[category]/[slug]/get.py': '' });
  assert.deepEqual(routes(c), ['GET /posts/:category/:slug']);
  const m = hit(compileRouter(c), '/posts/news/hello');
  assert.deepEqual(m.kind === 'hit' && m.params, { category: 'news', slug: 'hello' });
});

test('§2.18 blog/[...slug].py -> GET /blog/:slug* and /blog alone is 404', () => {
  const c = catalogOf({ 'blog/[...slug].py': '' });
  assert.deepEqual(routes(c), ['GET /blog/:slug*']);
  const r = compileRouter(c);
  assert.deepEqual(hit(r, '/blog'), { kind: 'miss' });
  const m = hit(r, '/blog/2024/post');
  assert.deepEqual(m.kind === 'hit' && m.params, { slug: '2024/post' });
});

test('§2.18 pages/[[...path]].js -> GET /pages and GET /pages/:path*', () => {
  const c = catalogOf({ 'pages/[[...path]].js': '' });
  assert.deepEqual(routes(c), ['GET /pages', 'GET /pages/:path*']);
  const r = compileRouter(c);
  const base = hit(r, '/pages');
  assert.equal(base.kind, 'hit');
  assert.deepEqual(base.kind === 'hit' && base.params, {});
  assert.equal(base.kind === 'hit' && 'path' in base.params, false);
  const deep = hit(r, '/pages/a/b');
  assert.deepEqual(deep.kind === 'hit' && deep.params, { path: 'a/b' });
});

test('§2.18 files/[...path]/get.js -> GET /files/:path*', () => {
  assert.deepEqual(routes(catalogOf({ 'files/[...path]/get.js': '' })), ['GET /files/:path*']);
});

test('§2.18 admin/post.users.[id].py -> POST /admin/users/:id', () => {
  assert.deepEqual(routes(catalogOf({ 'admin/post.users.[id].py': '' })), ['POST /admin/users/:id']);
});

test('§2.18 products/[id]/delete.py -> DELETE /products/:id', () => {
  assert.deepEqual(routes(catalogOf({ 'products/[id]/delete.py': '' })), ['DELETE /products/:id']);
});

test('§2.18 orders get/post/put/patch -> GET,POST /orders; PUT,PATCH /orders/:id', () => {
  const c = catalogOf({
    'orders/get.js': '',
    'orders/post.js': '',
    'orders/[id]/put.js': '',
    'orders/[id]/patch.js': '',
  });
  assert.deepEqual(routeLines(c), [
    'GET /orders -> node/orders/get.js@default',
    'POST /orders -> node/orders/post.js@default',
    'PUT /orders/:id -> node/orders/[id]/put.js@default',
    'PATCH /orders/:id -> node/orders/[id]/patch.js@default',
  ]);
  const r = compileRouter(c);
  assert.deepEqual(hit(r, '/orders', 'DELETE'), { kind: 'method', allow: ['GET', 'POST'] });
  assert.deepEqual(hit(r, '/orders/1', 'GET'), { kind: 'method', allow: ['PUT', 'PATCH'] });
});

test('§2.18 private files: _helpers.py, get.ping.test.js, x.spec.py -> none', () => {
  const c = catalogOf({ 'products/_helpers.py': '', 'probes/get.ping.test.js': '', 'x.spec.py': '' });
  assert.deepEqual(routes(c), []);
  assert.equal(c.functions.size, 0);
  assert.deepEqual(c.warnings, []);
});

test('§2.18 get.post.items.js -> none (ambiguous, warning)', () => {
  const c = catalogOf({ 'get.post.items.js': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, ['get.post.items.js: ambiguous method prefix; ignored']);
});

test('§2.18 My_Thing.py -> GET /my-thing', () => {
  assert.deepEqual(routes(catalogOf({ 'My_Thing.py': '' })), ['GET /my-thing']);
});
