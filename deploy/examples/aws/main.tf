# AWS trusts a Keyless org's tokens: an IAM OIDC provider for the org's issuer, and a role that only jobs of one
# project on one branch may assume. In the job: eval "$(executor aws configure --role-arn <role_arn output>)".

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
    tls = { source = "hashicorp/tls", version = ">= 4.0" }
  }
}

variable "keyless_issuer_url" {
  description = "The org's issuer: {issuer-service URL}/org/{org id} (https), the iss of every token of the org."
  type        = string
}

variable "org_id" {
  type = string
}

variable "project_id" {
  type = string
}

variable "vcs_origin" {
  description = "The project's VCS origin, as in the tokens' sub."
  type        = string
  default     = "github.com/acme/app"
}

variable "vcs_ref" {
  description = "The ref allowed to assume the role."
  type        = string
  default     = "refs/heads/main"
}

locals {
  # AWS names the provider and its condition keys by the issuer URL without its scheme
  issuer_host = trimprefix(var.keyless_issuer_url, "https://")
}

data "tls_certificate" "keyless" {
  url = var.keyless_issuer_url
}

resource "aws_iam_openid_connect_provider" "keyless" {
  url             = var.keyless_issuer_url
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [data.tls_certificate.keyless.certificates[0].sha1_fingerprint]
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.keyless.arn]
    }

    # the audience executor aws configure asks for (--audience)
    condition {
      test     = "StringEquals"
      variable = "${local.issuer_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    # the V2 sub: any user of the project, only on this ref
    condition {
      test     = "StringLike"
      variable = "${local.issuer_host}:sub"
      values   = ["org/${var.org_id}/project/${var.project_id}/user/*/vcs-origin/${var.vcs_origin}/vcs-ref/${var.vcs_ref}"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "keyless-deploy"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600
}

output "role_arn" {
  value = aws_iam_role.deploy.arn
}
