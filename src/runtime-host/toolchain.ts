// Finds each runtime's toolchain once at startup (SPEC §1.3) and reports whether it is enabled or unavailable.
// A probe runs `<bin> --version` once; nothing here runs per request.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Runtime } from '../discovery/types.js';
import type { Settings } from '../config/index.js';

export interface Toolchain {
  runtime: Runtime;
  available: boolean;
  /** Absolute binary path when found. */
  binary: string | null;
  version: string | null;
  /** §1.3 message when unavailable. */
  reason: string | null;
}

const MISSING: Record<Runtime, string> = {
  node: 'node not found (install nodejs)',
  python: 'python3 not found (install python3)',
  php: 'php not found (install php-cli)',
  lua: 'lua not found (install luajit or lua5.4)',
  go: 'go not found (install golang)',
  rust: 'cargo not found (install rust via rustup)',
};

const CANDIDATES: Record<Runtime, string[]> = {
  node: [],
  python: ['python3', 'python'],
  php: ['php'],
  lua: ['luajit', 'lua5.1', 'lua5.4', 'lua'],
  go: ['go'],
  rust: ['cargo'],
};

const BIN_KEY: Record<Runtime, keyof Settings['bins']> = {
  node: 'node', python: 'python', php: 'php', lua: 'lua', go: 'go', rust: 'cargo',
};

/** Runtimes whose worker shim ships in this build. The others are reported unavailable with a clear reason. */
const SHIPPED: ReadonlySet<Runtime> = new Set(['node', 'python']);

export function findOnPath(name: string, pathEnv: string | undefined): string | null {
  if (name.includes('/')) return isExecutable(name) ? resolve(name) : null;
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** How each toolchain reports its version (`go --version` is not a Go command; Lua prints with `-v`). */
const VERSION_ARGS: Record<Runtime, string[]> = {
  node: ['--version'],
  python: ['--version'],
  php: ['--version'],
  lua: ['-v'],
  go: ['version'],
  rust: ['--version'],
};

function probeVersion(rt: Runtime, bin: string): string | null {
  const r = spawnSync(bin, VERSION_ARGS[rt], { encoding: 'utf8', timeout: 10000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return null;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  const m = /(\d+\.\d+(?:\.\d+)?)/.exec(out);
  return m ? m[1]! : out || null;
}

export function detectToolchains(settings: Settings): Map<Runtime, Toolchain> {
  const out = new Map<Runtime, Toolchain>();
  const pathEnv = settings.hostEnv.PATH;
  for (const rt of settings.runtimes) {
    const override = settings.bins[BIN_KEY[rt]];
    let binary: string | null;
    if (override) binary = findOnPath(override, pathEnv);
    else if (rt === 'node') binary = process.execPath;
    else binary = CANDIDATES[rt].map((c) => findOnPath(c, pathEnv)).find((b) => b) ?? null;
    const version = binary ? (rt === 'node' && !override ? process.versions.node : probeVersion(rt, binary)) : null;
    let reason: string | null = null;
    if (!binary || !version) reason = MISSING[rt];
    else if (!SHIPPED.has(rt)) reason = `${rt} worker support is not built yet in this fastfn version`;
    out.set(rt, { runtime: rt, available: reason === null, binary, version, reason });
  }
  return out;
}

/** The package root (where package.json, dist/ and runtimes/ live), found from this file's location. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'runtimes'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('fastfn package root not found');
}
