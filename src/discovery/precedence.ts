// Precedence and conflicts (SPEC §2.13): for each (path shape, method, host set) the highest level wins, independent of
// scan order; two targets at one level are a conflict for that method only. Disjoint exact host sets coexist.
import { METHODS, SOURCE_RANK, type Method, type RouteConflict, type RouteEntry } from './types.js';
import { compareNames } from './tree.js';
import type { Claim } from './context.js';

interface HostPattern {
  wildcard: boolean;
  host: string;
  port: string | null;
}

function parseHostPattern(p: string): HostPattern {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(p);
  const host = m?.[1] ?? p;
  return { wildcard: host.startsWith('*'), host, port: m?.[2] ?? null };
}

/** Two allow-lists overlap unless both are non-empty, exact and share no host (a wildcard overlaps everything). */
export function hostSetsOverlap(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  const pa = a.map(parseHostPattern);
  const pb = b.map(parseHostPattern);
  if (pa.some((p) => p.wildcard) || pb.some((p) => p.wildcard)) return true;
  return pa.some((x) => pb.some((y) => x.host === y.host && (x.port === null || y.port === null || x.port === y.port)));
}

const rank = (c: Claim): number => SOURCE_RANK[c.source];

function byClaim(a: Claim, b: Claim): number {
  return rank(a) - rank(b) || compareNames(a.key, b.key) || compareNames(a.route, b.route);
}

function unionHosts(claims: readonly Claim[]): string[] {
  if (claims.some((c) => c.allow_hosts.length === 0)) return [];
  return [...new Set(claims.flatMap((c) => c.allow_hosts))].sort(compareNames);
}

/** Connected components of claims under host-set overlap. */
function clusters(claims: Claim[]): Claim[][] {
  const out: Claim[][] = [];
  const seen = new Set<number>();
  for (let i = 0; i < claims.length; i++) {
    if (seen.has(i)) continue;
    const group: Claim[] = [];
    const stack = [i];
    seen.add(i);
    while (stack.length) {
      const j = stack.pop() ?? 0;
      const cj = claims[j];
      if (!cj) continue;
      group.push(cj);
      for (let k = 0; k < claims.length; k++) {
        const ck = claims[k];
        if (!seen.has(k) && ck && hostSetsOverlap(cj.allow_hosts, ck.allow_hosts)) {
          seen.add(k);
          stack.push(k);
        }
      }
    }
    out.push(group.sort(byClaim));
  }
  return out;
}

export function resolveClaims(claims: readonly Claim[]): { routes: RouteEntry[]; conflicts: RouteConflict[] } {
  const byShape = new Map<string, Claim[]>();
  for (const c of claims) {
    const list = byShape.get(c.shape);
    if (list) list.push(c);
    else byShape.set(c.shape, [c]);
  }
  const winners = new Map<string, RouteEntry>();
  const conflicts = new Map<string, RouteConflict>();
  for (const shape of [...byShape.keys()].sort(compareNames)) {
    const all = byShape.get(shape) ?? [];
    for (const method of METHODS) {
      const cands = all.filter((c) => c.methods.includes(method)).sort(byClaim);
      const taken: string[][] = [];
      for (const level of [...new Set(cands.map(rank))]) {
        const here = cands.filter((c) => rank(c) === level && !taken.some((h) => hostSetsOverlap(h, c.allow_hosts)));
        for (const group of clusters(here)) {
          const targets = [...new Set(group.map((c) => c.key))].sort(compareNames);
          const first = group[0];
          if (!first) continue;
          if (targets.length === 1) addWinner(winners, first, method);
          else addConflict(conflicts, group, targets, method);
        }
        taken.push(...here.map((c) => c.allow_hosts));
      }
    }
  }
  return { routes: sortEntries([...winners.values()]), conflicts: sortConflicts([...conflicts.values()]) };
}

function addWinner(winners: Map<string, RouteEntry>, c: Claim, method: Method): void {
  const id = JSON.stringify([c.route, c.key, c.source, c.allow_hosts]);
  const e = winners.get(id);
  if (e) {
    e.methods = METHODS.filter((m) => m === method || e.methods.includes(m));
    return;
  }
  winners.set(id, {
    route: c.route,
    methods: [method],
    allow_hosts: [...c.allow_hosts],
    key: c.key,
    source: c.source,
    source_rank: SOURCE_RANK[c.source],
    force_url: c.source === 'config-forced',
  });
}

function addConflict(conflicts: Map<string, RouteConflict>, group: Claim[], targets: string[], method: Method): void {
  const route = group.map((c) => c.route).sort(compareNames)[0] ?? '/';
  const hosts = unionHosts(group);
  const id = JSON.stringify([route, targets, hosts]);
  const e = conflicts.get(id);
  if (e) {
    e.methods = METHODS.filter((m) => m === method || e.methods.includes(m));
    return;
  }
  const files = [...new Set(group.map((c) => c.file))].sort(compareNames);
  conflicts.set(id, { route, methods: [method], allow_hosts: hosts, targets, files });
}

const methodIndex = (ms: readonly Method[]): number => (ms[0] ? METHODS.indexOf(ms[0]) : 0);

export function sortEntries(list: RouteEntry[]): RouteEntry[] {
  return list.sort(
    (a, b) =>
      compareNames(a.route, b.route) ||
      methodIndex(a.methods) - methodIndex(b.methods) ||
      a.source_rank - b.source_rank ||
      compareNames(a.key, b.key) ||
      compareNames(a.allow_hosts.join(','), b.allow_hosts.join(',')),
  );
}

function sortConflicts(list: RouteConflict[]): RouteConflict[] {
  return list.sort(
    (a, b) =>
      compareNames(a.route, b.route) ||
      methodIndex(a.methods) - methodIndex(b.methods) ||
      compareNames(a.targets.join(','), b.targets.join(',')),
  );
}
