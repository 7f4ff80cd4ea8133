output "role_arn" {
  description = "Give this to Isola as the storage target's role ARN."
  value       = aws_iam_role.isola.arn
}

output "bucket_name" {
  description = "The bucket Isola stores media in."
  value       = aws_s3_bucket.media.id
}

output "prefix" {
  description = "The prefix Isola stores under (empty = the whole bucket)."
  value       = var.prefix
}
