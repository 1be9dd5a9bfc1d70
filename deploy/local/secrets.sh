#!/usr/bin/env bash
# Generates the secrets of a local Keyless platform into DIR, once: files that exist are kept.
#
#   deploy/local/secrets.sh DIR
#
#   admin-private.pem / admin-public.pem                  signs / verifies admin JWTs (admin-token.sh)
#   job-credential-private.pem / job-credential-public.pem scheduler signs job credentials, the others verify
#   context-kek, issuer-kek                               AES-256 key-encryption keys (base64 of 32 bytes)
#   internal-api-token                                    context-service -> issuer-service
#   executor-token                                        executors -> scheduler-service (claim)
# Dev secrets only: they live outside the repository and are readable by their owner alone.
set -euo pipefail

dir="${1:?usage: secrets.sh DIR}"
umask 077
mkdir -p "$dir"

key_pair() {
  local name="$1"
  if [[ ! -f "$dir/$name-private.pem" ]]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/$name-private.pem" 2> /dev/null
    rm -f "$dir/$name-public.pem"
  fi
  if [[ ! -f "$dir/$name-public.pem" ]]; then
    openssl pkey -in "$dir/$name-private.pem" -pubout -out "$dir/$name-public.pem"
  fi
}

random_file() {
  local name="$1" kind="$2"
  if [[ ! -s "$dir/$name" ]]; then
    if [[ "$kind" == "base64" ]]; then
      openssl rand -base64 32 > "$dir/$name"
    else
      openssl rand -hex 32 > "$dir/$name"
    fi
  fi
}

key_pair admin
key_pair job-credential
random_file context-kek base64
random_file issuer-kek base64
random_file internal-api-token hex
random_file executor-token hex
