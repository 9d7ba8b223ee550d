#!/usr/bin/env bash
# System packages the project needs beyond Python: Graphviz (SVG workflow diagrams).
# Installs with apt-get when run as root and a package is missing; otherwise says what to install.
set -euo pipefail
need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
else
  echo "Please install: ${need[*]} (for example: sudo apt-get install ${need[*]})" >&2
fi
