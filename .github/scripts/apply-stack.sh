#!/usr/bin/env bash
# apply-stack.sh STACK EXPECTED_SHA256
# Applies exactly the saved plan an earlier job made and the approvers saw:
# refuses unless cdktf.out/stacks/STACK/tfplan has the digest the planning job
# reported (a job output, not a file of the artifact), checks the rails again
# with accessctl plan-summary over every plan of the run in plans/ together
# (the okta plan and every aws shard's: a mass revocation is counted across
# stacks, not one stack at a time; ALLOW_REVOKE=--allow-revoke accepts
# intended revocations), then applies that file. Never plans.
set -euo pipefail
stack="$1"
expected="$2"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=.github/scripts/engine.sh
. "${here}/engine.sh"
dir="$(stack_dir "${stack}")"
actual="$(sha256sum "${dir}/tfplan" | cut -d' ' -f1)"
if [ "${actual}" != "${expected}" ]; then
  echo "::error::the saved plan of ${stack} is not the one that was planned and shown (sha256 ${actual}, expected ${expected}): refusing to apply"
  exit 1
fi
if [ ! -f "plans/${stack}.json" ]; then
  echo "::error::no plan summary plans/${stack}.json for ${stack}: refusing to apply a plan the rails have not judged"
  exit 1
fi
init_stack "${dir}"
# shellcheck disable=SC2086 # ALLOW_REVOKE is empty or one flag
accessctl plan-summary plans/*.json ${ALLOW_REVOKE:-}
# shellcheck disable=SC2086
accessctl plan-summary plans/*.json ${ALLOW_REVOKE:-} --format markdown >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
"${TOFU}" -chdir="${dir}" apply -input=false -no-color -lock-timeout=60m -parallelism=10 tfplan
