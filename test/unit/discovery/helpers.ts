// Shared fixtures for discovery tests: default options, in-memory catalogs and a compact route listing.
import { buildCatalog, treeFromObject, type Catalog, type DiscoveryOptions } from '../../../src/discovery/index.js';

export function opts(over: Partial<DiscoveryOptions> = {}): DiscoveryOptions {
  return {
    root: '/virtual',
    runtimes: ['python', 'node', 'php', 'lua', 'go', 'rust'],
    namespace_depth: 3,
    ignore_dirs: [],
    force_url: false,
    defaults: { timeout_ms: 2500, max_concurrency: 20, max_body_bytes: 1048576, strict_fs: true },
    ...over,
  };
}

export function catalogOf(spec: Record<string, unknown>, over: Partial<DiscoveryOptions> = {}): Catalog {
  return buildCatalog(treeFromObject(spec), opts(over));
}

/** `GET,POST /route -> key` per winning route, in catalog order. */
export function routeLines(c: Catalog): string[] {
  return c.routes.map((r) => `${r.methods.join(',')} ${r.route} -> ${r.key}`);
}

/** `GET,POST /route` per winning route, in catalog order. */
export function routes(c: Catalog): string[] {
  return c.routes.map((r) => `${r.methods.join(',')} ${r.route}`);
}

export function fn(c: Catalog, key: string) {
  const f = c.functions.get(key);
  if (!f) throw new Error(`no function ${key}; have ${[...c.functions.keys()].join(', ')}`);
  return f;
}
