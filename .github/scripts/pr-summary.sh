#!/usr/bin/env bash
# pr-summary.sh
# The summary job of pr.yml, with the base commit's CLI: plan-summary of the
# stacks' plans (the safety rails; the label accessctl/allow-revoke in
# LABELS accepts intended revocations), then comment.md, the access section
# of the sticky comment (the access diff and the plan summary), also in the
# job summary. Job outputs: status (0, or 1 when a rail tripped or a plan
# failed) and comment (the sha256 of comment.md, which the comment job checks).
set -euo pipefail
allow=""
if jq -e 'index("accessctl/allow-revoke")' <<<"${LABELS:-[]}" >/dev/null; then allow="--allow-revoke"; fi
status=0
if compgen -G "plans/*.json" >/dev/null; then
  # shellcheck disable=SC2086 # allow is empty or one flag
  npx accessctl plan-summary plans/*.json ${allow} --format markdown > summary.md || status=$?
elif [ "${PLAN_RESULT:-}" = skipped ]; then
  printf '### Terraform plan\n\nNo stack changes: nothing to plan.\n' > summary.md
else
  printf '### Terraform plan\n\nNo plan: the plan job ended with %s.\n' "${PLAN_RESULT:-unknown}" > summary.md
  status=1
fi
if [ "${PLAN_RESULT:-}" = failure ] || [ "${PLAN_RESULT:-}" = cancelled ]; then
  printf '\n**A stack could not be planned** (plan job: %s): see the run.\n' "${PLAN_RESULT}" >> summary.md
  status=1
fi
# The diff's first line is the comment's marker; the comment job adds it once.
sed '1{/^<!-- accessctl -->$/d;}' diff.md | cat - summary.md > comment.md
cat comment.md >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
{
  echo "status=${status}"
  echo "comment=$(sha256sum comment.md | cut -d' ' -f1)"
} >> "${GITHUB_OUTPUT:-/dev/null}"
