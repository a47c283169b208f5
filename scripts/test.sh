#!/usr/bin/env bash
# The whole test suite on a fresh machine: provides PostgreSQL (a throwaway cluster), Azurite and Chromium,
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

# --- openssl (the Entra ID blob tests make a self-signed certificate for an https Azurite) ---
if ! command -v openssl >/dev/null; then
  apt_install openssl || { log "openssl is required for the Entra ID blob tests"; exit 1; }
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
stop_azurite() { :; }
trap 'stop_azurite; stop_pg' EXIT
log "starting PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port"
run_pg "$pg_bin/initdb" -D "$pg_dir/data" -U "$pg_user" -A trust -E UTF8 --no-locale >/dev/null
run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
export CONTROLPLANE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=$pg_user;Database=postgres"

# --- Azurite (Azure Blob Storage emulator, pinned): a throwaway blob service in a temp dir on a free loopback port ---
azurite_version=3.37.0
azurite_tools="$root/.tools/azurite"
azurite_installed() { node -p "require('$azurite_tools/node_modules/azurite/package.json').version" 2>/dev/null || true; }
if [ "$(azurite_installed)" != "$azurite_version" ]; then
  command -v npm >/dev/null || apt_install npm || { log "npm is required to install Azurite"; exit 1; }
  log "installing azurite@$azurite_version into $azurite_tools"
  npm install --prefix "$azurite_tools" --no-audit --no-fund --loglevel=error "azurite@$azurite_version" >/dev/null \
    || { log "Azurite is required for the artifact store tests"; exit 1; }
fi
azurite_dir=$(mktemp -d /tmp/controlplane-azurite.XXXXXX)
azurite_port=$(free_port)
log "starting Azurite $azurite_version on 127.0.0.1:$azurite_port"
"$azurite_tools/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$azurite_port" --location "$azurite_dir" \
  --skipApiVersionCheck --loose --silent >"$azurite_dir.log" 2>&1 &
azurite_pid=$!
stop_azurite() { kill "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; rm -rf "$azurite_dir" "$azurite_dir.log"; }
for _ in $(seq 1 60); do
  (echo >"/dev/tcp/127.0.0.1/$azurite_port") 2>/dev/null && break
  kill -0 "$azurite_pid" 2>/dev/null || { cat "$azurite_dir.log" >&2; log "Azurite did not start"; exit 1; }
  sleep 0.5
done
(echo >"/dev/tcp/127.0.0.1/$azurite_port") 2>/dev/null || { log "Azurite did not listen on port $azurite_port"; exit 1; }
# The Entra ID tests start an Azurite of their own that takes bearer tokens over https.
export CONTROLPLANE_TEST_AZURITE_BLOB="$azurite_tools/node_modules/.bin/azurite-blob"
# Azurite's well-known development account (a public key, not a secret).
export CONTROLPLANE_TEST_AZURITE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"

# --- oidc-provider (a real OpenID provider, pinned): the single sign-on tests start it through tests/oidc/provider.mjs ---
oidc_provider_version=9.13.3
oidc_provider_tools="$root/.tools/oidc-provider"
oidc_provider_installed() { node -p "require('$oidc_provider_tools/node_modules/oidc-provider/package.json').version" 2>/dev/null || true; }
if [ "$(oidc_provider_installed)" != "$oidc_provider_version" ]; then
  command -v npm >/dev/null || apt_install npm || { log "npm is required to install oidc-provider"; exit 1; }
  log "installing oidc-provider@$oidc_provider_version into $oidc_provider_tools"
  npm install --prefix "$oidc_provider_tools" --no-audit --no-fund --loglevel=error "oidc-provider@$oidc_provider_version" >/dev/null \
    || { log "oidc-provider is required for the single sign-on tests"; exit 1; }
fi
export CONTROLPLANE_TEST_OIDC_PROVIDER="$oidc_provider_tools"

# --- Build once, then every test project ---
log "building"
dotnet build ControlPlane.sln -c Release -nologo -v quiet -clp:ErrorsOnly
# The publish commands of docs/deploy.md, as written: the deployment tests start these outputs.
log "publishing out/web and out/workers"
rm -rf out/web out/workers
dotnet publish src/ControlPlane.Web -c Release -o out/web -nologo -v quiet -clp:ErrorsOnly
dotnet publish src/ControlPlane.Workers -c Release -o out/workers -nologo -v quiet -clp:ErrorsOnly
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
