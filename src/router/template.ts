// Route templates for matching (SPEC §2.5 M4, M5): `:name` one segment, `:name*` and a trailing `*` one or more,
// a non-trailing `*` one segment; bare `*` captures `wildcard`, `wildcard2`, ... Compiled once, never per request.

/** k 0 = static text, 1 = one segment (`:name` or a non-trailing `*`), 2 = one or more (last only). */
export type CSeg = { k: 0; v: string } | { k: 1; name: string } | { k: 2; name: string };

export interface Compiled {
  route: string;
  segs: CSeg[];
  dynamic: boolean;
  /** Last segment is a catch-all. */
  rest: boolean;
  statics: number;
  catchAlls: number;
}

/** Compile a canonical template as printed by discovery (`/users/:id`, `/blog/:slug*`, `/hello/*`). */
export function compileTemplate(route: string): Compiled {
  const parts = route.split('/').filter((p) => p !== '');
  const segs: CSeg[] = [];
  let stars = 0;
  const starName = (): string => (++stars === 1 ? 'wildcard' : `wildcard${stars}`);
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    if (p === '*') segs.push(last ? { k: 2, name: starName() } : { k: 1, name: starName() });
    else if (p.startsWith(':') && p.endsWith('*') && p.length > 2) segs.push({ k: 2, name: p.slice(1, -1) });
    else if (p.startsWith(':') && p.length > 1) segs.push({ k: 1, name: p.slice(1) });
    else segs.push({ k: 0, v: p });
  });
  const statics = segs.filter((s) => s.k === 0).length;
  const catchAlls = segs.filter((s) => s.k === 2).length;
  return {
    route,
    segs,
    dynamic: statics < segs.length,
    rest: catchAlls > 0 && segs[segs.length - 1]?.k === 2,
    statics,
    catchAlls,
  };
}

/**
 * M4: more static segments first; then more total segments; then fewer catch-alls; then more dynamic segments;
 * then the route string in code-unit order.
 */
export function compareM4(a: Compiled, b: Compiled): number {
  return (
    b.statics - a.statics ||
    b.segs.length - a.segs.length ||
    a.catchAlls - b.catchAlls ||
    b.segs.length - b.statics - (a.segs.length - a.statics) ||
    (a.route < b.route ? -1 : a.route > b.route ? 1 : 0)
  );
}

/** Params when the decoded request segments match, else null. Static segments are checked before any allocation. */
export function matchSegments(t: Compiled, segs: readonly string[]): Record<string, string> | null {
  const n = t.segs.length;
  if (t.rest ? segs.length < n : segs.length !== n) return null;
  for (let i = 0; i < n; i++) {
    const s = t.segs[i];
    if (s && s.k === 0 && s.v !== segs[i]) return null;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const s = t.segs[i];
    if (!s || s.k === 0) continue;
    params[s.name] = s.k === 1 ? (segs[i] ?? '') : segs.slice(i).join('/');
  }
  return params;
}
