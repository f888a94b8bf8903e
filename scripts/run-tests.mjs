#!/usr/bin/env node
// Runs every *.test.ts under the given folders with Node's own test runner (TypeScript through tsx).
// Node 20's --test does not expand globs or pick up .ts files itself, hence this list.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d).sort()) {
    if (name === 'fixtures' || name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
};
for (const r of roots.length ? roots : ['test']) {
  if (statSync(r).isDirectory()) walk(r);
  else files.push(r);
}
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = process.env.FASTFN_TEST_CONCURRENCY ?? '2';
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=180000', '--test-reporter=spec', ...flags, ...files],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);
