#!/usr/bin/env bash
# CI for the Python bindings: build the extension, install it into a virtual
# environment, run the pytest suite.
#
#   bash bindings/python/ci.sh
#
# The wheel is built in release mode (as `pip install ./bindings/python` would)
# into the workspace's target/ directory, so a warm target/ only recompiles
# clearance and the bindings. The wheel, not the source tree, is what the tests
# import, so what is tested is what would be installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

if "$python" -m venv --help >/dev/null 2>&1; then
    if [ ! -x "$here/.venv/bin/python" ]; then
        "$python" -m venv "$here/.venv"
    fi
    py="$here/.venv/bin/python"
else
    echo "ci.sh: '$python -m venv' is unavailable; installing into $python itself" >&2
    py="$python"
fi

"$py" -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4,<2" "pytest>=7" mypy

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
wheels="$CARGO_TARGET_DIR/wheels/clearance-python"
rm -rf "$wheels"
"$py" -m maturin build --release --manifest-path "$here/Cargo.toml" --interpreter "$py" --out "$wheels"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/clearance-*.whl

cd "$here"
status=0
"$py" -m pytest -ra tests || status=$?
if [ "$status" -eq 5 ]; then
    echo "ci.sh: pytest collected no tests; that is a failure" >&2
    exit 1
fi
exit "$status"
