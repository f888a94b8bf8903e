// Building blocks shared by both layouts: file routes of one directory (SPEC §2.3, §2.6), versions of a function
// (§2.9), the depth-limit warning (§2.14) and schedule placement for file routes (§12.2). Pure.
import type { FunctionKind, FunctionSpec, Runtime } from './types.js';
import { depthOf, joinRel, type TreeDir } from './tree.js';
import type { PolicyLayer } from './config.js';
import { parseFileName, type ParsedFile, type Token } from './grammar.js';
import { claimConfigRoutes, claimFile, fileTemplates, nameSegments } from './claims.js';
import {
  MAX_DEPTH,
  VERSION_LABEL,
  VERSION_LIKE,
  addFunction,
  configMatches,
  configOf,
  resolveEntry,
  skipDir,
  type Ctx,
} from './context.js';
import type { ParsedConfig } from './config.js';

/**
 * File routes for the handler files of one directory that `accept` admits (mode rules live in the caller). Each
 * becomes a `kind: "file"` function named by its relative path; a prefixed file keeps its own method (G4, G9).
 */
export function fileRoutes(
  ctx: Ctx,
  dir: string,
  node: TreeDir,
  tokens: readonly Token[],
  overlays: readonly PolicyLayer[],
  accept: (pf: ParsedFile) => boolean,
): FunctionSpec[] {
  const out: FunctionSpec[] = [];
  for (const name of node.files) {
    const pf = parseFileName(name, ctx.runtimes);
    if (!pf || pf.private || !accept(pf)) continue;
    const rel = joinRel(dir, name);
    if (pf.error) {
      ctx.warn(`${rel}: ${pf.error}`);
      continue;
    }
    const templates = fileTemplates([...tokens, ...pf.tokens]);
    if (typeof templates === 'string') {
      ctx.warn(`${rel}: ${templates}; ignored`);
      continue;
    }
    const fn = addFunction(ctx, {
      runtime: pf.runtime,
      name: rel,
      version: 'default',
      kind: 'file',
      dir,
      entry: rel,
      layers: [...overlays],
      methods: pf.method ? [pf.method] : undefined,
      envDirs: [dir],
    });
    if (!fn) continue;
    if (claimFile(ctx, fn, templates, pf.method !== null) === 0) ctx.functions.delete(fn.key);
    else out.push(fn);
  }
  return out;
}

export interface VersionParent {
  name: string;
  kind: FunctionKind;
  fnDir: string;
  /** The function's layers (overlays + its own config); the version config is stacked on top (§6.5 layer 5). */
  layers: readonly (PolicyLayer | null | undefined)[];
  /** Name in `catalog.versions`, or null when the function has no static route name. */
  routeName: string | null;
  /** Plain entry directories only take version-like subdirectory names (§2.7). */
  versionLikeOnly: boolean;
  only?: Runtime;
}

/**
 * A catalogued function in either layout (§2.7, §2.8): its default version (when it has an entry), its config or
 * default routes, then every entry subdirectory as a version. Returns the subdirectory names consumed as versions.
 */
export function addCatalogued(
  ctx: Ctx,
  p: {
    runtime: Runtime;
    name: string;
    dir: string;
    entry: string | null;
    layers: readonly (PolicyLayer | null | undefined)[];
    routes: unknown[] | undefined;
    routesFile: string;
    only?: Runtime;
  },
): Set<string> {
  const layers = [...p.layers];
  if (p.entry) {
    const fn = addFunction(ctx, {
      runtime: p.runtime,
      name: p.name,
      version: 'default',
      kind: 'function',
      dir: p.dir,
      entry: p.entry,
      layers,
      envDirs: [p.dir],
    });
    if (fn) claimConfigRoutes(ctx, fn, p.routes, p.routesFile, p.name);
  }
  const segs = nameSegments(p.name);
  const routeName = segs ? segs.map((s) => (s.t === 'static' ? s.v : '')).join('/') : null;
  return addVersions(ctx, {
    name: p.name,
    kind: 'function',
    fnDir: p.dir,
    layers,
    routeName,
    versionLikeOnly: false,
    ...(p.only ? { only: p.only } : {}),
  });
}

/** Register the versions of a function; returns the subdirectory names consumed as versions. */
export function addVersions(ctx: Ctx, p: VersionParent): Set<string> {
  const used = new Set<string>();
  const node = ctx.tree.dirs.get(p.fnDir);
  for (const child of node?.dirs ?? []) {
    const vdir = joinRel(p.fnDir, child);
    const vnode = ctx.tree.dirs.get(vdir);
    if (skipDir(ctx, vdir) || !vnode || vnode.pruned) continue;
    if (p.versionLikeOnly && !VERSION_LIKE.test(child)) continue;
    let vcfg: ParsedConfig | null = configOf(ctx, vdir);
    const entry = resolveEntry(ctx, vdir, vnode, vcfg, p.only);
    if (!entry) continue;
    used.add(child);
    if (depthOf(vdir) > MAX_DEPTH) {
      ctx.warn(`${entry.file}: depth limit exceeded`);
      continue;
    }
    if (!VERSION_LABEL.test(child)) {
      ctx.warn(`${vdir}: ${child} is not a valid version label; skipped`);
      continue;
    }
    if (!configMatches(ctx, vcfg, entry)) vcfg = null;
    const fn = addFunction(ctx, {
      runtime: entry.runtime,
      name: p.name,
      version: child,
      kind: p.kind,
      dir: vdir,
      entry: entry.file,
      layers: [...p.layers, vcfg?.layer],
      envDirs: [p.fnDir, vdir],
    });
    if (!fn) continue;
    if (p.routeName !== null) {
      ctx.versions.push({ name: p.routeName, label: child, key: fn.key, runtime: fn.runtime, kind: fn.kind });
    }
    // A version's own routes (§2.9): rank 5 unless forced. Plain-entry versions are also walked as directories,
    // which registers their config routes once there.
    if (!p.versionLikeOnly && vcfg?.routes?.length) claimConfigRoutes(ctx, fn, vcfg.routes, vcfg.file, null);
  }
  return used;
}

/** §2.14: one warning per handler (or per directory when it only holds subdirectories) below the limit. */
export function warnDepth(ctx: Ctx, dir: string, node: TreeDir): void {
  const handlers = node.files.filter((n) => {
    const pf = parseFileName(n, ctx.runtimes);
    return pf !== null && !pf.private;
  });
  for (const n of handlers) ctx.warn(`${joinRel(dir, n)}: depth limit exceeded`);
  if (handlers.length === 0 && node.dirs.some((d) => !skipDir(ctx, joinRel(dir, d)))) {
    ctx.warn(`${dir}: depth limit exceeded`);
  }
}

/**
 * `schedule` / `keep_warm` in a folder that is not an entry directory apply only when the folder directly holds
 * exactly one file route (§12.2); otherwise they are ignored with the spec's warning.
 */
export function scheduleRule(ctx: Ctx, cfg: ParsedConfig | null, fns: FunctionSpec[]): void {
  if (!cfg) return;
  for (const field of ['schedule', 'keep_warm'] as const) {
    const v = cfg.layer[field];
    if (!v) continue;
    const only = fns.length === 1 ? fns[0] : undefined;
    if (only) only.policy[field] = v;
    else ctx.warn(`${cfg.file}: ${field} in ${cfg.file} matches ${fns.length} handlers; ignored`);
  }
}

/** `a/b` from static tokens, null when any token is dynamic. */
export function routeNameOf(tokens: readonly Token[]): string | null {
  if (tokens.some((t) => t.kind !== 'static')) return null;
  return tokens.map((t) => (t.kind === 'static' ? t.value : '')).join('/');
}
