#!/usr/bin/env bash
# Browser tests: the plugin's editors and app pages in Chromium against a real worker (see run.ts).
# Installs Debian's Chromium when it is missing, type-checks the tests and their page, builds the worker, then builds
# the test page and runs the tests.
# Screenshots go to tests/output/.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

npx tsc --noEmit -p tests/browser/tsconfig.json
npm run build:worker
npx tsx tests/browser/run.ts
