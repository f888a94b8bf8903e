// Runs the Python worker shim's own unittest suite (runtimes/python/tests: codec vectors + real worker processes)
// inside `npm test`. Skips only when no python3 is installed, and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

test('python worker shim: unittest suite passes', (t) => {
  const res = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'runtimes/python/tests', '-v'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if ((res.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    t.skip('python3 is not installed');
    return;
  }
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  assert.equal(res.error, undefined, `could not run python3: ${String(res.error)}\n${output}`);
  assert.equal(res.status, 0, `python unittest failed (status ${res.status}, signal ${res.signal}):\n${output}`);
  assert.match(output, /\nOK/, output);
});
