// SPEC §7/§8: precedence (flag > env > fastfn.json > default), booleans, bad values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, SettingError } from '../../src/config/index.js';

const cwd = () => mkdtempSync(join(tmpdir(), 'fastfn-settings-'));

test('defaults: dev binds 127.0.0.1, run 0.0.0.0, port 8080, text/json logs', () => {
  const d = loadSettings('dev', {}, { env: {}, cwd: cwd() });
  assert.equal(d.host, '127.0.0.1');
  assert.equal(d.port, 8080);
  assert.equal(d.logFormat, 'text');
  assert.deepEqual(d.runtimes, ['python', 'node', 'php', 'lua', 'go', 'rust']);
  const r = loadSettings('run', {}, { env: {}, cwd: cwd() });
  assert.equal(r.host, '0.0.0.0');
  assert.equal(r.logFormat, 'json');
});

test('port precedence: --port > FN_HOST_PORT > fastfn.json > 8080', () => {
  const dir = cwd();
  writeFileSync(join(dir, 'fastfn.json'), JSON.stringify({ port: 7000, 'functions-dir': 'fns', hotReload: false }));
  assert.equal(loadSettings('dev', {}, { env: {}, cwd: dir }).port, 7000);
  assert.equal(loadSettings('dev', {}, { env: { FN_HOST_PORT: '7001' }, cwd: dir }).port, 7001);
  assert.equal(loadSettings('dev', { port: '7002' }, { env: { FN_HOST_PORT: '7001' }, cwd: dir }).port, 7002);
  const s = loadSettings('dev', {}, { env: {}, cwd: dir });
  assert.equal(s.root, join(dir, 'fns'));
  assert.equal(s.hotReload, false);
  assert.equal(loadSettings('dev', { hotReload: true }, { env: { FN_HOT_RELOAD: '0' }, cwd: dir }).hotReload, true);
});

test('bad values: invalid port throws (exit 2); invalid boolean keeps default with a warning', () => {
  assert.throws(() => loadSettings('dev', { port: '0' }, { env: {}, cwd: cwd() }), SettingError);
  assert.throws(() => loadSettings('dev', {}, { env: { FN_HOST_PORT: '65536' }, cwd: cwd() }), /invalid FN_HOST_PORT: 65536/);
  assert.throws(() => loadSettings('dev', {}, { env: { FN_RUNTIMES: 'node,cobol' }, cwd: cwd() }), /invalid FN_RUNTIMES/);
  const s = loadSettings('dev', {}, { env: { FN_HOT_RELOAD: 'maybe', FN_DEFAULT_TIMEOUT_MS: 'soon' }, cwd: cwd() });
  assert.equal(s.hotReload, true);
  assert.equal(s.defaults.timeout_ms, 2500);
  assert.ok(s.warnings.some((w) => w.includes('FN_HOT_RELOAD')));
  assert.ok(s.warnings.some((w) => w.includes('FN_DEFAULT_TIMEOUT_MS')));
});

test('runtimes order, namespace depth clamp, runtime daemons, compat variables warned', () => {
  const s = loadSettings('dev', {}, { env: { FN_RUNTIMES: 'node, python', FN_NAMESPACE_DEPTH: '9', FN_RUNTIME_DAEMONS: 'node=3,python=0', FN_PY_SOCKET: '/x' }, cwd: cwd() });
  assert.deepEqual(s.runtimes, ['node', 'python']);
  assert.equal(s.namespaceDepth, 5);
  assert.deepEqual(s.runtimeDaemons, { node: 3 });
  assert.ok(s.warnings.some((w) => w.includes('FN_PY_SOCKET')));
});

test('an explicit --config that cannot be parsed is an error; an implicit broken one is a warning', () => {
  const dir = cwd();
  writeFileSync(join(dir, 'fastfn.json'), '{ nope');
  assert.ok(loadSettings('dev', {}, { env: {}, cwd: dir }).warnings.some((w) => w.startsWith('fastfn.json:')));
  assert.throws(() => loadSettings('dev', { config: 'fastfn.json' }, { env: {}, cwd: dir }), /cannot read config/);
});
