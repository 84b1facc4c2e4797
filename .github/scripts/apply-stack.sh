#!/usr/bin/env bash
# apply-stack.sh STACK EXPECTED_SHA256
# Applies exactly the saved plan an earlier job made and the approvers saw:
# refuses unless cdktf.out/stacks/STACK/tfplan has the digest the planning job
# reported (a job output, not a file of the artifact), checks the plan again
# with accessctl plan-summary (the safety rails; ALLOW_REVOKE=--allow-revoke
# accepts intended revocations), then applies that file. Never plans.
set -euo pipefail
stack="$1"
expected="$2"
dir="cdktf.out/stacks/${stack}"
actual="$(sha256sum "${dir}/tfplan" | cut -d' ' -f1)"
if [ "${actual}" != "${expected}" ]; then
  echo "::error::the saved plan of ${stack} is not the one that was planned and shown (sha256 ${actual}, expected ${expected}): refusing to apply"
  exit 1
fi
terraform -chdir="${dir}" init -input=false -no-color >/dev/null
# shellcheck disable=SC2086 # ALLOW_REVOKE is empty or one flag
npx accessctl plan-summary "plans/${stack}.json" ${ALLOW_REVOKE:-}
# shellcheck disable=SC2086
npx accessctl plan-summary "plans/${stack}.json" ${ALLOW_REVOKE:-} --format markdown >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
terraform -chdir="${dir}" apply -input=false -no-color -lock-timeout=5m -parallelism=10 tfplan
