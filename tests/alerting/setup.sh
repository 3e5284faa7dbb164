#!/usr/bin/env bash
# Installs the alerting suite's peer: Debian's prometheus-alertmanager (0.25). Installs only what is missing and never
# starts the system service the package ships: the suite runs the binary itself on 127.0.0.1 and stops it by PID.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
if ! dpkg-query -W -f='${Status}' prometheus-alertmanager 2>/dev/null | grep -q 'install ok installed'; then
  if [ "$(id -u)" != 0 ]; then
    echo "tests/alerting/setup.sh: prometheus-alertmanager is missing; run as root or install it" >&2
    exit 1
  fi
  apt-cache show prometheus-alertmanager >/dev/null 2>&1 || apt-get update -qq
  # policy-rc.d 101: the package's post-install must not start the daemon as a service.
  policy=/usr/sbin/policy-rc.d
  created=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1
  fi
  apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null
  if [ -n "$created" ]; then rm -f "$policy"; fi
fi

/usr/bin/prometheus-alertmanager --version 2>&1 | head -1
