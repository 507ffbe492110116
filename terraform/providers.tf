provider "aws" {
  region = var.region

  # Every taggable resource gets these, on top of the tags the modules set from the same map.
  default_tags {
    tags = local.tags
  }
}
