// quote() must produce exactly JSON.stringify's output for every string: it feeds hand-built JSON to workers and logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quote, quoteOrNull } from '../../src/util/json-quote.js';

test('quote equals JSON.stringify for plain, escaped, control, unicode and lone-surrogate strings', () => {
  const samples = ['', 'req-1-2-000001', '/users/42', 'a"b', 'a\\b', 'tab\there', 'nl\n', '\u0000', '\u001f', '\u007f', 'é', '日本', '\ud83d\ude00', '\ud800', 'x\udfff', '</script>'];
  for (let c = 0; c < 0x100; c++) samples.push(String.fromCharCode(c), `a${String.fromCharCode(c)}z`);
  for (const s of samples) assert.equal(quote(s), JSON.stringify(s), JSON.stringify(s));
});

test('quoteOrNull writes null for a missing value', () => {
  assert.equal(quoteOrNull(null), 'null');
  assert.equal(quoteOrNull(undefined), 'null');
  assert.equal(quoteOrNull('x'), '"x"');
});
