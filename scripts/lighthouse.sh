#!/usr/bin/env bash
# lighthouse.sh — Lighthouse (mobile) performance and accessibility of four pages, and what
# each page transfers on a first visit, against this checkout on a private database.
#
#   scripts/lighthouse.sh            (about 2 minutes per run of the four pages)
#
# It (a) installs Lighthouse 12.2.3 from npm with `npm ci` into scripts/lighthouse/node_modules
# (pinned by scripts/lighthouse/package-lock.json; git-ignored), (b) builds the server, (c)
# starts a PRIVATE PostgreSQL cluster (scripts/pg.sh with PG_SKIP_LOCAL=1 on its own port and
# data directory; never the server on :5432) with a fresh database, migrates it and seeds the
# demo organisation, (d) starts the server (not in dev mode) on 127.0.0.1, (e) signs in as the
# leader, a PM and the HR partner through the API, and (f) runs Lighthouse's mobile preset
# (simulated slow 4G and 4x CPU slowdown: Lighthouse's defaults) with Debian's Chromium on
#
#   sign-in page        /login                  (no session)
#   leader's dashboard  /teams/<Growth's id>    as leader@demo.test
#   PM's profile        /me/profile             as pm@demo.test
#   HR's page           /hr                     as hr@demo.test
#
# passing the session cookie with --extra-headers. Each run starts from an empty cache (a first
# visit). It prints, per page, the median over the runs of the performance and accessibility
# scores, LCP, TBT and the total bytes transferred (Lighthouse's total-byte-weight: every
# response's transfer size, headers included), and the accessibility audits that failed.
# At the end the server is stopped, the database dropped, and the cluster stopped if this
# run started it. Reports: $LH_OUT/<page>-<run>.report.json.
#
# Environment (defaults in brackets):
#   LH_RUNS      Lighthouse runs per page; the median is printed          [3]
#   LH_PORT      server port                                              [18180]
#   LH_PG_PORT   private cluster port                                     [25441]
#   LH_PG_ROOT   private cluster directory                                [/tmp/teamshape-lighthouse]
#   LH_OUT       where the binary, the server log and the reports go      [$LH_PG_ROOT/run]
#   LH_BIN       a teamshape binary to measure instead of building this checkout (e.g. an
#                older commit's, for a before/after)
#   LH_PAGES     which pages (login dashboard profile hr)                 [all four]
#   LH_FLAGS     more Lighthouse flags, e.g. '--screenEmulation.height=4600' (a screen tall
#                enough that every chart of the dashboard is drawn at load)
#   CHROME_PATH  the browser                                              [/usr/bin/chromium]
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LH_DIR="$REPO/scripts/lighthouse"
RUNS="${LH_RUNS:-3}"
PORT="${LH_PORT:-18180}"
PG_ROOT="${LH_PG_ROOT:-/tmp/teamshape-lighthouse}"
OUT="${LH_OUT:-$PG_ROOT/run}"
PAGES="${LH_PAGES:-login dashboard profile hr}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
LIGHTHOUSE_VERSION=12.2.3
PASSWORD="lighthouse-demo-$$-password"
DB="teamshape_lighthouse_$$"

# The private cluster's port is below Linux's ephemeral range (32768-60999): a client
# connection in TIME-WAIT (the run before) cannot hold it.
SCRIPT=lighthouse.sh PG_PORT_PRIVATE="${LH_PG_PORT:-25441}"
# shellcheck source=scripts/private-server.sh
. "$REPO/scripts/private-server.sh"

# ---------------------------------------------------------------- (a) Lighthouse
command -v npm >/dev/null || die "npm is required (Debian: apt-get install npm)"
[[ -x "$CHROME_PATH" ]] || die "no browser at $CHROME_PATH (make browser installs Debian's chromium)"
LH="$LH_DIR/node_modules/.bin/lighthouse"
if [[ ! -x "$LH" || "$("$LH" --version 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]]; then
	log "installing lighthouse $LIGHTHOUSE_VERSION (npm ci in $LH_DIR)"
	(cd "$LH_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi
[[ "$("$LH" --version)" == "$LIGHTHOUSE_VERSION" ]] || die "lighthouse is not $LIGHTHOUSE_VERSION"

# ---------------------------------------------------------------- (b) build
mkdir -p "$OUT"
if [[ -n "${LH_BIN:-}" ]]; then
	APP="$LH_BIN"
	log "measuring $APP"
else
	APP="$OUT/teamshape"
	log "building into $OUT"
	(cd "$REPO" && go build -o "$APP" ./cmd/teamshape)
fi

# ---------------------------------------------------------------- (c) private database
private_db
export TEAMSHAPE_DEMO_PASSWORD="$PASSWORD"
"$APP" migrate >&2
"$APP" seed-demo >/dev/null
GROWTH="$(psql "$DATABASE_URL" -XAtqc "SELECT t.id FROM teams t JOIN organisations o ON o.id = t.org_id
	WHERE o.slug = 'demo' AND t.name = 'Growth'")"
[[ -n "$GROWTH" ]] || die "no team Growth in the demo organisation"

# ---------------------------------------------------------------- (d) server
start_server "$APP" "$PORT" "$OUT/server.log"

# ---------------------------------------------------------------- (e) sessions
token() { # email → a session token (the session cookie's value)
	curl -fsS "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
		-d "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/'
}
declare -A URL COOKIE
URL[login]="$BASE/login"
URL[dashboard]="$BASE/teams/$GROWTH" COOKIE[dashboard]="$(token leader@demo.test)"
URL[profile]="$BASE/me/profile" COOKIE[profile]="$(token pm@demo.test)"
URL[hr]="$BASE/hr" COOKIE[hr]="$(token hr@demo.test)"

# ---------------------------------------------------------------- (f) Lighthouse runs
# Lighthouse launches Chromium itself (chrome-launcher) with these flags added to its own.
CHROME_FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking"
for name in $PAGES; do
	[[ -n "${URL[$name]:-}" ]] || die "unknown page $name (login dashboard profile hr)"
	args=()
	if [[ -n "${COOKIE[$name]:-}" ]]; then
		args+=(--extra-headers "{\"Cookie\":\"teamshape_session=${COOKIE[$name]}\"}")
	fi
	for ((run = 1; run <= RUNS; run++)); do
		log "$name run $run/$RUNS: ${URL[$name]}"
		# Lighthouse exits non-zero on some page-load warnings; the report says what happened.
		# shellcheck disable=SC2086 # LH_FLAGS is a list of flags
		"$LH" "${URL[$name]}" "${args[@]}" ${LH_FLAGS:-} --quiet --chrome-flags="$CHROME_FLAGS" \
			--only-categories=performance,accessibility --output=json \
			--output-path="$OUT/$name-$run.report.json" >&2 || log "lighthouse exited with $? on $name run $run"
	done
done

node - "$OUT" "$RUNS" $PAGES <<'EOF'
const fs = require('fs');
const [out, runs, ...pages] = process.argv.slice(2);
const median = (xs) => { const s = xs.filter((x) => x != null).sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : NaN; };
const rows = [];
const failed = {};
for (const page of pages) {
  const rs = [];
  for (let i = 1; i <= Number(runs); i++) {
    try { rs.push(JSON.parse(fs.readFileSync(`${out}/${page}-${i}.report.json`, 'utf8'))); } catch (e) { /* a failed run */ }
  }
  if (!rs.length) { rows.push(`| ${page} | no report | | | | | |`); continue; }
  const pick = (f) => median(rs.map(f));
  const a = (r, id) => r.audits[id] && r.audits[id].numericValue;
  const score = (r, c) => (r.categories[c].score == null ? null : Math.round(r.categories[c].score * 100));
  rows.push(`| ${page} | ${pick((r) => score(r, 'performance'))} | ${pick((r) => score(r, 'accessibility'))} | ` +
    `${(pick((r) => a(r, 'largest-contentful-paint')) / 1000).toFixed(1)} s | ${Math.round(pick((r) => a(r, 'total-blocking-time')))} ms | ` +
    `${(pick((r) => a(r, 'total-byte-weight')) / 1000).toFixed(1)} kB | ${rs.length} |`);
  for (const r of rs) {
    for (const ref of r.categories.accessibility.auditRefs) {
      const au = r.audits[ref.id];
      if (ref.weight > 0 && au.score !== null && au.score < 1) { failed[`${page}: ${ref.id} (${au.title})`] = true; }
    }
  }
  const w = rs[rs.length - 1].audits['network-requests'];
  if (w && w.details) {
    console.log(`${page} (last run), transfer per request:`);
    for (const it of w.details.items) {
      console.log(`  ${String(it.transferSize).padStart(8)} B  ${it.resourceType || ''}  ${it.url.replace(/^https?:\/\/[^/]+/, '')}`);
    }
  }
}
console.log('\n| page | performance | accessibility | LCP | TBT | transferred | runs |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
const f = Object.keys(failed);
console.log(f.length ? '\nAccessibility audits failed:\n  ' + f.join('\n  ') : '\nNo accessibility audit failed.');
EOF
log "Lighthouse $LIGHTHOUSE_VERSION, $("$CHROME_PATH" --version 2>/dev/null), load average $(cut -d' ' -f1-3 /proc/loadavg); reports in $OUT"
