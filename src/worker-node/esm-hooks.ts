// Lets `import()` load ES-module-syntax `.js` files that sit in a CommonJS package scope (SPEC §3.3), in place, so
// their relative imports, import.meta.url and top-level await keep working. Registered lazily, only when needed.
import { register } from 'node:module';
import { BLOCK_COMMENT, ESM_SYNTAX } from './module-kind.js';

// Runs on Node's loader thread. Only `.js` files outside node_modules whose format Node decided is CommonJS (or left
// open, Node >= 20.19 "typeless") are looked at; the same ESM_SYNTAX test as the main thread decides.
const HOOKS_SOURCE = `
import { readFileSync } from 'node:fs';
let forced = new Set();
let esm = /$^/;
let block = /$^/g;
export function initialize(data) {
  forced = new Set(data.forced);
  esm = data.esm;
  block = data.block;
}
export async function load(url, context, nextLoad) {
  if ((context.format === 'commonjs' || context.format == null) && url.startsWith('file:') &&
      url.endsWith('.js') && !url.includes('/node_modules/')) {
    const source = readFileSync(new URL(url), 'utf8');
    if (forced.has(url) || esm.test(source.includes('/*') ? source.replace(block, '') : source)) {
      return { format: 'module', source, shortCircuit: true };
    }
  }
  return nextLoad(url, context);
}
`;

let registered = false;

/** @param forcedUrl an entry that must load as ESM even though the textual check did not see module syntax. */
export function registerEsmInCjsHooks(forcedUrl?: string): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOKS_SOURCE)}`, {
    data: { forced: forcedUrl ? [forcedUrl] : [], esm: ESM_SYNTAX, block: BLOCK_COMMENT },
  });
}
