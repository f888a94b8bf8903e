// One worker process told as a lifecycle (STYLE: execa): spawn with a socketpair on fd 3, handshake (HELLO, LOAD,
// LOADED), multiplexed requests, logs, exit. It never decides policy (deadlines, admission): the pool and invoke do.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import {
  FrameDecoder,
  FrameType,
  decodeHeadBody,
  decodeJson,
  encodeFrame,
  encodeHeadJson,
  encodeJsonFrame,
  type Frame,
  type LoadSpec,
  type LoadedMsg,
  type ResultHead,
  type WorkerErrorCode,
} from '../protocol/index.js';

export type WorkerReply =
  | { kind: 'value'; value: unknown; body?: Buffer }
  | { kind: 'bytes'; body: Buffer }
  | { kind: 'stream'; status: unknown; headers: unknown; stream: Readable }
  | { kind: 'error'; code: WorkerErrorCode; message: string }
  /** The gateway gave up on the request (client gone): no result will be waited for. */
  | { kind: 'gone' };

export interface WorkerLaunch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Absent for a spare: the worker parks after HELLO until assign() gives it a function. */
  load?: LoadSpec;
  /** How long the handshake (spawn + HELLO + LOADED) may take. */
  startTimeoutMs: number;
}

export interface WorkerEvents {
  /** Output of the worker: reqId 0 means outside any request. */
  onLog(reqId: number, stream: 'stdout' | 'stderr', data: Buffer): void;
  onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void;
}

/**
 * Receives what the worker sends for one request. An object with methods rather than callbacks or a promise: this
 * runs on every request, and the caller (invoke's Call) owns the one promise and the deadline.
 */
export interface ReplySink {
  /** The buffered result, the head of a stream, or `gone` after cancel(). Called at most once. */
  settle(r: WorkerReply): void;
  /** The worker died (or was already dead) before answering. */
  fail(e: Error): void;
  /** Output the worker attributed to this request. */
  capture(stream: 'stdout' | 'stderr', data: Buffer): void;
}

interface Pending {
  sink: ReplySink;
  stream: PassThrough | undefined;
}

export class WorkerExitError extends Error {
  readonly code = 'WORKER_EXITED';
  constructor(
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    reason?: string,
  ) {
    super(reason ?? `worker exited (code ${exitCode ?? (signal ? `signal ${signal}` : 'unknown')})`);
  }
}

let nextPingId = 1;

export class Worker {
  index: number;
  state: 'starting' | 'parked' | 'ready' | 'draining' | 'dead' = 'starting';
  loadError: { code: WorkerErrorCode; message: string } | null = null;
  /** Requests assigned and not finished (including streams still running). */
  inflight = 0;
  lastUsed = Date.now();
  lastOkAt = 0;
  startedAt = Date.now();
  private child!: ChildProcess;
  private channel!: Socket;
  private readonly decoder = new FrameDecoder();
  private readonly pending = new Map<number, Pending>();
  private readonly pings = new Map<number, () => void>();
  private nextId = 1;
  /** Frames written in one event-loop turn go out in one syscall (see send()). */
  private outbox: Buffer[] = [];
  private flushScheduled = false;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readyWaiters: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private killTimer: NodeJS.Timeout | null = null;
  /** Why the gateway killed this worker, when that reason is worth telling the client (e.g. the memory cap). */
  private exitReason: string | undefined;

  constructor(
    private launch: WorkerLaunch,
    private events: WorkerEvents,
    index: number,
  ) {
    this.index = index;
  }

  /** The command line this worker runs (a spare can serve a function only if it matches). */
  get commandLine(): string {
    return [this.launch.command, ...this.launch.args].join('\0');
  }

  /**
   * Gives a parked spare its function: sends LOAD (the worker moves to the function's directory and env) and
   * resolves on LOADED, like start() does for a worker spawned for the function.
   */
  assign(load: LoadSpec, events: WorkerEvents, index: number): Promise<void> {
    if (this.state !== 'parked') return Promise.reject(new Error('worker is not parked'));
    this.events = events;
    this.index = index;
    this.launch = { ...this.launch, load };
    this.state = 'starting';
    this.startedAt = Date.now();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new Error(`worker did not load within ${this.launch.startTimeoutMs} ms`));
        this.kill('load timeout');
      }, this.launch.startTimeoutMs);
      timer.unref();
      this.readyWaiters = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.send(encodeJsonFrame(FrameType.LOAD, 0, load));
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns and completes the handshake. Resolves when LOADED arrives (even a failed load: see loadError). */
  start(): Promise<void> {
    const { command, args, cwd, env } = this.launch;
    return new Promise<void>((resolve, reject) => {
      this.readyWaiters = { resolve, reject };
      const timer = setTimeout(() => {
        this.fail(new Error(`worker did not become ready within ${this.launch.startTimeoutMs} ms`));
        this.kill('start timeout');
      }, this.launch.startTimeoutMs);
      timer.unref();
      const done = () => clearTimeout(timer);
      this.readyWaiters = {
        resolve: () => (done(), resolve()),
        reject: (e) => (done(), reject(e)),
      };
      try {
        // detached: the worker leads its own process group, so a kill reaches anything it spawned (SPEC §1.2 B3).
        this.child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
      } catch (e) {
        this.fail(e as Error);
        return;
      }
      this.child.on('error', (e) => this.fail(e));
      this.child.on('exit', (code, signal) => this.onExit(code, signal));
      this.child.stdout!.on('data', (d: Buffer) => this.events.onLog(0, 'stdout', d));
      this.child.stderr!.on('data', (d: Buffer) => this.events.onLog(0, 'stderr', d));
      this.channel = this.child.stdio[3] as Socket;
      this.channel.on('data', (d: Buffer) => this.onData(d));
      this.channel.on('error', () => {
        /* the exit handler reports the failure */
      });
    });
  }

  /**
   * Sends a request and returns its id; the sink gets the buffered result or the head of a stream, or fail() if the
   * worker dies first (at once if it is already dead).
   */
  request(headJson: string, body: Buffer | undefined, sink: ReplySink): number {
    const id = this.nextId++;
    if (this.nextId > 0xfffffff0) this.nextId = 1;
    this.inflight++;
    this.lastUsed = Date.now();
    if (this.state === 'dead') {
      sink.fail(new WorkerExitError(this.exitInfo?.code ?? null, this.exitInfo?.signal ?? null, this.exitReason));
      return id;
    }
    this.pending.set(id, { sink, stream: undefined });
    this.send(encodeHeadJson(FrameType.REQUEST, id, headJson, body));
    return id;
  }

  /**
   * Queues a frame; everything queued during this turn of the event loop is written with one syscall at the
   * check phase. Under load many requests arrive per poll, and a write per frame cost more than the rest of the
   * dispatch. Order is preserved, so ENV before REQUEST still holds.
   */
  private send(frame: Buffer): void {
    this.outbox.push(frame);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const out = this.outbox;
      this.outbox = [];
      if (this.state === 'dead' || !out.length) return;
      this.channel.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    });
  }

  /** The request is over for the gateway (answered, timed out or abandoned). */
  release(id: number): void {
    const p = this.pending.get(id);
    if (p) {
      this.pending.delete(id);
      p.stream?.destroy();
    }
    this.inflight = Math.max(0, this.inflight - 1);
    this.lastUsed = Date.now();
  }

  /**
   * The client went away: tell the worker (it drops the result or stops the stream) and stop waiting now. The
   * worker may legitimately never answer a cancelled request, so waiting on would end as a false timeout.
   */
  cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    if (this.state !== 'dead') this.send(encodeFrame(FrameType.CANCEL, id));
    if (!p.stream) p.sink.settle({ kind: 'gone' });
  }

  sendEnv(env: Record<string, string>): void {
    if (this.state !== 'dead') this.send(encodeJsonFrame(FrameType.ENV, 0, { env }));
  }

  /** A framed round trip (SPEC §10.8: readiness is a ping, not just a connect). */
  ping(timeoutMs: number): Promise<boolean> {
    if (this.state === 'dead' || this.state === 'starting') return Promise.resolve(false);
    const id = nextPingId++;
    return new Promise<boolean>((resolve) => {
      const t = setTimeout(() => {
        this.pings.delete(id);
        resolve(false);
      }, timeoutMs);
      t.unref();
      this.pings.set(id, () => {
        clearTimeout(t);
        resolve(true);
      });
      this.send(encodeFrame(FrameType.PING, id));
    });
  }

  /** Graceful stop: close the channel (the worker exits on EOF), then SIGTERM, then SIGKILL. */
  close(graceMs = 2000): void {
    if (this.state === 'dead') return;
    this.state = 'draining';
    this.channel?.end();
    this.armKill(graceMs);
  }

  /** Immediate stop of the whole process group (timeouts, protocol violations). */
  kill(reason: string, tellClient = false): void {
    if (this.state === 'dead' || !this.child?.pid) return;
    if (tellClient) this.exitReason = reason;
    this.state = 'draining';
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  private armKill(graceMs: number): void {
    if (this.killTimer) return;
    this.killTimer = setTimeout(() => {
      if (this.state === 'dead' || !this.child.pid) return;
      try {
        process.kill(-this.child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      setTimeout(() => this.kill('did not exit after SIGTERM'), 1000).unref();
    }, graceMs);
    this.killTimer.unref();
  }

  private fail(e: Error): void {
    const w = this.readyWaiters;
    this.readyWaiters = null;
    w?.reject(e);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.state = 'dead';
    this.exitInfo = { code, signal };
    if (this.killTimer) clearTimeout(this.killTimer);
    const err = new WorkerExitError(code, signal, this.exitReason);
    this.fail(err);
    for (const [, p] of this.pending) {
      if (p.stream) p.stream.destroy(err);
      else p.sink.fail(err);
    }
    this.pending.clear();
    for (const [, done] of this.pings) done();
    this.pings.clear();
    this.events.onExit(this, code, signal);
  }

  private onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch {
      // STYLE rule 7: a protocol violation recycles the worker; nothing is skipped silently.
      this.events.onLog(0, 'stderr', Buffer.from('fastfn: protocol violation from worker; killing it\n'));
      this.kill('protocol violation');
      return;
    }
    for (const f of frames) {
      try {
        this.onFrame(f);
      } catch (e) {
        this.events.onLog(0, 'stderr', Buffer.from(`fastfn: bad frame from worker: ${(e as Error).message}\n`));
        this.kill('protocol violation');
        return;
      }
    }
  }

  private onFrame(f: Frame): void {
    switch (f.type) {
      case FrameType.HELLO:
        if (this.launch.load) this.send(encodeJsonFrame(FrameType.LOAD, 0, this.launch.load));
        else {
          this.state = 'parked';
          const w = this.readyWaiters;
          this.readyWaiters = null;
          w?.resolve();
        }
        return;
      case FrameType.LOADED: {
        const msg = decodeJson(f.payload) as LoadedMsg;
        if (!msg.ok) this.loadError = { code: msg.code, message: msg.message };
        this.state = 'ready';
        const w = this.readyWaiters;
        this.readyWaiters = null;
        w?.resolve();
        return;
      }
      case FrameType.RESULT: {
        const p = this.pending.get(f.id);
        if (!p) return; // abandoned (timed out or cancelled): drop the late answer
        const { head, body } = decodeHeadBody(f.payload);
        const h = head as ResultHead;
        if (h.kind === 'value') p.sink.settle(h.body === 'bytes' ? { kind: 'value', value: h.value, body } : { kind: 'value', value: h.value });
        else if (h.kind === 'bytes') p.sink.settle({ kind: 'bytes', body });
        else if (h.kind === 'error') p.sink.settle({ kind: 'error', code: h.code, message: String(h.message ?? '') });
        else throw new Error('unknown result kind');
        return;
      }
      case FrameType.STREAM_HEAD: {
        const p = this.pending.get(f.id);
        if (!p) return;
        const h = decodeJson(f.payload) as { status?: unknown; headers?: unknown };
        p.stream = new PassThrough();
        p.sink.settle({ kind: 'stream', status: h.status ?? 200, headers: h.headers ?? {}, stream: p.stream });
        return;
      }
      case FrameType.STREAM_CHUNK: {
        const p = this.pending.get(f.id);
        p?.stream?.write(Buffer.from(f.payload));
        return;
      }
      case FrameType.STREAM_END: {
        const p = this.pending.get(f.id);
        if (!p?.stream) return;
        const end = decodeJson(f.payload) as { error?: string };
        if (end.error) p.stream.destroy(new Error(end.error));
        else p.stream.end();
        return;
      }
      case FrameType.LOG: {
        const stream = f.payload[0] === 2 ? 'stderr' : 'stdout';
        const data = f.payload.subarray(1);
        if (f.id) this.pending.get(f.id)?.sink.capture(stream, data);
        this.events.onLog(f.id, stream, data);
        return;
      }
      case FrameType.PONG: {
        const done = this.pings.get(f.id);
        this.pings.delete(f.id);
        done?.();
        return;
      }
      default:
        // Frames only the gateway sends (LOAD, REQUEST, ...) must never come back.
        throw new Error(`unexpected frame type 0x${f.type.toString(16)}`);
    }
  }
}
