// Host allow-lists (SPEC §6.1 `invoke.allow_hosts`): exact `host` (any port), `host:port` (the authority), and
// `*.example.com` (subdomains only, not the apex). Compiled once per route, not per request.

export interface HostMatcher {
  any: boolean;
  /** `host:port` entries, matched against the whole authority. */
  authorities: Set<string>;
  /** Plain `host` entries, matched against the host without its port. */
  hosts: Set<string>;
  /** `*.example.com` -> `.example.com` (with `port` when the entry had one). */
  suffixes: { suffix: string; port: string | null }[];
}

function splitAuthority(a: string): { host: string; port: string | null } {
  if (a.startsWith('[')) {
    const close = a.indexOf(']');
    if (close > 0) {
      const rest = a.slice(close + 1);
      return { host: a.slice(0, close + 1), port: rest.startsWith(':') ? rest.slice(1) : null };
    }
  }
  const colon = a.lastIndexOf(':');
  return colon >= 0 && a.indexOf(':') === colon
    ? { host: a.slice(0, colon), port: a.slice(colon + 1) }
    : { host: a, port: null };
}

export function compileHosts(list: readonly string[]): HostMatcher {
  const m: HostMatcher = { any: list.length === 0, authorities: new Set(), hosts: new Set(), suffixes: [] };
  for (const raw of list) {
    const entry = raw.trim().toLowerCase();
    if (entry === '*') m.any = true;
    else if (entry.startsWith('*.')) {
      const { host, port } = splitAuthority(entry);
      m.suffixes.push({ suffix: host.slice(1), port });
    } else if (splitAuthority(entry).port !== null) m.authorities.add(entry);
    else m.hosts.add(entry);
  }
  return m;
}

/** `host` is the lower-cased effective authority (may carry `:port`). */
export function hostAllowed(m: HostMatcher, host: string): boolean {
  if (m.any) return true;
  if (m.authorities.has(host)) return true;
  const { host: name, port } = splitAuthority(host);
  if (m.hosts.has(name)) return true;
  for (const s of m.suffixes) {
    if (name.length > s.suffix.length && name.endsWith(s.suffix) && (s.port === null || s.port === port)) return true;
  }
  return false;
}
