// The route table as people read it (SPEC §16.3): the same text for `dev`/`run` at startup and `fastfn routes`.
import type { Catalog } from '../discovery/types.js';

export interface TableRow {
  methods: string[];
  route: string;
  target: string;
  runtime: string;
  source: string;
  hosts: string[];
}

export function tableRows(c: Catalog): TableRow[] {
  const rows: TableRow[] = [];
  for (const r of c.routes) {
    const spec = c.functions.get(r.key);
    rows.push({ methods: r.methods, route: r.route, target: spec?.entry ?? r.key, runtime: spec?.runtime ?? '?', source: r.source, hosts: r.allow_hosts });
  }
  for (const k of c.conflicts) {
    rows.push({ methods: k.methods, route: k.route, target: k.files.join(', '), runtime: 'CONFLICT (409)', source: 'conflict', hosts: k.allow_hosts });
  }
  const order = (m: string[]) => m.join(' ');
  return rows.sort((a, b) => a.route.localeCompare(b.route) || order(a.methods).localeCompare(order(b.methods)));
}

export function formatTable(c: Catalog): string[] {
  const rows = tableRows(c);
  const head = { m: 'METHOD', r: 'ROUTE', t: 'TARGET', rt: 'RUNTIME' };
  const w = (f: (r: TableRow) => string, h: string) => Math.max(h.length, ...rows.map((r) => f(r).length)) + 2;
  const wm = w((r) => r.methods.join(' '), head.m);
  const wr = w((r) => r.route, head.r);
  const wt = w((r) => r.target, head.t);
  const line = (m: string, r: string, t: string, rt: string) => `  ${m.padEnd(wm)}${r.padEnd(wr)}${t.padEnd(wt)}${rt}`.trimEnd();
  const out = [line(head.m, head.r, head.t, head.rt)];
  for (const r of rows) out.push(line(r.methods.join(' '), r.route, r.target, r.runtime + (r.hosts.length ? ` (hosts: ${r.hosts.join(',')})` : '')));
  if (!rows.length) out.push('  (no routes discovered)');
  for (const wn of c.warnings) out.push(`  warning: ${wn}`);
  return out;
}

/** Route diff printed on hot reload (SPEC §14): `+ GET /new`, `- GET /old`, `! conflict /x`. */
export function routeDiff(before: Catalog | null, after: Catalog): string[] {
  const key = (r: TableRow) => `${r.methods.join(',')} ${r.route}`;
  const a = new Set((before ? tableRows(before) : []).filter((r) => r.source !== 'conflict').map(key));
  const b = new Set(tableRows(after).filter((r) => r.source !== 'conflict').map(key));
  const out: string[] = [];
  for (const k of b) if (!a.has(k)) out.push(`+ ${k}`);
  for (const k of a) if (!b.has(k)) out.push(`- ${k}`);
  const oldConf = new Set(before?.conflicts.map((c) => c.route) ?? []);
  for (const c of after.conflicts) if (!oldConf.has(c.route)) out.push(`! conflict ${c.route}`);
  return out;
}
