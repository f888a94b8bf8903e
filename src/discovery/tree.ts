// FileTree: the in-memory snapshot of a functions root that discovery reads (SPEC §2). Built by scanTree from disk,
// or by treeFromObject in tests. Pure data and path helpers only; nothing here touches the filesystem.

/** Parsed JSON file: the value, or the parse error message. */
export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

export interface TreeFile {
  /** First 80 lines of a handler candidate (comment hints, SPEC §6.6). */
  head?: string;
  /** `fn.config.json` / `fn.routes.json` contents. */
  json?: JsonResult;
}

export interface TreeDir {
  /** Child directory names, sorted. */
  dirs: string[];
  /** File names, sorted. */
  files: string[];
  /** Listed but deliberately not scanned (the assets directory, directories below the depth limit). */
  pruned?: boolean;
}

/**
 * A flat, sorted snapshot. Keys are POSIX paths relative to the root; the root itself is `''`.
 * `files` may also hold files that the scan did not list in a directory (an `entrypoint` or a manifest target inside an
 * ignored directory), so existence checks use `files.has(path)`.
 */
export interface FileTree {
  root: string;
  dirs: Map<string, TreeDir>;
  files: Map<string, TreeFile>;
  /** Problems met while scanning (symlink escapes, names that are not UTF-8, unreadable entries). */
  warnings: string[];
}

export const CONFIG_FILE = 'fn.config.json';
export const ROUTES_FILE = 'fn.routes.json';
export const ENV_FILE = 'fn.env.json';
export const HEAD_LINES = 80;

export function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

export function dirOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

export function baseOf(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

/** Number of directory levels of a directory path (`''` = 0, `a/b` = 2). */
export function depthOf(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

/** `a/b` for printing; the root prints as `.`. */
export function showDir(dir: string): string {
  return dir === '' ? '.' : dir;
}

export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export function firstLines(text: string, n = HEAD_LINES): string {
  let idx = -1;
  for (let i = 0; i < n; i++) {
    idx = text.indexOf('\n', idx + 1);
    if (idx < 0) return text;
  }
  return text.slice(0, idx);
}

/**
 * Build a FileTree from `{ 'users/[id].js': 'code', 'a/fn.config.json': {...}, 'empty/': '' }`. Strings are file
 * contents (a `.json` string is parsed, so invalid JSON can be expressed); objects are JSON values. A key ending in `/`
 * declares an (empty) directory.
 */
export function treeFromObject(spec: Record<string, unknown>, root = '/virtual'): FileTree {
  const dirs = new Map<string, TreeDir>([['', { dirs: [], files: [] }]]);
  const files = new Map<string, TreeFile>();
  const ensureDir = (dir: string): TreeDir => {
    const found = dirs.get(dir);
    if (found) return found;
    const parent = ensureDir(dirOf(dir));
    parent.dirs.push(baseOf(dir));
    const made: TreeDir = { dirs: [], files: [] };
    dirs.set(dir, made);
    return made;
  };
  for (const [rawKey, content] of Object.entries(spec)) {
    const key = rawKey.replace(/^\/+/, '');
    if (key.endsWith('/')) {
      ensureDir(key.replace(/\/+$/, ''));
      continue;
    }
    ensureDir(dirOf(key)).files.push(baseOf(key));
    const isJson = key.endsWith('.json');
    if (typeof content === 'string')
      files.set(key, isJson ? { json: parseJson(content) } : { head: firstLines(content) });
    else files.set(key, isJson ? { json: { ok: true, value: content } } : { head: JSON.stringify(content) });
  }
  for (const d of dirs.values()) {
    d.dirs.sort(compareNames);
    d.files.sort(compareNames);
  }
  return { root, dirs, files, warnings: [] };
}

/** Code-unit order: stable across platforms and locales (never localeCompare). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
