# Vault trusts a Keyless org's tokens: a JWT auth method that discovers the org's issuer, and a role bound to one
# project's jobs on one branch. In the job: eval "$(executor vault login --role deploy --address <vault URL>)".

terraform {
  required_providers {
    vault = { source = "hashicorp/vault", version = ">= 4.0" }
  }
}

variable "keyless_issuer_url" {
  description = "The org's issuer: {issuer-service URL}/org/{org id}, the iss of every token of the org."
  type        = string
}

variable "project_id" {
  type = string
}

variable "vcs_ref" {
  type    = string
  default = "refs/heads/main"
}

resource "vault_jwt_auth_backend" "keyless" {
  path               = "jwt"
  oidc_discovery_url = var.keyless_issuer_url
  bound_issuer       = var.keyless_issuer_url
}

resource "vault_policy" "deploy" {
  name   = "deploy"
  policy = <<-EOT
    path "secret/data/deploy/*" {
      capabilities = ["read"]
    }
  EOT
}

resource "vault_jwt_auth_backend_role" "deploy" {
  backend   = vault_jwt_auth_backend.keyless.path
  role_name = "deploy"
  role_type = "jwt"

  # the audience executor vault login asks for (--audience)
  bound_audiences = ["vault"]
  user_claim      = "sub"
  bound_claims = {
    "oidc.keyless.dev/project-id" = var.project_id
    "oidc.keyless.dev/vcs-ref"    = var.vcs_ref
  }
  claim_mappings = {
    "oidc.keyless.dev/job-id"      = "job_id"
    "oidc.keyless.dev/pipeline-id" = "pipeline_id"
  }

  token_policies = [vault_policy.deploy.name]
  token_ttl      = 900
  token_max_ttl  = 3600
}
