#!/usr/bin/env bash
# tflint over the Terraform root, modules and examples with the repository's .tflint.hcl (terraform and aws
# rulesets). tflint is optional: when it is not installed this says so and exits 0.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
config="$repo/.tflint.hcl"

if ! command -v tflint >/dev/null 2>&1; then
  echo "tf-lint: tflint is not installed; skipping (install: https://github.com/terraform-linters/tflint#installation)."
  echo "tf-lint: the rules that matter here are also enforced as terraform test assertions by make tf-check."
  exit 0
fi

echo "tf-lint: $(tflint --version | head -n1)"
# --init fetches the aws ruleset plugin once (needs network the first time; cached in ~/.tflint.d afterwards).
if ! tflint --init --config="$config" >/dev/null; then
  echo "tf-lint: tflint --init failed (the aws ruleset plugin could not be installed)" >&2
  exit 1
fi

status=0
for dir in "$repo/terraform" "$repo"/terraform/modules/*/ "$repo"/terraform/examples/*/; do
  dir=${dir%/}
  rel=${dir#"$repo"/}
  if tflint --chdir="$dir" --config="$config" --format=compact; then
    echo "ok    $rel"
  else
    echo "FAIL  $rel"
    status=1
  fi
done
exit $status
