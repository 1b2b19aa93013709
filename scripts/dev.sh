#!/usr/bin/env bash
# `npm run dev`: the demo site with everything it needs. Installs what is missing, starts
# livekit-server and stripe-mock, seeds an empty database, and runs the Next.js app (Payload
# admin + demo pages) on http://localhost:3000. The database is a SQLite file,
# .services/dev.db, with nothing to install or start; DATABASE_URI (postgres://…) uses another.
# Services stop when this command ends.
#   npm run dev -- --postgres  starts a throwaway PostgreSQL (data kept in .services/pg) and
#                              runs the site on it.
#   npm run dev -- --ferretdb  starts FerretDB, a MongoDB-wire server (built with Go on first use,
#                              data kept in .services/ferretdb), and runs the site on MongoDB.
#   npm run dev -- --netns     runs it all inside the private test network (10.77.0.1), for
#                              looking at media pages with a browser started in that namespace.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

POSTGRES=""
FERRETDB=""
args=()
for a in "$@"; do
  case "$a" in
    --postgres) POSTGRES=1 ;;
    --ferretdb) FERRETDB=1 ;;
    *) args+=("$a") ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"
export DEV_POSTGRES="${POSTGRES:-${DEV_POSTGRES:-}}"
export DEV_FERRETDB="${FERRETDB:-${DEV_FERRETDB:-}}"
ensure_dev_services() {
  ensure_node_deps; ensure_media_services_installed
  [ -z "$DEV_POSTGRES" ] || ensure_postgres_installed
  [ -z "$DEV_FERRETDB" ] || ensure_ferretdb_built
}

if [ "${1:-}" = "--netns" ]; then
  ensure_dev_services
  exec_as=(unshare --net bash scripts/netns.sh bash scripts/dev.sh --inside)
  log "starting inside a private network namespace; enter it with: nsenter --net=/proc/<pid>/ns/net"
  as_root "${exec_as[@]}"
  exit
fi
[ "${1:-}" = "--inside" ] || ensure_dev_services

SITE_DATABASE_URI="${DATABASE_URI:-}"
source "$ROOT/scripts/env.sh"
mkdir -p "$ROOT/.services"
if [ -n "$DEV_POSTGRES" ]; then
  start_postgres "$ROOT/.services/pg" 54329
elif [ -n "$DEV_FERRETDB" ]; then
  start_ferretdb "$ROOT/.services/ferretdb" 27017 "$ROOT/.services/ferretdb.log"
  export DATABASE_URI="mongodb://127.0.0.1:27017/dev" MONGODB_COMPAT=ferretdb
elif [ -n "$SITE_DATABASE_URI" ]; then
  export DATABASE_URI="$SITE_DATABASE_URI"
else
  export DATABASE_URI="file:$ROOT/.services/dev.db"
fi
start_livekit "$ROOT/livekit.yaml" "${TEST_NODE_IP:-${LIVEKIT_NODE_IP:-}}" "$ROOT/.services/livekit.log"
start_stripe_mock "$ROOT/.services/stripe-mock.log"
npx payload generate:importmap >/dev/null

cat >&2 <<INFO

  Admin panel     http://localhost:3000/admin
  Demo pages      http://localhost:3000/
  LiveKit         $LIVEKIT_URL   (key $LIVEKIT_API_KEY, logs .services/livekit.log)
  stripe-mock     $STRIPE_API_BASE
  Database        $DATABASE_URI

  Logins (password: demo-password)
    admin@example.test   platform admin
    host@acme.test       host, tenant Acme Fitness     (cohost@acme.test co-hosts)
    viewer@acme.test     attendee, tenant Acme Fitness
    host@bright.test     host, tenant Bright Academy
    viewer@bright.test   attendee, tenant Bright Academy

INFO
npx next dev dev --port "${PORT:-3000}" --hostname 0.0.0.0
