#!/usr/bin/env bash
# drift-stack.sh STACK
# One job of drift.yml's matrix: a -refresh-only plan of STACK (plan-stack.sh
# with REFRESH=only, the plan role's read-only credentials), the one plan
# that reads every resource of the state back from Okta and AWS. What it finds
# changed or deleted outside Terraform (the plan's resource_drift: addresses
# and actions only, never values) becomes the stack's drift issue.
# PARALLELISM: AWS_PARALLELISM (default 1) for the aws stacks, whose reads
# share IAM Identity Center's 20 requests/s with the whole org; 10 for the
# Okta stacks, which the provider paces itself (max_api_capacity)
# (docs/scale.md#staying-inside-the-api-quota).
# Writes drift/STACK.state (clean, drifted or failed) and, unless clean,
# drift/STACK.md. Exits 0 unless the stack cannot be named.
set -euo pipefail
stack="$1"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=.github/scripts/engine.sh
. "${here}/engine.sh"
mkdir -p drift
case "${stack}" in
  aws|aws-*) parallelism="${AWS_PARALLELISM:-1}" ;;
  *) parallelism=10 ;;
esac
status=0
REFRESH=only PARALLELISM="${parallelism}" "${here}/plan-stack.sh" "${stack}" -detailed-exitcode || status=$?
if [ "${status}" -eq 1 ]; then
  echo failed > "drift/${stack}.state"
  echo "The refresh of ${stack} failed: see run ${GITHUB_RUN_ID:-?}." > "drift/${stack}.md"
  exit 0
fi
dir="$(stack_dir "${stack}")"
# resource_drift: what the refresh found changed outside Terraform. Only addresses and actions leave the job.
"${TOFU}" -chdir="${dir}" show -json tfplan \
  | jq -r '[.resource_drift // [] | .[] | select(.change.actions != ["no-op"])]
      | map("- `\(.address)`: " + (if .change.actions == ["delete"] then "deleted outside Terraform" else "changed outside Terraform (\(.change.actions | join(", ")))" end))
      | .[]' > "drift/${stack}.list"
if [ -s "drift/${stack}.list" ]; then
  echo drifted > "drift/${stack}.state"
  {
    echo "A refresh found $(wc -l < "drift/${stack}.list" | tr -d ' ') resource(s) of ${stack} changed outside Terraform since it was last applied or refreshed:"
    echo
    cat "drift/${stack}.list"
    echo
    echo "Plans of pull requests and merges do not refresh a recorded stack, so they do not undo this. To put back what the files say, run apply.yml by hand with ${stack} in its stacks input: it plans the stack with a refresh, for the usual approval (docs/ci.md#plans-without-refresh)."
  } > "drift/${stack}.md"
else
  echo clean > "drift/${stack}.state"
fi
rm -f "drift/${stack}.list"
cat "drift/${stack}.state"
