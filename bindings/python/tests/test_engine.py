"""The engine and decision API: instants, sweep and matrix, policies, reuse, threads."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
import threading
import time
import zoneinfo
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import clearance

_clearance = importlib.import_module("clearance._clearance")

UTC = dt.timezone.utc
REPO = Path(__file__).resolve().parents[3]


def test_module_constants():
    assert clearance.PACKS[0] == "baseline"
    assert "uk-ncsc-2017" in clearance.PACKS and "us-pafaca" in clearance.PACKS
    # One pack a file of policies/, each once.
    shipped = {path.stem for path in (REPO / "policies").glob("*.cedar")}
    assert len(clearance.PACKS) == len(set(clearance.PACKS)) and set(clearance.PACKS) == shipped
    assert clearance.ACTIONS == ("procure", "deploy", "operate", "update")
    assert "entity System" in clearance.SCHEMA
    assert clearance.__version__ == "0.1.0"


def test_decision_fields(engine):
    d = engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10")
    assert (d.allowed, d.verdict) == (False, "deny")
    (rule,) = d.reasons
    assert isinstance(rule, clearance.Rule)
    assert rule.id == "uk-ncsc-2017/secret-and-above"
    assert rule.reason.startswith("A Russia-based antivirus provider")
    assert rule.source.startswith("NCSC, letter from Ciaran Martin")
    assert rule.quote.endswith("a Russia-based provider should never be used.")
    assert "theregister" in rule.quote_source
    assert rule.to_dict()["quote_source"] == rule.quote_source
    assert "quote:  \"In practical terms" in str(d)
    assert (rule.effect, rule.origin) == ("forbid", "uk-ncsc-2017")
    assert rule == engine.rule("uk-ncsc-2017/secret-and-above")
    assert len({rule, engine.rule(rule.id)}) == 1
    assert d.advice == [] and d.waivers == [] and d.errors == []
    assert d.at == dt.datetime(2018, 1, 10, tzinfo=UTC)
    assert d.at.tzinfo is not None


def test_decision_repr_and_str(engine):
    d = engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10")
    assert repr(d) == (
        "<Decision deny deploy 'kes-12' on 'mod-secret' at 2018-01-10T00:00:00Z "
        "reasons=['uk-ncsc-2017/secret-and-above']>"
    )
    assert str(d).splitlines()[0] == "DENY deploy kes-12 on mod-secret at 2018-01-10T00:00:00Z"
    advised = engine.decide("stadtwerke-office", "operate", "kes-12", at="2023-06-01")
    assert "advice=['de-bsi-2022/replace-kaspersky-antivirus']" in repr(advised)
    assert "  advice  de-bsi-2022/replace-kaspersky-antivirus:" in str(advised)
    assert repr(engine.rule(advised.advice_ids[0])) == (
        "Rule(id='de-bsi-2022/replace-kaspersky-antivirus', effect='advice')"
    )
    waived = engine.decide("gsa-facility-cctv", "deploy", "hikvision-nvr-4", at="2021-06-01")
    assert repr(waived).endswith(
        "reasons=['baseline/permit-unless-forbidden'] waivers=['gsa-889-waiver-cctv']>"
    )


def test_decision_to_dict_and_json(engine):
    d = engine.decide("gsa-facility-cctv", "deploy", "hikvision-nvr-4", at="2021-06-01")
    data = d.to_dict()
    assert data == {
        "system": "gsa-facility-cctv",
        "action": "deploy",
        "release": "hikvision-nvr-4",
        "at": dt.datetime(2021, 6, 1, tzinfo=UTC),
        "verdict": "allow",
        "allowed": True,
        "rules": [engine.rule("baseline/permit-unless-forbidden").to_dict()],
        "advice": [],
        "waivers": ["gsa-889-waiver-cctv"],
        "errors": [],
        "chains": [],
        "non_enforcement": [],
        "holdings": [],
        "approvals": [],
    }
    serialised = json.loads(d.to_json())
    assert serialised["verdict"] == "allow"
    assert serialised["at"] == "2021-06-01T00:00:00Z"
    assert serialised["rules"][0]["id"] == "baseline/permit-unless-forbidden"
    assert json.loads(d.to_json(pretty=True)) == serialised
    # The plain data and the JSON name the same fields the same way (the
    # deciding rules are "rules" in both), in the same order, and differ only
    # in how `at` is written and in that the JSON leaves out an empty
    # `non_enforcement`, `holdings` and `approvals`.
    empty = {"non_enforcement": [], "holdings": [], "approvals": []}
    assert [key for key in data if key != "allowed"] == list(serialised) + list(empty)
    assert {**data, "at": "2021-06-01T00:00:00Z"} == {**serialised, **empty, "allowed": True}


def test_decisions_compare_by_value(engine):
    a = engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10")
    b = engine.decide("mod-secret", "deploy", "kes-12", at=dt.date(2018, 1, 10))
    c = engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-11")
    assert a == b and a != c
    with pytest.raises(TypeError):
        hash(a)


@pytest.mark.parametrize(
    "at",
    [
        "2024-09-30",
        "2024-09-30T00:00:00Z",
        "2024-09-30T02:00:00+02:00",
        dt.date(2024, 9, 30),
        dt.datetime(2024, 9, 30, tzinfo=UTC),
        dt.datetime(2024, 9, 29, 20, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
        dt.datetime(2024, 9, 30, 5, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    ],
    ids=repr,
)
def test_every_form_of_at_names_the_same_instant(engine, at):
    d = engine.decide("us-home-laptop", "update", "kis-2024", at=at)
    assert d.at == dt.datetime(2024, 9, 30, tzinfo=UTC)
    assert d.rule_ids == ["us-icts-2024-kaspersky/updates"]


def test_at_keeps_milliseconds_and_the_instant_boundary(engine):
    # Updates stop at 12:00 AM EDT on 29 September 2024, 04:00 UTC.
    just_before = dt.datetime(2024, 9, 29, 3, 59, 59, 999_999, tzinfo=UTC)
    d = engine.decide("us-home-laptop", "update", "kis-2024", at=just_before)
    assert d.at == dt.datetime(2024, 9, 29, 3, 59, 59, 999_000, tzinfo=UTC)
    assert d.allowed
    assert not engine.decide("us-home-laptop", "update", "kis-2024", at="2024-09-29T04:00:00.000Z").allowed
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert not engine.decide("us-home-laptop", "update", "kis-2024", at=dt.datetime(2024, 9, 29, tzinfo=new_york)).allowed


def test_at_defaults_to_now(engine):
    before = dt.datetime.now(UTC) - dt.timedelta(seconds=1)
    d = engine.decide("uk-home-laptop", "deploy", "defender-4.18")
    assert before <= d.at <= dt.datetime.now(UTC) + dt.timedelta(seconds=1)
    assert d.allowed


def test_at_extremes(engine):
    first = engine.decide("uk-home-laptop", "deploy", "defender-4.18", at=dt.date(1, 1, 1))
    assert first.at == dt.datetime(1, 1, 1, tzinfo=UTC)
    last = engine.decide("uk-home-laptop", "deploy", "defender-4.18", at="9999-12-31T23:59:59.999Z")
    assert last.at.year == 9999
    with pytest.raises(clearance.QueryError):
        engine.decide("uk-home-laptop", "deploy", "defender-4.18", at="0000-06-01")


def test_sweep(engine):
    at = "2025-04-02"
    swept = engine.sweep(at=at)
    assert [(d.system, d.release) for d in swept] == engine.inventory.deployments
    assert {d.action for d in swept} == {"operate"}
    assert all(d.at == dt.datetime(2025, 4, 2, tzinfo=UTC) for d in swept)
    for d in swept:
        assert d == engine.decide(d.system, "operate", d.release, at=at)
    denied = {(d.system, d.release): d.rule_ids for d in swept if not d.allowed}
    assert denied[("home-affairs-desktops", "kes-12")] == ["au-pspf-002-2025/kaspersky"]
    assert ("home-affairs-malware-lab", "kes-12") not in denied
    assert denied[("fco-official", "kes-12")] == ["uk-ncsc-2017/national-security-departments"]


def test_sweep_as_dicts(engine):
    dicts = engine.sweep(at="2025-04-02", as_dicts=True)
    objects = engine.sweep(at="2025-04-02")
    assert dicts == [d.to_dict() for d in objects]
    assert all(type(row) is dict for row in dicts)
    # One datetime shared by every row.
    assert len({id(row["at"]) for row in dicts}) == 1


def test_matrix(engine):
    inventory = engine.inventory
    cells = engine.matrix("deploy", at="2019-06-01")
    assert len(cells) == len(inventory.release_ids) * len(inventory.system_ids)
    expected = [(r, s) for r in inventory.release_ids for s in inventory.system_ids]
    assert [(d.release, d.system) for d in cells] == expected
    by_cell = {(d.release, d.system): d for d in cells}
    assert by_cell[("kes-12", "mod-secret")].rule_ids == ["uk-ncsc-2017/secret-and-above"]
    assert by_cell[("shield-av-1", "gsa-desktops")] == engine.decide(
        "gsa-desktops", "deploy", "shield-av-1", at="2019-06-01"
    )
    as_dicts = engine.matrix("deploy", at="2019-06-01", as_dicts=True)
    assert as_dicts == [d.to_dict() for d in cells]


def test_packs_are_chosen_by_name(example_path, example_dict):
    # The example's waivers name rules of the US and Australian packs: with
    # those packs left out they would lift nothing, which is an error.
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Engine(example_path, packs=["baseline", "uk-ncsc-2017"])
    assert "shipped pack `us-ndaa-889`" in str(raised.value)
    example_path = {**example_dict, "waivers": []}
    only_uk = clearance.Engine(example_path, packs=["baseline", "uk-ncsc-2017"])
    assert {r.origin for r in only_uk.rules} == {"baseline", "uk-ncsc-2017"}
    # Without the US packs, the ICTS update ban does not apply.
    assert only_uk.decide("us-home-laptop", "update", "kis-2024", at="2024-10-01").allowed
    # A single str is one pack name.
    alone = clearance.Engine(example_path, packs="baseline")
    assert [r.id for r in alone.rules] == ["baseline/permit-unless-forbidden"]
    # No packs: nothing permits, so everything is denied, with no rule to name.
    none = clearance.Engine(example_path, packs=[])
    d = none.decide("uk-home-laptop", "deploy", "defender-4.18", at="2024-01-01")
    assert (d.allowed, d.rule_ids) == (False, [])
    assert "because no policy permits it" in str(d)
    # The default is every shipped pack.
    default = clearance.Engine(example_path)
    assert [r.origin for r in default.rules] == [
        r.origin for r in clearance.Engine(example_path, packs=clearance.PACKS).rules
    ]
    assert set(r.origin for r in default.rules) == set(clearance.PACKS)


BANK = """
@id("bank/no-russian-antivirus-offers")
@reason("The bank does not offer customers antivirus controlled from Russia.")
@source("Bank board decision, 2 December 2017 (precautionary)")
forbid (principal in Organisation::"barclays", action == Action::"procure", resource)
when {
    resource.product.category == "antivirus" &&
    resource.controlCountries.contains("RU")
};
"""


def test_own_policies_from_text_and_files(example_path, tmp_path):
    for policies in (BANK, [BANK], {"bank.cedar": BANK}):
        engine = clearance.Engine(example_path, policies=policies)
        d = engine.decide("barclays-customer-offers", "procure", "kes-12", at="2017-12-02")
        assert d.rule_ids == ["bank/no-russian-antivirus-offers"]
        assert d.reasons[0].source == "Bank board decision, 2 December 2017 (precautionary)"
    assert engine.rule("bank/no-russian-antivirus-offers").origin == "bank.cedar"

    path = tmp_path / "bank.cedar"
    path.write_text(BANK, encoding="utf-8")
    for files in (path, str(path), [path]):
        engine = clearance.Engine(example_path, policy_files=files)
        assert engine.rule("bank/no-russian-antivirus-offers").origin == str(path)
        assert not engine.decide("barclays-customer-offers", "procure", "kes-12", at="2018-01-01").allowed
    # Without it, the bank's precaution is nobody's rule.
    assert clearance.Engine(example_path).decide(
        "barclays-customer-offers", "procure", "kes-12", at="2018-01-01"
    ).allowed


def test_a_loaded_inventory_is_reused(example_path):
    """One parse and one engine build serve every later question."""
    before = _clearance._stats()
    engine = clearance.Engine(example_path)
    after_build = _clearance._stats()
    assert after_build["inventories_loaded"] == before["inventories_loaded"] + 1
    assert after_build["engines_built"] == before["engines_built"] + 1

    inventory = engine.inventory
    for _ in range(200):
        assert not engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10").allowed
    engine.sweep(at="2025-04-02")
    engine.matrix("update", at="2025-04-02", as_dicts=True)
    engine.inventory_json()
    assert _clearance._stats() == after_build
    # The same Python object every time, not a fresh copy.
    assert engine.inventory is inventory

    # An Inventory object handed to several engines is parsed once, and is the
    # very object each engine gives back.
    shared = clearance.Inventory(example_path)
    one, two = clearance.Engine(shared), clearance.Engine(shared, packs=list(clearance.PACKS))
    stats = _clearance._stats()
    assert stats["inventories_loaded"] == after_build["inventories_loaded"] + 1
    assert stats["engines_built"] == after_build["engines_built"] + 2
    assert one.inventory is shared and two.inventory is shared


def test_engine_is_shared_across_threads(engine):
    expected = engine.sweep(at="2025-04-02")
    start = threading.Barrier(4)

    def work(_: int) -> list:
        start.wait()
        return [engine.sweep(at="2025-04-02") for _ in range(5)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(4)))
    assert all(sweep == expected for runs in results for sweep in runs)


@pytest.mark.skipif(
    not getattr(sys, "_is_gil_enabled", lambda: True)(), reason="no GIL to release"
)
def test_matrix_releases_the_interpreter(engine):
    """Another thread runs Python while a matrix is computed, and only then.

    With a switch interval of a minute, a thread holding the interpreter keeps
    it while it runs Python; the counting thread can only tick while the main
    thread is inside Rust with the interpreter released.
    """
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0)  # lets go of the interpreter, then waits for it again

    old = sys.getswitchinterval()
    sys.setswitchinterval(60.0)
    counter = threading.Thread(target=count)
    try:
        counter.start()
        # Control: while this thread runs Python, the counter is held still.
        before = ticks
        deadline = time.perf_counter() + 0.05
        while time.perf_counter() < deadline:
            pass
        held = ticks - before
        before = ticks
        for _ in range(5):
            engine.matrix("deploy", at="2024-10-01")
        during = ticks - before
    finally:
        done.set()
        sys.setswitchinterval(old)
        counter.join()
    assert held == 0
    assert during > 0


def test_engine_repr(engine):
    assert repr(engine).startswith("<Engine: 22 systems, 20 releases, 14 deployments,")


def test_classes_are_final_and_documented():
    for cls in (clearance.Engine, clearance.Inventory, clearance.Decision, clearance.Rule):
        assert cls.__module__ == "clearance"
        assert cls.__doc__ and len(cls.__doc__) > 40
        with pytest.raises(TypeError):
            type("Sub", (cls,), {})
    with pytest.raises(TypeError):
        clearance.Decision()


def test_threads_give_the_same_decisions(example_path, engine):
    for threads in (0, 2):
        parallel = clearance.Engine(example_path, threads=threads)
        assert parallel.sweep(at="2025-04-02") == engine.sweep(at="2025-04-02")
        assert parallel.matrix("update", at="2024-10-01") == engine.matrix("update", at="2024-10-01")
    with pytest.raises(OverflowError):
        clearance.Engine(example_path, threads=-1)


def test_package_docstring_example_runs(monkeypatch, example_path):
    import doctest

    monkeypatch.chdir(example_path.parents[1])
    result = doctest.testmod(clearance, raise_on_error=False)
    assert result.attempted >= 4 and result.failed == 0
