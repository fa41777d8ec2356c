#!/usr/bin/env bash
# Runs a benchmark against a throwaway PostgreSQL (or ANSINH_BENCH_PG if set) and prints its table.
# Usage: ./bench.sh copy [rows…]      Figures go in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
ensure_dotnet
if [[ -z ${ANSINH_BENCH_PG:-} ]]; then
  ensure_postgres
  pg_throwaway_start durable
  trap pg_throwaway_stop EXIT
  export ANSINH_BENCH_PG=$ANSINH_TEST_PG
fi
dotnet run --project bench/AnSinh.Bench -c Release -- "$@"
