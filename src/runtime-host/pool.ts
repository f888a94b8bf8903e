// The workers of one function key (SPEC §3.11): multiplexing slots (node/python default, round-robin over
// FN_RUNTIME_DAEMONS) or one-request-at-a-time workers (worker_pool). Starts on demand, drains on recycle or timeout,
// marks the function down after 5 failed starts in 30 s. Admission (how many may be in flight) is decided elsewhere.
import { Worker, type WorkerEvents, type WorkerLaunch } from './worker.js';

export interface PoolOptions {
  key: string;
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

  allWorkers(): Worker[] {
    return [...this.slots.filter((s): s is Slot => !!s).map((s) => s.worker), ...this.draining];
  }

  /** A worker for one request. `cold` is true when this request had to wait for a worker to start (SPEC §3.11). */
  async acquire(): Promise<{ worker: Worker; cold: boolean }> {
    if (this.down) throw new PoolDownError('runtime down');
    if (this.opts.multiplex) {
      const i = this.rr++ % this.opts.maxWorkers;
      if (this.rr > 1e9) this.rr = 0;
      const slot = this.slots[i];
      if (slot && slot.worker.state === 'ready') return { worker: slot.worker, cold: false };
      if (slot && slot.worker.state === 'starting') {
        await slot.ready;
        return { worker: slot.worker, cold: true };
      }
      return { worker: await this.startInSlot(i), cold: true };
    }
    let free = -1;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (s && s.worker.state === 'ready' && s.worker.inflight === 0) return { worker: s.worker, cold: false };
      if (!s && free < 0) free = i;
    }
    const idx = free >= 0 ? free : this.slots.length;
    return { worker: await this.startInSlot(idx), cold: true };
  }

  private async startInSlot(i: number): Promise<Worker> {
    const launch = await this.opts.launch();
    const worker = new Worker(
      launch,
      {
        onLog: (id, stream, data) => this.opts.events.onLog(id, stream, data),
        onExit: (w, code, signal) => this.onExit(w, code, signal),
      },
      this.nextIndex++,
    );
    const ready = worker.start();
    this.slots[i] = { worker, ready };
    try {
      await ready;
    } catch (e) {
      if (this.slots[i]?.worker === worker) this.slots[i] = undefined;
      this.recordStartFailure((e as Error).message);
      throw e;
    }
    return worker;
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

  /** Files changed: every worker is replaced; in-flight requests finish on the old ones. */
  recycle(): void {
    for (const s of [...this.slots]) if (s) this.retire(s.worker);
    this.down = false;
    this.startFailures = [];
    this.lastError = null;
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

  shutdown(graceMs: number): void {
    for (const w of this.allWorkers()) {
      const i = this.slots.findIndex((s) => s?.worker === w);
      if (i >= 0) this.slots[i] = undefined;
      this.draining.add(w);
      w.close(graceMs);
    }
  }
}
