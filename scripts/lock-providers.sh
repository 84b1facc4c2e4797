#!/usr/bin/env bash
# scripts/lock-providers.sh [TOFU PROVIDERS LOCK ARGS…]
# Writes .terraform.lock.hcl at the repository root: the provider releases
# and checksums every plan and apply installs (-lockfile=readonly), for the
# providers and constraints of src/synth/versions.json. Run it when adopting
# the template and after changing a constraint, then commit the file:
#   bash scripts/lock-providers.sh -platform=linux_amd64 -platform=darwin_arm64
# Extra arguments go to `tofu providers lock` (for example -fs-mirror=DIR,
# which the engine suite uses). ACCESSCTL_TOFU=terraform uses Terraform.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tofu="${ACCESSCTL_TOFU:-tofu}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
jq '{terraform: {required_providers: (.providers | with_entries(.value = {source: .value.source, version: .value.constraint}))}}' \
  "${root}/src/synth/versions.json" > "${work}/versions.tf.json"
"${tofu}" -chdir="${work}" providers lock "$@"
mv "${work}/.terraform.lock.hcl" "${root}/.terraform.lock.hcl.tmp"
mv "${root}/.terraform.lock.hcl.tmp" "${root}/.terraform.lock.hcl"
echo "wrote ${root}/.terraform.lock.hcl"
