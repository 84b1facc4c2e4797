#!/usr/bin/env bash
# collect-change.sh BRANCH TITLE [ISSUE]
# After accessctl request or expire has edited access/ in this checkout,
# copies the changed files to change/files/ and writes change/pr.json for the
# open-pr workflow: {branch, title, body, files, issue}. The body is
# change/diff.md (the access diff in markdown). No changed file: files is [].
set -euo pipefail
branch="$1"
title="$2"
issue="${3:-}"
# The body's one reference is "Closes #ISSUE": ISSUE must be an issue number.
if [ -n "${issue}" ] && ! [[ "${issue}" =~ ^[1-9][0-9]*$ ]]; then
  echo "not an issue number: ${issue}" >&2
  exit 1
fi
mkdir -p change/files
files=()
while IFS= read -r -d '' entry; do
  file="${entry:3}"
  # A staged rename or copy is "XY NEW\0OLD\0": OLD follows as a record of its own, without "XY ".
  case "${entry:0:1}" in R|C) IFS= read -r -d '' _ ;; esac
  case "${file}" in
    access/*) ;;
    *) echo "unexpected change outside access/: ${file}" >&2; exit 1 ;;
  esac
  mkdir -p "change/files/$(dirname "${file}")"
  cp -- "${file}" "change/files/${file}"
  files+=("${file}")
done < <(git status --porcelain -z --untracked-files=all -- access)
if [ "${#files[@]}" -eq 0 ]; then
  files_json='[]'
else
  files_json="$(printf '%s\n' "${files[@]}" | jq -R . | jq -s .)"
fi
body="$(cat change/diff.md 2>/dev/null || true)"
if [ -n "${issue}" ]; then body="${body}"$'\n\n'"Closes #${issue}"; fi
jq -n --arg branch "${branch}" --arg title "${title}" --arg body "${body}" --argjson files "${files_json}" --arg issue "${issue}" \
  '{branch: $branch, title: $title, body: $body, files: $files, issue: (if $issue == "" then null else ($issue | tonumber) end)}' > change/pr.json
echo "${#files[@]} changed file(s) for ${branch}"
