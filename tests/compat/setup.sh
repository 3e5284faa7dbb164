#!/usr/bin/env bash
# Installs the differential suite's peer: Debian's graphite-web 1.1.8 (Django app), python3-whisper (to write
# its fixtures) and gunicorn (to serve it by hand on loopback). Installs only what is missing; never starts a
# system service (graphite-web ships none; the suite runs gunicorn itself and stops it by PID).
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for pkg in graphite-web python3-whisper python3-gunicorn gunicorn; do
  have "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "tests/compat/setup.sh: missing Debian packages (${missing[*]}); run as root or install them" >&2
    exit 1
  fi
  # Refresh the package lists only when apt does not know a package yet.
  for pkg in "${missing[@]}"; do
    if ! apt-cache show "$pkg" >/dev/null 2>&1; then
      apt-get update -qq
      break
    fi
  done
  # No recommends: graphite-web recommends a web server and a database server, which the suite does not use.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The suite runs Debian's modules with Debian's interpreter (a pyenv python3 on PATH lacks them).
/usr/bin/python3 -c 'import graphite, whisper, gunicorn, django' >/dev/null
