// CSV encoding of object bodies sent with `Content-Type: text/csv` (SPEC §5.2 R3).

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (cells: unknown[]): string => cells.map(cell).join(',');

export function toCsv(body: object): string {
  if (Array.isArray(body)) {
    if (!body.length) return '';
    if (body.every((r) => Array.isArray(r))) return body.map((r) => row(r as unknown[])).join('\n') + '\n';
    const first = body.find((r) => r && typeof r === 'object' && !Array.isArray(r)) as Record<string, unknown> | undefined;
    const keys = first ? Object.keys(first) : [];
    const lines = [row(keys)];
    for (const r of body) {
      if (Array.isArray(r)) lines.push(row(r));
      else if (r && typeof r === 'object') lines.push(row(keys.map((k) => (r as Record<string, unknown>)[k])));
      else lines.push(row([r]));
    }
    return lines.join('\n') + '\n';
  }
  const keys = Object.keys(body);
  return `${row(keys)}\n${row(keys.map((k) => (body as Record<string, unknown>)[k]))}\n`;
}
