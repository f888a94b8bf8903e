// Test client for the real Node worker process: spawns it with a socketpair on fd 3 and speaks docs/protocol.md.
// The worker is compiled from src/ with a one-off esbuild transform (per-file ESM, like tsc) into a temp dir, so the
// tests do not depend on a full `tsc -p tsconfig.build.json` of other people's folders; set FASTFN_NODE_WORKER to a
// built main.js (e.g. dist/worker-node/main.js) to test that instead. tsx is never loaded into the worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import {
  FrameDecoder,
  FrameType,
  decodeHeadBody,
  encodeFrame,
  encodeHeadBody,
  encodeJsonFrame,
  type Frame,
  type FrameTypeCode,
} from '../../../src/protocol/index.js';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const fixtures = join(repoRoot, 'test/fixtures/worker-node');

let workerScript: string | undefined;

/** The worker entry to run: FASTFN_NODE_WORKER, or src/worker-node compiled once per test process. */
export function workerMain(): string {
  if (process.env.FASTFN_NODE_WORKER) return resolve(process.env.FASTFN_NODE_WORKER);
  if (workerScript) return workerScript;
  const out = mkdtempSync(join(tmpdir(), 'fastfn-worker-node-'));
  process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  const files = (dir: string): string[] =>
    readdirSync(join(repoRoot, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(repoRoot, dir, f));
  buildSync({
    entryPoints: [...files('src/worker-node'), ...files('src/protocol')],
    outdir: out,
    outbase: join(repoRoot, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'error',
  });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  workerScript = join(out, 'worker-node', 'main.js');
  return workerScript;
}

export interface LoadSpecInput {
  entry: string;
  handler?: string;
  adapter?: string;
  env?: Record<string, string>;
  dir?: string;
}

export interface Reply {
  result?: { head: Record<string, any>; body: Buffer };
  streamHead?: { status: unknown; headers: Record<string, unknown> };
  chunks: Buffer[];
  end?: { error?: string };
}

export class WorkerClient {
  /** Every frame received, in order (for log assertions). */
  readonly frames: Frame[] = [];
  /** Frames no waitFor() has taken yet. */
  private readonly backlog: Frame[] = [];
  readonly child: ChildProcess;
  private readonly channel: Socket;
  private readonly waiters: Array<{ pred: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  private readonly decoder = new FrameDecoder();
  private stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [workerMain()], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    this.channel = this.child.stdio[3] as Socket;
    this.channel.on('data', (d: Buffer) => {
      for (const f of this.decoder.push(d)) this.onFrame(f);
    });
    this.channel.on('error', () => {});
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdout!.resume();
    this.exited = new Promise((res) => this.child.on('exit', (code, signal) => res({ code, signal })));
  }

  /** Spawns, waits for HELLO, sends LOAD and waits for LOADED. */
  static async start(spec: LoadSpecInput, env: Record<string, string> = {}): Promise<{ w: WorkerClient; loaded: any; hello: any }> {
    const w = new WorkerClient(env);
    const hello = JSON.parse((await w.waitFor((f) => f.type === FrameType.HELLO)).payload.toString());
    const loaded = await w.load(spec);
    return { w, loaded, hello };
  }

  get stderrText(): string {
    return this.stderr;
  }

  async load(spec: LoadSpecInput): Promise<any> {
    const entry = resolve(fixtures, spec.entry);
    const dir = spec.dir ?? dirname(entry);
    this.sendJson(FrameType.LOAD, 0, {
      key: `node/${spec.entry}@default`, runtime: 'node', name: spec.entry, version: 'default', root: fixtures, dir, entry,
      file: spec.entry, handler: spec.handler ?? 'handler', adapter: spec.adapter ?? 'native', env: spec.env ?? {},
    });
    return JSON.parse((await this.waitFor((f) => f.type === FrameType.LOADED)).payload.toString());
  }

  send(type: FrameTypeCode, id: number, payload?: Buffer): void {
    this.channel.write(encodeFrame(type, id, payload));
  }

  sendJson(type: FrameTypeCode, id: number, value: unknown): void {
    this.channel.write(encodeJsonFrame(type, id, value));
  }

  writeRaw(bytes: Buffer): void {
    this.channel.write(bytes);
  }

  /** Sends a REQUEST and resolves with everything answered for it (RESULT, or STREAM_HEAD … STREAM_END). */
  request(id: number, head: Record<string, unknown> = {}, body?: Buffer): Promise<Reply> {
    const done = this.collect(id);
    this.channel.write(encodeHeadBody(FrameType.REQUEST, id, baseEvent(id, head), body));
    return done;
  }

  /** Shorthand: a request whose handler mode is picked by the query (fixtures/worker-node/shapes). */
  call(id: number, query: Record<string, string>, extra: Record<string, unknown> = {}, body?: Buffer): Promise<Reply> {
    return this.request(id, { query, ...extra }, body);
  }

  async collect(id: number): Promise<Reply> {
    const reply: Reply = { chunks: [] };
    for (;;) {
      const f = await this.waitFor((x) => x.id === id && x.type !== FrameType.LOG && x.type !== FrameType.PONG);
      if (f.type === FrameType.RESULT) {
        const { head, body } = decodeHeadBody(f.payload);
        reply.result = { head: head as Record<string, any>, body: Buffer.from(body) };
        return reply;
      }
      if (f.type === FrameType.STREAM_HEAD) reply.streamHead = JSON.parse(f.payload.toString());
      else if (f.type === FrameType.STREAM_CHUNK) reply.chunks.push(Buffer.from(f.payload));
      else if (f.type === FrameType.STREAM_END) {
        reply.end = JSON.parse(f.payload.toString());
        return reply;
      }
    }
  }

  /** Every LOG frame so far for `id`, by stream, as text. */
  logs(id: number): { stdout: string; stderr: string } {
    let stdout = '';
    let stderr = '';
    for (const f of this.frames) {
      if (f.type !== FrameType.LOG || f.id !== id) continue;
      const text = f.payload.subarray(1).toString();
      if (f.payload[0] === 1) stdout += text;
      else stderr += text;
    }
    return { stdout, stderr };
  }

  /** Resolves with the first frame (already received or future) that matches and was not taken before. */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const idx = this.backlog.findIndex(pred);
    if (idx !== -1) return Promise.resolve(this.backlog.splice(idx, 1)[0]!);
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`timed out waiting for a frame; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (f) => (clearTimeout(t), res(f)) });
    });
  }

  close(): void {
    this.channel.end();
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private onFrame(f: Frame): void {
    this.frames.push(f);
    const i = this.waiters.findIndex((w) => w.pred(f));
    if (i === -1) {
      this.backlog.push(f);
      return;
    }
    const [w] = this.waiters.splice(i, 1);
    w!.resolve(f);
  }
}

export function baseEvent(id: number, over: Record<string, unknown>): Record<string, unknown> {
  return {
    id: `req-${id}`, ts: Date.now(), method: 'GET', path: '/t', raw_path: '/t', query: {}, params: {}, path_params: {},
    headers: {}, client: { ip: '127.0.0.1' }, context: { request_id: `req-${id}` }, version: 'default', ...over,
  };
}
