#!/usr/bin/env bash
# cluster.sh up|down|env: a throwaway scale-out deployment on this machine (issue 19; docs/scaling.md).
#
#   up    PostgreSQL (initdb in the cluster dir, run as `postgres` when root), redis-server, moto's S3-compatible
#         server (a bucket is created), migrate + bootstrap --demo, two gunicorn nodes on different ports and one
#         Huey consumer (run_huey on Redis). Every port is a free one on 127.0.0.1. Writes $CLUSTER_DIR/cluster.env
#         (the settings every process got, plus NODE_A_URL, NODE_B_URL and the ports) and prints its path.
#   down  stops every process it started (by the pids it recorded) and deletes the cluster dir.
#   env   prints the env file's path.
#
# CLUSTER_DIR (default ${TMPDIR:-/tmp}/qualityplan-cluster) holds the data, the logs and the pid files; nothing is
# written under the checkout's var/. CLUSTER_DEMO=0 skips bootstrap (an empty database, migrated); a comma list of
# apps (CLUSTER_DEMO=orgs) loads units, the shipped plans and only those apps' demo data.
# CLUSTER_WEB_WORKERS / CLUSTER_WEB_THREADS size each node (default 1 × 4).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$QP_ROOT"

CLUSTER_DIR="${CLUSTER_DIR:-${TMPDIR:-/tmp}/qualityplan-cluster}"
ENV_FILE="$CLUSTER_DIR/cluster.env"
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
    as_pg=(runuser -u postgres --)
fi

free_port() {
    "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {  # wait_port PORT PID WHAT
    local port="$1" pid="$2" what="$3" i
    for ((i = 0; i < 300; i++)); do
        if "$BIN/python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), timeout=0.5)" 2>/dev/null; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { tail -n 40 "$CLUSTER_DIR/logs/$what.log" >&2 || true; die "$what exited"; }
        sleep 0.2
    done
    die "$what did not listen on 127.0.0.1:$port"
}

start() {  # start NAME COMMAND...: in its own session (process group), output to logs/NAME.log, pid recorded
    local name="$1"
    shift
    setsid "$@" >"$CLUSTER_DIR/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$CLUSTER_DIR/pids/$name"
}

stop_all() {
    local f pid name
    [[ -d "$CLUSTER_DIR/pids" ]] || return 0
    # the web nodes and the consumer first (they hold connections), then the services
    for name in node-a node-b huey moto redis; do
        f="$CLUSTER_DIR/pids/$name"
        [[ -f "$f" ]] || continue
        pid="$(cat "$f")"
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            kill -KILL -- "-$pid" 2>/dev/null || true
        fi
        rm -f "$f"
    done
    if [[ -f "$CLUSTER_DIR/pg/data/postmaster.pid" ]]; then
        local pg_bin
        pg_bin="$(pg_bindir)"
        (cd "$CLUSTER_DIR" && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$CLUSTER_DIR/pg/data" -m fast -w -t 30 stop >/dev/null 2>&1) \
            || (cd "$CLUSTER_DIR" && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$CLUSTER_DIR/pg/data" -m immediate -w stop >/dev/null 2>&1) \
            || true
    fi
}

cmd_down() {
    [[ -d "$CLUSTER_DIR" ]] || { log "no cluster at $CLUSTER_DIR"; return 0; }
    log "stopping the cluster in $CLUSTER_DIR"
    stop_all
    rm -rf "$CLUSTER_DIR"
}

cmd_up() {
    [[ ! -e "$CLUSTER_DIR/pids" ]] || die "a cluster is already up in $CLUSTER_DIR (scripts/cluster.sh down first)"
    local pg_bin redis_server moto_server
    pg_bin="$(pg_bindir)" || die "PostgreSQL not found (apt-get install postgresql)"
    redis_server="$(command -v redis-server || echo /usr/bin/redis-server)"
    [[ -x "$redis_server" ]] || die "redis-server not found (apt-get install redis-server)"
    moto_server="$BIN/moto_server"
    [[ -x "$moto_server" ]] || die "$moto_server not found (moto[server] is in the dev extra: make setup)"
    mkdir -p "$CLUSTER_DIR"/{logs,pids,var,pg}
    chmod 755 "$CLUSTER_DIR" "$CLUSTER_DIR/pg"
    trap 'rc=$?; if ((rc)); then warn "cluster up failed: stopping what started"; stop_all; fi' EXIT

    # 1. PostgreSQL, as scripts/with-postgres.sh starts it (PostgreSQL refuses to run as root)
    local pg_port redis_port s3_port port_a port_b
    pg_port="$(free_port)"
    if ((${#as_pg[@]})); then
        id -u postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        chown postgres: "$CLUSTER_DIR/pg"
    fi
    log "PostgreSQL on 127.0.0.1:$pg_port"
    (cd "$CLUSTER_DIR/pg" && "${as_pg[@]}" "$pg_bin/initdb" -D "$CLUSTER_DIR/pg/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$CLUSTER_DIR/logs/initdb.log" 2>&1) || { cat "$CLUSTER_DIR/logs/initdb.log" >&2; die "initdb failed"; }
    (cd "$CLUSTER_DIR/pg" && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$CLUSTER_DIR/pg/data" -l "$CLUSTER_DIR/pg/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $CLUSTER_DIR/pg -c fsync=off -c synchronous_commit=off -c max_connections=100" \
        >/dev/null) || { cat "$CLUSTER_DIR/pg/server.log" >&2; die "PostgreSQL did not start"; }
    (cd "$CLUSTER_DIR/pg" && "${as_pg[@]}" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$CLUSTER_DIR/pg" -p "$pg_port" -U postgres \
        -d postgres -c "CREATE ROLE qualityplan LOGIN PASSWORD 'qualityplan' CREATEDB" \
        -c "CREATE DATABASE qualityplan OWNER qualityplan")

    # 2. Redis (no persistence) and 3. the S3-compatible server (moto, in memory)
    redis_port="$(free_port)"
    log "redis-server on 127.0.0.1:$redis_port"
    start redis "$redis_server" --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
        --dir "$CLUSTER_DIR" --daemonize no --protected-mode yes
    wait_port "$redis_port" "$(cat "$CLUSTER_DIR/pids/redis")" redis
    s3_port="$(free_port)"
    log "moto S3 server on 127.0.0.1:$s3_port"
    start moto "$moto_server" -H 127.0.0.1 -p "$s3_port"
    wait_port "$s3_port" "$(cat "$CLUSTER_DIR/pids/moto")" moto

    port_a="$(free_port)"
    port_b="$(free_port)"
    while [[ "$port_b" == "$port_a" ]]; do port_b="$(free_port)"; done
    cat >"$ENV_FILE" <<EOF
# scripts/cluster.sh up: the settings of every process of this cluster (source with set -a).
DJANGO_SETTINGS_MODULE=qualityplan.config.django.local
DEBUG=false
SECRET_KEY=cluster-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
ALLOWED_HOSTS=127.0.0.1,localhost
VAR_DIR=$CLUSTER_DIR/var
DATABASE_URL=postgres://qualityplan:qualityplan@127.0.0.1:$pg_port/qualityplan
CACHE_URL=redis://127.0.0.1:$redis_port/1
HUEY_REDIS_URL=redis://127.0.0.1:$redis_port/0
MEDIA_STORAGE=s3
AWS_S3_ENDPOINT_URL=http://127.0.0.1:$s3_port
AWS_S3_REGION_NAME=us-east-1
AWS_STORAGE_BUCKET_NAME=qualityplan
AWS_ACCESS_KEY_ID=cluster
AWS_SECRET_ACCESS_KEY=cluster
CLUSTER_DIR=$CLUSTER_DIR
PG_PORT=$pg_port
REDIS_PORT=$redis_port
S3_PORT=$s3_port
NODE_A_URL=http://127.0.0.1:$port_a
NODE_B_URL=http://127.0.0.1:$port_b
EOF
    set -a
    # shellcheck disable=SC1090
    source "$ENV_FILE"
    set +a
    unset DATABASE_REPLICA_URL HUEY_IMMEDIATE MEDIA_ROOT FILES_SERVE

    "$BIN/python" -c 'import os, boto3
boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name="us-east-1").create_bucket(
    Bucket=os.environ["AWS_STORAGE_BUCKET_NAME"])'
    log "migrate"
    "$BIN/python" manage.py migrate --noinput -v 0
    if [[ "${CLUSTER_DEMO:-1}" != 0 ]]; then
        local demo_args=(--demo)
        # CLUSTER_DEMO=orgs,plans: units, the shipped plans and only these apps' demo data (orgs: the demo users)
        [[ "${CLUSTER_DEMO:-1}" == 1 ]] || demo_args+=(--demo-apps "$CLUSTER_DEMO")
        log "bootstrap ${demo_args[*]}"
        "$BIN/python" manage.py bootstrap "${demo_args[@]}" >"$CLUSTER_DIR/logs/bootstrap.log" 2>&1 \
            || { tail -n 40 "$CLUSTER_DIR/logs/bootstrap.log" >&2; die "bootstrap ${demo_args[*]} failed"; }
    fi

    # 4. the Huey consumer and two web nodes (static files from the source tree: whitenoise, finders off DEBUG)
    log "Huey consumer (run_huey on Redis)"
    start huey "$BIN/python" manage.py run_huey --workers 2
    local name port
    for name in node-a node-b; do
        port="$port_a"
        [[ "$name" == node-b ]] && port="$port_b"
        log "$name: gunicorn on 127.0.0.1:$port"
        start "$name" "$BIN/gunicorn" qualityplan.config.wsgi --bind "127.0.0.1:$port" \
            --workers "${CLUSTER_WEB_WORKERS:-1}" --threads "${CLUSTER_WEB_THREADS:-4}" --timeout 120 \
            --no-control-socket --access-logfile - --error-logfile -
    done
    wait_port "$port_a" "$(cat "$CLUSTER_DIR/pids/node-a")" node-a
    wait_port "$port_b" "$(cat "$CLUSTER_DIR/pids/node-b")" node-b
    kill -0 "$(cat "$CLUSTER_DIR/pids/huey")" 2>/dev/null || { tail -n 40 "$CLUSTER_DIR/logs/huey.log" >&2; die "run_huey exited"; }
    trap - EXIT
    log "cluster up: node A $NODE_A_URL, node B $NODE_B_URL (scripts/cluster.sh down stops it)"
    echo "$ENV_FILE"
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    env) echo "$ENV_FILE" ;;
    *) die "usage: $0 up|down|env   (CLUSTER_DIR=${CLUSTER_DIR})" ;;
esac
