// STYLE rule 1: docs/errors.md lists exactly the catalogue's codes, statuses and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CATALOG, FnError, toWire } from '../../src/errors/catalog.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map<string, { status: number; message: string }>();
for (const m of doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| `([^`]*)` \|/gm)) rows.set(m[1]!, { status: Number(m[2]), message: m[3]! });

test('every catalogue code is documented with its status and message', () => {
  assert.deepEqual([...rows.keys()].sort(), Object.keys(ERROR_CATALOG).sort());
  for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
    const row = rows.get(code)!;
    assert.equal(row.status, entry.status, code);
    const placeholders: Record<string, string> = {};
    for (const p of row.message.matchAll(/<([a-z]+)>/g)) placeholders[p[1]!] = `<${p[1]}>`;
    const msg = typeof entry.message === 'function' ? entry.message(placeholders) : entry.message;
    assert.equal(msg, row.message, code);
  }
});

test('the wire form is {"error": message} with the code in X-Fn-Error-Code; unknown errors never leak', () => {
  const w = toWire(new FnError('HANDLER_LOAD_FAILED', { file: 'a.js', message: 'boom' }));
  assert.equal(w.status, 500);
  assert.deepEqual(JSON.parse(w.body), { error: 'handler load failed for a.js: boom' });
  assert.equal(w.headers['x-fn-error-code'], 'HANDLER_LOAD_FAILED');
  const leak = toWire(new Error('/etc/secret path in a stack'));
  assert.deepEqual(JSON.parse(leak.body), { error: 'gateway exception' });
  const overflow = toWire(new FnError('POOL_OVERFLOW', {}, { status: 503 }));
  assert.equal(overflow.status, 503);
  assert.equal(overflow.headers['retry-after'], '1');
});
