"""Every public class pickles to an equal object (or, for an engine, one that
answers alike), copies as itself (they are immutable), and can be weakly
referenced; an engine goes to a ``spawn`` process pool and answers there as
it does here."""

from __future__ import annotations

import copy
import gc
import multiprocessing
import pickle
import weakref
from concurrent.futures import ProcessPoolExecutor

import pytest

import clearance

PROTOCOLS = range(2, pickle.HIGHEST_PROTOCOL + 1)

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


def round_trip(value, protocol=pickle.HIGHEST_PROTOCOL):
    return pickle.loads(pickle.dumps(value, protocol=protocol))


def same_answers(one: clearance.Engine, other: clearance.Engine) -> None:
    assert one.inventory == other.inventory
    assert [(r.id, r.origin, r.effect, r.reason, r.source) for r in one.rules] == [
        (r.id, r.origin, r.effect, r.reason, r.source) for r in other.rules
    ]
    assert one.rules == other.rules
    assert one.threads == other.threads
    for action in clearance.ACTIONS:
        assert one.matrix(action, at="2024-10-01") == other.matrix(action, at="2024-10-01")
    assert one.sweep(at="2025-04-02") == other.sweep(at="2025-04-02")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_rule_and_decision_round_trip(engine, protocol):
    rule = engine.rule("uk-ncsc-2017/secret-and-above")
    back = round_trip(rule, protocol)
    assert back == rule and hash(back) == hash(rule)
    assert (back.id, back.reason, back.source, back.effect, back.origin, back.quote, back.quote_source) == (
        rule.id, rule.reason, rule.source, rule.effect, rule.origin, rule.quote, rule.quote_source,
    )
    # Every decision of every matrix: chains, advice, waivers and all.
    for action in clearance.ACTIONS:
        for at in ("2018-01-10", "2021-06-01", "2024-10-01"):
            for decision in engine.matrix(action, at=at):
                again = round_trip(decision, protocol)
                assert again == decision
                assert again.to_json() == decision.to_json()
                assert str(again) == str(decision)
    waived = engine.decide("gsa-facility-cctv", "deploy", "hikvision-nvr-4", at="2021-06-01")
    assert round_trip(waived).waivers == ["gsa-889-waiver-cctv"]
    chained = engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10")
    assert chained.chains and round_trip(chained).chains == chained.chains


def test_a_pickled_decision_is_small_and_self_contained(engine):
    decision = engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10")
    data = pickle.dumps(decision)
    assert b"uk-ncsc-2017/secret-and-above" in data
    assert len(data) < 4096


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_inventory_round_trips(example_path, protocol):
    inventory = clearance.Inventory(example_path)
    back = round_trip(inventory, protocol)
    assert back == inventory and back is not inventory
    assert back.to_json() == inventory.to_json()


def test_engine_round_trips_with_its_policies(example_path, tmp_path):
    path = tmp_path / "bank.cedar"
    path.write_text(BANK, encoding="utf-8")
    engines = [
        clearance.Engine(example_path),
        clearance.Engine(example_path, threads=2),
        clearance.Engine(example_path, policies={"bank.cedar": BANK}),
        clearance.Engine(example_path, policy_files=[path], threads=0),
        clearance.Engine(
            {**clearance.Inventory(example_path).to_dict(), "waivers": []},
            packs=["baseline", "uk-ncsc-2017"],
            policies=[BANK],
        ),
    ]
    for engine in engines:
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            same_answers(round_trip(engine, protocol), engine)
    # The policy file's text went with the engine: it need not exist where
    # the engine is unpickled.
    data = pickle.dumps(engines[3])
    path.unlink()
    back = pickle.loads(data)
    assert back.rule("bank/no-russian-antivirus-offers").origin == str(path)
    assert not back.decide("barclays-customer-offers", "procure", "kes-12", at="2018-01-01").allowed


def test_an_unpickled_engine_is_built_once(engine):
    stats = clearance._clearance._stats()  # type: ignore[attr-defined]
    back = round_trip(engine)
    after = clearance._clearance._stats()  # type: ignore[attr-defined]
    assert after["engines_built"] == stats["engines_built"] + 1
    assert after["inventories_loaded"] == stats["inventories_loaded"] + 1
    assert back.inventory is back.inventory


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_bulk_answers_round_trip(engine, protocol):
    matrix = engine.matrix("deploy", at="2019-06-01")
    back = round_trip(matrix, protocol)
    assert back == matrix
    assert (back.releases, back.systems, back.action, back.at) == (
        matrix.releases, matrix.systems, matrix.action, matrix.at,
    )
    assert back.get("kes-12", "mod-secret") == matrix.get("kes-12", "mod-secret")
    swept = engine.sweep(at="2025-04-02")
    assert round_trip(swept, protocol) == swept
    many = engine.decide_many([("mod-secret", "deploy", "kes-12", "2018-01-10")] * 3)
    assert round_trip(many, protocol) == many
    # Each rule is written once, not once per cell.
    data = pickle.dumps(matrix)
    assert data.count(b"A Russia-based antivirus provider should never be used") == 1


def test_registry_round_trips():
    registry = clearance.Registry()
    assert round_trip(registry) == registry
    entry = registry.find("AO Kaspersky Lab")
    assert entry is not None
    back = round_trip(entry)
    assert back == entry and hash(back) == hash(entry)
    assert back.to_dict() == entry.to_dict()


def test_errors_round_trip_with_their_kind(engine):
    with pytest.raises(clearance.QueryError) as raised:
        engine.decide("nowhere", "deploy", "kes-12")
    back = round_trip(raised.value)
    assert type(back) is clearance.QueryError
    assert (back.kind, str(back)) == (raised.value.kind, str(raised.value))


def test_copies_are_the_objects_themselves(engine, example_path):
    values = [
        engine,
        clearance.Inventory(example_path),
        engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10"),
        engine.rule("uk-ncsc-2017/secret-and-above"),
        engine.matrix("deploy", at="2019-06-01"),
        engine.sweep(at="2025-04-02"),
        clearance.Registry(),
        clearance.Registry().find("Huawei"),
    ]
    for value in values:
        assert copy.copy(value) is value, type(value)
        assert copy.deepcopy(value) is value, type(value)
        assert copy.deepcopy([value, value])[0] is value


def test_weak_references(example_path):
    engine = clearance.Engine(example_path)
    values = [
        engine,
        engine.inventory,
        engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10"),
        engine.rule("uk-ncsc-2017/secret-and-above"),
        engine.matrix("deploy", at="2019-06-01"),
        engine.sweep(at="2025-04-02"),
        clearance.Registry(),
        clearance.Registry().find("Huawei"),
    ]
    refs = [weakref.ref(value) for value in values]
    assert [ref() for ref in refs] == values
    cache = weakref.WeakValueDictionary({"engine": engine})
    assert cache["engine"] is engine
    del values, engine
    gc.collect()
    assert all(ref() is None for ref in refs)
    assert "engine" not in cache


_worker_engine: clearance.Engine | None = None


def keep_engine(engine: clearance.Engine) -> None:
    global _worker_engine
    _worker_engine = engine


def answer_in_worker(at: str, engine: clearance.Engine | None = None) -> tuple:
    engine = engine or _worker_engine
    assert engine is not None
    return (
        engine.matrix("deploy", at=at).to_dicts(),
        engine.sweep(at=at).to_dicts(),
        engine.decide("mod-secret", "deploy", "kes-12", at=at),
        clearance._clearance._stats()["engines_built"],  # type: ignore[attr-defined]
    )


def test_an_engine_sent_to_a_spawn_pool_answers_as_here(example_path):
    engine = clearance.Engine(example_path, threads=2, policies={"bank.cedar": BANK})
    instants = ("2018-01-10", "2021-06-01", "2024-10-01", "2025-04-02")
    context = multiprocessing.get_context("spawn")
    # Sent once to each worker, as the pool starts it: built once there.
    with ProcessPoolExecutor(2, mp_context=context, initializer=keep_engine, initargs=(engine,)) as pool:
        results = list(pool.map(answer_in_worker, instants, timeout=120))
    # Or with a task, as an argument: built for that task.
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        results.append(pool.submit(answer_in_worker, instants[0], engine).result(timeout=120))
    for at, (matrix, swept, decision, built) in zip(instants + instants[:1], results):
        assert matrix == engine.matrix("deploy", at=at).to_dicts()
        assert swept == engine.sweep(at=at).to_dicts()
        assert decision == engine.decide("mod-secret", "deploy", "kes-12", at=at)
        assert built == 1
