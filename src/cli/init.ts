// `fastfn init <name> -t <template>` (SPEC §16.2): a catalogued function folder served at /<name> and /<name>/*.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { template } from './templates.js';
import { UsageError, exitWith } from './errors.js';

const NAME = /^[A-Za-z0-9_-]+$/;

export function initCommand(name: string, flags: { template?: string }): void {
  try {
    const kind = (flags.template ?? 'node').toLowerCase();
    if (!NAME.test(name)) throw new UsageError(`invalid function name: ${name} (use letters, digits, _ and -)`);
    const t = template(kind, name);
    if (!t) throw new UsageError(`unknown template: ${kind} (node, ts, python, php, lua, go, rust)`);
    const dir = resolve(process.cwd(), name);
    if (existsSync(dir)) {
      process.stderr.write(`error: ${name} already exists\n`);
      process.exit(1);
    }
    mkdirSync(dir, { recursive: true });
    const config = {
      runtime: t.runtime,
      name,
      version: '1.0.0',
      entrypoint: t.entry,
      timeout_ms: 2500,
      max_concurrency: 20,
      max_body_bytes: 1048576,
    };
    const files: [string, string][] = [['fn.config.json', JSON.stringify(config, null, 2) + '\n'], [t.entry, t.code], ...Object.entries(t.extra ?? {})];
    for (const [f, content] of files) writeFileSync(join(dir, f), content);
    process.stdout.write(`Created ${name}/ (${t.runtime}):\n`);
    for (const [f] of files) process.stdout.write(`  ${name}/${f}\n`);
    process.stdout.write(`Next: fastfn dev .   then open http://127.0.0.1:8080/${name}\n`);
    process.exit(0);
  } catch (e) {
    exitWith(e);
  }
}
