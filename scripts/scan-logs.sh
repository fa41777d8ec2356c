#!/usr/bin/env bash
# Scans every app log the test run kept (artifacts/logs: the in-process apps' captured logs, the browser tests' real
# process, the drills' instances) for personal data: citizen IDs (12 digits), account-like numbers (9-19 digits),
# phone numbers, and Vietnamese personal names (a family name or middle name followed by a capitalised word).
# Prints each hit (file and line, the match masked) and exits 1 when there is one.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${1:-artifacts/logs}
export LC_ALL=C.UTF-8
shopt -s nullglob
files=("$dir"/*.log)
if ((${#files[@]} == 0)); then echo "scan-logs: no logs in $dir"; exit 1; fi
lines=$(cat "${files[@]}" | wc -l)
# Numbers stand alone (not inside a hex trace id, a version or a time); names are the common family names and the
# middle names Thị and Văn before another capitalised word.
numbers='(?<![\w.:/+-])(\d{12}|\d{9,11}|\d{13,19}|0\d{9})(?![\w.:/-])'
names='\b(Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Lò|Giàng|Thị|Văn)\s+\p{Lu}\p{Ll}+'
hits=$(grep -nHoP "$numbers|$names" "${files[@]}" | head -50)
if [[ -n $hits ]]; then
  echo "scan-logs: personal data in the logs ($(cat "${files[@]}" | grep -cP "$numbers|$names") lines; the first 50, masked):"
  # The file and line, and what was found with its digits and the name after the first word hidden.
  sed -E 's/[0-9]{6,}/<number>/g; s/(Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Lò|Giàng|Thị|Văn) .*/\1 …/' <<<"$hits"
  exit 1
fi
echo "scan-logs: ${#files[@]} logs, $lines lines, no citizen ID, account number, phone or name."
