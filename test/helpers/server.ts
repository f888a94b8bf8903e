// Starts the real `fastfn` CLI (built dist/) as a child process on a free loopback port against a fixture root,
// and speaks HTTP to it. Every test gets its own process, port and temp directory; stop() leaves nothing running.
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = join(REPO, 'bin', 'fastfn.js');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

export interface Running {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/** Environment for the server: the test's own variables plus a clean slate of FN_* settings. */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FN_') && !k.startsWith('NODE_TEST')) env[k] = v;
  return { ...env, FN_LOG_FORMAT: 'text', ...extra };
}

export async function startServer(
  root: string,
  opts: { env?: Record<string, string>; args?: string[]; mode?: 'dev' | 'run'; timeoutMs?: number } = {},
): Promise<Running> {
  let lastErr: Error | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, opts.mode ?? 'dev', root, '--port', String(port), ...(opts.args ?? [])], {
      env: serverEnv(opts.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const listeners = new Set<() => void>();
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const l of listeners) l();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    const waitFor = (text: string | RegExp, timeoutMs = 30_000) =>
      new Promise<void>((res, rej) => {
        const test = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
        if (test()) return res();
        const t = setTimeout(() => {
          listeners.delete(check);
          rej(new Error(`timed out waiting for ${String(text)}; output:\n${out}`));
        }, timeoutMs);
        const check = () => {
          if (test()) {
            clearTimeout(t);
            listeners.delete(check);
            res();
          }
        };
        listeners.add(check);
        void exited.then(() => {
          if (!test()) {
            clearTimeout(t);
            listeners.delete(check);
            rej(new Error(`server exited before ${String(text)}; output:\n${out}`));
          }
        });
      });
    try {
      await waitFor('Listening on', opts.timeoutMs ?? 30_000);
    } catch (e) {
      lastErr = e as Error;
      child.kill('SIGKILL');
      if (out.includes('already in use')) continue;
      throw e;
    }
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      child,
      output: () => out,
      waitFor,
      stop: async () => {
        if (child.exitCode !== null) return child.exitCode;
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        const code = await exited;
        clearTimeout(t);
        return code;
      },
    };
  }
  throw lastErr ?? new Error('could not start server');
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = any>(): T;
}

/** HTTP with the path sent exactly as given (fetch would normalise `..` and `%2F`). */
export function raw(
  port: number,
  method: string,
  path: string,
  opts: { headers?: Record<string, string | string[]>; body?: Buffer | string; chunked?: Buffer[]; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((res, rej) => {
    const headers: Record<string, string | string[]> = { ...(opts.headers ?? {}) };
    // Node sends a GET/DELETE body with no framing unless told its length.
    if (opts.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(Buffer.byteLength(opts.body));
    }
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        const body = Buffer.concat(chunks);
        res({
          status: r.statusCode ?? 0,
          headers: r.headers,
          body,
          text: body.toString('utf8'),
          json: () => JSON.parse(body.toString('utf8')),
        });
      });
      r.on('error', rej);
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', rej);
    if (opts.chunked) {
      for (const c of opts.chunked) req.write(c);
      req.end();
    } else req.end(opts.body);
  });
}
