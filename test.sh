#!/usr/bin/env bash
# Every test: installs what is missing (PostgreSQL, Chromium), starts a throwaway PostgreSQL cluster,
# builds, runs each test project, stops the cluster, and ends with the line "N passed, N failed".
# With --drills, also the failure drills (tests/AnSinh.Drills.Tests): the production shape of ops/ started on this
# machine (pg_auto_failover, pgBackRest, HAProxy, PgBouncer, two app instances) and broken on purpose.
set -uo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

ensure_dotnet
ensure_postgres
ensure_chromium
pg_throwaway_start
trap pg_throwaway_stop EXIT

results=artifacts/test-results
rm -rf "$results" artifacts/logs; mkdir -p "$results" artifacts

if ! dotnet build AnSinh.slnx -c Release -nologo -clp:ErrorsOnly; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0
projects=(tests/AnSinh.Core.Tests tests/AnSinh.Web.Tests tests/AnSinh.Browser.Tests)
[[ " $* " == *" --drills "* ]] && projects+=(tests/AnSinh.Drills.Tests)
for project in "${projects[@]}"; do
  name=$(basename "$project")
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results"
  trx="$results/$name.trx"
  if [[ -f $trx ]]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
    f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
    passed=$((passed + p)); failed=$((failed + f))
  else
    echo "$name produced no results: counted as one failure."
    failed=$((failed + 1))
  fi
done

# One more test: every app log the run kept (in-process apps, the browser tests' real process, the drills' instances)
# holds no citizen ID, account number, phone or name.
echo "== personal data in the logs"
if scripts/scan-logs.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
