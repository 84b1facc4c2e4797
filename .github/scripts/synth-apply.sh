#!/usr/bin/env bash
# synth-apply.sh EVENT
# The synth job of apply.yml (no credential; the CLI of this checkout, npm ci
# done): what this run plans, from the apply record (applied.json).
# - schedule: the expiry run. accessctl synth --expiry synthesizes, for every
#   stack of the record, the commit it was last applied from, laid out today:
#   only what lapsed since can differ, so whatever main holds (an unapplied
#   merge, a lapsed waiver, the SCIM token's age turning into an error) holds
#   no expiry back. main is then judged on its own: its findings (accessctl
#   validate, guardrails included) and the stacks where it differs from the
#   record are written to unapplied.md for the drift issue, and wait for a
#   run with a person.
# - push, workflow_dispatch: main as it is now, laid out today, against the
#   record (accessctl affected --applied), then synthesized with renames
#   detected against the oldest commit still live. FORCE_STACKS (the input
#   stacks of a run by hand) adds stacks whose files did not change: planned
#   with a refresh, they repair drift.
# Writes affected.json (stacks, digests and, for expiries, the commit of each)
# and the job outputs: okta (true when okta or okta-scim is to be applied),
# aws (the aws stacks, JSON), plan (the stacks to plan, JSON: never okta-scim,
# which only the gated job plans, but okta whenever okta-scim changed) and
# unapplied (true when unapplied.md says something).
set -euo pipefail
event="$1"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=.github/scripts/engine.sh
. "${here}/engine.sh"
out="${GITHUB_OUTPUT:-/dev/null}"
: > unapplied.md
if [ "${event}" = schedule ]; then
  status=0
  accessctl synth --expiry applied.json --affected affected.json 2> expiry.err || status=$?
  cat expiry.err >&2
  if [ "${status}" -ne 0 ]; then
    if [ ! -f affected.json ]; then exit "${status}"; fi
    { echo "### Expiries that could not be synthesized"; echo; echo '```'; cat expiry.err; echo '```'; echo; } >> unapplied.md
  fi
  status=0
  accessctl validate > main.err 2>&1 || status=$?
  if [ "${status}" -ne 0 ]; then
    { echo "### main has errors, so nothing but expiries is applied"; echo; echo '```'; cat main.err; echo '```'; echo; } >> unapplied.md
  fi
  if accessctl affected --applied applied.json --format json > main.json 2>/dev/null && jq -e '.stacks | length > 0' main.json >/dev/null; then
    { echo "### main differs from what was applied"; echo; jq -r '.stacks[] as $s | "- \($s): \(.reasons[$s])"' main.json; echo; echo "A scheduled run applies expiries only: run the apply workflow by hand, or approve the pending run."; } >> unapplied.md
  fi
else
  accessctl affected --applied applied.json --format json > affected.json
  # FORCE_STACKS (a run by hand, input stacks): plan these too, though their files did not change since they were
  # applied. A run by hand refreshes what it plans, so this is how drift found by drift.yml is repaired.
  for forced in ${FORCE_STACKS:-}; do
    if ! [[ "${forced}" =~ ^[a-z0-9][a-z0-9-]*$ ]] || ! jq -e --arg s "${forced}" '.all | index($s) != null' affected.json >/dev/null; then
      echo "::error::no stack ${forced} in main (stacks: $(jq -r '.all | join(", ")' affected.json))"
      exit 1
    fi
    jq --arg s "${forced}" 'if (.stacks | index($s)) != null then . else .stacks += [$s] | .reasons[$s] = "asked for by hand (a refresh repairs drift)" end' affected.json > affected.next && mv affected.next affected.json
  done
  # Renames are detected against the oldest commit still live (moved blocks from newer states are no-ops).
  base="$(jq -r '[.stacks[]] | sort_by(.appliedAt) | .[0].commit // empty' applied.json)"
  if [ -n "${base}" ] && git cat-file -e "${base}^{commit}" 2>/dev/null; then
    accessctl synth --base "${base}"
  else
    accessctl synth --no-base
  fi
fi
jq -r '.stacks[] as $s | "\($s): \(.reasons[$s])"' affected.json
{
  echo "okta=$(jq '.stacks | (index("okta") != null or index("okta-scim") != null)' affected.json)"
  echo "aws=$(jq -c '[.stacks[] | select(startswith("aws"))]' affected.json)"
  echo "plan=$(jq -c '.stacks | (if index("okta-scim") != null then . + ["okta"] else . end) | map(select(. != "okta-scim")) | unique' affected.json)"
  echo "unapplied=$([ -s unapplied.md ] && echo true || echo false)"
} >> "${out}"
