#!/usr/bin/env bash
# The whole test suite on a fresh machine: provides PostgreSQL (a throwaway cluster) and Chromium,
# builds once, runs every test project, and ends with one line "N passed, N failed[, N skipped]".
# In CI (CI=true) a missing prerequisite fails the run instead of being installed or skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/TestResults"
rm -rf "$results"; mkdir -p "$results"

log() { printf '==> %s\n' "$*" >&2; }
as_root() { [ "$(id -u)" = 0 ] && "$@" || sudo "$@"; }

apt_install() {
  log "installing $* from Debian packages"
  as_root apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# --- Chromium (end-to-end tests drive /usr/bin/chromium through Playwright) ---
export CONTROLPLANE_CHROMIUM=${CONTROLPLANE_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CONTROLPLANE_CHROMIUM" ]; then
  apt_install chromium || { log "Chromium is required for the end-to-end tests"; exit 1; }
fi

# --- python3-cryptography (the offline audit export verifier checks ECDSA digest signatures with it) ---
if ! python3 -c "import cryptography" 2>/dev/null; then
  apt_install python3-cryptography || { log "python3-cryptography is required for the audit export verifier tests"; exit 1; }
fi

# --- Prometheus (the telemetry test starts a real server that scrapes the apps) ---
export CONTROLPLANE_PROMETHEUS=${CONTROLPLANE_PROMETHEUS:-/usr/bin/prometheus}
if [ ! -x "$CONTROLPLANE_PROMETHEUS" ]; then
  apt_install --no-install-recommends prometheus || { log "Prometheus is required for the telemetry tests"; exit 1; }
fi

# --- PostgreSQL: a throwaway cluster in a temp dir on a free loopback port ---
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ]; then
  apt_install postgresql || { log "PostgreSQL is required for the integration tests"; exit 1; }
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
pg_dir=$(mktemp -d /tmp/controlplane-pg.XXXXXX)
pg_user=$(id -un)
run_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres system user.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$pg_dir" postgres
  chown postgres "$pg_dir"
  pg_user=postgres
  run_pg() { runuser -u postgres -- "$@"; }
fi
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
pg_port=$(free_port)
stop_pg() { run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_pg EXIT
log "starting PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port"
run_pg "$pg_bin/initdb" -D "$pg_dir/data" -U "$pg_user" -A trust -E UTF8 --no-locale >/dev/null
run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
export CONTROLPLANE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=$pg_user;Database=postgres"

# --- Build once, then every test project ---
log "building"
dotnet build ControlPlane.sln -c Release -nologo -v quiet -clp:ErrorsOnly
status=0
passed=0; failed=0; skipped=0
counter() { grep -o "<Counters [^>]*" "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0; }
for project in tests/*.Tests; do
  name=$(basename "$project")
  log "testing $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    log "$name produced no results: counted as one failure"
    failed=$((failed + 1)); status=1; continue
  fi
  passed=$((passed + $(counter "$trx" passed)))
  failed=$((failed + $(counter "$trx" failed) + $(counter "$trx" error) + $(counter "$trx" timeout) + $(counter "$trx" aborted)))
  skipped=$((skipped + $(counter "$trx" total) - $(counter "$trx" executed)))
done

[ "$failed" -gt 0 ] && status=1
[ "$passed" -eq 0 ] && status=1
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
exit $status
