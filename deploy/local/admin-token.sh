#!/usr/bin/env bash
# Prints an admin JWT signed with the local platform's dev admin key ($KEYLESS_HOME/keys/admin-private.pem).
#
#   deploy/local/admin-token.sh --org ORG_ID     org-admin of one org
#   deploy/local/admin-token.sh --platform       platform-admin (creates orgs, sees everything)
#   extra options: --sub NAME, --ttl SECONDS (default 3600)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

key="${KEYLESS_KEYS_DIR:-$KEYLESS_HOME/keys}/admin-private.pem"
[[ -f "$key" ]] || die "no admin key at $key: run deploy/local/platform.sh start first"
[[ $# -gt 0 ]] || die "usage: $0 --org ORG_ID | --platform [--sub NAME] [--ttl SECONDS]"
exec java "$LOCAL_DIR/AdminToken.java" "$key" "$@"
