// The path-neutral walker (SPEC §2.6, §2.7): pure file trees, single-entry directories, mixed subtrees, catalogued
// functions and plain entry directories, overlays (§2.12), manifests as leaves (§2.10) and folder home aliases.
import { RUNTIMES, type Runtime } from './types.js';
import { ROUTES_FILE, depthOf, joinRel } from './tree.js';
import type { PolicyLayer } from './config.js';
import { isExplicit, parseToken, type Token } from './grammar.js';
import { overlayLayer } from './policy.js';
import { claimFile, fileTemplates } from './claims.js';
import {
  MAX_DEPTH,
  addFunction,
  configMatches,
  configOf,
  resolveEntry,
  skipDir,
  type Ctx,
  type Entry,
} from './context.js';
import { addCatalogued, addVersions, fileRoutes, routeNameOf, scheduleRule, warnDepth } from './entries.js';
import { walkRuntimeDir } from './grouped.js';
import type { ParsedConfig } from './config.js';

export interface WalkState {
  /** Route tokens of this directory (one per directory below the root). */
  tokens: Token[];
  /** Overlay layers from the root down to the parent (§6.5 layers 2-3). */
  overlays: PolicyLayer[];
  /** Below a single-entry directory: explicit files only (§2.6 mixed subtree). */
  explicitOnly: boolean;
}

export function walkDir(ctx: Ctx, dir: string, st: WalkState): void {
  const node = ctx.tree.dirs.get(dir);
  if (!node || node.pruned) return;
  if (depthOf(dir) > MAX_DEPTH) return warnDepth(ctx, dir, node);
  let cfg = configOf(ctx, dir);
  // The root is never an entry directory: its handler files are file routes and `/` belongs to home routing.
  const entry = dir === '' ? null : resolveEntry(ctx, dir, node, cfg);
  if (entry && !configMatches(ctx, cfg, entry)) {
    cfg = null;
    ctx.roles.set(dir, 'ignored');
  }
  const catalogued = entry !== null && cfg?.identity === true;
  if (!entry && cfg?.identity) ctx.warn(`${cfg.file}: no entry file for ${dir}`);
  if (cfg) ctx.roles.set(dir, catalogued ? 'function' : 'overlay');
  const own = catalogued ? null : overlayLayer(cfg);
  const overlays = own ? [...st.overlays, own] : st.overlays;

  let versionDirs = new Set<string>();
  if (entry && cfg && catalogued) versionDirs = catalogue(ctx, dir, entry, cfg, st);
  else if (entry) plainEntry(ctx, dir, entry, cfg, st);

  const explicitOnly = st.explicitOnly || entry !== null;
  const skip = new Set(entry ? [entry.file, ...entry.others.map((o) => joinRel(dir, o))] : []);
  const files = fileRoutes(ctx, dir, node, st.tokens, overlays, (pf) => {
    if (skip.has(joinRel(dir, pf.name))) return false;
    return !explicitOnly || isExplicit(pf);
  });
  if (!entry) scheduleRule(ctx, cfg, files);
  if (dir !== '' && cfg?.home !== undefined) {
    const folderRoute = routeNameOf(st.tokens);
    if (folderRoute === null) ctx.warn(`${cfg.file}: home alias needs a static folder route; ignored`);
    else ctx.homeAliases.push({ dir, folderRoute: `/${folderRoute}`, value: cfg.home, file: cfg.file });
  }
  if (node.files.includes(ROUTES_FILE)) {
    ctx.manifestDirs.push(dir);
    if (dir !== '') return; // a manifest makes its directory a leaf (§2.10)
  }
  for (const child of node.dirs) {
    const rel = joinRel(dir, child);
    if (skipDir(ctx, rel) || versionDirs.has(child)) continue;
    if (dir === '' && (RUNTIMES as readonly string[]).includes(child)) {
      walkRuntimeDir(ctx, child as Runtime, overlays);
      continue;
    }
    const tok = parseToken(child);
    if (typeof tok === 'string') {
      ctx.warn(`${rel}: ${tok}; skipped`);
      continue;
    }
    walkDir(ctx, rel, { tokens: [...st.tokens, tok], overlays, explicitOnly });
  }
}

/** A catalogued function (§2.7): config routes or `/<name>` + `/<name>/*`; every entry subdirectory is a version. */
function catalogue(ctx: Ctx, dir: string, entry: Entry, cfg: ParsedConfig, st: WalkState): Set<string> {
  return addCatalogued(ctx, {
    runtime: entry.runtime,
    name: cfg.name ?? dir,
    dir,
    entry: entry.file,
    layers: [...st.overlays, cfg.layer],
    routes: cfg.routes,
    routesFile: cfg.file,
  });
}

/** A plain entry directory (§2.7): the entry is the file route `/<dir>`; version-like subdirectories are versions. */
function plainEntry(ctx: Ctx, dir: string, entry: Entry, cfg: ParsedConfig | null, st: WalkState): void {
  const layers = [...st.overlays, cfg?.layer];
  const templates = fileTemplates(st.tokens);
  if (typeof templates === 'string') {
    ctx.warn(`${entry.file}: ${templates}; ignored`);
  } else {
    const fn = addFunction(ctx, {
      runtime: entry.runtime,
      name: entry.file,
      version: 'default',
      kind: 'file',
      dir,
      entry: entry.file,
      layers,
      envDirs: [dir],
    });
    if (fn && claimFile(ctx, fn, templates, false) === 0) ctx.functions.delete(fn.key);
  }
  addVersions(ctx, {
    name: entry.file,
    kind: 'file',
    fnDir: dir,
    layers,
    routeName: routeNameOf(st.tokens),
    versionLikeOnly: true,
  });
}
