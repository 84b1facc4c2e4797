# shellcheck shell=bash
# engine.sh: sourced by the scripts that run OpenTofu or the CLI in jobs with
# credentials. Not executable alone.
# TOFU is the engine's command (default tofu; set ACCESSCTL_TOFU=terraform to
# use Terraform instead, docs/ci.md). init_stack installs providers only as
# the lock file of the checkout pins them.
TOFU="${ACCESSCTL_TOFU:-tofu}"
LOCK_FILE="${ACCESSCTL_LOCK_FILE:-${PWD}/.terraform.lock.hcl}"

# stack_dir STACK: the synthesized stack's directory, or exit 1.
stack_dir() {
  local dir="cdktf.out/stacks/$1"
  [ -f "${dir}/cdk.tf.json" ] || { echo "::error::no stack $1 in cdktf.out" >&2; exit 1; }
  printf '%s\n' "${dir}"
}

# init_stack DIR: init with the checkout's lock file, read-only.
init_stack() {
  if [ ! -f "${LOCK_FILE}" ]; then
    echo "::error::no provider lock file at ${LOCK_FILE}: create it with scripts/lock-providers.sh and commit it (docs/ci.md#the-provider-lock-file); plans and applies refuse to run without it"
    exit 1
  fi
  cp "${LOCK_FILE}" "$1/.terraform.lock.hcl"
  "${TOFU}" -chdir="$1" init -input=false -no-color -lockfile=readonly >/dev/null
}

# accessctl ARGS…: the CLI installed in this job (install-tool.sh), or
# ACCESSCTL_BIN (a bin/accessctl to run with node; the engine suite sets it).
accessctl() {
  if [ -n "${ACCESSCTL_BIN:-}" ]; then node "${ACCESSCTL_BIN}" "$@"; else npx accessctl "$@"; fi
}
