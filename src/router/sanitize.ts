// Request path sanitising (SPEC §2.5 M1, M2): percent-decode per segment, collapse `//`, drop a trailing `/`; reject
// `.`/`..` segments, NUL, backslash, invalid escapes and encoded slashes. Runs before any routing; allocates little.
import type { PathResult } from './types.js';

const BAD: PathResult = { ok: false };

/** `rawPath` is the request target without its query string, as received (still percent-encoded). */
export function sanitizePath(rawPath: string): PathResult {
  if (rawPath === '' || rawPath === '/') return { ok: true, path: '/' };
  if (rawPath.charCodeAt(0) !== 47 /* / */) return BAD;
  if (rawPath.includes('\\') || rawPath.includes('\u0000')) return BAD;
  const out: string[] = [];
  let start = 1;
  const n = rawPath.length;
  while (start <= n) {
    let end = rawPath.indexOf('/', start);
    if (end < 0) end = n;
    if (end > start) {
      const seg = decodeSegment(rawPath.slice(start, end));
      if (seg === null) return BAD;
      out.push(seg);
    }
    start = end + 1;
  }
  return { ok: true, path: out.length ? `/${out.join('/')}` : '/' };
}

/** One decoded segment, or null when it must be rejected. */
function decodeSegment(raw: string): string | null {
  let seg = raw;
  if (raw.includes('%')) {
    // decodeURIComponent accepts some escapes we reject (none) and rejects malformed UTF-8; check the shape first.
    for (let i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      const h1 = raw.charCodeAt(i + 1);
      const h2 = raw.charCodeAt(i + 2);
      if (!isHex(h1) || !isHex(h2)) return null;
      if (h1 === 50 /* 2 */ && (h2 === 70 || h2 === 102) /* F f */) return null; // %2F: encoded slash
    }
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg.includes('\u0000') || seg.includes('\\') || seg.includes('/')) return null;
  }
  if (seg === '.' || seg === '..') return null;
  return seg;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
