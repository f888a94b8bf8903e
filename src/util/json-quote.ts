// JSON string literals for the per-request hand-built JSON (event head, access log). Most values there (request
// ids, methods, paths, routes, addresses) are printable ASCII without quotes or backslashes, which need no
// escaping: a regex test and two concatenations cost ~50 ns where JSON.stringify costs ~120 ns.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

/** `JSON.stringify(s)` for a string, faster for the common plain-ASCII case. */
export function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** `quote` for a nullable string (JSON `null`). */
export function quoteOrNull(s: string | null | undefined): string {
  return s == null ? 'null' : quote(s);
}
