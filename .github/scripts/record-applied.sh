#!/usr/bin/env bash
# record-applied.sh STACK
# After STACK's plan was applied: notes it in the apply record (the layout
# digest from affected.json, and the commit it was synthesized from:
# affected.json's commits[STACK] when the run synthesized an older commit, as
# the scheduled expiry run does, else GITHUB_SHA) at ACCESSCTL_APPLIED_RECORD
# (s3://bucket/key, next to the state; only the apply role may write it).
# The record is read fresh from S3, only STACK's entry is changed, and it is
# written back with a conditional write (If-Match on the ETag read, or
# If-None-Match when there was no record): when another job wrote in between,
# S3 refuses the write and this script reads again and retries, so no job's
# entry is ever lost to another's stale copy. A stack whose plan deferred
# assignments to groups SCIM had not pushed yet is not recorded: it stays
# pending, so a later run applies the rest.
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
commit="$(jq -r --arg s "${stack}" --arg sha "${GITHUB_SHA:-}" '.commits[$s] // $sha' affected.json)"
record="${ACCESSCTL_APPLIED_RECORD:?set the repository variable ACCESSCTL_APPLIED_RECORD (docs/ci.md)}"
bucket="${record#s3://}"; key="${bucket#*/}"; bucket="${bucket%%/*}"
# oneline FILE: an annotation ends at its first newline, and the AWS CLI's messages start with one.
oneline() { tr -s '\n' ' ' < "$1" | sed 's/^ *//; s/ *$//'; }
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
for attempt in 1 2 3 4 5; do
  set +e
  head="$(aws s3api get-object --bucket "${bucket}" --key "${key}" "${work}/record.json" 2>"${work}/get.err")"
  status=$?
  set -e
  if [ "${status}" -eq 0 ]; then
    condition=(--if-match "$(jq -r .ETag <<<"${head}")")
  elif grep -q 'NoSuchKey\|Not Found\|404' "${work}/get.err"; then
    echo '{"version": 1, "stacks": {}}' > "${work}/record.json"
    condition=(--if-none-match '*')
  else
    echo "::error::cannot read the apply record ${record}: $(oneline "${work}/get.err")"
    exit 1
  fi
  accessctl record-applied --record "${work}/record.json" --stack "${stack}" --digest "${digest}" --commit "${commit}"
  set +e
  aws s3api put-object --bucket "${bucket}" --key "${key}" --body "${work}/record.json" "${condition[@]}" >/dev/null 2>"${work}/put.err"
  status=$?
  set -e
  if [ "${status}" -eq 0 ]; then
    cp "${work}/record.json" applied.json
    exit 0
  fi
  if ! grep -q 'PreconditionFailed\|ConditionalRequestConflict\|412\|409' "${work}/put.err"; then
    echo "::error::cannot write the apply record ${record}: $(oneline "${work}/put.err")"
    exit 1
  fi
  echo "the apply record changed while ${stack} was being recorded (try ${attempt}): reading it again"
  sleep "${ACCESSCTL_RECORD_RETRY_SECONDS:-2}"
done
echo "::error::the apply record ${record} kept changing: ${stack} is not recorded, so the next run plans it again"
exit 1
