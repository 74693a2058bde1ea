"""Shared fixtures: the article's example inventory and an engine over it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clearance

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "article-inventory.json"


@pytest.fixture(scope="session")
def example_path() -> Path:
    assert EXAMPLE.is_file(), f"missing {EXAMPLE}"
    return EXAMPLE


@pytest.fixture(scope="session")
def example_dict(example_path: Path) -> dict:
    return json.loads(example_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def engine(example_path: Path) -> clearance.Engine:
    """Every shipped pack over the example inventory, built once for the session."""
    return clearance.Engine(example_path)
