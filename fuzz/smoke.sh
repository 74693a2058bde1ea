#!/usr/bin/env bash
# Fuzz smoke run: builds each cargo-fuzz target and runs it for a short while
# from the committed seeds (fuzz/seeds/<target>), so CI notices a target that
# no longer builds or that crashes on its seeds or soon after.
#
# Needs a nightly toolchain and cargo-fuzz; without them it says so and exits 0.
#   FUZZ_SECONDS=20   seconds per target (default 20)
#   FUZZ_TARGETS="inventory_json policy_text structured sbom_json test_suite_json"
#   FUZZ_TARGET_DIR=dir   where to build (default fuzz/target); the first build
#                         compiles Cedar with coverage instrumentation, which
#                         takes 10-25 minutes on 2 cores, so CI may point this
#                         at a directory that outlives the clone
#   FUZZ_SMOKE=0      skip
set -euo pipefail
cd "$(dirname "$0")"

if [ "${FUZZ_SMOKE:-1}" = 0 ]; then
    echo "fuzz smoke: FUZZ_SMOKE=0; skipping"
    exit 0
fi

seconds="${FUZZ_SECONDS:-20}"
targets="${FUZZ_TARGETS:-inventory_json policy_text structured sbom_json test_suite_json}"

if ! command -v rustup >/dev/null 2>&1 || ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "fuzz smoke: no nightly toolchain (rustup toolchain install nightly); skipping"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz smoke: cargo-fuzz not installed (cargo install cargo-fuzz); skipping"
    exit 0
fi

build=()
if [ -n "${FUZZ_TARGET_DIR:-}" ]; then
    build=(--target-dir "$FUZZ_TARGET_DIR")
fi

echo "fuzz smoke: building targets"
cargo +nightly fuzz build "${build[@]}"

# How many artifacts a target has left (none before its first run: with
# pipefail, counting a missing directory through ls would end the script).
artifacts() {
    if [ -d "artifacts/$1" ]; then
        find "artifacts/$1" -type f | wc -l
    else
        echo 0
    fi
}

status=0
for target in $targets; do
    # From the seeds alone, in a scratch corpus: libFuzzer runs every input of
    # its starting corpus before it looks at the clock, so a grown corpus/
    # would make a smoke run as long as that corpus is slow.
    corpus="$(mktemp -d)"
    trap 'rm -rf "$corpus"' EXIT
    if [ -d "seeds/$target" ]; then
        cp seeds/"$target"/* "$corpus"/ 2>/dev/null || true
    fi
    dict=()
    case "$target" in
        inventory_json) dict=(-dict=dicts/inventory.dict) ;;
        policy_text) dict=(-dict=dicts/cedar.dict) ;;
    esac
    before=$(artifacts "$target")
    echo "fuzz smoke: $target for ${seconds}s"
    if ! cargo +nightly fuzz run "${build[@]}" "$target" "$corpus" -- \
        -max_total_time="$seconds" -timeout=10 -max_len=65536 -rss_limit_mb=4096 \
        -print_final_stats=1 "${dict[@]}" 2>&1 | tail -n 12; then
        status=1
    fi
    rm -rf "$corpus"
    # A crash, leak or timeout also leaves an artifact.
    after=$(artifacts "$target")
    if [ "$after" -gt "$before" ]; then
        echo "fuzz smoke: $target left new artifacts:"
        ls -lt "artifacts/$target" | head
        status=1
    fi
done

if [ "$status" -ne 0 ]; then
    echo "fuzz smoke: FAILED (reproduce with: cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>)"
fi
exit "$status"
