#!/usr/bin/env python3
"""How much does asking from Python cost over asking from Rust?

Compares, on the article's example inventory with every shipped pack:

- one ``Engine.decide`` called from Python, against the same decision made in
  a Rust loop (``clearance._clearance._bench_rust_decide``: the same compiled
  engine, the query built anew each time as a Rust caller would);
- one ``Engine.sweep`` / ``Engine.matrix`` called from Python (decisions turned
  into ``Decision`` objects, or into dicts with ``as_dicts=True``), against the
  same call made in Rust.

Each figure is the best of several rounds, in microseconds per decision. The
goals: Python ``decide`` within 2x of Rust, Python ``sweep`` within 1.2x.

    python bindings/python/benches/bench_decide.py [--rounds 7] [--check]

This is a benchmark, not a test: it prints figures, and with ``--check`` exits
non-zero when a goal is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Callable

import clearance
from clearance import _clearance  # type: ignore[attr-defined]

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "article-inventory.json"
AT = "2018-01-10"
QUERIES = [
    # (system, action, release): a deny with a chain, and an allow.
    ("mod-secret", "deploy", "kes-12"),
    ("dfe-official", "deploy", "defender-4.18"),
]


def best(rounds: int, run: Callable[[], float]) -> float:
    """The smallest of `rounds` timings (seconds), after one warm-up."""
    run()
    return min(run() for _ in range(rounds))


def python_decide(engine: clearance.Engine, query: tuple, at: object, n: int) -> float:
    system, action, release = query
    decide = engine.decide
    start = time.perf_counter()
    for _ in range(n):
        decide(system, action, release, at)
    return time.perf_counter() - start


def python_call(call: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        call()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per figure (best is kept)")
    parser.add_argument("--decisions", type=int, default=2000, help="decisions per round for decide")
    parser.add_argument("--calls", type=int, default=100, help="sweeps or matrices per round")
    parser.add_argument("--check", action="store_true", help="exit 1 if a goal is missed")
    args = parser.parse_args()

    engine = clearance.Engine(EXAMPLE)
    inventory = engine.inventory
    sweep_size = len(inventory.deployments)
    matrix_size = len(inventory.release_ids) * len(inventory.system_ids)
    print(f"clearance {clearance.__version__}, Python {sys.version.split()[0]}")
    print(f"{engine!r}; best of {args.rounds} rounds\n")
    print(f"{'what':<44} {'python µs':>10} {'rust µs':>10} {'ratio':>7}")

    rows = []

    def row(what: str, python_s: float, rust_s: float, per: int, goal: float | None) -> None:
        py_us, rs_us = python_s / per * 1e6, rust_s / per * 1e6
        ratio = python_s / rust_s
        mark = "" if goal is None else ("  ok" if ratio <= goal else f"  MISSED (goal {goal}x)")
        print(f"{what:<44} {py_us:>10.2f} {rs_us:>10.2f} {ratio:>6.2f}x{mark}")
        rows.append((ratio, goal))

    n = args.decisions
    for query in QUERIES:
        label = f"decide {query[2]} on {query[0]}"
        rust = best(args.rounds, lambda: _clearance._bench_rust_decide(engine, *query, AT, n))
        for at, kind in ((AT, "str"), (dt.date(2018, 1, 10), "date"),
                         (dt.datetime(2018, 1, 10, tzinfo=dt.timezone.utc), "datetime")):
            python = best(args.rounds, lambda: python_decide(engine, query, at, n))
            row(f"{label} (at: {kind})", python, rust, n, 2.0 if kind == "str" else None)

    calls = args.calls
    rust = best(args.rounds, lambda: _clearance._bench_rust_sweep(engine, AT, calls))
    python = best(args.rounds, lambda: python_call(lambda: engine.sweep(AT), calls))
    row(f"sweep ({sweep_size} deployments) -> Decision", python, rust, calls * sweep_size, 1.2)
    python = best(args.rounds, lambda: python_call(lambda: engine.sweep(AT, as_dicts=True), calls))
    row(f"sweep ({sweep_size} deployments) -> dict", python, rust, calls * sweep_size, None)

    calls = max(1, args.calls // 10)
    rust = best(args.rounds, lambda: _clearance._bench_rust_matrix(engine, "deploy", AT, calls))
    python = best(args.rounds, lambda: python_call(lambda: engine.matrix("deploy", AT), calls))
    row(f"matrix ({matrix_size} cells) -> Decision", python, rust, calls * matrix_size, 1.2)
    python = best(
        args.rounds, lambda: python_call(lambda: engine.matrix("deploy", AT, as_dicts=True), calls)
    )
    row(f"matrix ({matrix_size} cells) -> dict", python, rust, calls * matrix_size, None)

    missed = [ratio for ratio, goal in rows if goal is not None and ratio > goal]
    print("\nall goals met" if not missed else f"\n{len(missed)} goal(s) missed")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
