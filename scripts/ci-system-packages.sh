#!/usr/bin/env bash
# Installs the Debian packages the browser tests need (Chromium and a CJK font), only when they are missing.
set -euo pipefail
# grep reads fc-list's whole output (no -q): with -q it exits at the first match, fc-list dies of SIGPIPE, and under
# pipefail the font looked missing, so apt-get ran (and upgraded the browser) on machines that had everything.
have_cjk_font() { fc-list 2>/dev/null | grep -i 'wqy' >/dev/null; }
if ! command -v chromium >/dev/null 2>&1 || ! have_cjk_font; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei fontconfig
fi
