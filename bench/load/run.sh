#!/usr/bin/env bash
# Payment week on the production shape: officers (each a wrk connection with a 1-5 s think time) searching,
# opening people, watching the dashboard, receiving applications (new people, audited) and sending payers' results
# again, all at once against HAProxy and two instances on the pg_auto_failover formation. Samples the audit chain's
# lock while it runs. Prints one RESULT line per request kind; the figures go in docs/benchmarks.md.
#   bench/load/run.sh [minutes=10] [officers=300] [people=50000]
# THINK_MIN and THINK_MAX (ms, default 5000 and 15000) set an officer's pause between two requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib.sh
minutes=${1:-10}; officers=${2:-300}; people=${3:-50000}
out=artifacts/load; mkdir -p "$out"

if ! curl -fs "http://127.0.0.1:$PROXY_PORT/health/ready" >/dev/null 2>&1; then
  ops/formation.sh start
  ANSINH_DEMO_PEOPLE=$people ops/app.sh start
fi
dotnet build bench/AnSinh.Bench -c Release -nologo -clp:ErrorsOnly >/dev/null
password=$(grep -o "shared password: [^ ]*" "$OPS/seed.log" | head -1 | awk '{print $3}')
dotnet bench/AnSinh.Bench/bin/Release/net10.0/AnSinh.Bench.dll load-prepare "http://127.0.0.1:$PROXY_PORT" \
  "$(app_connection_string direct)" "$out" 20 "$password"

# The mix of payment week, in officers: reading dominates; one in eight is entering an application, one in twelve
# is sending a results file.
declare -A share=([search]=35 [person]=35 [dashboard]=10 [change]=12 [import]=8)
: > "$out/wrk.txt"
pids=()
for kind in search person dashboard change import; do
  n=$((officers * share[$kind] / 100))
  KIND=$kind wrk -t1 -c "$n" -d "${minutes}m" --timeout 30s -s bench/load/officer.lua "http://127.0.0.1:$PROXY_PORT" -- "$kind" "$out" \
    > "$out/wrk-$kind.txt" 2> "$out/wrk-$kind.err" &
  pids+=($!)
done

# The audit chain's lock: how often an audited write waits for another (sampled five times a second).
primary=$(primary_port)
end=$((SECONDS + minutes * 60))
samples=0; waiting=0; waiters=0
while ((SECONDS < end)); do
  w=$(psql -h 127.0.0.1 -p "$primary" -U postgres -d "$DB" -XAtc \
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'" 2>/dev/null || echo 0)
  samples=$((samples + 1)); waiters=$((waiters + w)); ((w > 0)) && waiting=$((waiting + 1))
  sleep 0.2
done
wait "${pids[@]}"
cat "$out"/wrk-*.txt | grep RESULT | tee "$out/results.txt"
echo "AUDIT_LOCK samples=$samples with_waiters=$waiting mean_waiters=$(awk "BEGIN {printf \"%.3f\", $waiters / $samples}")" | tee -a "$out/results.txt"
psql -h 127.0.0.1 -p "$primary" -U postgres -d "$DB" -XAtc "SELECT 'PEOPLE ' || count(*) FROM person; SELECT 'AUDIT_ROWS ' || count(*) FROM audit_log" | tee -a "$out/results.txt"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(date -u +%F)" | tee -a "$out/results.txt"
