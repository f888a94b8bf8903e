// SPEC §1.3: toolchain lookup and version probes. Bug: `go --version` is not a Go command, so an installed Go was
// reported "go not found"; each toolchain must be probed the way it reports its version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { loadSettings } from '../../src/config/index.js';
import { detectToolchains, findOnPath } from '../../src/runtime-host/toolchain.js';

test('every toolchain found on PATH reports a version; missing ones give the §1.3 message', () => {
  const s = loadSettings('dev', { dir: tmpdir() }, { env: { PATH: process.env.PATH ?? '' }, cwd: tmpdir() });
  const tcs = detectToolchains(s);
  const probes: [string, string][] = [['python', 'python3'], ['go', 'go'], ['rust', 'cargo'], ['php', 'php']];
  for (const [rt, bin] of probes) {
    const tc = tcs.get(rt as never)!;
    if (findOnPath(bin, process.env.PATH)) {
      assert.ok(tc.binary, `${rt}: binary found`);
      assert.match(String(tc.version), /^\d+\.\d+/, `${rt}: version probed`);
      assert.doesNotMatch(String(tc.reason), /not found/, `${rt}: not reported missing`);
    } else {
      assert.equal(tc.available, false);
      assert.match(String(tc.reason), /not found \(install /);
    }
  }
  assert.equal(tcs.get('node')!.available, true);
});

test('an override that does not exist makes the runtime unavailable with the §1.3 message', () => {
  const s = loadSettings('dev', { dir: tmpdir() }, { env: { PATH: process.env.PATH ?? '', FN_PYTHON_BIN: '/nope/python3' }, cwd: tmpdir() });
  const py = detectToolchains(s).get('python')!;
  assert.equal(py.available, false);
  assert.equal(py.reason, 'python3 not found (install python3)');
});
