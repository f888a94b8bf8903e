// SPEC §6.1/§6.2 defaults and validation, §6.5 merge layers, §2.12 overlays, §6.6 hints, §12.2 schedule placement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogOf, fn, routes } from './helpers.js';

test('§6.1 every policy field gets its default', () => {
  const c = catalogOf({ 'a.js': '' });
  assert.deepEqual(fn(c, 'node/a.js@default').policy, {
    timeout_ms: 2500,
    max_concurrency: 20,
    max_body_bytes: 1048576,
    methods: ['GET'],
    allow_hosts: [],
    include_debug_headers: false,
    stream_timeout_ms: 0,
    handler: 'handler',
    adapter: 'native',
    force_url: false,
    strict_fs: true,
    shared_deps: [],
    group: null,
    worker_pool: null,
    cors: null,
    edge: null,
    schedule: null,
    keep_warm: null,
    summary: null,
    query: null,
    body: null,
    content_type: null,
    default_method: null,
  });
});

test('§6.5 layers: opts.defaults < root < overlays (deeper wins) < function < version', () => {
  const c = catalogOf(
    {
      'fn.config.json': { timeout_ms: 10, max_concurrency: 1, group: 'root' },
      'a/fn.config.json': { timeout_ms: 20, strict_fs: false },
      'a/b/fn.config.json': { timeout_ms: 30 },
      'a/b/f/handler.js': '',
      'a/b/f/fn.config.json': { runtime: 'node', timeout_ms: 40 },
      'a/b/f/v1/handler.js': '',
      'a/b/f/v1/fn.config.json': { timeout_ms: 50, group: 'v1' },
      'a/b/file.js': '',
      'a/other.js': '',
    },
    { defaults: { timeout_ms: 1, max_concurrency: 2, max_body_bytes: 3, strict_fs: true } },
  );
  const p = (k: string) => fn(c, k).policy;
  assert.deepEqual([p('node/a/other.js@default').timeout_ms, p('node/a/other.js@default').max_body_bytes], [20, 3]);
  assert.equal(p('node/a/b/file.js@default').timeout_ms, 30);
  assert.equal(p('node/a/b/f@default').timeout_ms, 40);
  assert.equal(p('node/a/b/f@v1').timeout_ms, 50);
  assert.equal(p('node/a/b/f@v1').group, 'v1');
  assert.equal(p('node/a/b/f@default').group, 'root');
  assert.equal(p('node/a/b/f@default').strict_fs, false);
  assert.equal(p('node/a/b/f@default').max_concurrency, 1);
});

test('§2.12 overlays apply to file routes, plain entry directories and catalogued functions below them', () => {
  const c = catalogOf({
    'ov/fn.config.json': { invoke: { allow_hosts: ['API.example.com'] }, max_body_bytes: 5 },
    'ov/f.js': '',
    'ov/plain/handler.js': '',
    'ov/cat/handler.js': '',
    'ov/cat/fn.config.json': { runtime: 'node' },
  });
  for (const k of ['node/ov/f.js@default', 'node/ov/plain/handler.js@default', 'node/ov/cat@default']) {
    assert.deepEqual(fn(c, k).policy.allow_hosts, ['api.example.com'], k);
    assert.equal(fn(c, k).policy.max_body_bytes, 5, k);
  }
  assert.deepEqual(c.routes.find((r) => r.route === '/ov/f')?.allow_hosts, ['api.example.com']);
});

test('§2.12 schedule, keep_warm and F/V-only invoke fields never flow into subdirectories', () => {
  const c = catalogOf({
    'p/fn.config.json': {
      schedule: { every_seconds: 5 },
      invoke: { summary: 'folder', force_url: true, adapter: 'x', methods: 'POST' },
    },
    'p/q/a.js': '',
  });
  const pol = fn(c, 'node/p/q/a.js@default').policy;
  assert.equal(pol.schedule, null);
  assert.equal(pol.summary, null);
  assert.equal(pol.force_url, false);
  assert.equal(pol.adapter, 'native');
  assert.deepEqual(pol.methods, ['POST']);
});

test('§2.12 a catalogued function config is not an overlay for its siblings', () => {
  const c = catalogOf({
    'f/handler.js': '',
    'f/fn.config.json': { runtime: 'node', timeout_ms: 99, invoke: { methods: ['POST'] } },
    'f/get.status.js': '',
    'f/[id].js': '',
  });
  assert.equal(fn(c, 'node/f/get.status.js@default').policy.timeout_ms, 2500);
  assert.deepEqual(routes(c), ['POST /f', 'POST /f/*', 'GET /f/:id', 'GET /f/status']);
});

test('§6.5 objects merge key by key; arrays are replaced', () => {
  const c = catalogOf({
    'fn.config.json': { cors: { allow_origins: ['https://a.com'], max_age: 5 }, shared_deps: ['x', 'y'] },
    'd/fn.config.json': { cors: { allow_credentials: true }, shared_deps: 'z', edge: { base_url: 'https://e' } },
    'd/f.js': '',
  });
  const pol = fn(c, 'node/d/f.js@default').policy;
  assert.deepEqual(pol.cors, {
    allow_origins: ['https://a.com'],
    allow_methods: null,
    allow_headers: null,
    expose_headers: [],
    allow_credentials: true,
    max_age: 5,
  });
  assert.deepEqual(pol.shared_deps, ['z']);
  assert.deepEqual(pol.edge, { base_url: 'https://e' });
});

test('§6.2 worker_pool defaults; enabled:false ignores the block; overflow_status 429 unless 503', () => {
  const pool = (wp: object, extra: object = {}) =>
    fn(catalogOf({ 'f.js': '', 'fn.config.json': { worker_pool: wp, ...extra } }), 'node/f.js@default').policy
      .worker_pool;
  assert.deepEqual(pool({}, { max_concurrency: 7 }), {
    enabled: true,
    max_workers: 7,
    max_queue: 0,
    queue_timeout_ms: 0,
    queue_poll_ms: 20,
    idle_ttl_seconds: 300,
    min_warm: 0,
    overflow_status: 429,
  });
  assert.equal(pool({ enabled: false, max_workers: 3 }), null);
  assert.equal(pool({ overflow_status: 503 })?.overflow_status, 503);
  assert.equal(pool({ overflow_status: 500 })?.overflow_status, 429);
  assert.equal(pool({ max_workers: 2, min_warm: 5 })?.min_warm, 2);
  assert.equal(pool({}, { max_concurrency: 0 })?.max_workers, 1);
});

test('§6.1 include_debug_headers: response.include_debug_headers wins over the top-level alias', () => {
  const dbg = (cfg: object) =>
    fn(catalogOf({ 'f.js': '', 'fn.config.json': cfg }), 'node/f.js@default').policy.include_debug_headers;
  assert.equal(dbg({ include_debug_headers: true }), true);
  assert.equal(dbg({ include_debug_headers: true, response: { include_debug_headers: false } }), false);
});

test('§6.1 strict_fs defaults to opts.defaults.strict_fs unless set', () => {
  const base = { defaults: { timeout_ms: 1, max_concurrency: 1, max_body_bytes: 1, strict_fs: false } };
  assert.equal(fn(catalogOf({ 'f.js': '' }, base), 'node/f.js@default').policy.strict_fs, false);
  assert.equal(
    fn(catalogOf({ 'f.js': '', 'fn.config.json': { strict_fs: true } }, base), 'node/f.js@default').policy.strict_fs,
    true,
  );
});

test('§6.1 wrong types and unknown fields are ignored with warnings naming them', () => {
  const c = catalogOf({
    'f/handler.js': '',
    'f/fn.config.json': {
      runtime: 'node',
      timeout_ms: 'fast',
      max_concurrency: -1,
      max_body_bytes: 0,
      colour: 'blue',
      invoke: { methods: ['GET', 'FETCH'], handler: '1bad', wat: 1 },
      response: { stream_timeout_ms: 1.5 },
      worker_pool: { max_queue: 'x', turbo: true },
      group: 'x'.repeat(81),
    },
  });
  const pol = fn(c, 'node/f@default').policy;
  assert.deepEqual(
    [pol.timeout_ms, pol.max_concurrency, pol.max_body_bytes, pol.handler],
    [2500, 20, 1048576, 'handler'],
  );
  assert.deepEqual(pol.methods, ['GET']);
  assert.equal(pol.worker_pool?.max_queue, 0);
  assert.deepEqual(c.warnings, [
    'f/fn.config.json: field group has the wrong type; ignored',
    'f/fn.config.json: field invoke.handler has the wrong type; ignored',
    'f/fn.config.json: field max_body_bytes has the wrong type; ignored',
    'f/fn.config.json: field max_concurrency has the wrong type; ignored',
    'f/fn.config.json: field response.stream_timeout_ms has the wrong type; ignored',
    'f/fn.config.json: field timeout_ms has the wrong type; ignored',
    'f/fn.config.json: field worker_pool.max_queue has the wrong type; ignored',
    'f/fn.config.json: invoke.methods: unknown method FETCH; ignored',
    'f/fn.config.json: unknown field colour; ignored',
    'f/fn.config.json: unknown field invoke.wat; ignored',
    'f/fn.config.json: unknown field worker_pool.turbo; ignored',
  ]);
});

test('§6.1 F/V fields are kept for the function itself', () => {
  const c = catalogOf({
    'f/handler.py': '',
    'f/fn.config.json': {
      runtime: 'python',
      invoke: {
        summary: 'S',
        adapter: 'aws-lambda',
        query: { q: 1 },
        body: { a: 1 },
        content_type: 'text/plain',
        default_method: 'POST',
        handler: 'main',
      },
      sharedDeps: ['pack_1'],
      keep_warm: { enabled: true },
    },
  });
  const p = fn(c, 'python/f@default').policy;
  assert.deepEqual(
    [p.summary, p.adapter, p.query, p.body, p.content_type, p.default_method, p.handler, p.shared_deps, p.keep_warm],
    ['S', 'aws-lambda', { q: 1 }, { a: 1 }, 'text/plain', 'POST', 'main', ['pack_1'], { enabled: true }],
  );
});

test('§12.2 schedule in a folder with exactly one file route applies to it; otherwise warned', () => {
  const one = catalogOf({ 'job/fn.config.json': { schedule: { every_seconds: 60 } }, 'job/get.tick.js': '' });
  assert.deepEqual(fn(one, 'node/job/get.tick.js@default').policy.schedule, { every_seconds: 60 });
  const two = catalogOf({ 'job/fn.config.json': { schedule: { every_seconds: 60 } }, 'job/a.js': '', 'job/b.js': '' });
  assert.equal(fn(two, 'node/job/a.js@default').policy.schedule, null);
  assert.deepEqual(two.warnings, ['job/fn.config.json: schedule in job/fn.config.json matches 2 handlers; ignored']);
  const plain = catalogOf({
    'p/fn.config.json': { keep_warm: { enabled: true } },
    'p/handler.js': '',
    'p/get.x.js': '',
  });
  assert.deepEqual(fn(plain, 'node/p/handler.js@default').policy.keep_warm, { enabled: true });
  assert.equal(fn(plain, 'node/p/get.x.js@default').policy.keep_warm, null);
});

test('§6.6 comment hints from the first 80 lines feed hints, never routing', () => {
  const code = ['// @summary Lists users', '# @methods GET,POST', '-- @content_type text/csv', '// @unknown x'].join(
    '\n',
  );
  const late = `${'\n'.repeat(80)}// @summary too late`;
  const c = catalogOf({ 'users.js': code, 'late.py': late });
  assert.deepEqual(fn(c, 'node/users.js@default').hints, {
    summary: 'Lists users',
    methods: 'GET,POST',
    content_type: 'text/csv',
  });
  assert.deepEqual(fn(c, 'python/late.py@default').hints, {});
  assert.deepEqual(routes(c), ['GET /late', 'GET /users']);
});
