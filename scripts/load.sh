#!/usr/bin/env bash
# load.sh — measure Teamshape under load on this machine, in one bounded run.
#
#   scripts/load.sh            (about 3 minutes with the defaults)
#
# It (a) builds the server and the tools, (b) starts a PRIVATE PostgreSQL cluster
# (scripts/pg.sh with PG_SKIP_LOCAL=1 on its own port and data directory; never the server
# on :5432) and creates a fresh database in it, (c) migrates, seeds the demo organisation
# and generates a large one (scripts/genorg), (d) starts the server, (e) drives sign-in,
# the team APIs and the team dashboard page at each connection count for a bounded time,
# printing throughput, p50/p90/p99, errors and the server's peak memory (VmHWM) per
# scenario, and (f) does the same against a bare Fiber handler (scripts/ceiling), the
# framework's ceiling on this machine. All traffic goes to 127.0.0.1.
#
# At the end the database is dropped, and the cluster is stopped if this run started it.
# Results: stdout, and $LOAD_OUT/results.md (a Markdown table).
#
# Environment (defaults in brackets):
#   LOAD_CONNS     connection counts              [50 200]
#   LOAD_DURATION  time per scenario              [15s]
#   LOAD_TEAMS     teams of 20 PMs in the generated org [100] (2,000 PMs)
#   LOAD_PORT      server port                    [18080]; the ceiling uses LOAD_PORT+19
#   LOAD_PG_PORT   private cluster port           [25440]
#   LOAD_PG_ROOT   private cluster directory      [/tmp/teamshape-load]
#   LOAD_OUT       where binaries and logs go     [$LOAD_PG_ROOT/run]
#   LOAD_SCENARIOS which scenarios (names below)  [all]
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONNS="${LOAD_CONNS:-50 200}"
DUR="${LOAD_DURATION:-15s}"
TEAMS="${LOAD_TEAMS:-100}"
PMS=$((TEAMS * 20))
PORT="${LOAD_PORT:-18080}"
CEIL_PORT=$((PORT + 19))
PG_ROOT="${LOAD_PG_ROOT:-/tmp/teamshape-load}"
OUT="${LOAD_OUT:-$PG_ROOT/run}"
PASSWORD=demo-password-123
DB="teamshape_load_$$"

# The private cluster's port is below Linux's ephemeral range (32768-60999): a client
# connection in TIME-WAIT (the run before) cannot hold it.
SCRIPT=load.sh PG_PORT_PRIVATE="${LOAD_PG_PORT:-25440}"
# shellcheck source=scripts/private-server.sh
. "$REPO/scripts/private-server.sh"
CEIL_PID=""

# ---------------------------------------------------------------- (a) build
mkdir -p "$OUT"
log "building into $OUT"
(cd "$REPO" && go build -o "$OUT/teamshape" ./cmd/teamshape && go build -o "$OUT/loadgen" ./scripts/loadgen &&
	go build -o "$OUT/ceiling" ./scripts/ceiling && go build -o "$OUT/genorg" ./scripts/genorg)

# ---------------------------------------------------------------- (b) private database
private_db
log "database $DATABASE_URL"

# ---------------------------------------------------------------- (c) schema and data
export TEAMSHAPE_DEMO_PASSWORD="$PASSWORD"
"$OUT/teamshape" migrate >&2
"$OUT/teamshape" seed-demo >/dev/null
"$OUT/genorg" -slug bigco -teams "$TEAMS" -per-team 20 -password "$PASSWORD" >&2

q() { psql "$DATABASE_URL" -XAtqc "$1"; }
q "ANALYZE" # fresh statistics, as a long-running database has
BIG_TEAM="$(q "SELECT m.team_id FROM team_members m JOIN users u ON u.id = m.user_id
	WHERE u.email = 'leader1@bigco.test' AND m.role = 'leader'")"
DEMO_TEAM="$(q "SELECT t.id FROM teams t JOIN organisations o ON o.id = t.org_id WHERE o.slug = 'demo' AND t.name = 'Growth'")"
BIG_MEMBERS="$(q "SELECT count(*) FROM team_members WHERE team_id = $BIG_TEAM AND role = 'member'")"

# ---------------------------------------------------------------- (d) server
start_server "$OUT/teamshape" "$PORT" "$OUT/server.log"

# The dashboard routes may not exist yet on this branch: probe, and fall back.
token="$(curl -fsS "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
	-d "{\"email\":\"leader1@bigco.test\",\"password\":\"$PASSWORD\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')"
has() { [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE$1")" == 200 ]]; }
SHAPE="/api/v1/teams/$BIG_TEAM/shape"
has "$SHAPE" || { log "no $SHAPE on this build; using /api/v1/teams/$BIG_TEAM"; SHAPE="/api/v1/teams/$BIG_TEAM"; }
HEATMAP="/api/v1/teams/$BIG_TEAM/heatmap"
has "$HEATMAP" || { log "no $HEATMAP on this build; using /api/v1/me"; HEATMAP="/api/v1/me"; }

# ---------------------------------------------------------------- (e), (f) scenarios
results="$OUT/results.md"
{
	echo "Run $(date -u +%FT%TZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')),"
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(go version | cut -d' ' -f3); $(psql "$DATABASE_URL" -XAtqc 'show server_version' | cut -d' ' -f1) PostgreSQL;"
	echo "org bigco: $PMS PMs in $TEAMS teams; team $BIG_TEAM has $BIG_MEMBERS members. ${DUR} per scenario."
	echo
	echo '```'
} >"$results"

# CPU time (clock ticks) a process has used: /proc/PID/stat fields 14 and 15.
ticks() {
	local f
	read -r -a f <"/proc/$1/stat" 2>/dev/null || { echo 0; return; }
	echo $((f[13] + f[14]))
}
# the private cluster's processes: the postmaster and its children (backends)
PG_PID="$(head -1 "$PG_ROOT/pg/postmaster.pid")"
pg_pids() { { echo "$PG_PID"; ps -o pid= --ppid "$PG_PID"; } | tr -d ' ' | sort -u; }
HZ="$(getconf CLK_TCK)"
declare -A PG_T0
pg_mark() { # remember each PostgreSQL process's CPU time
	local p
	PG_T0=()
	for p in $(pg_pids); do PG_T0[$p]="$(ticks "$p")"; done
}
pg_spent() { # CPU ticks PostgreSQL processes spent since pg_mark (exited ones not counted)
	local p t=0
	for p in $(pg_pids); do t=$((t + $(ticks "$p") - ${PG_T0[$p]:-0})); done
	echo "$t"
}

# scenario NAME URL CONNS [loadgen flags…]; appends the CPU the server and PostgreSQL
# spent per request (backends that exit during the run are not counted: the pool keeps them)
scenario() {
	local name="$1" url="$2" c="$3"
	shift 3
	if [[ -n "${LOAD_SCENARIOS:-}" && " $LOAD_SCENARIOS " != *" $name "* ]]; then return 0; fi
	local line s0 s1 p n
	s0="$(ticks "${SERVER_PID:-$CEIL_PID}")"
	pg_mark
	line="$("$OUT/loadgen" -name "$name" -url "$url" -c "$c" -d "$DUR" "$@")"
	s1="$(ticks "${SERVER_PID:-$CEIL_PID}")" p="$(pg_spent)"
	n="$(sed -E 's/.* c=[0-9]+ +([0-9]+) req.*/\1/' <<<"$line")"
	line+="$(awk -v s=$((s1 - s0)) -v p="$p" -v n="$n" -v hz="$HZ" \
		'BEGIN { if (n > 0) printf " | CPU/req: server %.2f ms, postgres %.2f ms", 1000 * s / hz / n, 1000 * p / hz / n }')"
	echo "$line" | tee -a "$results"
	sleep 2 # let connections close before the next scenario
}

for c in $CONNS; do
	scenario login "$BASE/api/v1/auth/login" "$c" -pid "$SERVER_PID" -login "leader%d@bigco.test:$TEAMS:$PASSWORD"
	scenario me "$BASE/api/v1/me" "$c" -pid "$SERVER_PID" -token-for "leader1@bigco.test:$PASSWORD"
	scenario shape "$BASE$SHAPE" "$c" -pid "$SERVER_PID" -token-for "leader1@bigco.test:$PASSWORD"
	scenario heatmap "$BASE$HEATMAP" "$c" -pid "$SERVER_PID" -token-for "leader1@bigco.test:$PASSWORD"
	scenario team-page "$BASE/teams/$BIG_TEAM" "$c" -pid "$SERVER_PID" -token-for "leader1@bigco.test:$PASSWORD"
	# As a browser asks for it (Accept-Encoding; every browser sends one): the cached page gzipped.
	scenario team-page-gzip "$BASE/teams/$BIG_TEAM" "$c" -pid "$SERVER_PID" -token-for "leader1@bigco.test:$PASSWORD" -accept-encoding "gzip, deflate, br, zstd"
	scenario demo-team-page "$BASE/teams/$DEMO_TEAM" "$c" -pid "$SERVER_PID" -token-for "leader@demo.test:$PASSWORD"
done
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

"$OUT/ceiling" -addr "127.0.0.1:$CEIL_PORT" &
CEIL_PID=$!
OTHER_PID=$CEIL_PID # stopped at exit (private-server.sh)
wait_http "http://127.0.0.1:$CEIL_PORT/" 30 || die "ceiling server did not start"
for c in $CONNS; do
	scenario ceiling "http://127.0.0.1:$CEIL_PORT/" "$c" -pid "$CEIL_PID"
done
{
	echo '```'
	echo
	echo "shape = GET $SHAPE, heatmap = GET $HEATMAP, team-page = GET /teams/$BIG_TEAM (Bearer),"
	echo "team-page-gzip = the same with a browser's Accept-Encoding (gzip sent);"
	echo "demo-team-page = GET /teams/$DEMO_TEAM; login = POST /api/v1/auth/login over the $TEAMS leaders' accounts."
	echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
} >>"$results"
log "results in $results"
