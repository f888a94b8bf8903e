// The scrubbed worker environment (SPEC §17 SEC-01): only PATH, HOME, LANG, LC_*, TZ, SSL_*, TMPDIR from the
// gateway, plus the function's own fn.env.json values. No FN_* or other platform variable ever reaches a handler.

const PASS_EXACT = new Set(['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR']);
const PASS_PREFIX = ['LC_', 'SSL_'];

export function baseWorkerEnv(hostEnv: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(hostEnv)) {
    if (PASS_EXACT.has(k) || PASS_PREFIX.some((p) => k.startsWith(p))) out[k] = v;
  }
  return out;
}

/** Function env keys that would re-introduce platform variables are dropped (defence in depth for SEC-01). */
export function workerEnv(base: Record<string, string>, fnEnv: Record<string, string>): Record<string, string> {
  const out = { ...base };
  for (const [k, v] of Object.entries(fnEnv)) {
    if (k.startsWith('FN_') || k.startsWith('FASTFN_')) continue;
    out[k] = v;
  }
  return out;
}
