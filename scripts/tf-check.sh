#!/usr/bin/env bash
# Terraform checks, offline when a provider mirror is available:
#   fmt -check -recursive, README tables up to date, then per directory (root, every module, every example, in parallel):
#   init -backend=false, validate, and `terraform test` (mocked AWS provider) where a tests/ dir exists.
# Prints one result line per directory and a final `terraform: N passed, N failed` (N = test run blocks).
#
# Provider source, in order:
#   TF_PROVIDER_MIRROR=<dir>  a filesystem mirror (the directory that contains registry.terraform.io)
#   /opt/tf-plugins           used when it holds registry.terraform.io and TF_PROVIDER_MIRROR is unset
#   otherwise                 the normal registry (TF_PROVIDER_MIRROR=none forces this)
# TF_CHECK_JOBS sets how many directories run at once (default: number of CPUs, at most 4).
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tf_root="$repo/terraform"
well_known_mirror=/opt/tf-plugins

if ! command -v terraform >/dev/null 2>&1; then
  echo "tf-check: terraform is not installed (https://developer.hashicorp.com/terraform/install)" >&2
  echo "terraform: 0 passed, 1 failed"
  exit 1
fi

mirror="${TF_PROVIDER_MIRROR:-}"
if [ -z "$mirror" ] && [ -d "$well_known_mirror/registry.terraform.io" ]; then
  mirror=$well_known_mirror
fi
[ "$mirror" = "none" ] && mirror=""
if [ -n "$mirror" ] && [ ! -d "$mirror/registry.terraform.io" ]; then
  echo "tf-check: TF_PROVIDER_MIRROR=$mirror does not contain registry.terraform.io/" >&2
  echo "terraform: 0 passed, 1 failed"
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tf-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugin-cache" "$work/results"

# Our own CLI configuration, so a missing or unrelated TF_CLI_CONFIG_FILE cannot change the outcome. Without a
# mirror, an existing user configuration (private registries, credentials) is kept.
if [ -n "$mirror" ]; then
  cat >"$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
}
CFG
  export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
  source_note="provider mirror $mirror"
elif [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ -f "$TF_CLI_CONFIG_FILE" ]; then
  source_note="registry, CLI config $TF_CLI_CONFIG_FILE"
else
  # One download per provider for the whole run instead of one per directory.
  printf 'plugin_cache_dir = "%s"\n' "$work/plugin-cache" >"$work/cli.tfrc"
  export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
  source_note="registry (set TF_PROVIDER_MIRROR for offline use)"
fi
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

echo "tf-check: $(terraform version | head -n1), $source_note"

status=0
if terraform fmt -check -recursive -diff "$tf_root" >"$work/fmt.log" 2>&1; then
  echo "ok    fmt -check -recursive terraform/"
else
  echo "FAIL  fmt -check -recursive terraform/ (run: terraform fmt -recursive terraform)"
  sed 's/^/      /' "$work/fmt.log"
  status=1
fi

# The READMEs' Inputs/Outputs tables are generated from variables.tf/outputs.tf (terraform/tools/docs.mjs).
if command -v node >/dev/null 2>&1; then
  if node "$tf_root/tools/docs.mjs" --check >"$work/docs.log" 2>&1; then
    echo "ok    README input/output tables match variables.tf and outputs.tf"
  else
    echo "FAIL  README input/output tables are stale (run: node terraform/tools/docs.mjs)"
    sed 's/^/      /' "$work/docs.log"
    status=1
  fi
fi

dirs=("$tf_root")
for d in "$tf_root"/modules/*/ "$tf_root"/examples/*/; do
  [ -f "$d/versions.tf" ] || [ -f "$d/main.tf" ] || continue
  dirs+=("${d%/}")
done

# Runs init, validate and test in one directory; writes "<passed> <failed> <ok|FAIL> <summary>" to results/.
check_dir() {
  local dir=$1 rel key log start passed=0 failed=0 planned=0 state=ok summary
  rel=${dir#"$repo"/}
  key=$(printf '%s' "$rel" | tr '/' '_')
  log="$work/results/$key.log"
  start=$(date +%s)
  if compgen -G "$dir/tests/*.tftest.hcl" >/dev/null; then
    planned=$(cat "$dir"/tests/*.tftest.hcl | grep -cE '^run "')
  fi
  if ! terraform -chdir="$dir" init -backend=false -input=false -no-color >"$log" 2>&1; then
    state=FAIL summary="init failed" failed=$planned
  elif ! terraform -chdir="$dir" validate -no-color >>"$log" 2>&1; then
    state=FAIL summary="validate failed" failed=$planned
  else
    summary="init ok, validate ok"
    if [ "$planned" -gt 0 ]; then
      local out
      out=$(terraform -chdir="$dir" test -no-color 2>&1)
      local rc=$?
      printf '%s\n' "$out" >>"$log"
      local line
      line=$(printf '%s\n' "$out" | grep -E '^(Success|Failure)! [0-9]+ passed, [0-9]+ failed' | tail -n1)
      if [ -n "$line" ]; then
        passed=$(sed -E 's/^[A-Za-z]+! ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
        failed=$(sed -E 's/^[A-Za-z]+! ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
      fi
      # Runs that never ran (a configuration error, a skipped run after a failure) count as failed.
      if [ $((passed + failed)) -lt "$planned" ]; then failed=$((planned - passed)); fi
      if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=$((planned > 0 ? planned - passed : 1)); fi
      [ "$failed" -gt 0 ] && state=FAIL
      summary="$summary, test $passed passed, $failed failed"
    fi
  fi
  printf '%s %s %s %s (%ss)\n' "$passed" "$failed" "$state" "$summary" "$(( $(date +%s) - start ))" >"$work/results/$key.res"
}
export -f check_dir
export repo work

jobs=${TF_CHECK_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$jobs" -gt 4 ] && jobs=4
printf '%s\n' "${dirs[@]}" | xargs -P "$jobs" -I{} bash -c 'check_dir "$1"' _ {}

total_passed=0
total_failed=0
for dir in "${dirs[@]}"; do
  rel=${dir#"$repo"/}
  key=$(printf '%s' "$rel" | tr '/' '_')
  if [ ! -f "$work/results/$key.res" ]; then
    printf 'FAIL  %-45s did not finish\n' "$rel"
    status=1
    total_failed=$((total_failed + 1))
    continue
  fi
  read -r p f state summary <"$work/results/$key.res"
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
  printf '%-5s %-45s %s\n' "$state" "$rel" "$summary"
  if [ "$state" != ok ]; then
    status=1
    # Show why: the errors and failing assertions, not the whole log.
    grep -vE '^\s*$' "$work/results/$key.log" | grep -E -A12 'Error|error|fail|FAIL' | head -n 80 | sed 's/^/      /'
  fi
done

echo "terraform: $total_passed passed, $total_failed failed"
exit $status
