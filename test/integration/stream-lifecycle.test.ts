// SPEC §5.5: a stream ends when the handler ends it, the client goes away, or response.stream_timeout_ms passes;
// in the last two cases (and for HEAD) the handler is cancelled in its worker: its `finally` runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTree } from '../helpers/tree.js';
import { raw, startServer, type Running } from '../helpers/server.js';

const marks = mkdtempSync(join(tmpdir(), 'fastfn-stream-marks-'));
const endless = (name: string) => `const fs = require('fs');
exports.handler = async (e) => ({
  headers: { 'Content-Type': 'text/event-stream' },
  body: (async function* () {
    try {
      for (let i = 0; ; i++) { yield 'data: ' + i + '\\n\\n'; await new Promise((r) => setTimeout(r, 50)); }
    } finally {
      fs.writeFileSync(${JSON.stringify(marks)} + '/' + ${JSON.stringify(name)} + '-' + (e.query.m || 'x'), 'stopped');
    }
  })(),
});`;

let srv: Running;
let tree: { root: string; cleanup(): void };
before(async () => {
  tree = makeTree({
    'capped/fn.config.json': { response: { stream_timeout_ms: 400 } },
    'capped/get.js': endless('capped'),
    'open/get.js': endless('open'),
    'patient/fn.config.json': { timeout_ms: 800 },
    'patient/get.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, Number(e.query.ms))); return { pid: process.pid }; };',
  });
  srv = await startServer(tree.root);
});
after(async () => {
  await srv?.stop();
  tree?.cleanup();
  rmSync(marks, { recursive: true, force: true });
});

async function marked(file: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (existsSync(join(marks, file))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test('stream_timeout_ms cuts an endless stream and cancels the handler', { timeout: 30_000 }, async () => {
  const got = await new Promise<{ text: string; aborted: boolean }>((resolve) => {
    let text = '';
    const req = request({ host: '127.0.0.1', port: srv.port, path: '/capped?m=timeout' }, (res) => {
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('aborted', () => resolve({ text, aborted: true }));
      res.on('error', () => resolve({ text, aborted: true }));
      res.on('end', () => resolve({ text, aborted: false }));
    });
    req.on('error', () => resolve({ text, aborted: true }));
    req.end();
  });
  assert.ok(got.aborted, 'the chunked body is not terminated cleanly');
  assert.match(got.text, /^data: 0\n\n/);
  assert.ok(await marked('capped-timeout'), 'the generator was closed in the worker');
  assert.equal((await raw(srv.port, 'GET', '/_fn/health')).status, 200);
});

test('HEAD on a streaming route: head only, and the handler is cancelled', { timeout: 30_000 }, async () => {
  const r = await raw(srv.port, 'HEAD', '/open?m=head');
  assert.equal(r.status, 200);
  assert.equal(r.body.length, 0);
  assert.equal(r.headers['content-type'], 'text/event-stream');
  assert.ok(await marked('open-head'));
});

test('a client that disconnects mid-stream cancels the handler and frees its slot', { timeout: 30_000 }, async () => {
  await new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path: '/open?m=gone' }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => {});
    req.end();
  });
  assert.ok(await marked('open-gone'));
  const h = (await raw(srv.port, 'GET', '/_fn/health')).json();
  const st = h.functions.states.find((s: { name: string }) => s.name === 'open/get.js');
  assert.equal(st.worker_pool.active, 0, 'no slot leaked');
});

test('a client that disconnects before a buffered answer does not get its worker killed at the deadline', { timeout: 30_000 }, async () => {
  const pid1 = (await raw(srv.port, 'GET', '/patient?ms=1')).json().pid;
  await new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path: '/patient?ms=1500' });
    req.on('error', () => resolve());
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 150);
  });
  // Past the function's 800 ms deadline: with the bug the worker was treated as timed out and killed.
  await new Promise((r) => setTimeout(r, 1500));
  const r = await raw(srv.port, 'GET', '/patient?ms=1');
  assert.equal(r.json().pid, pid1, 'the same worker still serves');
  assert.equal(r.headers['x-fastfn-function-state'], 'warm');
  assert.doesNotMatch(srv.output(), /GET \/patient" status=504/);
  await srv.waitFor(/GET \/patient" status=499/);
});
