// Validation of one `fn.config.json` (SPEC §6.1, §6.2): raw JSON in, typed layer out. A wrong type or an unknown
// field is ignored with a warning naming it; nothing here throws or decides scope (that is policy.ts and the walkers).
import { METHODS, type Method } from './types.js';
import { isObject, parseList, type Warn } from './values.js';
import { parseCorsLayer, parseWorkerPoolLayer, type CorsLayer, type WorkerPoolLayer } from './subobjects.js';

export interface PolicyLayer {
  timeout_ms?: number;
  max_concurrency?: number;
  max_body_bytes?: number;
  methods?: Method[];
  allow_hosts?: string[];
  include_debug_headers?: boolean;
  stream_timeout_ms?: number;
  handler?: string;
  adapter?: string;
  force_url?: boolean;
  strict_fs?: boolean;
  shared_deps?: string[];
  group?: string;
  worker_pool?: WorkerPoolLayer;
  cors?: CorsLayer;
  edge?: Record<string, unknown>;
  schedule?: Record<string, unknown>;
  keep_warm?: Record<string, unknown>;
  summary?: string;
  query?: Record<string, unknown>;
  body?: unknown;
  content_type?: string;
  default_method?: string;
}

export interface ParsedConfig {
  /** Relative path of the file, for warnings. */
  file: string;
  raw: Record<string, unknown>;
  runtime?: string;
  name?: string;
  entrypoint?: string;
  /** `invoke.routes` / `invoke.route` / top-level `routes`, unvalidated entries (§2.11). */
  routes?: unknown[];
  /** Identity config (§2.7): non-empty runtime, name, entrypoint or routes. */
  identity: boolean;
  layer: PolicyLayer;
  /** Raw `home` value (root or folder home, §2.16). */
  home?: unknown;
}

const NAME_RE = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const HANDLER_RE = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const DEP_RE = /^[A-Za-z0-9_-]+$/;
const ROOT_ONLY = new Set(['assets', 'zero_config', 'discovery', 'routing', 'zero_config_ignore_dirs']);
const FORCE_KEYS = ['force_url', 'force-url', 'forceUrl'];
const HOME_KEYS = ['home', 'home-route', 'home_route'];

const posInt = (v: unknown): number | undefined =>
  Number.isInteger(v) && (v as number) > 0 ? (v as number) : undefined;
const nonNegInt = (v: unknown): number | undefined =>
  Number.isInteger(v) && (v as number) >= 0 ? (v as number) : undefined;
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (isObject(v) ? v : undefined);

/** `invoke.methods`: array or CSV of GET POST PUT PATCH DELETE; other entries dropped with a warning. */
export function parseMethods(v: unknown, field: string, file: string, warn: Warn): Method[] | undefined {
  const list = parseList(v);
  if (!list) return undefined;
  const out = new Set<Method>();
  for (const m of list) {
    const up = m.toUpperCase();
    if ((METHODS as readonly string[]).includes(up)) out.add(up as Method);
    else warn(`${file}: ${field}: unknown method ${m}; ignored`);
  }
  return out.size ? METHODS.filter((m) => out.has(m)) : undefined;
}

/** Parse one config object. Returns null (with a warning) when the JSON is not an object. */
export function parseConfig(file: string, value: unknown, isRoot: boolean, warn: Warn): ParsedConfig | null {
  if (!isObject(value)) {
    warn(`${file}: not a JSON object; ignored`);
    return null;
  }
  const cfg: ParsedConfig = { file, raw: value, identity: false, layer: {} };
  const L = cfg.layer;
  const bad = (f: string): void => warn(`${file}: field ${f} has the wrong type; ignored`);
  const take = <K extends keyof PolicyLayer>(k: K, f: string, v: unknown, p: (x: unknown) => PolicyLayer[K]): void => {
    if (v === null || v === undefined) return;
    const r = p(v);
    if (r === undefined) bad(f);
    else L[k] = r;
  };
  const list =
    (f: string, re: RegExp) =>
    (v: unknown): string[] | undefined => {
      const l = parseList(v);
      for (const x of l ?? []) if (!re.test(x)) warn(`${file}: ${f}: invalid entry ${x}; ignored`);
      return l?.filter((x) => re.test(x));
    };
  const routes = (f: string, v: unknown, single: boolean): void => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) cfg.routes = v;
    else if (single && typeof v === 'string') cfg.routes = [v];
    else bad(f);
  };

  // Aliases first, so the canonical spelling wins when both are present.
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (v === null) continue;
    if (key === 'invoke' || key === 'response' || key === '$schema') continue;
    if (ROOT_ONLY.has(key)) {
      if (!isRoot) warn(`${file}: field ${key} is only valid in the root fn.config.json; ignored`);
      continue;
    }
    switch (key) {
      case 'runtime':
      case 'entrypoint':
      case 'name':
      case 'version':
        if (typeof v !== 'string') bad(key);
        else if (key === 'name' && !NAME_RE.test(v)) bad(key);
        else if (key === 'entrypoint' && !safeRelative(v)) bad(key);
        else if (key !== 'version' && v !== '') cfg[key] = v;
        break;
      case 'group':
        take('group', key, v, (x) => (typeof x === 'string' && x.length <= 80 ? x : undefined));
        break;
      case 'timeout_ms':
      case 'max_body_bytes':
        take(key, key, v, posInt);
        break;
      case 'max_concurrency':
        take(key, key, v, nonNegInt);
        break;
      case 'include_debug_headers':
      case 'strict_fs':
        take(key, key, v, bool);
        break;
      case 'force-url':
      case 'forceUrl':
      case 'force_url':
        take('force_url', key, v, bool);
        break;
      case 'methods':
        take('methods', key, v, (x) => parseMethods(x, key, file, warn));
        break;
      case 'routes':
        routes(key, v, false);
        break;
      case 'home':
        cfg.home = v;
        break;
      case 'schedule':
      case 'keep_warm':
      case 'edge':
        take(key, key, v, obj);
        break;
      case 'worker_pool':
        take(key, key, v, (x) => parseWorkerPoolLayer(x, file, warn));
        break;
      case 'cors':
        take(key, key, v, (x) => parseCorsLayer(x, file, warn));
        break;
      case 'shared_deps':
      case 'sharedDeps':
      case 'deps':
        take('shared_deps', key, v, list(key, DEP_RE));
        break;
      default:
        warn(`${file}: unknown field ${key}; ignored`);
    }
  }
  parseResponse(value.response, file, warn, take);
  parseInvoke(value.invoke, cfg, warn, take, routes);
  cfg.identity = Boolean(cfg.runtime || cfg.name || cfg.entrypoint || (cfg.routes && cfg.routes.length > 0));
  if (isRoot && cfg.identity) {
    warn(`${file}: runtime, name, entrypoint and routes are ignored in the root fn.config.json`);
    cfg.identity = false;
    delete cfg.runtime;
    delete cfg.name;
    delete cfg.entrypoint;
    delete cfg.routes;
  }
  return cfg;
}

type Take = <K extends keyof PolicyLayer>(k: K, f: string, v: unknown, p: (x: unknown) => PolicyLayer[K]) => void;

function parseResponse(v: unknown, file: string, warn: Warn, take: Take): void {
  if (v === undefined || v === null) return;
  if (!isObject(v)) return warn(`${file}: field response has the wrong type; ignored`);
  for (const key of Object.keys(v).sort()) {
    if (key === 'include_debug_headers') take(key, `response.${key}`, v[key], bool);
    else if (key === 'stream_timeout_ms') take(key, `response.${key}`, v[key], nonNegInt);
    else warn(`${file}: unknown field response.${key}; ignored`);
  }
}

function parseInvoke(
  v: unknown,
  cfg: ParsedConfig,
  warn: Warn,
  take: Take,
  routes: (f: string, v: unknown, single: boolean) => void,
): void {
  const file = cfg.file;
  if (v === undefined || v === null) return;
  if (!isObject(v)) return warn(`${file}: field invoke has the wrong type; ignored`);
  const keys = Object.keys(v).sort();
  // `invoke.route` first, so `invoke.routes` wins when both are present.
  if ('route' in v) routes('invoke.route', v.route, true);
  for (const key of keys) {
    const x = v[key];
    const f = `invoke.${key}`;
    if (x === null || key === 'route') continue;
    if (FORCE_KEYS.includes(key)) take('force_url', f, x, bool);
    else if (HOME_KEYS.includes(key)) cfg.home = cfg.home ?? x;
    else if (key === 'methods') take('methods', f, x, (y) => parseMethods(y, f, file, warn));
    else if (key === 'routes') routes(f, x, false);
    else if (key === 'allow_hosts') take('allow_hosts', f, x, (y) => parseList(y)?.map((h) => h.toLowerCase()));
    else if (key === 'handler')
      take('handler', f, x, (y) => (typeof y === 'string' && HANDLER_RE.test(y) ? y : undefined));
    else if (key === 'adapter' || key === 'summary' || key === 'content_type' || key === 'default_method')
      take(key, f, x, str);
    else if (key === 'query') take('query', f, x, obj);
    else if (key === 'body') take('body', f, x, (y) => y);
    else warn(`${file}: unknown field ${f}; ignored`);
  }
}

/** A relative path inside a directory: no leading `/`, no `.`/`..` segment, no backslash or NUL. */
export function safeRelative(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\u0000')) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
