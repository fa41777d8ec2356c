#!/bin/sh
# HAProxy's external check for the database frontend: succeeds only on the node that accepts writes, so the
# PgBouncers behind the proxy only ever reach the primary. A node being promoted is out of recovery before
# pg_auto_failover lets it write (default_transaction_read_only stays on until the old primary is known to be
# demoted), so both are asked. HAProxy passes: proxy address, proxy port, server address, server port.
[ "$(psql -h "$3" -p "$4" -U postgres -d postgres -XAtc "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'" 2>/dev/null)" = t ]
