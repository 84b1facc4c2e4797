#!/usr/bin/env bash
# apply-scim.sh
# Plans and applies the okta-scim stack (the SCIM connection of the AWS app)
# in the gated apply job, the only job that holds the SCIM token
# (TF_VAR_okta_aws_scim_token) and the only one whose role may read that
# stack's state. Its saved plan and state never leave this job: the plan file
# is deleted after the apply, and only the plan summary is written (redacted,
# to the job summary). The plan may only create, re-create or keep the
# connection and its token-day trigger; anything else is refused unapplied.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=.github/scripts/engine.sh
. "${here}/engine.sh"
dir="$(stack_dir okta-scim)"
: "${TF_VAR_okta_aws_scim_token:?the SCIM token (secret OKTA_AWS_SCIM_TOKEN of the production environment) is not set for this step}"
trap 'rm -f "${dir}/tfplan" "${dir}/tfplan.json"' EXIT
mkdir -p plans
init_stack "${dir}"
"${TOFU}" -chdir="${dir}" plan -input=false -no-color -lock-timeout=5m -out=tfplan >/dev/null
"${TOFU}" -chdir="${dir}" show -json tfplan > "${dir}/tfplan.json"
accessctl redact-plan "${dir}/tfplan.json" --out plans/okta-scim.json
unexpected="$(jq -r '[.resource_changes[]? | select((.type != "okta_app_connection" and .type != "terraform_data") or ((.change.actions | join(",")) as $a | ["no-op", "create", "delete,create", "create,delete", "update"] | index($a) | not)) | "\(.address) \(.change.actions | join(","))"] | join("; ")' plans/okta-scim.json)"
if [ -n "${unexpected}" ]; then
  echo "::error::the okta-scim plan does more than connect SCIM: ${unexpected}; refusing to apply"
  exit 1
fi
accessctl plan-summary plans/okta-scim.json
accessctl plan-summary plans/okta-scim.json --format markdown >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
"${TOFU}" -chdir="${dir}" apply -input=false -no-color -lock-timeout=5m tfplan
