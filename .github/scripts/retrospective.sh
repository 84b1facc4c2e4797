#!/usr/bin/env bash
# retrospective.sh RECORD
# Every hour (retrospective.yml): the retrospective issues for the
# break-glass grants that were applied, that is, made on the first-parent
# line up to the apply record's okta commit, and that have no issue yet
# (accessctl retrospective --applied RECORD, the CLI built by the tool job),
# written to retrospective.json for the job that opens them. SINCE
# (optional, YYYY-MM-DD) looks further back than the CLI's 30 days, after
# the workflow was down longer than that. When the CLI fails (the issues
# could not be listed, the applied commit is not in the clone) no
# retrospective.json is left and the script fails: nothing is opened twice,
# and the next run tries again.
set -euo pipefail
record="$1"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=.github/scripts/engine.sh
. "${here}/engine.sh"
args=(--applied "${record}" --format json)
if [ -n "${SINCE:-}" ]; then args+=(--since "${SINCE}"); fi
rm -f retrospective.json
out="$(mktemp retrospective.XXXXXX)"
trap 'rm -f "${out}"' EXIT
accessctl retrospective "${args[@]}" > "${out}"
# Only a complete answer goes on to the job that opens issues.
jq -e '.issues | type == "array"' "${out}" > /dev/null
mv "${out}" retrospective.json
jq -r '.opened[] | "already opened: \(.user) in \(.group) (\(.commit[0:12])): #\(.issue)"' retrospective.json
jq -r '.issues[] | "retrospective: \(.title)"' retrospective.json
