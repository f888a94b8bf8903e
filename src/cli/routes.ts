// `fastfn routes [dir]` (SPEC §16.2): discovery without serving, from the same code the gateway uses.
import { loadSettings } from '../config/index.js';
import { assertRoot, discoverWith } from '../app/app.js';
import { formatTable, tableRows } from '../app/route-table.js';
import { VERSION } from './version.js';
import { exitWith } from './errors.js';

export function routesCommand(dir: string | undefined, flags: { json?: boolean; check?: boolean }, config: string | undefined): void {
  try {
    const settings = loadSettings('dev', { dir, config }, { version: VERSION });
    assertRoot(settings.root);
    const catalog = discoverWith(settings);
    if (flags.json) {
      const routes = tableRows(catalog)
        .filter((r) => r.source !== 'conflict')
        .map((r) => ({ methods: r.methods, route: r.route, target: r.target, runtime: r.runtime, source: r.source, hosts: r.hosts }));
      const conflicts = catalog.conflicts.map((c) => ({ route: c.route, methods: c.methods, targets: c.files, hosts: c.allow_hosts }));
      process.stdout.write(JSON.stringify({ routes, conflicts, warnings: catalog.warnings }, null, 2) + '\n');
    } else {
      for (const line of formatTable(catalog)) process.stdout.write(line + '\n');
    }
    process.exit(flags.check && catalog.conflicts.length ? 1 : 0);
  } catch (e) {
    exitWith(e);
  }
}
