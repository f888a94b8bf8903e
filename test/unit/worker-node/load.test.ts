// Node worker: handshake, module kinds (CJS / ESM / ESM .js in a CommonJS scope) and callable lookup (SPEC §3.2, §3.3).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FrameType } from '../../../src/protocol/index.js';
import { WorkerClient, type LoadSpecInput } from './helpers.js';

const started: WorkerClient[] = [];
after(() => started.forEach((w) => w.kill()));

async function start(spec: LoadSpecInput, env?: Record<string, string>) {
  const r = await WorkerClient.start(spec, env);
  started.push(r.w);
  return r;
}

async function value(spec: LoadSpecInput, head: Record<string, unknown> = {}): Promise<any> {
  const { w, loaded } = await start(spec);
  assert.deepEqual(loaded, { ok: true });
  const r = await w.request(1, head);
  assert.equal(r.result?.head.kind, 'value', JSON.stringify(r.result?.head));
  return r.result!.head.value;
}

describe('node worker: handshake', () => {
  it('sends HELLO first with protocol 1, runtime node, pid and version', async () => {
    const { w, hello } = await start({ entry: 'cjs/handler.js' });
    assert.deepEqual(hello, { protocol: 1, runtime: 'node', pid: w.child.pid, version: process.version });
    assert.equal(w.frames[0]!.type, FrameType.HELLO);
    assert.equal(w.frames[0]!.id, 0);
  });
});

describe('node worker: handler shapes', () => {
  it('CommonJS exports.handler, with params as the direct second argument', async () => {
    const v = await value({ entry: 'cjs/handler.js' }, { params: { sku: '42' }, path_params: { sku: '42' } });
    assert.equal(v.shape, 'cjs');
    assert.deepEqual(v.params, { sku: '42' });
    assert.equal(v.sameParams, true);
  });

  it('ES module export async function handler ("type":"module" package)', async () => {
    const v = await value({ entry: 'esm-pkg/handler.js' }, { params: { id: '7' } });
    assert.deepEqual(v, { shape: 'esm-pkg', params: { id: '7' }, url: true });
  });

  it('module.exports = fn', async () => {
    assert.deepEqual(await value({ entry: 'module-exports/handler.js' }), { shape: 'module-exports', method: 'GET' });
  });

  it('export default fn', async () => {
    assert.deepEqual(await value({ entry: 'export-default/handler.mjs' }, { params: { a: 'b' } }), {
      shape: 'export-default',
      params: { a: 'b' },
    });
  });

  it('default.handler, called with default as this', async () => {
    assert.deepEqual(await value({ entry: 'default-handler/handler.mjs' }), { shape: 'default.handler', path: '/t' });
  });

  it('ES module .js file in a package without "type": loads in place with relative imports and top-level await', async () => {
    const v = await value({ entry: 'esm-js/handler.js' }, { params: { name: 'ada' } });
    assert.deepEqual(v, { shape: 'esm-js', greet: 'hello ada', legacy: 'cjs-helper', tla: 'tla', meta: true });
  });

  it('ES module .js file in a "type":"commonjs" package', async () => {
    const v = await value({ entry: 'esm-typeful/handler.js' }, { params: { name: 'bo' } });
    assert.deepEqual(v, { shape: 'esm-typeful', greet: 'hello bo', legacy: 'cjs-helper', tla: 'tla', meta: true });
  });

  it('ES module syntax the textual check misses still loads (fallback on the require() compile error)', async () => {
    const { w } = await start({ entry: 'esm-hidden/handler.js' });
    const r = await w.request(1);
    assert.deepEqual(r.result?.head.value, { shape: 'esm-hidden', glob: 'src/**/*.js', end: '*/' });
    assert.equal(w.logs(0).stderr, '', 'no load error or Node warning');
  });

  it('a custom invoke.handler name', async () => {
    assert.deepEqual(await value({ entry: 'custom-name/handler.js', handler: 'main' }), { shape: 'custom-name', method: 'GET' });
  });

  it('a bundle outside the function dir resolves bare requires from the function dir first', async (t) => {
    // Built at test time: a node_modules folder cannot live in the fixtures (it is git-ignored).
    const root = mkdtempSync(join(tmpdir(), 'fastfn-bundle-dir-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'fn/node_modules/fake-pkg'), { recursive: true });
    mkdirSync(join(root, '.fastfn/build/ts'), { recursive: true });
    writeFileSync(join(root, 'fn/node_modules/fake-pkg/index.js'), "module.exports = { from: 'function dir node_modules' };\n");
    // Stands in for a TS bundle: it lives outside the function dir (docs/protocol.md: "dir goes first").
    writeFileSync(
      join(root, '.fastfn/build/ts/abc.cjs'),
      "const pkg = require('fake-pkg');\nexports.handler = () => ({ shape: 'bundle', pkg: pkg.from });\n",
    );
    const v = await value({ entry: join(root, '.fastfn/build/ts/abc.cjs'), dir: join(root, 'fn') });
    assert.deepEqual(v, { shape: 'bundle', pkg: 'function dir node_modules' });
  });
});

describe('node worker: load ordering', () => {
  it('REQUESTs sent right after LOAD (before LOADED) wait for the ES module to load', async () => {
    const w = new WorkerClient();
    started.push(w);
    await w.waitFor((f) => f.type === FrameType.HELLO);
    const loaded = w.load({ entry: 'esm-js/handler.js' });
    const replies = await Promise.all([w.request(1, { params: { name: 'a' } }), w.request(2, { params: { name: 'b' } })]);
    assert.deepEqual(await loaded, { ok: true });
    assert.deepEqual(replies.map((r) => r.result?.head.value.greet), ['hello a', 'hello b']);
    const loadedIdx = w.frames.findIndex((f) => f.type === FrameType.LOADED);
    const firstResult = w.frames.findIndex((f) => f.type === FrameType.RESULT);
    assert.ok(loadedIdx < firstResult, 'LOADED comes before any RESULT');
  });

  it('a REQUEST before any LOAD is a protocol violation (exit 70)', async () => {
    const w = new WorkerClient();
    started.push(w);
    await w.waitFor((f) => f.type === FrameType.HELLO);
    w.request(1).catch(() => {});
    assert.equal((await w.exited).code, 70);
  });
});

describe('node worker: load failures keep the worker running', () => {
  it('missing handler → HANDLER_NOT_FOUND with the name, and each request answers that error', async () => {
    const { w, loaded } = await start({ entry: 'missing/handler.js' });
    assert.deepEqual(loaded, { ok: false, code: 'HANDLER_NOT_FOUND', message: 'handler' });
    const r = await w.request(5);
    assert.deepEqual(r.result?.head, { kind: 'error', code: 'HANDLER_NOT_FOUND', message: 'handler' });
    const again = await w.request(6);
    assert.equal(again.result?.head.code, 'HANDLER_NOT_FOUND');
  });

  it('syntax error → HANDLER_LOAD_FAILED with the message; the stack goes to stderr (id 0)', async () => {
    const { w, loaded } = await start({ entry: 'syntax-error/handler.js' });
    assert.equal(loaded.ok, false);
    assert.equal(loaded.code, 'HANDLER_LOAD_FAILED');
    assert.match(loaded.message, /Unexpected|missing|end of input/i);
    assert.match(w.logs(0).stderr, /SyntaxError/);
    assert.match(w.logs(0).stderr, /syntax-error\/handler\.js/);
    const r = await w.request(9);
    assert.deepEqual(r.result?.head, { kind: 'error', code: 'HANDLER_LOAD_FAILED', message: loaded.message });
  });

  it('failed require → HANDLER_LOAD_FAILED', async () => {
    const { loaded } = await start({ entry: 'bad-require/handler.js' });
    assert.equal(loaded.code, 'HANDLER_LOAD_FAILED');
    assert.match(loaded.message, /Cannot find module '\.\/does-not-exist'/);
  });

  it('missing entry file → HANDLER_LOAD_FAILED', async () => {
    const { loaded } = await start({ entry: 'nope/handler.js' });
    assert.equal(loaded.code, 'HANDLER_LOAD_FAILED');
    assert.match(loaded.message, /ENOENT/);
  });

  it('unsupported adapter → UNSUPPORTED_ADAPTER; native aliases load', async () => {
    const { loaded } = await start({ entry: 'cjs/handler.js', adapter: 'aws-lambda' });
    assert.deepEqual(loaded, { ok: false, code: 'UNSUPPORTED_ADAPTER', message: 'aws-lambda' });
    for (const adapter of ['', 'none', 'default', 'native']) {
      assert.deepEqual((await start({ entry: 'cjs/handler.js', adapter })).loaded, { ok: true }, `adapter "${adapter}"`);
    }
  });
});
