// `fn.routes.json` route manifests (SPEC §2.10): `"GET,POST /items/:id": "handlers/item.js"`. Targets are relative
// to the manifest, must stay inside the root and exist; their routes rank above file routes (§2.13 level 2).
import { METHODS, type Method, type Runtime } from './types.js';
import { ROUTES_FILE, baseOf, dirOf, joinRel } from './tree.js';
import { runtimeOfFile } from './grammar.js';
import { parseRouteString, type TSeg } from './normalise.js';
import { isObject } from './values.js';
import { addFunction, overlayChain, type Ctx } from './context.js';
import { claim } from './claims.js';

/** Parse a manifest key: `"<METHODS> <path>"` or `"<path>"`; methods separated by commas and/or spaces. */
export function parseManifestKey(key: string): { methods: Method[]; path: string } | string {
  const trimmed = key.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) return 'the path must be absolute';
  const path = trimmed.slice(slash);
  const head = trimmed.slice(0, slash).trim();
  if (head === '') return { methods: ['GET'], path };
  const seen = new Set<string>();
  for (const m of head.split(/[\s,]+/).filter((s) => s !== '')) {
    const up = m.toUpperCase();
    if (!(METHODS as readonly string[]).includes(up)) return `unknown method ${m}`;
    seen.add(up);
  }
  return { methods: METHODS.filter((m) => seen.has(m)), path };
}

/** Resolve `target` against `dir`; null when it leaves the root. */
export function resolveTarget(dir: string, target: string): string | null {
  if (target.startsWith('/') || target.includes('\\') || target.includes('\u0000')) return null;
  const out = dir === '' ? [] : dir.split('/');
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.length ? out.join('/') : null;
}

interface TargetRoutes {
  runtime: Runtime;
  methods: Set<Method>;
  routes: { segs: TSeg[]; methods: Method[]; origin: string }[];
}

/** Process every manifest found by the walkers; returns the keys of manifest targets (not also file routes). */
export function processManifests(ctx: Ctx): Set<string> {
  const keys = new Set<string>();
  const targets = new Map<string, TargetRoutes>();
  for (const dir of [...ctx.manifestDirs].sort()) {
    const mf = joinRel(dir, ROUTES_FILE);
    const json = ctx.tree.files.get(mf)?.json;
    if (!json) continue;
    if (!json.ok) {
      ctx.warn(`${mf}: invalid JSON (${json.error}); ignored`);
      continue;
    }
    const routes = isObject(json.value) ? json.value.routes : undefined;
    if (!isObject(routes)) {
      ctx.warn(`${mf}: expected {"routes": {...}}; ignored`);
      continue;
    }
    for (const key of Object.keys(routes).sort()) {
      const target = routes[key];
      const parsed = parseManifestKey(key);
      if (typeof parsed === 'string') {
        ctx.warn(`${mf}: route ${key}: ${parsed}; skipped`);
        continue;
      }
      const segs = parseRouteString(parsed.path);
      if (typeof segs === 'string') {
        ctx.warn(`${mf}: route ${key}: ${segs}; skipped`);
        continue;
      }
      if (typeof target !== 'string') {
        ctx.warn(`${mf}: route ${key}: target must be a string; skipped`);
        continue;
      }
      const rel = resolveTarget(dir, target);
      if (rel === null) {
        ctx.warn(`${mf}: route ${key}: target ${target} is outside the root; skipped`);
        continue;
      }
      if (!ctx.tree.files.has(rel)) {
        ctx.warn(`${mf}: route ${key}: target ${target} not found; skipped`);
        continue;
      }
      const runtime = runtimeOfFile(baseOf(rel), ctx.runtimes);
      if (!runtime) {
        ctx.warn(`${mf}: route ${key}: target ${target} is not a handler of an enabled runtime; skipped`);
        continue;
      }
      const t = targets.get(rel) ?? { runtime, methods: new Set<Method>(), routes: [] };
      parsed.methods.forEach((m) => t.methods.add(m));
      t.routes.push({ segs, methods: parsed.methods, origin: mf });
      targets.set(rel, t);
    }
  }
  for (const rel of [...targets.keys()].sort()) {
    const t = targets.get(rel);
    if (!t) continue;
    const dir = dirOf(rel);
    const fn = addFunction(
      ctx,
      {
        runtime: t.runtime,
        name: rel,
        version: 'default',
        kind: 'file',
        dir,
        entry: rel,
        layers: overlayChain(ctx, dir),
        methods: METHODS.filter((m) => t.methods.has(m)),
        envDirs: [dir],
      },
      true,
    );
    if (!fn) continue;
    keys.add(fn.key);
    for (const r of t.routes) claim(ctx, fn, r.segs, 'manifest', r.methods, r.origin);
  }
  return keys;
}
