// SPEC §2.5 M1/M2: request path sanitising.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizePath } from '../../../src/router/index.js';

const ok = (raw: string, path: string) => assert.deepEqual(sanitizePath(raw), { ok: true, path }, raw);
const bad = (raw: string) => assert.deepEqual(sanitizePath(raw), { ok: false }, raw);

test('M1: percent-decoding per segment, // collapsed, trailing / removed, case kept', () => {
  ok('/', '/');
  ok('', '/');
  ok('/Hello', '/Hello');
  ok('/users/a%20b', '/users/a b');
  ok('//a///b//', '/a/b');
  ok('/a/b/', '/a/b');
  ok('/%41bc', '/Abc');
  ok('/a%25b', '/a%b');
  ok('/a+b', '/a+b');
  ok('/a/.b/..c', '/a/.b/..c');
});

test('M1: non-ASCII paths work, encoded or already decoded', () => {
  ok('/caf%C3%A9', '/café');
  ok('/%E6%97%A5%E6%9C%AC', '/日本');
  ok('/café/😀', '/café/😀');
});

test('M2: . and .. segments (raw or decoded) are rejected', () => {
  for (const p of ['/..', '/a/../b', '/a/./b', '/.', '/a/%2e%2e/b', '/a/%2E', '/%2e%2E', '/a/..']) bad(p);
});

test('M2: NUL, backslash, invalid escapes and encoded slashes are rejected', () => {
  for (const p of [
    '/a%00b',
    '/a\u0000b',
    '/a\\b',
    '/a%5cb',
    '/a%5Cb',
    '/a%2fb',
    '/a%2Fb',
    '/a%',
    '/a%4',
    '/a%zz',
    '/a%C3%28',
    '/%FF',
    'relative/path',
  ]) {
    bad(p);
  }
});
