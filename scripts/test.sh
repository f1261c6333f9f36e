#!/usr/bin/env bash
# make test: system packages, ruff, import-linter, migrations check, pytest on SQLite (with the browser tests),
# pytest on a throwaway PostgreSQL. Every step runs; the script fails if any step failed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$QP_ROOT"

export DJANGO_SETTINGS_MODULE=qualityplan.config.django.test
unset DATABASE_URL
export PYTHONDONTWRITEBYTECODE=1
REPORTS=var/test-reports
rm -rf "$REPORTS"
mkdir -p "$REPORTS" var/screenshots

failed=()
timings=()
step() {
    local name="$1" t0=$SECONDS rc=0
    shift
    log "$name"
    "$@" || rc=$?
    timings+=("$(printf '%4ds  %s' $((SECONDS - t0)) "$name")")
    # pytest exit code 5 = no tests collected: not a failure of the step itself.
    if ((rc != 0 && rc != 5)); then
        failed+=("$name")
        warn "$name: FAILED (exit $rc)"
    fi
}

exit_with() { return "$1"; }

t_start=$SECONDS
step "system packages (postgresql, chromium, CJK fonts)" scripts/ensure-system-deps.sh
step "ruff format --check" "$BIN/ruff" format --check .
step "ruff check" "$BIN/ruff" check .
step "lint-imports" "$BIN/lint-imports" --no-cache
step "architecture picture in CONTRIBUTING.md is current" "$BIN/python" scripts/architecture.py --check
step "makemigrations --check" "$BIN/python" manage.py makemigrations --check --dry-run

# The two pytest passes run side by side when there are 2+ CPUs (TEST_SERIAL=1 runs them one after the other).
# 1. SQLite: everything, the browser tests included (tests marked `postgres` run in the PostgreSQL pass only), and the
#    scale-out tests: tests/scaleout (Redis, moto's S3 server, scripts/cluster.sh with its own PostgreSQL, two gunicorn
#    nodes and a Huey consumer, all started and removed by the tests) and tests/test_var_dir.py.
# 2. PostgreSQL: the Django apps again (the pure packages and the browser tests do not depend on the database).
TMPROOT="$(mktemp -d "${TMPDIR:-/tmp}/qualityplan-test.XXXXXX")"
pg_pid=""
finish() {
    if [[ -n "$pg_pid" ]] && kill -0 "$pg_pid" 2>/dev/null; then
        kill -TERM -- "-$pg_pid" 2>/dev/null || true
        wait "$pg_pid" 2>/dev/null || true
    fi
    rm -rf "$TMPROOT"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The SQLite pass runs under coverage.py (branch coverage; settings in pyproject.toml) for the floors of issue 14.
sqlite_pass=("$BIN/coverage" run --data-file="$REPORTS/coverage.data" -m pytest -q -m "not postgres"
    --basetemp="$TMPROOT/sqlite" --junitxml="$REPORTS/sqlite.xml")
pg_pass=(env QUALITYPLAN_PG_REPLICA=1 scripts/with-postgres.sh "$BIN/pytest" -q -m "not browser" --basetemp="$TMPROOT/postgresql"
    --ignore=qualityplan/standards --ignore=qualityplan/plandoc --ignore=tests/browser --ignore=tests/test_infra.py
    --ignore=tests/scaleout/test_cluster.py --ignore=tests/test_var_dir.py
    --junitxml="$REPORTS/postgresql.xml")
# shellcheck disable=SC2206
sqlite_pass+=(${PYTEST_ARGS:-})
# shellcheck disable=SC2206
pg_pass+=(${PYTEST_ARGS:-} qualityplan tests)

reports=("$REPORTS/sqlite.xml")
run_pg=0
if pg_bindir >/dev/null || is_ci; then
    run_pg=1
    reports+=("$REPORTS/postgresql.xml")
else
    warn "PostgreSQL not available: the PostgreSQL pass is skipped (it is required when CI=true)"
fi

# A bounded schemathesis run (a few minutes) against a live server on a copy of the demo data, as the office.
SCHEMATHESIS_STEP="schemathesis (not_a_server_error, response_schema_conformance)"
if ((run_pg)) && [[ "${TEST_SERIAL:-0}" != 1 ]] && (($(nproc) >= 2)); then
    # in the background, one after the other: the PostgreSQL pass, then schemathesis (the SQLite pass is the longer)
    log "pytest (PostgreSQL), then schemathesis, in the background: output in $REPORTS/postgresql.log, schemathesis.log"
    bg_t0=$SECONDS
    export REPORTS
    setsid bash -c 't0=$SECONDS; "$@" >"$REPORTS/postgresql.log" 2>&1; echo "$? $((SECONDS - t0))" >"$REPORTS/postgresql.rc"
        t0=$SECONDS; scripts/schemathesis.sh >"$REPORTS/schemathesis.log" 2>&1
        echo "$? $((SECONDS - t0))" >"$REPORTS/schemathesis.rc"' background "${pg_pass[@]}" &
    pg_pid=$!
    step "pytest (SQLite + browser)" "${sqlite_pass[@]}"
    log "waiting for pytest (PostgreSQL) and schemathesis"
    wait "$pg_pid" || true
    pg_pid=""
    log "pytest (PostgreSQL) output:"
    cat "$REPORTS/postgresql.log"
    read -r pg_rc pg_secs <"$REPORTS/postgresql.rc" || { pg_rc=1; pg_secs=0; }
    step "pytest (PostgreSQL, in parallel, ${pg_secs}s)" exit_with "$pg_rc"
    log "schemathesis output:"
    cat "$REPORTS/schemathesis.log"
    read -r st_rc st_secs <"$REPORTS/schemathesis.rc" || { st_rc=1; st_secs=0; }
    step "$SCHEMATHESIS_STEP, in parallel, ${st_secs}s" exit_with "$st_rc"
    log "background work done $((SECONDS - bg_t0))s after it started"
else
    step "pytest (SQLite + browser)" "${sqlite_pass[@]}"
    ((run_pg)) && step "pytest (PostgreSQL)" "${pg_pass[@]}"
    step "$SCHEMATHESIS_STEP" scripts/schemathesis.sh
fi

# the floors hold for the whole suite; a partial run (PYTEST_ARGS) only reports them
[[ -z "${PYTEST_ARGS:-}" ]] || export COVERAGE_FLOORS="${COVERAGE_FLOORS:-report}"
coverage_floors() {
    "$BIN/coverage" json -q --data-file="$REPORTS/coverage.data" -o "$REPORTS/coverage.json" \
        && "$BIN/python" scripts/coverage_floors.py "$REPORTS/coverage.json"
}
step "coverage floors (90 %: standards, plandoc, core, orgs, every app's services)" coverage_floors

echo
log "steps (total $((SECONDS - t_start))s):"
printf '  %s\n' "${timings[@]}" >&2
if ((${#failed[@]})); then
    printf '\033[1;31mFAILED:\033[0m %s\n' "${failed[@]}" >&2
fi
summary_rc=0
"$BIN/python" scripts/test_summary.py "${reports[@]}" || summary_rc=$?
((${#failed[@]} == 0 && summary_rc == 0))
