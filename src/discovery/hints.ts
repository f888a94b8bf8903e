// Handler comment hints (SPEC §6.6): `// @summary ...`, `# @methods GET,POST`, `-- @query {...}` in the first 80
// lines. They feed OpenAPI and the console only; routing never reads them.
import { HEAD_LINES } from './tree.js';

const HINT = /^\s*(?:\/\/|#|--)\s*@(summary|methods|query|body|content_type)(?:\s+(.*?))?\s*$/;

/** The first value of each known hint key. */
export function parseHints(head: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!head) return out;
  const lines = head.split('\n', HEAD_LINES);
  for (const line of lines) {
    if (!line.includes('@')) continue;
    const m = HINT.exec(line);
    const key = m?.[1];
    if (key && out[key] === undefined && m[2]) out[key] = m[2];
  }
  return out;
}
