#!/usr/bin/env bash
# Two AnSinh instances behind HAProxy, on the formation of ops/formation.sh (through its PgBouncers).
#   ops/app.sh start     migrate (straight to the primary), seed the demo when empty, start instances on 5101-5102
#                        (each through the PgBouncers), HAProxy on 5100 (stats 5199)
#   ops/app.sh stop      stop them
#   ops/app.sh kill N    kill -9 instance N (a drill)
#   ops/app.sh restart N start instance N again
set -euo pipefail
cd "$(dirname "$0")/.."
source ops/lib.sh
APP_DLL=src/AnSinh.Web/bin/Release/net10.0/AnSinh.Web.dll

instance() {
  local n=$1 port=${APP_PORTS[$(($1 - 1))]}
  ConnectionStrings__AnSinh="$(app_connection_string bouncer)" \
  Proxy__TrustedNetworks=127.0.0.1/32 \
  Logging__Console__FormatterName=json Logging__Console__FormatterOptions__IncludeScopes=true \
  ANSINH_DATA="$OPS/app$n" \
    setsid dotnet "$APP_DLL" serve --urls "http://127.0.0.1:$port" >> "$OPS/app$n.log" 2>&1 < /dev/null &
  echo $! > "$OPS/app$n.pid"
  wait_for 90 "instance $n" curl -fs "http://127.0.0.1:$port/health/ready"
}

proxy() {
  local servers; servers=$(haproxy_servers app "${APP_PORTS[@]}")
  # When no instance is ready (their readiness needs the database: during a failover none is), the proxy answers
  # itself: the same words as the app's own 503 page, and when to try again.
  printf '%s\r\n' "HTTP/1.0 503 Service Unavailable" "Cache-Control: no-store" "Connection: close" \
    "Content-Type: text/html; charset=utf-8" "Retry-After: 15" "" > "$OPS/503.http"
  cat >> "$OPS/503.http" <<'HTML'
<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>AnSinh</title></head>
<body><h1>AnSinh</h1><p>Máy chủ dữ liệu đang được chuyển sang máy dự phòng. Việc vừa làm có thể đã được ghi hoặc chưa: hãy xem lại sau khoảng một phút rồi mới làm lại.</p>
<p lang="en">The database is switching to its standby. What you just did may or may not have been saved: look again in about a minute before doing it again.</p></body></html>
HTML
  cat > "$OPS/haproxy.cfg" <<CFG
global
  maxconn 4000
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 300s
  option forwardfor
  option redispatch
  # Only a request that never reached an instance is tried on the other: a POST an instance received is never resent.
  retries 2
  retry-on conn-failure
  errorfile 503 $OPS/503.http
frontend web
  bind 127.0.0.1:$PROXY_PORT
  default_backend app
backend app
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
$servers
listen stats
  bind 127.0.0.1:$PROXY_STATS_PORT
  stats enable
  stats uri /
CFG
  haproxy -D -f "$OPS/haproxy.cfg" -p "$OPS/haproxy.pid"
}

case ${1:-} in
  start)
    [[ -f $APP_DLL ]] || dotnet build src/AnSinh.Web -c Release -nologo -clp:ErrorsOnly
    # Migrations straight to the primary (never through PgBouncer: a schema change is one session's work).
    ConnectionStrings__AnSinh="$(app_connection_string direct)" dotnet "$APP_DLL" db migrate
    # An empty database gets the demo province and its staff, as ./run.sh does.
    ConnectionStrings__AnSinh="$(app_connection_string direct)" ANSINH_DATA="$OPS/app1" dotnet "$APP_DLL" seed demo \
      --province "${ANSINH_DEMO_PROVINCE:-19}" --people "${ANSINH_DEMO_PEOPLE:-2000}" --if-empty --staff | tee -a "$OPS/seed.log"
    for n in $(seq 1 ${#APP_PORTS[@]}); do instance "$n"; done
    proxy
    echo "AnSinh behind HAProxy: http://127.0.0.1:$PROXY_PORT (stats http://127.0.0.1:$PROXY_STATS_PORT)" ;;
  stop)
    [[ -f $OPS/haproxy.pid ]] && kill "$(cat "$OPS/haproxy.pid")" 2>/dev/null || true
    for f in "$OPS"/app*.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
    # and any left from an earlier formation whose files are gone
    pkill -f "haproxy -D -f $OPS/haproxy.cfg" 2>/dev/null || true
    for port in "${APP_PORTS[@]}"; do pkill -f "AnSinh.Web.dll serve --urls http://127.0.0.1:$port" 2>/dev/null || true; done
    wait_for 30 "the instances to stop" bash -c "! pgrep -f 'AnSinh.Web.dll serve --urls http://127.0.0.1:5[1]' >/dev/null" ;;
  kill) kill -9 "$(cat "$OPS/app$2.pid")" ;;
  restart) instance "$2" ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
