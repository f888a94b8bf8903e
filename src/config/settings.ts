// Builds the frozen Settings object once at startup from CLI flags > environment > fastfn.json > defaults (SPEC §7, §8).
// This folder is the only reader of process.env (STYLE rule 5); everything else receives Settings.
import { resolve } from 'node:path';
import { DEFAULT_RUNTIME_ORDER, RUNTIMES, type Runtime } from '../discovery/types.js';
import { parseBool, parseBoolValue, parseCounts, parseCsv, parseIntSetting, parsePort, SettingError } from './parse.js';
import { readProjectFile } from './project-file.js';

export type Mode = 'dev' | 'run';

export interface CliOverrides {
  dir?: string;
  port?: string | number;
  host?: string;
  forceUrl?: boolean;
  hotReload?: boolean;
  config?: string;
}

export interface Settings {
  mode: Mode;
  version: string;
  root: string;
  host: string;
  port: number;
  runtimes: Runtime[];
  namespaceDepth: number;
  ignoreDirs: string[];
  forceUrl: boolean;
  defaults: { timeout_ms: number; max_concurrency: number; max_body_bytes: number; strict_fs: boolean };
  maxResponseBytes: number;
  /** New: a worker whose resident memory passes this is killed (its requests get 502). */
  workerMaxRssMb: number;
  hotReload: boolean;
  hotReloadWatchdog: boolean;
  hotReloadDebounceMs: number;
  hotReloadIntervalS: number;
  runtimeDaemons: Partial<Record<Runtime, number>>;
  socketBaseDir: string | null;
  bins: Partial<Record<'node' | 'npm' | 'python' | 'php' | 'composer' | 'lua' | 'go' | 'cargo', string>>;
  logFormat: 'text' | 'json';
  logDir: string | null;
  homeFunction: string | null;
  homeRedirect: string | null;
  trustedProxyCidrs: string[];
  docsEnabled: boolean;
  healthIntervalS: number;
  publicBaseUrl: string | null;
  configFile: string | null;
  /** The gateway's environment, kept for building scrubbed worker environments (SEC-01) and `from_env`. */
  hostEnv: Readonly<Record<string, string>>;
  warnings: string[];
}

const IGNORED_COMPAT = [
  'FN_RUNTIME_SOCKETS', 'FN_PY_SOCKET', 'FN_NODE_SOCKET', 'FN_PHP_SOCKET', 'FN_RUST_SOCKET', 'FN_GO_SOCKET',
  'FN_RUNTIME_INSTANCE_INDEX', 'FN_RUNTIME_INSTANCE_COUNT', 'FN_MAX_FRAME_BYTES', 'FN_OPENRESTY_BIN', 'FN_DOCKER_BIN',
  'FN_DOCKER_USER', 'FN_DOCKER_RUN_AS_ROOT', 'FN_DEV_VERBOSE_LOGS', 'FN_PHP_DAEMON_MAX_CONNECTIONS', 'FN_PHP_TMPDIR',
  'FN_PY_RUNTIME_WORKER_POOL', 'FN_NODE_RUNTIME_PROCESS_POOL', 'FN_GO_RUNTIME_WORKER_POOL', 'FN_RUST_RUNTIME_WORKER_POOL',
  'FN_HOT_RELOAD_WATCHDOG_POLL', 'FN_SCHEDULER_PERSIST_INTERVAL', 'FN_SCHEDULER_STATE_PATH', 'FN_JOBS_DIR',
];

export function loadSettings(
  mode: Mode,
  cli: CliOverrides,
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; version?: string } = {},
): Settings {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const warnings: string[] = [];
  const file = readProjectFile(cwd, cli.config);
  warnings.push(...file.warnings);
  const fv = file.values;
  const e = (k: string): string | undefined => {
    const v = env[k];
    return v === undefined || v === '' ? undefined : v;
  };

  const rootRaw = cli.dir ?? e('FN_FUNCTIONS_ROOT') ?? (fv['functions-dir'] as string | undefined) ?? '.';
  const portRaw = cli.port ?? e('FN_HOST_PORT') ?? fv.port;
  const port = portRaw === undefined ? 8080 : parsePort(cli.port !== undefined ? '--port' : e('FN_HOST_PORT') ? 'FN_HOST_PORT' : 'port', portRaw);
  const host = cli.host ?? e('FN_HOST') ?? (typeof fv.host === 'string' ? fv.host : undefined) ?? (mode === 'dev' ? '127.0.0.1' : '0.0.0.0');

  const rtList = parseCsv(e('FN_RUNTIMES') ?? fv.runtimes ?? '').map((s) => s.toLowerCase());
  let runtimes: Runtime[] = [...DEFAULT_RUNTIME_ORDER];
  if (rtList.length) {
    const bad = rtList.filter((r) => !(RUNTIMES as readonly string[]).includes(r));
    if (bad.length) throw new SettingError('FN_RUNTIMES', rtList.join(','));
    runtimes = [...new Set(rtList as Runtime[])];
  }

  const fileBool = (k: string): boolean | undefined => (fv[k] === undefined ? undefined : parseBoolValue(fv[k]));
  const forceUrl = cli.forceUrl ?? parseBool('FN_FORCE_URL', e('FN_FORCE_URL'), fileBool('force-url') ?? false, warnings);
  const hotReload = cli.hotReload ?? parseBool('FN_HOT_RELOAD', e('FN_HOT_RELOAD'), fileBool('hot-reload') ?? true, warnings);

  const daemons = parseCounts(e('FN_RUNTIME_DAEMONS') ?? fv['runtime-daemons']) as Partial<Record<Runtime, number>>;
  const fileBins = fv['runtime-binaries'] ?? {};
  const bins: Settings['bins'] = {};
  const binObj: Record<string, unknown> =
    typeof fileBins === 'string'
      ? Object.fromEntries(fileBins.split(',').map((p) => p.split('=').map((s) => s.trim())).filter((p) => p.length === 2))
      : (fileBins as Record<string, unknown>);
  for (const k of ['node', 'npm', 'python', 'php', 'composer', 'lua', 'go', 'cargo'] as const) {
    const v = e(`FN_${k.toUpperCase()}_BIN`) ?? (typeof binObj[k] === 'string' ? (binObj[k] as string) : undefined);
    if (v) bins[k] = v;
  }

  for (const k of IGNORED_COMPAT) if (e(k) !== undefined) warnings.push(`${k} is accepted for compatibility and ignored`);

  const logDirRaw = e('FN_LOG_DIR');
  const root = resolve(cwd, rootRaw);
  const settings: Settings = {
    mode,
    version: opts.version ?? '0.0.0',
    root,
    host,
    port,
    runtimes,
    namespaceDepth: Math.min(5, Math.max(1, parseIntSetting('FN_NAMESPACE_DEPTH', e('FN_NAMESPACE_DEPTH'), 3, warnings, -1000, 1000))),
    ignoreDirs: parseCsv(e('FN_ZERO_CONFIG_IGNORE_DIRS') ?? ''),
    forceUrl,
    defaults: {
      timeout_ms: parseIntSetting('FN_DEFAULT_TIMEOUT_MS', e('FN_DEFAULT_TIMEOUT_MS'), 2500, warnings, 1),
      max_concurrency: parseIntSetting('FN_DEFAULT_MAX_CONCURRENCY', e('FN_DEFAULT_MAX_CONCURRENCY'), 20, warnings, 0),
      max_body_bytes: parseIntSetting('FN_DEFAULT_MAX_BODY_BYTES', e('FN_DEFAULT_MAX_BODY_BYTES'), 1048576, warnings, 1),
      strict_fs: parseBool('FN_STRICT_FS', e('FN_STRICT_FS'), true, warnings),
    },
    maxResponseBytes: parseIntSetting('FN_MAX_RESPONSE_BYTES', e('FN_MAX_RESPONSE_BYTES'), 10485760, warnings, 1),
    workerMaxRssMb: parseIntSetting('FN_WORKER_MAX_RSS_MB', e('FN_WORKER_MAX_RSS_MB'), 1024, warnings, 32),
    hotReload,
    hotReloadWatchdog: parseBool('FN_HOT_RELOAD_WATCHDOG', e('FN_HOT_RELOAD_WATCHDOG'), true, warnings),
    hotReloadDebounceMs: parseIntSetting('FN_HOT_RELOAD_DEBOUNCE_MS', e('FN_HOT_RELOAD_DEBOUNCE_MS'), 50, warnings, 0, 60000),
    hotReloadIntervalS: parseIntSetting('FN_HOT_RELOAD_INTERVAL', e('FN_HOT_RELOAD_INTERVAL'), 2, warnings, 1, 3600),
    runtimeDaemons: daemons,
    socketBaseDir: e('FN_SOCKET_BASE_DIR') ?? null,
    bins,
    logFormat: (() => {
      const f = e('FN_LOG_FORMAT')?.toLowerCase();
      if (f === 'text' || f === 'json') return f;
      if (f) warnings.push(`FN_LOG_FORMAT: invalid value ${JSON.stringify(f)}; using default`);
      return mode === 'dev' ? 'text' : 'json';
    })(),
    logDir: logDirRaw ? resolve(cwd, logDirRaw) : resolve(root, '.fastfn', 'logs'),
    homeFunction: e('FN_HOME_FUNCTION') ?? null,
    homeRedirect: e('FN_HOME_REDIRECT') ?? null,
    trustedProxyCidrs: parseCsv(e('FN_TRUSTED_PROXY_CIDRS') ?? ''),
    docsEnabled: parseBool('FN_DOCS_ENABLED', e('FN_DOCS_ENABLED'), true, warnings),
    healthIntervalS: parseIntSetting('FN_HEALTH_INTERVAL', e('FN_HEALTH_INTERVAL'), 2, warnings, 1, 3600),
    publicBaseUrl: e('FN_PUBLIC_BASE_URL') ?? (typeof fv['public-base-url'] === 'string' ? fv['public-base-url'] : null),
    configFile: file.path,
    hostEnv: Object.freeze(Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined))),
    warnings,
  };
  return Object.freeze(settings);
}
