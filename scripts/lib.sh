# Shared helpers for the scripts behind the Makefile. Source it; do not run it.
# shellcheck shell=bash

QP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$QP_ROOT/.venv}"
BIN="$VENV/bin"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

is_ci() { case "${CI:-}" in 1 | true | TRUE | True | yes) return 0 ;; *) return 1 ;; esac; }

# sha256 of the given files, concatenated (one line).
files_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }

# Export the non-empty KEY=value lines of .env (empty values in a copied .env.example must not
# override the defaults in settings).
load_dotenv() {
    local file="$QP_ROOT/.env"
    [[ -f "$file" ]] || return 0
    set -a
    # shellcheck disable=SC1090
    source <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=.+' "$file")
    set +a
}

# Directory holding pg_ctl/initdb: PATH first, then Debian's /usr/lib/postgresql/<version>/bin (newest).
pg_bindir() {
    local d
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return 0
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$d/pg_ctl" && -x "$d/initdb" ]]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}
