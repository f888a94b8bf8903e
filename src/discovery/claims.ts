// Turning tokens and config route strings into route claims (SPEC §2.3 G7/G10, §2.7 default routes, §2.11, §2.15).
// Reserved and malformed routes are dropped here with a warning naming the file and the route.
import type { FunctionSpec, Method, RouteSource } from './types.js';
import type { Token } from './grammar.js';
import {
  checkParams,
  isReservedTemplate,
  normaliseSegment,
  parseRouteString,
  templateShape,
  templateString,
  type TSeg,
} from './normalise.js';
import type { Ctx } from './context.js';

export const MAX_CONFIG_ROUTES = 32;

/**
 * Templates for a file route: directory tokens + file tokens. An optional catch-all registers the base path and
 * `base/:name*` (G7); any catch-all must be the last segment (G8). Returns the reason on failure.
 */
export function fileTemplates(tokens: readonly Token[]): TSeg[][] | string {
  const segs: TSeg[] = [];
  for (const [i, t] of tokens.entries()) {
    const last = i === tokens.length - 1;
    if ((t.kind === 'rest' || t.kind === 'optional') && !last) return 'a catch-all must be the last segment';
    if (t.kind === 'static') segs.push({ t: 'static', v: t.value });
    else if (t.kind === 'param') segs.push({ t: 'param', name: t.name });
    else if (t.kind === 'rest') segs.push({ t: 'rest', name: t.name });
    else {
      const checked = checkParams([...segs, { t: 'rest', name: t.name }]);
      return typeof checked === 'string' ? checked : [segs, checked];
    }
  }
  const checked = checkParams(segs);
  return typeof checked === 'string' ? checked : [checked];
}

/** Add one claim unless the route is reserved (§2.15, G10), which is dropped with a warning naming `origin`. */
export function claim(
  ctx: Ctx,
  fn: FunctionSpec,
  segs: TSeg[],
  source: RouteSource,
  methods: Method[],
  origin: string,
) {
  const route = templateString(segs);
  if (isReservedTemplate(segs)) {
    const why = route === '/' ? 'is reserved for home routing' : 'is reserved';
    ctx.warn(`${origin}: route ${route} ${why}; ignored`);
    return false;
  }
  ctx.claims.push({
    segs,
    route,
    shape: templateShape(segs),
    methods,
    allow_hosts: fn.policy.allow_hosts,
    key: fn.key,
    file: fn.entry,
    source,
  });
  return true;
}

/** File-route claims for a handler file: method-prefixed files rank above unprefixed ones (§2.13 levels 3, 4). */
export function claimFile(ctx: Ctx, fn: FunctionSpec, templates: TSeg[][], prefixed: boolean): number {
  let n = 0;
  for (const segs of templates)
    if (claim(ctx, fn, segs, prefixed ? 'file-method' : 'file', fn.policy.methods, fn.entry)) n++;
  return n;
}

/**
 * Config routes of a catalogued function or version (§2.7, §2.11): explicit `invoke.routes` (at most 32), else the
 * default `/<name>` + `/<name>/*` pair. Forced by `invoke.force_url` or the global force-url switch (§2.13 level 1).
 */
export function claimConfigRoutes(
  ctx: Ctx,
  fn: FunctionSpec,
  routes: unknown[] | undefined,
  cfgFile: string,
  defaultName: string | null,
): void {
  const source: RouteSource = fn.policy.force_url || ctx.opts.force_url ? 'config-forced' : 'config';
  const methods = fn.policy.methods;
  if (routes && routes.length > 0) {
    let kept = 0;
    for (const r of routes) {
      if (typeof r !== 'string') {
        ctx.warn(`${cfgFile}: route ${JSON.stringify(r)} is not a string; dropped`);
        continue;
      }
      const segs = parseRouteString(r);
      if (typeof segs === 'string') {
        ctx.warn(`${cfgFile}: route ${r}: ${segs}; dropped`);
      } else if (kept >= MAX_CONFIG_ROUTES) {
        ctx.warn(`${cfgFile}: more than ${MAX_CONFIG_ROUTES} routes; route ${r} dropped`);
      } else if (claim(ctx, fn, segs, source, methods, cfgFile)) {
        kept++;
      }
    }
    return;
  }
  if (defaultName === null) return;
  const base = nameSegments(defaultName);
  if (base === null) {
    ctx.warn(`${cfgFile}: function name ${defaultName} normalises to an empty segment; no default routes`);
    return;
  }
  claim(ctx, fn, base, source, methods, fn.entry);
  claim(ctx, fn, [...base, { t: 'rest', name: null }], source, methods, fn.entry);
}

/** `team_x/ns-hello` -> static segments `team-x`, `ns-hello`; null when one normalises to empty (N5). */
export function nameSegments(name: string): TSeg[] | null {
  const segs = name.split('/').map((s) => normaliseSegment(s));
  return segs.some((s) => s === '') ? null : segs.map((v) => ({ t: 'static', v }));
}
