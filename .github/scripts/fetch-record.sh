#!/usr/bin/env bash
# fetch-record.sh
# Downloads the apply record from ACCESSCTL_APPLIED_RECORD (s3://bucket/key)
# to applied.json. No such object yet (nothing was ever applied) gives the
# empty record; any other failure stops the run rather than re-applying blind.
set -euo pipefail
record="${ACCESSCTL_APPLIED_RECORD:?set the repository variable ACCESSCTL_APPLIED_RECORD (docs/ci.md)}"
bucket="${record#s3://}"; key="${bucket#*/}"; bucket="${bucket%%/*}"
set +e
err="$(aws s3api head-object --bucket "${bucket}" --key "${key}" 2>&1 >/dev/null)"
status=$?
set -e
if [ "${status}" -ne 0 ]; then
  if grep -q 'Not Found\|404' <<<"${err}"; then
    echo '{"version": 1, "stacks": {}}' > applied.json
    echo "no apply record yet at ${record}: every stack is planned"
    exit 0
  fi
  # One line: an annotation ends at the first newline, and the CLI's messages start with one.
  echo "::error::cannot read the apply record ${record}: $(tr -s '\n' ' ' <<<"${err}" | sed 's/^ *//; s/ *$//')"
  exit 1
fi
aws s3 cp --only-show-errors "${record}" applied.json
