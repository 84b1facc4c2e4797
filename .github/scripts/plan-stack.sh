#!/usr/bin/env bash
# plan-stack.sh STACK [EXTRA TERRAFORM PLAN ARGS…]
# terraform init + plan -out=tfplan + show -json for one synthesized stack.
# Writes plans/STACK.json with every sensitive value (the SCIM token) replaced
# by "(sensitive)" (redact-plan.jq); exits with terraform plan's exit code (with
# -detailed-exitcode: 0 no changes, 2 changes, 1 error).
set -euo pipefail
stack="$1"; shift
dir="cdktf.out/stacks/${stack}"
[ -f "${dir}/cdk.tf.json" ] || { echo "no stack ${stack} in cdktf.out" >&2; exit 1; }
parallelism=10
mkdir -p plans
terraform -chdir="${dir}" init -input=false -no-color >/dev/null
set +e
terraform -chdir="${dir}" plan -input=false -no-color -lock-timeout=5m -parallelism="${parallelism}" -out=tfplan "$@"
status=$?
set -e
if [ "${status}" -ne 1 ]; then
  here="$(cd "$(dirname "$0")" && pwd)"
  terraform -chdir="${dir}" show -json tfplan | jq -f "${here}/redact-plan.jq" > "plans/${stack}.json.tmp"
  mv "plans/${stack}.json.tmp" "plans/${stack}.json"
fi
exit "${status}"
