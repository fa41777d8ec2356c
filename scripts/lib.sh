# Shared by run.sh, test.sh and bench.sh: install what is missing (Debian), and a throwaway PostgreSQL cluster.
# shellcheck shell=bash

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

_apt_updated=""
apt_install() {
  if [[ -z $_apt_updated ]]; then $SUDO apt-get update -qq; _apt_updated=1; fi
  $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin_dir() {
  if [[ -n ${PG_BIN:-} ]]; then echo "$PG_BIN"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_postgres() {
  local bin; bin=$(pg_bin_dir)
  if [[ -z $bin || ! -x $bin/initdb ]]; then
    echo "Installing PostgreSQL (apt)…"
    apt_install postgresql postgresql-contrib
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Chromium and fonts (apt)…"
    apt_install chromium fonts-liberation2
  fi
}

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 || { echo "The .NET 10 SDK is needed: see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 1; }
}

_free_port() {
  local port=$1
  while (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Starts a throwaway cluster on 127.0.0.1 and exports ANSINH_TEST_PG (a superuser connection string
# without a database name: tests create their own databases). Tests trade durability for speed;
# `pg_throwaway_start durable` keeps PostgreSQL's defaults, for benchmarks.
pg_throwaway_start() {
  local speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [[ ${1:-} == durable ]]; then speed=""; fi
  local bin; bin=$(pg_bin_dir)
  PG_TMP=$(mktemp -d /tmp/ansinh-pg.XXXXXX)
  PG_PORT=$(_free_port 55432)
  local run=()
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$PG_TMP"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$PG_TMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 $speed -c max_connections=300" start >/dev/null
  export ANSINH_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
  export PG_TMP PG_PORT
}

pg_throwaway_stop() {
  [[ -n ${PG_TMP:-} && -d $PG_TMP ]] || return 0
  local bin; bin=$(pg_bin_dir)
  local run=()
  if [[ $(id -u) -eq 0 ]]; then run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}
