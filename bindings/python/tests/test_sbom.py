"""SBOM import from Python: ``Inventory.with_sbom`` over the Rust importer."""

import json
import pathlib

import pytest

import clearance

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "sbom"
SUITE = DATA / "hand-suite-with-kaspersky-sdk.cdx.json"


def inventory():
    return clearance.Inventory(DATA / "inventory.json")


def test_an_sbom_naming_a_kaspersky_sdk_makes_the_packs_deny_the_suite():
    before = inventory()
    after, report = before.with_sbom("product-1", SUITE, DATA / "aliases.json")
    # The inventory it was called on is unchanged.
    assert before == inventory()
    assert after != before
    assert report["release"] == "product-1"
    assert report["format"] == "CycloneDX 1.5"
    vendors = {a["vendor"] for a in report["attributed"]}
    assert "ao-kaspersky-lab" in vendors
    assert [u["reference"] for u in report["unattributed"]] == ["zlib"]
    assert report["left_out"][0]["reference"] == "test-harness"
    assert "attached to release `product-1`" in report["text"]

    question = ("secret-desktops", "deploy", "product-1")
    assert clearance.Engine(before).decide(*question, at="2018-01-10").allowed
    denied = clearance.Engine(after).decide(*question, at="2018-01-10")
    assert denied.rule_ids == ["uk-ncsc-2017/secret-and-above"]


def test_an_sbom_may_be_json_text_a_dict_or_a_path_and_so_may_the_aliases():
    text = SUITE.read_text()
    aliases = json.loads((DATA / "aliases.json").read_text())
    by_path, _ = inventory().with_sbom("product-1", str(SUITE), aliases)
    by_text, _ = inventory().with_sbom("product-1", text, json.dumps(aliases))
    by_dict, _ = inventory().with_sbom("product-1", json.loads(text), aliases)
    by_bytes, _ = inventory().with_sbom("product-1", text.encode(), aliases)
    assert by_path == by_text == by_dict == by_bytes


def test_unknown_components_are_counted_where_policies_see_them():
    after, report = inventory().with_sbom("product-1", SUITE)
    key = report["unattributed"][0]["key"]
    assert key == "pkg:generic/zlib@1.2.11"
    releases = {r["id"]: r for r in after.to_dict()["releases"]}
    sdk = next(a["release"] for a in report["attributed"] if a["vendor"] == "ao-kaspersky-lab")
    assert releases[sdk]["unattributed_components"] == [key]
    # Policies see it on every release embedding it, at any depth.
    strict = """
        @id("org/no-unattributed-code")
        @reason("Every component must have a known vendor.")
        @source("Our supply-chain policy")
        forbid (principal, action, resource) when { resource.unattributedComponents > 0 };
    """
    engine = clearance.Engine(after, packs=["baseline"], policies=[strict])
    decision = engine.decide("secret-desktops", "deploy", "product-1", at="2018-01-10")
    assert decision.rule_ids == ["org/no-unattributed-code"]
    untouched = clearance.Engine(inventory(), packs=["baseline"], policies=[strict])
    assert untouched.decide("secret-desktops", "deploy", "product-1", at="2018-01-10").allowed


@pytest.mark.parametrize(
    "sbom, kind, named",
    [
        (DATA / "bad-cycle.cdx.json", "cycle", "bad-cycle.cdx.json"),
        (DATA / "bad-spec-version-1.3.cdx.json", "invalid-value", "1.3"),
        (DATA / "bad-truncated.cdx.json", "json", "bad-truncated.cdx.json"),
        (DATA / "no-such-file.json", "io", "no-such-file.json"),
    ],
)
def test_a_bad_sbom_is_an_inventory_error_naming_it(sbom, kind, named):
    with pytest.raises(clearance.InventoryError) as raised:
        inventory().with_sbom("product-1", sbom)
    assert raised.value.kind == kind
    assert named in str(raised.value)


def test_an_unknown_release_or_a_wrong_type_is_refused():
    with pytest.raises(clearance.Error) as raised:
        inventory().with_sbom("no-such-release", SUITE)
    assert raised.value.kind == "unknown-release"
    with pytest.raises(TypeError):
        inventory().with_sbom("product-1", 42)
