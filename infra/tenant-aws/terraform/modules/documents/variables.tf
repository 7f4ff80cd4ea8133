variable "partition" {
  description = "AWS partition of the ARNs (aws, aws-us-gov, aws-cn)."
  type        = string
  default     = "aws"
}

variable "bucket_name" {
  description = "The media bucket."
  type        = string
}

variable "prefix" {
  description = "Key prefix Isola stores under, without leading or trailing slash; empty = the whole bucket."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", var.prefix)) && length(var.prefix) <= 256
    error_message = "The prefix is folders of letters, digits, '.', '_', '-' separated by '/', at most 256 characters, no leading or trailing slash."
  }
}

variable "role_arn" {
  description = "ARN of the role Isola assumes (named by the optional network restriction)."
  type        = string
}

variable "external_id" {
  description = "The storage target's ExternalId, from Isola's setup kit."
  type        = string
}

variable "platform_principal_arns" {
  description = "Isola's platform principals (API and worker), from Isola's setup kit."
  type        = list(string)

  validation {
    condition     = length(var.platform_principal_arns) > 0
    error_message = "At least one platform principal ARN is needed."
  }
}

variable "web_origins" {
  description = "Isola's web origins allowed by the bucket's CORS."
  type        = list(string)

  validation {
    condition     = length(var.web_origins) > 0
    error_message = "At least one web origin is needed."
  }
}

variable "allow_deletes" {
  description = "Let Isola delete objects under the prefix."
  type        = bool
  default     = false
}

variable "transition_sources_after_days" {
  description = "Move sources (tagged isola-object-kind=source) to STANDARD_IA after this many days; 0 = off."
  type        = number
  default     = 0

  validation {
    condition     = var.transition_sources_after_days == 0 || (var.transition_sources_after_days >= 30 && var.transition_sources_after_days <= 36500 && floor(var.transition_sources_after_days) == var.transition_sources_after_days)
    error_message = "Use 0 (off) or a whole number of days from 30 (S3's minimum for STANDARD_IA) to 36500."
  }
}

variable "source_ips" {
  description = "Optional: Isola's egress IP ranges (CIDR)."
  type        = list(string)
  default     = []
}

variable "vpc_endpoint_id" {
  description = "Optional: Isola's VPC endpoint (vpce-...)."
  type        = string
  default     = ""
}
