#!/usr/bin/env bash
# build-echarts.sh — builds Teamshape's own ECharts bundle, reproducibly, into
# web/static/vendor/echarts/ (committed: the Go build, `make test` and CI need no npm).
#
#   scripts/build-echarts.sh            build, check the SHA-256, write the bundle
#   scripts/build-echarts.sh --update   build and record the new SHA-256 (after changing
#                                       web/echarts/entry.js, package.json or the lock file)
#
# It also writes the bundle's brotli and gzip forms beside it (.br, .gz), which the server
# sends as they are (see internal/assets).
#
# The bundle holds only what the pages draw: web/echarts/entry.js imports those chart types
# and components from ECharts' npm package (echarts/core, echarts/charts, ...) and exposes
# window.echarts for web/static/js/charts.js. esbuild bundles and minifies it. Both come
# from npm at the exact versions in web/echarts/package.json, their dependencies (zrender,
# tslib) at the versions and integrity hashes of web/echarts/package-lock.json (`npm ci`,
# with no install scripts run), into web/echarts/node_modules (git-ignored).
#
# The same inputs give the same bytes, so web/echarts/SHA256SUMS records the bundle's SHA-256
# (with those of its inputs: entry.js, package.json, package-lock.json) and a build that
# gives anything else fails and writes nothing. web's TestEChartsBundleIsTheBuiltOne checks
# the committed files against SHA256SUMS, so a hand edit of the bundle, or an input changed
# without rebuilding, fails `make test`.
#
# To upgrade ECharts or esbuild: change the version in package.json, run
# `npm install --ignore-scripts` in web/echarts (updates the lock file), then
# `scripts/build-echarts.sh --update`, check the pages (the browser tests) and commit.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${repo}/web/echarts"
dest="${repo}/web/static/vendor/echarts"
name="echarts.custom.min.js"
sumfile="${src}/SHA256SUMS"
bundle="../static/vendor/echarts/${name}" # as SHA256SUMS names it, from web/echarts
update=0
case "${1:-}" in
  --update) update=1 ;;
  "") ;;
  *) echo "usage: $0 [--update]" >&2; exit 2 ;;
esac

command -v npm >/dev/null 2>&1 || { echo "build-echarts: npm is required" >&2; exit 1; }
command -v sha256sum >/dev/null 2>&1 || { echo "build-echarts: sha256sum is required" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT

cd "${src}"
# Exactly the lock file's packages; no install scripts (esbuild's only optimises how its
# binary is found: it runs without it).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
# Relative paths from web/echarts, so nothing about this machine ends up in the output.
# process.env.NODE_ENV: ECharts' development checks and warnings are compiled out, as in
# its own dist builds.
./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2017 \
  --legal-comments=eof --define:process.env.NODE_ENV='"production"' \
  --log-level=warning --outfile="${tmp}/${name}"

got="$(sha256sum "${tmp}/${name}" | awk '{print $1}')"
if [[ "${update}" == 1 ]]; then
  { sha256sum entry.js package.json package-lock.json; printf '%s  %s\n' "${got}" "${bundle}"; } >"${sumfile}"
  echo "build-echarts: recorded ${got} in ${sumfile#"${repo}/"}" >&2
fi
want="$(awk -v f="${bundle}" '$2 == f {print $1}' "${sumfile}")"
if [[ "${got}" != "${want}" ]]; then
  echo "build-echarts: the build is not the recorded one (${sumfile#"${repo}/"})" >&2
  echo "  want ${want}" >&2
  echo "  got  ${got}" >&2
  echo "  (after an intended change: scripts/build-echarts.sh --update)" >&2
  exit 1
fi

# Its compressed forms, served as they are (internal/assets checks at start that they decode
# to the bundle, and compresses it itself if not): brotli's best level takes about a second
# in Go, which every start of the server would pay. Node's zlib: brotli quality 11 and gzip
# level 9. Not in SHA256SUMS: another Node may encode differently, and any valid encoding
# of the bundle will do (internal/assets' TestWebStatic checks they decode to it).
node -e '
const fs = require("fs"), zlib = require("zlib"), f = process.argv[1], b = fs.readFileSync(f);
fs.writeFileSync(f + ".br", zlib.brotliCompressSync(b, { params: {
  [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
  [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }));
fs.writeFileSync(f + ".gz", zlib.gzipSync(b, { level: 9 }));
' "${tmp}/${name}"

mkdir -p "${dest}"
install -m 0644 "${tmp}/${name}" "${dest}/${name}"
install -m 0644 "${tmp}/${name}.br" "${dest}/${name}.br"
install -m 0644 "${tmp}/${name}.gz" "${dest}/${name}.gz"
# Licences of what the bundle contains: ECharts (Apache-2.0, with its NOTICE and the d3
# code in util/number), zrender (BSD-3-Clause); tslib's (0BSD) is in the bundle's last
# comment.
install -m 0644 node_modules/echarts/LICENSE "${dest}/LICENSE"
install -m 0644 node_modules/echarts/NOTICE "${dest}/NOTICE"
install -m 0644 node_modules/echarts/licenses/LICENSE-d3 "${dest}/LICENSE-d3"
install -m 0644 node_modules/zrender/LICENSE "${dest}/LICENSE-zrender"
node -p 'const l = require("./package-lock.json").packages; ["echarts", "zrender", "esbuild"].map((p) => p + " " + l["node_modules/" + p].version).join("\n")' \
  >"${dest}/VERSION"

echo "build-echarts: wrote ${dest#"${repo}/"}/${name} ($(wc -c <"${dest}/${name}") bytes, sha256 ${got};" \
  "brotli $(wc -c <"${dest}/${name}.br"), gzip $(wc -c <"${dest}/${name}.gz"))" >&2
