#!/usr/bin/env bash
# Starts AnSinh on http://127.0.0.1:5080 with its own private PostgreSQL cluster (under
# ${ANSINH_DATA:-~/.local/share/ansinh}) and a demo province, installing PostgreSQL if it is missing.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

ensure_dotnet
ensure_postgres
dotnet build src/AnSinh.Web -c Release -nologo -clp:ErrorsOnly
app=(dotnet src/AnSinh.Web/bin/Release/net10.0/AnSinh.Web.dll)

# An empty database gets a demo province (Thái Nguyên, 2,000 people); an existing one is left alone.
# With the demo province come its staff (commune officer, chairman, province officer and approver).
"${app[@]}" seed demo --province "${ANSINH_DEMO_PROVINCE:-19}" --people "${ANSINH_DEMO_PEOPLE:-2000}" --if-empty --staff

data=${ANSINH_DATA:-$HOME/.local/share/ansinh}
echo
echo "AnSinh: http://127.0.0.1:5080"
if [[ -f $data/admin-password.txt ]]; then
  echo "Đăng nhập / sign in: admin / $(cat "$data/admin-password.txt")"
fi
if [[ -f $data/demo-staff.txt ]]; then
  echo "Cán bộ mẫu / demo staff (mật khẩu / password $(head -1 "$data/demo-staff.txt")): $(tail -n +2 "$data/demo-staff.txt" | paste -sd ' ')"
fi
echo "Ctrl+C để dừng / to stop."
exec "${app[@]}" serve "$@"
