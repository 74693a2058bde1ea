#!/usr/bin/env python3
"""How much does asking from Python cost over asking from Rust?

Compares, on the article's example inventory with every shipped pack:

- one ``Engine.decide`` called from Python, against the same decision made in
  a Rust loop (``clearance._clearance._bench_rust_decide``: the same compiled
  engine, the query built anew each time as a Rust caller would);
- one ``Engine.sweep`` / ``Engine.matrix`` called from Python (every decision
  turned into a ``Decision`` object with ``list(...)``, or into dicts with
  ``as_dicts=True``), against the same call made in Rust. (``bench_columns.py``
  compares the other forms of a bulk answer.)

Each figure is the best of several interleaved rounds, in microseconds of CPU
time of the calling thread per decision (``time.thread_time`` in Python,
``CLOCK_THREAD_CPUTIME_ID`` in Rust), so that other load on a small machine
does not blur it; the ratio of wall-clock times is shown beside. The goals:
Python ``decide`` within 2x of Rust, Python ``sweep`` within 1.2x.

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
from typing import Callable, Tuple

import clearance
from clearance import _clearance  # type: ignore[attr-defined]

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "article-inventory.json"
AT = "2018-01-10"
QUERIES = [
    # (system, action, release): a deny with a chain, and an allow.
    ("mod-secret", "deploy", "kes-12"),
    ("dfe-official", "deploy", "defender-4.18"),
]


Timing = Tuple[float, float]  # (wall seconds, CPU seconds of this thread)


def compare(rounds: int, python: Callable[[], Timing], rust: Callable[[], Timing]) -> tuple[Timing, Timing]:
    """The best Python and Rust timings (wall and CPU apart), their rounds
    interleaved so that other load on the machine falls on both alike."""
    python()
    rust()
    py_times, rs_times = [], []
    for _ in range(rounds):
        rs_times.append(rust())
        py_times.append(python())
    best = lambda times: (min(t[0] for t in times), min(t[1] for t in times))  # noqa: E731
    return best(py_times), best(rs_times)


def timed(loop: Callable[[], None]) -> Timing:
    wall, cpu = time.perf_counter(), time.thread_time()
    loop()
    return time.perf_counter() - wall, time.thread_time() - cpu


def python_decide(
    engine: clearance.Engine, query: tuple, at: str | dt.date | dt.datetime, n: int
) -> Timing:
    system, action, release = query
    decide = engine.decide

    def loop() -> None:
        for _ in range(n):
            decide(system, action, release, at)

    return timed(loop)


def python_call(call: Callable[[], object], n: int) -> Timing:
    def loop() -> None:
        for _ in range(n):
            call()

    return timed(loop)


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
    print(f"{'what':<52} {'python µs':>10} {'rust µs':>10} {'ratio':>7} {'wall ratio':>11}")

    rows = []

    def row(what: str, python: Timing, rust: Timing, per: int, goal: float | None) -> None:
        py_us, rs_us = python[1] / per * 1e6, rust[1] / per * 1e6
        ratio, wall_ratio = python[1] / rust[1], python[0] / rust[0]
        mark = "" if goal is None else ("  ok" if ratio <= goal else f"  MISSED (goal {goal}x)")
        print(f"{what:<52} {py_us:>10.2f} {rs_us:>10.2f} {ratio:>6.2f}x {wall_ratio:>10.2f}x{mark}")
        rows.append((ratio, goal))

    n = args.decisions
    for query in QUERIES:
        label = f"decide {query[2]} on {query[0]}"
        for at, kind in ((AT, "str"), (dt.date(2018, 1, 10), "date"),
                         (dt.datetime(2018, 1, 10, tzinfo=dt.timezone.utc), "datetime")):
            python, rust = compare(
                args.rounds,
                lambda: python_decide(engine, query, at, n),
                lambda: _clearance._bench_rust_decide(engine, *query, AT, n),
            )
            row(f"{label} (at: {kind})", python, rust, n, 2.0 if kind == "str" else None)

    calls = args.calls
    for as_dicts in (False, True):
        python, rust = compare(
            args.rounds,
            lambda: python_call(lambda: engine.sweep(AT, as_dicts=True) if as_dicts else list(engine.sweep(AT)), calls),
            lambda: _clearance._bench_rust_sweep(engine, AT, calls),
        )
        what = "dict" if as_dicts else "Decision"
        row(f"sweep ({sweep_size} deployments) -> {what}", python, rust, calls * sweep_size,
            None if as_dicts else 1.2)

    calls = max(1, args.calls // 10)
    for as_dicts in (False, True):
        python, rust = compare(
            args.rounds,
            lambda: python_call(
                lambda: engine.matrix("deploy", AT, as_dicts=True) if as_dicts else list(engine.matrix("deploy", AT)),
                calls,
            ),
            lambda: _clearance._bench_rust_matrix(engine, "deploy", AT, calls),
        )
        what = "dict" if as_dicts else "Decision"
        row(f"matrix ({matrix_size} cells) -> {what}", python, rust, calls * matrix_size,
            None if as_dicts else 1.2)

    missed = [ratio for ratio, goal in rows if goal is not None and ratio > goal]
    print("\nall goals met" if not missed else f"\n{len(missed)} goal(s) missed")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
