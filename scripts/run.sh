#!/usr/bin/env bash
# make run (after make setup): the Huey consumer in the background, the demo logins, gunicorn in front.
# Ctrl-C (or TERM to this script) stops both.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$QP_ROOT"

load_dotenv
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-qualityplan.config.django.local}"
if [[ -z "${ALLOWED_HOSTS:-}" ]]; then
    case "$HOST" in
        0.0.0.0 | ::) export ALLOWED_HOSTS='*' ;;
        *) export ALLOWED_HOSTS="127.0.0.1,localhost,$HOST" ;;
    esac
fi

pids=()
stop() {
    trap - EXIT INT TERM
    if ((${#pids[@]})); then
        kill "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

log "starting the job queue (manage.py run_huey)"
"$BIN/python" manage.py run_huey --quiet &
pids+=($!)

"$BIN/python" manage.py demo_logins
log "serving http://$HOST:$PORT/ (gunicorn, $DJANGO_SETTINGS_MODULE); Ctrl-C stops"
"$BIN/gunicorn" qualityplan.config.wsgi \
    --bind "$HOST:$PORT" --workers "${WEB_WORKERS:-2}" --threads "${WEB_THREADS:-4}" \
    --timeout 120 --no-control-socket --access-logfile - --error-logfile - &
pids+=($!)
wait -n "${pids[@]}"
