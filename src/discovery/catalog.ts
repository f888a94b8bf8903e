// buildCatalog: FileTree in, Catalog out (SPEC §2, §6). Pure and deterministic: every list is sorted, nothing
// depends on readdir order. discover() is the one entry point that also reads the disk (through scanTree).
import { DEFAULT_RUNTIME_ORDER, SOURCE_RANK, type Catalog, type DiscoveryOptions, type RouteEntry } from './types.js';
import { compareNames, dirOf, type FileTree } from './tree.js';
import { configOf, createCtx, type Ctx } from './context.js';
import { overlayLayer } from './policy.js';
import { folderHomeTarget, ignoredDirNames, parseAssets, parseHome } from './rootconfig.js';
import { walkDir } from './walk.js';
import { processManifests } from './manifest.js';
import { resolveClaims, sortEntries } from './precedence.js';
import { isReservedTemplate, parseRouteString } from './normalise.js';
import { scanTree } from './scan.js';

export function buildCatalog(tree: FileTree, opts: DiscoveryOptions): Catalog {
  const ctx = createCtx(tree, opts);
  const root = configOf(ctx, '');
  ctx.roles.set('', 'overlay');
  const file = 'fn.config.json';
  ctx.ignored = ignoredDirNames(root?.raw, opts, file, ctx.warn);
  const assets = parseAssets(root?.raw.assets, (d) => tree.dirs.has(d), file, ctx.warn);
  ctx.assetsDir = assets?.directory ?? null;
  const home = parseHome(root?.home, file, ctx.warn);
  const rootLayer = overlayLayer(root);
  walkDir(ctx, '', { tokens: [], overlays: rootLayer ? [rootLayer] : [], explicitOnly: false });

  const manifestKeys = processManifests(ctx);
  // A manifest target is not also a file route of its own (§2.10).
  const claims = ctx.claims.filter((c) => !(manifestKeys.has(c.key) && c.source !== 'manifest'));
  const { routes, conflicts } = resolveClaims(claims);
  addHomeAliases(
    ctx,
    routes,
    conflicts.map((c) => c.route),
  );

  return {
    generated_at: Date.now(),
    root: tree.root,
    runtime_order: opts.runtimes.length ? [...opts.runtimes] : [...DEFAULT_RUNTIME_ORDER],
    functions: new Map([...ctx.functions.entries()].sort(([a], [b]) => compareNames(a, b))),
    routes: sortEntries(routes),
    conflicts,
    versions: versionMap(ctx),
    warnings: [...new Set(ctx.warnings)].sort(compareNames),
    home,
    assets,
    root_config: root?.raw ?? null,
  };
}

export function discover(opts: DiscoveryOptions): Catalog {
  return buildCatalog(scanTree(opts), opts);
}

/**
 * Folder home aliases (§2.16): `/portal` serves what `/portal/dashboard` serves, with the same methods and hosts,
 * unless `/portal` is already mapped or the target is not in that folder.
 */
function addHomeAliases(ctx: Ctx, routes: RouteEntry[], conflictRoutes: string[]): void {
  for (const a of ctx.homeAliases) {
    const target = folderHomeTarget(a.value, a.folderRoute);
    if (target === null) {
      ctx.warn(`${a.file}: home route must name a route inside ${a.folderRoute}; ignored`);
      continue;
    }
    const segs = parseRouteString(a.folderRoute);
    if (typeof segs === 'string' || isReservedTemplate(segs)) {
      ctx.warn(`${a.file}: route ${a.folderRoute} is reserved; ignored`);
      continue;
    }
    if (routes.some((r) => r.route === a.folderRoute) || conflictRoutes.includes(a.folderRoute)) {
      ctx.warn(`${a.file}: ${a.folderRoute} is already mapped; home alias skipped`);
      continue;
    }
    const inFolder = (key: string): boolean => {
      const entry = ctx.functions.get(key)?.entry ?? '';
      return entry.startsWith(`${a.dir}/`) || dirOf(entry) === a.dir;
    };
    const hits = routes.filter((r) => r.route === target && inFolder(r.key));
    if (hits.length === 0) {
      ctx.warn(`${a.file}: home target ${target} is not a route of a handler in ${a.dir}; skipped`);
      continue;
    }
    for (const h of hits) {
      routes.push({ ...h, route: a.folderRoute, source: 'file', source_rank: SOURCE_RANK.file, force_url: false });
    }
  }
}

/** name -> label -> key; when several functions share a name, the runtime order decides (§2.9). */
function versionMap(ctx: Ctx): Map<string, Map<string, string>> {
  const order = ctx.opts.runtimes.length ? ctx.opts.runtimes : DEFAULT_RUNTIME_ORDER;
  const refs = [...ctx.versions].sort(
    (a, b) =>
      compareNames(a.name, b.name) ||
      compareNames(a.label, b.label) ||
      order.indexOf(a.runtime) - order.indexOf(b.runtime) ||
      (a.kind === b.kind ? 0 : a.kind === 'function' ? -1 : 1) ||
      compareNames(a.key, b.key),
  );
  const out = new Map<string, Map<string, string>>();
  for (const r of refs) {
    const labels = out.get(r.name) ?? new Map<string, string>();
    if (!labels.has(r.label)) labels.set(r.label, r.key);
    out.set(r.name, labels);
  }
  return out;
}
