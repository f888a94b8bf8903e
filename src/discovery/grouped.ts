// The runtime-grouped layout (SPEC §2.8): `<runtime>/<name>/handler.<ext>` catalogued functions, namespaces up to
// `namespace_depth`, versions, and method-prefixed or dynamic file routes that keep the `/<runtime>` prefix.
import type { Runtime } from './types.js';
import { ROUTES_FILE, baseOf, depthOf, joinRel, type TreeDir } from './tree.js';
import type { PolicyLayer } from './config.js';
import {
  ENTRY_FILES,
  isCanonicalEntryName,
  parseToken,
  runtimeOfFile,
  type ParsedFile,
  type Token,
} from './grammar.js';
import { normaliseSegment } from './normalise.js';
import { overlayLayer } from './policy.js';
import { MAX_DEPTH, VERSION_LIKE, configMatches, configOf, resolveEntry, skipDir, type Ctx } from './context.js';
import { addCatalogued, fileRoutes, warnDepth } from './entries.js';

const NAMESPACE_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** File routes inside the layout: method-prefixed or dynamic files only (entry files are functions, §2.8). */
const groupedFile = (pf: ParsedFile): boolean => !isCanonicalEntryName(pf.name) && (pf.method !== null || pf.dynamic);

/** Walk `<root>/<rt>/`. `overlays` are the root's layers. */
export function walkRuntimeDir(ctx: Ctx, rt: Runtime, overlays: PolicyLayer[]): void {
  const dir: string = rt;
  const node = ctx.tree.dirs.get(dir);
  if (!node || node.pruned) return;
  const own = overlayLayer(configOf(ctx, dir));
  const ov = own ? [...overlays, own] : overlays;
  const tokens: Token[] = [{ kind: 'static', value: rt }];
  for (const n of node.files) {
    if (ENTRY_FILES[rt].includes(n) && ctx.runtimes.has(rt))
      ctx.warn(`${joinRel(dir, n)}: entry file directly in ${rt}/; ignored`);
  }
  warnForeignEntries(ctx, rt, dir, node);
  fileRoutes(ctx, dir, node, tokens, ov, groupedFile);
  if (node.files.includes(ROUTES_FILE)) {
    ctx.manifestDirs.push(dir);
    return;
  }
  for (const child of node.dirs) {
    const rel = joinRel(dir, child);
    if (!skipDir(ctx, rel)) groupedDir(ctx, rt, rel, 1, tokens, ov);
  }
}

function groupedDir(ctx: Ctx, rt: Runtime, dir: string, level: number, parent: Token[], overlays: PolicyLayer[]): void {
  const node = ctx.tree.dirs.get(dir);
  if (!node || node.pruned) return;
  const seg = normaliseSegment(baseOf(dir));
  if (!NAMESPACE_SEGMENT.test(baseOf(dir)) || seg === '') {
    ctx.warn(`${dir}: directory name outside [A-Za-z0-9_-] in the ${rt}/ layout; skipped`);
    return;
  }
  if (depthOf(dir) > MAX_DEPTH) return warnDepth(ctx, dir, node);
  const tokens: Token[] = [...parent, { kind: 'static', value: seg }];
  let cfg = configOf(ctx, dir);
  const entry = resolveEntry(ctx, dir, node, cfg, rt);
  warnForeignEntries(ctx, rt, dir, node);

  if (entry || versionsOnly(ctx, rt, dir, node)) {
    if (entry && !configMatches(ctx, cfg, entry)) cfg = null;
    ctx.roles.set(dir, cfg ? 'function' : 'ignored');
    const name = cfg?.name ?? dir.slice(rt.length + 1);
    const layers = [...overlays, cfg?.layer];
    const versions = addCatalogued(ctx, {
      runtime: rt,
      name,
      dir,
      entry: entry?.file ?? null,
      layers,
      routes: cfg?.routes,
      routesFile: cfg?.file ?? entry?.file ?? dir,
      only: rt,
    });
    fileRoutes(ctx, dir, node, tokens, overlays, groupedFile);
    if (node.files.includes(ROUTES_FILE)) return void ctx.manifestDirs.push(dir);
    for (const child of node.dirs) {
      const rel = joinRel(dir, child);
      if (!skipDir(ctx, rel) && !versions.has(child)) filesOnly(ctx, rt, rel, tokens, overlays);
    }
    return;
  }

  // A namespace: an overlay for what is below, recursed up to `namespace_depth` levels.
  if (cfg) ctx.roles.set(dir, 'overlay');
  const own = overlayLayer(cfg);
  const ov = own ? [...overlays, own] : overlays;
  fileRoutes(ctx, dir, node, tokens, ov, groupedFile);
  if (node.files.includes(ROUTES_FILE)) return void ctx.manifestDirs.push(dir);
  const children = node.dirs.filter((c) => !skipDir(ctx, joinRel(dir, c)));
  const depth = Math.min(5, Math.max(1, Math.trunc(ctx.opts.namespace_depth) || 3));
  if (level > depth) {
    if (children.length) ctx.warn(`${dir}: namespace depth limit (${depth}) exceeded; subdirectories skipped`);
    return;
  }
  for (const child of children) groupedDir(ctx, rt, joinRel(dir, child), level + 1, tokens, ov);
}

/** Below a function directory (outside its versions): file routes only, never functions. */
function filesOnly(ctx: Ctx, rt: Runtime, dir: string, parent: Token[], overlays: PolicyLayer[]): void {
  const node = ctx.tree.dirs.get(dir);
  if (!node || node.pruned) return;
  if (depthOf(dir) > MAX_DEPTH) return warnDepth(ctx, dir, node);
  const tok = parseToken(baseOf(dir));
  if (typeof tok === 'string') return void ctx.warn(`${dir}: ${tok}; skipped`);
  const cfg = configOf(ctx, dir);
  if (cfg) ctx.roles.set(dir, 'overlay');
  const own = overlayLayer(cfg);
  const ov = own ? [...overlays, own] : overlays;
  const tokens = [...parent, tok];
  warnForeignEntries(ctx, rt, dir, node);
  fileRoutes(ctx, dir, node, tokens, ov, groupedFile);
  for (const child of node.dirs) {
    const rel = joinRel(dir, child);
    if (!skipDir(ctx, rel)) filesOnly(ctx, rt, rel, tokens, ov);
  }
}

/** §2.8: a directory without an entry whose entry-bearing children all look like version labels. */
function versionsOnly(ctx: Ctx, rt: Runtime, dir: string, node: TreeDir): boolean {
  let found = 0;
  for (const child of node.dirs) {
    const rel = joinRel(dir, child);
    const cnode = ctx.tree.dirs.get(rel);
    if (skipDir(ctx, rel) || !cnode || cnode.pruned) continue;
    if (!resolveEntry(ctx, rel, cnode, configOf(ctx, rel), rt)) continue;
    if (!VERSION_LIKE.test(child)) return false;
    found++;
  }
  return found > 0;
}

/** Entry files of another runtime inside `<rt>/` are ignored with a warning (§2.8). */
function warnForeignEntries(ctx: Ctx, rt: Runtime, dir: string, node: TreeDir): void {
  for (const n of node.files) {
    const other = runtimeOfFile(n, ctx.runtimes);
    if (other && other !== rt && ENTRY_FILES[other].includes(n)) {
      ctx.warn(`${joinRel(dir, n)}: entry file of another runtime in ${rt}/; ignored`);
    }
  }
}
