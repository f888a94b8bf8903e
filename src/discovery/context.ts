// The mutable state of one buildCatalog run and the helpers every walker shares: cached configs, entry-file
// resolution (SPEC §2.2), function records and route claims. Lives for one call; never touches the filesystem.
import type { DiscoveryOptions, FunctionKind, FunctionSpec, Method, Runtime, RouteSource } from './types.js';
import { CONFIG_FILE, ENV_FILE, baseOf, joinRel, showDir, type FileTree, type TreeDir } from './tree.js';
import { parseConfig, type ParsedConfig, type PolicyLayer } from './config.js';
import { ENTRY_FILES, ENTRY_RUNTIME_ORDER, runtimeOfFile } from './grammar.js';
import { mergeLayers, overlayLayer, toPolicy } from './policy.js';
import { parseHints } from './hints.js';
import type { TSeg } from './normalise.js';

export const MAX_DEPTH = 6;
export const VERSION_LIKE = /^v?[0-9][A-Za-z0-9_.-]*$/;
export const VERSION_LABEL = /^[A-Za-z0-9_.-]+$/;

/** One route claim before precedence (§2.13). */
export interface Claim {
  segs: TSeg[];
  route: string;
  shape: string;
  methods: Method[];
  allow_hosts: string[];
  key: string;
  /** Entry file of the claimant, relative to the root. */
  file: string;
  source: RouteSource;
}

export interface VersionRef {
  /** Normalised route name without the leading `/`. */
  name: string;
  label: string;
  key: string;
  runtime: Runtime;
  kind: FunctionKind;
}

export interface HomeAlias {
  dir: string;
  folderRoute: string;
  value: unknown;
  file: string;
}

export type DirRole = 'overlay' | 'function' | 'ignored';

export interface Ctx {
  tree: FileTree;
  opts: DiscoveryOptions;
  runtimes: ReadonlySet<Runtime>;
  ignored: ReadonlySet<string>;
  assetsDir: string | null;
  warnings: string[];
  warn: (msg: string) => void;
  configs: Map<string, ParsedConfig | null>;
  roles: Map<string, DirRole>;
  functions: Map<string, FunctionSpec>;
  claims: Claim[];
  versions: VersionRef[];
  homeAliases: HomeAlias[];
  manifestDirs: string[];
}

export function createCtx(tree: FileTree, opts: DiscoveryOptions): Ctx {
  const warnings: string[] = [...tree.warnings];
  return {
    tree,
    opts,
    runtimes: new Set(opts.runtimes),
    ignored: new Set(),
    assetsDir: null,
    warnings,
    warn: (m) => warnings.push(m),
    configs: new Map(),
    roles: new Map(),
    functions: new Map(),
    claims: [],
    versions: [],
    homeAliases: [],
    manifestDirs: [],
  };
}

/** The parsed `fn.config.json` of a directory (cached; parse warnings are emitted once). */
export function configOf(ctx: Ctx, dir: string): ParsedConfig | null {
  if (ctx.configs.has(dir)) return ctx.configs.get(dir) ?? null;
  const file = joinRel(dir, CONFIG_FILE);
  const json = ctx.tree.files.get(file)?.json;
  let cfg: ParsedConfig | null = null;
  if (json && !json.ok) ctx.warn(`${file}: invalid JSON (${json.error}); ignored`);
  else if (json && json.ok) cfg = parseConfig(file, json.value, dir === '', ctx.warn);
  ctx.configs.set(dir, cfg);
  return cfg;
}

/** Skipped child directories: dot directories, ignored names (§2.14), the assets directory (§15). */
export function skipDir(ctx: Ctx, rel: string): boolean {
  const name = baseOf(rel);
  return name.startsWith('.') || ctx.ignored.has(name.toLowerCase()) || rel === ctx.assetsDir;
}

export interface Entry {
  file: string;
  runtime: Runtime;
  /** Canonical entry files of this directory that were not chosen (they become private). */
  others: string[];
}

/**
 * The entry file of a directory (§2.2): a valid `entrypoint` wins, else the canonical files in the fixed runtime order
 * (the config's `runtime` first when it names one present). `only` restricts to one runtime (runtime-grouped layout).
 */
export function resolveEntry(
  ctx: Ctx,
  dir: string,
  node: TreeDir,
  cfg: ParsedConfig | null,
  only?: Runtime,
): Entry | null {
  const present = (rt: Runtime): string | undefined => ENTRY_FILES[rt].find((n) => node.files.includes(n));
  const order = ENTRY_RUNTIME_ORDER.filter((rt) => ctx.runtimes.has(rt) && (!only || rt === only));
  const canon = order.flatMap((rt) => ENTRY_FILES[rt].filter((n) => node.files.includes(n)));
  if (cfg?.entrypoint) {
    const file = joinRel(dir, cfg.entrypoint);
    const rt = runtimeOfFile(baseOf(file), ctx.runtimes);
    if (!ctx.tree.files.has(file)) ctx.warn(`${cfg.file}: entrypoint ${cfg.entrypoint} not found; ignored`);
    else if (!rt || (only && rt !== only))
      ctx.warn(`${cfg.file}: entrypoint ${cfg.entrypoint} is not a handler file; ignored`);
    else return { file, runtime: rt, others: canon.filter((n) => joinRel(dir, n) !== file) };
  }
  const preferred = cfg?.runtime && order.find((rt) => rt === cfg.runtime && present(rt));
  const rt = preferred || order.find((r) => present(r));
  if (!rt) return null;
  const name = present(rt) ?? '';
  const others = canon.filter((n) => n !== name);
  for (const o of others)
    ctx.warn(`${joinRel(dir, o)}: entry file not used (${name} is the entry of ${showDir(dir)}); private`);
  return { file: joinRel(dir, name), runtime: rt, others };
}

/** The config acts for the entry only when its `runtime` (if any) matches the entry (§6.1 `runtime`). */
export function configMatches(ctx: Ctx, cfg: ParsedConfig | null, entry: Entry): boolean {
  if (!cfg?.runtime || cfg.runtime === entry.runtime) return true;
  ctx.warn(`${cfg.file}: runtime ${cfg.runtime} does not match the entry file ${entry.file}; config ignored`);
  return false;
}

/** What a layout knows about a function before its policy is merged (the identity part of FunctionSpec). */
export type NewFunction = Pick<FunctionSpec, 'runtime' | 'name' | 'version' | 'kind' | 'dir' | 'entry'> & {
  layers: (PolicyLayer | null | undefined)[];
  methods?: Method[];
  envDirs: string[];
};

/** Record a function key; a duplicate key keeps the first one and warns. */
export function addFunction(ctx: Ctx, f: NewFunction, replace = false): FunctionSpec | null {
  const key = `${f.runtime}/${f.name}@${f.version}`;
  const prev = ctx.functions.get(key);
  if (prev && !replace) {
    ctx.warn(`${f.entry}: function ${key} is already defined by ${prev.entry}; ignored`);
    return null;
  }
  const spec: FunctionSpec = {
    key,
    runtime: f.runtime,
    name: f.name,
    version: f.version,
    kind: f.kind,
    dir: showDir(f.dir),
    entry: f.entry,
    env_files: f.envDirs.map((d) => joinRel(d, ENV_FILE)).filter((p) => ctx.tree.files.has(p)),
    policy: toPolicy(mergeLayers(f.layers), ctx.opts, f.methods),
    hints: parseHints(ctx.tree.files.get(f.entry)?.head),
  };
  ctx.functions.set(key, spec);
  return spec;
}

/** Overlay layers that apply in `dir` (root first), from configs whose role is (or would be) overlay. */
export function overlayChain(ctx: Ctx, dir: string): PolicyLayer[] {
  const out: PolicyLayer[] = [];
  const parts = dir === '' ? [] : dir.split('/');
  for (let i = 0; i <= parts.length; i++) {
    const d = parts.slice(0, i).join('/');
    const cfg = configOf(ctx, d);
    const role = ctx.roles.get(d) ?? (cfg?.identity ? 'function' : 'overlay');
    const layer = role === 'overlay' ? overlayLayer(cfg) : null;
    if (layer) out.push(layer);
  }
  return out;
}
