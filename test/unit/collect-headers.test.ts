// The event's headers (SPEC §4.1): names lower-cased, repeats as arrays in order, hop-by-hop headers left out at
// collection time (deleting them later made the object slow to serialise: bench/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { collectHeaders } from '../../src/gateway/dispatch.js';

const req = (rawHeaders: string[]) => ({ rawHeaders }) as unknown as IncomingMessage;

test('collectHeaders lower-cases names, keeps repeats in order and leaves hop-by-hop headers out', () => {
  const h = collectHeaders(
    req([
      'Host', 'example.test',
      'Connection', 'keep-alive',
      'Keep-Alive', 'timeout=5',
      'X-Multi', 'a',
      'TE', 'trailers',
      'x-multi', 'b',
      'Transfer-Encoding', 'chunked',
      'Upgrade', 'websocket',
      'Proxy-Connection', 'close',
      'Trailer', 'x',
      'X-Multi', 'c',
    ]),
  );
  assert.deepEqual(h, { host: 'example.test', 'x-multi': ['a', 'b', 'c'] });
});

test('collectHeaders builds a fast-mode object (no deleted properties)', () => {
  const h = collectHeaders(req(['A', '1', 'Connection', 'close', 'B', '2']));
  assert.deepEqual(Object.keys(h), ['a', 'b']);
  assert.equal(JSON.stringify(h), '{"a":"1","b":"2"}');
});
