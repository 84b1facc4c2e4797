#!/usr/bin/env bash
# approvals.sh PR BASE_SHA HEAD_SHA
# Runs accessctl approvals, the CLI built from the base commit (bin/ here), on
# the pull request's head checked out in pr/. Writes approvals.md, the
# section of the sticky comment, adds it to the job summary, and exits as the
# command does: 0 approved, 1 approvals missing, 2 GitHub could not be read.
# Job output: section (the sha256 of approvals.md, which the comment job checks).
# The command writes the section whatever happens, "Not judged" with the
# reason when it has no verdict; its error output goes to the job log only.
set -euo pipefail
pr="$1"
base="$2"
head="$3"
tool="${PWD}/bin/accessctl"
status=0
(cd pr && node "${tool}" approvals --pr "${pr}" --base "${base}" --head "${head}" --format markdown) > approvals.md || status=$?
if [ ! -s approvals.md ]; then
  # The CLI wrote nothing (it crashed): a fixed section, with nothing of its output in it.
  cat > approvals.md <<'SECTION'
<!-- accessctl:approvals -->
### Approvals

**Not judged**: accessctl approvals ended without writing a verdict; the job log says why.

<!-- /accessctl:approvals -->
SECTION
  [ "${status}" -ne 0 ] || status=2
fi
cat approvals.md >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
echo "section=$(sha256sum approvals.md | cut -d' ' -f1)" >> "${GITHUB_OUTPUT:-/dev/null}"
exit "${status}"
