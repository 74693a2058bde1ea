"""The distributed example sweeps a generated estate on two Dask worker
processes, one engine per worker, and gets the answers one process gets."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "distributed_sweep.py"


def load_example():
    spec = importlib.util.spec_from_file_location("distributed_sweep", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_partitions_cover_the_deployments_in_order():
    partitions = load_example().partitions
    deployments = [(f"s{i}", f"r{i}") for i in range(10)]
    for count in (1, 3, 4, 10, 25):
        runs = partitions(deployments, count)
        assert [d for run in runs for d in run] == deployments
        assert len(runs) == min(count, 10)
        assert max(map(len, runs)) - min(map(len, runs)) <= 1
    assert partitions([], 4) == [[]]


def test_columns_of_partitions_join_to_the_whole(engine):
    example = load_example()
    at = "2025-04-02"
    runs = example.partitions(engine.inventory.deployments, 3)
    parts = [example.sweep_partition(engine, run, at) for run in runs]
    assert example.joined(parts) == engine.sweep(at).to_columns()


def test_the_example_on_two_worker_processes_answers_as_one_process():
    if importlib.util.find_spec("distributed") is None:
        pytest.skip('Dask is not installed (pip install "dask[distributed]"); bindings/python/ci.sh installs it')
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--workers", "2", "--partitions", "5", "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["same_as_one_process"] is True
    assert summary["deployments"] == 322
    assert summary["allowed"] + summary["denied"] == 322 and summary["denied"] > 0
    # Two worker processes, each with the one engine built from the broadcast.
    assert summary["workers"] == 2
    assert summary["engines_built_per_worker"] == [1, 1]
