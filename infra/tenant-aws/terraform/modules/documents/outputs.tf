output "trust_policy" {
  description = "The role's trust policy (with the sts:ExternalId condition)."
  value       = local.trust_policy
}

output "trust_policy_without_external_id" {
  description = "The trust policy without the ExternalId condition, for services that cannot evaluate it (Ceph RGW 16)."
  value       = local.trust_policy_without_external_id
}

output "permission_policy" {
  description = "The role's inline permission policy."
  value       = local.permission_policy
}

output "bucket_cors" {
  description = "The bucket's CORS configuration (S3 API JSON form)."
  value       = local.bucket_cors
}

output "bucket_lifecycle" {
  description = "The bucket's lifecycle configuration (S3 API JSON form)."
  value       = local.bucket_lifecycle
}

output "bucket_policy" {
  description = "The bucket policy."
  value       = local.bucket_policy
}
