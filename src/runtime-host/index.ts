// Door of the runtime-host concern: the only folder that spawns processes (STYLE rule 5).
export { RuntimeHost } from './host.js';
export { FunctionPool, PoolDownError } from './pool.js';
export { Worker, WorkerExitError, type WorkerReply, type ReplySink } from './worker.js';
export { detectToolchains, packageRoot, type Toolchain } from './toolchain.js';
export { RuntimeSupervisor, type RuntimeHealth } from './supervisor.js';
