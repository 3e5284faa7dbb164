#!/usr/bin/env bash
# The alerting suite's peer tests, in one command: installs Alertmanager 0.25 if missing (setup.sh), builds the
# worker, then runs the jest project `alerting-peers` (tests/alerting/peers/). Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tests/alerting/setup.sh
npm run --silent build:worker
timeout --kill-after=30s 10m npx jest --selectProjects alerting-peers --runInBand "$@"
