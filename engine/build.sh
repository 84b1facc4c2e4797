#!/usr/bin/env bash
# Builds the real engine for the test suite: OpenTofu and the providers from the
# Go module proxy, and moto (the AWS emulator) from PyPI, into a cache outside
# the clone. Idempotent: each artefact carries a stamp of what it was built
# from, and a second run with nothing changed takes seconds.
#
#   bash engine/build.sh            build what is missing, then write engine.json
#   bash engine/build.sh --check    exit 0 when everything is built and current, 1 otherwise
#
# The cache is $ACCESSCTL_ENGINE_CACHE (default ~/.cache/accessctl/engine). What
# to build is pinned in src/synth/versions.json, the same file the stacks'
# required_version and required_providers come from. Only the ordinary go and
# pip clients reach the registries; nothing is downloaded from release sites.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${ACCESSCTL_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/accessctl/engine}
versions="$root/src/synth/versions.json"
check_only=0
[ "${1:-}" = "--check" ] && check_only=1

jqv() { node -e 'const v=require(process.argv[1]);const r=process.argv[2].split(".").reduce((o,k)=>o&&o[k],v);if(r===undefined)process.exit(3);process.stdout.write(String(r))' "$versions" "$1"; }
log() { echo "engine: $*" >&2; }
need() { command -v "$1" >/dev/null || { log "$1 is not installed: $2"; exit 1; }; }

need go "install Go 1.26 (the polyglot machines have it)"
need python3 "install Python 3.11 or newer"
need node "install Node.js 20"

ncpu=$(nproc 2>/dev/null || echo 2)
export GOMODCACHE="$cache/gomod" GOCACHE="$cache/gobuild" GOFLAGS="-trimpath -modcacherw -buildvcs=false" GOMAXPROCS="$ncpu"
export GOTOOLCHAIN=local GOTELEMETRY=off CGO_ENABLED=0
goos=$(go env GOOS) goarch=$(go env GOARCH)
platform="${goos}_${goarch}"
mirror="$cache/mirror"
mkdir -p "$cache/bin" "$mirror" "$cache/stamps"

stale=()
# stamp NAME KEY: true when the artefact NAME was built from KEY (and its file exists).
is_current() { [ -f "$cache/stamps/$1" ] && [ "$(cat "$cache/stamps/$1")" = "$2" ] && [ -e "$3" ]; }
stamp() { printf '%s' "$2" >"$cache/stamps/$1"; }

# go_module_dir MODULE VERSION: downloads a module (and nothing else) and prints its directory.
go_module_dir() {
  local scratch dir
  scratch=$(mktemp -d)
  dir=$(cd "$scratch" && go mod download -json "$1@$2" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}process.stdout.write(j.Dir)})')
  rm -rf "$scratch"
  printf '%s' "$dir"
}

# build_go NAME SRC_DIR PACKAGE OUT [LDFLAGS]: an atomic go build (the binary appears only when complete).
build_go() {
  local name=$1 src=$2 pkg=$3 out=$4 ldflags="-s -w ${5:-}" start
  start=$(date +%s)
  log "building $name (this is the slow part on a cold cache)"
  (cd "$src" && go build -p "$ncpu" -ldflags="$ldflags" -o "$out.tmp.$$" "$pkg")
  mv -f "$out.tmp.$$" "$out"
  log "built $name in $(( $(date +%s) - start )) s"
}

gover=$(go env GOVERSION)

# --- OpenTofu ---------------------------------------------------------------
tofu_module=$(jqv engine.build.module) tofu_version=$(jqv engine.build.version)
tofu_bin="$cache/bin/tofu-${tofu_version#v}"
tofu_key="$tofu_module@$tofu_version $(jqv engine.build.package) $(jqv engine.build.ldflags) $gover $platform"
if ! is_current tofu "$tofu_key" "$tofu_bin"; then
  stale+=(tofu)
  if [ $check_only = 0 ]; then
    dir=$(go_module_dir "$tofu_module" "$tofu_version")
    build_go "OpenTofu $tofu_version" "$dir" "$(jqv engine.build.package)" "$tofu_bin" "$(jqv engine.build.ldflags)"
    stamp tofu "$tofu_key"
  fi
fi

# --- providers, into a filesystem mirror ---------------------------------------
provider_json=()
for p in aws okta; do
  source=$(jqv "providers.$p.source") as=$(jqv "providers.$p.build.installAs")
  ns=${source%/*} type=${source#*/}
  out="$mirror/registry.opentofu.org/$ns/$type/$as/$platform/terraform-provider-${type}_v$as"
  mkdir -p "$(dirname "$out")"
  if standin=$(jqv "providers.$p.build.standIn" 2>/dev/null); then
    # Our own schema-only stand-in (the real provider is not served here): keyed by its sources.
    src="$root/$standin"
    key="standin $(cd "$src" && cat go.mod go.sum ./*.go schema.json | sha256sum | cut -c1-16) $gover $platform"
    if ! is_current "provider-$p" "$key" "$out"; then
      stale+=("provider-$p")
      if [ $check_only = 0 ]; then build_go "$source $as (schema-only stand-in, $standin)" "$src" . "$out"; stamp "provider-$p" "$key"; fi
    fi
    kind=standin
  else
    module=$(jqv "providers.$p.build.module") version=$(jqv "providers.$p.build.version")
    key="$module@$version $gover $platform"
    if ! is_current "provider-$p" "$key" "$out"; then
      stale+=("provider-$p")
      if [ $check_only = 0 ]; then
        dir=$(go_module_dir "$module" "$version")
        build_go "$source $as ($module@$version)" "$dir" "$(jqv "providers.$p.build.package")" "$out"
        stamp "provider-$p" "$key"
      fi
    fi
    kind=built
  fi
  provider_json+=("\"$p\": {\"source\": \"registry.opentofu.org/$source\", \"version\": \"$as\", \"kind\": \"$kind\", \"binary\": \"$out\"}")
done

cat >"$cache/tofurc.tmp" <<EOF
# Written by engine/build.sh: providers come only from the local mirror, never the network.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.opentofu.org/*/*"]
  }
}
plugin_cache_dir = "$cache/plugin-cache"
disable_checkpoint = true
EOF
mkdir -p "$cache/plugin-cache"
mv -f "$cache/tofurc.tmp" "$cache/tofurc"

# --- moto (AWS emulator) ------------------------------------------------------
moto_req="$root/engine/emulator/requirements.txt"
venv="$cache/moto-venv"
moto_key="$(sha256sum "$moto_req" | cut -c1-16) $(python3 -c 'import sys;print(sys.version.split()[0])')"
if ! is_current moto "$moto_key" "$venv/bin/python"; then
  stale+=(moto)
  if [ $check_only = 0 ]; then
    log "installing moto into $venv"
    # The stamp is written last: an interrupted install is redone from scratch next time.
    rm -f "$cache/stamps/moto"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$moto_req"
    stamp moto "$moto_key"
  fi
fi

if [ $check_only = 1 ]; then
  if [ ${#stale[@]} -gt 0 ]; then log "not built or out of date: ${stale[*]} (run bash engine/build.sh)"; exit 1; fi
  exit 0
fi

# A smoke test that doubles as warming the plugin cache: init with both providers, offline.
# Engine tests then only link from the cache, never write to it concurrently.
warm=$(mktemp -d)
trap 'rm -rf "$warm"' EXIT
node -e '
const v = require(process.argv[1]);
const p = Object.fromEntries(Object.entries(v.providers).map(([k, x]) => [k, { source: x.source, version: "= " + x.build.installAs }]));
process.stdout.write(JSON.stringify({ terraform: { required_providers: p } }));' "$versions" >"$warm/main.tf.json"
if ! TF_CLI_CONFIG_FILE="$cache/tofurc" "$tofu_bin" -chdir="$warm" init -backend=false -input=false -no-color >"$warm/init.log" 2>&1; then
  cat "$warm/init.log" >&2
  log "tofu init with the mirror failed"
  exit 1
fi

manifest="$cache/engine.json"
{
  echo "{"
  echo "  \"tofu\": {\"binary\": \"$tofu_bin\", \"version\": \"${tofu_version#v}\"},"
  echo "  \"cliConfig\": \"$cache/tofurc\","
  echo "  \"python\": \"$venv/bin/python\","
  echo "  \"providers\": {$(IFS=,; echo "${provider_json[*]}")},"
  echo "  \"platform\": \"$platform\""
  echo "}"
} >"$manifest.tmp"
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"))' "$manifest.tmp"
mv -f "$manifest.tmp" "$manifest"
log "ready: $manifest (${#stale[@]} rebuilt: ${stale[*]:-none})"
