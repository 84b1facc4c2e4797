#!/usr/bin/env bash
# scripts/lock-providers.sh [TOFU PROVIDERS LOCK ARGS…]
# Writes .terraform.lock.hcl at the repository root (ACCESSCTL_LOCK_FILE to
# write it elsewhere): the provider releases
# and checksums every plan and apply installs (-lockfile=readonly), for the
# providers and constraints of src/synth/versions.json. Run it when adopting
# the template and after changing a constraint, then commit the file:
#   bash scripts/lock-providers.sh -platform=linux_amd64 -platform=darwin_arm64
# Extra arguments go to `tofu providers lock` (for example -fs-mirror=DIR,
# which the engine suite uses). ACCESSCTL_TOFU=terraform uses Terraform.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tofu="${ACCESSCTL_TOFU:-tofu}"
out="${ACCESSCTL_LOCK_FILE:-${root}/.terraform.lock.hcl}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
jq '{terraform: {required_providers: (.providers | with_entries(.value = {source: .value.source, version: .value.constraint}))}}' \
  "${root}/src/synth/versions.json" > "${work}/versions.tf.json"
"${tofu}" -chdir="${work}" providers lock "$@"
mv "${work}/.terraform.lock.hcl" "${out}.tmp"
mv "${out}.tmp" "${out}"
echo "wrote ${out}"
