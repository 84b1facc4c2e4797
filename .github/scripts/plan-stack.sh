#!/usr/bin/env bash
# plan-stack.sh STACK [EXTRA TERRAFORM PLAN ARGS…]
# terraform init + plan -out=tfplan + show -json for one synthesized stack.
# Plans never take the state lock (-lock=false): the plan role may not write
# the lock, and only the apply of a saved plan locks (Terraform refuses a saved
# plan whose state has changed since). Writes plans/STACK.json with every
# sensitive value replaced by "(sensitive)" and the prior state cut down to
# what plan-summary reads (redact-plan.jq), and plans/STACK.sha256, the digest
# of the saved plan the apply job checks. Exits with terraform plan's exit code
# (with -detailed-exitcode: 0 no changes, 2 changes, 1 error).
set -euo pipefail
stack="$1"; shift
dir="cdktf.out/stacks/${stack}"
[ -f "${dir}/cdk.tf.json" ] || { echo "no stack ${stack} in cdktf.out" >&2; exit 1; }
parallelism=10
mkdir -p plans
terraform -chdir="${dir}" init -input=false -no-color >/dev/null
set +e
terraform -chdir="${dir}" plan -input=false -no-color -lock=false -parallelism="${parallelism}" -out=tfplan "$@"
status=$?
set -e
if [ "${status}" -ne 1 ]; then
  here="$(cd "$(dirname "$0")" && pwd)"
  terraform -chdir="${dir}" show -json tfplan | jq -f "${here}/redact-plan.jq" > "plans/${stack}.json.tmp"
  mv "plans/${stack}.json.tmp" "plans/${stack}.json"
  sha256sum "${dir}/tfplan" | cut -d' ' -f1 > "plans/${stack}.sha256"
fi
exit "${status}"
