# Shared by the ops/ scripts: where the local production-shaped formation lives and which ports it uses.
# Everything sits under $ANSINH_OPS (default /tmp/ansinh-ops) and runs as the postgres user when started as root.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

OPS=${ANSINH_OPS:-/tmp/ansinh-ops}
MONITOR_PORT=${ANSINH_MONITOR_PORT:-6000}
NODE_PORTS=(6001 6002)
DB_PROXY_PORT=6400
BOUNCER_PORTS=(6401 6402)
APP_PORTS=(5101 5102)
PROXY_PORT=${ANSINH_PROXY_PORT:-5100}
PROXY_STATS_PORT=5199
STANZA=ansinh
DB=ansinh
export XDG_CONFIG_HOME=$OPS/xdg/config XDG_DATA_HOME=$OPS/xdg/data XDG_RUNTIME_DIR=$OPS/xdg/run
export PATH="/usr/lib/postgresql/15/bin:$PATH"

ensure_ops_packages() {
  local missing=()
  command -v pg_autoctl >/dev/null || missing+=(postgresql-15-auto-failover)
  command -v pgbackrest >/dev/null || missing+=(pgbackrest)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v pgbouncer >/dev/null || missing+=(pgbouncer)
  command -v wrk >/dev/null || missing+=(wrk)
  if ((${#missing[@]})); then echo "Installing ${missing[*]} (apt)…"; apt_install "${missing[@]}"; fi
}

# Runs a command as the postgres user (the engines refuse root), keeping the formation's environment.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" \
      XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" PATH="$PATH" "$@"
  else
    "$@"
  fi
}

node_dir() { echo "$OPS/node$1"; }
monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable"; }

# The app's connection string: "direct" lists every node and the driver picks the writable one; "bouncer" lists the
# PgBouncers, which reach only the primary (through the HAProxy of ops/formation.sh), so either will do.
app_connection_string() {
  local via=${1:-direct} hosts=() p
  if [[ $via == bouncer ]]; then for p in "${BOUNCER_PORTS[@]}"; do hosts+=("127.0.0.1:$p"); done
  else for p in "${NODE_PORTS[@]}"; do hosts+=("127.0.0.1:$p"); done; fi
  local joined; joined=$(IFS=,; echo "${hosts[*]}")
  local s="Host=$joined;Database=$DB;Username=postgres;Target Session Attributes=read-write;Host Recheck Seconds=2;Timeout=5"
  # Through PgBouncer in transaction mode: no DISCARD ALL on returning a connection (nothing session-scoped is used).
  [[ $via == bouncer ]] && s+=";No Reset On Close=true"
  echo "$s"
}

# The current primary's port, from the monitor (empty while there is none).
primary_port() {
  psql -h 127.0.0.1 -p "$MONITOR_PORT" -U autoctl_node -d pg_auto_failover -Atc \
    "SELECT nodeport FROM pgautofailover.node WHERE reportedstate = goalstate AND goalstate IN ('single', 'primary', 'wait_primary', 'primary') LIMIT 1" 2>/dev/null || true
}

# HAProxy "server" lines: haproxy_servers NAME PORT... → "  server NAME1 127.0.0.1:PORT1 check" and so on.
haproxy_servers() {
  local name=$1 n=0 port; shift
  for port in "$@"; do n=$((n + 1)); echo "  server $name$n 127.0.0.1:$port check"; done
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then echo "Timed out after ${seconds}s waiting for $what." >&2; return 1; fi
    sleep 1
  done
}
