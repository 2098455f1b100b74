#!/usr/bin/env bash
# faults.sh — put Teamshape through three faults on a PRIVATE PostgreSQL cluster, bounded
# to about a minute: PostgreSQL restarted under load, the server killed (SIGKILL) in the
# middle of rating batches, and SIGTERM with a request in flight. See scripts/faults/main.go
# for what each checks. Exit status 0 only if all pass.
#
#   scripts/faults.sh [restart] [kill] [drain]
#
# The cluster is scripts/pg.sh with PG_SKIP_LOCAL=1 on its own port and directory (never
# the server on :5432): FAULTS_PG_PORT [25441], FAULTS_PG_ROOT [/tmp/teamshape-faults].
# The server listens on 127.0.0.1:FAULTS_PORT [18180]. Logs: $FAULTS_PG_ROOT/run/.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The private cluster's port is below Linux's ephemeral range (32768-60999): a client
# connection in TIME-WAIT (the run before) cannot hold it.
export PG_SKIP_LOCAL=1 PG_PORT="${FAULTS_PG_PORT:-25441}" PG_DATA_ROOT="${FAULTS_PG_ROOT:-/tmp/teamshape-faults}"
OUT="$PG_DATA_ROOT/run"
DB="teamshape_faults_$$"
PG="$REPO/scripts/pg.sh"

log() { printf 'faults.sh: %s\n' "$*" >&2; }

STARTED_PG=0 ADMIN_URL=""
cleanup() {
	local rc=$?
	if [[ -n "$ADMIN_URL" ]]; then
		env -u DATABASE_URL "$PG" admin >/dev/null 2>&1 || true # the restart test may have left it stopped
		psql "$ADMIN_URL" -Xqc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	fi
	if [[ "$STARTED_PG" == 1 ]]; then "$PG" stop || true; fi
	exit "$rc"
}
trap cleanup EXIT INT TERM

mkdir -p "$OUT"
(cd "$REPO" && go build -o "$OUT/teamshape" ./cmd/teamshape && go build -o "$OUT/faults" ./scripts/faults)
"$PG" status 2>/dev/null || STARTED_PG=1
ADMIN_URL="$("$PG" admin)"
case "$ADMIN_URL" in *:5432/*) log "refusing to use the shared server on :5432"; exit 1 ;; esac
DATABASE_URL="$("$PG" url "$DB")"
export DATABASE_URL TEAMSHAPE_DEMO_PASSWORD=demo-password-123
"$OUT/teamshape" migrate >&2
"$OUT/teamshape" seed-demo >/dev/null
log "database $DATABASE_URL; server logs in $OUT"
timeout 300 "$OUT/faults" -bin "$OUT/teamshape" -db "$DATABASE_URL" -pg "$PG" \
	-port "${FAULTS_PORT:-18180}" -logs "$OUT" "$@"
