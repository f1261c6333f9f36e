#!/usr/bin/env bash
# Install what make test needs from Debian's packages when it is missing:
# PostgreSQL (pg_ctl/initdb), Chromium (/usr/bin/chromium), CJK fonts (Chinese text in screenshots), wrk
# (HTTP load generator for make bench), redis-server (the shared cache and job queue, tests/scaleout) and LibreOffice Writer headless + poppler (the official .docx documents are
# opened and rendered to PDF by a test).
# With CI=true a failed install is an error; locally it is a warning (the browser tests then skip).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHROMIUM="${QUALITYPLAN_CHROMIUM:-/usr/bin/chromium}"
missing=()
pg_bindir >/dev/null || missing+=(postgresql)
[[ -x "$CHROMIUM" ]] || missing+=(chromium)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if command -v fc-list >/dev/null 2>&1; then
    fc-list :lang=zh family 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
else
    missing+=(fonts-noto-cjk)
fi
((${#missing[@]})) || exit 0

log "installing missing system packages: ${missing[*]}"
sudo=()
if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); fi
fi
if [[ "$(id -u)" == 0 || ${#sudo[@]} -gt 0 ]] \
    && "${sudo[@]}" apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    log "installed: ${missing[*]}"
    exit 0
fi
if is_ci; then
    die "could not install ${missing[*]} (CI=true: PostgreSQL and Chromium tests must run)"
fi
warn "could not install ${missing[*]}: the PostgreSQL run and/or the browser tests will be skipped"
