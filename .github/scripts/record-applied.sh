#!/usr/bin/env bash
# record-applied.sh STACK
# After STACK's plan was applied: notes it in the apply record (the layout
# digest from affected.json and the commit applied) and uploads the record to
# ACCESSCTL_APPLIED_RECORD (s3://bucket/key, next to the state; only the apply
# role may write it). A stack whose plan deferred assignments to groups SCIM
# had not pushed yet is not recorded: it stays pending, so a later run applies
# the rest.
set -euo pipefail
stack="$1"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=.github/scripts/engine.sh
. "${here}/engine.sh"
pending="$(jq -r '(.planned_values.outputs.pending_scim_groups.value // []) | join(", ")' "plans/${stack}.json")"
if [ -n "${pending}" ]; then
  echo "${stack} applied, but waits for SCIM to push ${pending}: not recorded, so the next run plans it again"
  exit 0
fi
digest="$(jq -r --arg s "${stack}" '.digests[$s]' affected.json)"
accessctl record-applied --record applied.json --stack "${stack}" --digest "${digest}" --commit "${GITHUB_SHA}"
aws s3 cp --only-show-errors applied.json "${ACCESSCTL_APPLIED_RECORD}"
