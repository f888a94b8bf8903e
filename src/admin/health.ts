// `/_fn/health` and `/_fn/ready` (SPEC §10.8): public, always cheap, built from live state (no probing here).
import { relative } from 'node:path';
import type { Catalog, Runtime } from '../discovery/types.js';
import type { Settings } from '../config/index.js';
import type { RuntimeHost, RuntimeSupervisor } from '../runtime-host/index.js';
import type { Invoker } from '../invoke/index.js';

export interface HealthSource {
  settings: Settings;
  host: RuntimeHost;
  invoker: Invoker;
  supervisors: Map<Runtime, RuntimeSupervisor>;
  catalog(): Catalog | null;
  configLoadedAt: number;
  lastScanAt(): number | null;
  watcher(): { enabled: boolean; active: boolean; backend: string; last_scan_at: number | null; error: string | null };
  socketBaseDir: string;
}

const secs = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);

export function healthJson(src: HealthSource): Record<string, unknown> {
  const s = src.settings;
  const cat = src.catalog();
  const states: Record<string, unknown>[] = [];
  const sum = { total: 0, warm: 0, stale: 0, cold: 0, keep_warm_enabled: 0, pool_enabled: 0, pool_active: 0, pool_queued: 0, pool_queue_drops: 0, pool_queue_overflow_drops: 0, pool_queue_timeout_drops: 0 };
  const now = Date.now();
  for (const spec of cat?.functions.values() ?? []) {
    const pool = src.host.existingPool(spec.key);
    const live = pool?.liveWorkers() ?? [];
    const ttl = (spec.policy.worker_pool?.idle_ttl_seconds ?? 300) * 1000;
    const lastOk = Math.max(0, ...live.map((w) => w.lastOkAt));
    const state = live.length === 0 ? 'cold' : lastOk && now - lastOk <= ttl ? 'warm' : 'stale';
    const adm = src.invoker.admission(spec.key);
    const keepWarm = !!spec.policy.keep_warm && (spec.policy.keep_warm as { enabled?: unknown }).enabled === true;
    sum.total++;
    sum[state]++;
    if (keepWarm) sum.keep_warm_enabled++;
    if (spec.policy.worker_pool) sum.pool_enabled++;
    sum.pool_active += adm.active;
    sum.pool_queued += adm.queued;
    sum.pool_queue_overflow_drops += adm.drops.overflow;
    sum.pool_queue_timeout_drops += adm.drops.timeout;
    sum.pool_queue_drops += adm.drops.overflow + adm.drops.timeout;
    states.push({
      runtime: spec.runtime,
      name: spec.name,
      version: spec.version,
      key: spec.key,
      state,
      warm_at: lastOk ? secs(lastOk) : null,
      keep_warm: keepWarm,
      worker_pool: {
        ...(spec.policy.worker_pool ?? { enabled: false }),
        active: adm.active,
        queued: adm.queued,
        queue_drops: { overflow: adm.drops.overflow, timeout: adm.drops.timeout, total: adm.drops.overflow + adm.drops.timeout },
      },
    });
  }
  const runtimes: Record<string, unknown> = {};
  for (const [rt, tc] of src.host.toolchains) {
    const sup = src.supervisors.get(rt);
    const sockets = src.host
      .allPools()
      .filter((p) => p.key.startsWith(`${rt}/`))
      .flatMap((p) => p.liveWorkers().map((w) => ({ index: w.index, uri: `socketpair:fd3/pid-${w.pid}`, up: true, ts: secs(w.startedAt), reason: null })));
    runtimes[rt] = {
      available: tc.available,
      toolchain: { binary: tc.binary ? tc.binary.split('/').pop() : null, version: tc.version },
      socket: 'socketpair:fd3',
      sockets,
      routing: (s.runtimeDaemons[rt] ?? 1) > 1 ? 'round_robin' : 'single',
      spare_ready: src.host.spareReady(rt),
      timeout_ms: s.defaults.timeout_ms,
      health: tc.available ? (sup?.health ?? { up: false, ts: secs(now), reason: 'no supervisor' }) : { up: false, ts: secs(now), reason: tc.reason },
    };
  }
  return {
    config_loaded_at: secs(src.configLoadedAt),
    defaults: { timeout_ms: s.defaults.timeout_ms, max_concurrency: s.defaults.max_concurrency, max_body_bytes: s.defaults.max_body_bytes },
    functions_root: '.',
    socket_base_dir: relOrName(s.root, src.socketBaseDir),
    runtime_order: s.runtimes,
    hot_reload: { enabled: s.hotReload, last_catalog_scan_at: secs(src.lastScanAt()), watchdog: src.watcher() },
    routing: { mapped_routes: cat ? new Set(cat.routes.map((r) => r.route)).size : 0, mapped_route_conflicts: cat?.conflicts.length ?? 0 },
    functions: { summary: sum, states },
    runtimes,
    deps: { installing: [], failed: [] },
    state_store: { backend: 'memory', ok: true },
  };
}

/** SPEC §10.1: paths are relative to the root, or only a directory name when outside it. */
function relOrName(root: string, p: string): string {
  const r = relative(root, p);
  if (!r) return '.';
  if (!r.startsWith('..')) return r;
  return p.split('/').filter(Boolean).pop() ?? '.';
}

export function readyJson(src: HealthSource): { ready: boolean; body: Record<string, unknown> } {
  const runtimes: Record<string, unknown> = {};
  const waiting: string[] = [];
  const fresh = src.settings.healthIntervalS * 1000 * 2 + 1000;
  for (const [rt, tc] of src.host.toolchains) {
    const h = src.supervisors.get(rt)?.health;
    const up = tc.available && !!h?.up && Date.now() - h.ts * 1000 <= fresh;
    runtimes[rt] = { available: tc.available, up, reason: tc.available ? (h?.reason ?? null) : tc.reason };
    if (tc.available && !up) waiting.push(rt);
  }
  const ready = src.catalog() !== null && waiting.length === 0;
  return { ready, body: ready ? { ready: true, runtimes } : { ready: false, waiting, runtimes } };
}
