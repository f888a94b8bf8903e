// How the CLI reports failures (SPEC §16.4): usage and setting errors exit 2, operational failures exit 1.
import { SettingError, ConfigFileError } from '../config/index.js';
import { StartupError } from '../app/app.js';

export class UsageError extends Error {
  readonly code = 'USAGE';
}

export function exitWith(e: unknown): never {
  if (e instanceof SettingError || e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
  if (e instanceof StartupError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  if (e instanceof ConfigFileError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
}
