"""Bad inputs raise the small exception hierarchy, with the Rust kind and message."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import pytest

import clearance


def test_hierarchy():
    assert issubclass(clearance.Error, Exception)
    for sub in (clearance.InventoryError, clearance.PolicyError, clearance.QueryError):
        assert issubclass(sub, clearance.Error)
        assert sub.__module__ == "clearance"
        assert sub.__doc__
    assert clearance.Error.__module__ == "clearance"


def test_malformed_json():
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory.from_json('{"vendors": [{"id": "x"}')
    assert raised.value.kind == "json"
    assert "line 1" in str(raised.value)


def test_json_of_the_wrong_shape_names_the_path():
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory.from_json('{"vendors": [{"id": "acme", "name": 7}]}')
    assert raised.value.kind == "json"
    assert "vendors[0].name" in str(raised.value)


def test_unknown_field():
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory.from_dict({"vendorz": []})
    assert raised.value.kind == "json"
    assert "vendorz" in str(raised.value)


def test_dict_that_is_not_json_data():
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory.from_dict({"vendors": [{"id": "a", "when": dt.date(2020, 1, 1)}]})
    assert raised.value.kind == "json"
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory.from_dict({"vendors": [float("nan")]})
    assert raised.value.kind == "json"


def test_dangling_reference(example_dict):
    broken = copy.deepcopy(example_dict)
    broken["products"][0]["vendor"] = "nobody"
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory(broken)
    assert raised.value.kind == "dangling-reference"
    assert str(raised.value) == (
        "product `kes`: `vendor` names vendor `nobody`, which is not in the inventory"
    )


def test_invalid_value_duplicate_and_cycle(example_dict):
    bad_country = copy.deepcopy(example_dict)
    bad_country["vendors"][0]["incorporated"] = "UK"
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory(bad_country)
    assert raised.value.kind == "json"  # a bad value met while parsing
    assert '"GB"' in str(raised.value)
    assert "vendors[0].incorporated" in str(raised.value)

    marked = copy.deepcopy(example_dict)
    marked["systems"][0]["official_sensitive"] = True  # mod-secret is SECRET
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory(marked)
    assert raised.value.kind == "invalid-value"
    assert "OFFICIAL-SENSITIVE" in str(raised.value)

    duplicate = copy.deepcopy(example_dict)
    duplicate["systems"].append(duplicate["systems"][0])
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory(duplicate)
    assert raised.value.kind == "duplicate-id"

    cycle = copy.deepcopy(example_dict)
    cycle["vendors"][0]["controlled_by"] = "shield-resellers"
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory(cycle)
    assert raised.value.kind == "cycle"


def test_missing_inventory_file(tmp_path):
    missing = tmp_path / "nowhere.json"
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Engine(missing)
    assert raised.value.kind == "io"
    assert "nowhere.json" in str(raised.value)
    # A str that does not start with "{" is a path too.
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Inventory(str(missing))
    assert raised.value.kind == "io"


def test_wrong_inventory_type():
    with pytest.raises(TypeError):
        clearance.Inventory(42)
    with pytest.raises(TypeError):
        clearance.Inventory.from_json(["{}"])


def test_unknown_pack(example_path):
    with pytest.raises(clearance.PolicyError) as raised:
        clearance.Engine(example_path, packs=["baseline", "uk-ncsc-2018"])
    assert raised.value.kind == "unknown-pack"
    assert "uk-ncsc-2018" in str(raised.value)


def test_bad_policy_syntax(example_path):
    with pytest.raises(clearance.PolicyError) as raised:
        clearance.Engine(example_path, policies={"mine.cedar": "permit (principal, action, resource"})
    assert raised.value.kind == "policy-syntax"
    assert str(raised.value).startswith("mine.cedar: line 1")


def test_policy_without_annotations(example_path):
    with pytest.raises(clearance.PolicyError) as raised:
        clearance.Engine(example_path, policies="permit (principal, action, resource);")
    assert raised.value.kind == "policy-annotation"
    assert str(raised.value).startswith("<policies>:")


def test_policy_failing_validation(example_path):
    text = '@id("x/y") @reason("r") forbid (principal, action, resource) when { principal.nope };'
    with pytest.raises(clearance.PolicyError) as raised:
        clearance.Engine(example_path, policies=[text])
    assert raised.value.kind == "policy-validation"
    assert str(raised.value).startswith("<policies[0]>:")


def test_duplicate_policy_id(example_path):
    text = '@id("baseline/permit-unless-forbidden") @reason("again") permit (principal, action, resource);'
    with pytest.raises(clearance.PolicyError) as raised:
        clearance.Engine(example_path, policies=text)
    assert raised.value.kind == "duplicate-policy-id"


def test_missing_policy_file(example_path, tmp_path):
    with pytest.raises(clearance.PolicyError) as raised:
        clearance.Engine(example_path, policy_files=tmp_path / "none.cedar")
    assert raised.value.kind == "io"


def test_naive_datetime(engine):
    with pytest.raises(clearance.QueryError) as raised:
        engine.decide("mod-secret", "deploy", "kes-12", at=dt.datetime(2018, 1, 10))
    assert raised.value.kind == "invalid-value"
    assert "timezone" in str(raised.value)
    with pytest.raises(clearance.QueryError):
        engine.sweep(at=dt.datetime(2018, 1, 10))


def test_malformed_or_offsetless_iso_string(engine):
    for bad in ["2018-13-01", "yesterday", "2018-01-10T10:00:00"]:
        with pytest.raises(clearance.QueryError) as raised:
            engine.decide("mod-secret", "deploy", "kes-12", at=bad)
        assert raised.value.kind == "invalid-value"


def test_at_of_the_wrong_type(engine):
    with pytest.raises(TypeError):
        engine.decide("mod-secret", "deploy", "kes-12", at=1515542400)


def test_unknown_system_release_and_action(engine):
    with pytest.raises(clearance.QueryError) as raised:
        engine.decide("no-such-system", "deploy", "kes-12")
    assert raised.value.kind == "unknown-system"
    assert str(raised.value) == "query: system `no-such-system` is not in the inventory"

    with pytest.raises(clearance.QueryError) as raised:
        engine.decide("mod-secret", "deploy", "kes-99")
    assert raised.value.kind == "unknown-release"

    with pytest.raises(clearance.QueryError) as raised:
        engine.decide("mod-secret", "buy", "kes-12")
    assert raised.value.kind == "unknown-action"
    with pytest.raises(clearance.QueryError):
        engine.matrix("buy")


def test_errors_catchable_by_base_class_and_picklable(engine):
    with pytest.raises(clearance.Error) as raised:
        engine.decide("no-such-system", "deploy", "kes-12")
    again = pickle.loads(pickle.dumps(raised.value))
    assert type(again) is clearance.QueryError
    assert again.kind == "unknown-system"
    assert str(again) == str(raised.value)
