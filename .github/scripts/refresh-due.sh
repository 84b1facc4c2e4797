#!/usr/bin/env bash
# refresh-due.sh STACK
# Prints true when a plan of STACK must refresh every resource of its state,
# false when it may plan with -refresh=false (docs/ci.md#plans-without-refresh).
# Reads the apply record (applied.json, or ACCESSCTL_RECORD_FILE):
# - the record has STACK: it was applied and recorded, so its state is what
#   the last apply left. Only changes made outside Terraform since can
#   differ, and the daily drift run (drift.yml, -refresh-only) is the one
#   that looks for those: false.
# - no record here, or STACK not in it (never applied, or its apply deferred
#   assignments SCIM had not pushed, or was never recorded): true.
# ACCESSCTL_REFRESH=always (a run by hand of apply.yml) prints true for
# every stack. The reason goes to stderr.
set -euo pipefail
stack="$1"
record="${ACCESSCTL_RECORD_FILE:-applied.json}"
if [ "${ACCESSCTL_REFRESH:-auto}" = always ]; then
  echo "${stack}: refresh (a refresh was asked for)" >&2
  echo true
elif [ ! -f "${record}" ]; then
  echo "${stack}: refresh (no apply record in this job)" >&2
  echo true
elif ! jq -e '(.stacks | type) == "object"' "${record}" >/dev/null 2>&1; then
  echo "${stack}: refresh (${record} is not an apply record)" >&2
  echo true
elif jq -e --arg s "${stack}" '.stacks | has($s)' "${record}" >/dev/null; then
  echo "${stack}: no refresh (applied and recorded: the drift run refreshes it daily)" >&2
  echo false
else
  echo "${stack}: refresh (never applied and recorded)" >&2
  echo true
fi
