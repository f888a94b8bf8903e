// SPEC §9.4: slots, strict FIFO queue, overflow, queue timeout, abort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission } from '../../src/admission/index.js';

test('slots then overflow when the queue is 0', () => {
  const a = new Admission();
  assert.deepEqual(a.admit({ slots: 2, maxQueue: 0, queueTimeoutMs: 1000 }), { ok: true, queued: false });
  assert.deepEqual(a.admit({ slots: 2, maxQueue: 0, queueTimeoutMs: 1000 }), { ok: true, queued: false });
  assert.deepEqual(a.admit({ slots: 2, maxQueue: 0, queueTimeoutMs: 1000 }), { ok: false, reason: 'overflow' });
  assert.equal(a.drops.overflow, 1);
});

test('0 slots means unlimited', () => {
  const a = new Admission();
  for (let i = 0; i < 100; i++) assert.equal((a.admit({ slots: 0, maxQueue: 0, queueTimeoutMs: 1 }) as { ok: boolean }).ok, true);
});

test('waiters are admitted in strict FIFO order and marked queued', async () => {
  const a = new Admission();
  const lim = { slots: 1, maxQueue: 10, queueTimeoutMs: 5000 };
  a.admit(lim);
  const order: number[] = [];
  const ps = [0, 1, 2, 3].map((i) => Promise.resolve(a.admit(lim)).then((o) => (order.push(i), o)));
  assert.equal(a.queued, 4);
  for (let i = 0; i < 4; i++) a.release();
  const outs = await Promise.all(ps);
  assert.deepEqual(order, [0, 1, 2, 3]);
  assert.ok(outs.every((o) => o.ok && o.queued));
  a.release();
  assert.equal(a.active, 0);
});

test('a newcomer cannot jump the queue when a slot frees', async () => {
  const a = new Admission();
  const lim = { slots: 1, maxQueue: 10, queueTimeoutMs: 5000 };
  a.admit(lim);
  const waiter = Promise.resolve(a.admit(lim));
  a.release();
  const late = a.admit(lim);
  assert.ok(late instanceof Promise, 'the slot went to the waiter, the newcomer waits');
  assert.deepEqual(await waiter, { ok: true, queued: true });
  a.release();
  assert.deepEqual(await late, { ok: true, queued: true });
});

test('queue timeout and abort leave the queue', async () => {
  const a = new Admission();
  const lim = { slots: 1, maxQueue: 5, queueTimeoutMs: 30 };
  a.admit(lim);
  assert.deepEqual(await a.admit(lim), { ok: false, reason: 'queue_timeout' });
  assert.equal(a.drops.timeout, 1);
  let gone: (() => void) | null = null;
  let unsubscribed = false;
  const p = a.admit({ ...lim, queueTimeoutMs: 5000 }, (cb) => {
    gone = cb;
    return () => (unsubscribed = true);
  });
  (gone as unknown as () => void)();
  assert.deepEqual(await p, { ok: false, reason: 'aborted' });
  assert.equal(a.queued, 0);
  assert.ok(unsubscribed, 'the client-gone subscription is released');
});
