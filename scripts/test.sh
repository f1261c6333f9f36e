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

t_start=$SECONDS
step "system packages (postgresql, chromium, CJK fonts)" scripts/ensure-system-deps.sh
step "ruff format --check" "$BIN/ruff" format --check .
step "ruff check" "$BIN/ruff" check .
step "lint-imports" "$BIN/lint-imports" --no-cache
step "makemigrations --check" "$BIN/python" manage.py makemigrations --check --dry-run

# 1. SQLite: everything, the browser tests included (tests marked `postgres` run in the second pass only).
step "pytest (SQLite + browser)" "$BIN/pytest" -q -m "not postgres" --junitxml="$REPORTS/sqlite.xml" ${PYTEST_ARGS:-}

# 2. PostgreSQL: the Django apps again (the pure packages and the browser tests do not depend on the database).
reports=("$REPORTS/sqlite.xml")
if pg_bindir >/dev/null || is_ci; then
    reports+=("$REPORTS/postgresql.xml")
    step "pytest (PostgreSQL)" scripts/with-postgres.sh "$BIN/pytest" -q -m "not browser" \
        --ignore=qualityplan/standards --ignore=qualityplan/plandoc --ignore=tests/browser --ignore=tests/test_infra.py \
        --junitxml="$REPORTS/postgresql.xml" ${PYTEST_ARGS:-} qualityplan tests
else
    warn "PostgreSQL not available: the PostgreSQL pass is skipped (it is required when CI=true)"
fi

echo
log "steps (total $((SECONDS - t_start))s):"
printf '  %s\n' "${timings[@]}" >&2
if ((${#failed[@]})); then
    printf '\033[1;31mFAILED:\033[0m %s\n' "${failed[@]}" >&2
fi
summary_rc=0
"$BIN/python" scripts/test_summary.py "${reports[@]}" || summary_rc=$?
((${#failed[@]} == 0 && summary_rc == 0))
