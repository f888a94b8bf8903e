// Composition root: builds the services from Settings, starts them in order (listen, discover, print the table,
// supervisors, watcher) and stops them in reverse. The only place that knows every concern.
import { mkdtempSync, mkdirSync, rmSync, statSync, chmodSync, watchFile, unwatchFile } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import type { Server } from 'node:http';
import type { Settings } from '../config/index.js';
import type { Catalog, Runtime } from '../discovery/types.js';
import { discover } from '../discovery/index.js';
import { compileRouter } from '../router/index.js';
import { Logger } from '../observability/logger.js';
import { Invoker, staticContext } from '../invoke/index.js';
import { detectToolchains, RuntimeHost, RuntimeSupervisor } from '../runtime-host/index.js';
import { createGatewayServer, closeGracefully, listen } from '../gateway/server.js';
import { ProxyTrust } from '../gateway/client.js';
import type { GatewayContext, RouteState } from '../gateway/context.js';
import { platformHandler, type HealthSource } from '../admin/index.js';
import { RootWatcher, type ChangeBatch } from '../watch/watcher.js';
import { formatTable, routeDiff } from './route-table.js';

export class StartupError extends Error {
  readonly code = 'STARTUP';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface RunningApp {
  url: string;
  port: number;
  server: Server;
  logger: Logger;
  /** Rebuild the route table now (admin writes, /_fn/reload, tests). */
  rescan(): Catalog;
  close(): Promise<void>;
}

export function discoverWith(settings: Settings): Catalog {
  return discover({
    root: settings.root,
    runtimes: settings.runtimes,
    namespace_depth: settings.namespaceDepth,
    ignore_dirs: settings.ignoreDirs,
    force_url: settings.forceUrl,
    defaults: settings.defaults,
  });
}

export function assertRoot(root: string): void {
  try {
    if (statSync(root).isDirectory()) return;
  } catch {
    /* falls through */
  }
  throw new StartupError(`functions root not found: ${root}`);
}

export async function startApp(settings: Settings, opts: { quiet?: boolean } = {}): Promise<RunningApp> {
  assertRoot(settings.root);
  const logger = new Logger(settings.logFormat, settings.logDir, process.stdout, opts.quiet ?? false);
  for (const w of settings.warnings) logger.warn(w);
  const toolchains = detectToolchains(settings);
  const host = new RuntimeHost(settings, toolchains, logger, (spec) => staticContext(spec, process.pid));
  const invoker = new Invoker(host, logger, settings.maxResponseBytes);
  const trust = new ProxyTrust(settings.trustedProxyCidrs, (m) => logger.warn(m));
  const socketBaseDir = privateDir(settings.socketBaseDir);
  const supervisors = new Map<Runtime, RuntimeSupervisor>();
  for (const tc of toolchains.values()) {
    supervisors.set(
      tc.runtime,
      new RuntimeSupervisor(tc, settings.hostEnv, settings.healthIntervalS, (rt, bin) => host.commandFor(rt, bin)),
    );
  }

  let state: RouteState | null = null;
  let lastScanAt: number | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  let watcher: RootWatcher | null = null;

  const healthSrc: HealthSource = {
    settings,
    host,
    invoker,
    supervisors,
    catalog: () => state?.catalog ?? null,
    configLoadedAt: Date.now(),
    lastScanAt: () => lastScanAt,
    watcher: () => ({
      enabled: settings.hotReload,
      active: watcher?.active ?? false,
      backend: watcher?.backend ?? 'none',
      last_scan_at: lastScanAt === null ? null : lastScanAt / 1000,
      error: watcher?.error ?? null,
    }),
    socketBaseDir,
  };
  const ctx: GatewayContext = {
    settings,
    logger,
    invoker,
    host,
    trust,
    routes: () => state!,
    whenReady: () => (state ? undefined : ready),
    platform: platformHandler(healthSrc),
  };

  const server = createGatewayServer(ctx);
  let port: number;
  try {
    port = await listen(server, settings.host, settings.port);
  } catch (e) {
    host.shutdown(0);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      throw new StartupError(
        `port ${settings.port} is already in use on ${settings.host} (use --port or FN_HOST_PORT)`,
      );
    }
    throw new StartupError(`cannot listen on ${settings.host}:${settings.port}: ${err.message}`);
  }

  const swap = (catalog: Catalog): void => {
    state = { catalog, router: compileRouter(catalog) };
    lastScanAt = Date.now();
    host.setCatalog(catalog);
  };
  const rescan = (): Catalog => {
    const before = state?.catalog ?? null;
    const catalog = discoverWith(settings);
    swap(catalog);
    const prevWarnings = new Set(before?.warnings ?? []);
    for (const line of routeDiff(before, catalog)) logger.print(line);
    for (const w of catalog.warnings) if (!prevWarnings.has(w)) logger.warn(w);
    return catalog;
  };

  const first = discoverWith(settings);
  swap(first);
  markReady();
  const rtWords = settings.runtimes.map((rt) => rt).join(' ');
  const unavailable = [...toolchains.values()]
    .filter((t) => !t.available)
    .map((t) => `${t.runtime} unavailable: ${t.reason}`);
  const rootShown = relative(process.cwd(), settings.root) || '.';
  logger.print(
    `fastfn ${settings.mode} ${settings.version} · root ${rootShown.startsWith('..') || rootShown.startsWith('/') ? rootShown : `./${rootShown}`.replace(/^\.\/\.$/, '.')} · runtimes ${rtWords}${unavailable.length ? ` (${unavailable.join('; ')})` : ''}`,
  );
  for (const line of formatTable(first)) logger.print(line);
  for (const s of supervisors.values()) s.start();

  if (settings.hotReload) {
    watcher = new RootWatcher({
      root: settings.root,
      native: settings.hotReloadWatchdog,
      debounceMs: settings.hotReloadDebounceMs,
      intervalS: settings.hotReloadIntervalS,
      onBatch: (b) => applyChanges(b),
      onError: (e) => logger.warn(`hot reload watcher error: ${e.message}`),
    });
    await watcher.start();
  }
  const applyChanges = (b: ChangeBatch): void => {
    try {
      rescan();
    } catch (e) {
      logger.error('route table rebuild failed; keeping the previous table', { error: (e as Error).message });
      return;
    }
    for (const f of b.changed) {
      const base = basename(f);
      if (base === 'fn.env.json') host.envFileChanged(f);
      else if (base !== 'fn.config.json' && base !== 'fn.routes.json' && base !== 'fn.test_events.json')
        host.sourceChanged(f);
    }
  };

  // SPEC §7/§14: fastfn.json is read once; a change while running only asks for a restart.
  const configFile = settings.configFile;
  if (configFile) {
    watchFile(configFile, { interval: 2000, persistent: false }, (cur, prev) => {
      if (cur.mtimeMs !== prev.mtimeMs)
        logger.warn(`${configFile.split('/').pop()} changed; restart fastfn to apply it`);
    });
  }

  // Announce "Listening" once each runtime in use has a parked spare (bounded): the first request then skips
  // interpreter start-up. The socket is already bound, so early requests are served, just cold.
  await host.sparesParked(2000);
  const shownHost = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  logger.print(`Listening on ${url} · docs ${url}/_fn/docs`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    server,
    logger,
    rescan,
    close: () => {
      closing ??= (async () => {
        await watcher?.close();
        if (configFile) unwatchFile(configFile);
        await closeGracefully(server, 10_000);
        for (const s of supervisors.values()) s.stop();
        host.shutdown(2000);
        // Our own private directory goes with us; a configured FN_SOCKET_BASE_DIR is the operator's.
        if (!settings.socketBaseDir) rmSync(socketBaseDir, { recursive: true, force: true });
        logger.flush();
      })();
      return closing;
    },
  };
}

/** The worker-channel base directory (SPEC §8 FN_SOCKET_BASE_DIR): private, mode 0700. */
function privateDir(configured: string | null): string {
  if (configured) {
    mkdirSync(configured, { recursive: true, mode: 0o700 });
    chmodSync(configured, 0o700);
    return configured;
  }
  return mkdtempSync(join(tmpdir(), 'fastfn-'));
}
