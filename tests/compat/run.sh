#!/usr/bin/env bash
# The differential compatibility suite, in one command: installs graphite-web 1.1.8 if missing (setup.sh), builds
# the worker, then runs the jest project `compat` (tests/compat/render.test.ts). Extra arguments go to jest
# (e.g. `-t sumSeries`). COMPAT_KEEP=1 keeps both data directories; COMPAT_ONLY=<text> runs the matching targets.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tests/compat/setup.sh
npm run --silent build:worker
# Bounded: the whole suite is expected to finish in about 5 minutes on 2 cores.
timeout --kill-after=30s 15m npx jest --selectProjects compat --runInBand "$@"
