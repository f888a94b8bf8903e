// Loads the handler module once per worker (SPEC §3.2, §3.3) and finds the callable. It reports load failures as
// LOADED codes; it must never bundle or transpile (TypeScript arrives already bundled by src/build/ in the gateway).
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadSpec, WorkerErrorCode } from '../protocol/index.js';
import { registerEsmInCjsHooks } from './esm-hooks.js';
import { isEsmCompileError, moduleKind } from './module-kind.js';

export type Handler = (event: unknown, params: unknown) => unknown;

export type LoadOutcome =
  | { ok: true; handler: Handler }
  | { ok: false; code: WorkerErrorCode; message: string; detail?: string };

/** `invoke.adapter` values that mean "call handler(event, params)" (SPEC §3.12). */
const NATIVE_ADAPTERS = new Set(['', 'none', 'default', 'native']);

export async function loadHandler(spec: LoadSpec): Promise<LoadOutcome> {
  const adapter = typeof spec.adapter === 'string' ? spec.adapter : '';
  if (!NATIVE_ADAPTERS.has(adapter.trim().toLowerCase())) {
    return { ok: false, code: 'UNSUPPORTED_ADAPTER', message: adapter };
  }
  const name = typeof spec.handler === 'string' && spec.handler ? spec.handler : 'handler';
  let mod: unknown;
  try {
    mod = await importEntry(resolve(spec.entry), spec.dir ? resolve(spec.dir) : undefined);
  } catch (e) {
    const err = e as { message?: unknown; stack?: unknown } | null;
    const message = typeof err?.message === 'string' && err.message ? err.message : String(e);
    return { ok: false, code: 'HANDLER_LOAD_FAILED', message, detail: typeof err?.stack === 'string' ? err.stack : message };
  }
  const handler = pickCallable(mod, name);
  return handler ? { ok: true, handler } : { ok: false, code: 'HANDLER_NOT_FOUND', message: name };
}

/** SPEC §3.2: export `name` → `default` if a function → `default[name]` → `module.exports` if a function. */
export function pickCallable(mod: unknown, name: string): Handler | undefined {
  if (mod === null || (typeof mod !== 'object' && typeof mod !== 'function')) return undefined;
  const m = mod as Record<string, unknown>;
  const own = m[name];
  if (typeof own === 'function') return own as Handler;
  const def = m.default;
  if (typeof def === 'function') return def as Handler;
  if (def !== null && typeof def === 'object') {
    const member = (def as Record<string, unknown>)[name];
    if (typeof member === 'function') return (member as Handler).bind(def);
  }
  if (typeof mod === 'function') return mod as Handler;
  return undefined;
}

async function importEntry(entry: string, dir: string | undefined): Promise<unknown> {
  // TypeScript bundles carry an inline source map: make their stack traces point at the .ts sources.
  if (entry.includes(`${sep}.fastfn${sep}build${sep}`)) process.setSourceMapsEnabled(true);
  const kind = moduleKind(entry);
  if (kind === 'esm') return import(pathToFileURL(entry).href);
  const url = pathToFileURL(entry).href;
  if (kind === 'esm-in-cjs-scope') {
    registerEsmInCjsHooks();
    return import(url);
  }
  try {
    return requireEntry(entry, dir);
  } catch (e) {
    if (!isEsmCompileError(e, entry)) throw e;
    registerEsmInCjsHooks(url);
    return import(url);
  }
}

interface ModuleInternals {
  _nodeModulePaths(from: string): string[];
  _cache: Record<string, unknown>;
}
interface ModuleInstance {
  filename: string;
  paths: string[];
  loaded: boolean;
  exports: unknown;
  _compile(source: string, filename: string): void;
}

/**
 * CommonJS load. When the entry lives outside the function directory (a TypeScript bundle under .fastfn/build),
 * bare `require('pkg')` must still find the function's own node_modules first (docs/protocol.md: "dir goes first on
 * the module search path"), so the module is created with that search path instead of the bundle's.
 */
function requireEntry(entry: string, dir: string | undefined): unknown {
  const entryDir = dirname(entry);
  if (!dir || dir === entryDir) return createRequire(entry)(entry);
  const M = Module as unknown as ModuleInternals & { new (id: string, parent?: unknown): ModuleInstance };
  const m = new M(entry, undefined);
  m.filename = entry;
  m.paths = [...new Set([...M._nodeModulePaths(dir), ...M._nodeModulePaths(entryDir)])];
  M._cache[entry] = m;
  try {
    let source = readFileSync(entry, 'utf8');
    if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
    m._compile(source, entry);
  } catch (e) {
    delete M._cache[entry];
    throw e;
  }
  m.loaded = true;
  return m.exports;
}
