#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the bench: installs
# Debian's `postgresql` when no server binaries are found, then initdb +
# pg_ctl in a temporary directory, listening on a free 127.0.0.1 port only,
# password authentication, run as a non-root user (PostgreSQL refuses root;
# `postgres`, or `support-kpi-pg` created for it). Exports the server URL
# as SUPPORT_KPI_TEST_PG (tests create a database per server under it).
# TLS is on too, with a certificate for localhost from a throwaway CA whose
# PEM file is exported as SUPPORT_KPI_TEST_PG_CA.
#
#   source scripts/postgres.sh; postgres_start    # cluster up until the shell exits
#   bash scripts/postgres.sh COMMAND [ARGS...]     # runs COMMAND with the cluster up
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The newest installed server's bin directory (Debian keeps one per major version).
postgres_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$dir" ] && command -v pg_config >/dev/null; then dir="$(pg_config --bindir)"; fi
  [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

# Runs a command as the cluster's user ($PG_USER), from a directory it may read.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u "$PG_USER" -- "$@")
  else "$@"
  fi
}

postgres_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# A CA and a server certificate for localhost and 127.0.0.1 signed by it, in $1.
postgres_certificates() {
  local dir=$1
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=support-kpi test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/server.ext" -out "$dir/server.crt" >/dev/null 2>&1
  chmod 600 "$dir/server.key"
}

postgres_start() {
  PG_BIN="$(postgres_bindir || true)"
  if [ -z "$PG_BIN" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql
    PG_BIN="$(postgres_bindir)" || die "no PostgreSQL server binaries after installing postgresql"
  fi
  PG_USER="$(id -un)"
  if [ "$(id -u)" = 0 ]; then
    PG_USER=postgres
    if ! id "$PG_USER" >/dev/null 2>&1; then
      PG_USER=support-kpi-pg
      id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    fi
  fi
  PG_DIR="$(mktemp -d /tmp/support-kpi-pg.XXXXXX)"
  trap postgres_stop EXIT
  local password port
  password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  printf '%s\n' "$password" >"$PG_DIR/password"
  postgres_certificates "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown -R "$PG_USER" "$PG_DIR"
  as_pg_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U support_kpi --pwfile="$PG_DIR/password" \
    --auth=scram-sha-256 -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_DIR -c max_connections=300 \
        -c ssl=on -c ssl_cert_file=$PG_DIR/server.crt -c ssl_key_file=$PG_DIR/server.key" \
    >/dev/null || { cat "$PG_DIR/server.log" >&2; die "the PostgreSQL server did not start"; }
  export SUPPORT_KPI_TEST_PG="postgres://support_kpi:$password@127.0.0.1:$port/postgres"
  export SUPPORT_KPI_TEST_PG_CA="$PG_DIR/ca.crt"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster in $PG_DIR, user $PG_USER)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  [ $# -gt 0 ] || die "usage: scripts/postgres.sh COMMAND [ARGS...]"
  postgres_start
  "$@"
fi
