// Policy merging (SPEC §6.5, §2.12): defaults -> root -> overlays down the tree -> function -> version, then every
// Policy field filled with its default (§6.1, §6.2). Pure; the walkers decide which layers apply to a handler.
import type { DiscoveryOptions, Method, Policy } from './types.js';
import type { ParsedConfig, PolicyLayer } from './config.js';
import { fillCors, fillWorkerPool } from './subobjects.js';

/** Fields that an overlay never passes down (§2.12 "Not inherited", and §6.1 fields scoped F/V only). */
const FUNCTION_ONLY: readonly (keyof PolicyLayer)[] = [
  'force_url',
  'adapter',
  'summary',
  'query',
  'body',
  'content_type',
  'default_method',
  'schedule',
  'keep_warm',
];

const MERGED_OBJECTS = new Set<keyof PolicyLayer>(['worker_pool', 'cors', 'edge']);

/** The part of a config that flows to handlers below it when it acts as an overlay. */
export function overlayLayer(cfg: ParsedConfig | null | undefined): PolicyLayer | null {
  if (!cfg) return null;
  const out: PolicyLayer = { ...cfg.layer };
  for (const k of FUNCTION_ONLY) delete out[k];
  return out;
}

/** Merge layers lowest first: scalars and arrays replaced, `worker_pool`/`cors`/`edge` merged key by key. */
export function mergeLayers(layers: readonly (PolicyLayer | null | undefined)[]): PolicyLayer {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      const prev = out[k];
      out[k] =
        MERGED_OBJECTS.has(k as keyof PolicyLayer) && prev && typeof prev === 'object'
          ? { ...(prev as object), ...(v as object) }
          : v;
    }
  }
  return out as PolicyLayer;
}

/** Fill every field (§6.1 defaults). `methods` may be forced (a method-prefixed file, a manifest target). */
export function toPolicy(m: PolicyLayer, opts: DiscoveryOptions, methods?: Method[]): Policy {
  const maxConcurrency = m.max_concurrency ?? opts.defaults.max_concurrency;
  return {
    timeout_ms: m.timeout_ms ?? opts.defaults.timeout_ms,
    max_concurrency: maxConcurrency,
    max_body_bytes: m.max_body_bytes ?? opts.defaults.max_body_bytes,
    methods: methods ?? m.methods ?? ['GET'],
    allow_hosts: m.allow_hosts ?? [],
    include_debug_headers: m.include_debug_headers ?? false,
    stream_timeout_ms: m.stream_timeout_ms ?? 0,
    handler: m.handler ?? 'handler',
    adapter: m.adapter ?? 'native',
    force_url: m.force_url ?? false,
    strict_fs: m.strict_fs ?? opts.defaults.strict_fs,
    shared_deps: m.shared_deps ?? [],
    group: m.group ?? null,
    worker_pool: fillWorkerPool(m.worker_pool, maxConcurrency),
    cors: fillCors(m.cors),
    edge: m.edge ?? null,
    schedule: m.schedule ?? null,
    keep_warm: m.keep_warm ?? null,
    summary: m.summary ?? null,
    query: m.query ?? null,
    body: m.body ?? null,
    content_type: m.content_type ?? null,
    default_method: m.default_method ?? null,
  };
}
