#!/usr/bin/env bash
# Runs a command (the test suite) beside a throwaway PostgreSQL cluster: created in a
# temporary folder by scripts/pg-cluster.sh (initdb and pg_ctl as the unprivileged
# `postgres` user, a Unix socket in that folder only), and stopped and removed when
# the command ends, whether it passed or not.
# The command finds the cluster in YIMA_TEST_POSTGRES (a superuser URL); tests make
# a database of their own in it.
#
#   scripts/with-postgres.sh swift test --skip-build
set -euo pipefail

cluster_script="$(cd "$(dirname "$0")" && pwd)/pg-cluster.sh"
cluster=$(mktemp -d "${TMPDIR:-/tmp}/yima-pg.XXXXXX")

stop() {
  "$cluster_script" stop "$cluster" || true
  # A server already stopping (a Ctrl-C reaches it too) may still be writing: wait for it.
  for _ in $(seq 100); do [ -e "$cluster/data/postmaster.pid" ] || break; sleep 0.1; done
  rm -rf "$cluster"
}
trap stop EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
"$cluster_script" create "$cluster"
"$cluster_script" start "$cluster"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') ready in $(( $(date +%s) - started ))s at $cluster" >&2

export YIMA_TEST_POSTGRES=$("$cluster_script" url "$cluster")
"$@"
