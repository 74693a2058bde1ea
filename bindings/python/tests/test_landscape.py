"""The landscape of apps on government devices (examples/landscape-inventory.json),
asked through Python: the instruments' words on a deny, PAFACA's
non-enforcement orders as labelled waivers, an aggregate-ownership holding
read plainly, and whom PAFACA binds."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import clearance

LANDSCAPE = Path(__file__).resolve().parents[3] / "examples" / "landscape-inventory.json"
PAFACA = "us-pafaca/distribution"
TIKTOK_ACT = "us-no-tiktok-act/agency-it"

MINE = """
@id("mine/no-capcut")
@reason("A house rule that says nothing of whom it binds.")
forbid (principal, action == Action::"procure", resource)
when { resource.product.name == "CapCut" };
"""


@pytest.fixture(scope="module")
def landscape() -> clearance.Engine:
    assert LANDSCAPE.is_file(), f"missing {LANDSCAPE}"
    return clearance.Engine(LANDSCAPE)


def test_tiktok_on_gsa_desktops_is_denied_with_the_acts_words(landscape):
    decision = landscape.decide("gsa-desktops", "deploy", "tiktok-app", at="2023-04-01")
    assert not decision.allowed
    assert TIKTOK_ACT in decision.rule_ids
    rule = decision.reasons[decision.rule_ids.index(TIKTOK_ACT)]
    assert decision.rule_ids[0] == TIKTOK_ACT
    assert decision.reasons[0].quote and decision.reasons[0].quote_source
    assert decision.reasons[0].quote == rule.quote == landscape.rule(TIKTOK_ACT).quote
    assert f'"{rule.quote}"' in str(decision)
    assert decision.non_enforcement == []


def test_the_app_store_in_the_first_non_enforcement_order_is_allowed_and_says_so(landscape):
    decision = landscape.decide("store-catalogue", "deploy", "tiktok-app", at="2025-02-01")
    assert decision.allowed
    assert decision.waivers == ["eo-14166"]
    assert decision.non_enforcement == ["eo-14166"]
    assert "non-enforcement" in str(decision)
    data = decision.to_dict()
    assert data["waivers"] == data["non_enforcement"] == ["eo-14166"]
    serialised = json.loads(decision.to_json())
    assert serialised["non_enforcement"] == ["eo-14166"]
    # The keys of the plain data are those of the JSON, in its order (the JSON
    # leaves out an empty list of holdings).
    assert [k for k in data if k != "allowed" and (k in serialised or data[k])] == list(serialised)
    again = pickle.loads(pickle.dumps(decision))
    assert again == decision and again.non_enforcement == ["eo-14166"]
    assert str(again) == str(decision)


def test_a_20_percent_operator_is_denied_with_its_holding(landscape):
    decision = landscape.decide("store-catalogue", "deploy", "tiktok-pinnacle-app", at="2026-03-01")
    assert not decision.allowed
    assert PAFACA in decision.rule_ids
    assert decision.holdings
    assert any("20% by ByteDance Ltd." in holding for holding in decision.holdings)
    assert all(f"  holding {holding}" in str(decision) for holding in decision.holdings)
    data = decision.to_dict()
    assert data["holdings"] == decision.holdings
    assert all(type(holding) is str for holding in data["holdings"])
    # The JSON gives each holding as an object: the same holdings, in full.
    serialised = json.loads(decision.to_json())
    assert len(serialised["holdings"]) == len(decision.holdings)
    assert all(isinstance(holding, dict) and "stakes" in holding for holding in serialised["holdings"])


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_a_decision_with_holdings_pickles_equal(landscape, protocol):
    decision = landscape.decide("store-catalogue", "deploy", "tiktok-pinnacle-app", at="2026-03-01")
    assert decision.holdings
    again = pickle.loads(pickle.dumps(decision, protocol=protocol))
    assert again == decision
    assert again.holdings == decision.holdings
    assert again.to_json() == decision.to_json()
    assert again.to_dict() == decision.to_dict()
    assert str(again) == str(decision)


def test_bulk_answers_keep_holdings_and_non_enforcement_through_pickle(landscape):
    """A matrix and a sweep pickle their decisions' holdings and waivers of
    non-enforcement too, and their dicts carry them."""
    for at in ("2025-02-01", "2026-03-01"):
        matrix = landscape.matrix("deploy", at=at)
        assert any(d.holdings for d in matrix) or any(d.non_enforcement for d in matrix), at
        back = pickle.loads(pickle.dumps(matrix))
        assert back == matrix
        assert [d.holdings for d in back] == [d.holdings for d in matrix]
        assert [d.non_enforcement for d in back] == [d.non_enforcement for d in matrix]
        assert matrix.to_dicts() == [d.to_dict() for d in matrix]
        swept = landscape.sweep(at=at)
        assert pickle.loads(pickle.dumps(swept)) == swept
    store = landscape.matrix("deploy", at="2025-02-01").get("tiktok-app", "store-catalogue")
    assert store is not None and store.non_enforcement == ["eo-14166"]
    pinnacle = landscape.matrix("deploy", at="2026-03-01").get("tiktok-pinnacle-app", "store-catalogue")
    assert pinnacle is not None and any("20% by ByteDance Ltd." in h for h in pinnacle.holdings)


def test_a_drone_allowed_by_its_makers_conditional_approval_names_it(landscape):
    """The Swiss drone is barred to the USF-supported carrier until its
    maker's (hypothetical) DoW Conditional Approval; then allowed, naming it."""
    before = landscape.decide("carrier-cpe", "procure", "alpenflug-a2-1", at="2026-03-01")
    assert not before.allowed and before.approvals == []
    decision = landscape.decide("carrier-cpe", "procure", "alpenflug-a2-1", at="2026-06-01")
    assert decision.allowed
    [approval] = decision.approvals
    assert approval.startswith("DoW Conditional Approval held by vendor alpenflug (all its models)")
    assert f"  approval {approval}" in str(decision)
    assert decision.to_dict()["approvals"] == [approval]
    [serialised] = json.loads(decision.to_json())["approvals"]
    assert serialised["holder"] == {"vendor": "alpenflug"}
    assert (serialised["by"], serialised["release"]) == ("dow", "alpenflug-a2-1")
    again = pickle.loads(pickle.dumps(decision))
    assert again == decision and again.approvals == decision.approvals
    # A matrix names it for that row alone, and keeps it through a pickle.
    matrix = landscape.matrix("procure", at="2026-06-01")
    cell = matrix.get("alpenflug-a2-1", "carrier-cpe")
    assert cell is not None and cell.approvals == [approval]
    assert all(not d.approvals for d in matrix if d.release != "alpenflug-a2-1")
    back = pickle.loads(pickle.dumps(matrix))
    assert back == matrix
    assert [d.approvals for d in back] == [d.approvals for d in matrix]
    assert matrix.to_dicts() == [d.to_dict() for d in matrix]


def test_rule_binds(landscape):
    rule = landscape.rule(PAFACA)
    assert rule.binds == "role:app-store & location:US | role:internet-hosting-provider & location:US"
    again = pickle.loads(pickle.dumps(rule))
    assert again == rule and again.binds == rule.binds
    assert again.waivers_per_system == rule.waivers_per_system
    assert isinstance(rule.waivers_per_system, bool)
    assert landscape.rule("baseline/permit-unless-forbidden").binds == "anyone"
    # A rule that does not say whom it binds.
    unsaid = clearance.Engine(LANDSCAPE, policies={"mine.cedar": MINE}).rule("mine/no-capcut")
    assert unsaid is not None and unsaid.binds is None and not unsaid.waivers_per_system
    assert pickle.loads(pickle.dumps(unsaid)) == unsaid
    # The dict of a rule is as a decision lists it: no `binds`.
    assert "binds" not in rule.to_dict()


def test_waivers_per_system_round_trips(landscape):
    """A rule that says @waivers("systems") says so, and keeps it through pickle."""
    rule = landscape.rule(TIKTOK_ACT)
    assert rule.waivers_per_system
    again = pickle.loads(pickle.dumps(rule))
    assert again == rule and again.waivers_per_system
    assert not landscape.rule("baseline/permit-unless-forbidden").waivers_per_system


def test_a_household_phone_is_never_denied_by_pafaca(landscape):
    """PAFACA binds app stores and hosting providers, not the people who
    install an app."""
    at = "2026-03-01"
    releases = landscape.inventory.release_ids
    assert "tiktok-app" in releases and "tiktok-pinnacle-app" in releases
    for action in clearance.ACTIONS:
        for release in releases:
            decision = landscape.decide("household-phone", action, release, at=at)
            assert not any(rule.startswith("us-pafaca/") for rule in decision.rule_ids), (action, release)
        matrix = landscape.matrix(action, at=at)
        for release in releases:
            cell = matrix.get(release, "household-phone")
            assert cell is not None
            assert not any(rule.startswith("us-pafaca/") for rule in cell.rule_ids), (action, release)
    # The store, which PAFACA binds, is denied the same app at the same instant.
    assert PAFACA in landscape.decide("store-catalogue", "deploy", "tiktok-pinnacle-app", at=at).rule_ids
