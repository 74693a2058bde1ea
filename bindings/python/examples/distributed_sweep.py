#!/usr/bin/env python3
"""Sweep an estate across worker processes with Dask.

The compliance sweep asks, of every deployment, whether its system may keep
running its release (``operate``). Here the deployments are split into
partitions, and the partitions are answered by the worker processes of a
Dask cluster (a ``LocalCluster`` on this machine; the same code runs against
a real cluster's scheduler address):

1. the engine is broadcast to every worker once (``client.scatter(...,
   broadcast=True)``). An ``Engine`` pickles as its inventory's JSON and its
   policies' texts, so each worker receives the inventory and builds one
   engine of its own from it, which every task on that worker then uses;
2. each task answers one partition of the deployments with
   ``Engine.decide_many`` (one call into Rust, the interpreter released) and
   sends back its columns (``Decisions.to_columns``: plain lists, each id
   and rule tuple pickled once per partition);
3. the client joins the partitions' columns in order: the same columns a
   single process's ``engine.sweep(at).to_columns()`` gives.

    python bindings/python/examples/distributed_sweep.py [INVENTORY.json]
        [--at 2025-06-01] [--workers 2] [--partitions 8] [--scheduler ADDRESS] [--check]

Without an inventory it sweeps a generated estate (the Rust benchmarks'
reference workload: 100 systems, 500 releases, 322 deployments). With
``--check`` it also sweeps in this process and exits 1 unless the answers are
the same. It needs ``pip install "dask[distributed]"``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, cast

import clearance

Columns = Dict[str, List[Any]]


def partitions(deployments: Sequence[Tuple[str, str]], count: int) -> List[List[Tuple[str, str]]]:
    """``deployments`` in ``count`` contiguous runs of nearly equal length, in order."""
    count = max(1, min(count, len(deployments)))
    size, extra = divmod(len(deployments), count)
    runs, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        runs.append(list(deployments[start:end]))
        start = end
    return runs


def sweep_partition(engine: clearance.Engine, deployments: List[Tuple[str, str]], at: str) -> Columns:
    """On a worker: the sweep's answers for these deployments, as columns."""
    questions = [(system, "operate", release, at) for system, release in deployments]
    return cast(Columns, engine.decide_many(questions).to_columns())


def joined(parts: List[Columns]) -> Columns:
    """The partitions' columns, one after another."""
    names = list(parts[0]) if parts else []
    return {name: [value for part in parts for value in part[name]] for name in names}


def engines_built() -> int:
    """On a worker: how many engines this process has built."""
    return int(clearance._clearance._stats()["engines_built"])  # type: ignore[attr-defined]


def distributed_sweep(client: Any, engine: clearance.Engine, at: str, count: int) -> Columns:
    """The sweep of ``engine``'s estate at ``at``, in ``count`` partitions on ``client``'s workers."""
    [shared] = client.scatter([engine], broadcast=True)
    runs = partitions(engine.inventory.deployments, count)
    futures = [client.submit(sweep_partition, shared, run, at, pure=False) for run in runs]
    return joined(client.gather(futures))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inventory", nargs="?", type=Path, help="an inventory JSON file (default: a generated estate)")
    parser.add_argument("--at", default="2025-06-01", help="the instant to sweep at (default: 2025-06-01)")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes (default: 2)")
    parser.add_argument("--partitions", type=int, default=8, help="partitions of the deployments (default: 8)")
    parser.add_argument("--scheduler", help="a running Dask scheduler's address, instead of a local cluster")
    parser.add_argument("--check", action="store_true", help="compare with a sweep in this process; exit 1 if they differ")
    args = parser.parse_args(argv)

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print('distributed_sweep: needs Dask: pip install "dask[distributed]"', file=sys.stderr)
        return 2

    source: Any = args.inventory if args.inventory else clearance._clearance._workload_inventory_json()  # type: ignore[attr-defined]
    engine = clearance.Engine(source)

    if args.scheduler:
        client, cluster = Client(args.scheduler), None
    else:
        cluster = LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        start = time.perf_counter()
        columns = distributed_sweep(client, engine, args.at, args.partitions)
        seconds = time.perf_counter() - start
        built = client.run(engines_built)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    allowed = sum(columns["allowed"]) if columns else 0
    summary = {
        "deployments": len(columns.get("system", [])),
        "allowed": allowed,
        "denied": len(columns.get("system", [])) - allowed,
        "workers": len(built),
        "engines_built_per_worker": sorted(built.values()),
        "seconds": round(seconds, 3),
    }
    same = None
    if args.check:
        same = columns == engine.sweep(args.at).to_columns()
        summary["same_as_one_process"] = same
    print(json.dumps(summary))
    return 1 if same is False else 0


if __name__ == "__main__":
    sys.exit(main())
