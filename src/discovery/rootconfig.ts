// Root-only settings of `fn.config.json`: ignored directories (SPEC §2.14), assets (§15) and home (§2.16 step 3,
// folder home aliases). Pure: the scanner and the catalog builder both call these on already-parsed JSON.
import type { AssetsConfig, DiscoveryOptions, HomeConfig } from './types.js';
import { isObject, parseList, type Warn } from './values.js';

export const DEFAULT_IGNORED_DIRS: readonly string[] = [
  'node_modules',
  'vendor',
  '__pycache__',
  '.fastfn',
  '.deps',
  '.rust-build',
  '.go-build',
  'target',
  'src',
];

const noWarn: Warn = () => undefined;

/** Lower-cased directory names skipped at any depth: defaults + root `zero_config.ignore_dirs` (+ aliases) + opts. */
export function ignoredDirNames(rootRaw: unknown, opts: DiscoveryOptions, file = 'fn.config.json', warn = noWarn) {
  const names = new Set(DEFAULT_IGNORED_DIRS);
  const add = (list: string[] | undefined, where: string): void => {
    for (const n of list ?? []) {
      if (n.includes('/') || n.includes('\\') || n === '.' || n === '..')
        warn(`${where}: ${n} is not a directory name; ignored`);
      else names.add(n.toLowerCase());
    }
  };
  if (isObject(rootRaw)) {
    const sources: [unknown, string][] = [
      [isObject(rootRaw.zero_config) ? rootRaw.zero_config.ignore_dirs : undefined, 'zero_config.ignore_dirs'],
      [isObject(rootRaw.discovery) ? rootRaw.discovery.ignore_dirs : undefined, 'discovery.ignore_dirs'],
      [isObject(rootRaw.routing) ? rootRaw.routing.ignore_dirs : undefined, 'routing.ignore_dirs'],
      [rootRaw.zero_config_ignore_dirs, 'zero_config_ignore_dirs'],
    ];
    for (const [v, field] of sources) {
      if (v === undefined || v === null) continue;
      const list = parseList(v);
      if (!list) warn(`${file}: field ${field} has the wrong type; ignored`);
      add(list, `${file}: ${field}`);
    }
  }
  add(
    opts.ignore_dirs.map((s) => s.trim()).filter((s) => s !== ''),
    'FN_ZERO_CONFIG_IGNORE_DIRS',
  );
  return names;
}

/** A safe relative directory: no leading `/`, no `..`, `.`, `\` or `//` (§15). Returns it without a trailing `/`. */
export function safeAssetsDir(dir: unknown): string | null {
  if (typeof dir !== 'string') return null;
  const d = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  if (d === '' || d.startsWith('/') || d.includes('\\') || d.includes('//') || d.includes('\u0000')) return null;
  return d.split('/').every((s) => s !== '.' && s !== '..') ? d : null;
}

/** The assets directory named by the root config, unvalidated for existence (the scanner prunes it). */
export function assetsDirOf(rootRaw: unknown): string | null {
  return isObject(rootRaw) && isObject(rootRaw.assets) ? safeAssetsDir(rootRaw.assets.directory) : null;
}

/** Root `assets` (§15): validated; disabled with a warning when the directory is unsafe or missing. */
export function parseAssets(
  v: unknown,
  exists: (dir: string) => boolean,
  file: string,
  warn: Warn,
): AssetsConfig | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return (warn(`${file}: field assets has the wrong type; ignored`), null);
  const dir = safeAssetsDir(v.directory);
  if (dir === null) return (warn(`${file}: assets.directory must be a safe relative path; assets disabled`), null);
  if (!exists(dir)) return (warn(`${file}: assets directory ${dir} not found; assets disabled`), null);
  let nf: AssetsConfig['not_found_handling'] = '404';
  const rawNf = v.not_found_handling;
  if (rawNf === 'single-page-application' || rawNf === 'spa') nf = 'single-page-application';
  else if (rawNf !== undefined && rawNf !== null && rawNf !== '404')
    warn(`${file}: field assets.not_found_handling has the wrong value; using "404"`);
  let first = false;
  if (typeof v.run_worker_first === 'boolean') first = v.run_worker_first;
  else if (v.run_worker_first !== undefined && v.run_worker_first !== null)
    warn(`${file}: field assets.run_worker_first has the wrong type; ignored`);
  for (const k of Object.keys(v).sort()) {
    if (!['directory', 'not_found_handling', 'run_worker_first'].includes(k))
      warn(`${file}: unknown field assets.${k}; ignored`);
  }
  return { directory: dir, not_found_handling: nf, run_worker_first: first };
}

const ROUTE_KEYS = ['function', 'route', 'path', 'target', 'home-route', 'home_route'];
const REDIRECT_KEYS = ['redirect', 'url', 'location'];
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** Clean an internal dispatch target: a path (relative ones are taken from `base`), not a URL, not `..`. */
export function cleanHomeRoute(raw: unknown, base: string): string | null {
  if (typeof raw !== 'string') return null;
  const t = raw.trim();
  if (t === '' || SCHEME.test(t) || t.startsWith('//') || t.includes('\\') || t.includes('?')) return null;
  const full = t.startsWith('/') ? t : `${base === '/' ? '' : base}/${t}`;
  const segs = full.split('/').filter((s) => s !== '');
  if (segs.some((s) => s === '.' || s === '..')) return null;
  return segs.length ? `/${segs.join('/')}` : null;
}

function cleanRedirect(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const t = raw.trim();
  if (/^https?:\/\/[^/\s]+/i.test(t)) return t;
  return t.startsWith('/') && !t.startsWith('//') && !/\s/.test(t) ? t : null;
}

/** The first string under one of `keys`, or undefined. */
function pick(o: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

/** Root `home` (§2.16 step 3): a route wins over a redirect; invalid values are warned and skipped. */
export function parseHome(v: unknown, file: string, warn: Warn): HomeConfig | null {
  if (v === undefined || v === null) return null;
  const routeRaw = typeof v === 'string' ? v : isObject(v) ? pick(v, ROUTE_KEYS) : undefined;
  const redirectRaw = isObject(v) ? pick(v, REDIRECT_KEYS) : undefined;
  if (routeRaw === undefined && redirectRaw === undefined) {
    warn(`${file}: field home has no route or redirect; ignored`);
    return null;
  }
  if (routeRaw !== undefined) {
    const route = cleanHomeRoute(routeRaw, '/');
    if (route) return { route };
    warn(`${file}: home route ${JSON.stringify(routeRaw)} is invalid; ignored`);
  }
  if (redirectRaw !== undefined) {
    const redirect = cleanRedirect(redirectRaw);
    if (redirect) return { redirect };
    warn(`${file}: home redirect ${JSON.stringify(redirectRaw)} is invalid; ignored`);
  }
  return null;
}

/** Folder home alias target (§2.16): relative to the folder route, or absolute inside it. Null = invalid. */
export function folderHomeTarget(v: unknown, folderRoute: string): string | null {
  const raw = typeof v === 'string' ? v : isObject(v) ? pick(v, ROUTE_KEYS) : undefined;
  const route = cleanHomeRoute(raw, folderRoute);
  return route && route.startsWith(`${folderRoute}/`) ? route : null;
}
