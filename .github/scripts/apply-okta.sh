#!/usr/bin/env bash
# apply-okta.sh EXPECTED_SHA256
# Applies the okta stack's approved plan (apply-stack.sh). The one exception:
# a plan that creates or re-creates the SCIM connection. The planning job never
# holds the SCIM token (a saved plan keeps its variables, and the artifact is
# readable by anyone who can read the repository), so its plan carries a
# placeholder there. This job, which has the secret, plans again and applies
# that plan only if it makes exactly the changes of the approved one.
set -euo pipefail
expected="$1"
here="$(cd "$(dirname "$0")" && pwd)"
if ! jq -e '[.resource_changes[]? | select(.type == "okta_app_connection" and (.change.actions | index("create")) != null)] | length > 0' plans/okta.json >/dev/null; then
  exec "${here}/apply-stack.sh" okta "${expected}"
fi
changes='[.resource_changes[]? | select(.change.actions != ["no-op"] and .change.actions != ["read"]) | {address, actions: .change.actions}] | sort_by(.address)'
jq -S "${changes}" plans/okta.json > plans/okta.approved-changes.json
set +e
"${here}/plan-stack.sh" okta
status=$?
set -e
[ "${status}" -eq 0 ] || { echo "::error::the okta plan with the SCIM token failed"; exit 1; }
jq -S "${changes}" plans/okta.json > plans/okta.replanned-changes.json
if ! diff -u plans/okta.approved-changes.json plans/okta.replanned-changes.json; then
  echo "::error::the okta plan made with the SCIM token differs from the approved one: refusing to apply; re-run the workflow"
  exit 1
fi
# shellcheck disable=SC2086 # ALLOW_REVOKE is empty or one flag
npx accessctl plan-summary plans/okta.json ${ALLOW_REVOKE:-}
# shellcheck disable=SC2086
npx accessctl plan-summary plans/okta.json ${ALLOW_REVOKE:-} --format markdown >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
terraform -chdir=cdktf.out/stacks/okta apply -input=false -no-color -lock-timeout=5m -parallelism=10 tfplan
