#!/usr/bin/env bash
# The Keyless demo, one command on a fresh machine: builds and starts the platform, then plays a CI run.
#
#   deploy/local/demo.sh
#
# 1. start the platform (platform.sh start)   2. create an org, a project and a user
# 3. create a context with a secret           4. trigger a pipeline from deploy/local/demo/config.yml
# 5. run one reference executor (--once): the job prints its environment (secret and tokens masked), gets a
#    fresh token for sts.amazonaws.com and verifies CIRCLE_OIDC_TOKEN_V2 against the issuer's JWKS
# 6. show the job's result and the V2 token's verified header and claims
# The platform keeps running afterwards: deploy/local/platform.sh stop
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCHEDULER="http://localhost:${KEYLESS_SCHEDULER_PORT:-8080}"
CONTEXT="http://localhost:${KEYLESS_CONTEXT_PORT:-8081}"
ISSUER="http://localhost:${KEYLESS_ISSUER_PORT:-8082}"
KEYS_DIR="${KEYLESS_KEYS_DIR:-$KEYLESS_HOME/keys}"
DEMO_DIR="$KEYLESS_HOME/demo"
EXECUTOR_JAR="$REPO_DIR/executor/target/keyless-executor.jar"

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }

# api METHOD URL TOKEN [BODY [CONTENT_TYPE]]: prints the response body; stops the demo on an error status
api() {
  local method="$1" url="$2" token="$3" body="${4:-}" type="${5:-application/json}" response status
  local args=(-sS -X "$method" -H "Authorization: Bearer $token" -H "Accept: application/json" -w '\n%{http_code}')
  if [[ -n "$body" ]]; then
    args+=(-H "Content-Type: $type" --data-binary "$body")
  fi
  response="$(curl "${args[@]}" "$url")"
  status="${response##*$'\n'}"
  response="${response%$'\n'*}"
  if [[ "$status" -lt 200 || "$status" -ge 300 ]]; then
    printf '%s %s answered %s:\n%s\n' "$method" "$url" "$status" "$response" >&2
    die "the demo stopped"
  fi
  printf '%s' "$response"
}

command -v jq > /dev/null || die "jq is needed by the demo (apt-get install jq)"

step "1. Build and start Keyless (Kafka, scheduler-service, context-service, issuer-service)"
"$LOCAL_DIR/platform.sh" start
mkdir -p "$DEMO_DIR"
PLATFORM_ADMIN="$("$LOCAL_DIR/admin-token.sh" --platform --sub demo-platform-admin)"

step "2. Create an org, a project (github.com/acme/app) and a user"
suffix="$(date +%s)"
ORG="$(api POST "$SCHEDULER/api/v1/orgs" "$PLATFORM_ADMIN" "{\"name\":\"acme-$suffix\"}" | jq -r .id)"
ORG_ADMIN="$("$LOCAL_DIR/admin-token.sh" --org "$ORG" --sub demo-org-admin)"
PROJECT="$(api POST "$SCHEDULER/api/v1/orgs/$ORG/projects" "$ORG_ADMIN" \
  '{"name":"app","vcs_origin":"github.com/acme/app"}' | jq -r .id)"
USER_ID="$(api POST "$SCHEDULER/api/v1/orgs/$ORG/users" "$ORG_ADMIN" '{"name":"ada"}' | jq -r .id)"
echo "org      $ORG"
echo "project  $PROJECT"
echo "user     $USER_ID"

step "3. Create the context 'aws-prod' holding a secret (write-only: listing shows a masked hint)"
CONTEXT_ID="$(api POST "$CONTEXT/api/v1/orgs/$ORG/contexts" "$ORG_ADMIN" '{"name":"aws-prod"}' | jq -r .id)"
SECRET="demo-$(openssl rand -hex 12)"
api PUT "$CONTEXT/api/v1/orgs/$ORG/contexts/$CONTEXT_ID/env/DEMO_DB_PASSWORD" "$ORG_ADMIN" \
  "{\"value\":\"$SECRET\"}" > /dev/null
api PUT "$CONTEXT/api/v1/orgs/$ORG/contexts/$CONTEXT_ID/env/DEMO_AWS_ROLE_ARN" "$ORG_ADMIN" \
  '{"value":"arn:aws:iam::123456789012:role/keyless-demo"}' > /dev/null
echo "context  $CONTEXT_ID"
api GET "$CONTEXT/api/v1/orgs/$ORG/contexts/$CONTEXT_ID/env" "$ORG_ADMIN" | jq .

step "4. Trigger a pipeline from deploy/local/demo/config.yml (CircleCI 2.1 shape) on refs/heads/main"
query="ref=refs/heads/main&revision=$(openssl rand -hex 20)&trigger_source=api&user_id=$USER_ID"
PIPELINE_JSON="$(api POST "$SCHEDULER/api/v1/projects/$PROJECT/pipelines?$query" "$ORG_ADMIN" \
  "$(cat "$LOCAL_DIR/demo/config.yml")" application/x-yaml)"
echo "$PIPELINE_JSON" | jq .
JOB_ID="$(echo "$PIPELINE_JSON" | jq -r '.workflows[0].jobs[0].id')"

step "5. Run one reference executor (executor run --once): claim, pull the environment, run, report"
set +e
java -jar "$EXECUTOR_JAR" run --once --scheduler "$SCHEDULER" --context "$CONTEXT" --issuer "$ISSUER" \
  --token-file "$KEYS_DIR/executor-token" --project "$PROJECT" --wait-seconds 5 --idle-timeout 90 2>&1 | tee "$DEMO_DIR/job-output.log" \
  | sed '/^--- verified V2 token ---$/,/^--- end of verified V2 token ---$/c\(the verified V2 token: see step 7)'
executor_status="${PIPESTATUS[0]}"
set -e

step "6. The job as the scheduler saw it"
api GET "$SCHEDULER/api/v1/jobs/$JOB_ID" "$ORG_ADMIN" | jq '{id, name, status, status_reason, exit_code, contexts}'
if grep -qF "$SECRET" "$DEMO_DIR/job-output.log"; then
  die "the secret appeared in the job output"
fi
echo "the secret value never appeared in the job output: it was masked"

step "7. CIRCLE_OIDC_TOKEN_V2 verified against the issuer's JWKS ($ISSUER/org/$ORG/.well-known/jwks-pub.json)"
sed -n '/^--- verified V2 token ---$/,/^--- end of verified V2 token ---$/p' "$DEMO_DIR/job-output.log" | sed '1d;$d'
echo
echo "output kept in $DEMO_DIR/job-output.log; stop everything with: deploy/local/platform.sh stop"
[[ "$executor_status" -eq 0 ]] || die "the job did not succeed (executor exit status $executor_status)"
