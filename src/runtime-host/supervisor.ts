// One supervisor per enabled runtime (SPEC §1.1): keeps a probe worker alive and pings it every FN_HEALTH_INTERVAL
// with a framed round trip, so /_fn/ready and /_fn/health report what really answers.
import { join } from 'node:path';
import type { Runtime } from '../discovery/types.js';
import { FunctionPool } from './pool.js';
import { packageRoot, type Toolchain } from './toolchain.js';
import { baseWorkerEnv } from './worker-env.js';
import type { WorkerLaunch } from './worker.js';

export interface RuntimeHealth {
  up: boolean;
  ts: number;
  reason: string | null;
}

const PROBE_FILE: Partial<Record<Runtime, string>> = { node: 'handler.js', python: 'handler.py' };

export class RuntimeSupervisor {
  health: RuntimeHealth;
  private pool: FunctionPool | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly tc: Toolchain,
    private readonly hostEnv: Readonly<Record<string, string>>,
    private readonly intervalS: number,
    /** RuntimeHost.commandFor: probes run exactly the command function workers run. */
    private readonly commandFor: (rt: Runtime, binary: string) => { command: string; args: string[] },
  ) {
    this.health = { up: false, ts: Date.now() / 1000, reason: tc.available ? 'starting' : tc.reason };
  }

  start(): void {
    const file = PROBE_FILE[this.tc.runtime];
    if (!this.tc.available || !this.tc.binary || !file) return;
    const dir = join(packageRoot(), 'runtimes', 'probe');
    const launch: WorkerLaunch = {
      ...this.commandFor(this.tc.runtime, this.tc.binary),
      cwd: dir,
      env: baseWorkerEnv(this.hostEnv),
      startTimeoutMs: 30_000,
      load: {
        key: `${this.tc.runtime}/__probe__@default`,
        runtime: this.tc.runtime,
        name: '__probe__',
        version: 'default',
        root: dir,
        dir,
        entry: join(dir, file),
        file,
        handler: 'handler',
        adapter: 'native',
        env: {},
      },
    };
    this.pool = new FunctionPool({
      key: `${this.tc.runtime}/__probe__@default`,
      launch: async () => launch,
      multiplex: true,
      maxWorkers: 1,
      events: { onLog: () => {} },
    });
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalS * 1000);
    this.timer.unref();
  }

  /** Resolves once the first ping finished (whatever its outcome). */
  async tick(): Promise<void> {
    if (!this.pool) return;
    try {
      if (this.pool.down) this.pool.recycle();
      const { worker } = await this.pool.acquire();
      const ok = await worker.ping(this.intervalS * 1000);
      this.health = { up: ok, ts: Date.now() / 1000, reason: ok ? null : 'ping timed out' };
    } catch (e) {
      this.health = { up: false, ts: Date.now() / 1000, reason: (e as Error).message };
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.pool?.shutdown(1000);
  }
}
