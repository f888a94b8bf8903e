// Workers never outlive the gateway (issue #2, "no leftover processes"): even a handler stuck in a busy loop, which
// never lets its worker read the channel's end of file, is gone soon after the gateway is SIGKILLed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { makeTree } from '../helpers/tree.js';
import { raw, startServer } from '../helpers/server.js';

const tree = makeTree({
  'fn.config.json': { timeout_ms: 120000 },
  'spin.js': 'exports.handler = async () => { for (;;) {} };',
  'spin-py.py': 'def handler(event):\n    while True:\n        pass\n',
});
after(() => tree.cleanup());

/** pid -> [ppid, state] for every process, from /proc. */
function processes(): Map<number, { ppid: number; state: string; cmd: string }> {
  const out = new Map<number, { ppid: number; state: string; cmd: string }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.set(Number(d), { state: rest[0]!, ppid: Number(rest[1]), cmd });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

const alive = (pid: number): boolean => {
  const p = processes().get(pid);
  return p !== undefined && p.state !== 'Z';
};

test('a worker spinning in a handler dies with a SIGKILLed gateway (node and python)', { skip: process.platform !== 'linux' }, async () => {
  const srv = await startServer(tree.root);
  try {
    // Both requests hang for good; their workers are busy at 100% CPU.
    const pending = [raw(srv.port, 'GET', '/spin').catch(() => null), raw(srv.port, 'GET', '/spin-py').catch(() => null)];
    const gw = srv.child.pid!;
    let workers: number[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const all = processes();
      const busy = [...all].filter(([, p]) => p.ppid === gw && p.state === 'R' && /worker-node|fastfn_worker/.test(p.cmd));
      workers = [...all].filter(([, p]) => p.ppid === gw).map(([pid]) => pid);
      if (busy.length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(workers.length >= 2, `the gateway has its workers (${workers.length})`);
    srv.child.kill('SIGKILL');
    const gone = Date.now() + 15_000;
    while (Date.now() < gone && workers.some(alive)) await new Promise((r) => setTimeout(r, 100));
    const left = workers.filter(alive).map((pid) => `${pid} ${processes().get(pid)?.cmd}`);
    assert.deepEqual(left, [], 'no worker outlives the gateway');
    await Promise.all(pending);
  } finally {
    srv.child.kill('SIGKILL');
  }
});
