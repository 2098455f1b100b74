#!/usr/bin/env bash
# pg.sh — make sure a PostgreSQL server is reachable and print a connection URL.
#
# Usage:
#   scripts/pg.sh            Print ONE line on stdout: an admin URL to the `postgres`
#   scripts/pg.sh admin      maintenance database, e.g.
#                              postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
#   scripts/pg.sh url DB     Same server; create database DB if it does not exist and
#                            print its URL (DB: letters, digits, _; max 63 chars).
#   scripts/pg.sh stop       Stop the private cluster under .data/ (no-op if not running).
#   scripts/pg.sh status     Tell (on stderr) whether the private cluster runs; exit 0 if so.
#   scripts/pg.sh destroy    Stop the private cluster and delete its data (.data/pg*).
#
# Everything except the URL goes to stderr, so `X=$(scripts/pg.sh)` is safe.
#
# Where the server comes from, first match wins:
#   a. $DATABASE_URL is set: the admin URL is DATABASE_URL with its database swapped for
#      `postgres` (URL form: the path is replaced, user/password/host/port/query kept;
#      key=value form: dbname= is replaced or added). Connection is checked with psql
#      (or pg_isready) when a client is installed; otherwise it is printed unchecked.
#   b. A server answers on 127.0.0.1:5432 (skipped if PG_SKIP_LOCAL=1): users `postgres`
#      then `root` are tried (trust auth); the first that connects is used.
#   c. A private cluster in $REPO/.data/pg on 127.0.0.1:55432, socket in .data/pg-run,
#      log in .data/pg.log; started (or reused if running). PostgreSQL server binaries
#      are taken from /usr/lib/postgresql/<newest>/bin, or Debian's `postgresql`
#      package is installed with apt-get (sudo if not root). As root, the cluster runs
#      as the `postgres` system user (created if missing).
#
# Environment:
#   DATABASE_URL    use this server (step a).
#   PG_SKIP_LOCAL=1 skip step b (use/start the private cluster even if :5432 answers).
#   PG_PORT         private cluster port (default 55432). If it is taken by something
#                   else when the cluster starts, the next free port (up to +20) is used;
#                   a running cluster's real port is always read from postmaster.pid.
#   PG_DATA_ROOT    where the private cluster lives (default $REPO/.data). When run as
#                   root and the postgres user cannot reach it (e.g. a clone under
#                   /root), /var/tmp/teamshape-pg-<hash of repo path> is used instead.
#   PG_VERBOSE=1    more logging on stderr.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_PORT="${PG_PORT:-55432}"
PG_USER=postgres          # superuser name inside the private cluster
WAIT_SECS=30

log()  { printf 'pg.sh: %s\n' "$*" >&2; }
vlog() { [[ "${PG_VERBOSE:-}" == 1 ]] && log "$@"; return 0; }
die()  { log "error: $*"; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# ---------------------------------------------------------------- clients / binaries

# newest /usr/lib/postgresql/N/bin that has program $1
pg_bindir_with() {
	local b v best="" bestv=-1
	for b in /usr/lib/postgresql/*/bin; do
		[[ -x "$b/$1" ]] || continue
		v="${b#/usr/lib/postgresql/}"; v="${v%/bin}"; v="${v%%.*}"
		[[ "$v" =~ ^[0-9]+$ ]] || continue
		if (( v > bestv )); then bestv=$v; best=$b; fi
	done
	[[ -n "$best" ]] && echo "$best"
}

# path of client program $1 (psql, pg_isready), or empty
client() {
	local p
	if p="$(command -v "$1" 2>/dev/null)"; then echo "$p"; return 0; fi
	if p="$(pg_bindir_with "$1")"; then echo "$p/$1"; return 0; fi
	return 1
}

apt_install() {
	local sudo=()
	if ! is_root; then
		command -v sudo >/dev/null 2>&1 || die "need root or sudo to apt-get install $*"
		sudo=(sudo)
	fi
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install PostgreSQL ($*) yourself or set DATABASE_URL"
	log "installing $* with apt-get (this takes a while once)"
	"${sudo[@]}" apt-get update -qq >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

PSQL=""
need_psql() {
	[[ -n "$PSQL" ]] && return 0
	PSQL="$(client psql)" || { apt_install postgresql-client; PSQL="$(client psql)" || die "psql still missing"; }
}

# can_connect URL: true if a trivial query works
can_connect() {
	PGCONNECT_TIMEOUT=5 "$PSQL" "$1" -XAtqc 'select 1' >/dev/null 2>&1
}

# ---------------------------------------------------------------- URL helpers

URL_RE='^(postgres(ql)?://[^/?#]*)(/[^?#]*)?(\?[^#]*)?$'

# with_db CONNSTR DBNAME: the same connection string pointing at DBNAME
with_db() {
	local s="$1" db="$2"
	if [[ "$s" =~ $URL_RE ]]; then
		printf '%s/%s%s\n' "${BASH_REMATCH[1]}" "$db" "${BASH_REMATCH[4]}"
	else
		# key=value form; values with spaces in quotes are not expected for dbname
		s="$(sed -E "s/(^|[[:space:]])dbname[[:space:]]*=[[:space:]]*('[^']*'|[^[:space:]]+)//g" <<<"$s")"
		s="$(sed -E 's/^[[:space:]]+//' <<<"$s")"
		printf '%s%sdbname=%s\n' "$s" "${s:+ }" "$db"
	fi
}

# ---------------------------------------------------------------- step a / b

admin_from_env() {
	local url isready
	url="$(with_db "$DATABASE_URL" postgres)"
	if PSQL="$(client psql)"; then
		can_connect "$url" || die "cannot connect with DATABASE_URL (as $(redact "$url"))"
		vlog "DATABASE_URL server OK"
	elif isready="$(client pg_isready)"; then
		"$isready" -q -t 5 -d "$url" || die "server of DATABASE_URL not ready (pg_isready)"
	else
		log "no psql/pg_isready; not checking DATABASE_URL"
	fi
	echo "$url"
}

redact() { sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$1"; }

port_answers() { # host port
	local isready
	if isready="$(client pg_isready)"; then
		local rc=0
		"$isready" -q -h "$1" -p "$2" -t 2 >/dev/null 2>&1 || rc=$?
		# 0 = accepting, 1 = rejecting (starting up): a server is there; 2/3 = nothing
		[[ $rc -le 1 ]]
		return
	fi
	timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

admin_from_local() {
	port_answers 127.0.0.1 5432 || return 1
	need_psql
	local u url
	for u in postgres root; do
		url="postgres://$u@127.0.0.1:5432/postgres?sslmode=disable"
		if can_connect "$url"; then
			vlog "using local server on :5432 as $u"
			echo "$url"
			return 0
		fi
	done
	log "a server answers on 127.0.0.1:5432 but neither user postgres nor root can log in without a password; using the private cluster"
	return 1
}

# ---------------------------------------------------------------- step c: private cluster

data_root() {
	local root="${PG_DATA_ROOT:-$REPO/.data}"
	if is_root && [[ -z "${PG_DATA_ROOT:-}" ]] && id -u postgres >/dev/null 2>&1; then
		# the postgres user must be able to traverse every parent of the data dir
		if ! runuser -u postgres -- test -x "$REPO" 2>/dev/null; then
			root="/var/tmp/teamshape-pg-$(printf '%s' "$REPO" | sha256sum | cut -c1-12)"
			vlog "postgres user cannot reach $REPO; using $root"
		fi
	fi
	echo "$root"
}

set_paths() {
	ROOT="$(data_root)"
	PGDATA_DIR="$ROOT/pg"
	SOCK_DIR="$ROOT/pg-run"
	LOG_FILE="$ROOT/pg.log"
	# Unix socket paths are limited to 107 bytes.
	if (( ${#SOCK_DIR} + 20 > 100 )); then
		SOCK_DIR="/tmp/teamshape-pg-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
	fi
}

# run a command as the cluster owner (postgres when we are root), from /, without our
# lock fd 9 (the postmaster must not inherit it, or the lock would live as long as it)
as_owner() {
	if is_root; then
		if command -v runuser >/dev/null 2>&1; then
			(cd / && exec 9>&- && runuser -u postgres -- "$@")
		else
			(cd / && exec 9>&- && su -s /bin/sh postgres -c "$(printf '%q ' "$@")")
		fi
	else
		(cd / && exec 9>&- && "$@")
	fi
}

ensure_server_bins() {
	BIN="$(pg_bindir_with initdb || true)"
	if [[ -z "$BIN" || ! -x "$BIN/pg_ctl" || ! -x "$BIN/postgres" ]]; then
		apt_install postgresql
		BIN="$(pg_bindir_with initdb)" || die "initdb not found after installing postgresql"
	fi
	vlog "server binaries: $BIN"
}

ensure_pg_user() {
	is_root || return 0
	if ! id -u postgres >/dev/null 2>&1; then
		log "creating system user postgres"
		useradd -r -m -s /bin/bash postgres
	fi
}

# port of the running private cluster, from postmaster.pid (line 4); empty if none
running_port() {
	local pidfile="$PGDATA_DIR/postmaster.pid" pid port
	[[ -r "$pidfile" ]] || return 1
	pid="$(sed -n 1p "$pidfile")"
	port="$(sed -n 4p "$pidfile")"
	[[ -n "$pid" && -n "$port" ]] || return 1
	kill -0 "$pid" 2>/dev/null || [[ -d "/proc/$pid" ]] || return 1
	echo "$port"
}

private_url() { echo "postgres://$PG_USER@127.0.0.1:$1/${2:-postgres}?sslmode=disable"; }

ready_on() { # port
	local isready
	if isready="$(client pg_isready)"; then
		"$isready" -q -h 127.0.0.1 -p "$1" -U "$PG_USER" -d postgres -t 2 >/dev/null 2>&1
	else
		[[ -n "$PSQL" ]] || PSQL="$(client psql)" || return 1
		can_connect "$(private_url "$1")"
	fi
}

pick_port() {
	local p
	for (( p = PG_PORT; p <= PG_PORT + 20; p++ )); do
		if ! timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null; then
			echo "$p"; return 0
		fi
		log "port $p is taken by another program; trying the next"
	done
	die "no free port in $PG_PORT..$((PG_PORT + 20)); set PG_PORT"
}

init_cluster() {
	log "creating private cluster in $PGDATA_DIR"
	mkdir -p "$PGDATA_DIR"
	is_root && chown postgres: "$PGDATA_DIR"
	chmod 700 "$PGDATA_DIR"
	local common=(--pgdata="$PGDATA_DIR" --auth=trust --username="$PG_USER" -E UTF8)
	if ! as_owner "$BIN/initdb" "${common[@]}" --locale=C.UTF-8 >"$ROOT/initdb.log" 2>&1; then
		log "initdb with --locale=C.UTF-8 failed; retrying with --no-locale"
		rm -rf "${PGDATA_DIR:?}"/* 2>/dev/null || true
		as_owner "$BIN/initdb" "${common[@]}" --no-locale >"$ROOT/initdb.log" 2>&1 ||
			{ cat "$ROOT/initdb.log" >&2; die "initdb failed (log: $ROOT/initdb.log)"; }
	fi
}

start_private() {
	set_paths
	local port
	# fast path: already running
	if port="$(running_port)" && ready_on "$port"; then
		private_url "$port"; return 0
	fi

	ensure_pg_user
	set_paths # again: the postgres user may be new, which can change the data root
	ensure_server_bins
	mkdir -p "$ROOT"
	# serialise concurrent starters
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$ROOT/pg.lock"
		flock -w 90 9 || die "timed out waiting for $ROOT/pg.lock"
		if port="$(running_port)" && ready_on "$port"; then
			private_url "$port"; return 0
		fi
	fi

	[[ -s "$PGDATA_DIR/PG_VERSION" ]] || init_cluster
	mkdir -p "$SOCK_DIR"
	touch "$LOG_FILE"
	if is_root; then chown -R postgres: "$PGDATA_DIR" "$SOCK_DIR" "$LOG_FILE"; fi
	chmod 700 "$PGDATA_DIR"

	if port="$(running_port)"; then
		log "private cluster is running on :$port but not ready yet; waiting"
	else
		port="$(pick_port)"
		log "starting private cluster on 127.0.0.1:$port (log: $LOG_FILE)"
		if ! as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$LOG_FILE" -w -t "$WAIT_SECS" \
			-o "-p $port -k '$SOCK_DIR' -c listen_addresses=127.0.0.1" start >&2; then
			tail -n 30 "$LOG_FILE" >&2 || true
			die "pg_ctl start failed (log: $LOG_FILE)"
		fi
	fi
	local i
	for (( i = 0; i < WAIT_SECS * 4; i++ )); do
		if ready_on "$port"; then private_url "$port"; return 0; fi
		sleep 0.25
	done
	tail -n 30 "$LOG_FILE" >&2 || true
	die "private cluster did not become ready within ${WAIT_SECS}s (log: $LOG_FILE)"
}

stop_private() {
	set_paths
	if ! running_port >/dev/null; then
		log "private cluster ($PGDATA_DIR) is not running"
		return 0
	fi
	BIN="$(pg_bindir_with pg_ctl)" || die "pg_ctl not found"
	log "stopping private cluster ($PGDATA_DIR)"
	as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t "$WAIT_SECS" stop >&2
}

destroy_private() {
	stop_private
	log "removing $PGDATA_DIR, $SOCK_DIR, $LOG_FILE"
	rm -rf "${PGDATA_DIR:?}" "${SOCK_DIR:?}" "${LOG_FILE:?}" "$ROOT/initdb.log" "$ROOT/pg.lock"
	rmdir "$ROOT" 2>/dev/null || true
}

status_private() {
	set_paths
	local port
	if port="$(running_port)"; then
		log "private cluster running on 127.0.0.1:$port (data: $PGDATA_DIR)"
		return 0
	fi
	log "private cluster not running (data: $PGDATA_DIR)"
	return 1
}

# ---------------------------------------------------------------- main

admin_url() {
	if [[ -n "${DATABASE_URL:-}" ]]; then
		admin_from_env; return
	fi
	if [[ "${PG_SKIP_LOCAL:-}" != 1 ]] && admin_from_local; then
		return 0
	fi
	need_psql_soft
	start_private
}

# psql is optional for the private-cluster path (pg_isready suffices), but url DB needs it
need_psql_soft() { PSQL="$(client psql || true)"; }

create_db_url() {
	local db="$1" admin
	[[ "$db" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "bad database name '$db' (letters, digits, _; max 63)"
	admin="$(admin_url)"
	PSQL=""; need_psql
	local q="select 1 from pg_database where datname = '$db'"
	if [[ -z "$("$PSQL" "$admin" -XAtqc "$q")" ]]; then
		log "creating database $db"
		# CREATE DATABASE cannot run inside a transaction: one -c is one autocommit statement
		if ! "$PSQL" "$admin" -Xqc "CREATE DATABASE \"$db\"" >&2; then
			[[ -n "$("$PSQL" "$admin" -XAtqc "$q")" ]] || die "could not create database $db"
		fi
	fi
	with_db "$admin" "$db"
}

cmd="${1:-admin}"
case "$cmd" in
	admin|"") admin_url ;;
	url)
		[[ $# -eq 2 ]] || die "usage: $0 url DBNAME"
		create_db_url "$2" ;;
	stop)   stop_private ;;
	status) status_private ;;
	destroy) destroy_private ;;
	-h|--help|help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2 ;;
	*) die "unknown command '$cmd' (admin | url DBNAME | stop | status | destroy)" ;;
esac
