// The function's env inside the worker (SPEC §6.3, §17 SEC-01): LOAD and ENV replace the function keys in
// process.env and in every later event.env. It never reads platform settings from the environment.

let fnKeys: string[] = [];
let current: Record<string, string> = {};
let empty = true;

/** Drops platform variables (FN_*, FASTFN_*) before any user code loads (SEC-01, defence in depth). */
export function scrubPlatformEnv(): void {
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('FN_') || key.startsWith('FASTFN_')) delete process.env[key];
  }
}

/** Replaces the function's env: old keys are removed from process.env, the new ones set. Throws on a bad shape. */
export function applyEnv(env: unknown): void {
  if (env === undefined || env === null) env = {};
  if (typeof env !== 'object' || Array.isArray(env)) throw new TypeError('env must be an object');
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(env as Record<string, unknown>)) next[k] = typeof v === 'string' ? v : String(v);
  for (const k of fnKeys) delete process.env[k];
  for (const k in next) process.env[k] = next[k];
  fnKeys = Object.keys(next);
  current = next;
  empty = fnKeys.length === 0;
}

/** A fresh copy per event, so a handler that mutates event.env cannot leak into the next request. */
export function eventEnv(): Record<string, string> {
  return empty ? {} : { ...current };
}
