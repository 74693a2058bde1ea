"""Loading inventories every way, and getting them back out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clearance


def test_every_way_in_gives_the_same_inventory(example_path, example_dict):
    text = example_path.read_text(encoding="utf-8")
    ways = [
        clearance.Inventory(example_path),
        clearance.Inventory(str(example_path)),
        clearance.Inventory(text),
        clearance.Inventory("\n  " + text),
        clearance.Inventory(text.encode()),
        clearance.Inventory(example_dict),
        clearance.Inventory.from_path(example_path),
        clearance.Inventory.from_path(str(example_path)),
        clearance.Inventory.from_json(text),
        clearance.Inventory.from_json(text.encode()),
        clearance.Inventory.from_dict(example_dict),
    ]
    assert all(way == ways[0] for way in ways)
    again = clearance.Inventory(ways[0])
    assert again == ways[0]


def test_json_round_trip(example_path):
    inventory = clearance.Inventory(example_path)
    text = inventory.to_json()
    assert json.loads(text)["vendors"][0]["id"] == "shield-resellers"
    assert clearance.Inventory.from_json(text) == inventory
    assert clearance.Inventory.from_json(text).to_json() == text


def test_dict_round_trip(example_path, example_dict):
    inventory = clearance.Inventory(example_path)
    data = inventory.to_dict()
    assert isinstance(data, dict)
    assert clearance.Inventory.from_dict(data) == inventory
    # Normalised, not lossy: every id of the source is there.
    for kind in ("vendors", "products", "releases", "organisations", "systems", "waivers"):
        assert [item["id"] for item in data[kind]] == [item["id"] for item in example_dict[kind]]
    # Instants come back in RFC 3339.
    assert data["waivers"][0]["until"] == "2021-08-13T00:00:00Z"


def test_engine_round_trip(engine, example_path):
    # The inventory as given; the engine merges the shipped registry into it.
    assert engine.inventory == clearance.Inventory(example_path)
    assert "registry" not in engine.inventory.to_dict()
    assert clearance.Inventory.from_json(engine.inventory_json()) == engine.inventory
    assert engine.inventory_json() == engine.inventory.to_json()


def test_round_trip_through_a_file(tmp_path, engine):
    path: Path = tmp_path / "inventory.json"
    path.write_text(engine.inventory_json(), encoding="utf-8")
    rebuilt = clearance.Engine(path)
    assert rebuilt.inventory == engine.inventory
    assert rebuilt.sweep(at="2025-04-02") == engine.sweep(at="2025-04-02")


def test_an_edited_dict_is_a_new_inventory(engine):
    data = engine.inventory.to_dict()
    data["systems"][0]["classification"] = "official"
    edited = clearance.Engine(data)
    assert edited.inventory != engine.inventory
    # The MOD SECRET network, downgraded to OFFICIAL, no longer meets the SECRET rule.
    assert edited.decide("mod-secret", "deploy", "kes-12", at="2018-01-10").allowed


def test_ids_in_inventory_order(example_dict, engine):
    inventory = engine.inventory
    assert inventory.system_ids == [s["id"] for s in example_dict["systems"]]
    assert inventory.release_ids == [r["id"] for r in example_dict["releases"]]
    assert inventory.deployments == [(d["system"], d["release"]) for d in example_dict["deployments"]]


def test_empty_inventory():
    empty = clearance.Inventory({})
    assert empty.system_ids == []
    assert clearance.Inventory.from_json("{}") == empty
    engine = clearance.Engine(empty)
    assert engine.sweep(at="2020-01-01") == []
    assert engine.matrix("deploy", at="2020-01-01") == []


def test_inventory_is_immutable(engine):
    with pytest.raises(AttributeError):
        engine.inventory.system_ids = []  # type: ignore[misc]
    assert "22 systems" in repr(engine.inventory)
