#!/usr/bin/env bash
# A production-shaped PostgreSQL on this machine: a pg_auto_failover monitor, a primary and a synchronous secondary,
# continuous WAL archiving to a pgBackRest repository, HAProxy on 6400 forwarding to whichever node is primary, and two
# PgBouncers (transaction pooling, one per app server in production) behind it.
#   ops/formation.sh start     build and start it (ports: monitor 6000, nodes 6001-6002, primary proxy 6400, bouncers 6401-6402)
#   ops/formation.sh stop      stop everything and remove $ANSINH_OPS
#   ops/formation.sh status    the monitor's view of the nodes
#   ops/formation.sh url [bouncer]   the app's connection string (every node; the driver picks the writable one)
#   ops/formation.sh kill N    kill -9 node N's keeper and PostgreSQL at once (a server lost: a drill)
#   ops/formation.sh revive N  start node N's keeper again: it rejoins as a secondary (pg_rewind when needed)
#   ops/formation.sh wait      until a primary and a synchronous secondary are in place
# docs/operations.md says how the same pieces go on three machines.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

node_conf() { # the settings we own, appended after pg_auto_failover's include so they win
  local n=$1 dir; dir=$(node_dir "$1")
  cat >> "$dir/postgresql.conf" <<CONF

# AnSinh formation (ops/formation.sh), node$n
listen_addresses = '127.0.0.1'
unix_socket_directories = '$OPS/sock$n'
shared_buffers = '256MB'
effective_cache_size = '1GB'
wal_keep_size = '512MB'
max_connections = 300
archive_mode = on
archive_command = 'pgbackrest --config=$OPS/pgbackrest.conf --stanza=$STANZA --pg1-path=$dir archive-push %p'
archive_timeout = 60
log_error_verbosity = terse
log_min_error_statement = panic
CONF
  mkdir -p "$OPS/sock$n"; chown postgres:postgres "$OPS/sock$n" 2>/dev/null || true
}

run_node() { # pg_autoctl run keeps the node's postgres and its state machine going; setsid so it outlives the script
  as_pg setsid pg_autoctl run --pgdata "$1" >> "$1.log" 2>&1 < /dev/null &
}

create_node() {
  local n=$1 dir; dir=$(node_dir "$1")
  as_pg pg_autoctl create postgres --pgdata "$dir" --pgport "${NODE_PORTS[$((n - 1))]}" --hostname 127.0.0.1 --listen 127.0.0.1 \
    --name "node$n" --dbname "$DB" --auth trust --no-ssl --monitor "$(monitor_uri)" >> "$dir.log" 2>&1
  node_conf "$n"
  # A primary cut off from the monitor and its standby demotes itself after this long (default 20 s; the monitor's
  # primary_demote_timeout above must stay longer, so two primaries never accept writes at once).
  as_pg pg_autoctl config set --pgdata "$dir" timeout.network_partition_timeout 4 >/dev/null
  run_node "$dir"
}

# The primary, wherever it is: HAProxy asks each node whether it is in recovery (ops/pg-primary-check.sh) every second
# and cuts the sessions of a node that stops being primary. A pooler behind it never sees a standby, so the
# server parameters it caches for its clients (in_hot_standby among them) are always the primary's.
db_proxy() {
  local servers; servers=$(haproxy_servers node "${NODE_PORTS[@]}")
  cat > "$OPS/haproxy-db.cfg" <<CFG
global
  maxconn 4000
  external-check
  insecure-fork-wanted
defaults
  mode tcp
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 3s
listen pg_primary
  bind 127.0.0.1:$DB_PROXY_PORT
  balance first
  option external-check
  external-check path "/usr/bin:/bin:/usr/lib/postgresql/15/bin"
  external-check command $(cd "$(dirname "$0")" && pwd)/pg-primary-check.sh
  default-server inter 1s fall 1 rise 1 on-marked-down shutdown-sessions
$servers
CFG
  haproxy -D -f "$OPS/haproxy-db.cfg" -p "$OPS/haproxy-db.pid"
  sleep 3 # HAProxy 2.6 starts every server as up: let the first checks mark the standby down
}

bouncer() {
  local n=$1 port=${BOUNCER_PORTS[$(($1 - 1))]}
  cat > "$OPS/pgbouncer$n.ini" <<INI
[databases]
$DB = host=127.0.0.1 port=$DB_PROXY_PORT dbname=$DB
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $OPS/userlist.txt
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 40
server_reset_query =
server_login_retry = 1
ignore_startup_parameters = extra_float_digits,options
logfile = $OPS/pgbouncer$n.log
pidfile = $OPS/pgbouncer$n.pid
admin_users = postgres
INI
  echo '"postgres" ""' > "$OPS/userlist.txt"
  chown postgres:postgres "$OPS/pgbouncer$n.ini" "$OPS/userlist.txt"
  as_pg pgbouncer -d "$OPS/pgbouncer$n.ini"
}

start() {
  ensure_postgres; ensure_ops_packages
  if [[ -d $OPS/monitor ]]; then echo "A formation exists in $OPS: ops/formation.sh stop first." >&2; exit 1; fi
  mkdir -p "$OPS"/xdg/{config,data,run} "$OPS/repo" "$OPS/log" "$OPS/spool" "$OPS/lock"
  # The archive's own disk (a small tmpfs when we may mount one), so that filling it is a drill, not an accident.
  if [[ $(id -u) -eq 0 ]] && mount -t tmpfs -o "size=${ANSINH_ARCHIVE_SIZE:-1g}" ansinh-archive "$OPS/repo" 2>/dev/null; then
    echo "Archive repository: tmpfs ${ANSINH_ARCHIVE_SIZE:-1g} at $OPS/repo"
  fi
  chown -R postgres:postgres "$OPS" 2>/dev/null || true
  chmod 700 "$OPS/xdg/run"
  cat > "$OPS/pgbackrest.conf" <<CONF
[global]
repo1-path=$OPS/repo
repo1-retention-full=2
log-path=$OPS/log
lock-path=$OPS/lock
spool-path=$OPS/spool
log-level-console=warn
log-level-file=info
start-fast=y
compress-type=lz4

[$STANZA]
pg1-path=$(node_dir 1)
pg1-port=${NODE_PORTS[0]}
pg1-socket-path=$OPS/sock1
pg2-path=$(node_dir 2)
pg2-port=${NODE_PORTS[1]}
pg2-socket-path=$OPS/sock2
CONF
  chown postgres:postgres "$OPS/pgbackrest.conf"

  echo "Monitor on $MONITOR_PORT…"
  as_pg pg_autoctl create monitor --pgdata "$OPS/monitor" --pgport "$MONITOR_PORT" --hostname 127.0.0.1 --listen 127.0.0.1 --auth trust --no-ssl >> "$OPS/monitor.log" 2>&1
  echo "listen_addresses = '127.0.0.1'" >> "$OPS/monitor/postgresql.conf"
  echo "shared_buffers = '128MB'" >> "$OPS/monitor/postgresql.conf"
  run_node "$OPS/monitor"
  wait_for 60 "the monitor" psql -h 127.0.0.1 -p "$MONITOR_PORT" -U autoctl_node -d pg_auto_failover -c "SELECT 1"
  # Failover within about ten seconds of a node's loss, for the drills (the defaults take 30 to 60 seconds).
  local setting
  for setting in health_check_period=1000 health_check_timeout=1000 health_check_max_retries=1 health_check_retry_delay=500 node_considered_unhealthy_timeout=4000 primary_demote_timeout=6000; do
    psql -h 127.0.0.1 -p "$MONITOR_PORT" -U postgres -d pg_auto_failover -qc "ALTER SYSTEM SET pgautofailover.${setting%=*} = ${setting#*=}"
  done
  psql -h 127.0.0.1 -p "$MONITOR_PORT" -U postgres -d pg_auto_failover -qc "SELECT pg_reload_conf()" >/dev/null

  echo "Primary on ${NODE_PORTS[0]}…"
  create_node 1
  wait_for 90 "the primary" bash -c "[[ \$(source '$(dirname "$0")/lib.sh'; primary_port) == ${NODE_PORTS[0]} ]]"
  wait_for 60 "the primary's socket" psql -h "$OPS/sock1" -p "${NODE_PORTS[0]}" -U postgres -d "$DB" -c "SELECT 1"
  as_pg pgbackrest --config="$OPS/pgbackrest.conf" --stanza="$STANZA" --log-level-console=error stanza-create
  psql -h 127.0.0.1 -p "${NODE_PORTS[0]}" -U postgres -d "$DB" -qc "CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm;"

  echo "Secondary on ${NODE_PORTS[1]} (synchronous)…"
  create_node 2
  wait_healthy
  as_pg pgbackrest --config="$OPS/pgbackrest.conf" --stanza="$STANZA" --log-level-console=error check

  db_proxy; bouncer 1; bouncer 2
  echo "Formation ready. The app's connection string:"
  echo "  $(app_connection_string)"
}

# A primary and a secondary in step, the primary's standby synchronous.
healthy() {
  [[ $(psql -h 127.0.0.1 -p "$MONITOR_PORT" -U autoctl_node -d pg_auto_failover -Atc \
    "SELECT count(*) FROM pgautofailover.node WHERE reportedstate = goalstate AND goalstate IN ('primary', 'secondary')") == 2 ]] || return 1
  local p; p=$(primary_port)
  [[ -n $p && $(psql -h 127.0.0.1 -p "$p" -U postgres -d "$DB" -Atc "SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')") == 1 ]]
}
wait_healthy() { wait_for 180 "a primary and a synchronous secondary" healthy; }

kill_node() {
  local dir pid; dir=$(node_dir "$1")
  pid=$(pgrep -f "^pg_autoctl run --pgdata $dir\$" | head -1)
  [[ -n $pid ]] && kill -9 -- "-$(ps -o pgid= -p "$pid" | tr -d ' ')" 2>/dev/null || true
  [[ -f $dir/postmaster.pid ]] && kill -9 "$(head -1 "$dir/postmaster.pid")" 2>/dev/null || true
  pkill -9 -f "postgres -D $dir " 2>/dev/null || true
}

stop() {
  local d
  for d in "$OPS"/node2 "$OPS"/node1 "$OPS"/monitor; do
    [[ -d $d ]] && as_pg pg_autoctl stop --pgdata "$d" >/dev/null 2>&1 || true
  done
  for d in "$OPS"/pgbouncer*.pid "$OPS"/haproxy-db.pid; do [[ -f $d ]] && kill "$(cat "$d")" 2>/dev/null || true; done
  sleep 2
  pkill -f "pg_autoctl run --pgdata $OPS" 2>/dev/null || true
  pkill -f "haproxy -D -f $OPS/haproxy-db.cfg" 2>/dev/null || true
  pkill -f "pgbouncer -d $OPS/pgbouncer" 2>/dev/null || true
  pkill -f "runuser -u postgres -- env XDG_CONFIG_HOME=$OPS" 2>/dev/null || true
  for d in "$OPS"/node1 "$OPS"/node2 "$OPS"/monitor; do
    [[ -f $d/postmaster.pid ]] && as_pg pg_ctl -D "$d" -m immediate stop >/dev/null 2>&1 || true
  done
  mountpoint -q "$OPS/repo" 2>/dev/null && umount "$OPS/repo"
  rm -rf "$OPS"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) as_pg pg_autoctl show state --pgdata "$OPS/monitor" ;;
  url) app_connection_string "${2:-direct}" ;;
  kill) kill_node "$2" ;;
  revive) run_node "$(node_dir "$2")" ;;
  wait) wait_healthy ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
