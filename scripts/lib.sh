# Shared shell helpers for scripts/dev.sh and scripts/test.sh: install what is missing, start the
# real services (PostgreSQL, livekit-server, stripe-mock) and stop them when the caller exits.
# Sourced, not executed.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIVEKIT_TAG="v1.13.5"
STRIPE_MOCK_TAG="v0.197.0"
CACHE_DIR="${PAYLOAD_LIVEKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/payload-plugin-livekit}"
BIN_DIR="$CACHE_DIR/bin"
LIVEKIT_BIN="$BIN_DIR/livekit-server-$LIVEKIT_TAG"
STRIPE_MOCK_BIN="$BIN_DIR/stripe-mock-$STRIPE_MOCK_TAG"
# stripe-mock's own fixtures: tests that need other answers (a processing fee) start a
# stripe-mock of their own with an edited copy.
STRIPE_MOCK_FIXTURES="$BIN_DIR/stripe-mock-$STRIPE_MOCK_TAG-fixtures3.json"
export STRIPE_MOCK_BIN STRIPE_MOCK_FIXTURES
FERRETDB_TAG="v1.24.2"
# (-b3: the wrapper in scripts/ferretdb gained the PostgreSQL backend flag, then FERRETDB_DEBUG)
FERRETDB_BIN="$BIN_DIR/ferretdb-$FERRETDB_TAG-b3"

log() { printf '\033[1m[%s]\033[0m %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "this step needs root: $*"; fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null ||
    die "apt-get is missing; install these packages with your system's package manager: $*"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_node_deps() {
  command -v node >/dev/null || die "Node.js 20 or newer is missing; install it (e.g. apt-get install nodejs npm)."
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
    log "installing npm dependencies (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

# Builds a Go command at a pinned tag once and keeps it in the cache folder.
go_tool() {
  local module="$1" out="$2" name
  [ -x "$out" ] && return 0
  command -v go >/dev/null ||
    die "Go 1.26 or newer is needed to build $(basename "$out"); install it from go.dev/dl and rerun."
  name="$(basename "${module%@*}")"
  log "building $(basename "$out") with go install (first run only, a few minutes)"
  local gobin; gobin="$(mktemp -d)"
  GOBIN="$gobin" GOFLAGS=-mod=mod go install "$module" || die "go install $module failed"
  mkdir -p "$BIN_DIR"
  mv "$gobin/$name" "$out"; rm -rf "$gobin"
}

# The services of the suites: livekit-server, stripe-mock, PostgreSQL, Redis.
ensure_services_installed() {
  ensure_media_services_installed
  ensure_postgres_installed
  # Redis: LiveKit's egress and ingress dispatch goes through it (the egress/ingress tests start
  # their own private server with one).
  if ! command -v redis-server >/dev/null; then
    log "installing Redis from Debian's packages"
    apt_install redis-server
  fi
}

# livekit-server and stripe-mock, built from the Go module proxy: what the dev site always needs.
ensure_media_services_installed() {
  go_tool "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_TAG" "$LIVEKIT_BIN"
  go_tool "github.com/stripe/stripe-mock@$STRIPE_MOCK_TAG" "$STRIPE_MOCK_BIN"
  if [ ! -s "$STRIPE_MOCK_FIXTURES" ]; then
    local dir
    dir="$(GOFLAGS=-mod=mod go mod download -json "github.com/stripe/stripe-mock@$STRIPE_MOCK_TAG" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -s "$dir/embedded/openapi/fixtures3.json" ] ||
      die "stripe-mock's fixtures were not found in the Go module cache ($dir)"
    cp "$dir/embedded/openapi/fixtures3.json" "$STRIPE_MOCK_FIXTURES"
  fi
}

# FerretDB, the MongoDB-wire server the suites can run against where mongod cannot be
# downloaded: embedded through its Go package (scripts/ferretdb; modules pinned by its go.sum).
ensure_ferretdb_built() {
  [ -x "$FERRETDB_BIN" ] && return 0
  command -v go >/dev/null || die "Go 1.26 or newer is needed to build FerretDB; install it from go.dev/dl."
  log "building FerretDB $FERRETDB_TAG (first run only, about a minute)"
  mkdir -p "$BIN_DIR"
  (cd "$ROOT/scripts/ferretdb" && go build -o "$FERRETDB_BIN" .) || die "building FerretDB failed"
}

# start_ferretdb DIR PORT LOG [POSTGRES_URL]: FerretDB on 127.0.0.1:PORT with its SQLite files in
# DIR, or its documents in that PostgreSQL database (measured here: a single-document update
# costs about 50 ms on the SQLite backend, about 7 ms on PostgreSQL).
start_ferretdb() {
  local dir="$1" port="$2" logfile="$3" pgurl="${4:-}"
  mkdir -p "$dir"
  "$FERRETDB_BIN" -listen "127.0.0.1:$port" -dir "$dir" ${pgurl:+-postgresql-url "$pgurl"} >"$logfile" 2>&1 &
  PIDS+=("$!")
  wait_for_port 127.0.0.1 "$port" FerretDB
  # The suites' raw database helper locks what backs the inbox (see test/helpers/rawDatabase.ts).
  export TEST_MONGODB_URI="mongodb://127.0.0.1:$port"
  if [ -n "$pgurl" ]; then export FERRETDB_POSTGRESQL_URL="$pgurl"; else export FERRETDB_DATA_DIR="$dir"; fi
}

ensure_postgres_installed() {
  if ! pg_bindir >/dev/null; then
    log "installing PostgreSQL from Debian's packages"
    apt_install postgresql
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Chromium from Debian's packages"
    apt_install chromium
  fi
  # Emoji (reactions) render as empty boxes in screenshots without a colour emoji font.
  if [ ! -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then
    apt_install fonts-noto-color-emoji
  fi
}

pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  if [ -n "${PG_DATA:-}" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    run_as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PostgreSQL refuses to run as root, so root runs it as the postgres system user.
run_as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else "$@"; fi
}

wait_for_port() {
  local host="$1" port="$2" what="$3" i
  for i in $(seq 1 150); do
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  die "$what did not start listening on $host:$port"
}

# start_postgres DIR PORT: a throwaway cluster, trust auth on loopback only.
start_postgres() {
  PG_DATA="$1"; local port="$2" bindir; bindir="$(pg_bindir)"
  mkdir -p "$(dirname "$PG_DATA")"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DATA"
    run_as_pg "$bindir/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  [ "$(id -u)" = 0 ] && chown -R postgres "$PG_DATA"
  run_as_pg "$bindir/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $PG_DATA -c fsync=off -c max_connections=300" start >/dev/null ||
    die "PostgreSQL did not start; see $PG_DATA/server.log"
  export DATABASE_URI="postgres://postgres@127.0.0.1:$port/postgres"
}

# start_livekit CONFIG NODE_IP LOGFILE
start_livekit() {
  local config="$1" node_ip="$2" logfile="$3"
  "$LIVEKIT_BIN" --config "$config" ${node_ip:+--node-ip "$node_ip"} >"$logfile" 2>&1 &
  PIDS+=("$!")
  wait_for_port 127.0.0.1 7880 livekit-server
}

# start_stripe_mock LOGFILE
start_stripe_mock() {
  "$STRIPE_MOCK_BIN" -http-addr 127.0.0.1:12111 -https-addr 127.0.0.1:12112 >"$1" 2>&1 &
  PIDS+=("$!")
  wait_for_port 127.0.0.1 12111 stripe-mock
}
