"""The shipped registry, for mapping names to the ids the packs use."""

from __future__ import annotations

import clearance


def test_names_and_aliases_find_their_ids():
    registry = clearance.Registry()
    assert registry.find("Kaspersky Lab, Inc.").id == "kaspersky-lab-inc"
    assert registry.find("KASPERSKY LAB ZAO").id == "ao-kaspersky-lab"
    assert registry.find("Acme") is None
    assert registry.entry("cetc").kind == "party"


def test_every_entry_says_where_it_comes_from():
    entries = clearance.Registry().entries
    assert len(entries) == len(clearance.Registry()) >= 15
    for entry in entries:
        assert entry.source
        assert entry.basis in ("primary", "secondary", "unconfirmed")
        assert entry.to_dict()["id"] == entry.id
    assert clearance.Registry().entry("huawei-investment-holding").basis == "unconfirmed"


def test_an_inventory_refers_to_registry_companies_without_defining_them():
    engine = clearance.Engine(
        {
            "products": [{"id": "kis", "name": "KIS", "vendor": "kaspersky-lab-inc", "category": "antivirus"}],
            "releases": [{"id": "kis-2019", "product": "kis", "version": "19.0.0"}],
            "organisations": [
                {"id": "gsa", "name": "GSA", "country": "US", "sector": "central-government",
                 "roles": ["federal-executive-branch"]}
            ],
            "systems": [{"id": "desktops", "name": "Desktops", "owner": "gsa"}],
        }
    )
    decision = engine.decide("desktops", "deploy", "kis-2019", at="2019-06-01")
    assert decision.rule_ids == ["us-bod-17-01/kaspersky-security-products", "us-ndaa-1634/kaspersky"]
    assert "Kaspersky Labs Limited" in decision.chains[0]
