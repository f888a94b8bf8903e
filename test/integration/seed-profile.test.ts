// SPEC §3.13: the seed's Node and Python /profile/me handlers, unmodified, side by side.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree } from '../helpers/tree.js';
import { REPO, startServer, type Running } from '../helpers/server.js';

const nodeSeed = readFileSync(join(REPO, 'examples/functions/node-app/profile/get.me.js'), 'utf8');
const pySeed = readFileSync(join(REPO, 'examples/functions/python-app/profile/get.me.py'), 'utf8');

let srv: Running;
let tree: { root: string; cleanup(): void };
before(async () => {
  tree = makeTree({ 'node-app/profile/get.me.js': nodeSeed, 'python-app/profile/get.me.py': pySeed });
  srv = await startServer(tree.root);
});
after(async () => {
  await srv?.stop();
  tree?.cleanup();
});

test('the examples carry the seed handlers verbatim', () => {
  assert.match(nodeSeed, /^exports\.handler = async \(event\) => \{\n {2}const auth = event\.headers\?\.authorization \|\| "";/);
  assert.match(pySeed, /^def handler\(event\):\n {4}auth = \(event\.get\("headers"\) or \{\}\)\.get\("authorization", ""\)/);
});

for (const rt of ['node', 'python']) {
  test(`${rt}: GET /profile/me without a token is 401 JSON`, async () => {
    const r = await fetch(`${srv.url}/${rt}-app/profile/me`);
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(await r.json(), { error: 'missing bearer token' });
  });
  test(`${rt}: GET /profile/me with a bearer token is 200 with the user`, async () => {
    const r = await fetch(`${srv.url}/${rt}-app/profile/me`, { headers: { authorization: 'Bearer demo-token' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(await r.json(), { user: { id: 'u-123', roles: ['reader'] } });
  });
}
