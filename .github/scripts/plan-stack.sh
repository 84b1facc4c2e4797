#!/usr/bin/env bash
# plan-stack.sh STACK [EXTRA PLAN ARGS…]
# tofu init + plan -out=tfplan + show -json for one synthesized stack, with
# the plan role's read-only credentials.
# - Providers come only from the lock file of the base commit
#   (.terraform.lock.hcl at the checkout's root, ACCESSCTL_LOCK_FILE to
#   override), installed with -lockfile=readonly: a configuration that asks
#   for another provider or another release is refused, never installed.
# - The okta-scim stack is refused: it holds the SCIM token, and only the
#   gated apply job plans it (apply-scim.sh).
# - Plans never take the state lock (-lock=false): the plan role may not write
#   the lock, and only the apply of a saved plan locks.
# - Writes plans/STACK.json, the plan JSON cut down to what plan-summary and
#   these scripts read (accessctl redact-plan: an allowlist, so no prior
#   state, drift, variables or configuration leave the job), and
#   plans/STACK.sha256, the digest of the saved plan the apply job checks.
# - REFRESH (env): true (default) refreshes every resource first; false plans
#   with -refresh=false (the state as the last apply left it); only makes a
#   -refresh-only plan (drift.yml); auto asks refresh-due.sh (the apply
#   record). PARALLELISM (env, default 10): -parallelism
#   (docs/scale.md#staying-inside-the-api-quota).
# Exits with the plan's exit code (with -detailed-exitcode: 0 no changes,
# 2 changes, 1 error).
set -euo pipefail
stack="$1"; shift
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=.github/scripts/engine.sh
. "${here}/engine.sh"
if [ "${stack}" = okta-scim ]; then
  echo "::error::plan-stack.sh does not plan okta-scim: it holds the SCIM token, and only the apply job plans it (apply-scim.sh)"
  exit 1
fi
dir="$(stack_dir "${stack}")"
refresh="${REFRESH:-true}"
if [ "${refresh}" = auto ]; then refresh="$("${here}/refresh-due.sh" "${stack}")"; fi
case "${refresh}" in
  true) mode=() ;;
  false) mode=(-refresh=false) ;;
  only) mode=(-refresh-only) ;;
  *) echo "::error::REFRESH must be true, false, only or auto, not ${refresh}"; exit 1 ;;
esac
parallelism="${PARALLELISM:-10}"
if ! [[ "${parallelism}" =~ ^[1-9][0-9]?$ ]]; then
  echo "::error::PARALLELISM must be a number from 1 to 99, not ${parallelism}"
  exit 1
fi
mkdir -p plans
init_stack "${dir}"
set +e
"${TOFU}" -chdir="${dir}" plan -input=false -no-color -lock=false "-parallelism=${parallelism}" "${mode[@]}" -out=tfplan "$@"
status=$?
set -e
if [ "${status}" -ne 1 ]; then
  "${TOFU}" -chdir="${dir}" show -json tfplan | accessctl redact-plan - --out "plans/${stack}.json"
  sha256sum "${dir}/tfplan" | cut -d' ' -f1 > "plans/${stack}.sha256"
fi
exit "${status}"
