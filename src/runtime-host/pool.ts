// The workers of one function key (SPEC §3.11): multiplexing slots (node/python default, round-robin over
// FN_RUNTIME_DAEMONS) or one-request-at-a-time workers (worker_pool). Starts on demand, drains on recycle or timeout,
// marks the function down after 5 failed starts in 30 s. Admission (how many may be in flight) is decided elsewhere.
import { Worker, type WorkerEvents, type WorkerLaunch } from './worker.js';

export interface PoolOptions {
  key: string;
  /** A parked, pre-spawned worker for this command line, if the host has one (first-request latency). */
  takeSpare?: (commandLine: string) => Worker | null;
  /** Builds the launch description (bundling TS, reading env) for a new worker. */
  launch: () => Promise<WorkerLaunch>;
  multiplex: boolean;
  /** Multiplex: number of round-robin workers. Single: the most workers alive at once. */
  maxWorkers: number;
  events: Pick<WorkerEvents, 'onLog'>;
  onWorkerExit?: (w: Worker, code: number | null, signal: NodeJS.Signals | null, expected: boolean) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
}

const DOWN_WINDOW_MS = 30_000;
const DOWN_FAILURES = 5;
/** SPEC §9.5 / SEC-17: a timed-out handler must stop using CPU within 1 s. */
const TIMEOUT_DRAIN_CAP_MS = 900;

export class PoolDownError extends Error {
  readonly code = 'RUNTIME_DOWN';
}

export class FunctionPool {
  private slots: (Slot | undefined)[] = [];
  private readonly draining = new Set<Worker>();
  /** Bumped by every recycle: a start begun in an older generation is discarded. */
  private generation = 0;
  private readonly pendingStart: (Promise<Worker | null> | undefined)[] = [];
  /** Every worker ever taken out of service (kept after exit, so late waiters can tell). */
  private readonly retired = new WeakSet<Worker>();
  private startFailures: number[] = [];
  private rr = 0;
  private nextIndex = 0;
  down = false;
  lastError: string | null = null;
  restarts = 0;

  constructor(private opts: PoolOptions) {}

  get key(): string {
    return this.opts.key;
  }

  /** Live (started) workers, for health and readiness. */
  liveWorkers(): Worker[] {
    return this.slots.filter((s): s is Slot => !!s && s.worker.state === 'ready').map((s) => s.worker);
  }

  /** How many workers are ready (cheap: used on every request for the routing debug header). */
  liveCount(): number {
    let n = 0;
    for (const s of this.slots) if (s && s.worker.state === 'ready') n++;
    return n;
  }

  allWorkers(): Worker[] {
    return [...this.slots.filter((s): s is Slot => !!s).map((s) => s.worker), ...this.draining];
  }

  /**
   * A worker for one request. `cold` is true when this request had to wait for a worker to start (SPEC §3.11).
   * A worker retired while starting (a reload came in) is never handed out: the request moves to its replacement.
   */
  /** The warm path without a promise: a ready worker when one can take the request now, else null. */
  acquireWarm(): Worker | null {
    if (this.down) return null;
    if (this.opts.multiplex) {
      const i = this.rr % this.opts.maxWorkers;
      const slot = this.slots[i];
      if (slot && slot.worker.state === 'ready') {
        this.rr++;
        if (this.rr > 1e9) this.rr = 0;
        return slot.worker;
      }
      return null;
    }
    for (const s of this.slots) if (s && s.worker.state === 'ready' && s.worker.inflight === 0) return s.worker;
    return null;
  }

  async acquire(deadlineMs = Date.now() + 30_000): Promise<{ worker: Worker; cold: boolean }> {
    do {
      if (this.down) throw new PoolDownError('runtime down');
      const got = await this.tryAcquire();
      if (got) return got;
    } while (Date.now() < deadlineMs);
    throw new Error('worker was replaced by reloads until the deadline');
  }

  private async tryAcquire(): Promise<{ worker: Worker; cold: boolean } | null> {
    if (this.opts.multiplex) {
      const i = this.rr++ % this.opts.maxWorkers;
      if (this.rr > 1e9) this.rr = 0;
      const slot = this.slots[i];
      if (slot && slot.worker.state === 'ready') return { worker: slot.worker, cold: false };
      if (slot && slot.worker.state === 'starting') return this.awaitStart(slot);
      const pending = this.pendingStart[i];
      const w = await (pending ?? this.startInSlot(i));
      return w ? { worker: w, cold: true } : null;
    }
    let free = -1;
    const n = Math.max(this.slots.length, this.pendingStart.length);
    for (let i = 0; i < n; i++) {
      const s = this.slots[i];
      if (s && s.worker.state === 'ready' && s.worker.inflight === 0) return { worker: s.worker, cold: false };
      if (!s && !this.pendingStart[i] && free < 0) free = i;
    }
    const w = await this.startInSlot(free >= 0 ? free : n);
    return w ? { worker: w, cold: true } : null;
  }

  private async awaitStart(slot: Slot): Promise<{ worker: Worker; cold: boolean } | null> {
    try {
      await slot.ready;
    } catch (e) {
      if (this.retired.has(slot.worker)) return null;
      throw e;
    }
    return this.retired.has(slot.worker) ? null : { worker: slot.worker, cold: true };
  }

  /** Starts a worker in slot `i`; null when it was retired before it became ready (its start failure is not counted). */
  private startInSlot(i: number): Promise<Worker | null> {
    const p = this.spawnInSlot(i);
    this.pendingStart[i] = p;
    const clear = () => {
      if (this.pendingStart[i] === p) this.pendingStart[i] = undefined;
    };
    p.then(clear, clear);
    return p;
  }

  private async spawnInSlot(i: number): Promise<Worker | null> {
    const gen = this.generation;
    const launch = await this.opts.launch();
    // A reload during the launch phase (e.g. while bundling TypeScript): start over rather than spawn stale code.
    if (gen !== this.generation) return null;
    const events = {
      onLog: (id: number, stream: 'stdout' | 'stderr', data: Buffer) => this.opts.events.onLog(id, stream, data),
      onExit: (w: Worker, code: number | null, signal: NodeJS.Signals | null) => this.onExit(w, code, signal),
    };
    const spare = launch.load ? (this.opts.takeSpare?.([launch.command, ...launch.args].join('\0')) ?? null) : null;
    const worker = spare ?? new Worker(launch, events, this.nextIndex);
    const ready = spare ? spare.assign(launch.load!, events, this.nextIndex) : worker.start();
    this.nextIndex++;
    this.slots[i] = { worker, ready };
    try {
      await ready;
    } catch (e) {
      if (this.slots[i]?.worker === worker) this.slots[i] = undefined;
      if (this.retired.has(worker) || gen !== this.generation) return null;
      this.recordStartFailure((e as Error).message);
      throw e;
    }
    // Files changed while it started: it may have loaded the old code, so it never serves.
    if (gen !== this.generation) this.retire(worker);
    return this.retired.has(worker) ? null : worker;
  }

  private recordStartFailure(msg: string): void {
    const now = Date.now();
    this.lastError = msg;
    this.startFailures = this.startFailures.filter((t) => now - t < DOWN_WINDOW_MS);
    this.startFailures.push(now);
    if (this.startFailures.length >= DOWN_FAILURES) this.down = true;
  }

  private onExit(w: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    const wasDraining = this.draining.delete(w);
    const i = this.slots.findIndex((s) => s?.worker === w);
    if (i >= 0) this.slots[i] = undefined;
    if (!wasDraining) this.restarts++;
    this.opts.onWorkerExit?.(w, code, signal, wasDraining);
  }

  /** The request on `w` is over; a draining worker with nothing left in flight is closed. */
  release(w: Worker, id: number): void {
    w.release(id);
    if (this.draining.has(w) && w.inflight === 0) w.close();
  }

  /** Take a worker out of service: new requests go elsewhere; it exits when its in-flight requests end. */
  retire(w: Worker, opts: { killAfterMs?: number } = {}): void {
    this.retired.add(w);
    const i = this.slots.findIndex((s) => s?.worker === w);
    if (i >= 0) this.slots[i] = undefined;
    if (w.state === 'dead') return;
    this.draining.add(w);
    if (w.inflight === 0) {
      w.close();
      return;
    }
    if (opts.killAfterMs !== undefined) setTimeout(() => w.kill('drain deadline'), opts.killAfterMs).unref();
  }

  /** SPEC §9.5: a single-request worker is killed at once; a multiplexing one is drained and replaced. */
  onTimeout(w: Worker): void {
    if (!this.opts.multiplex || w.inflight <= 1) {
      this.retire(w);
      w.kill('timeout');
      return;
    }
    this.retire(w, { killAfterMs: TIMEOUT_DRAIN_CAP_MS });
  }

  /** Starts workers until `n` are live or starting (SPEC §3.11 `min_warm`). Failures are only recorded. */
  prewarm(n: number): void {
    if (this.down) return;
    const have = () => this.slots.filter((s) => s && s.worker.state !== 'dead').length + this.pendingStart.filter(Boolean).length;
    for (let i = 0; have() < n && i < n * 2; i++) {
      const free = Math.max(this.slots.length, this.pendingStart.length);
      let idx = -1;
      for (let j = 0; j < free; j++) if (!this.slots[j] && !this.pendingStart[j]) idx = idx < 0 ? j : idx;
      this.startInSlot(idx >= 0 ? idx : free).catch(() => null);
    }
  }

  /** Files changed: every worker is replaced; in-flight requests finish on the old ones. */
  recycle(): void {
    const wasLive = this.liveWorkers().length > 0;
    this.generation++;
    for (const s of [...this.slots]) if (s) this.retire(s.worker);
    this.down = false;
    this.startFailures = [];
    this.lastError = null;
    // A function that was serving gets its replacement started now, so the next request does not pay the whole
    // cold start (SPEC §14: a saved handler is served within 300 ms). A failure here is only recorded.
    if (wasLive) this.startInSlot(0).catch(() => null);
  }

  updateOptions(opts: Partial<Pick<PoolOptions, 'launch' | 'multiplex' | 'maxWorkers'>>): void {
    this.opts = { ...this.opts, ...opts };
  }

  sendEnv(env: Record<string, string>): void {
    for (const s of this.slots) if (s && s.worker.state !== 'dead') s.worker.sendEnv(env);
  }

  /** Stops idle workers (SPEC §3.11 idle reaping), keeping `keep` alive. */
  reapIdle(idleMs: number, keep: number): void {
    const now = Date.now();
    let alive = this.liveWorkers().length;
    for (const s of [...this.slots]) {
      if (!s || alive <= keep) break;
      if (s.worker.state === 'ready' && s.worker.inflight === 0 && now - s.worker.lastUsed >= idleMs) {
        this.retire(s.worker);
        alive--;
      }
    }
  }

  /** The function is gone from the route table: its workers finish what they are doing, then exit. */
  retireAll(): void {
    this.generation++;
    for (const s of [...this.slots]) if (s) this.retire(s.worker);
  }

  shutdown(graceMs: number): void {
    for (const w of this.allWorkers()) {
      const i = this.slots.findIndex((s) => s?.worker === w);
      if (i >= 0) this.slots[i] = undefined;
      this.draining.add(w);
      w.close(graceMs);
    }
  }
}
