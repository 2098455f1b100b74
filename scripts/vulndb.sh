#!/usr/bin/env bash
# vulndb.sh — build a local copy of the Go vulnerability database for `govulncheck -db`.
#
# Usage: scripts/vulndb.sh VERSION [DIR]      (make vulncheck calls it)
#   VERSION  a version of the golang.org/x/vulndb module: a pinned pseudo-version (what the
#            Makefile passes) or a query such as `latest`.
#   DIR      where the database goes; default $REPO/.data/vulndb (git-ignored).
#
# govulncheck reads vuln.go.dev unless told otherwise; machines here reach only the Go module
# proxy. The advisories themselves are a Go module: golang.org/x/vulndb keeps every report as
# OSV JSON under data/osv/ (generated from data/reports/*.yaml by the vulndb team's own
# tooling and committed). Its command cmd/indexdb turns such a folder into a database in the
# v1 layout that `govulncheck -db file:///DIR` reads:
#   DIR/index/db.json, DIR/index/modules.json, DIR/index/vulns.json   (+ .gz of each)
#   DIR/ID/GO-YYYY-NNNN.json                                          (+ .gz of each)
# Both the module and indexdb come through the module proxy, pinned to the same version.
#
# One fix-up after indexdb: the committed OSV files carry no "modified" dates (the vulndb
# team's cmd/gendb takes them from the repo's git history, which a module zip does not have),
# so index/db.json would say 0001-01-01 and govulncheck would print that as "DB updated".
# This script writes the time of the vulndb commit it used instead. govulncheck uses that
# date only for display.
#
# The database is built only when DIR is missing or was built from another version
# (DIR/VERSION records which one); then a rebuild replaces it whole. Same version, same bytes.
set -euo pipefail

GO="${GO:-go}"
MODULE=golang.org/x/vulndb

want="${1:?usage: scripts/vulndb.sh VERSION [DIR]}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${2:-$repo_root/.data/vulndb}"
stamp="$out/VERSION"

have=""
if [[ -f "$stamp" && -f "$out/index/modules.json" ]]; then
	have="$(<"$stamp")"
fi
# A pinned version that is already built: nothing to ask the proxy.
if [[ "$have" == "$MODULE@$want" ]]; then
	echo "vulndb: $out is $have (up to date)" >&2
	exit 0
fi

cd "$repo_root"
version="$("$GO" list -m -f '{{.Version}}' "$MODULE@$want")"
if [[ "$have" == "$MODULE@$version" ]]; then
	echo "vulndb: $out is $have (up to date)" >&2
	exit 0
fi

echo "vulndb: building $out from $MODULE@$version" >&2
"$GO" mod download "$MODULE@$version"
src="$("$GO" list -m -f '{{.Dir}}' "$MODULE@$version")"
when="$("$GO" list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' "$MODULE@$version")"
if [[ ! -d "$src/data/osv" ]]; then
	echo "vulndb: $src has no data/osv folder; has the module's layout changed?" >&2
	exit 1
fi

tmp="$out.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
mkdir -p "$(dirname "$out")"
"$GO" run "$MODULE/cmd/indexdb@$version" -vulns "$src/data/osv" -out "$tmp"

printf '{"modified":"%s"}' "$when" >"$tmp/index/db.json"
gzip -9 -n -c "$tmp/index/db.json" >"$tmp/index/db.json.gz"

count="$(find "$tmp/ID" -name '*.json' | wc -l)"
if [[ "$count" -eq 0 || ! -s "$tmp/index/modules.json" ]]; then
	echo "vulndb: indexdb wrote no entries to $tmp" >&2
	exit 1
fi
echo "$MODULE@$version" >"$tmp/VERSION"

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "vulndb: $out: $count advisories, data as of $when" >&2
