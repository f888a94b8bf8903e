// SPEC §14: add, change, delete and rename handlers and config files while serving; no request fails because of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree } from '../helpers/tree.js';
import { raw, startServer, type Running } from '../helpers/server.js';

let srv: Running;
let tree: { root: string; cleanup(): void };
const w = (rel: string, content: string | object) =>
  writeFileSync(join(tree.root, rel), typeof content === 'string' ? content : JSON.stringify(content));

before(async () => {
  tree = makeTree({
    'hello.js': `exports.handler = async () => 'v1';`,
    'pyver.py': 'def handler(event):\n    return "py1"\n',
    'cfg/handler.js': `exports.handler = async (e) => e.method;`,
    'envd/handler.js': `exports.handler = async (e) => ({ env: e.env, proc: process.env.COLOR ?? null });`,
    'envd/fn.env.json': { COLOR: 'red' },
    'ts/get.ts': `import { word } from './_word';\nexport const handler = async () => word;`,
    'ts/_word.ts': `export const word: string = 'alpha';`,
    'ctxfn/handler.js': `exports.handler = async (e) => ({ t: e.context.timeout_ms, rt: e.context.runtime });`,
    'ctxpy/handler.py': 'def handler(e):\n    return {"t": e["context"]["timeout_ms"], "rt": e["context"]["runtime"]}\n',
    'busy.js': `exports.handler = async () => { await new Promise((r) => setTimeout(r, 30)); return 'A'; };`,
    'inplace.js': `exports.handler = async () => 'before';`,
  });
  srv = await startServer(tree.root);
});
after(async () => {
  await srv?.stop();
  tree?.cleanup();
});

/** Polls until `check` passes (bounded: 100 tries, 10 s at most). */
async function eventually(fn: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  for (let i = 0; i < 200 && Date.now() < end; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`never happened: ${what}\n${srv.output().slice(-3000)}`);
}
const body = async (p: string, m = 'GET') => (await raw(srv.port, m, p)).text;
const status = async (p: string, m = 'GET') => (await raw(srv.port, m, p)).status;

test('a saved handler is served on a following request (node, python)', async () => {
  assert.equal(await body('/hello'), 'v1');
  w('hello.js', `exports.handler = async () => 'v2';`);
  await eventually(async () => (await body('/hello')) === 'v2', 'node edit served');
  assert.equal(await body('/pyver'), 'py1');
  w('pyver.py', 'def handler(event):\n    return "py2"\n');
  await eventually(async () => (await body('/pyver')) === 'py2', 'python edit served');
});

test('a TypeScript helper change is re-bundled', async () => {
  assert.equal(await body('/ts'), 'alpha');
  w('ts/_word.ts', `export const word: string = 'beta';`);
  await eventually(async () => (await body('/ts')) === 'beta', 'ts helper edit served');
});

test('files added, removed and renamed change the route table', async () => {
  assert.equal(await status('/added'), 404);
  w('added.js', `exports.handler = async () => 'new';`);
  await eventually(async () => (await body('/added')) === 'new', 'added route');
  await srv.waitFor('+ GET /added');
  renameSync(join(tree.root, 'added.js'), join(tree.root, 'renamed.js'));
  await eventually(async () => (await status('/added')) === 404 && (await body('/renamed')) === 'new', 'renamed route');
  rmSync(join(tree.root, 'renamed.js'));
  await eventually(async () => (await status('/renamed')) === 404, 'removed route');
  await srv.waitFor('- GET /renamed');
});

test('fn.config.json changes apply; a malformed one is ignored with a warning and the handler still serves', async () => {
  assert.equal(await status('/cfg', 'POST'), 405);
  w('cfg/fn.config.json', { invoke: { methods: ['GET', 'POST'] } });
  await eventually(async () => (await body('/cfg', 'POST')) === 'POST', 'overlay methods applied');
  w('cfg/fn.config.json', '{ this is not json');
  await eventually(async () => (await status('/cfg', 'POST')) === 405, 'broken config ignored');
  assert.equal(await body('/cfg'), 'GET');
  await srv.waitFor(/cfg\/fn\.config\.json: .*(JSON|json|Unexpected|Expected)/);
});

test('fn.env.json changes reach the next invocation without a restart', async () => {
  const first = JSON.parse(await body('/envd'));
  assert.deepEqual(first, { env: { COLOR: 'red' }, proc: 'red' });
  w('envd/fn.env.json', { COLOR: 'blue', SIZE: 2 });
  await eventually(async () => {
    const j = JSON.parse(await body('/envd'));
    return j.env.COLOR === 'blue' && j.env.SIZE === '2' && j.proc === 'blue';
  }, 'env update');
});

test('a policy change reaches event.context (the static context travels in LOAD, so workers are replaced)', async () => {
  assert.deepEqual(JSON.parse(await body('/ctxfn')), { t: 2500, rt: 'node' });
  assert.deepEqual(JSON.parse(await body('/ctxpy')), { t: 2500, rt: 'python' });
  w('ctxfn/fn.config.json', { timeout_ms: 1234 });
  w('ctxpy/fn.config.json', { timeout_ms: 4321 });
  await eventually(async () => JSON.parse(await body('/ctxfn')).t === 1234, 'node context updated');
  await eventually(async () => JSON.parse(await body('/ctxpy')).t === 4321, 'python context updated');
});

test('a request in flight when its handler file is deleted still completes', async () => {
  w('doomed.js', `exports.handler = async () => { await new Promise((r) => setTimeout(r, 800)); return 'completed'; };`);
  await eventually(async () => (await status('/doomed')) === 200, 'doomed route served');
  const inflight = raw(srv.port, 'GET', '/doomed');
  await new Promise((r) => setTimeout(r, 150));
  rmSync(join(tree.root, 'doomed.js'));
  const r = await inflight;
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text, 'completed');
  await eventually(async () => (await status('/doomed')) === 404, 'route removed');
});

test('no request fails while a handler is saved repeatedly', async () => {
  let stop = false;
  const statuses: number[] = [];
  const bodies: string[] = [];
  const load = (async () => {
    for (let i = 0; i < 400 && (!stop || statuses.length < 20); i++) {
      const rr = await raw(srv.port, 'GET', '/busy');
      statuses.push(rr.status);
      if (rr.status !== 200) bodies.push(rr.text);
    }
  })();
  for (let i = 0; i < 10; i++) {
    w('busy.js', `exports.handler = async () => { await new Promise((r) => setTimeout(r, 30)); return 'A${i}'; };`);
    await new Promise((r) => setTimeout(r, 120));
  }
  stop = true;
  await load;
  assert.ok(statuses.length >= 20, `enough requests were made (${statuses.length})`);
  assert.deepEqual([...new Set(statuses)], [200], `every request during reloads succeeded: ${JSON.stringify(statuses)} ${bodies.join(' | ')}`);
  await eventually(async () => (await body('/busy')) === 'A9', 'last edit served');
});

test('an in-place save seen half-way (truncated now, written 300 ms later) fails no request', async () => {
  assert.equal(await body('/inplace'), 'before');
  let stop = false;
  const statuses: number[] = [];
  const bodies: string[] = [];
  const load = (async () => {
    while (!stop) {
      const rr = await raw(srv.port, 'GET', '/inplace');
      statuses.push(rr.status);
      if (rr.status !== 200) bodies.push(rr.text);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  // What an editor that saves in place does (truncate, then write), with the writer descheduled in between.
  const fd = openSync(join(tree.root, 'inplace.js'), 'w');
  await new Promise((r) => setTimeout(r, 300));
  writeSync(fd, `exports.handler = async () => 'after';`);
  closeSync(fd);
  await eventually(async () => (await body('/inplace')) === 'after', 'the completed save is served');
  stop = true;
  await load;
  assert.deepEqual([...new Set(statuses)], [200], `no request failed: ${bodies.join(' | ')}`);
});

test('a handler emptied on purpose is reloaded as it is once the in-place-save wait is over', async () => {
  w('inplace.js', `exports.handler = async () => 'full';`);
  await eventually(async () => (await body('/inplace')) === 'full', 'content served');
  const t0 = Date.now();
  w('inplace.js', '');
  await eventually(async () => (await status('/inplace')) === 500, 'the empty handler answers 500');
  assert.ok(Date.now() - t0 < 5000, `held back at most about a second (${Date.now() - t0} ms)`);
  w('inplace.js', `exports.handler = async () => 'back';`);
  await eventually(async () => (await body('/inplace')) === 'back', 'served again');
});
