#!/usr/bin/env bash
# unpack.sh ARCHIVE EXPECTED_SHA256
# Unpacks a .tgz an earlier job of this run made, after checking it has the
# digest that job reported as a job output (which no other job can change):
# a job with credentials never unpacks what another job may have swapped.
set -euo pipefail
archive="$1"
expected="$2"
actual="$(sha256sum "${archive}" | cut -d' ' -f1)"
if [ "${actual}" != "${expected}" ]; then
  echo "::error::${archive} is not the one the earlier job made (sha256 ${actual}, expected ${expected})"
  exit 1
fi
tar -xzf "${archive}"
