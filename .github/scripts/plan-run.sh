#!/usr/bin/env bash
# plan-run.sh STACK…
# The plan jobs of apply.yml: plans every stack of the run (plan-stack.sh,
# the plan role's read-only credentials), then judges all the plans in plans/
# together with accessctl plan-summary: the safety rails count the run as a
# whole (two shards each under the mass-revocation limit can be over it
# together), before any of them is applied. A job that re-plans some stacks
# (the aws stacks once SCIM has pushed) keeps the other plans of the run in
# plans/, so they are counted too.
# Writes digests.json ({stack: sha256 of its saved plan}) and the job outputs:
#   digests        that JSON, which the gated jobs check each plan against;
#   unattended     true only when the plans change nothing at all, or
#                  plan-summary --removals-only exits 0 (only known removals,
#                  and the rails pass; in an expiry run, --lapsed: no removal
#                  of access main grants that did not lapse): the one condition on which a
#                  scheduled run applies without a person (applying plans
#                  that change nothing records the stacks, so they stop
#                  being planned every hour);
#   rails          ok, or tripped (the gated jobs then refuse, unless a
#                  person runs the workflow with allow_revoke).
# Each stack is planned with REFRESH=auto (refresh-due.sh: -refresh=false
# when the apply record, applied.json, has the stack) unless the caller sets
# REFRESH (apply.yml: true on a run by hand).
# Exits 1 when a stack cannot be planned.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=.github/scripts/engine.sh
. "${here}/engine.sh"
out="${GITHUB_OUTPUT:-/dev/null}"
export REFRESH="${REFRESH:-auto}"
mkdir -p plans
[ -f digests.json ] || echo '{}' > digests.json
changed=0
for stack in "$@"; do
  status=0
  "${here}/plan-stack.sh" "${stack}" -detailed-exitcode || status=$?
  if [ "${status}" -eq 1 ]; then
    echo "::error::${stack} could not be planned: nothing of this run is applied"
    exit 1
  fi
  if [ "${status}" -eq 2 ]; then changed=$((changed + 1)); fi
  jq --arg s "${stack}" --arg d "$(cat "plans/${stack}.sha256")" '. + {($s): $d}' digests.json > digests.next && mv digests.next digests.json
done
accessctl plan-summary plans/*.json --format markdown >> "${GITHUB_STEP_SUMMARY:-/dev/null}" || true
# An expiry run (synth --expiry wrote "lapsed" lists) applies only removals of what lapsed, or of what main does not grant.
lapsed=()
if [ -f affected.json ] && jq -e 'has("lapsed")' affected.json >/dev/null; then lapsed=(--lapsed affected.json); fi
status=0
accessctl plan-summary plans/*.json --removals-only "${lapsed[@]}" > /dev/null || status=$?
case "${status}" in
  0) unattended=true; rails=ok ;;
  3) unattended=false; rails=ok ;;
  1) unattended=false; rails=tripped ;;
  *) exit "${status}" ;;
esac
if [ "${rails}" = ok ] && [ "${changed}" -eq 0 ]; then unattended=true; fi
accessctl plan-summary plans/*.json || true
{
  echo "digests=$(jq -c . digests.json)"
  echo "unattended=${unattended}"
  echo "rails=${rails}"
} >> "${out}"
