#!/usr/bin/env bash
# CI for the Python bindings: build the extension once, then run the pytest
# suite on the oldest and on the newest CPython (3.9 or later) this machine
# has, each in a virtual environment of its own.
#
#   bash bindings/python/ci.sh
#
# The wheel is built in release mode (as `pip install ./bindings/python` would)
# into the workspace's target/ directory, so a warm target/ only recompiles
# clearance and the bindings. It is built against the stable ABI (abi3), so
# the one wheel installs into every CPython >= 3.9; the wheel, not the source
# tree, is what the tests import, so what is tested is what would be installed.
#
# Interpreters: those named in $CLEARANCE_PYTHONS (paths or commands, space
# separated) if set; otherwise every CPython >= 3.9 under pyenv
# ($PYENV_ROOT/versions, default ~/.pyenv) and python3.9 ... python3.14 and
# python3 on PATH. The oldest and the newest are used (one run if they are
# the same). Each gets a venv under bindings/python/.venvs/, kept between
# runs, into which this script installs what the tests use: pytest, mypy
# (stubtest), Dask (the distributed example's test) and, for the newest,
# pyarrow, polars and pandas (the Arrow and DataFrame tests; on the oldest
# they are skipped, which shows the package works without them).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venvs="$here/.venvs"
pip_quiet=(--quiet --disable-pip-version-check)

say() { printf 'ci.sh: %s\n' "$*" >&2; }

# "MAJOR MINOR MICRO" of a usable CPython >= 3.9 with venv, or nothing.
version_of() {
    "$1" - <<'PY' 2>/dev/null || true
import sys, venv, ensurepip  # noqa: F401  (both are needed to make a venv)
if sys.implementation.name == "cpython" and sys.version_info >= (3, 9):
    print(*sys.version_info[:3])
PY
}

candidates=()
if [ -n "${CLEARANCE_PYTHONS:-}" ]; then
    read -r -a candidates <<<"$CLEARANCE_PYTHONS"
else
    pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    for python in "$pyenv_root"/versions/*/bin/python3; do
        if [ -x "$python" ]; then candidates+=("$python"); fi
    done
    for name in python3.9 python3.10 python3.11 python3.12 python3.13 python3.14 python3; do
        if command -v "$name" >/dev/null 2>&1; then candidates+=("$(command -v "$name")"); fi
    done
fi

# "MAJOR MINOR MICRO PATH" lines, sorted by version; the first path of each version wins.
found="$(
    for python in "${candidates[@]}"; do
        version="$(version_of "$python")"
        if [ -n "$version" ]; then printf '%s %s\n' "$version" "$python"; fi
    done | sort -s -k1,1n -k2,2n -k3,3n | awk '!seen[$1" "$2" "$3]++'
)"
if [ -z "$found" ]; then
    say "no CPython 3.9 or later found (looked at: ${candidates[*]:-nothing})"
    exit 1
fi
oldest="$(head -n1 <<<"$found")"
newest="$(tail -n1 <<<"$found")"
runs=("$oldest")
if [ "$newest" != "$oldest" ]; then
    runs+=("$newest")
else
    say "only one CPython >= 3.9 found ($(cut -d' ' -f1-3 <<<"$oldest" | tr ' ' .)); skipping the run on a second one"
fi

dotted() { cut -d' ' -f1-3 <<<"$1" | tr ' ' .; }
path_of() { cut -d' ' -f4- <<<"$1"; }

# A venv for this interpreter (kept between runs), with pip usable.
venv_for() {
    local line="$1" dir
    dir="$venvs/$(cut -d' ' -f1-2 <<<"$line" | tr ' ' .)"
    if [ ! -x "$dir/bin/python" ] || [ "$(version_of "$dir/bin/python")" != "$(cut -d' ' -f1-3 <<<"$line")" ]; then
        rm -rf "$dir"
        "$(path_of "$line")" -m venv "$dir"
    fi
    printf '%s\n' "$dir/bin/python"
}

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
wheels="$CARGO_TARGET_DIR/wheels/clearance-python"

# Build once, with the newest interpreter's maturin.
builder="$(venv_for "$newest")"
"$builder" -m pip install "${pip_quiet[@]}" "maturin>=1.9.4,<2"
rm -rf "$wheels"
"$builder" -m maturin build --release --manifest-path "$here/Cargo.toml" --interpreter "$builder" --out "$wheels"
wheel="$(ls "$wheels"/clearance-*.whl)"

ran=()
for line in "${runs[@]}"; do
    version="$(dotted "$line")"
    say "CPython $version ($(path_of "$line"))"
    py="$(venv_for "$line")"
    extras=()
    if [ "$line" = "$newest" ]; then
        extras=(pyarrow polars pandas)
    fi
    "$py" -m pip install "${pip_quiet[@]}" "pytest>=7" mypy "dask[distributed]" "${extras[@]}"
    "$py" -m pip install "${pip_quiet[@]}" --force-reinstall --no-deps "$wheel"
    status=0
    (cd "$here" && "$py" -m pytest -ra tests) || status=$?
    if [ "$status" -eq 5 ]; then
        say "pytest collected no tests on CPython $version; that is a failure"
        exit 1
    fi
    if [ "$status" -ne 0 ]; then
        say "the suite failed on CPython $version"
        exit "$status"
    fi
    ran+=("$version")
done

if [ "${#ran[@]}" -eq 2 ]; then
    say "the suite passed on CPython ${ran[0]} (the oldest here) and ${ran[1]} (the newest)"
else
    say "the suite passed on CPython ${ran[0]} (the only one here)"
fi
