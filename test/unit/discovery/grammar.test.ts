// SPEC §2.3 (G1-G10) and §2.4 (N1-N5): file names to routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseSegment } from '../../../src/discovery/index.js';
import { parseFileName, splitBase } from '../../../src/discovery/grammar.js';
import { parseRouteString, templateString } from '../../../src/discovery/normalise.js';
import { catalogOf, routeLines, routes } from './helpers.js';

const ALL = new Set(['node', 'python', 'php', 'lua', 'go', 'rust'] as const);

test('G1: runtime extensions; .mjs/.cjs/.ts are node; .d.ts never; other extensions ignored', () => {
  const c = catalogOf({
    'a.mjs': '',
    'b.cjs': '',
    'c.ts': '',
    'd.d.ts': '',
    'e.lua': '',
    'f.go': '',
    'g.rs': '',
    'h.php': '',
    'notes.txt': '',
    'data.json': {},
  });
  assert.deepEqual(routeLines(c), [
    'GET /a -> node/a.mjs@default',
    'GET /b -> node/b.cjs@default',
    'GET /c -> node/c.ts@default',
    'GET /e -> lua/e.lua@default',
    'GET /f -> go/f.go@default',
    'GET /g -> rust/g.rs@default',
    'GET /h -> php/h.php@default',
  ]);
});

test('G1: files of a runtime not in opts.runtimes are not routes', () => {
  const c = catalogOf({ 'a.py': '', 'b.js': '' }, { runtimes: ['node'] });
  assert.deepEqual(routes(c), ['GET /b']);
});

test('G2: the base name splits on dots outside brackets', () => {
  assert.deepEqual(splitBase('post.users.[id]'), ['post', 'users', '[id]']);
  assert.deepEqual(splitBase('[...slug]'), ['[...slug]']);
  assert.deepEqual(splitBase('a.b.c'), ['a', 'b', 'c']);
});

test('G3: _-prefixed, .test and .spec files are private', () => {
  for (const name of ['_shared.js', 'x.test.js', 'get.ping.test.js', 'y.spec.py']) {
    assert.equal(parseFileName(name, ALL)?.private, true, name);
  }
  assert.equal(parseFileName('test.js', ALL)?.private, false);
});

test('G4: method prefixes are case-insensitive and removed', () => {
  const c = catalogOf({ 'GET.items.js': '', 'Post.items.py': '', 'api/patch.js': '' });
  assert.deepEqual(routeLines(c), [
    'PATCH /api -> node/api/patch.js@default',
    'GET /items -> node/GET.items.js@default',
    'POST /items -> python/Post.items.py@default',
  ]);
});

test('G5: a second method token makes the file ambiguous', () => {
  const c = catalogOf({ 'api/post.delete.x.js': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, ['api/post.delete.x.js: ambiguous method prefix; ignored']);
});

test('G6: index, handler and main tokens add nothing', () => {
  const c = catalogOf({ 'a/get.index.js': '', 'b/main.py': '', 'c/users.index.js': '' });
  assert.deepEqual(routes(c), ['GET /a', 'GET /b', 'GET /c/users']);
});

test('G7: dynamic directory names; catch-all directory; optional catch-all', () => {
  const c = catalogOf({ 'u/[id]/get.py': '', 'docs/[[...rest]]/get.js': '' });
  assert.deepEqual(routes(c), ['GET /docs', 'GET /docs/:rest*', 'GET /u/:id']);
});

test('G8: parameter names are lower-cased; malformed tokens ignored with a warning', () => {
  const c = catalogOf({
    'a/[UserId].js': '',
    'b/[id.js': '',
    'c/[a-b].js': '',
    'd/[].js': '',
    'e/[[id]].js': '',
  });
  assert.deepEqual(routes(c), ['GET /a/:userid']);
  assert.deepEqual(c.warnings, [
    'b/[id.js: malformed bracket token [id; ignored',
    'c/[a-b].js: malformed bracket token [a-b]; ignored',
    'd/[].js: malformed bracket token []; ignored',
    'e/[[id]].js: malformed bracket token [[id]]; ignored',
  ]);
});

test('G8: a catch-all must be the last segment', () => {
  const c = catalogOf({ 'files/[...path]/get.info.js': '', 'x/[...a].[b].js': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, [
    'files/[...path]/get.info.js: a catch-all must be the last segment; ignored',
    'x/[...a].[b].js: a catch-all must be the last segment; ignored',
  ]);
});

test('G8: a directory with a malformed bracket name is skipped with a warning', () => {
  const c = catalogOf({ 'x[id]/get.js': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, ['x[id]: malformed bracket token x[id]; skipped']);
});

test('G9: unprefixed files take the nearest overlay methods; prefixed ones keep their own', () => {
  const c = catalogOf({
    'fn.config.json': { invoke: { methods: 'PUT' } },
    'a/x.js': '',
    'a/fn.config.json': { invoke: { methods: ['GET', 'DELETE'] } },
    'a/b/y.js': '',
    'a/b/post.z.js': '',
    'w.js': '',
  });
  assert.deepEqual(routes(c), ['GET,DELETE /a/b/y', 'POST /a/b/z', 'GET,DELETE /a/x', 'PUT /w']);
});

test('G10: a file route resolving to / is never registered; an optional catch-all at the root keeps /:x*', () => {
  const c = catalogOf({ '[[...all]].js': '' });
  assert.deepEqual(routes(c), ['GET /:all*']);
  assert.deepEqual(c.warnings, ['[[...all]].js: route / is reserved for home routing; ignored']);
});

test('N1-N4: segment normalisation', () => {
  assert.equal(normaliseSegment('MyFunc'), 'myfunc');
  assert.equal(normaliseSegment('my__func'), 'my-func');
  assert.equal(normaliseSegment('hello world'), 'hello-world');
  assert.equal(normaliseSegment('_draft'), 'draft');
  assert.equal(normaliseSegment('Café'), 'caf');
  assert.equal(normaliseSegment('___'), '');
});

test('N1-N4 apply to directories and tokens', () => {
  const c = catalogOf({ 'My__Dir/Hello World.js': '', 'v1.2/get.js': '' });
  assert.deepEqual(routes(c), ['GET /my-dir/hello-world', 'GET /v1-2']);
});

test('N5: a segment that normalises to empty skips the file or directory with a warning', () => {
  const c = catalogOf({ '___/x.js': '', 'a/get.---.js': '', 'b/a..c.js': '' });
  assert.deepEqual(routes(c), []);
  assert.deepEqual(c.warnings, [
    '___: segment "___" normalises to empty; skipped',
    'a/get.---.js: segment "---" normalises to empty; ignored',
    'b/a..c.js: segment "" normalises to empty; ignored',
  ]);
});

test('dot files and dot directories are skipped silently', () => {
  const c = catalogOf({ '.eslintrc.js': '', '.hidden/get.x.js': '', 'ok.js': '' });
  assert.deepEqual(routes(c), ['GET /ok']);
  assert.deepEqual(c.warnings, []);
});

test('config route strings: // collapsed, trailing / dropped, {p} alias, . and .. rejected', () => {
  const ok = (s: string) => {
    const segs = parseRouteString(s);
    return typeof segs === 'string' ? segs : templateString(segs);
  };
  assert.equal(ok('  //api//Items/{id}/ '), '/api/Items/:id');
  assert.equal(ok('files/:path*'), '/files/:path*');
  assert.equal(ok('/a/*/b/*'), '/a/*/b/*');
  assert.equal(ok('/a/../b'), 'route contains a . or .. segment');
  assert.equal(ok('/a/./b'), 'route contains a . or .. segment');
  assert.equal(ok('/a/:p*/b'), 'catch-all :p* must be the last segment');
  assert.equal(ok('/a/:x/:x'), 'duplicate parameter x');
  assert.equal(ok('/a/{x'), 'malformed segment {x');
});
