#!/usr/bin/env bash
# judge-pr.sh BASE_SHA
# The synth job of pr.yml: the base commit's CLI (bin/ here, built by npm ci
# from the base commit) judges the pull request's files, checked out in pr/
# and read as data: validate (annotations), CODEOWNERS, the access diff
# (pr/diff.md), the stacks the change touches (pr/affected.json) and the
# synthesized stacks (pr/cdktf.out). Nothing of the pull request runs.
set -euo pipefail
base="$1"
tool="${PWD}/bin/accessctl"
cd pr
status=0
node "${tool}" validate --format github || status=1
node "${tool}" codeowners --check || status=1
node "${tool}" diff --base "${base}" --format markdown > diff.md || status=1
node "${tool}" affected --base "${base}" --format json > affected.json || status=1
node "${tool}" synth --base "${base}" || status=1
exit "${status}"
