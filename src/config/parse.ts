// Value parsers shared by env, fastfn.json and CLI flags (SPEC §8 conventions). They never throw on bad input:
// they return a default plus a warning, or a SettingError for values that must stop startup (exit 2).

export class SettingError extends Error {
  readonly code = 'INVALID_SETTING';
  constructor(
    readonly setting: string,
    readonly value: string,
  ) {
    super(`invalid ${setting}: ${value}`);
  }
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** SPEC §8: booleans accept 1/true/yes/on and 0/false/no/off; anything else keeps the default with a warning. */
export function parseBool(name: string, raw: string | undefined, dflt: boolean, warnings: string[]): boolean {
  if (raw === undefined || raw === '') return dflt;
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  warnings.push(`${name}: invalid boolean ${JSON.stringify(raw)}; using ${dflt ? '1' : '0'}`);
  return dflt;
}

export function parseBoolValue(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return undefined;
}

/** Integer in [min, max]; a bad value keeps the default with a warning. */
export function parseIntSetting(
  name: string,
  raw: string | undefined,
  dflt: number,
  warnings: string[],
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined || raw.trim() === '') return dflt;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < min || n > max) {
    warnings.push(`${name}: invalid integer ${JSON.stringify(raw)}; using ${dflt}`);
    return dflt;
  }
  return n;
}

/** A port must be valid: a bad port stops startup (SPEC §16.3 step 1, exit 2). */
export function parsePort(setting: string, raw: unknown): number {
  const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new SettingError(setting, String(raw));
  return n;
}

export function parseCsv(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map((x) => String(x).trim()).filter(Boolean);
  if (typeof raw !== 'string') return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `node=3,python=2` or `{"node":3}`; counts < 1 ignored (SPEC §7). */
export function parseCounts(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (k: string, v: unknown) => {
    const n = Number(v);
    if (k && Number.isInteger(n) && n >= 1) out[k.trim().toLowerCase()] = n;
  };
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) put(k, v);
  } else if (typeof raw === 'string') {
    for (const part of raw.split(',')) {
      const [k, v] = part.split('=');
      if (k !== undefined && v !== undefined) put(k, v.trim());
    }
  }
  return out;
}
