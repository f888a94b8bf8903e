// `worker_pool` and `cors` sub-objects (SPEC §6.2): per-key validation of one layer, and the defaults applied once the
// layers are merged. A wrong-typed key is dropped with a warning; the rest of the block still applies.
import { METHODS, type CorsPolicy, type Method, type WorkerPoolPolicy } from './types.js';
import { isObject, parseList, type Warn } from './values.js';

export interface WorkerPoolLayer {
  enabled?: boolean;
  max_workers?: number;
  max_queue?: number;
  queue_timeout_ms?: number;
  queue_poll_ms?: number;
  idle_ttl_seconds?: number;
  min_warm?: number;
  overflow_status?: number;
}

export interface CorsLayer {
  allow_origins?: string[];
  allow_methods?: Method[];
  allow_headers?: string[];
  expose_headers?: string[];
  allow_credentials?: boolean;
  max_age?: number;
}

const intAtLeast = (min: number) => (v: unknown) => (Number.isInteger(v) && (v as number) >= min ? v : undefined);
const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);

const POOL_FIELDS: Record<keyof WorkerPoolLayer, (v: unknown) => unknown> = {
  enabled: bool,
  max_workers: intAtLeast(1),
  max_queue: intAtLeast(0),
  queue_timeout_ms: intAtLeast(0),
  queue_poll_ms: intAtLeast(0),
  idle_ttl_seconds: intAtLeast(0),
  min_warm: intAtLeast(0),
  overflow_status: (v) => (Number.isInteger(v) ? v : undefined),
};

const CORS_FIELDS: Record<keyof CorsLayer, (v: unknown) => unknown> = {
  allow_origins: parseList,
  allow_methods: (v) => {
    const l = parseList(v)?.map((m) => m.toUpperCase());
    return l && l.every((m) => (METHODS as readonly string[]).includes(m))
      ? METHODS.filter((m) => l.includes(m))
      : undefined;
  },
  allow_headers: parseList,
  expose_headers: parseList,
  allow_credentials: bool,
  max_age: intAtLeast(0),
};

function parseBlock<T extends object>(
  v: unknown,
  fields: Record<string, (x: unknown) => unknown>,
  file: string,
  prefix: string,
  warn: Warn,
): T | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v).sort()) {
    const parse = fields[key];
    const raw = v[key];
    if (raw === null) continue;
    if (!parse) {
      warn(`${file}: unknown field ${prefix}.${key}; ignored`);
      continue;
    }
    const value = parse(raw);
    if (value === undefined) warn(`${file}: field ${prefix}.${key} has the wrong type; ignored`);
    else out[key] = value;
  }
  return out as T;
}

export const parseWorkerPoolLayer = (v: unknown, file: string, warn: Warn): WorkerPoolLayer | undefined =>
  parseBlock<WorkerPoolLayer>(v, POOL_FIELDS, file, 'worker_pool', warn);

export const parseCorsLayer = (v: unknown, file: string, warn: Warn): CorsLayer | undefined =>
  parseBlock<CorsLayer>(v, CORS_FIELDS, file, 'cors', warn);

/** §6.2 defaults; null when the block is absent or `enabled: false`. */
export function fillWorkerPool(l: WorkerPoolLayer | undefined, maxConcurrency: number): WorkerPoolPolicy | null {
  if (!l || l.enabled === false) return null;
  // max_concurrency 0 means unlimited, but a pool needs at least one worker.
  const maxWorkers = l.max_workers ?? Math.max(1, maxConcurrency);
  return {
    enabled: true,
    max_workers: maxWorkers,
    max_queue: l.max_queue ?? 0,
    queue_timeout_ms: l.queue_timeout_ms ?? 0,
    queue_poll_ms: l.queue_poll_ms ?? 20,
    idle_ttl_seconds: l.idle_ttl_seconds ?? 300,
    min_warm: Math.min(l.min_warm ?? 0, maxWorkers),
    overflow_status: l.overflow_status === 503 ? 503 : 429,
  };
}

/** §6.2 defaults; null when no layer set a `cors` block. `allow_methods` null = the route's methods. */
export function fillCors(l: CorsLayer | undefined): CorsPolicy | null {
  if (!l) return null;
  return {
    allow_origins: l.allow_origins ?? [],
    allow_methods: l.allow_methods ?? null,
    allow_headers: l.allow_headers ?? null,
    expose_headers: l.expose_headers ?? [],
    allow_credentials: l.allow_credentials ?? false,
    max_age: l.max_age ?? 600,
  };
}
