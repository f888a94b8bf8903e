// Writes fixture trees into fresh temp directories: { 'users/[id].js': 'code', 'a/fn.config.json': {...} }.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type TreeSpec = Record<string, string | Buffer | object>;

export function writeTree(root: string, files: TreeSpec): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    const data = typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2);
    writeFileSync(p, data);
  }
}

export function makeTree(files: TreeSpec): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'fastfn-test-'));
  writeTree(root, files);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
