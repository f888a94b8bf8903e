// compileRouter: catalog routes and conflicts -> a matcher (SPEC §2.5 M3-M8, §9.1 steps 6-8). Static templates live in a
// Map keyed by path; dynamic ones are pre-split, pre-sorted per M4 and indexed by their first static segment. No I/O.
import { METHODS, type Catalog, type Method, type RouteEntry } from '../discovery/types.js';
import type { MatchResult, Router } from './types.js';
import { compileHosts, hostAllowed, type HostMatcher } from './hosts.js';
import { compileTemplate, compareM4, matchSegments, type Compiled } from './template.js';
import { DynamicIndex } from './dynamic.js';

interface Item {
  t: Compiled;
  mask: number;
  hosts: HostMatcher;
  /** null = a recorded conflict (409 for its methods). */
  entry: RouteEntry | null;
  order: number;
}

const BIT: Readonly<Record<string, number>> = { GET: 1, POST: 2, PUT: 4, PATCH: 8, DELETE: 16 };
const LABEL = /^[A-Za-z0-9_.-]+$/;
const NONE: readonly Item[] = [];

const maskOf = (ms: readonly Method[]): number => ms.reduce((m, x) => m | (BIT[x] ?? 0), 0);
const methodsOf = (mask: number): Method[] => METHODS.filter((m) => (mask & (BIT[m] ?? 0)) !== 0);

export function compileRouter(catalog: Catalog): Router {
  const items: Item[] = [
    ...catalog.routes.map((e) => ({
      t: compileTemplate(e.route),
      mask: maskOf(e.methods),
      hosts: compileHosts(e.allow_hosts),
      entry: e,
      order: 0,
    })),
    ...catalog.conflicts.map((c) => ({
      t: compileTemplate(c.route),
      mask: maskOf(c.methods),
      hosts: compileHosts(c.allow_hosts),
      entry: null,
      order: 0,
    })),
  ];
  const tie = (a: Item, b: Item): number =>
    (a.entry?.source_rank ?? 0) - (b.entry?.source_rank ?? 0) || cmp(a.entry?.key ?? '', b.entry?.key ?? '');
  const statics = new Map<string, Item[]>();
  const dynamic: Item[] = [];
  for (const it of items) {
    if (it.t.dynamic) dynamic.push(it);
    else statics.set(it.t.route, [...(statics.get(it.t.route) ?? []), it]);
  }
  for (const list of statics.values()) list.sort(tie);
  dynamic.sort((a, b) => compareM4(a.t, b.t) || tie(a, b));
  dynamic.forEach((it, i) => (it.order = i));
  const index = new DynamicIndex(dynamic);
  const versions = catalog.versions;

  return {
    match(path: string, method: string, host: string): MatchResult {
      const options = method === 'OPTIONS';
      const bit = BIT[method === 'HEAD' ? 'GET' : method] ?? 0;
      let pathHit = false;
      let hostHit = false;
      let allow = 0;
      const entries: RouteEntry[] = [];
      // Returns a final answer, or null to keep looking (M6: the first route admitting host and method wins).
      const visit = (it: Item): 'hit' | 'conflict' | null => {
        pathHit = true;
        if (!hostAllowed(it.hosts, host)) return null;
        hostHit = true;
        allow |= it.mask;
        if (options) {
          if (it.entry) entries.push(it.entry);
          return null;
        }
        if ((it.mask & bit) === 0) return null;
        return it.entry ? 'hit' : 'conflict';
      };
      for (const it of statics.get(path) ?? NONE) {
        const r = visit(it);
        if (r === 'conflict') return { kind: 'conflict' };
        if (r === 'hit' && it.entry) return { kind: 'hit', entry: it.entry, params: {} };
      }
      const segs = path === '/' ? [] : path.slice(1).split('/');
      let found: MatchResult | null = null;
      index.each(segs, (it) => {
        const params = matchSegments(it.t, segs);
        if (!params) return false;
        const r = visit(it);
        if (r === 'conflict') found = { kind: 'conflict' };
        else if (r === 'hit' && it.entry) found = { kind: 'hit', entry: it.entry, params };
        return found !== null;
      });
      if (found) return found;
      if (!pathHit) return { kind: 'miss' };
      if (!hostHit) return { kind: 'host' };
      if (options) return { kind: 'options', allow: methodsOf(allow), entries };
      return { kind: 'method', allow: methodsOf(allow) };
    },

    matchVersion(path: string): { key: string } | null {
      const at = path.lastIndexOf('@');
      if (at < 2 || path.charCodeAt(0) !== 47) return null;
      const name = path.slice(1, at);
      const label = path.slice(at + 1);
      if (!LABEL.test(label) || name.endsWith('/')) return null;
      const key = versions.get(name)?.get(label);
      return key ? { key } : null;
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
