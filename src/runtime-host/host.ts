// Owns every function's worker pool: builds launches (runtime command, scrubbed env, TS bundle), follows catalog
// swaps (recycle changed functions, retire removed ones), pushes env changes, reaps idle workers, shuts down.
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Catalog, FunctionSpec, Runtime } from '../discovery/types.js';
import type { Settings } from '../config/index.js';
import { readFnEnv, type FnEnv } from '../config/fn-env.js';
import type { Logger } from '../observability/logger.js';
import { FnError } from '../errors/catalog.js';
import { bundleTypeScript } from '../build/index.js';
import { FunctionPool } from './pool.js';
import { packageRoot, type Toolchain } from './toolchain.js';
import { baseWorkerEnv, workerEnv } from './worker-env.js';
import { withParentDeath } from './parent-death.js';
import { Worker, type WorkerLaunch } from './worker.js';

const MULTIPLEX: ReadonlySet<Runtime> = new Set(['node', 'python']);
const SINGLE_CAP = 64;

export class RuntimeHost {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly envCache = new Map<string, FnEnv>();
  private specs = new Map<string, FunctionSpec>();
  private readonly baseEnv: Record<string, string>;
  private readonly pkgRoot = packageRoot();
  private readonly partial = new Map<string, string>();
  private reaper: NodeJS.Timeout;
  /** One parked, pre-spawned worker per runtime in use: a first request or a reload skips interpreter start-up. */
  private readonly spares = new Map<Runtime, Worker | 'starting'>();
  private spareFailures = 0;
  private closed = false;
  private reapTicks = 0;

  constructor(
    private readonly settings: Settings,
    readonly toolchains: Map<Runtime, Toolchain>,
    private readonly logger: Logger,
    /** The function's static event context, sent once in LOAD (given by the composition root: invoke owns events). */
    private readonly staticContext: (spec: FunctionSpec) => Record<string, unknown> = () => ({}),
  ) {
    this.baseEnv = baseWorkerEnv(settings.hostEnv);
    this.reaper = setInterval(() => this.reap(), 250);
    this.reaper.unref();
  }

  /** Follows a new route table: removed functions are retired, changed definitions recycled. */
  setCatalog(catalog: Catalog): void {
    const old = this.specs;
    this.specs = catalog.functions;
    const used = new Set([...catalog.functions.values()].map((f) => f.runtime));
    for (const rt of used) this.ensureSpare(rt);
    // SPEC §3.11: `worker_pool.min_warm` workers are started ahead of traffic (and kept by the idle reaper).
    setImmediate(() => {
      for (const spec of catalog.functions.values()) {
        const n = spec.policy.worker_pool?.min_warm ?? 0;
        if (n > 0 && this.toolchains.get(spec.runtime)?.available && !this.closed) this.pool(spec).prewarm(n);
      }
    });
    for (const [key, pool] of this.pools) {
      const next = catalog.functions.get(key);
      const prev = old.get(key);
      if (!next) {
        pool.retireAll();
        this.pools.delete(key);
        this.envCache.delete(key);
        continue;
      }
      if (prev && this.definitionChanged(prev, next)) {
        this.envCache.delete(key);
        pool.updateOptions(this.poolShape(next));
        pool.recycle();
      }
    }
  }

  private definitionChanged(a: FunctionSpec, b: FunctionSpec): boolean {
    return (
      a.entry !== b.entry ||
      a.runtime !== b.runtime ||
      a.policy.handler !== b.policy.handler ||
      a.policy.adapter !== b.policy.adapter ||
      JSON.stringify(a.policy.worker_pool) !== JSON.stringify(b.policy.worker_pool) ||
      a.env_files.join() !== b.env_files.join() ||
      // The static event context travels in LOAD: a policy change that alters it needs fresh workers.
      JSON.stringify(this.staticContext(a)) !== JSON.stringify(this.staticContext(b))
    );
  }

  spec(key: string): FunctionSpec | undefined {
    return this.specs.get(key);
  }

  pool(spec: FunctionSpec): FunctionPool {
    let p = this.pools.get(spec.key);
    if (!p) {
      p = new FunctionPool({
        key: spec.key,
        launch: () => this.launch(spec.key),
        ...this.poolShape(spec),
        events: { onLog: (id, stream, data) => id === 0 && this.logOutside(spec, stream, data) },
        takeSpare: (cmd) => this.takeSpare(spec.runtime, cmd),
        onWorkerExit: (w, code, signal, expected) => {
          if (!expected) this.logger.warn(`worker for ${spec.key} exited`, { code, signal, pid: w.pid });
        },
      });
      this.pools.set(spec.key, p);
    }
    return p;
  }

  existingPool(key: string): FunctionPool | undefined {
    return this.pools.get(key);
  }

  allPools(): FunctionPool[] {
    return [...this.pools.values()];
  }

  private poolShape(spec: FunctionSpec): { multiplex: boolean; maxWorkers: number } {
    const wp = spec.policy.worker_pool;
    if (MULTIPLEX.has(spec.runtime) && !wp) {
      return { multiplex: true, maxWorkers: Math.max(1, this.settings.runtimeDaemons[spec.runtime] ?? 1) };
    }
    const limit = wp ? wp.max_workers : spec.policy.max_concurrency || SINGLE_CAP;
    return { multiplex: false, maxWorkers: Math.min(SINGLE_CAP, Math.max(1, limit)) };
  }

  env(spec: FunctionSpec): FnEnv {
    let e = this.envCache.get(spec.key);
    if (!e) {
      e = readFnEnv(this.settings.root, spec.env_files, this.settings.hostEnv);
      for (const w of e.warnings) this.logger.warn(w);
      this.envCache.set(spec.key, e);
    }
    return e;
  }

  /** An env file changed: re-read it for every function that uses it and push it to live workers. */
  envFileChanged(relFile: string): void {
    for (const spec of this.specs.values()) {
      if (!spec.env_files.includes(relFile)) continue;
      this.envCache.delete(spec.key);
      const pool = this.pools.get(spec.key);
      if (pool) pool.sendEnv(this.env(spec).values);
    }
  }

  /** A source file changed: recycle every live function whose directory contains it or sits below its folder. */
  sourceChanged(relFile: string): void {
    const fileDir = relFile.includes('/') ? relFile.slice(0, relFile.lastIndexOf('/')) : '.';
    for (const [key, pool] of this.pools) {
      const spec = this.specs.get(key);
      if (!spec) continue;
      if (isWithin(spec.dir, fileDir) || isWithin(fileDir, spec.dir)) pool.recycle();
    }
  }

  /** `/_fn/reload`: every pool is recycled and down states cleared. */
  recycleAll(): void {
    this.envCache.clear();
    for (const p of this.pools.values()) p.recycle();
  }

  private async launch(key: string): Promise<WorkerLaunch> {
    const spec = this.specs.get(key);
    if (!spec) throw new FnError('ROUTE_NOT_FOUND');
    const tc = this.toolchains.get(spec.runtime);
    if (!tc?.available || !tc.binary) {
      throw new FnError('RUNTIME_UNAVAILABLE', { runtime: spec.runtime, message: tc?.reason ?? 'not enabled' });
    }
    const root = this.settings.root;
    let entry = join(root, spec.entry);
    if (spec.runtime === 'node' && entry.endsWith('.ts')) {
      try {
        entry = (await bundleTypeScript(root, entry)).outFile;
      } catch (e) {
        throw new FnError('HANDLER_LOAD_FAILED', { file: spec.entry, message: (e as Error).message });
      }
    }
    const fnEnv = this.env(spec).values;
    const dir = join(root, spec.dir);
    const { command, args } = this.commandFor(spec.runtime, tc.binary);
    return {
      command,
      args,
      cwd: dir,
      env: workerEnv(this.baseEnv, fnEnv),
      startTimeoutMs: 30_000,
      load: {
        key: spec.key,
        runtime: spec.runtime,
        name: spec.name,
        version: spec.version,
        root,
        dir,
        entry,
        file: spec.entry,
        handler: spec.policy.handler,
        adapter: spec.policy.adapter,
        env: fnEnv,
        context: this.staticContext(spec),
      },
    };
  }

  private ensureSpare(rt: Runtime): void {
    if (this.closed || this.spares.has(rt) || this.spareFailures >= 5) return;
    const tc = this.toolchains.get(rt);
    if (!tc?.available || !tc.binary || !MULTIPLEX.has(rt)) return;
    const { command, args } = this.commandFor(rt, tc.binary);
    const w = new Worker(
      { command, args, cwd: this.settings.root, env: { ...this.baseEnv }, startTimeoutMs: 30_000 },
      {
        onLog: () => {},
        onExit: (dead) => {
          // A spare that dies while parked is replaced later; it never served anything.
          if (this.spares.get(rt) === dead) this.spares.delete(rt);
        },
      },
      -1,
    );
    this.spares.set(rt, 'starting');
    w.start().then(
      () => {
        if (this.closed) w.close(0);
        else this.spares.set(rt, w);
      },
      () => {
        this.spareFailures++;
        this.spares.delete(rt);
      },
    );
  }

  /** Resolves when every runtime in use has a parked spare, or after `maxMs` (start-up waits on this). */
  async sparesParked(maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    while (Date.now() < end) {
      const pending = [...this.spares.values()].some((w) => w === 'starting');
      if (!pending) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** A parked spare is waiting for this runtime (reported by /_fn/health). */
  spareReady(rt: Runtime): boolean {
    const w = this.spares.get(rt);
    return !!w && w !== 'starting' && w.state === 'parked';
  }

  private takeSpare(rt: Runtime, commandLine: string): Worker | null {
    const w = this.spares.get(rt);
    if (!w || w === 'starting' || w.state !== 'parked' || w.commandLine !== commandLine) return null;
    this.spares.delete(rt);
    // Replace it once the request that took it has had the CPU.
    setTimeout(() => this.ensureSpare(rt), 200).unref();
    return w;
  }

  /** The one place a worker's command line is decided (function workers, spares and readiness probes). */
  commandFor(rt: Runtime, binary: string): { command: string; args: string[] } {
    if (rt === 'node') {
      // V8 fails fast at the cap instead of growing until the RSS watchdog fires.
      const heap = `--max-old-space-size=${this.settings.workerMaxRssMb}`;
      return withParentDeath({ command: binary, args: [heap, join(this.pkgRoot, 'dist', 'worker-node', 'main.js')] });
    }
    if (rt === 'python') {
      return withParentDeath({ command: binary, args: ['-u', '-B', join(this.pkgRoot, 'runtimes', 'python', 'fastfn_worker.py')] });
    }
    throw new FnError('RUNTIME_UNAVAILABLE', { runtime: rt, message: `${rt} worker support is not built yet` });
  }

  private logOutside(spec: FunctionSpec, stream: 'stdout' | 'stderr', data: Buffer): void {
    const k = `${spec.key}\0${stream}`;
    const text = (this.partial.get(k) ?? '') + data.toString('utf8');
    const lines = text.split('\n');
    const rest = lines.pop() ?? '';
    if (rest.length > 65536) {
      lines.push(rest);
      this.partial.delete(k);
    } else this.partial.set(k, rest);
    for (const line of lines) {
      this.logger.runtime({ runtime: spec.runtime, function: spec.name, version: spec.version, stream, request_id: null, line });
    }
  }

  private reap(): void {
    const capKb = this.settings.workerMaxRssMb * 1024;
    for (const pool of this.pools.values()) {
      for (const w of pool.allWorkers()) {
        const rss = w.pid ? rssKb(w.pid) : 0;
        if (rss > capKb) w.kill(`worker exceeded memory limit (${this.settings.workerMaxRssMb} MB)`, true);
      }
    }
    if (++this.reapTicks % 4 !== 0) return;
    for (const [key, pool] of this.pools) {
      const spec = this.specs.get(key);
      const wp = spec?.policy.worker_pool;
      const ttl = (wp?.idle_ttl_seconds ?? 300) * 1000;
      const keepWarm = spec?.policy.keep_warm && (spec.policy.keep_warm as { enabled?: unknown }).enabled === true;
      pool.reapIdle(ttl, Math.max(wp?.min_warm ?? 0, keepWarm ? 1 : 0));
    }
  }

  shutdown(graceMs: number): void {
    this.closed = true;
    clearInterval(this.reaper);
    for (const w of this.spares.values()) if (w !== 'starting') w.close(0);
    this.spares.clear();
    for (const p of this.pools.values()) p.shutdown(graceMs);
  }
}

/** Resident set size from /proc (Linux); 0 when unknown. */
function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function isWithin(parent: string, child: string): boolean {
  if (parent === '.' || parent === child) return true;
  const rel = relative(parent, child);
  return !!rel && !rel.startsWith('..') && !rel.startsWith(sep);
}

