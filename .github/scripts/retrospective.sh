#!/usr/bin/env bash
# retrospective.sh BEFORE AFTER
# After a push to the default branch: the retrospective issues for the
# break-glass access it granted (accessctl retrospective, the CLI built by
# the tool job), written to retrospective.json for the job that opens them.
set -euo pipefail
before="$1"
after="$2"
if [[ ! "${before}" =~ ^[0-9a-f]{40}$ ]] || [ "${before}" = 0000000000000000000000000000000000000000 ]; then
  echo "no previous commit to compare with: nothing to do"
  echo '{"issues": []}' > retrospective.json
  exit 0
fi
npx accessctl retrospective --base "${before}" --head "${after}" --commit "${after}" --format json > retrospective.json
jq -r '.issues[] | "retrospective: \(.title)"' retrospective.json
