terraform {
  # No provider: this module only computes documents.
  required_version = ">= 1.5.0"
}
