#!/usr/bin/env bash
# Idempotent set-up used by ./fastfn and scripts/test.sh: system packages where absent, npm deps, the build.
# Quiet when everything is already in place, so it costs nothing on the second run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_apt[*]} (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: warning: missing ${need_apt[*]}; install them to use those runtimes" >&2
  fi
fi

stamp=node_modules/.fastfn-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > "$stamp"
fi

# Rebuild when any TypeScript source is newer than the build stamp.
if [ ! -f dist/.build-stamp ] || [ -n "$(find src tsconfig.json tsconfig.build.json package.json -newer dist/.build-stamp -print -quit 2>/dev/null)" ]; then
  echo "setup: building (tsc)"
  npx tsc -p tsconfig.build.json
  touch dist/.build-stamp
fi
