// Filename grammar for file routes (SPEC §2.3 G1-G8) and entry files (§2.2): a file name in, tokens out.
// Pure string work; deciding which files become routes is the walkers' job (modes, §2.6).
import type { Method, Runtime } from './types.js';
import { normaliseSegment } from './normalise.js';

export const EXT_RUNTIME: Readonly<Record<string, Runtime>> = {
  js: 'node',
  mjs: 'node',
  cjs: 'node',
  ts: 'node',
  py: 'python',
  php: 'php',
  lua: 'lua',
  go: 'go',
  rs: 'rust',
};

/** Canonical entry files per runtime, in order (§2.2). `.mjs`/`.cjs` follow the spec'd node names (our addition). */
export const ENTRY_FILES: Readonly<Record<Runtime, readonly string[]>> = {
  node: ['handler.js', 'handler.ts', 'handler.mjs', 'handler.cjs', 'index.js', 'index.ts', 'index.mjs', 'index.cjs'],
  python: ['handler.py', 'main.py'],
  php: ['handler.php', 'index.php'],
  lua: ['handler.lua', 'main.lua', 'index.lua'],
  go: ['handler.go', 'main.go'],
  rust: ['handler.rs'],
};

/** Which runtime wins when one directory holds entry files of several (§2.2). */
export const ENTRY_RUNTIME_ORDER: readonly Runtime[] = ['go', 'lua', 'node', 'php', 'python', 'rust'];

const ALL_ENTRY_NAMES = new Set(Object.values(ENTRY_FILES).flat());

const METHOD_TOKENS: Readonly<Record<string, Method>> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
};

const SILENT_TOKENS = new Set(['index', 'handler', 'main']);
const PARAM_NAME = /^[A-Za-z0-9_]+$/;

/** The runtime of a handler candidate (G1), or null. `*.d.ts` is never a handler. */
export function runtimeOfFile(name: string, runtimes: ReadonlySet<Runtime>): Runtime | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  if (name.endsWith('.d.ts')) return null;
  const rt = EXT_RUNTIME[name.slice(dot + 1)];
  return rt !== undefined && runtimes.has(rt) ? rt : null;
}

export function isCanonicalEntryName(name: string): boolean {
  return ALL_ENTRY_NAMES.has(name);
}

/** A route segment derived from a file or directory name (G7). Static values are already normalised (§2.4). */
export type Token =
  | { kind: 'static'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'rest'; name: string }
  | { kind: 'optional'; name: string };

/** Parse one directory name or base-name token; a string result is the reason it is rejected. */
export function parseToken(raw: string): Token | string {
  if (raw.includes('[') || raw.includes(']')) {
    let m = /^\[\[\.\.\.([^\]]*)\]\]$/.exec(raw);
    if (m) return paramToken('optional', m[1] ?? '', raw);
    m = /^\[\.\.\.([^\]]*)\]$/.exec(raw);
    if (m) return paramToken('rest', m[1] ?? '', raw);
    m = /^\[([^\].[]*)\]$/.exec(raw);
    if (m) return paramToken('param', m[1] ?? '', raw);
    return `malformed bracket token ${raw}`;
  }
  const value = normaliseSegment(raw);
  return value === '' ? `segment "${raw}" normalises to empty` : { kind: 'static', value };
}

function paramToken(kind: 'param' | 'rest' | 'optional', name: string, raw: string): Token | string {
  if (!PARAM_NAME.test(name)) return `malformed bracket token ${raw}`;
  return { kind, name: name.toLowerCase() };
}

/** G2: split a base name on dots outside brackets. */
export function splitBase(base: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of base) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export interface ParsedFile {
  name: string;
  runtime: Runtime;
  /** G3: `_x`, `x.test`, `x.spec`. */
  private: boolean;
  /** G4 method prefix. */
  method: Method | null;
  /** Any bracket token. */
  dynamic: boolean;
  /** `index.*`, `handler.*`, `main.*` (§2.6). */
  entryNamed: boolean;
  /** Route tokens after the method and the silent tokens (G6). */
  tokens: Token[];
  /** Why the file is ignored (G5 ambiguity, G8 malformed token, N5); set means "warn and skip". */
  error?: string;
}

/** Parse a file name into route tokens, or null when it is not a handler candidate of a listed runtime (G1). */
export function parseFileName(name: string, runtimes: ReadonlySet<Runtime>): ParsedFile | null {
  if (name.startsWith('.')) return null;
  const runtime = runtimeOfFile(name, runtimes);
  if (!runtime) return null;
  const base = name.slice(0, name.lastIndexOf('.'));
  const lower = base.toLowerCase();
  const parsed: ParsedFile = {
    name,
    runtime,
    private: base.startsWith('_') || base.endsWith('.test') || base.endsWith('.spec'),
    method: null,
    dynamic: base.includes('['),
    entryNamed: SILENT_TOKENS.has(lower),
    tokens: [],
  };
  if (parsed.private) return parsed;
  const raw = splitBase(base);
  const first = METHOD_TOKENS[(raw[0] ?? '').toLowerCase()];
  if (first) {
    parsed.method = first;
    raw.shift();
    if (raw.length > 0 && METHOD_TOKENS[(raw[0] ?? '').toLowerCase()]) {
      parsed.error = 'ambiguous method prefix; ignored';
      return parsed;
    }
  }
  for (const r of raw) {
    if (SILENT_TOKENS.has(r.toLowerCase())) continue;
    const tok = parseToken(r);
    if (typeof tok === 'string') {
      parsed.error = `${tok}; ignored`;
      return parsed;
    }
    parsed.tokens.push(tok);
  }
  return parsed;
}

/** An explicit file (§2.6): entry-named, method-prefixed or dynamic. */
export function isExplicit(f: ParsedFile): boolean {
  return f.entryNamed || f.method !== null || f.dynamic;
}
