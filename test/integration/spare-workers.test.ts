// Pre-spawned spare workers (ARCHITECTURE.md): a function's first request takes a parked interpreter, which must
// then run exactly as a worker spawned for it: its own directory as cwd, its own env, nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree } from '../helpers/tree.js';
import { raw, startServer, type Running } from '../helpers/server.js';

let srv: Running;
let tree: { root: string; cleanup(): void };
before(async () => {
  tree = makeTree({
    'a/handler.js': `exports.handler = async () => ({ cwd: process.cwd(), env: process.env.ONLY_A ?? null, other: process.env.ONLY_B ?? null });`,
    'a/fn.env.json': { ONLY_A: 'a-value' },
    'b/handler.py': 'import os\ndef handler(event):\n    return {"cwd": os.getcwd(), "env": os.environ.get("ONLY_B"), "other": os.environ.get("ONLY_A")}\n',
    'b/fn.env.json': { ONLY_B: 'b-value' },
  });
  srv = await startServer(tree.root);
});
after(async () => {
  await srv?.stop();
  tree?.cleanup();
});

async function sparesReady(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const h = (await raw(srv.port, 'GET', '/_fn/health')).json();
    if (h.runtimes.node.spare_ready && h.runtimes.python.spare_ready) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('spares never became ready');
}

test('a function served by a spare gets its own directory and env (node, python)', async () => {
  await sparesReady();
  const real = realpathSync(tree.root);
  const a = await raw(srv.port, 'GET', '/a');
  assert.equal(a.headers['x-fastfn-function-state'], 'cold');
  assert.deepEqual(a.json(), { cwd: join(real, 'a'), env: 'a-value', other: null });
  const b = await raw(srv.port, 'GET', '/b');
  assert.equal(b.headers['x-fastfn-function-state'], 'cold');
  assert.deepEqual(b.json(), { cwd: join(real, 'b'), env: 'b-value', other: null });
  await sparesReady();
});
