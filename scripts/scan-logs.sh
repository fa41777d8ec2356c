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
# JSON logs escape non-ASCII (a name is "Nguy\u1EC5n" there): decoded copies are what is scanned.
decoded=$(mktemp -d); trap 'rm -rf "$decoded"' EXIT
for f in "${files[@]}"; do perl -CSD -pe 's/\\u([0-9A-Fa-f]{4})/chr(hex($1))/ge' "$f" > "$decoded/$(basename "$f")"; done
files=("$decoded"/*.log)
# Numbers stand alone (not inside a hex trace id, a version or a time), are not all zeros (an empty parent span id),
# not an amount in đồng and not one of the app's advisory lock keys; names are the common family names and the
# middle names Thị and Văn before another capitalised word.
numbers='(?<![\w.:/+\[-])(?<!lock\()(?!0+(?!\d))(\d{12}|\d{9,11}|\d{13,19}|0\d{9})(?![\w.:/-])(?! ?đồng)'
names='\b(Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Lò|Giàng|Thị|Văn)\s+\p{Lu}\p{Ll}+'
hits=$(grep -nHoP "$numbers|$names" "${files[@]}" | head -50)
if [[ -n $hits ]]; then
  echo "scan-logs: personal data in the logs ($(cat "${files[@]}" | grep -cP "$numbers|$names") lines; the first 50):"
  # The file and line, and what kind of thing was found (never the thing itself).
  sed -E "s|^$decoded/||" <<<"$hits" | awk -F: '{ print $1 ":" $2 ": " ($3 ~ /^[0-9]/ ? "a number" : "a name") }'
  exit 1
fi
echo "scan-logs: ${#files[@]} logs, $lines lines, no citizen ID, account number, phone or name."
