variable "bucket_name" {
  description = "New bucket for Isola's media (3-63 lowercase letters, digits, hyphens; no dots)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "Bucket names are 3-63 lowercase letters, digits and hyphens (Isola refuses dots)."
  }
}

variable "prefix" {
  description = "Key prefix Isola stores under, without leading or trailing slash; empty = the whole bucket."
  type        = string
  default     = ""
}

variable "role_name" {
  description = "Name of the role Isola assumes; give its ARN (output role_arn) to Isola."
  type        = string
  default     = "isola-media-access"
}

variable "external_id" {
  description = "The storage target's ExternalId, from Isola's setup kit."
  type        = string
}

variable "platform_principal_arns" {
  description = "Isola's platform principals (API and worker), from Isola's setup kit."
  type        = list(string)
}

variable "web_origins" {
  description = "Isola's web origins, allowed to upload and play media directly (CORS), from the setup kit."
  type        = list(string)
}

variable "allow_deletes" {
  description = "Let Isola delete objects under the prefix (media deletion; sources after a verified migration)."
  type        = bool
  default     = false
}

variable "enable_versioning" {
  description = "Keep previous versions of overwritten or deleted objects."
  type        = bool
  default     = false
}

variable "transition_sources_after_days" {
  description = "Move uploaded originals (tagged isola-object-kind=source) to STANDARD_IA after this many days; 0 = off, else at least 30."
  type        = number
  default     = 0
}

variable "source_ips" {
  description = "Optional: Isola's egress IP ranges (CIDR); the role's non-object calls are refused from elsewhere."
  type        = list(string)
  default     = []
}

variable "vpc_endpoint_id" {
  description = "Optional: Isola's VPC endpoint (vpce-...); same restriction for traffic through it."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags for the bucket and the role."
  type        = map(string)
  default     = {}
}
