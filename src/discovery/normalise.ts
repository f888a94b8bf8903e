// Segment and route normalisation (SPEC §2.4), route templates and their syntax (§2.10, §2.11), reserved paths
// (§2.15). Pure string work shared by every route source, so the CLI, OpenAPI and gateway print the same route.

/** N1-N4: lower-case, `_` runs to `-`, other characters outside `[a-z0-9-]` to `-`, trim `-`. Empty = N5. */
export function normaliseSegment(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/_+/g, '-')
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** One compiled template segment: static text, `:name`, one-segment `*`, or a trailing one-or-more catch-all. */
export type TSeg =
  { t: 'static'; v: string } | { t: 'param'; name: string } | { t: 'star' } | { t: 'rest'; name: string | null };

/** Canonical template string: `/users/:id`, `/blog/:slug*`, `/hello/*`; `/` for no segments. */
export function templateString(segs: readonly TSeg[]): string {
  if (segs.length === 0) return '/';
  return segs
    .map((s) =>
      s.t === 'static'
        ? `/${s.v}`
        : s.t === 'param'
          ? `/:${s.name}`
          : s.t === 'star'
            ? '/*'
            : s.name
              ? `/:${s.name}*`
              : '/*',
    )
    .join('');
}

/**
 * Shape used to detect claims on the same path (§2.13): parameter names erased, so `/users/:id` and `/users/:uid`
 * collide. `:p` and a non-trailing `*` both match one segment; `:p*` and a trailing `*` both match one or more.
 */
export function templateShape(segs: readonly TSeg[]): string {
  if (segs.length === 0) return '/';
  return segs.map((s) => (s.t === 'static' ? `/${s.v}` : s.t === 'rest' ? '/\u0000*' : '/\u0000')).join('');
}

const PARAM_NAME = /^[A-Za-z0-9_]+$/;

/**
 * Parse a route written in a config or manifest (§2.10, §2.11): trimmed, `//` collapsed, trailing `/` dropped, a
 * missing leading `/` added. Accepts `:p`, `:p*`, `{p}` (alias of `:p`) and `*`. Static segments are kept as written.
 * Returns the reason on failure.
 */
export function parseRouteString(input: string): TSeg[] | string {
  const route = input.trim();
  if (route === '') return 'empty route';
  if (/\s/.test(route)) return 'route contains whitespace';
  if (route.includes('\\') || route.includes('\u0000')) return 'route contains a backslash or NUL';
  if (route.includes('?') || route.includes('#')) return 'route contains ? or #';
  const parts = route.split('/').filter((p) => p !== '');
  const segs: TSeg[] = [];
  for (const [i, p] of parts.entries()) {
    const last = i === parts.length - 1;
    if (p === '.' || p === '..') return 'route contains a . or .. segment';
    if (p === '*') {
      segs.push(last ? { t: 'rest', name: null } : { t: 'star' });
      continue;
    }
    const brace = /^\{(.*)\}$/.exec(p);
    const colon = p.startsWith(':') ? p.slice(1) : null;
    const spec = brace ? (brace[1] ?? '') : colon;
    if (spec === null) {
      if (/[{}*]/.test(p)) return `malformed segment ${p}`;
      segs.push({ t: 'static', v: p });
      continue;
    }
    const rest = spec.endsWith('*');
    const name = rest ? spec.slice(0, -1) : spec;
    if (!PARAM_NAME.test(name)) return `malformed parameter ${p}`;
    if (rest && !last) return `catch-all ${p} must be the last segment`;
    segs.push(rest ? { t: 'rest', name } : { t: 'param', name });
  }
  return checkParams(segs);
}

/** Duplicate parameter names would make `params` ambiguous. */
export function checkParams(segs: TSeg[]): TSeg[] | string {
  const seen = new Set<string>();
  for (const s of segs) {
    if ((s.t === 'param' || s.t === 'rest') && s.name) {
      if (seen.has(s.name)) return `duplicate parameter ${s.name}`;
      seen.add(s.name);
    }
  }
  return segs;
}

const RESERVED_EXACT = new Set(['/', '/openapi.json', '/system/metrics', '/fastfn.json', '/fastfn.toml']);
const RESERVED_PREFIX = new Set(['_fn', 'console']);

/** §2.15: `/_fn`, `/console` and below; `/`, `/openapi.json`, `/system/metrics`, `/fastfn.json`, `/fastfn.toml`. */
export function isReservedTemplate(segs: readonly TSeg[]): boolean {
  const first = segs[0];
  if (first && first.t === 'static' && RESERVED_PREFIX.has(first.v)) return true;
  if (segs.every((s) => s.t === 'static')) return RESERVED_EXACT.has(templateString(segs));
  return false;
}
