# private-server.sh — sourced (not run) by scripts/load.sh and scripts/lighthouse.sh: the
# start-up they share. It runs this checkout's server on a fresh database in a PRIVATE
# PostgreSQL cluster (scripts/pg.sh with PG_SKIP_LOCAL=1 on its own port and data directory;
# never the server on :5432), and undoes all of it when the script exits.
#
# Set before sourcing:
#   SCRIPT   the name its messages start with (e.g. load.sh)
#   PG_ROOT  the private cluster's directory;  PG_PORT_PRIVATE  its port
#   DB       the database to create (dropped at exit)
# Then:
#   private_db          start (or reuse) the cluster, create DB, export DATABASE_URL
#   start_server BIN PORT LOG
#                       serve (not in dev mode, a random signing key) on 127.0.0.1:PORT, wait
#                       until ready; sets SERVER_PID and BASE
#   wait_http URL SECONDS, log, die
# At exit the server (SERVER_PID) and OTHER_PID are stopped, DB dropped, and the cluster
# stopped if this run started it. A script that stops its server itself clears SERVER_PID.
# shellcheck shell=bash

log() { printf '%s: %s\n' "$SCRIPT" "$*" >&2; }
die() { log "error: $*"; exit 1; }

pg() { PG_SKIP_LOCAL=1 PG_PORT="$PG_PORT_PRIVATE" PG_DATA_ROOT="$PG_ROOT" "$REPO/scripts/pg.sh" "$@"; }

SERVER_PID="" OTHER_PID="" STARTED_PG=0 ADMIN_URL=""
cleanup() {
	local rc=$? p
	for p in "$SERVER_PID" "$OTHER_PID"; do
		[[ -n "$p" ]] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	if [[ -n "$ADMIN_URL" ]]; then
		psql "$ADMIN_URL" -Xqc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	fi
	if [[ "$STARTED_PG" == 1 ]]; then pg stop || true; fi
	exit "$rc"
}
trap cleanup EXIT INT TERM

wait_http() { # url seconds
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

private_db() {
	pg status 2>/dev/null || STARTED_PG=1
	ADMIN_URL="$(pg admin)"
	case "$ADMIN_URL" in *:5432/*) die "refusing to use the shared server on :5432" ;; esac
	export DATABASE_URL
	DATABASE_URL="$(pg url "$DB")"
}

start_server() { # binary port log
	export TEAMSHAPE_ADDR="127.0.0.1:$2"
	export TEAMSHAPE_JWT_SECRET
	TEAMSHAPE_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
	unset TEAMSHAPE_DEV
	"$1" serve 2>"$3" &
	SERVER_PID=$!
	BASE="http://127.0.0.1:$2"
	wait_http "$BASE/readyz" 30 || { tail "$3" >&2; die "server did not become ready"; }
}
