#!/usr/bin/env bash
# Runs a command (the test suite) beside a throwaway PostgreSQL cluster: created in a
# temporary folder with initdb, started with pg_ctl as the unprivileged `postgres`
# user (PostgreSQL refuses to run as root), listening on a Unix socket in that folder
# only, and stopped and removed when the command ends, whether it passed or not.
# The command finds the cluster in YIMA_TEST_POSTGRES (a superuser URL); tests make
# a database of their own in it.
#
#   scripts/with-postgres.sh swift test --skip-build
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "with-postgres: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

# The server's account: Debian's package creates `postgres`; make one if it is missing.
account=postgres
id -u "$account" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$account"
as_account() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$account" -- "$@"; else "$@"; fi; }

cluster=$(mktemp -d "${TMPDIR:-/tmp}/yima-pg.XXXXXX")
[ "$(id -u)" -eq 0 ] && chown "$account" "$cluster"
chmod 700 "$cluster"

stop() {
  as_account "$bin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
  # A server already stopping (a Ctrl-C reaches it too) may still be writing: wait for it.
  for _ in $(seq 100); do [ -e "$cluster/data/postmaster.pid" ] || break; sleep 0.1; done
  rm -rf "$cluster"
}
trap stop EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
as_account "$bin/initdb" -D "$cluster/data" -U yima --auth=trust -E UTF8 --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 \
  || { cat "$cluster/initdb.log" >&2; exit 1; }
# A test cluster: durability traded for speed (nothing here outlives the run).
as_account "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 start \
  -o "-c listen_addresses='' -c unix_socket_directories='$cluster' -c port=5432 -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null \
  || { cat "$cluster/server.log" >&2; exit 1; }
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') ready in $(( $(date +%s) - started ))s at $cluster" >&2

export YIMA_TEST_POSTGRES="postgres://yima@/postgres?host=$cluster&port=5432"
"$@"
