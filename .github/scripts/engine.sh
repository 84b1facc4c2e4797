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

# stack_lock LOCK DIR: DIR/.terraform.lock.hcl holds the provider blocks of
# LOCK that DIR/cdk.tf.json requires, and nothing else (a read-only init
# refuses a lock file with providers the configuration does not use). It only
# ever leaves blocks out: a provider the lock file lacks stays refused.
stack_lock() {
  local sources
  sources="$(jq -r '[.terraform.required_providers // {} | .[] | .source | ascii_downcase] | join(" ")' "$2/cdk.tf.json")"
  awk -v want=" ${sources} " '
    /^provider "/ { addr = $2; gsub(/"/, "", addr); n = split(tolower(addr), p, "/"); keep = index(want, " " p[n-1] "/" p[n] " ") > 0; block = 1 }
    { if (!block || keep) print }
    /^}/ { block = 0 }
  ' "$1" > "$2/.terraform.lock.hcl"
}

# init_stack DIR: init with the checkout's lock file, read-only.
init_stack() {
  if [ ! -f "${LOCK_FILE}" ]; then
    echo "::error::no provider lock file at ${LOCK_FILE}: create it with scripts/lock-providers.sh and commit it (docs/ci.md#the-provider-lock-file); plans and applies refuse to run without it"
    exit 1
  fi
  stack_lock "${LOCK_FILE}" "$1"
  "${TOFU}" -chdir="$1" init -input=false -no-color -lockfile=readonly >/dev/null
}

# accessctl ARGS…: the CLI installed in this job (install-tool.sh), or
# ACCESSCTL_BIN (a bin/accessctl to run with node; the engine suite sets it).
accessctl() {
  if [ -n "${ACCESSCTL_BIN:-}" ]; then node "${ACCESSCTL_BIN}" "$@"; else npx accessctl "$@"; fi
}
