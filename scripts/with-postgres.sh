#!/usr/bin/env bash
# with-postgres.sh COMMAND...: run COMMAND against a throwaway PostgreSQL cluster.
# initdb in a fresh temp dir owned by `postgres`, pg_ctl as that user (PostgreSQL refuses root), a free port on
# 127.0.0.1, the unix socket in the temp dir; DATABASE_URL is exported for COMMAND. The cluster is always stopped
# and removed afterwards, whatever COMMAND returns. Exit status: COMMAND's.
# QUALITYPLAN_PG_REPLICA=1 also starts a streaming replica (pg_basebackup -R, hot standby) on a second free port and
# exports DATABASE_REPLICA_URL for COMMAND (the read-replica tests use it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
(($#)) || die "usage: $0 COMMAND [ARGS...]"

PG_BIN="$(pg_bindir)" || die "PostgreSQL not found (pg_ctl/initdb on PATH or under /usr/lib/postgresql/*/bin)"
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    as_pg=(runuser -u postgres --)
fi

PGTMP="$(mktemp -d "${TMPDIR:-/tmp}/qualityplan-pg.XXXXXX")"
chmod 755 "$PGTMP"
[[ ${#as_pg[@]} -eq 0 ]] || chown postgres: "$PGTMP"
CALLER_DIR="$PWD"
cd "$PGTMP"  # the postgres user may not be allowed into the caller's directory
DATA="$PGTMP/data"
started=0
replica_started=0
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if ((replica_started)); then
        (cd "$PGTMP" && "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PGTMP/replica" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    if ((started)); then
        (cd "$PGTMP" && "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    rm -rf "$PGTMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log "starting PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$PORT (in $PGTMP)"
"${as_pg[@]}" "$PG_BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; die "initdb failed"; }
started=1
if ! "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -l "$PGTMP/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    >/dev/null; then
    cat "$PGTMP/server.log" >&2 || true
    die "PostgreSQL did not start"
fi
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGTMP" -p "$PORT" -U postgres -d postgres)
[[ -x "${psql[0]}" ]] || psql[0]=psql
"${as_pg[@]}" "${psql[@]}" -c "CREATE ROLE qualityplan LOGIN PASSWORD 'qualityplan' CREATEDB" \
    -c "CREATE DATABASE qualityplan OWNER qualityplan"

export DATABASE_URL="postgres://qualityplan:qualityplan@127.0.0.1:$PORT/qualityplan"
if [[ "${QUALITYPLAN_PG_REPLICA:-0}" == 1 ]]; then
    RPORT="$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    log "starting a streaming replica on 127.0.0.1:$RPORT"
    "${as_pg[@]}" "$PG_BIN/pg_basebackup" -h "$PGTMP" -p "$PORT" -U postgres -D "$PGTMP/replica" -R -X stream \
        --no-sync >"$PGTMP/basebackup.log" 2>&1 || { cat "$PGTMP/basebackup.log" >&2; die "pg_basebackup failed"; }
    replica_started=1
    "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PGTMP/replica" -l "$PGTMP/replica.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $RPORT -k $PGTMP -c hot_standby=on -c fsync=off" >/dev/null \
        || { cat "$PGTMP/replica.log" >&2; die "the replica did not start"; }
    export DATABASE_REPLICA_URL="postgres://qualityplan:qualityplan@127.0.0.1:$RPORT/qualityplan"
fi
cd "$CALLER_DIR"
set +e
"$@"
rc=$?
set -e
exit "$rc"
