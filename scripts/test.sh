#!/usr/bin/env bash
# The full test suite on a fresh machine: installs what is missing (npm packages, PostgreSQL,
# livekit-server and stripe-mock at pinned tags, Chromium), builds the package, then runs
#   1. the agency check (npm pack + install into a scratch site; needs the npm registry),
#   2. every other suite inside a private network namespace with its own services: unit,
#      integration and adversarial on PostgreSQL, again on SQLite and on PostgreSQL through
#      Payload's database API; the browser suite; the production check (on all three adapters).
# `--bench` runs the benchmarks in bench/ instead of the tests.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_node_deps
ensure_services_installed
ensure_chromium
ensure_ferretdb_built
command -v unshare >/dev/null || apt_install util-linux
command -v ip >/dev/null || apt_install iproute2

log "building the package"
npm run --silent build

if [ "${1:-}" = "--bench" ]; then
  as_root unshare --net bash scripts/netns.sh bash scripts/inside-netns.sh bench
  exit
fi

# Screenshots and logs of this run; the previous run's are replaced.
export ARTIFACTS_DIR="$ROOT/artifacts"
rm -rf "$ARTIFACTS_DIR"
mkdir -p "$ARTIFACTS_DIR/logs"

REPORTS="$(mktemp -d /tmp/payload-livekit-reports.XXXXXX)"
chmod 777 "$REPORTS"
export REPORTS
# The agency's site: installed from the packed tarball by the agency check (which needs the npm
# registry), then built and served on each adapter by the production check inside the namespace.
AGENCY_SITE_DIR="$(mktemp -d /tmp/payload-livekit-agency.XXXXXX)"
export AGENCY_SITE_DIR
trap 'cleanup; rm -rf "$AGENCY_SITE_DIR"' EXIT

log "lint: ESLint, Prettier and the dependency rules (npm run lint)"
lint_status=0
npm run --silent lint > "$ARTIFACTS_DIR/logs/lint.log" 2>&1 || lint_status=$?
[ "$lint_status" = 0 ] || { log "lint failed:"; tail -n 60 "$ARTIFACTS_DIR/logs/lint.log" >&2; }
export LINT_STATUS="$lint_status"

log "agency check: npm pack, install into a scratch site, type-check its config"
npx vitest run --project agency --reporter=verbose --reporter=json --outputFile.json="$REPORTS/agency.json" || true

log "unit, integration and browser suites inside the test network namespace"
as_root unshare --net bash scripts/netns.sh bash scripts/inside-netns.sh test || true

# The summary goes last, after the logs, so the end of the output says which tests failed.
status=0
summary="$(node scripts/summarize.mjs "$REPORTS/agency.json" "$REPORTS/netns.json" "$REPORTS/sqlite.json" "$REPORTS/mongodb.json" "$REPORTS/generic.json" "$REPORTS/browser.json" "$REPORTS/production.json" 2>&1)" || status=$?
if [ "$status" != 0 ]; then
  # A failure is easier to read next to what the services and Payload said at the time.
  # Screenshots of the browser tests are in artifacts/screens/*.png.
  for f in "$ARTIFACTS_DIR"/logs/{livekit,stripe-mock,postgres}.log "$ARTIFACTS_DIR"/next-dev.log; do
    [ -s "$f" ] || continue
    log "last lines of ${f#"$ROOT"/}"
    tail -n 40 "$f" >&2
  done
  # One Payload log per test process; their errors, newest last.
  if compgen -G "$ARTIFACTS_DIR/logs/payload-*.log" >/dev/null; then
    log "Payload's last errors (all lines: artifacts/logs/payload-*.log)"
    cat "$ARTIFACTS_DIR"/logs/payload-*.log | grep -a -E '"level":(50|60)|ERROR' | tail -n 40 >&2 || true
  fi
fi
printf '%s\n' "$summary"
exit "$status"
