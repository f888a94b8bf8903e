#!/usr/bin/env node
// Entry point of the `fastfn` command (package.json bin). The CLI itself is compiled TypeScript in dist/.
import('../dist/cli/main.js');
