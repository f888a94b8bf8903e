// Small value helpers shared by the config parsers: JSON shape checks and the "array or CSV" list form (SPEC §6.1).
// No I/O, no policy decisions.

export type Warn = (message: string) => void;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An array of strings or a CSV string, trimmed, empties dropped; undefined when neither. */
export function parseList(v: unknown): string[] | undefined {
  if (typeof v === 'string') {
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
    return (v as string[]).map((s) => s.trim()).filter((s) => s !== '');
  }
  return undefined;
}
