#!/usr/bin/env node
// fastfn benchmark (issue #2): gateway throughput and latency against a bare node:http baseline measured in the same
// run, plus save-to-served, first-request and idle RSS figures. Ratios, not absolutes: this machine is shared.
// The bench tree raises max_concurrency to 64 (bench/functions/fn.config.json): the default 20 would answer 12 of
// the 32 connections with 429 worker pool overflow, which is correct behaviour but not a throughput figure.
// Usage: node bench/run.mjs [--duration 10] [--connections 32] [--rounds 3]   (after the build: ./fastfn --version builds it)
import { spawn, execSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, rmSync, cpSync, openSync, closeSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import autocannon from 'autocannon';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const DURATION = arg('duration', 10);
const CONNECTIONS = arg('connections', 32);
// The machine is shared and its speed drifts within minutes, so the three servers are measured in turn, round after
// round, and each ratio is taken within a round; the report gives the median round.
const ROUNDS = arg('rounds', 3);
const WARMUP = 3;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });

/**
 * Starts a server with its output going to a file, not to this process: the gateway logs every request, and reading
 * those megabytes here would steal time from the load generator running in this same process (and penalise fastfn
 * against the bare server, which logs nothing).
 */
function startProc(cmd, args, waitText, env = {}) {
  const outFile = join(mkdtempSync(join(tmpdir(), 'fastfn-bench-out-')), 'out.log');
  const fd = openSync(outFile, 'a');
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.outFile = outFile;
  return new Promise((resolve, reject) => {
    const read = () => readFileSync(outFile, 'utf8');
    const deadline = Date.now() + 30_000;
    const onExit = (c) => {
      clearInterval(poll);
      reject(new Error(`exited ${c}: ${read()}`));
    };
    const poll = setInterval(() => {
      if (read().includes(waitText)) {
        clearInterval(poll);
        child.off('exit', onExit);
        resolve(child);
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        child.kill('SIGKILL');
        reject(new Error(`timeout waiting for ${waitText}: ${read()}`));
      }
    }, 5); // 5 ms: the first-request figure starts at most this late after "Listening"
    child.once('exit', onExit);
  });
}

const stop = (child) =>
  new Promise((r) => {
    const done = () => {
      rmSync(dirname(child.outFile), { recursive: true, force: true });
      r();
    };
    if (child.exitCode !== null) return done();
    child.removeAllListeners('exit');
    child.once('exit', done);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 12_000).unref();
  });

async function load(url) {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const round2 = (x) => Math.round(x * 100) / 100;

/** Ratios within one round: the bare server and fastfn measured minutes, not tens of minutes, apart. */
function ratiosOf(r) {
  return {
    node_rps: round2(r.node.rps / r.bare.rps),
    python_rps: round2(r.python.rps / r.bare.rps),
    node_p99_vs_bare: round2(r.node.p99 / Math.max(1, r.bare.p99)),
    python_p99_vs_bare: round2(r.python.p99 / Math.max(1, r.bare.p99)),
  };
}

async function startFastfn(root, extraEnv = {}) {
  const port = await freePort();
  const logDir = mkdtempSync(join(tmpdir(), 'fastfn-bench-logs-'));
  const child = await startProc(process.execPath, [join(REPO, 'bin/fastfn.js'), 'run', root, '--port', String(port)], 'Listening on', {
    FN_LOG_DIR: logDir,
    FN_LOG_FORMAT: 'json',
    ...extraEnv,
  });
  return { child, port, url: `http://127.0.0.1:${port}`, logDir };
}

async function timeFirstRequest(url) {
  const t0 = performance.now();
  const r = await fetch(url);
  await r.text();
  if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
  return Math.round(performance.now() - t0);
}

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function main() {
  const results = { started_at: new Date().toISOString() };
  // 1. Baseline and gateway throughput, interleaved in one run.
  const barePort = await freePort();
  const bare = await startProc(process.execPath, [join(REPO, 'bench/bare-server.mjs'), String(barePort)], 'listening');
  const work = mkdtempSync(join(tmpdir(), 'fastfn-bench-'));
  cpSync(join(REPO, 'bench/functions'), work, { recursive: true });
  const ff = await startFastfn(work);
  try {
    await fetch(`${ff.url}/hello`).then((r) => r.text());
    await fetch(`${ff.url}/hello-py`).then((r) => r.text());
    results.rounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round = {
        bare: await load(`http://127.0.0.1:${barePort}/`),
        node: await load(`${ff.url}/hello`),
        python: await load(`${ff.url}/hello-py`),
      };
      round.ratios = ratiosOf(round);
      results.rounds.push(round);
      console.log(`round ${i + 1}/${ROUNDS}: bare ${round.bare.rps}, node ${round.node.rps} (${round.ratios.node_rps}x), python ${round.python.rps} (${round.ratios.python_rps}x)`);
    }
  } finally {
    await stop(ff.child);
    await stop(bare);
  }

  // 2. First request after start (cold worker) for Node and Python; median of 5 fresh starts.
  const firsts = { node: [], python: [] };
  for (let i = 0; i < 5; i++) {
    const s = await startFastfn(work, { FN_HOT_RELOAD: '0' });
    try {
      firsts.node.push(await timeFirstRequest(`${s.url}/hello`));
      firsts.python.push(await timeFirstRequest(`${s.url}/hello-py`));
    } finally {
      await stop(s.child);
    }
  }
  results.first_request_ms = { node: median(firsts.node), python: median(firsts.python), samples: firsts };

  // 3. Save-to-served: edit a warm handler, poll until the new body is served; median of 5 edits.
  const s = await startFastfn(work);
  const saves = [];
  try {
    await fetch(`${s.url}/hello`).then((r) => r.text());
    for (let i = 0; i < 5; i++) {
      const marker = `edit-${i}-${Date.now()}`;
      const t0 = performance.now();
      writeFileSync(join(work, 'hello.js'), `exports.handler = async () => ({ message: ${JSON.stringify(marker)} });\n`);
      for (let k = 0; k < 2000; k++) {
        const body = await fetch(`${s.url}/hello`).then((r) => r.text());
        if (body.includes(marker)) break;
        await sleep(2);
      }
      saves.push(Math.round(performance.now() - t0));
      await sleep(300);
    }
  } finally {
    await stop(s.child);
  }
  results.save_to_served_ms = { median: median(saves), samples: saves };

  // 4. Gateway RSS with 100 discovered functions, idle.
  const many = mkdtempSync(join(tmpdir(), 'fastfn-bench-100-'));
  for (let i = 0; i < 100; i++) {
    const d = join(many, `fn${i}`);
    mkdirSync(d);
    writeFileSync(join(d, i % 2 ? 'handler.py' : 'handler.js'), i % 2 ? 'def handler(e):\n    return 1\n' : 'exports.handler = async () => 1;\n');
  }
  const idle = await startFastfn(many);
  try {
    await sleep(3000);
    results.idle_rss_mb_100_functions = rssMb(idle.child.pid);
  } finally {
    await stop(idle.child);
  }
  rmSync(many, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });

  // Medians over rounds: each figure and each within-round ratio separately.
  const med = (f) => median(results.rounds.map(f));
  for (const k of ['bare', 'node', 'python']) {
    results[k] = { rps: med((r) => r[k].rps), p50: med((r) => r[k].p50), p99: med((r) => r[k].p99), total: med((r) => r[k].total) };
  }
  results.ratios = {
    node_rps: med((r) => r.ratios.node_rps),
    python_rps: med((r) => r.ratios.python_rps),
    node_p99_vs_bare: med((r) => r.ratios.node_p99_vs_bare),
    python_p99_vs_bare: med((r) => r.ratios.python_p99_vs_bare),
  };
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: REPO }).toString().trim();
  } catch {
    /* not a checkout */
  }
  results.machine = { cpus: cpus().length, cpu: cpus()[0]?.model, mem_gb: Math.round(totalmem() / 2 ** 30), node: process.version, commit };
  results.settings = { duration_s: DURATION, warmup_s: WARMUP, connections: CONNECTIONS, rounds: ROUNDS, generator: 'autocannon (keep-alive)' };

  const row = (name, r) => `${name.padEnd(14)} ${String(r.rps).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms`;
  console.log('\nfastfn benchmark  ' + JSON.stringify(results.machine) + `  (median of ${ROUNDS} rounds)`);
  console.log(row('bare node:http', results.bare));
  console.log(row('fastfn node', results.node) + `   ratio ${results.ratios.node_rps}x (target >= 0.5)   p99 ${results.ratios.node_p99_vs_bare}x bare (target <= 3)`);
  console.log(row('fastfn python', results.python) + `   ratio ${results.ratios.python_rps}x (target >= 0.25)   p99 ${results.ratios.python_p99_vs_bare}x bare (target <= 3)`);
  console.log(`first request after start: node ${results.first_request_ms.node} ms, python ${results.first_request_ms.python} ms (target <= 150)`);
  console.log(`save-to-served: median ${results.save_to_served_ms.median} ms (target <= 300) samples ${results.save_to_served_ms.samples.join(', ')}`);
  console.log(`gateway RSS, 100 functions idle: ${results.idle_rss_mb_100_functions} MB (target <= 120)`);
  const file = join(REPO, 'bench/results', `${results.started_at.slice(0, 19).replace(/[:T]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`saved ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
