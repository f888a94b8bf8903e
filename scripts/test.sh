#!/usr/bin/env bash
# The whole test suite (README's second command; .ci/run runs exactly this): set-up, then lint, typecheck, build and
# every test (unit, protocol, integration against real node and python3 workers).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm test
