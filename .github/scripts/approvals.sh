#!/usr/bin/env bash
# approvals.sh PR BASE_SHA HEAD_SHA
# Runs accessctl approvals, the CLI built from the base commit (bin/ here), on
# the pull request's head checked out in pr/. Writes approvals.md, the
# section of the sticky comment, adds it to the job summary, and exits as the
# command does: 0 approved, 1 approvals missing, 2 GitHub could not be read.
set -euo pipefail
pr="$1"
base="$2"
head="$3"
tool="${PWD}/bin/accessctl"
status=0
(cd pr && node "${tool}" approvals --pr "${pr}" --base "${base}" --head "${head}" --format markdown) > approvals.md 2> approvals.err || status=$?
if [ ! -s approvals.md ]; then
  # No verdict: say why in the comment, inert (a code block whose fence no line can close).
  {
    echo '<!-- accessctl:approvals -->'
    echo '### Approvals'
    echo
    echo "**Not judged**: accessctl approvals ended with exit code ${status}:"
    echo
    echo '~~~~~~~~'
    head -n 20 approvals.err | tr -d '~'
    echo '~~~~~~~~'
    echo
    echo '<!-- /accessctl:approvals -->'
  } > approvals.md
  [ "${status}" -ne 0 ] || status=2
fi
cat approvals.err >&2
cat approvals.md >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
exit "${status}"
