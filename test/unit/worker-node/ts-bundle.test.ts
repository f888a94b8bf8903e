// TypeScript bundles (src/build/ts-bundle.ts, SPEC §3.3, §13.2): content-hash cache, atomic output, clear errors, and
// the bundle loading in the real Node worker.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bundleTypeScript, tsBuildCount } from '../../../src/build/index.js';
import { WorkerClient } from './helpers.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'fastfn-ts-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const HANDLER = `import { shout, type Shout } from './_helper';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
export async function handler(event: { params: Record<string, string> }): Promise<Shout> {
  const data = readFileSync(join(__dirname, 'data.txt'), 'utf8').trim();
  return shout(event.params.name ?? 'nobody', data, import.meta.url);
}
`;
const helper = (suffix: string) => `export interface Shout { text: string; data: string; url: string }
export const shout = (s: string, data: string, url: string): Shout => ({ text: s.toUpperCase() + '${suffix}', data, url });
`;

describe('ts-bundle', () => {
  it('bundles a .ts entry with its local .ts helper into <root>/.fastfn/build/ts/<hash>.cjs', async () => {
    const root = project({ 'api/hello/handler.ts': HANDLER, 'api/hello/_helper.ts': helper('!'), 'api/hello/data.txt': 'side file\n' });
    const entry = join(root, 'api/hello/handler.ts');
    const b = await bundleTypeScript(root, entry);
    assert.match(b.hash, /^[0-9a-f]{64}$/);
    assert.equal(b.outFile, join(root, '.fastfn/build/ts', `${b.hash}.cjs`));
    assert.deepEqual(b.inputs, [join(root, 'api/hello/_helper.ts'), entry]);
    const code = readFileSync(b.outFile, 'utf8');
    assert.match(code, /sourceMappingURL=data:application\/json;base64,/);
    assert.doesNotMatch(code, /interface Shout/);
    const index = JSON.parse(readFileSync(join(root, '.fastfn/build/ts/index.json'), 'utf8'));
    assert.deepEqual(index[entry], { hash: b.hash, inputs: b.inputs });
    assert.deepEqual(
      readdirSync(join(root, '.fastfn/build/ts')).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp files left behind',
    );

    // The real worker loads the bundle; __dirname and import.meta.url still point at the handler's directory.
    const { w, loaded } = await WorkerClient.start({ entry: b.outFile, dir: dirname(entry) });
    try {
      assert.deepEqual(loaded, { ok: true });
      const r = await w.request(1, { params: { name: 'ada' } });
      assert.deepEqual(r.result?.head.value, { text: 'ADA!', data: 'side file', url: `file://${entry}` });
    } finally {
      w.kill();
    }
  });

  it('an unchanged tree reuses the bundle without running esbuild', async () => {
    const root = project({ 'h/handler.ts': HANDLER, 'h/_helper.ts': helper('?') });
    const entry = join(root, 'h/handler.ts');
    const first = await bundleTypeScript(root, entry);
    const mtime = statSync(first.outFile).mtimeMs;
    const runs = tsBuildCount();
    const second = await bundleTypeScript(root, entry);
    assert.deepEqual(second, first);
    assert.equal(tsBuildCount(), runs, 'esbuild did not run again');
    assert.equal(statSync(first.outFile).mtimeMs, mtime);
  });

  it('a change in the helper changes the hash and the bundle', async () => {
    const root = project({ 'h/handler.ts': HANDLER, 'h/_helper.ts': helper('1') });
    const entry = join(root, 'h/handler.ts');
    const first = await bundleTypeScript(root, entry);
    writeFileSync(join(root, 'h/_helper.ts'), helper('2'));
    const runs = tsBuildCount();
    const second = await bundleTypeScript(root, entry);
    assert.equal(tsBuildCount(), runs + 1);
    assert.notEqual(second.hash, first.hash);
    assert.match(readFileSync(second.outFile, 'utf8'), /"2"/);
    // Reverting gives the first hash back (and its file is reused).
    writeFileSync(join(root, 'h/_helper.ts'), helper('1'));
    assert.equal((await bundleTypeScript(root, entry)).hash, first.hash);
  });

  it('parallel bundles of different entries keep both index entries', async () => {
    const root = project({ 'a/handler.ts': HANDLER, 'a/_helper.ts': helper('a'), 'b/handler.ts': HANDLER, 'b/_helper.ts': helper('b') });
    const [a, b] = await Promise.all([bundleTypeScript(root, join(root, 'a/handler.ts')), bundleTypeScript(root, join(root, 'b/handler.ts'))]);
    const index = JSON.parse(readFileSync(join(root, '.fastfn/build/ts/index.json'), 'utf8'));
    assert.equal(index[join(root, 'a/handler.ts')].hash, a.hash);
    assert.equal(index[join(root, 'b/handler.ts')].hash, b.hash);
  });

  it('a handler error in a bundle logs a stack that points at the .ts source (inline source map)', async () => {
    const root = project({ 'e/handler.ts': "const fail = (why: string): never => {\n  throw new Error(why);\n};\nexport const handler = () => fail('ts boom');\n" });
    const entry = join(root, 'e/handler.ts');
    const b = await bundleTypeScript(root, entry);
    const { w } = await WorkerClient.start({ entry: b.outFile, dir: dirname(entry) });
    try {
      const r = await w.request(3);
      assert.deepEqual(r.result?.head, { kind: 'error', code: 'HANDLER_ERROR', message: 'ts boom' });
      assert.match(w.logs(3).stderr, /e\/handler\.ts:2:/);
    } finally {
      w.kill();
    }
  });

  it('a syntax error throws an Error whose message is esbuild\'s first error text', async () => {
    const root = project({ 'bad/handler.ts': 'export const handler = (e: ) => 1;\n' });
    await assert.rejects(bundleTypeScript(root, join(root, 'bad/handler.ts')), (err: Error & { location?: { line: number } }) => {
      assert.equal(err.message, 'Unexpected ")"');
      assert.equal(err.location?.line, 1);
      return true;
    });
  });

  it('a missing local import throws esbuild\'s resolve error', async () => {
    const root = project({ 'x/handler.ts': "import { y } from './nope';\nexport const handler = () => y;\n" });
    await assert.rejects(bundleTypeScript(root, join(root, 'x/handler.ts')), { message: 'Could not resolve "./nope"' });
  });
});
