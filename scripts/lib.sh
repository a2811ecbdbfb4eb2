# Shared set-up for scripts/run and scripts/test: installs what is missing (and skips what is
# there), and runs a private PostgreSQL cluster under .data/. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Versions that build here (see ../shared/toolchain.md); bump together with Cargo.toml.
TOOLCHAIN="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
CARGO_LEPTOS_VERSION="0.3.11"
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen *= *"=\(.*\)"/\1/p' Cargo.toml)"

DATA_DIR="${DATA_DIR:-$ROOT/.data}"
PGPORT="${PGPORT:-54329}"
PG_DB_USER="fostering"
PG_DB_PASSWORD="fostering-local-only"

export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# A shared target directory lets repeated runs (and CI on the same machine) reuse builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  # Installs Debian packages that are missing, updating the package lists once.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_rust() {
  command -v rustup >/dev/null || { echo "rustup is required: https://rustup.rs" >&2; exit 1; }
  if ! rustup toolchain list | grep -q "^$TOOLCHAIN"; then
    log "Installing Rust $TOOLCHAIN"
    rustup toolchain install "$TOOLCHAIN" --profile minimal \
      --component rustfmt,clippy --target wasm32-unknown-unknown
  fi
  rustup target list --installed --toolchain "$TOOLCHAIN" | grep -q wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown --toolchain "$TOOLCHAIN"
}

ensure_cargo_tools() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "Installing cargo-leptos $CARGO_LEPTOS_VERSION (a cold build takes about 20 minutes)"
    # no_downloads: a missing helper tool is a clear error, not a hang on an unreachable host.
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    log "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_node_modules() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "Installing npm packages (Playwright, binaryen's wasm-opt)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_install postgresql
  fi
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
}

# Runs a command as the cluster's owner: PostgreSQL refuses to run as root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The cluster's data and socket folders, links resolved (see pg_start).
pg_data() { readlink -f "$DATA_DIR/pg"; }
pg_sock() { readlink -f "$DATA_DIR/pg-socket"; }

# Starts (initialising on first use) the private cluster and makes sure the app's role exists.
pg_start() {
  ensure_postgres
  local pgdata="$DATA_DIR/pg" sock="$DATA_DIR/pg-socket"
  mkdir -p "$DATA_DIR"
  if [ "$(id -u)" = 0 ] && [ ! -e "$pgdata" ] && ! runuser -u postgres -- test -x "$DATA_DIR"; then
    # The cluster runs as `postgres`, which cannot reach a checkout inside a private home
    # folder: keep the files where it can, linked from .data/.
    local elsewhere="/var/tmp/fostering-hub-$(echo "$ROOT" | sha1sum | cut -c1-12)"
    log "PostgreSQL cannot reach $DATA_DIR; keeping its files in $elsewhere"
    mkdir -p "$elsewhere/pg" "$elsewhere/pg-socket"
    ln -sfn "$elsewhere/pg" "$pgdata"
    ln -sfn "$elsewhere/pg-socket" "$sock"
  fi
  mkdir -p "$pgdata" "$sock"
  pgdata="$(pg_data)" sock="$(pg_sock)"
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    log "Creating a private PostgreSQL cluster in $pgdata"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdata" "$sock"
    chmod 700 "$pgdata"
    as_pg "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    log "Starting PostgreSQL on 127.0.0.1:$PGPORT"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$sock"
    as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $sock -c max_connections=300 -c fsync=${PG_FSYNC:-on}" >/dev/null
  fi
  as_pg "$PG_BIN/psql" -h "$sock" -p "$PGPORT" -U postgres -d postgres -qtAc \
    "select 1 from pg_roles where rolname = '$PG_DB_USER'" | grep -q 1 \
    || as_pg "$PG_BIN/psql" -h "$sock" -p "$PGPORT" -U postgres -d postgres -qc \
      "create role $PG_DB_USER login createdb password '$PG_DB_PASSWORD'"
}

pg_stop() {
  ensure_postgres
  as_pg "$PG_BIN/pg_ctl" -D "$(pg_data)" -m fast stop >/dev/null 2>&1 || true
}

# Creates database $1 on the private cluster if it does not exist; prints its URL.
pg_database() {
  local db="$1" sock
  sock="$(pg_sock)"
  ensure_postgres
  as_pg "$PG_BIN/psql" -h "$sock" -p "$PGPORT" -U postgres -d postgres -qtAc \
    "select 1 from pg_database where datname = '$db'" | grep -q 1 \
    || as_pg "$PG_BIN/psql" -h "$sock" -p "$PGPORT" -U postgres -d postgres -qc \
      "create database $db owner $PG_DB_USER" >/dev/null
  echo "postgres://$PG_DB_USER:$PG_DB_PASSWORD@127.0.0.1:$PGPORT/$db"
}

# Makes the cluster's template1 hold every migration, so that each test's fresh database (sqlx's
# `create database`, which copies template1) starts migrated and sqlx's migrator finds nothing to
# do: a test's set-up falls from about three seconds (forty migrations) to a copy. Rebuilt, with
# SERVER_BIN's own `migrate`, whenever migrations/ changes (template1's comment holds its hash).
# Databases made later for the local run and the browser tests are copies too, and migrate as
# before (there is nothing left to apply). The benchmarks copy template0 instead: the release
# build they measure may be older or newer than the migrations template1 holds.
pg_test_template() { # SERVER_BIN
  local bin="$1" sock hash current
  sock="$(pg_sock)"
  ensure_postgres
  hash="migrations $(cat "$ROOT"/migrations/*.sql | sha256sum | cut -c1-16)"
  current="$(as_pg "$PG_BIN/psql" -h "$sock" -p "$PGPORT" -U postgres -d postgres -qtAc \
    "select coalesce(shobj_description(oid, 'pg_database'), '') from pg_database where datname = 'template1'")"
  [ "$current" = "$hash" ] && return 0
  log "Migrating the cluster's template database (each test's database starts as a copy of it)"
  as_pg "$PG_BIN/psql" -h "$sock" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "alter database template1 is_template false" -c "drop database template1" \
    -c "create database template1 owner $PG_DB_USER template template0 is_template true" >/dev/null
  DATABASE_URL="postgres://$PG_DB_USER:$PG_DB_PASSWORD@127.0.0.1:$PGPORT/template1" RUST_LOG=warn REQUIRE_TWO_FACTOR=false \
    "$bin" migrate >/dev/null
  as_pg "$PG_BIN/psql" -h "$sock" -p "$PGPORT" -U postgres -d postgres -qc \
    "comment on database template1 is '$hash'" >/dev/null
}

# Loads KEY=VALUE lines from .env if present (never committed; see .env.example).
load_env_file() {
  if [ -f "$ROOT/.env" ]; then set -a; . "$ROOT/.env"; set +a; fi
}
