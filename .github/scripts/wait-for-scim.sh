#!/usr/bin/env bash
# wait-for-scim.sh [TRIES] [SECONDS]
# After the okta stack is applied, SCIM pushes new groups to the AWS Identity
# Store. Re-plans the aws stack until its output pending_scim_groups is empty,
# at most TRIES times (default 20) SECONDS apart (default 30), then fails
# loudly naming the groups still missing.
set -euo pipefail
tries="${1:-20}"
pause="${2:-30}"
for i in $(seq 1 "${tries}"); do
  .github/scripts/plan-stack.sh aws >/dev/null
  pending="$(jq -r '(.planned_values.outputs.pending_scim_groups.value // []) | join(", ")' plans/aws.json)"
  if [ -z "${pending}" ]; then
    echo "every group is in the AWS Identity Store"
    exit 0
  fi
  echo "try ${i}/${tries}: waiting for SCIM to push: ${pending}"
  sleep "${pause}"
done
echo "::error::SCIM has not pushed these groups to AWS after $((tries * pause)) s: ${pending}. Check the AWS IAM Identity Center app's provisioning in Okta (docs/okta-aws-setup.md)."
exit 1
