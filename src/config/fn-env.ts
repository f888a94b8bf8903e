// Reads a function's `fn.env.json` files into the values handlers see (SPEC §6.3). Read when they change, never per
// request. `from_env` is the only bridge from the gateway's environment, and never for FN_*/FASTFN_* (SEC-02).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EnvEntry {
  value: string | null;
  is_secret: boolean;
  from_env?: string;
}

export interface FnEnv {
  /** What handlers see (event.env and the process env). */
  values: Record<string, string>;
  /** Every declared key with its flags (for the admin API: masking, secret declarations). */
  entries: Record<string, EnvEntry>;
  warnings: string[];
}

const SECRET_HINTS = ['secret', 'token', 'password', 'passwd', 'pwd', 'api_key', 'apikey', 'private_key', 'auth', 'credential'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function looksSecret(key: string): boolean {
  const k = key.toLowerCase();
  return SECRET_HINTS.some((h) => k.includes(h));
}

/** Merges the files key by key, lowest layer first (function dir, then version dir). */
export function readFnEnv(root: string, relFiles: string[], hostEnv: Readonly<Record<string, string>>): FnEnv {
  const entries: Record<string, EnvEntry> = {};
  const warnings: string[] = [];
  for (const rel of relFiles) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(root, rel), 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      warnings.push(`${rel}: ${(e as Error).message}; ignored`);
      continue;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      warnings.push(`${rel}: must be a JSON object; ignored`);
      continue;
    }
    for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
      const e = parseEntry(rel, key, v, hostEnv, warnings);
      if (e === null) delete entries[key];
      else entries[key] = e;
    }
  }
  const values: Record<string, string> = {};
  for (const [k, e] of Object.entries(entries)) {
    // SEC-01: no FN_* or FASTFN_* name ever reaches a handler, whatever the file says.
    if (e.value !== null && !k.startsWith('FN_') && !k.startsWith('FASTFN_')) values[k] = e.value;
  }
  return { values, entries, warnings };
}

function parseEntry(
  rel: string,
  key: string,
  v: unknown,
  hostEnv: Readonly<Record<string, string>>,
  warnings: string[],
): EnvEntry | null {
  if (v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    return { value: String(v), is_secret: looksSecret(key) };
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    warnings.push(`${rel}: ${key}: unsupported value type; ignored`);
    return null;
  }
  const o = v as Record<string, unknown>;
  const flag = typeof o.is_secret === 'boolean' ? o.is_secret : undefined;
  if (typeof o.from_env === 'string') {
    const name = o.from_env;
    if (!ENV_NAME.test(name) || name.startsWith('FN_') || name.startsWith('FASTFN_')) {
      warnings.push(`${rel}: ${key}: from_env ${name} is not allowed`);
      return { value: null, is_secret: true, from_env: name };
    }
    const hv = hostEnv[name];
    if (hv === undefined) warnings.push(`${rel}: ${key}: from_env ${name} is not set`);
    return { value: hv ?? null, is_secret: true, from_env: name };
  }
  if ('value' in o) {
    if (o.value === null) return null;
    const val = o.value;
    if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean') {
      warnings.push(`${rel}: ${key}: value must be a string, number or boolean; ignored`);
      return null;
    }
    return { value: String(val), is_secret: flag ?? looksSecret(key) };
  }
  // Declaration only (e.g. {"is_secret": true}): declares a global secret, no value (SPEC §6.3, §10.12).
  return { value: null, is_secret: flag ?? looksSecret(key) };
}
