#!/usr/bin/env python3
"""What does each form of a bulk answer cost, in time and memory per cell?

Asks one matrix (every release against every system) of a generated estate
(the Rust benchmarks' reference workload: 500 releases x 100 systems, so
50,000 cells; or ``--inventory PATH``) and turns it into each form Python
code reads:

- ``Matrix``: the answer itself, decisions kept in Rust;
- ``Decision`` objects: ``list(matrix)``;
- dicts: ``matrix.to_dicts()`` (what ``as_dicts=True`` gives);
- columns: ``matrix.to_columns()``, a dict of lists sharing their strings
  and tuples, with ``matrix.rules`` as the rule table;
- Arrow: ``matrix.to_arrow()``, a dictionary-encoded ``pyarrow.RecordBatch``
  (when pyarrow is installed), and from it polars and pandas frames (when
  those are).

For each it prints the time per cell (best of several rounds: asking the
matrix and making the form, and making the form alone from a matrix already
answered), and the bytes per cell the form holds once built, the matrix it
came from gone: Python's allocations (``tracemalloc``), Rust's (the extension
counts its own while asked to) and Arrow's (``pyarrow``'s pool); polars, which
allocates where none of these see, reports its frame's own size.
The goal for the columnar forms is at most 100 bytes a cell.

    python bindings/python/benches/bench_columns.py [--rounds 5] [--inventory PATH] [--check]

This is a benchmark, not a test: it prints figures, and with ``--check`` exits
non-zero when the columns or Arrow form misses the goal.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import clearance
from clearance import _clearance  # type: ignore[attr-defined]

AT = "2025-06-01"
ACTION = "deploy"
GOAL_BYTES = 100


def optional(name: str) -> Optional[Any]:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def best_time(rounds: int, build: Callable[[], Any]) -> float:
    """The best wall-clock seconds of ``build()`` over ``rounds`` rounds."""
    build()
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        result = build()
        best = min(best, time.perf_counter() - start)
        del result
    return best


def held_bytes(build: Callable[[], Any], pa: Optional[Any]) -> Tuple[int, int, int]:
    """(Python, Rust, Arrow) bytes that what ``build()`` returns holds, once
    the matrix it was made from is gone."""
    gc.collect()
    arrow_before = pa.total_allocated_bytes() if pa else 0
    tracemalloc.start()
    _clearance._count_rust_heap(True)
    try:
        result = build()
        gc.collect()
        python, _ = tracemalloc.get_traced_memory()
        rust = _clearance._rust_heap()
        arrow = (pa.total_allocated_bytes() - arrow_before) if pa else 0
    finally:
        _clearance._count_rust_heap(False)
        tracemalloc.stop()
    del result
    return python, rust, arrow


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per form (best is kept)")
    parser.add_argument("--inventory", type=Path, help="an inventory JSON file (default: the generated estate)")
    parser.add_argument("--threads", type=int, default=1, help="the engine's threads")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a columnar form holds over {GOAL_BYTES} B a cell")
    args = parser.parse_args()

    source = args.inventory if args.inventory else _clearance._workload_inventory_json()
    engine = clearance.Engine(source, threads=args.threads)
    matrix = engine.matrix(ACTION, AT)
    cells = len(matrix)
    pa, pl, pd = optional("pyarrow"), optional("polars"), optional("pandas")
    versions = ", ".join(
        f"{m.__name__} {m.__version__}" for m in (pa, pl, pd) if m is not None
    ) or "no pyarrow, polars or pandas"
    print(f"clearance {clearance.__version__}, Python {sys.version.split()[0]}, {versions}")
    print(f"{engine!r}, threads={args.threads}")
    print(f"{ACTION} matrix at {AT}: {matrix.shape[0]} releases x {matrix.shape[1]} systems = {cells} cells, "
          f"{len(matrix.rules)} distinct rules; best of {args.rounds} rounds\n")

    rust = min(_clearance._bench_rust_matrix(engine, ACTION, AT, 1)[0] for _ in range(args.rounds + 1))
    ask = lambda: engine.matrix(ACTION, AT)  # noqa: E731
    asked = ask()

    # (name, the form made from a matrix, held to the goal, the bytes it
    # holds when the counters cannot see them)
    Form = Tuple[str, Callable[[Any], Any], bool, Optional[Callable[[Any], int]]]
    forms: List[Form] = [
        ("Matrix (decisions kept in Rust)", lambda m: m, False, None),
        ("Decision objects: list(matrix)", list, False, None),
        ("dicts: matrix.to_dicts()", lambda m: m.to_dicts(), False, None),
        ("columns: matrix.to_columns()", lambda m: m.to_columns(), True, None),
    ]
    if pa is not None:
        forms.append(("Arrow: matrix.to_arrow()", lambda m: m.to_arrow(), True, None))
        if pl is not None:
            # polars allocates outside the counters: it reports its own size.
            forms.append(("polars: pl.from_arrow(to_arrow()) [own size]", lambda m: pl.from_arrow(m.to_arrow()),
                          False, lambda frame: frame.estimated_size()))
        if pd is not None:
            forms.append(("pandas: to_arrow().to_pandas()", lambda m: m.to_arrow().to_pandas(), False, None))
    if pd is not None:
        forms.append(("pandas: pd.DataFrame(to_columns())", lambda m: pd.DataFrame(m.to_columns()), False, None))

    print(f"{'form':<46} {'µs/cell':>8} {'form only':>9} {'B/cell':>7} {'(Python':>8} {'Rust':>6} {'Arrow)':>7}")
    print(f"{'Rust Engine::matrix alone':<46} {rust / cells * 1e6:>8.3f}")
    missed: Dict[str, float] = {}
    for name, form, goal, own_size in forms:
        seconds = best_time(args.rounds, lambda: form(ask()))
        converting = best_time(args.rounds, lambda: form(asked)) if form(asked) is not asked else 0.0
        python, rust_bytes, arrow = held_bytes(lambda: form(ask()), pa)
        total = python + rust_bytes + arrow
        if own_size is not None:
            total = own_size(form(asked))
            python = rust_bytes = arrow = 0
        per_cell = total / cells
        mark = ""
        if goal:
            mark = "  ok" if per_cell <= GOAL_BYTES else f"  MISSED (goal {GOAL_BYTES})"
            if per_cell > GOAL_BYTES:
                missed[name] = per_cell
        print(
            f"{name:<46} {seconds / cells * 1e6:>8.3f} {converting / cells * 1e6:>9.3f} "
            f"{per_cell:>7.1f} {python / cells:>8.1f} {rust_bytes / cells:>6.1f} {arrow / cells:>7.1f}{mark}"
        )
    print()
    if missed:
        print(f"{len(missed)} form(s) over {GOAL_BYTES} bytes a cell")
    else:
        print(f"the columnar forms hold at most {GOAL_BYTES} bytes a cell")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
