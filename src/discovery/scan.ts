// scanTree: the only part of discovery that reads the disk (SPEC §2.1, §2.14). It lists directories, follows
// symlinks only when they stay inside the root, parses fn.config.json / fn.routes.json and reads handler heads.
// It never writes, spawns or opens sockets; every problem becomes a warning in the tree.
import { closeSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { DiscoveryOptions } from './types.js';
import {
  CONFIG_FILE,
  ROUTES_FILE,
  compareNames,
  firstLines,
  joinRel,
  parseJson,
  type FileTree,
  type TreeDir,
  type TreeFile,
} from './tree.js';
import { parseFileName } from './grammar.js';
import { assetsDirOf, ignoredDirNames } from './rootconfig.js';
import { safeRelative } from './config.js';
import { resolveTarget } from './manifest.js';
import { isObject } from './values.js';
import { MAX_DEPTH } from './context.js';

const HEAD_BYTES = 16 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function scanTree(opts: DiscoveryOptions): FileTree {
  const root = resolve(opts.root);
  const tree: FileTree = { root, dirs: new Map(), files: new Map(), warnings: [] };
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch {
    tree.warnings.push(`.: functions root not found: ${root}`);
    tree.dirs.set('', { dirs: [], files: [] });
    return tree;
  }
  const runtimes = new Set(opts.runtimes);
  const rootCfg = readJson(join(rootReal, CONFIG_FILE));
  const rootRaw = rootCfg?.ok ? rootCfg.value : undefined;
  const ignored = ignoredDirNames(rootRaw, opts);
  const assetsDir = assetsDirOf(rootRaw);
  const inside = (real: string): boolean => {
    const r = relative(rootReal, real);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };

  const readFile = (rel: string, abs: string): TreeFile => {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (name === CONFIG_FILE || name === ROUTES_FILE)
      return { json: readJson(abs) ?? { ok: false, error: 'unreadable' } };
    const pf = parseFileName(name, runtimes);
    if (!pf || pf.private) return {};
    const head = readHead(abs);
    if (head === null) tree.warnings.push(`${rel}: unreadable; skipped`);
    return head === null ? {} : { head };
  };

  const walk = (rel: string, abs: string, depth: number, stack: Set<string>): void => {
    const dir: TreeDir = { dirs: [], files: [] };
    tree.dirs.set(rel, dir);
    let entries: Dirent<Buffer>[];
    try {
      entries = readdirSync(abs, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      tree.warnings.push(`${rel || '.'}: unreadable directory; skipped`);
      return;
    }
    for (const e of entries) {
      let name: string;
      try {
        name = utf8.decode(e.name);
      } catch {
        tree.warnings.push(`${joinRel(rel, e.name.toString('latin1'))}: name is not valid UTF-8; skipped`);
        continue;
      }
      const childRel = joinRel(rel, name);
      const childAbs = join(abs, name);
      let real = childAbs;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          real = realpathSync(childAbs);
          const st = statSync(real);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          tree.warnings.push(`${childRel}: broken symlink; skipped`);
          continue;
        }
        if (!inside(real)) {
          tree.warnings.push(`${childRel}: symlink points outside the root; skipped`);
          continue;
        }
      }
      if (isFile) {
        dir.files.push(name);
        tree.files.set(childRel, readFile(childRel, real));
      } else if (isDir) {
        if (name.startsWith('.') || ignored.has(name.toLowerCase())) continue;
        dir.dirs.push(name);
        if (childRel === assetsDir || depth + 1 > MAX_DEPTH + 1) {
          tree.dirs.set(childRel, { dirs: [], files: [], pruned: true });
        } else if (stack.has(real)) {
          tree.warnings.push(`${childRel}: symlink cycle; skipped`);
          dir.dirs.pop();
        } else {
          walk(childRel, real, depth + 1, new Set(stack).add(real));
        }
      }
    }
    dir.dirs.sort(compareNames);
    dir.files.sort(compareNames);
  };
  walk('', rootReal, 0, new Set([rootReal]));

  // Files named explicitly may live where the scan does not look (an `entrypoint` under `src/`, a manifest target).
  const addExplicit = (rel: string | null): void => {
    if (rel === null || tree.files.has(rel)) return;
    try {
      const real = realpathSync(join(rootReal, rel));
      if (inside(real) && statSync(real).isFile()) tree.files.set(rel, readFile(rel, real));
    } catch {
      // missing: buildCatalog reports it against the config that names it
    }
  };
  for (const [rel, f] of [...tree.files.entries()]) {
    const v = f.json?.ok ? f.json.value : undefined;
    if (!isObject(v)) continue;
    const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    if (rel.endsWith(CONFIG_FILE) && typeof v.entrypoint === 'string' && safeRelative(v.entrypoint)) {
      addExplicit(joinRel(dir, v.entrypoint));
    }
    if (rel.endsWith(ROUTES_FILE) && isObject(v.routes)) {
      for (const t of Object.values(v.routes)) if (typeof t === 'string') addExplicit(resolveTarget(dir, t));
    }
  }
  if (assetsDir && !tree.dirs.has(assetsDir)) {
    try {
      const real = realpathSync(join(rootReal, assetsDir));
      if (inside(real) && statSync(real).isDirectory()) tree.dirs.set(assetsDir, { dirs: [], files: [], pruned: true });
    } catch {
      // missing: buildCatalog disables assets with a warning
    }
  }
  return tree;
}

function readJson(abs: string): ReturnType<typeof parseJson> | null {
  try {
    return parseJson(readFileSync(abs, 'utf8'));
  } catch {
    return null;
  }
}

/** The first 80 lines, reading at most 16 KiB. */
function readHead(abs: string): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(abs, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    return firstLines(buf.subarray(0, n).toString('utf8'));
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
