#!/bin/bash
# Idle memory of a published web process after five 2,000-column uploads (docs/benchmarks.md, "Idle memory").
# Files: ${WIDE_CSV_DIR:-/tmp}/wide0..4.csv, 2,000 columns x 1,000 rows of random numbers (see docs/benchmarks.md).
# usage: scripts/idle-memory.sh label [ENV=value ...]
label=$1; shift
dir=$(mktemp -d /tmp/memscen.XXXX)
port=5$((RANDOM % 900 + 100))
cd "${PUBLISHED_WEB:-out/web}"
env ASPNETCORE_URLS=http://127.0.0.1:$port ASPNETCORE_ENVIRONMENT=Production ControlPlane__DataDirectory=$dir \
  ControlPlane__Bootstrap__AdminEmail=admin@example.test ControlPlane__Bootstrap__AdminPassword="correct horse battery" \
  ControlPlane__Bootstrap__AdminApiToken=cpat_memscen-admin-token-0123456789abcdefgh "$@" \
  dotnet ControlPlane.Web.dll > $dir/out.log 2>&1 &
pid=$!
for i in $(seq 1 60); do curl -sf http://127.0.0.1:$port/health/ready >/dev/null && break; sleep 1; done
rss() { awk '/VmRSS/{printf "%.0f", $2/1024}' /proc/$pid/status; }
H="Authorization: Bearer cpat_memscen-admin-token-0123456789abcdefgh"
echo "$label: ready rss=$(rss) MB"
curl -sf -H "$H" -H "Content-Type: application/json" -d '{"name":"wide"}' http://127.0.0.1:$port/api/v1/datasets >/dev/null
peak=0
for k in 0 1 2 3 4; do
  curl -sf -o /dev/null -w "upload $k: %{http_code} %{time_total}s\n" -H "$H" -F "file=@${WIDE_CSV_DIR:-/tmp}/wide$k.csv;type=text/csv" http://127.0.0.1:$port/api/v1/datasets/wide/versions
  r=$(rss); [ $r -gt $peak ] && peak=$r
done
echo "$label: after uploads rss=$(rss) MB (peak sampled $peak)"
for t in 10 40 70; do sleep $(( t == 10 ? 10 : 30 )); echo "$label: idle ${t}s rss=$(rss) MB"; done
kill $pid; wait $pid 2>/dev/null
grep -h "Gave" $dir/out.log | head -3
rm -rf $dir
