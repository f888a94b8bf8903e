// scanTree and discover on real temp directories: symlinks (SPEC §2.1), encodings, ignored directories, explicit
// files in ignored places, invalid JSON on disk, determinism and speed on a 150-function tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalog, discover, scanTree, treeFromObject, type Catalog } from '../../../src/discovery/index.js';
import { makeTree } from '../../helpers/tree.js';
import { opts, routeLines } from './helpers.js';

const dump = (c: Catalog) =>
  JSON.stringify({
    ...c,
    generated_at: 0,
    root: '',
    functions: [...c.functions],
    versions: [...c.versions].map(([k, v]) => [k, [...v]]),
  });

test('discover on disk equals buildCatalog on the same tree in memory', (t) => {
  const files = {
    'users/[id].js': '// @summary One user\nexport default () => ({})',
    'users/get.settings.js': '',
    'payments/handler.js': '',
    'payments/fn.config.json': { runtime: 'node', invoke: { methods: ['GET', 'POST'] } },
    'payments/v2/handler.py': '',
    'node/hello/handler.js': '',
    'm/fn.routes.json': { routes: { 'POST /hook': 'h.py' } },
    'm/h.py': '',
    'bad/fn.config.json': '{oops',
    'bad/get.x.js': '',
  };
  const dir = makeTree(files);
  t.after(dir.cleanup);
  const onDisk = discover(opts({ root: dir.root }));
  const inMemory = buildCatalog(treeFromObject(files, dir.root), opts({ root: dir.root }));
  assert.equal(dump(onDisk), dump(inMemory));
  assert.equal(onDisk.functions.get('node/users/[id].js@default')?.hints.summary, 'One user');
  assert.ok(onDisk.warnings.some((w) => w.startsWith('bad/fn.config.json: invalid JSON (')));
  assert.ok(onDisk.routes.some((r) => r.route === '/bad/x'));
});

test('§2.1 symlinks are followed only inside the root; escapes and cycles are skipped with a warning', (t) => {
  const outside = mkdtempSync(join(tmpdir(), 'fastfn-outside-'));
  const dir = makeTree({ 'real/get.in.js': '', 'file.js': '' });
  t.after(() => {
    dir.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });
  writeFileSync(join(outside, 'get.secret.js'), '');
  writeFileSync(join(outside, 'leak.js'), '');
  symlinkSync(outside, join(dir.root, 'escape'));
  symlinkSync(join(outside, 'leak.js'), join(dir.root, 'leak.js'));
  symlinkSync(join(dir.root, 'real'), join(dir.root, 'alias'));
  symlinkSync(join(dir.root, 'file.js'), join(dir.root, 'linked.js'));
  symlinkSync(join(dir.root, 'nowhere'), join(dir.root, 'broken.js'));
  symlinkSync('..', join(dir.root, 'real', 'loop'));
  const c = discover(opts({ root: dir.root }));
  assert.deepEqual(routeLines(c), [
    'GET /alias/in -> node/alias/get.in.js@default',
    'GET /file -> node/file.js@default',
    'GET /linked -> node/linked.js@default',
    'GET /real/in -> node/real/get.in.js@default',
  ]);
  assert.deepEqual(c.warnings, [
    'alias/loop: symlink cycle; skipped',
    'broken.js: broken symlink; skipped',
    'escape: symlink points outside the root; skipped',
    'leak.js: symlink points outside the root; skipped',
    'real/loop: symlink cycle; skipped',
  ]);
});

test('§2.1 a file name that is not valid UTF-8 is skipped with a warning', (t) => {
  const dir = makeTree({ 'ok.js': '' });
  t.after(dir.cleanup);
  const bad = Buffer.concat([Buffer.from(join(dir.root, 'bad')), Buffer.from([0xff, 0xfe]), Buffer.from('.js')]);
  try {
    writeFileSync(bad, '');
  } catch {
    t.skip('this filesystem refuses non-UTF-8 names');
    return;
  }
  const c = discover(opts({ root: dir.root }));
  assert.deepEqual(routeLines(c), ['GET /ok -> node/ok.js@default']);
  assert.equal(c.warnings.length, 1);
  assert.match(c.warnings[0] ?? '', /: name is not valid UTF-8; skipped$/);
});

test('§2.14 ignored directories are not scanned, but an entrypoint or manifest target inside one is found', (t) => {
  const dir = makeTree({
    'node_modules/pkg/get.x.js': '',
    'api/fn.config.json': { entrypoint: 'src/main.py' },
    'api/src/main.py': '# @summary from src',
    'fn.routes.json': { routes: { '/vendored': 'vendor/h.php' } },
    'vendor/h.php': '',
    'public/get.asset.js': '',
    'fn.config.json': { assets: { directory: 'public' } },
  });
  t.after(dir.cleanup);
  const tree = scanTree(opts({ root: dir.root }));
  assert.equal(tree.dirs.has('node_modules'), false);
  assert.equal(tree.dirs.get('public')?.pruned, true);
  const c = buildCatalog(tree, opts({ root: dir.root }));
  assert.deepEqual(routeLines(c), [
    'GET /api -> python/api@default',
    'GET /api/* -> python/api@default',
    'GET /vendored -> php/vendor/h.php@default',
  ]);
  assert.equal(c.functions.get('python/api@default')?.hints.summary, 'from src');
  assert.deepEqual(c.assets, { directory: 'public', not_found_handling: '404', run_worker_first: false });
});

test('§2.14 the scan stops below the depth limit', (t) => {
  const dir = makeTree({ 'a/b/c/d/e/f/g/h/i/j/x.js': '', 'a/b/c/d/e/f/g/y.js': '' });
  t.after(dir.cleanup);
  const tree = scanTree(opts({ root: dir.root }));
  assert.equal(tree.dirs.get('a/b/c/d/e/f/g/h')?.pruned, true);
  assert.equal(tree.dirs.has('a/b/c/d/e/f/g/h/i'), false);
  const c = buildCatalog(tree, opts({ root: dir.root }));
  assert.deepEqual(c.warnings, ['a/b/c/d/e/f/g/y.js: depth limit exceeded']);
});

test('a missing root is a warning, never a throw', () => {
  const c = discover(opts({ root: join(tmpdir(), 'fastfn-definitely-missing-root') }));
  assert.deepEqual(c.routes, []);
  assert.equal(c.warnings.length, 1);
  assert.match(c.warnings[0] ?? '', /functions root not found/);
});

test('determinism and speed: 150 functions, scanned twice, byte-identical and fast', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'fastfn-perf-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (let i = 0; i < 50; i++) {
    mkdirSync(join(root, `svc${i}`, 'v2'), { recursive: true });
    writeFileSync(join(root, `svc${i}`, 'handler.js'), '// @summary svc\n');
    writeFileSync(join(root, `svc${i}`, 'v2', 'handler.js'), '');
    writeFileSync(join(root, `svc${i}`, 'fn.config.json'), JSON.stringify({ runtime: 'node', timeout_ms: 100 + i }));
    writeFileSync(join(root, `svc${i}`, `get.item.[id].py`), '');
    writeFileSync(join(root, `svc${i}`, 'helpers.js'), '');
  }
  const o = opts({ root });
  const first = discover(o);
  const started = process.hrtime.bigint();
  const second = discover(o);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(first.functions.size, 150);
  assert.equal(first.routes.length, 150);
  assert.equal(dump(first), dump(second));
  assert.ok(ms < 500, `discovery took ${ms} ms`);
});
