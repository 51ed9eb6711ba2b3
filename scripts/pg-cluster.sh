#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in a folder of its own, for tests and benchmarks:
# made with initdb, run with pg_ctl as the unprivileged `postgres` account when
# called as root (PostgreSQL refuses to run as root), listening on a Unix socket in
# the folder (and, with PORT set, on 127.0.0.1:PORT too).
#
#   scripts/pg-cluster.sh create DIR     initdb into DIR/data (DURABLE=1: keep fsync, for benchmarks)
#   scripts/pg-cluster.sh start DIR      start it (PORT=n to listen on loopback too)
#   scripts/pg-cluster.sh stop DIR       stop it (fast: sessions are ended)
#   scripts/pg-cluster.sh url DIR        the superuser's URL, postgres://yima@/postgres?host=DIR…
#   scripts/pg-cluster.sh standby DIR PRIMARY_DIR   a streaming standby of PRIMARY (pg_basebackup -R)
#   scripts/pg-cluster.sh promote DIR    promote a standby to a primary
#
# The superuser `yima` connects without a password on the socket. Members of the role
# `yima_password` must give their password (SCRAM), so that tests can see a wrong one
# refused. Unless DURABLE=1, durability is traded for speed: nothing here outlives a run.
set -euo pipefail

# The server outlives this script: it must not keep open any descriptor it inherited
# (a test runner's pipe would then never reach end-of-file).
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  case $fd in 0|1|2|255) ;; *) eval "exec $fd>&-" 2>/dev/null || true ;; esac
done

command=${1:?usage: pg-cluster.sh create|start|stop|url|standby|promote DIR}
dir=${2:?usage: pg-cluster.sh $command DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "pg-cluster: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

account=postgres
id -u "$account" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$account"
as_account() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$account" -- "$@"; else "$@"; fi; }
own() {
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$account" "$dir"
  chmod 700 "$dir"
}
url() { echo "postgres://yima@/postgres?host=$dir&port=5432"; }

case "$command" in
  create)
    own
    as_account "$bin/initdb" -D "$dir/data" -U yima --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # First match wins: password roles before the trust lines initdb wrote.
    { printf 'local all +yima_password scram-sha-256\nhost all +yima_password 127.0.0.1/32 scram-sha-256\n'
      printf 'local replication all trust\nhost replication all 127.0.0.1/32 trust\n'
      cat "$dir/data/pg_hba.conf"; } >"$dir/hba" && as_account cp "$dir/hba" "$dir/data/pg_hba.conf" && rm "$dir/hba"
    cat >"$dir/settings.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = 5432
max_connections = 300
wal_level = replica
max_wal_senders = 4
hot_standby = on
EOF
    [ -z "${DURABLE:-}" ] && printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$dir/settings.conf"
    [ "$(id -u)" -eq 0 ] && chown "$account" "$dir/settings.conf"
    echo "include '$dir/settings.conf'" | as_account tee -a "$dir/data/postgresql.conf" >/dev/null
    ;;
  start)
    listen=""
    [ -n "${PORT:-}" ] && listen="-c listen_addresses=127.0.0.1 -c port=$PORT"
    as_account "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start ${listen:+-o "$listen"} >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    # The role whose members log in with a password (the first start makes it).
    if [ ! -e "$dir/standby" ]; then
      "$bin/psql" -X -q -d "$(url)" -c "DO \$\$ BEGIN CREATE ROLE yima_password NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" \
        >/dev/null
    fi
    ;;
  stop)
    as_account "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    ;;
  url)
    url
    ;;
  standby)
    primary=${3:?usage: pg-cluster.sh standby DIR PRIMARY_DIR}
    own
    as_account "$bin/pg_basebackup" -D "$dir/data" -R -X stream -c fast -d "postgres://yima@/postgres?host=$primary&port=5432" \
      >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
    sed "s|$primary|$dir|" "$primary/settings.conf" >"$dir/settings.conf"
    [ "$(id -u)" -eq 0 ] && chown "$account" "$dir/settings.conf"
    as_account sed -i "s|^include '$primary/settings.conf'|include '$dir/settings.conf'|" "$dir/data/postgresql.conf"
    touch "$dir/standby"
    ;;
  promote)
    as_account "$bin/pg_ctl" -D "$dir/data" -w promote >/dev/null
    rm -f "$dir/standby"
    ;;
  *)
    echo "pg-cluster: unknown command $command" >&2
    exit 2
    ;;
esac
