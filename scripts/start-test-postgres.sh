#!/usr/bin/env bash
# Starts the local PostgreSQL server the store tests run against (installing Debian's
# `postgresql` when missing), recreates the test role and database, and prints their URL.
# Used by scripts/test.sh; safe to run repeatedly. With FIDOKIT_POSTGRES_STARTED_FILE set, writes
# "VERSION main" there when it had to start the server itself.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
"$(dirname "$0")/install-system-packages.sh" --postgres >&2
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$version main$"; then
  $sudo pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  $sudo pg_ctlcluster "$version" main start >&2
  # Tell the caller that this run started it (scripts/test.sh stops it again at the end).
  if [ -n "${FIDOKIT_POSTGRES_STARTED_FILE:-}" ]; then echo "$version main" >"$FIDOKIT_POSTGRES_STARTED_FILE"; fi
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
as_postgres() { $sudo su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtAc \"$1\"" >&2; }
# The store tests run in parallel, each with its own pool: Debian's 100 connections were reached
# (97 seen at once), and a refused connection is retried after a pause that slows a test by seconds.
if [ "$($sudo su postgres -c "psql -p $port -tAc 'SHOW max_connections'")" -lt 400 ]; then
  as_postgres "ALTER SYSTEM SET max_connections = 400"
  $sudo pg_ctlcluster "$version" main restart >&2
fi
$sudo su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'fidokit'\"" | grep -q 1 \
  || as_postgres "CREATE ROLE fidokit LOGIN PASSWORD 'fidokit'"
as_postgres "DROP DATABASE IF EXISTS fidokit_test"
as_postgres "CREATE DATABASE fidokit_test OWNER fidokit"
echo "postgres://fidokit:fidokit@127.0.0.1:$port/fidokit_test"
