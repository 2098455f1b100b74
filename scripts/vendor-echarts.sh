#!/usr/bin/env bash
# Vendors a pinned Apache ECharts build into web/static/vendor/echarts/ so the
# app can serve it itself (no CDN; the app must work offline).
#
# Usage: scripts/vendor-echarts.sh        (run from anywhere inside the repo)
#
# To upgrade: change ECHARTS_VERSION, run once with ECHARTS_SHA256 set to the
# new value printed on mismatch after checking the release, and commit the
# three files it writes (echarts.min.js, LICENSE, VERSION).
set -euo pipefail

ECHARTS_VERSION="5.6.0"
# sha256 of package/dist/echarts.min.js inside echarts-${ECHARTS_VERSION}.tgz
ECHARTS_SHA256="bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${repo_root}/web/static/vendor/echarts"

command -v npm >/dev/null 2>&1 || { echo "vendor-echarts: npm is required" >&2; exit 1; }
command -v sha256sum >/dev/null 2>&1 || { echo "vendor-echarts: sha256sum is required" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT

(
  cd "${tmp}"
  npm pack --silent "echarts@${ECHARTS_VERSION}" >/dev/null
  tar -xzf "echarts-${ECHARTS_VERSION}.tgz" package/dist/echarts.min.js package/LICENSE
)

got="$(sha256sum "${tmp}/package/dist/echarts.min.js" | awk '{print $1}')"
if [[ "${got}" != "${ECHARTS_SHA256}" ]]; then
  echo "vendor-echarts: sha256 mismatch for echarts ${ECHARTS_VERSION} echarts.min.js" >&2
  echo "  want ${ECHARTS_SHA256}" >&2
  echo "  got  ${got}" >&2
  exit 1
fi

mkdir -p "${dest}"
install -m 0644 "${tmp}/package/dist/echarts.min.js" "${dest}/echarts.min.js"
install -m 0644 "${tmp}/package/LICENSE" "${dest}/LICENSE"
# VERSION holds just the version (e.g. for cache-busting query strings);
# the checksum is pinned above.
printf '%s\n' "${ECHARTS_VERSION}" >"${dest}/VERSION"

echo "vendor-echarts: wrote ${dest} (echarts ${ECHARTS_VERSION})"
