# Google Cloud trusts a Keyless org's tokens: a workload identity pool with an OIDC provider for the org's issuer,
# mapping the namespaced claims, and a service account that one project's jobs on one branch may impersonate.
# In the job: eval "$(executor gcp configure --provider <provider output> --service-account <email output>)".

terraform {
  required_providers {
    google = { source = "hashicorp/google", version = ">= 5.0" }
  }
}

variable "gcp_project" {
  description = "The Google Cloud project holding the pool."
  type        = string
}

variable "keyless_issuer_url" {
  description = "The org's issuer: {issuer-service URL}/org/{org id} (https), the iss of every token of the org."
  type        = string
}

variable "project_id" {
  description = "The Keyless project whose jobs may impersonate the service account."
  type        = string
}

variable "vcs_ref" {
  type    = string
  default = "refs/heads/main"
}

resource "google_iam_workload_identity_pool" "keyless" {
  project                   = var.gcp_project
  workload_identity_pool_id = "keyless-ci"
  display_name              = "Keyless CI"
}

resource "google_iam_workload_identity_pool_provider" "keyless" {
  project                            = var.gcp_project
  workload_identity_pool_id          = google_iam_workload_identity_pool.keyless.workload_identity_pool_id
  workload_identity_pool_provider_id = "keyless"

  # google.subject is at most 127 bytes: the V2 sub of on-demand tokens is longer, the job id names the job
  attribute_mapping = {
    "google.subject"       = "assertion['oidc.keyless.dev/job-id']"
    "attribute.project_id" = "assertion['oidc.keyless.dev/project-id']"
    "attribute.vcs_origin" = "assertion['oidc.keyless.dev/vcs-origin']"
    "attribute.vcs_ref"    = "assertion['oidc.keyless.dev/vcs-ref']"
    "attribute.pipeline"   = "assertion['oidc.keyless.dev/pipeline-id']"
  }

  # only this project's jobs on this ref, never an SSH rerun
  attribute_condition = "assertion['oidc.keyless.dev/project-id'] == '${var.project_id}' && assertion['oidc.keyless.dev/vcs-ref'] == '${var.vcs_ref}' && !assertion['oidc.keyless.dev/ssh-rerun']"

  # no allowed_audiences: the provider then accepts https://iam.googleapis.com/<provider name>, the audience
  # executor gcp configure asks for by default
  oidc {
    issuer_uri = var.keyless_issuer_url
  }
}

resource "google_service_account" "deploy" {
  project      = var.gcp_project
  account_id   = "keyless-deploy"
  display_name = "Keyless deploy jobs"
}

resource "google_service_account_iam_member" "keyless" {
  service_account_id = google_service_account.deploy.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.keyless.name}/attribute.project_id/${var.project_id}"
}

output "provider" {
  value = "//iam.googleapis.com/${google_iam_workload_identity_pool_provider.keyless.name}"
}

output "service_account" {
  value = google_service_account.deploy.email
}
