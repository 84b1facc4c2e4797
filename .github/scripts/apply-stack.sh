#!/usr/bin/env bash
# apply-stack.sh STACK
# Plans one stack, checks the plan with accessctl plan-summary (the safety
# rails; ALLOW_REVOKE=--allow-revoke accepts intended revocations), and applies
# exactly that saved plan. Never applies without a reviewed plan file.
set -euo pipefail
stack="$1"
dir="cdktf.out/stacks/${stack}"
.github/scripts/plan-stack.sh "${stack}"
# shellcheck disable=SC2086 # ALLOW_REVOKE is empty or one flag
npx accessctl plan-summary "plans/${stack}.json" ${ALLOW_REVOKE:-} | tee -a "${GITHUB_STEP_SUMMARY:-/dev/null}"
terraform -chdir="${dir}" apply -input=false -no-color -lock-timeout=5m -parallelism=10 tfplan
