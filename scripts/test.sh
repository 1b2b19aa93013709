#!/usr/bin/env bash
# The full test suite on a fresh machine: installs what is missing (npm packages, PostgreSQL,
# livekit-server and stripe-mock at pinned tags, Chromium), builds the package, then runs
#   1. the agency check (npm pack + install into a scratch site; needs the npm registry),
#   2. every other suite inside a private network namespace with its own services.
# `--bench` runs the benchmarks in bench/ instead of the tests.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_node_deps
ensure_services_installed
ensure_chromium
command -v unshare >/dev/null || apt_install util-linux
command -v ip >/dev/null || apt_install iproute2

log "building the package"
npm run --silent build

if [ "${1:-}" = "--bench" ]; then
  as_root unshare --net bash scripts/netns.sh bash scripts/inside-netns.sh bench
  exit
fi

REPORTS="$(mktemp -d /tmp/payload-livekit-reports.XXXXXX)"
chmod 777 "$REPORTS"
export REPORTS

log "agency check: npm pack, install into a scratch site, type-check its config"
npx vitest run --project agency --reporter=default --reporter=json --outputFile.json="$REPORTS/agency.json" || true

log "unit, integration and browser suites inside the test network namespace"
as_root unshare --net bash scripts/netns.sh bash scripts/inside-netns.sh test || true

node scripts/summarize.mjs "$REPORTS/agency.json" "$REPORTS/netns.json" "$REPORTS/browser.json"
# Screenshots of the browser tests: artifacts/screens/*.png
