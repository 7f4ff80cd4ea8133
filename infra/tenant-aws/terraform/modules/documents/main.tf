# The setup kit's documents, built from variables alone (no provider): the module one level up applies
# them, and infra/tenant-aws/src/terraform.spec.ts renders this module with `terraform apply` and asserts
# it equals what the Isola API serves (packages/tenant-storage/src/setup-kit).

locals {
  bucket_arn  = "arn:${var.partition}:s3:::${var.bucket_name}"
  key_prefix  = var.prefix == "" ? "" : "${var.prefix}/"
  objects_arn = "${local.bucket_arn}/${local.key_prefix}*"
  everything  = [local.bucket_arn, "${local.bucket_arn}/*"]

  transition_sources = var.transition_sources_after_days > 0
  restrict_network   = length(var.source_ips) > 0 || var.vpc_endpoint_id != ""

  assume_statement = {
    Sid       = "IsolaPlatformAssumesThisRole"
    Effect    = "Allow"
    Principal = { AWS = var.platform_principal_arns }
    Action    = "sts:AssumeRole"
  }

  trust_policy = {
    Version = "2012-10-17"
    Statement = [merge(local.assume_statement, {
      Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
    })]
  }

  # For S3-compatible services that cannot evaluate sts:ExternalId (Ceph RGW 16).
  trust_policy_without_external_id = {
    Version   = "2012-10-17"
    Statement = [local.assume_statement]
  }

  # s3:PutObjectTagging always: Isola tags every source isola-object-kind=source, which the optional
  # sources-to-STANDARD_IA rule matches (also sources uploaded before the rule is turned on).
  object_actions = concat(
    ["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
    var.allow_deletes ? ["s3:DeleteObject"] : [],
  )

  permission_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "IsolaObjectsUnderItsPrefix"
        Effect   = "Allow"
        Action   = local.object_actions
        Resource = local.objects_arn
      },
      merge(
        {
          Sid      = "IsolaListsItsPrefix"
          Effect   = "Allow"
          Action   = "s3:ListBucket"
          Resource = local.bucket_arn
        },
        { for k, v in { Condition = { StringLike = { "s3:prefix" = ["${local.key_prefix}*"] } } } : k => v if var.prefix != "" },
      ),
      {
        Sid    = "IsolaReadsBucketConfiguration"
        Effect = "Allow"
        Action = [
          "s3:GetBucketLocation",
          "s3:GetBucketCORS",
          "s3:GetEncryptionConfiguration",
          "s3:GetBucketPolicy",
          "s3:GetLifecycleConfiguration",
        ]
        Resource = local.bucket_arn
      },
    ]
  }

  bucket_cors = {
    CORSRules = [{
      AllowedHeaders = ["*"]
      AllowedMethods = ["GET", "PUT", "HEAD"]
      AllowedOrigins = var.web_origins
      ExposeHeaders  = ["ETag"]
      MaxAgeSeconds  = 3000
    }]
  }

  abort_rule = {
    ID                             = "isola-abort-incomplete-multipart-uploads"
    Status                         = "Enabled"
    Filter                         = { Prefix = local.key_prefix }
    AbortIncompleteMultipartUpload = { DaysAfterInitiation = 1 }
  }

  # Sources sit beside their renditions (<prefix>/media/<id>/source/...): lifecycle filters match a
  # prefix, never a pattern, so the rule finds sources by their tag.
  sources_to_ia_rule = {
    ID     = "isola-sources-to-standard-ia"
    Status = "Enabled"
    Filter = {
      And = {
        Prefix = "${local.key_prefix}media/"
        Tags   = [{ Key = "isola-object-kind", Value = "source" }]
      }
    }
    Transitions = [{ Days = var.transition_sources_after_days, StorageClass = "STANDARD_IA" }]
  }

  bucket_lifecycle = {
    Rules = concat([local.abort_rule], [for rule in [local.sources_to_ia_rule] : rule if local.transition_sources])
  }

  # Applies to Isola's role only (aws:PrincipalArn): it never locks out the account's administrators.
  # GetObject/PutObject stay open: browsers use presigned URLs from wherever the studio's people are.
  network_statement = {
    Sid       = "IsolaRoleOnlyFromIsolaNetwork"
    Effect    = "Deny"
    Principal = "*"
    NotAction = ["s3:GetObject", "s3:PutObject"]
    Resource  = local.everything
    Condition = merge(
      { ArnEquals = { "aws:PrincipalArn" = var.role_arn } },
      { for k, v in { NotIpAddress = { "aws:SourceIp" = var.source_ips } } : k => v if length(var.source_ips) > 0 },
      { for k, v in { StringNotEquals = { "aws:SourceVpce" = var.vpc_endpoint_id } } : k => v if var.vpc_endpoint_id != "" },
    )
  }

  bucket_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid       = "DenyInsecureTransport"
          Effect    = "Deny"
          Principal = "*"
          Action    = "s3:*"
          Resource  = local.everything
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        },
        {
          Sid       = "PlatformKeysOnlyThroughTheRole"
          Effect    = "Deny"
          Principal = { AWS = var.platform_principal_arns }
          Action    = "s3:*"
          Resource  = local.everything
          Condition = { Null = { "aws:TokenIssueTime" = "true" } }
        },
      ],
      [for statement in [local.network_statement] : statement if local.restrict_network],
    )
  }
}
