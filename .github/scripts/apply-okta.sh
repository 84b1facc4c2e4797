#!/usr/bin/env bash
# apply-okta.sh EXPECTED_SHA256
# The gated job's Okta step: the okta stack's approved saved plan
# (apply-stack.sh) and, when affected.json lists it, the okta-scim stack
# (apply-scim.sh: the SCIM connection, with the token only this job holds).
# User provisioning and Group Push need the connection, so okta-scim goes
# first when the AWS app already exists; on an org's first apply the app does
# not exist yet, and okta goes first.
# On the schedule (expiries, no reviewer) okta-scim is never applied: a new
# connection is not a removal. It stays pending for a run with a reviewer.
# Writes applied-stacks.txt: the stacks applied, one a line, for the record.
set -euo pipefail
expected="$1"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=.github/scripts/engine.sh
. "${here}/engine.sh"
: > applied-stacks.txt
scim=false
if jq -e '.stacks | index("okta-scim") != null' affected.json >/dev/null; then
  if [ "${GITHUB_EVENT_NAME:-}" = schedule ]; then
    echo "::warning::the SCIM connection (okta-scim) differs from what was applied; a scheduled run does not connect SCIM: run apply by hand"
  else
    scim=true
  fi
fi
app_exists=false
if [ "${scim}" = true ]; then
  okta_dir="$(stack_dir okta)"
  init_stack "${okta_dir}"
  if [ "$("${TOFU}" -chdir="${okta_dir}" output -json aws_app_ids 2>/dev/null | jq 'length > 0' 2>/dev/null)" = true ]; then app_exists=true; fi
fi
if [ "${scim}" = true ] && [ "${app_exists}" = true ]; then
  "${here}/apply-scim.sh"
  echo okta-scim >> applied-stacks.txt
fi
"${here}/apply-stack.sh" okta "${expected}"
echo okta >> applied-stacks.txt
if [ "${scim}" = true ] && [ "${app_exists}" = false ]; then
  "${here}/apply-scim.sh"
  echo okta-scim >> applied-stacks.txt
fi
