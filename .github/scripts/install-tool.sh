#!/usr/bin/env bash
# install-tool.sh EXPECTED_SHA256
# In a job with credentials: unpacks the accessctl CLI the unprivileged synth
# job built (tool.tgz), after checking it has the digest that job reported, and
# installs only its runtime dependencies without running any package script.
set -euo pipefail
expected="$1"
actual="$(sha256sum tool.tgz | cut -d' ' -f1)"
if [ "${actual}" != "${expected}" ]; then
  echo "::error::tool.tgz is not the CLI the synth job built (sha256 ${actual}, expected ${expected})"
  exit 1
fi
tar -xzf tool.tgz
npm ci --omit=dev --ignore-scripts --no-audit --no-fund
