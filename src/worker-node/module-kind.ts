// Decides how a handler file loads (SPEC §3.3): CommonJS unless it has ES module syntax, the nearest package.json says
// "type":"module", or it is .mjs; .cjs is always CommonJS. A cheap textual check, run once per LOAD, never per request.
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

export type ModuleKind = 'cjs' | 'esm' | 'esm-in-cjs-scope';

/**
 * A line that starts with a static `import …`/`import.meta` or an `export …` statement. `import(` (dynamic import,
 * valid in CommonJS) and `exports.x` / `imports` do not match. Block comments are removed first; a line comment
 * starts with `//`, so it can never match the line-start anchor.
 */
export const ESM_SYNTAX = /^[ \t]*(?:import\b\s*(?:[\w$*{'"]|\.meta\b)|export\b\s*[\w$*{])/m;
export const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;

export function hasEsmSyntax(source: string): boolean {
  return ESM_SYNTAX.test(source.includes('/*') ? source.replace(BLOCK_COMMENT, '') : source);
}

/** The "type" of the nearest package.json, as Node resolves it: the first package.json found walking up decides. */
export function packageScope(dir: string): 'module' | 'commonjs' {
  for (let d = dir; ; ) {
    let text: string | undefined;
    try {
      text = readFileSync(join(d, 'package.json'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    const up = dirname(d);
    if (up === d) return 'commonjs';
    d = up;
  }
}

export function moduleKind(entry: string): ModuleKind {
  const ext = extname(entry).toLowerCase();
  if (ext === '.cjs') return 'cjs';
  if (ext === '.mjs') return 'esm';
  if (packageScope(dirname(entry)) === 'module') return 'esm';
  return hasEsmSyntax(readFileSync(entry, 'utf8')) ? 'esm-in-cjs-scope' : 'cjs';
}

/**
 * True when require() failed because the entry itself is ES module syntax the textual check missed (e.g. a string
 * holding "/*" hid an export). Only a compile error of the entry file counts: nothing of it has run yet.
 */
export function isEsmCompileError(err: unknown, entry: string): boolean {
  if (!(err instanceof SyntaxError)) return false;
  if (!/Cannot use import statement outside a module|Unexpected token 'export'|import\.meta/.test(err.message)) {
    return false;
  }
  return typeof err.stack === 'string' && err.stack.startsWith(`${entry}:`);
}
