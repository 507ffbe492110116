# tflint configuration for the Terraform under terraform/ (run: make tf-lint, or tflint --init && tflint --recursive).
config {
  # Lint module calls too, so a bad value passed to a module is caught where it is written.
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
  version = "0.40.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}

# Conventions this repository follows; made explicit so a preset change cannot silently relax them.
rule "terraform_documented_variables" {
  enabled = true
}

rule "terraform_documented_outputs" {
  enabled = true
}

rule "terraform_typed_variables" {
  enabled = true
}

rule "terraform_naming_convention" {
  enabled = true
}

rule "terraform_standard_module_structure" {
  enabled = true
}

rule "terraform_unused_declarations" {
  enabled = true
}

rule "terraform_required_version" {
  enabled = true
}

rule "terraform_required_providers" {
  enabled = true
}

# Tag coverage (aws_resource_missing_tags) is left to the terraform tests: modules take tags as an input,
# which tflint cannot see filled when it lints a module on its own.
