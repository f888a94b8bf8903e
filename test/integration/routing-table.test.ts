// SPEC §2.18 over HTTP: every example row served by the real gateway. Each handler answers with its own file name,
// so a check proves which file served the route. Rows that would claim the same URL live in separate trees.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeTree, type TreeSpec } from '../helpers/tree.js';
import { raw, startServer, type Running } from '../helpers/server.js';

/** A handler for `rel` that reports its file and params. */
function handler(rel: string): string {
  if (rel.endsWith('.py')) return `def handler(event, **kw):\n    return {"file": ${JSON.stringify(rel)}, "params": event["params"]}\n`;
  if (rel.endsWith('.php')) return `<?php function handler($e) { return ['file' => ${JSON.stringify(rel)}]; }`;
  return `exports.handler = async (event) => ({ file: ${JSON.stringify(rel)}, params: event.params });`;
}

type Check = [method: string, path: string, expect: string | number, params?: Record<string, string>];
interface Row {
  files: (string | [string, unknown])[];
  checks: Check[];
}

const tree = (rows: Row[]): TreeSpec => {
  const t: TreeSpec = {};
  for (const r of rows) {
    for (const f of r.files) {
      if (typeof f === 'string') t[f] = handler(f);
      else t[f[0]] = f[1] as object;
    }
  }
  return t;
};

const A: Record<string, Row> = {
  'hello.js': { files: ['hello.js'], checks: [['GET', '/hello', 'hello.js']] },
  'users/index.js, users/[id].js, users/get.settings.js': {
    files: ['users/index.js', 'users/[id].js', 'users/get.settings.js'],
    checks: [['GET', '/users', 'users/index.js'], ['GET', '/users/42', 'users/[id].js', { id: '42' }], ['GET', '/users/settings', 'users/get.settings.js']],
  },
  'posts/[category]/[slug]/get.py': { files: ['posts/[category]/[slug]/get.py'], checks: [['GET', '/posts/tech/hello', 'posts/[category]/[slug]/get.py', { category: 'tech', slug: 'hello' }]] },
  'blog/[...slug].py': { files: ['blog/[...slug].py'], checks: [['GET', '/blog/a/b', 'blog/[...slug].py', { slug: 'a/b' }], ['GET', '/blog', 404]] },
  'pages/[[...path]].js': { files: ['pages/[[...path]].js'], checks: [['GET', '/pages', 'pages/[[...path]].js', {}], ['GET', '/pages/x/y', 'pages/[[...path]].js', { path: 'x/y' }]] },
  'files/[...path]/get.js': { files: ['files/[...path]/get.js'], checks: [['GET', '/files/a/b/c', 'files/[...path]/get.js', { path: 'a/b/c' }]] },
  'admin/post.users.[id].py': { files: ['admin/post.users.[id].py'], checks: [['POST', '/admin/users/7', 'admin/post.users.[id].py', { id: '7' }], ['GET', '/admin/users/7', 405]] },
  'products/[id]/delete.py': { files: ['products/[id]/delete.py'], checks: [['DELETE', '/products/9', 'products/[id]/delete.py', { id: '9' }]] },
  orders: {
    files: ['orders/get.js', 'orders/post.js', 'orders/[id]/put.js', 'orders/[id]/patch.js'],
    checks: [['GET', '/orders', 'orders/get.js'], ['POST', '/orders', 'orders/post.js'], ['PUT', '/orders/1', 'orders/[id]/put.js'], ['PATCH', '/orders/1', 'orders/[id]/patch.js'], ['DELETE', '/orders', 405]],
  },
  'private files': { files: ['products/_helpers.py', 'probes/get.ping.test.js', 'x.spec.py'], checks: [['GET', '/products/helpers', 405], ['GET', '/probes/ping', 404], ['GET', '/x', 404]] }, // 405: only products/[id]/delete.py matches
  'get.post.items.js': { files: ['get.post.items.js'], checks: [['GET', '/items', 404], ['POST', '/items', 404]] },
  'My_Thing.py': { files: ['My_Thing.py'], checks: [['GET', '/my-thing', 'My_Thing.py']] },
  'payments/handler.js + core.js': { files: ['payments/handler.js', 'payments/core.js'], checks: [['GET', '/payments', 'payments/handler.js'], ['GET', '/payments/core', 404]] },
  shop: {
    files: ['shop/handler.js', 'shop/core.js', 'shop/admin/get.health.js', 'shop/admin/helpers.js'],
    checks: [['GET', '/shop', 'shop/handler.js'], ['GET', '/shop/admin/health', 'shop/admin/get.health.js'], ['GET', '/shop/core', 404], ['GET', '/shop/admin/helpers', 404]],
  },
  tasks: {
    files: ['tasks/handler.js', 'tasks/post.js', 'tasks/[id].js', ['tasks/fn.config.json', { invoke: { methods: ['GET', 'POST'] } }]],
    checks: [['GET', '/tasks', 'tasks/handler.js'], ['POST', '/tasks', 'tasks/post.js'], ['GET', '/tasks/3', 'tasks/[id].js'], ['POST', '/tasks/3', 'tasks/[id].js']],
  },
  'python/api/v1/users/handler.py': { files: ['python/api/v1/users/handler.py'], checks: [['GET', '/api/v1/users', 'python/api/v1/users/handler.py'], ['GET', '/api/v1/users/x/y', 'python/api/v1/users/handler.py', { wildcard: 'x/y' }]] },
  'node/multi/get.alpha.js': { files: ['node/multi/get.alpha.js'], checks: [['GET', '/node/multi/alpha', 'node/multi/get.alpha.js']] },
  'api/users catalogued': { files: ['api/users/handler.js', ['api/users/fn.config.json', { runtime: 'node' }]], checks: [['GET', '/api/users', 'api/users/handler.js'], ['GET', '/api/users/1', 'api/users/handler.js']] },
  'node/pasted (unparsable config)': { files: ['node/pasted/handler.js', ['node/pasted/fn.config.json', '{"runtime": "node",']], checks: [['GET', '/pasted', 'node/pasted/handler.js'], ['GET', '/pasted/z', 'node/pasted/handler.js']] },
  'root index.js': { files: ['index.js'], checks: [['GET', '/index', 404]] },
  'console/get.status.js': { files: ['console/get.status.js'], checks: [['GET', '/console/status', 404], ['GET', '/console', 404]] },
  clash: { files: ['clash/get.js', 'clash/get.py'], checks: [['GET', '/clash', 409]] },
  manifest: {
    files: ['manifest/get.ping.js', 'manifest/target.js', ['manifest/fn.routes.json', { routes: { 'GET /manifest/ping': 'target.js' } }]],
    checks: [['GET', '/manifest/ping', 'manifest/target.js'], ['GET', '/manifest/target', 404]],
  },
  portal: { files: ['portal/get.dashboard.js', ['portal/fn.config.json', { home: { route: 'dashboard' } }]], checks: [['GET', '/portal/dashboard', 'portal/get.dashboard.js'], ['GET', '/portal', 'portal/get.dashboard.js']] },
  depth: { files: ['a/b/c/d/e/f/index.py', 'a/b/c/d/e/f/g/index.py'], checks: [['GET', '/a/b/c/d/e/f', 'a/b/c/d/e/f/index.py'], ['GET', '/a/b/c/d/e/f/g', 404]] },
  'dist ignored': { files: ['dist/get.shadow.js'], checks: [['GET', '/dist/shadow', 404]] },
  'shop-app (multi-root)': { files: ['shop-app/users/index.js'], checks: [['GET', '/shop-app/users', 'shop-app/users/index.js']] },
};

const B: Record<string, Row> = {
  'get.hello.py': { files: ['get.hello.py'], checks: [['GET', '/hello', 'get.hello.py']] },
  'payments overlay methods': {
    files: ['payments/handler.js', ['payments/fn.config.json', { invoke: { methods: ['GET', 'POST'] } }]],
    checks: [['GET', '/payments', 'payments/handler.js'], ['POST', '/payments', 'payments/handler.js'], ['GET', '/payments/x', 404]],
  },
  'users/[userId].php (php may be unavailable: routed, 503 or served)': { files: ['users/[userId].php'], checks: [['GET', '/users/5', -503]] },
};

const C: Record<string, Row> = {
  'hello/get.py': { files: ['hello/get.py'], checks: [['GET', '/hello', 'hello/get.py']] },
  'payments catalogued': {
    files: ['payments/handler.js', ['payments/fn.config.json', { runtime: 'node', invoke: { methods: ['GET', 'POST'] } }]],
    checks: [['GET', '/payments', 'payments/handler.js'], ['POST', '/payments/x', 'payments/handler.js']],
  },
};

const D: Record<string, Row> = {
  'hello/handler.js + hello/v2/handler.js': {
    files: ['hello/handler.js', 'hello/v2/handler.js'],
    checks: [['GET', '/hello', 'hello/handler.js'], ['GET', '/hello/v2', 'hello/v2/handler.js'], ['GET', '/hello@v2', 'hello/v2/handler.js'], ['GET', '/hello/x', 404]],
  },
};

const E: Record<string, Row> = {
  'node/hello/handler.js + node/hello/v2/handler.js': {
    files: ['node/hello/handler.js', 'node/hello/v2/handler.js'],
    checks: [['GET', '/hello', 'node/hello/handler.js'], ['GET', '/hello/any/thing', 'node/hello/handler.js'], ['GET', '/hello@v2', 'node/hello/v2/handler.js']],
  },
};

const servers: Running[] = [];
const cleanups: (() => void)[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const c of cleanups) c();
});

for (const [label, rows, env] of [
  ['A', A, { FN_ZERO_CONFIG_IGNORE_DIRS: 'dist' }],
  ['B', B, {}],
  ['C', C, {}],
  ['D', D, {}],
  ['E', E, {}],
] as const) {
  test(`SPEC §2.18 tree ${label}: ${Object.keys(rows).length} rows`, async (t) => {
    const tr = makeTree(tree(Object.values(rows)));
    cleanups.push(tr.cleanup);
    const srv = await startServer(tr.root, { env });
    servers.push(srv);
    for (const [row, spec] of Object.entries(rows)) {
      await t.test(row, async () => {
        for (const [method, path, expect, params] of spec.checks) {
          const r = await raw(srv.port, method, path);
          const where = `${method} ${path}: ${r.status} ${r.text}`;
          if (typeof expect === 'number' && expect < 0) {
            // Routed (never 404/405): served, or 503 when the runtime's toolchain is missing.
            assert.ok(r.status === 200 || r.status === -expect, where);
          } else if (typeof expect === 'number') assert.equal(r.status, expect, where);
          else {
            assert.equal(r.status, 200, where);
            assert.equal(r.json().file, expect, where);
            if (params) assert.deepEqual(r.json().params, params, where);
          }
        }
      });
    }
    if (label === 'A') {
      const out = srv.output();
      assert.match(out, /get\.post\.items\.js: ambiguous method prefix/);
      assert.match(out, /console\/get\.status\.js/);
      assert.match(out, /depth limit exceeded/);
      assert.match(out, /node\/pasted\/fn\.config\.json/);
      assert.match(out, /GET\s+\/clash\s+clash\/get\.js, clash\/get\.py\s+CONFLICT \(409\)/);
    }
  });
}
