// Node worker: concurrency, output capture (SPEC §3.10), env (§6.3, SEC-01), process exit (SEC-21), PING, protocol
// violations and channel end (docs/protocol.md), plus a sequential round-trip rate.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FrameType } from '../../../src/protocol/index.js';
import { WorkerClient } from './helpers.js';

const started: WorkerClient[] = [];
after(() => started.forEach((w) => w.kill()));

async function shapes(env?: Record<string, string>, fnEnv?: Record<string, string>): Promise<WorkerClient> {
  const { w, loaded } = await WorkerClient.start({ entry: 'shapes/handler.js', env: fnEnv }, env);
  assert.deepEqual(loaded, { ok: true });
  started.push(w);
  return w;
}

describe('node worker: output capture', () => {
  it('module-load output is attributed to id 0', async () => {
    const w = await shapes();
    assert.equal(w.logs(0).stdout, 'shapes module loaded\n');
  });

  it('20 concurrent requests with random delays: every console/stdout/stderr write carries its own request id', async () => {
    const w = await shapes();
    const rnd = () => String(Math.floor(Math.random() * 30));
    const ids = Array.from({ length: 20 }, (_, i) => 1000 + i);
    const replies = await Promise.all(ids.map((id) => w.call(id, { mode: 'log', marker: `m${id}`, ms: rnd(), ms2: rnd() })));
    replies.forEach((r, i) => assert.equal(r.result?.head.value, `m${ids[i]}`));
    for (const id of ids) {
      assert.deepEqual(w.logs(id), { stdout: `out m${id}\nwrite m${id}\n`, stderr: `err m${id}\nbuf m${id}\n` });
    }
    assert.doesNotMatch(w.logs(0).stdout + w.logs(0).stderr, /m1\d\d\d/);
    assert.equal(w.stderrText, '', 'nothing leaks to the raw fd 2');
  });
});

describe('node worker: concurrency', () => {
  it('answers out of order: a slow request does not hold back fast ones', async () => {
    const w = await shapes();
    const order: number[] = [];
    const track = (id: number, ms: string) => w.call(id, { mode: 'slow', ms }).then((r) => (order.push(id), r));
    const [slow, fast1, fast2] = await Promise.all([track(1, '150'), track(2, '5'), track(3, '30')]);
    assert.deepEqual(order, [2, 3, 1]);
    assert.deepEqual(slow.result?.head.value, { ms: 150 });
    assert.deepEqual(fast1.result?.head.value, { ms: 5 });
    assert.deepEqual(fast2.result?.head.value, { ms: 30 });
  });
});

describe('node worker: env', () => {
  it('LOAD env reaches event.env and process.env; platform FN_* variables are scrubbed', async () => {
    const w = await shapes({ FN_ADMIN_TOKEN: 'secret', FASTFN_BOOT: '1', OLD_KEY: 'base' }, { GREETING: 'hi' });
    const v = (await w.call(1, { mode: 'env' })).result?.head.value;
    assert.deepEqual(v, { event: { GREETING: 'hi' }, proc: 'hi', old: 'base', fn: [] });
  });

  it('ENV replaces the function keys: old ones removed, new ones set, for later events', async () => {
    const w = await shapes({}, { GREETING: 'hi', OLD_KEY: 'fn-old' });
    w.sendJson(FrameType.ENV, 0, { env: { GREETING: 'bonjour' } });
    const v = (await w.call(2, { mode: 'env' })).result?.head.value;
    assert.deepEqual(v, { event: { GREETING: 'bonjour' }, proc: 'bonjour', old: null, fn: [] });
  });

  it('a handler mutating event.env does not leak into the next event', async () => {
    const w = await shapes({}, { GREETING: 'hi' });
    await w.call(1, { mode: 'mutate-env' });
    assert.deepEqual((await w.call(2, { mode: 'env' })).result?.head.value.event, { GREETING: 'hi' });
  });
});

describe('node worker: lifecycle', () => {
  it('PING → PONG with the same id', async () => {
    const w = await shapes();
    w.send(FrameType.PING, 77);
    const pong = await w.waitFor((f) => f.type === FrameType.PONG);
    assert.equal(pong.id, 77);
    assert.equal(pong.payload.length, 0);
  });

  it('process.exit(3) in a handler really exits with code 3', async () => {
    const w = await shapes();
    w.call(1, { mode: 'exit' }).catch(() => {});
    assert.deepEqual(await w.exited, { code: 3, signal: null });
  });

  it('channel end → exit 0', async () => {
    const w = await shapes();
    w.close();
    assert.deepEqual(await w.exited, { code: 0, signal: null });
  });

  it('an unknown frame type → exit 70', async () => {
    const w = await shapes();
    w.writeRaw(Buffer.from([0, 0, 0, 0, 0x7f, 0, 0, 0, 1]));
    assert.equal((await w.exited).code, 70);
    assert.match(w.stderrText, /protocol violation: unknown frame type 0x7f/);
  });

  it('a frame only the worker sends (RESULT) and a second LOAD are violations too', async () => {
    const a = await shapes();
    a.send(FrameType.RESULT, 1, Buffer.alloc(4));
    assert.equal((await a.exited).code, 70);
    const b = await shapes();
    b.sendJson(FrameType.LOAD, 0, { entry: '/x.js' });
    assert.equal((await b.exited).code, 70);
  });

  it('uncaught exceptions and unhandled rejections are logged and the worker keeps serving', async () => {
    const w = await shapes();
    assert.equal((await w.call(1, { mode: 'uncaught' })).result?.head.value, 'fine');
    assert.equal((await w.call(2, { mode: 'unhandled' })).result?.head.value, 'fine');
    await new Promise((r) => setTimeout(r, 50));
    const stderr = [0, 1, 2].map((id) => w.logs(id).stderr).join('');
    assert.match(stderr, /late uncaught/);
    assert.match(stderr, /nobody awaits me/);
    w.send(FrameType.PING, 5);
    assert.equal((await w.waitFor((f) => f.type === FrameType.PONG)).id, 5);
    assert.equal(w.child.exitCode, null);
  });
});

describe('node worker: round-trip rate', () => {
  it('5000 sequential REQUEST/RESULT round trips', async (t) => {
    const { w, loaded } = await WorkerClient.start({ entry: 'hello.js' });
    started.push(w);
    assert.deepEqual(loaded, { ok: true });
    for (let i = 1; i <= 200; i++) await w.request(i); // warm-up
    const n = 5000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const r = await w.request(10_000 + i);
      if (r.result?.head.kind !== 'value') assert.fail(JSON.stringify(r.result?.head));
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    t.diagnostic(`sequential: ${Math.round(n / secs)} req/s (${((secs / n) * 1e6).toFixed(1)} µs per round trip)`);
    w.frames.length = 0;
    assert.ok(n / secs > 500, 'far below the expected rate');
  });
});
