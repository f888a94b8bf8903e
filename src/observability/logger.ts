// Platform logs (SPEC §9.8, §3.10): access, error and runtime streams. Files under FN_LOG_DIR are always JSON lines
// (pino, mode 0600, SEC-19); the terminal is text in `dev` and JSON in `run`. Never logs bodies or secret headers.
import { mkdirSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';

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
const RING = 5000;

export class Logger {
  private files: Partial<Record<'access' | 'error' | 'runtime', pino.Logger>> = {};
  private term: pino.Logger | null = null;
  /** In-memory tail of each stream when no directory is writable (SPEC §10.9). */
  readonly rings: Record<'access' | 'error' | 'runtime', string[]> = { access: [], error: [], runtime: [] };
  private memoryOnly = false;

  constructor(
    private readonly format: 'text' | 'json',
    logDir: string | null,
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly quiet = false,
  ) {
    if (format === 'json' && !quiet) this.term = makePino(pino.destination({ dest: 1, sync: false }));
    if (logDir) this.openFiles(logDir);
    else this.memoryOnly = true;
  }

  private openFiles(dir: string): void {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      accessSync(dir, constants.W_OK);
      for (const f of ['access', 'error', 'runtime'] as const) {
        this.files[f] = makePino(pino.destination({ dest: join(dir, `${f}.log`), sync: false, mode: 0o600, mkdir: true }));
      }
    } catch {
      this.memoryOnly = true;
    }
  }

  private remember(file: 'access' | 'error' | 'runtime', rec: object): void {
    if (!this.memoryOnly) return;
    const ring = this.rings[file];
    ring.push(JSON.stringify({ ts: Date.now() / 1000, ...rec }));
    if (ring.length > RING) ring.splice(0, ring.length - RING);
  }

  access(r: AccessRecord): void {
    const rec = { msg: 'request', ...r };
    this.files.access?.info(rec);
    this.remember('access', { level: 'info', ...rec });
    if (this.quiet) return;
    if (this.term) this.term.info(rec);
    else {
      const fn = r.function ? `${r.runtime}/${r.function}@${r.version}` : '-';
      this.out.write(
        `${r.client_ip} "${r.method} ${r.path}" status=${r.status} bytes=${r.bytes} rt=${r.latency_ms}ms fn=${fn} id=${r.request_id}\n`,
      );
    }
  }

  runtime(r: RuntimeLine): void {
    const rec = { msg: r.line, stream: r.stream, runtime: r.runtime, function: r.function, version: r.version, request_id: r.request_id };
    this.files.runtime?.info(rec);
    this.remember('runtime', { level: 'info', ...rec });
    if (this.quiet) return;
    if (this.term) this.term.info(rec);
    else this.out.write(`[${r.runtime}] [fn:${r.function}@${r.version} ${r.stream}] ${r.line}\n`);
  }

  log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    this.files.error?.[level]({ msg, ...fields });
    this.remember('error', { level, msg, ...fields });
    if (this.quiet) return;
    if (this.term) this.term[level]({ msg, ...fields });
    else this.out.write(`${level === 'info' ? '' : `${level}: `}${msg}${fmtFields(fields)}\n`);
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

  /** Plain CLI output (route table, listening line): text mode only; JSON mode logs it as an info event. */
  print(line: string): void {
    if (this.quiet) return;
    if (this.term) this.term.info({ msg: line });
    else this.out.write(line + '\n');
  }

  flush(): void {
    for (const l of Object.values(this.files)) l?.flush();
    this.term?.flush();
  }
}

function makePino(dest: pino.DestinationStream): pino.Logger {
  return pino(
    {
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"ts":${(Date.now() / 1000).toFixed(3)}`,
      formatters: { level: (label) => ({ level: label }) },
    },
    dest,
  );
}

function fmtFields(f: Record<string, unknown>): string {
  const parts = Object.entries(f)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? ` (${parts.join(' ')})` : '';
}
