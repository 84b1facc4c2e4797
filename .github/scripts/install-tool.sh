#!/usr/bin/env bash
# install-tool.sh EXPECTED_SHA256
# In a job with credentials: unpacks the accessctl CLI an unprivileged job
# built from the base commit (tool.tgz), after checking it has the digest that
# job reported, and installs only its runtime dependencies without running
# any package script.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"${here}/unpack.sh" tool.tgz "$1"
npm ci --omit=dev --ignore-scripts --no-audit --no-fund
