#!/usr/bin/env bash
# make setup: .venv with the locked dependencies, front-end assets, database, static files, demo data.
# Idempotent and quick when nothing changed (stamp files skip the installs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$QP_ROOT"

PYTHON="${PYTHON:-python3.11}"
UV_VERSION="${UV_VERSION:-0.13.9}"
SETUP_DB="${SETUP_DB:-1}"  # 0: dependencies and assets only (used by make test)

# 1. Python: .venv + uv + locked dependencies + the project (editable).
if [[ ! -x "$BIN/python" ]]; then
    # $PYTHON first (python3.11 unless given), then any python3 that is 3.11 or newer.
    for candidate in "$PYTHON" python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            PYTHON="$candidate"
            break
        fi
        candidate=""
    done
    [[ -n "$candidate" ]] || die "python3.11 not found: install Python 3.11 (or run: make setup PYTHON=/path/to/python3.11)"
    log "creating .venv with $PYTHON ($("$PYTHON" --version))"
    "$PYTHON" -m venv "$VENV"
fi
"$BIN/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die ".venv has Python < 3.11: remove .venv and run make setup"
if [[ ! -x "$BIN/uv" ]] || [[ "$("$BIN/uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]]; then
    log "installing uv==$UV_VERSION into .venv"
    "$BIN/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" 2>&1 \
        | { grep -v "is ignored: it is neither a file nor a directory" || true; }
    [[ -x "$BIN/uv" ]] || die "could not install uv into .venv"
fi
py_stamp="$VENV/.qualityplan-requirements.sha256"
py_hash="$(files_hash requirements.lock pyproject.toml)-uv$UV_VERSION"
if [[ "$(cat "$py_stamp" 2>/dev/null)" != "$py_hash" ]] || ! "$BIN/python" -c 'import qualityplan, django' 2>/dev/null; then
    log "syncing .venv with requirements.lock"
    # uv itself is not in the lock: name it too, or the sync would uninstall it.
    "$BIN/uv" pip sync --quiet --python "$BIN/python" requirements.lock <(echo "uv==$UV_VERSION")
    "$BIN/uv" pip install --quiet --python "$BIN/python" -e . --no-deps
    echo "$py_hash" >"$py_stamp"
else
    log "python dependencies up to date (requirements.lock unchanged)"
fi

# 2. Front-end assets from the npm registry, copied into qualityplan/static/vendor/ (gitignored).
command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js and npm (Debian: apt-get install nodejs npm)"
npm_stamp="node_modules/.qualityplan-package.sha256"
npm_files=(package.json)
[[ -f package-lock.json ]] && npm_files+=(package-lock.json)
npm_hash="$(files_hash "${npm_files[@]}")"
if [[ "$(cat "$npm_stamp" 2>/dev/null)" != "$npm_hash" ]]; then
    if [[ -f package-lock.json ]]; then
        log "npm ci"
        npm ci --no-audit --no-fund --loglevel=error
    else
        log "npm install (no package-lock.json)"
        npm install --no-audit --no-fund --loglevel=error
    fi
    files_hash "${npm_files[@]}" >"$npm_stamp"
else
    log "node_modules up to date (package-lock.json unchanged)"
fi
vendor=qualityplan/static/vendor
mkdir -p "$vendor"
for pair in \
    node_modules/echarts/dist/echarts.min.js:echarts.min.js \
    node_modules/htmx.org/dist/htmx.min.js:htmx.min.js \
    node_modules/echarts4/map/json/province/hainan.json:hainan.json \
    node_modules/axe-core/axe.min.js:axe.min.js \
    node_modules/swagger-ui-dist/swagger-ui-bundle.js:swagger-ui/swagger-ui-bundle.js \
    node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js:swagger-ui/swagger-ui-standalone-preset.js \
    node_modules/swagger-ui-dist/swagger-ui.css:swagger-ui/swagger-ui.css \
    node_modules/swagger-ui-dist/favicon-32x32.png:swagger-ui/favicon-32x32.png; do
    src="${pair%%:*}" dst="$vendor/${pair##*:}"
    mkdir -p "$(dirname "$dst")"
    [[ -f "$src" ]] || die "$src missing after npm install"
    cmp -s "$src" "$dst" || cp "$src" "$dst"
done

[[ "$SETUP_DB" == 1 ]] || exit 0

# 3. Database, static files, units + the 2017 plan + demo data (all idempotent).
load_dotenv
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-qualityplan.config.django.local}"
log "migrate ($DJANGO_SETTINGS_MODULE)"
"$BIN/python" manage.py migrate --noinput -v 0
log "collectstatic"
"$BIN/python" manage.py collectstatic --noinput -v 0
log "bootstrap --demo"
"$BIN/python" manage.py bootstrap --demo
log "setup done"
