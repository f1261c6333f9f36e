#!/usr/bin/env bash
# make bench (after make setup): the bench extras, every bench/bench_<name>.py --out var/bench/<name>.md
# (POSTGRES_BENCHES also on a throwaway PostgreSQL via scripts/with-postgres.sh, appended to the same section),
# then docs/benchmarks.md assembled by bench/assemble.py. A failing bench is reported and fails the run,
# but the others still run and the document is still written (with a note for the failed one).
# BENCH_ONLY="indicators public" re-runs only those benches; the other sections are kept from the current
# docs/benchmarks.md with their own date and commit. Each section records the load average before it ran.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$QP_ROOT"

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-qualityplan.config.django.local}"
bench_stamp="$VENV/.qualityplan-bench.sha256"
bench_hash="$(files_hash requirements-bench.lock "$VENV/.qualityplan-requirements.sha256")"
if [[ "$(cat "$bench_stamp" 2>/dev/null)" != "$bench_hash" ]]; then
    log "installing requirements-bench.lock"
    "$BIN/uv" pip install --quiet --python "$BIN/python" -r requirements-bench.lock
    echo "$bench_hash" >"$bench_stamp"
fi

# run on SQLite and then on a throwaway PostgreSQL (space-separated bench names)
POSTGRES_BENCHES="${POSTGRES_BENCHES-indicators hotline scale}"

BENCH_ONLY="${BENCH_ONLY-}"
mkdir -p var/bench
rm -f var/bench/*.md var/bench/*.load
failed=()
shopt -s nullglob
scripts=(bench/bench_*.py)
((${#scripts[@]})) || warn "no bench/bench_*.py yet"
keep=()
if [[ -n "$BENCH_ONLY" ]]; then
    for name in $BENCH_ONLY; do
        [[ -f "bench/bench_$name.py" ]] || die "BENCH_ONLY: no bench/bench_$name.py"
    done
    keep=(--keep docs/benchmarks.md)
fi
for script in "${scripts[@]}"; do
    name="$(basename "$script" .py)"
    name="${name#bench_}"
    if [[ -n "$BENCH_ONLY" ]] && [[ " $BENCH_ONLY " != *" $name "* ]]; then
        continue
    fi
    cut -d' ' -f1-3 /proc/loadavg >"var/bench/$name.load" 2>/dev/null || true
    log "$script (load average $(cat "var/bench/$name.load" 2>/dev/null || echo '?'))"
    t0=$SECONDS
    if "$BIN/python" "$script" --out "var/bench/$name.md"; then
        log "$name: $((SECONDS - t0))s"
    else
        failed+=("$name")
        warn "$name failed"
    fi
    # benches whose figures the issues ask for on both databases: again on a throwaway PostgreSQL, section appended
    if [[ " $POSTGRES_BENCHES " == *" $name "* ]] && [[ " ${failed[*]-} " != *" $name "* ]]; then
        log "$script on PostgreSQL (scripts/with-postgres.sh)"
        t0=$SECONDS
        if scripts/with-postgres.sh "$BIN/python" "$script" --out "var/bench/$name-postgresql.md"; then
            { echo; cat "var/bench/$name-postgresql.md"; } >>"var/bench/$name.md"
            log "$name (PostgreSQL): $((SECONDS - t0))s"
        else
            failed+=("$name")
            warn "$name failed on PostgreSQL"
        fi
    fi
done
"$BIN/python" bench/assemble.py --out docs/benchmarks.md --failed "${failed[*]-}" "${keep[@]}" "${scripts[@]}"
log "wrote docs/benchmarks.md"
((${#failed[@]} == 0)) || die "failed: ${failed[*]}"
