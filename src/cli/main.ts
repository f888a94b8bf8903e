// The `fastfn` command (SPEC §16): argument parsing with commander, one file per command. Usage errors exit 2.
import { Command, CommanderError, Option } from 'commander';
import { VERSION } from './version.js';
import { serve, type ServeFlags } from './serve.js';
import { routesCommand } from './routes.js';
import { initCommand } from './init.js';

function serveCommand(program: Command, mode: 'dev' | 'run', hostDefault: string): void {
  program
    .command(`${mode} [dir]`)
    .description(mode === 'dev' ? 'serve a functions folder for development (127.0.0.1, text logs)' : 'serve a functions folder for production (0.0.0.0, JSON logs)')
    .option('--port <n>', 'listen port (default 8080, or FN_HOST_PORT)')
    .option('--host <addr>', `bind address (default ${hostDefault}, or FN_HOST)`)
    .option('--force-url', 'config routes take over already-mapped URLs')
    .option('--hot-reload', 'watch files and apply changes (default on)')
    .option('--no-hot-reload', 'do not watch files')
    .option('--dry-run', 'print the route table, warnings and settings, then exit')
    .option('--reset-ui-state', 'clear console ui-state overrides before listening')
    .addOption(new Option('--native', 'accepted for compatibility; no effect').hideHelp())
    .addOption(new Option('--build', 'accepted for compatibility; no effect').hideHelp())
    .action((dir: string | undefined, flags: ServeFlags) => serve(mode, dir, flags, program.opts<{ config?: string }>().config));
}

export function buildProgram(): Command {
  const program = new Command('fastfn');
  program
    .description('fastfn: serve a folder of Python, Node/TypeScript, PHP, Lua, Go and Rust handlers behind one HTTP gateway')
    .version(`fastfn ${VERSION}`, '-v, --version', 'print the version')
    .option('--config <path>', 'project configuration file (default ./fastfn.json)')
    .exitOverride()
    .showSuggestionAfterError(true);
  serveCommand(program, 'dev', '127.0.0.1');
  serveCommand(program, 'run', '0.0.0.0');
  program
    .command('routes [dir]')
    .description('discover without serving and print the route table')
    .option('--json', 'print {routes, conflicts, warnings} as JSON')
    .option('--check', 'exit 1 when any route conflict exists')
    .action((dir: string | undefined, flags: { json?: boolean; check?: boolean }) => routesCommand(dir, flags, program.opts<{ config?: string }>().config));
  program
    .command('init <name>')
    .description('create a function folder from a template')
    .addOption(new Option('-t, --template <kind>', 'template').choices(['node', 'ts', 'python', 'php', 'lua', 'go', 'rust']).default('node'))
    .action((name: string, flags: { template?: string }) => initCommand(name, flags));
  program
    .command('version')
    .description('print the version')
    .action(() => {
      process.stdout.write(`fastfn ${VERSION}\n`);
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length <= 2) {
    process.stdout.write(program.helpInformation());
    process.exit(2);
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') process.exit(0);
      process.exit(2);
    }
    throw e;
  }
}

void main(process.argv);
