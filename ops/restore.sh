#!/usr/bin/env bash
# Restores the formation's backups and archived WAL into a new directory, up to a moment, and starts it there as a
# standalone PostgreSQL (archiving off, so it never writes into the production repository), for checking before
# anything is switched over: `AnSinh.Web audit verify`, run totals, the table that was lost.
#   ops/restore.sh "2026-11-22 09:30:00+07" DIR PORT     restore to just before that moment and start on PORT
#   ops/restore.sh stop DIR                               stop it again
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if [[ ${1:-} == stop ]]; then
  as_pg pg_ctl -D "$2" -m fast stop >/dev/null
  exit 0
fi
target=${1:?the moment to restore to}; dir=${2:?a new directory}; port=${3:?a port}
if [[ -e $dir && -n $(ls -A "$dir" 2>/dev/null) ]]; then echo "$dir is not empty." >&2; exit 1; fi
mkdir -p "$dir"; chmod 700 "$dir"; chown postgres:postgres "$dir" 2>/dev/null || true
# --target-exclusive: stop just before the first transaction that committed at the target moment or later.
as_pg pgbackrest --config="$OPS/pgbackrest.conf" --stanza="$STANZA" --pg1-path="$dir" --type=time --target="$target" \
  --target-exclusive --target-action=promote --archive-mode=off --log-level-console=warn restore
as_pg pg_ctl -D "$dir" -l "$dir/restore.log" -w -t 600 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=128MB -c archive_mode=off -c logging_collector=off" start >/dev/null
wait_for 600 "recovery to end" bash -c "[[ \$(psql -h 127.0.0.1 -p $port -U postgres -d postgres -XAtc 'SELECT pg_is_in_recovery()') == f ]]"
echo "Restored to just before $target."
echo "  Host=127.0.0.1;Port=$port;Database=$DB;Username=postgres"
