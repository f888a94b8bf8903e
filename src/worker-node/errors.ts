// How a thrown value becomes text for the wire and the log. Never throws itself, whatever the handler threw.

/** `err.message || String(err)` (SPEC §5.6), safe for thrown values that have no usable toString. */
export function errorMessage(err: unknown): string {
  try {
    const message = (err as { message?: unknown } | null)?.message;
    if (typeof message === 'string' && message) return message;
  } catch {
    /* a throwing getter: fall through */
  }
  return safeString(err);
}

export function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
