#!/usr/bin/env bash
# A bounded schemathesis run against a live server on a copy of the demo database, as the office with an API
# token: every operation of /api/schema/, `not_a_server_error` and `response_schema_conformance` must hold.
# Bounded: few examples per operation, one worker, a hard time limit (SCHEMATHESIS_SECONDS, default 300).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$QP_ROOT"

EXAMPLES="${SCHEMATHESIS_EXAMPLES:-5}"
SECONDS_MAX="${SCHEMATHESIS_SECONDS:-300}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/qualityplan-schemathesis.XXXXXX")"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=qualityplan.config.django.local
export DATABASE_URL="sqlite:///$WORK/db.sqlite3"
export QUALITYPLAN_TODAY="${QUALITYPLAN_TODAY:-2017-11-30}"
if [[ -f var/qualityplan.sqlite3 ]]; then
    "$BIN/python" - "$WORK/db.sqlite3" <<'PY'
import sqlite3, sys
src = sqlite3.connect("var/qualityplan.sqlite3")
dst = sqlite3.connect(sys.argv[1])
src.backup(dst)  # consistent copy of the demo database, even while it is in use
PY
fi
# everything the server writes (stored files, the job queue, temporary files) stays in $WORK, never in the user's var/
export QUALITYPLAN_VAR_DIR="$WORK/var"
"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py bootstrap --demo >/dev/null  # additive: a copied demo database is left as it is
TOKEN="$("$BIN/python" manage.py shell -c "
from rest_framework.authtoken.models import Token
from qualityplan.orgs.models import User
print(Token.objects.get_or_create(user=User.objects.get(username='office'))[0].key)
" | tail -1)"
PORT="$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$BIN/python" manage.py runserver "127.0.0.1:$PORT" --noreload --nothreading >"$WORK/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/schema/" -H "Authorization: Token $TOKEN" && break
    sleep 1
done
rc=0
timeout "$SECONDS_MAX" "$BIN/schemathesis" run "http://127.0.0.1:$PORT/api/schema/" \
    --header "Authorization: Token $TOKEN" \
    --checks not_a_server_error,response_schema_conformance \
    --max-examples "$EXAMPLES" --workers 1 --seed 2017 --suppress-health-check all --phases examples,fuzzing \
    "$@" || rc=$?
if ((rc != 0)); then
    echo "server log (last 40 lines):"
    tail -40 "$WORK/server.log"
fi
exit "$rc"
