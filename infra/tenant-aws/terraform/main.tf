# Isola isolated storage: a private bucket for Isola's media and the role Isola assumes to reach it.
# Every policy, CORS and lifecycle document comes from ./modules/documents, which is tested to equal
# the setup kit the Isola API serves (infra/tenant-aws/src/terraform.spec.ts).

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

module "documents" {
  source = "./modules/documents"

  partition                     = data.aws_partition.current.partition
  bucket_name                   = var.bucket_name
  prefix                        = var.prefix
  role_arn                      = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${var.role_name}"
  external_id                   = var.external_id
  platform_principal_arns       = var.platform_principal_arns
  web_origins                   = var.web_origins
  allow_deletes                 = var.allow_deletes
  transition_sources_after_days = var.transition_sources_after_days
  source_ips                    = var.source_ips
  vpc_endpoint_id               = var.vpc_endpoint_id
}

resource "aws_s3_bucket" "media" {
  bucket = var.bucket_name
  tags   = var.tags
}

resource "aws_s3_bucket_public_access_block" "media" {
  bucket                  = aws_s3_bucket.media.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "media" {
  bucket = aws_s3_bucket.media.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "media" {
  count  = var.enable_versioning ? 1 : 0
  bucket = aws_s3_bucket.media.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_cors_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  dynamic "cors_rule" {
    for_each = module.documents.bucket_cors.CORSRules
    content {
      allowed_headers = cors_rule.value.AllowedHeaders
      allowed_methods = cors_rule.value.AllowedMethods
      allowed_origins = cors_rule.value.AllowedOrigins
      expose_headers  = cors_rule.value.ExposeHeaders
      max_age_seconds = cors_rule.value.MaxAgeSeconds
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  dynamic "rule" {
    for_each = module.documents.bucket_lifecycle.Rules
    content {
      id     = rule.value.ID
      status = rule.value.Status

      filter {
        prefix = try(rule.value.Filter.Prefix, null)

        dynamic "and" {
          for_each = try([rule.value.Filter.And], [])
          content {
            prefix = and.value.Prefix
            tags   = { for tag in and.value.Tags : tag.Key => tag.Value }
          }
        }
      }

      dynamic "abort_incomplete_multipart_upload" {
        for_each = try([rule.value.AbortIncompleteMultipartUpload], [])
        content {
          days_after_initiation = abort_incomplete_multipart_upload.value.DaysAfterInitiation
        }
      }

      dynamic "transition" {
        for_each = try(rule.value.Transitions, [])
        content {
          days          = transition.value.Days
          storage_class = transition.value.StorageClass
        }
      }
    }
  }
}

resource "aws_s3_bucket_policy" "media" {
  bucket = aws_s3_bucket.media.id
  policy = jsonencode(module.documents.bucket_policy)

  # S3 refuses policies while the public access block is being written.
  depends_on = [aws_s3_bucket_public_access_block.media]
}

resource "aws_iam_role" "isola" {
  name                 = var.role_name
  description          = "Assumed by Isola (with the ExternalId) to reach its prefix of the media bucket."
  assume_role_policy   = jsonencode(module.documents.trust_policy)
  max_session_duration = 3600
  tags                 = var.tags
}

resource "aws_iam_role_policy" "isola" {
  name   = "isola-storage"
  role   = aws_iam_role.isola.id
  policy = jsonencode(module.documents.permission_policy)
}
