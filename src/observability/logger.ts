// Platform logs (SPEC §9.8, §3.10): access, error and runtime streams. Files under FN_LOG_DIR are always JSON lines
// (mode 0600, SEC-19); the terminal is text in `dev` and JSON in `run`. Never logs bodies or secret headers.
// Each record is serialised once and written through sonic-boom (pino's writer): buffered files, flushed every 250 ms.
import { mkdirSync, accessSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import SonicBoomModule from 'sonic-boom';
import { quoteOrNull } from '../util/json-quote.js';

// sonic-boom is CommonJS: its default export is the constructor (the typings describe it as a namespace).
type SonicBoom = import('sonic-boom').SonicBoom;
const SonicBoom = SonicBoomModule as unknown as typeof import('sonic-boom').SonicBoom;

export interface AccessRecord {
  request_id: string;
  method: string;
  path: string;
  route: string | null;
  status: number;
  bytes: number;
  latency_ms: number;
  runtime: string | null;
  function: string | null;
  version: string | null;
  client_ip: string;
  ua: string | null;
  cold: boolean;
  queued: boolean;
}

export interface RuntimeLine {
  runtime: string;
  function: string;
  version: string;
  stream: 'stdout' | 'stderr';
  request_id: string | null;
  line: string;
}

type Level = 'info' | 'warn' | 'error';
type FileName = 'access' | 'error' | 'runtime';
const RING = 5000;
const FLUSH_MS = 250;
const BATCH = 32 * 1024;
const MAX_WRITE = 128 * 1024;

export class Logger {
  private files: Partial<Record<FileName, SonicBoom>> = {};
  private readonly term: SonicBoom | null;
  /** In-memory tail of each stream when no directory is writable (SPEC §10.9). */
  readonly rings: Record<FileName, string[]> = { access: [], error: [], runtime: [] };
  private memoryOnly = false;
  private readonly flusher: NodeJS.Timeout;

  constructor(
    private readonly format: 'text' | 'json',
    logDir: string | null,
    out: NodeJS.WritableStream = process.stdout,
    private readonly quiet = false,
  ) {
    // Terminal and files are batched (32 KiB or 250 ms, whichever comes first): one write per request was the
    // largest single cost on the request path under load, and 8 KiB batches still cost ~7% of the main thread.
    this.term = quiet ? null : out === process.stdout ? new SonicBoom({ fd: 1, sync: false, minLength: BATCH, maxWrite: MAX_WRITE }) : null;
    this.fallbackOut = out;
    if (logDir) this.openFiles(logDir);
    else this.memoryOnly = true;
    this.flusher = setInterval(() => this.flushFiles(), FLUSH_MS);
    this.flusher.unref();
  }

  private readonly fallbackOut: NodeJS.WritableStream;

  private openFiles(dir: string): void {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      accessSync(dir, constants.W_OK);
      for (const f of ['access', 'error', 'runtime'] as const) {
        const fd = openSync(join(dir, `${f}.log`), 'a', 0o600);
        this.files[f] = new SonicBoom({ fd, sync: false, minLength: BATCH, maxWrite: MAX_WRITE });
      }
    } catch {
      this.memoryOnly = true;
    }
  }

  private writeTerm(line: string): void {
    if (this.quiet) return;
    if (this.term) this.term.write(line);
    else this.fallbackOut.write(line);
  }

  /** One JSON line to the stream's file (or ring), and to the terminal in JSON mode. */
  private emit(file: FileName, rec: Record<string, unknown>, text: string | null): void {
    this.emitLine(file, JSON.stringify(rec) + '\n', text);
  }

  private emitLine(file: FileName, line: string, text: string | null): void {
    const sink = this.files[file];
    if (sink) sink.write(line);
    else if (this.memoryOnly) {
      const ring = this.rings[file];
      ring.push(line.slice(0, -1));
      if (ring.length > RING) ring.splice(0, ring.length - RING);
    }
    if (this.format === 'json') this.writeTerm(line);
    else if (text !== null) this.writeTerm(text);
  }

  /** One line per request (SPEC §9.8). Built by hand: it runs on every request and showed up in profiles. */
  access(r: AccessRecord): void {
    const q = quoteOrNull;
    const line =
      '{"ts":' + now() + ',"level":"info","msg":"request","request_id":' + q(r.request_id) + ',"method":' + q(r.method) +
      ',"path":' + q(r.path) + ',"route":' + q(r.route) + ',"status":' + r.status + ',"bytes":' + r.bytes +
      ',"latency_ms":' + r.latency_ms + ',"runtime":' + q(r.runtime) + ',"function":' + q(r.function) +
      ',"version":' + q(r.version) + ',"client_ip":' + q(r.client_ip) + ',"ua":' + q(r.ua) + ',"cold":' + r.cold +
      ',"queued":' + r.queued + '}\n';
    let text: string | null = null;
    if (this.format === 'text' && !this.quiet) {
      const fn = r.function ? `${r.runtime}/${r.function}@${r.version}` : '-';
      text = `${r.client_ip} "${r.method} ${r.path}" status=${r.status} bytes=${r.bytes} rt=${r.latency_ms}ms fn=${fn} id=${r.request_id}\n`;
    }
    this.emitLine('access', line, text);
  }

  runtime(r: RuntimeLine): void {
    const rec = { ts: now(), level: 'info', msg: r.line, stream: r.stream, runtime: r.runtime, function: r.function, version: r.version, request_id: r.request_id };
    this.emit('runtime', rec, `[${r.runtime}] [fn:${r.function}@${r.version} ${r.stream}] ${r.line}\n`);
  }

  log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    this.emit('error', { ts: now(), level, msg, ...fields }, `${level === 'info' ? '' : `${level}: `}${msg}${fmtFields(fields)}\n`);
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.log('error', msg, fields);
  }

  /** Plain CLI output (route table, listening line): as is in text mode, an info event in JSON mode. */
  print(line: string): void {
    if (this.quiet) return;
    if (this.format === 'json') this.writeTerm(JSON.stringify({ ts: now(), level: 'info', msg: line }) + '\n');
    else this.writeTerm(line + '\n');
  }

  private flushFiles(): void {
    for (const s of [...Object.values(this.files), this.term]) if (s) s.flush();
  }

  /** Writes out everything buffered (shutdown). */
  flush(): void {
    clearInterval(this.flusher);
    for (const s of [...Object.values(this.files), this.term]) {
      if (!s) continue;
      try {
        s.flushSync();
      } catch {
        /* EAGAIN on a busy pipe: the async flush below finishes it */
        s.flush();
      }
    }
  }
}

const now = (): number => Math.round(Date.now()) / 1000;

function fmtFields(f: Record<string, unknown>): string {
  const parts = Object.entries(f)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? ` (${parts.join(' ')})` : '';
}
