// `fastfn dev` and `fastfn run` (SPEC §16.2): identical routing and policy; dev binds 127.0.0.1 with text logs,
// run binds 0.0.0.0 with JSON logs. SIGINT/SIGTERM shut down gracefully and exit 0.
import { loadSettings, type Mode } from '../config/index.js';
import { assertRoot, discoverWith, startApp } from '../app/app.js';
import { formatTable } from '../app/route-table.js';
import { VERSION } from './version.js';
import { exitWith } from './errors.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  forceUrl?: boolean;
  hotReload?: boolean;
  dryRun?: boolean;
  resetUiState?: boolean;
  native?: boolean;
  build?: boolean;
}

export async function serve(mode: Mode, dir: string | undefined, flags: ServeFlags, config: string | undefined): Promise<void> {
  try {
    const settings = loadSettings(mode, { dir, port: flags.port, host: flags.host, forceUrl: flags.forceUrl, hotReload: flags.hotReload, config }, { version: VERSION });
    if (flags.dryRun) {
      assertRoot(settings.root);
      const catalog = discoverWith(settings);
      for (const w of settings.warnings) process.stdout.write(`warning: ${w}\n`);
      process.stdout.write(`fastfn ${mode} ${VERSION} · root ${settings.root} (dry run)\n`);
      for (const line of formatTable(catalog)) process.stdout.write(line + '\n');
      process.stdout.write(
        `settings: host=${settings.host} port=${settings.port} runtimes=${settings.runtimes.join(',')} hot_reload=${settings.hotReload} force_url=${settings.forceUrl} timeout_ms=${settings.defaults.timeout_ms} max_concurrency=${settings.defaults.max_concurrency} max_body_bytes=${settings.defaults.max_body_bytes}\n`,
      );
      process.exit(0);
    }
    const app = await startApp(settings);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void app.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    exitWith(e);
  }
}
