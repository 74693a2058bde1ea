#!/usr/bin/env bash
# Runs the benchmarks (benches/engine.rs with criterion, benches/memory.rs)
# and prints a compact Markdown table of the results on stdout: ratios first,
# then every timing and the memory counts, with the machine, commit and date.
# Cargo's and criterion's progress goes to stderr.
#
#   benches/run.sh                                # about 3 minutes on 2 cores
#   benches/run.sh > benches/RESULTS.md
#   benches/run.sh matrix/                        # only benchmarks matching a filter
#   benches/run.sh --report-only MEMORY_OUTPUT    # only the table, from results
#                                                 # already in $CRITERION_HOME and
#                                                 # a saved `cargo bench --bench memory`
#   benches/run.sh --scale [SIZES...]             # benches/scale.rs instead: the
#                                                 # workload at each size (default
#                                                 # 1 10 100, about 3 minutes and
#                                                 # 3.5 GB of RAM; matrix10k only
#                                                 # when named), as its own table
#
# With --scale, the tables are `cargo bench --bench scale -- SIZES...`'s
# (see benches/scale.rs; `--dry` and `--runs N` are passed on too), and
# python3 is not needed.
#
# Environment: CRITERION_HOME (where criterion keeps results; default
# target/criterion), BENCH_COMMIT (the label for the commit measured; default
# `git describe`). Needs python3 for the table.
# BENCH_AT (the reference instant printed in the header; default 2026-06-01,
# the workload's own; set it when measuring an older workload).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-target}
criterion=${CRITERION_HOME:-$target/criterion}
commit=${BENCH_COMMIT:-$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)}
load_before=$(cat /proc/loadavg 2>/dev/null || echo unknown)

if [ "${1:-}" = --scale ]; then
    shift
    [ "$#" -gt 0 ] || set -- 1 10 100
    echo "run.sh: cargo bench --bench scale -- $*" >&2
    BENCH_COMMIT=$commit exec cargo bench --bench scale -- "$@"
fi

memory=$(mktemp)
trap 'rm -f "$memory"' EXIT

if [ "${1:-}" = --report-only ]; then
    cp "${2:?give the saved output of cargo bench --bench memory}" "$memory"
else
    filter=${1:-}
    # Stale results would pass for this run's.
    rm -rf "$criterion"/decide "$criterion"/matrix "$criterion"/sweep "$criterion"/load "$criterion"/impact "$criterion"/audit
    cargo bench --bench engine -- --noplot ${filter:+"$filter"} >&2
    cargo bench --bench memory >"$memory"
fi

LOAD_BEFORE=$load_before python3 - "$criterion" "$memory" "$commit" <<'PYTHON'
import json
import os
import platform
import re
import subprocess
import sys
from datetime import datetime, timezone

criterion, memory_file, commit = sys.argv[1], sys.argv[2], sys.argv[3]


def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def mean(group, name):
    """Criterion's mean for one benchmark, in nanoseconds, or None."""
    path = os.path.join(criterion, group, name, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["mean"]["point_estimate"]
    except OSError:
        return None


memory = {}
for line in open(memory_file):
    name, _, rest = line.partition(":")
    memory[name.strip()] = dict(re.findall(r"(\w+)=(\S+)", rest)) or {"value": rest.strip()}
workload = memory.get("workload", {})
pairs = int(workload.get("pairs", 50000))
deployments = int(workload.get("deployments", 1))


def duration(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def size(n):
    if n is None:
        return "-"
    n = float(n)
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.2f} {unit}"
    return f"{n:.0f} B"


def rate(per_second):
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if per_second >= scale:
            return f"{per_second / scale:.3g} {unit}"
    return f"{per_second:.3g}"


def ratio(engine, baseline, better="faster", worse="slower"):
    if engine is None or baseline is None or engine == 0 or baseline == 0:
        return "-"
    if baseline >= engine:
        return f"**{baseline / engine:.2f}x {better}**"
    return f"**{engine / baseline:.2f}x {worse}**"


cpu = "unknown"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
mem_total = "unknown"
try:
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem_total = f"{int(line.split()[1]) / (1 << 20):.0f} GiB"
except OSError:
    pass
subject = run("git", "log", "-1", "--format=%s", commit.removesuffix("-dirty"))

per = {"decide": 1, "matrix": pairs, "sweep": deployments, "impact": pairs}
per_audit = {"decide-off": 1, "decide-on": 1, "sweep-off": deployments, "sweep-every-record": deployments, "sweep-summary": deployments}
m = {
    (g, n): mean(g, n)
    for g, names in {
        "decide": [
            "engine",
            "plain-cedar",
            "plain-cedar-fresh-context",
            "engine-varied",
            "plain-cedar-fresh-context-varied",
            "hand-written",
        ],
        "matrix": [
            "engine",
            "engine-threads",
            "engine-first",
            "plain-cedar",
            "plain-cedar-prebuilt",
            "plain-cedar-prebuilt-2-threads",
            "hand-written",
        ],
        "sweep": ["engine", "engine-threads", "plain-cedar", "hand-written"],
        "impact": ["engine", "new-engine-and-two-matrices"],
        "audit": ["decide-off", "decide-on", "sweep-off", "sweep-every-record", "sweep-summary"],
        "load": [
            "inventory-json-to-engine",
            "inventory-json-to-first-decision",
            "inventory-json",
            "engine-new",
            "cedar-entities-through-api",
            "cedar-entities-through-api-to-first-decision",
            "cedar-from-entities",
            "cedar-entity-json",
            "policies-all-packs",
        ],
    }.items()
    for n in names
}


VARIED = 496  # questions per iteration of the decide/*-varied benchmarks


def each(group, name):
    value = m[(group, name)]
    count = VARIED if name.endswith("-varied") else per_audit[name] if group == "audit" else per[group]
    return None if value is None else value / count


def retained(name):
    value = memory.get(name, {}).get("retained")
    return None if value is None else int(value)


print("# clearance benchmark results")
print()
print(f"- date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
print(f"- commit: `{commit}` ({subject})")
print(f"- machine: {run('nproc')} cores ({cpu}), {mem_total} RAM, {platform.system()} {platform.release()}")
print(
    f"- load average (1, 5, 15 min) before: {' '.join(os.environ.get('LOAD_BEFORE', '?').split()[:3])}, "
    f"after: {' '.join(run('cat', '/proc/loadavg').split()[:3])} (other work on the machine slows every "
    "benchmark; compare runs by their ratios, or by matrix/plain-cedar-prebuilt, which is Cedar alone)"
)
print(f"- toolchain: {run('rustc', '--version')}")
print(
    f"- workload: `benches/workload` (seeded), {workload.get('vendors', '?')} vendors, "
    f"{workload.get('releases', '?')} releases x {workload.get('systems', '?')} systems = {pairs} pairs, "
    f"{deployments} deployments; every shipped pack; at {os.environ.get('BENCH_AT', '2026-06-01')}; "
    f"inventory JSON {size(workload.get('inventory_json_bytes'))}, "
    f"Cedar entity JSON {size(memory.get('cedar-entity-json', {}).get('bytes'))}"
)
print()
print("## Ratios")
print()
print("| comparison | engine | other | engine is |")
print("|---|---|---|---|")
rows = [
    ("matrix (deploy), per decision: engine vs plain Cedar", each("matrix", "engine"), each("matrix", "plain-cedar")),
    ("matrix, per decision: engine with threads vs plain Cedar", each("matrix", "engine-threads"), each("matrix", "plain-cedar")),
    ("matrix, per decision: engine with threads vs engine on one thread", each("matrix", "engine-threads"), each("matrix", "engine")),
    ("matrix, per decision: plain Cedar with prebuilt requests, 2 threads vs 1", each("matrix", "plain-cedar-prebuilt-2-threads"), each("matrix", "plain-cedar-prebuilt")),
    ("matrix, per decision: a fresh engine's first matrix vs plain Cedar", each("matrix", "engine-first"), each("matrix", "plain-cedar")),
    ("matrix, per decision: engine vs Cedar with prebuilt requests", each("matrix", "engine"), each("matrix", "plain-cedar-prebuilt")),
    ("matrix, per decision: engine vs hand-written Rust (floor)", each("matrix", "engine"), each("matrix", "hand-written")),
    ("impact of a policy change (deploy), per cell: Engine::impact vs a new engine and two matrices", each("impact", "engine"), each("impact", "new-engine-and-two-matrices")),
    ("audit: a decision recorded (JSON to a sink) vs not", each("audit", "decide-on"), each("audit", "decide-off")),
    ("audit: a sweep recording every decision vs not, per deployment", each("audit", "sweep-every-record"), each("audit", "sweep-off")),
    ("audit: a sweep recording one summary vs not, per deployment", each("audit", "sweep-summary"), each("audit", "sweep-off")),
    ("sweep (operate), per deployment: engine vs plain Cedar", each("sweep", "engine"), each("sweep", "plain-cedar")),
    ("sweep, per deployment: engine with threads vs engine on one thread", each("sweep", "engine-threads"), each("sweep", "engine")),
    ("single decision: engine vs plain Cedar", each("decide", "engine"), each("decide", "plain-cedar")),
    ("single decision: engine vs plain Cedar building its context", each("decide", "engine"), each("decide", "plain-cedar-fresh-context")),
    ("single decisions, 496 varied: engine vs plain Cedar building its context", each("decide", "engine-varied"), each("decide", "plain-cedar-fresh-context-varied")),
    ("single decision: engine vs hand-written Rust (floor)", each("decide", "engine"), each("decide", "hand-written")),
    ("load: inventory JSON to engine vs Cedar entity JSON to Entities", m[("load", "inventory-json-to-engine")], m[("load", "cedar-entity-json")]),
    ("load: inventory JSON to engine vs building the same Cedar entities through its API", m[("load", "inventory-json-to-engine")], m[("load", "cedar-entities-through-api")]),
    ("load: Engine::new vs Cedar Entities::from_entities on prebuilt entities", m[("load", "engine-new")], m[("load", "cedar-from-entities")]),
    ("load and first decision, fresh policies: engine vs Cedar entities through its API and one request", m[("load", "inventory-json-to-first-decision")], m[("load", "cedar-entities-through-api-to-first-decision")]),
]
for label, engine, other in rows:
    print(f"| {label} | {duration(engine)} | {duration(other)} | {ratio(engine, other)} |")
engine_mem = retained("engine-total")
plain_mem = retained("plain-cedar-total")
print(
    f"| memory retained: engine (inventory + policies + engine + what a first matrix leaves it knowing) vs plain Cedar (entities from JSON + policy set) "
    f"| {size(engine_mem)} | {size(plain_mem)} | {ratio(engine_mem, plain_mem, 'smaller', 'larger')} |"
)
print()
print("## Timings (criterion means)")
print()
print("| benchmark | per iteration | per decision | decisions/s |")
print("|---|---|---|---|")
for (group, name), value in m.items():
    if group in per:
        if value is None:
            print(f"| {group}/{name} | - | - | - |")
            continue
        one = value / per[group]
        print(f"| {group}/{name} | {duration(value)} | {duration(one)} | {rate(1e9 / one)} |")
    else:
        print(f"| {group}/{name} | {duration(value)} | | |")
print()
print("## Memory (counting allocator)")
print()
print("| what | retained | peak while building | allocations |")
print("|---|---|---|---|")
for name, values in memory.items():
    if "retained" in values:
        peak = values.get("peak")
        allocations = values.get("allocations", "")
        print(f"| {name} | {size(values['retained'])} | {size(peak) if peak else ''} | {allocations} |")
rss = memory.get("process-peak-rss", {}).get("value", "unknown")
print()
print(f"Process peak RSS of the memory run: {rss}.")
PYTHON
