// Reads `fastfn.json` (SPEC §7): the kebab, snake and camel spellings of each key fold to one canonical key.
// An explicit --config that cannot be read or parsed is a startup error; an implicit one that is broken is a warning.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface ProjectFile {
  /** Absolute path of the file read, or null when none was found. */
  path: string | null;
  values: Record<string, unknown>;
  warnings: string[];
}

/** canonical key -> accepted spellings (SPEC §7 table). */
const KEYS: Record<string, string[]> = {
  'functions-dir': ['functions-dir', 'functions_dir', 'functionsDir'],
  port: ['port'],
  host: ['host'],
  runtimes: ['runtimes'],
  'public-base-url': ['public-base-url', 'public_base_url', 'publicBaseUrl'],
  'openapi-include-internal': [
    'openapi-include-internal',
    'openapi_include_internal',
    'openapiIncludeInternal',
    'openapi.include-internal',
    'openapi.include_internal',
    'openapi.includeInternal',
    'swagger-include-admin',
    'swagger_include_admin',
    'swaggerIncludeAdmin',
  ],
  'force-url': ['force-url', 'force_url', 'forceUrl', 'force.url'],
  'hot-reload': ['hot-reload', 'hot_reload', 'hotReload'],
  'runtime-daemons': ['runtime-daemons', 'runtime_daemons', 'runtimeDaemons', 'runtime.daemons'],
  'runtime-binaries': ['runtime-binaries', 'runtime_binaries', 'runtimeBinaries', 'runtime.binaries'],
  domains: ['domains'],
};

export class ConfigFileError extends Error {
  readonly code = 'CONFIG_FILE';
}

function lookup(obj: Record<string, unknown>, dotted: string): unknown {
  if (dotted in obj) return obj[dotted];
  const [head, ...rest] = dotted.split('.');
  if (!rest.length || head === undefined) return undefined;
  const inner = obj[head];
  if (inner && typeof inner === 'object' && !Array.isArray(inner)) return lookup(inner as Record<string, unknown>, rest.join('.'));
  return undefined;
}

export function readProjectFile(cwd: string, explicit: string | undefined): ProjectFile {
  const warnings: string[] = [];
  const path = explicit ? resolve(cwd, explicit) : existsSync(resolve(cwd, 'fastfn.json')) ? resolve(cwd, 'fastfn.json') : null;
  if (!path) {
    if (existsSync(resolve(cwd, 'fastfn.toml'))) warnings.push('fastfn.toml: TOML configuration is not supported yet; ignored (use fastfn.json)');
    return { path: null, values: {}, warnings };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const msg = `cannot read config ${path}: ${(e as Error).message}`;
    if (explicit) throw new ConfigFileError(msg);
    warnings.push(`fastfn.json: ${(e as Error).message}; ignored`);
    return { path: null, values: {}, warnings };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    if (explicit) throw new ConfigFileError(`cannot read config ${path}: not a JSON object`);
    warnings.push('fastfn.json: not a JSON object; ignored');
    return { path: null, values: {}, warnings };
  }
  const obj = raw as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  const known = new Set<string>();
  for (const [canon, spellings] of Object.entries(KEYS)) {
    for (const s of spellings) {
      const v = lookup(obj, s);
      known.add(s.split('.')[0]!);
      if (v !== undefined && !(canon in values)) values[canon] = v;
    }
  }
  for (const k of Object.keys(obj)) if (!known.has(k)) warnings.push(`fastfn.json: unknown key ${k}`);
  if (typeof values['functions-dir'] === 'string') values['functions-dir'] = resolve(dirname(path), values['functions-dir']);
  return { path, values, warnings };
}
