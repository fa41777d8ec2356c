#!/usr/bin/env bash
# A pgBackRest backup of the formation's stanza (full by default; diff or incr after a full), then the repository's
# list of backups. WAL is archived continuously between backups, so any moment since the oldest kept full backup
# can be restored (ops/restore.sh). Cron in production: full weekly, diff daily.
#   ops/backup.sh [full|diff|incr]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
type=${1:-full}
[[ $type =~ ^(full|diff|incr)$ ]] || { echo "ops/backup.sh [full|diff|incr]" >&2; exit 2; }
as_pg pgbackrest --config="$OPS/pgbackrest.conf" --stanza="$STANZA" --type="$type" --log-level-console=warn backup
as_pg pgbackrest --config="$OPS/pgbackrest.conf" --stanza="$STANZA" info
