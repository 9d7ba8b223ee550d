#!/usr/bin/env bash
# Everything beyond Python: Graphviz (SVG workflow diagrams), Debian's Chromium (browser and accessibility tests;
# Playwright's own browser download cannot work offline) and the npm packages in package.json (GOV.UK Frontend,
# axe-core). Installs with apt-get when run as root; otherwise says what to install. Safe to run repeatedly. No Docker
# packages: the tests check docker-compose.yml against the Compose specification's JSON schema, shipped with them.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
[ -x /usr/bin/chromium ] || need+=(chromium)
# grep reads all of its input (no -q): under pipefail, a grep that quits early can kill fc-list or ldconfig with
# SIGPIPE and fail the check although the font or library is there.
fc-list : family 2>/dev/null | grep -i dejavu >/dev/null || need+=(fonts-dejavu-core)
# WeasyPrint (tagged PDF documents) draws text with Pango.
ldconfig -p 2>/dev/null | grep 'libpangoft2-1.0' >/dev/null || need+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)      # reminders: fault tests run their own Redis
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${need[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
  else
    echo "Please install: ${need[*]} (for example: sudo apt-get install ${need[*]})" >&2
  fi
fi

if command -v npm >/dev/null 2>&1; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --silent
  fi
else
  echo "Please install Node.js and npm (GOV.UK Frontend and axe-core come from npm)" >&2
fi
