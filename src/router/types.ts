// The matcher's answers (SPEC §2.5, §9.1 steps 6-9). The router is pure: it never touches the network or processes.
import type { Method, RouteEntry } from '../discovery/types.js';

/** Result of sanitising a request path (SPEC §2.5 M1, M2). */
export type PathResult = { ok: true; path: string } | { ok: false };

export type MatchResult =
  /** A route serves this method on this path and host. `method` HEAD is looked up as GET. */
  | { kind: 'hit'; entry: RouteEntry; params: Record<string, string> }
  /** The method is claimed by two routes at one level: 409 `ambiguous function`. */
  | { kind: 'conflict' }
  /** Path matched, but only routes whose `allow_hosts` exclude this host: 421. */
  | { kind: 'host' }
  /** Path and host matched, method not allowed by any: 405 with `Allow` (in GET, POST, PUT, PATCH, DELETE order). */
  | { kind: 'method'; allow: Method[] }
  /** OPTIONS on a matched path (and host): the union of methods, plus the entries for CORS. */
  | { kind: 'options'; allow: Method[]; entries: RouteEntry[] }
  | { kind: 'miss' };

export interface Router {
  /**
   * Match a sanitised path. `method` is the request method as received (GET, HEAD, OPTIONS, POST, ...).
   * `host` is the lower-cased effective host (authority, may include `:port`).
   */
  match(path: string, method: string, host: string): MatchResult;
  /** `/<name>@<label>` (SPEC §2.9) when nothing else matched; null when the path is not of that form or unknown. */
  matchVersion(path: string): { key: string } | null;
}
