// Workers die with the gateway, even one stuck in a busy loop. A worker notices a closed channel only when its
// event loop runs; a handler spinning in `for (;;) {}` never lets it, so a SIGKILLed gateway used to leave it
// spinning forever. The kernel's parent-death signal (prctl PR_SET_PDEATHSIG) needs no cooperation from the
// worker: util-linux `setpriv --pdeathsig KILL` sets it and execs the worker in the same process.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

let cached: string[] | null | undefined;

/** The command prefix that arms the parent-death signal, or null where setpriv is missing or too old (then the
 * channel's end of file is the only exit path, as before). Probed once per gateway. */
export function parentDeathPrefix(): string[] | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.platform !== 'linux') return cached;
  for (const bin of ['/usr/bin/setpriv', '/bin/setpriv']) {
    if (!existsSync(bin)) continue;
    const probe = spawnSync(bin, ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore', timeout: 5000 });
    if (probe.status === 0) cached = [bin, '--pdeathsig', 'KILL', '--'];
    break;
  }
  return cached;
}

/** Wraps a worker command line with the parent-death prefix when there is one. */
export function withParentDeath(cmd: { command: string; args: string[] }): { command: string; args: string[] } {
  const prefix = parentDeathPrefix();
  if (!prefix) return cmd;
  return { command: prefix[0]!, args: [...prefix.slice(1), cmd.command, ...cmd.args] };
}
