#!/bin/sh
# HAProxy's external check for the database frontend: succeeds only on the node that accepts writes, so the
# PgBouncers behind the proxy only ever reach the primary. HAProxy passes: proxy address, proxy port, server
# address, server port.
[ "$(psql -h "$3" -p "$4" -U postgres -d postgres -XAtc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]
