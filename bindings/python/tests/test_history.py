"""``Engine.timeline``, ``Engine.changes`` and ``Engine.impact``: the Rust
methods of those names, from Python."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pytest

import clearance

UTC = dt.timezone.utc


def test_timeline_of_a_kaspersky_product_on_us_desktops(engine):
    timeline = engine.timeline("gsa-desktops", "deploy", "kes-12", "2017-01-01", dt.date(2025, 1, 1))
    assert isinstance(timeline, clearance.Timeline)
    assert (timeline.start, timeline.until) == (
        dt.datetime(2017, 1, 1, tzinfo=UTC), dt.datetime(2025, 1, 1, tzinfo=UTC),
    )
    steps = timeline.steps
    assert len(timeline) == len(steps) == 4 and [s.at for s in timeline] == [s.at for s in steps]
    first, banned = steps[0], steps[1]
    assert first.previous_verdict is None and first.decision.allowed
    assert first.at == timeline.start and first.decision.at == timeline.start
    assert banned.verdict_changed and (banned.previous_verdict, banned.decision.verdict) == ("allow", "deny")
    # 12 December 2017 in Washington (EST): 05:00 UTC.
    assert banned.at == dt.datetime(2017, 12, 12, 5, tzinfo=UTC)
    assert banned.rules_started == ["us-bod-17-01/kaspersky-security-products"]
    assert banned.rules_stopped == ["baseline/permit-unless-forbidden"]
    # 12:00 AM EDT on 29 September 2024.
    assert timeline[-1].at == dt.datetime(2024, 9, 29, 4, tzinfo=UTC)
    # Each step's decision is the one `decide` gives at its instant, and holds until the next.
    for step, following in zip(steps, steps[1:] + [None]):
        assert step.decision == engine.decide("gsa-desktops", "deploy", "kes-12", at=step.at)
        if following is not None:
            just_before = following.at - dt.timedelta(milliseconds=1)
            assert timeline.decision_at(just_before) == step.decision
    assert timeline.decision_at("2016-01-01") is None
    assert "ALLOW -> DENY" in str(timeline)
    assert repr(timeline).startswith("<Timeline deploy 'kes-12' on 'gsa-desktops' from 2017-01-01T00:00:00Z")
    assert json.loads(timeline.to_json())["steps"][1]["at"] == "2017-12-12T05:00:00Z"


def test_timeline_with_waivers_that_start_and_end(engine):
    timeline = engine.timeline("gsa-facility-cctv", "deploy", "hikvision-nvr-4", "2017-01-01", "2026-01-01")
    started = [s for s in timeline if s.waivers_started]
    ended = [s for s in timeline if s.waivers_ended]
    assert started and started[0].waivers_started == ["gsa-889-waiver-cctv"]
    assert ended and ended[0].waivers_ended == ["gsa-889-waiver-cctv"]
    assert ended[0].at > started[0].at


def test_timeline_errors(engine):
    with pytest.raises(clearance.QueryError) as raised:
        engine.timeline("nowhere", "deploy", "kes-12", "2017-01-01", "2018-01-01")
    assert raised.value.kind == "unknown-system"
    with pytest.raises(clearance.QueryError) as raised:
        engine.timeline("gsa-desktops", "deploy", "kes-12", "2018-01-01", "2017-01-01")
    assert raised.value.kind == "invalid-value"
    with pytest.raises(clearance.QueryError):
        engine.timeline("gsa-desktops", "install", "kes-12", "2017-01-01", "2018-01-01")
    with pytest.raises(TypeError, match="`until`"):
        engine.timeline("gsa-desktops", "deploy", "kes-12", "2017-01-01", None)


def test_changes_on_the_day_of_the_us_update_ban(engine):
    changes = engine.changes("update", "2024-01-01", "2025-01-01")
    assert changes and all(isinstance(c, clearance.Change) for c in changes)
    assert [c.at for c in changes] == sorted(c.at for c in changes)
    ban_day = [c for c in changes if c.at == dt.datetime(2024, 9, 29, 4, tzinfo=UTC)]
    assert ban_day and all(not c.step.decision.allowed for c in ban_day)
    assert "us-home-laptop" in {c.system for c in ban_day}
    for change in changes:
        assert (change.system, change.release) in engine.inventory.deployments
        assert change.step.decision == engine.decide(change.system, "update", change.release, at=change.at)
    assert json.loads(changes[0].to_json())["step"]["at"].startswith("2024-")
    assert "update" in str(changes[0])
    with pytest.raises(clearance.QueryError):
        engine.changes("update", "2025-01-01", "2024-01-01")


def test_impact_of_the_ncsc_pack(example_path):
    without = clearance.Engine(example_path, packs=[p for p in clearance.PACKS if p != "uk-ncsc-2017"])
    impact = without.impact("deploy", "2025-06-01")  # after: every shipped pack
    assert isinstance(impact, clearance.Impact)
    assert (impact.action, impact.at) == ("deploy", dt.datetime(2025, 6, 1, tzinfo=UTC))
    assert impact.cells_compared == 440
    assert impact.count("allow", "deny") > 0 and impact.count("deny", "allow") == 0
    assert all(rule.startswith("uk-ncsc-2017/") for rule in impact.by_rule())
    with_all = clearance.Engine(example_path)
    for difference in impact.cells:
        assert difference.before == without.decide(difference.system, "deploy", difference.release, at="2025-06-01")
        assert difference.after == with_all.decide(difference.system, "deploy", difference.release, at="2025-06-01")
    fco = impact.deployments[0]
    assert (fco.system, fco.release) == ("fco-official", "kes-12")
    assert fco.verdict_changed and "uk-ncsc-2017/national-security-assessed" in fco.rules_added
    assert fco.causes and repr(fco) == "<Difference 'kes-12' on 'fco-official': allow -> deny>"
    with pytest.raises(clearance.QueryError):
        impact.count("allow", "maybe")
    assert json.loads(impact.to_json())["action"] == "deploy"


def test_impact_leaves_out_waivers_of_removed_rules(engine):
    impact = engine.impact(
        "procure", "2022-01-01", packs=[p for p in clearance.PACKS if p != "us-ndaa-889"]
    )
    assert impact.waivers_left_out == ["gsa-889-waiver-cctv"]
    assert impact.count("deny", "allow") > 0
    with pytest.raises(clearance.PolicyError):
        engine.impact("deploy", packs=["no-such-pack"])


def test_history_answers_copy_as_themselves_and_do_not_pickle(engine):
    timeline = engine.timeline("gsa-desktops", "deploy", "kes-12", "2017-01-01", "2025-01-01")
    import copy

    for value in (timeline, timeline[0], engine.changes("update", "2024-01-01", "2025-01-01")[0]):
        assert copy.copy(value) is value and copy.deepcopy(value) is value
        with pytest.raises(TypeError):
            pickle.dumps(value)
