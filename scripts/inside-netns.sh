#!/usr/bin/env bash
# Starts the throwaway services inside the test network namespace and runs the suites (or the
# benchmarks) against them. Called by scripts/test.sh; not meant to be run by hand.
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/env.sh"
cd "$ROOT"

RUN_DIR="$(mktemp -d /tmp/payload-livekit-test.XXXXXX)"
chmod 755 "$RUN_DIR"
trap 'cleanup; rm -rf "$RUN_DIR"' EXIT

start_postgres "$RUN_DIR/pg" 54329
start_livekit "$ROOT/livekit.yaml" "${TEST_NODE_IP:-}" "$RUN_DIR/livekit.log"
start_stripe_mock "$RUN_DIR/stripe-mock.log"
# FerretDB, the MongoDB-wire server of the suites, keeps its documents in a database of the
# throwaway PostgreSQL cluster (its SQLite backend works too, about seven times slower here).
run_as_pg "$(pg_bindir)/createdb" -h 127.0.0.1 -p 54329 -U postgres ferretdb
start_ferretdb "$RUN_DIR/ferretdb" 27017 "$RUN_DIR/ferretdb.log" "postgres://postgres@127.0.0.1:54329/ferretdb"
export MONGODB_COMPAT=ferretdb
export LIVEKIT_LOG="$RUN_DIR/livekit.log" LIVEKIT_BIN
log "services up: postgres :54329, livekit :7880 (node ip ${TEST_NODE_IP:-auto}), stripe-mock :12111, ferretdb :27017"

case "${1:-test}" in
  test) # One line per test; Payload's log lines and the services' logs go to artifacts/logs.
        export ARTIFACTS_DIR="$ROOT/artifacts"
        mkdir -p "$ARTIFACTS_DIR/logs"
        # What libraries print straight to stdout, past vitest (rtc-node's JSON log lines, the
        # schema push's spinner), goes to a file too.
        quiet() { awk -v out="$ARTIFACTS_DIR/logs/stdout-chatter.log" \
          '/^\{"level":|Pulling schema from database/ { print >> out; next } { print; fflush() }'; }
        npx vitest run --project unit --project integration --project adversarial --project solo \
          --reporter=verbose --reporter=json --outputFile.json="${REPORTS:-$RUN_DIR}/netns.json" | quiet || true
        # (The solo project's load tests run after the others, one at a time: their time budgets
        # assume the machine to themselves.)
        # The integration and security suites again on SQLite (a database file per test site, in
        # the run's folder), and on PostgreSQL with the hot paths on Payload's database API (the
        # implementation every adapter without a fast path gets).
        log "integration and adversarial suites on SQLite"
        TEST_DATABASE=sqlite TEST_SQLITE_DIR="$RUN_DIR/sqlite" npx vitest run --project integration --project adversarial --project solo \
          --reporter=verbose --reporter=json --outputFile.json="${REPORTS:-$RUN_DIR}/sqlite.json" | quiet || true
        # On MongoDB: FerretDB on a database of the run's PostgreSQL (started above), a database
        # per test site.
        log "integration and adversarial suites on MongoDB (FerretDB)"
        TEST_DATABASE=mongodb npx vitest run --project integration --project adversarial --project solo \
          --reporter=verbose --reporter=json --outputFile.json="${REPORTS:-$RUN_DIR}/mongodb.json" | quiet || true
        log "integration and adversarial suites on PostgreSQL through Payload's database API"
        TEST_HOT_PATHS=generic npx vitest run --project integration --project adversarial --project solo \
          --reporter=verbose --reporter=json --outputFile.json="${REPORTS:-$RUN_DIR}/generic.json" | quiet || true
        # Real browsers against the dev site (next dev on :3100, started by the suite's global setup).
        npx vitest run --project browser \
          --reporter=verbose --reporter=json --outputFile.json="${REPORTS:-$RUN_DIR}/browser.json" | quiet || true
        # The packed plugin in the agency's site: migrations, next build, next start, on each adapter.
        npx vitest run --project production \
          --reporter=verbose --reporter=json --outputFile.json="${REPORTS:-$RUN_DIR}/production.json" | quiet || true
        cp "$RUN_DIR/livekit.log" "$RUN_DIR/stripe-mock.log" "$RUN_DIR/ferretdb.log" "$ARTIFACTS_DIR/logs/" 2>/dev/null || true
        cp "$RUN_DIR/pg/server.log" "$ARTIFACTS_DIR/logs/postgres.log" 2>/dev/null || true ;;
  # BENCH=next (or lifecycle, statement) runs one file; next.bench.ts builds and serves the dev site itself.
  bench) for b in bench/${BENCH:-*}.bench.ts; do [ -e "$b" ] && npx tsx "$b"; done ;;
esac
