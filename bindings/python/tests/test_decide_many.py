"""``Engine.decide_many``: arbitrary questions in one call, answered as
``decide`` answers each, with the interpreter released; a bad question
raises for the whole call."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import threading
import time

import pytest

import clearance

UTC = dt.timezone.utc
_clearance = importlib.import_module("clearance._clearance")


def paths_taken(call) -> tuple:
    """(matrices, single questions) ``call()`` had ``decide_many`` ask."""
    before = _clearance._stats()
    call()
    after = _clearance._stats()
    return (
        after["decide_many_matrices"] - before["decide_many_matrices"],
        after["decide_many_singles"] - before["decide_many_singles"],
    )


def every_question(engine: clearance.Engine) -> list:
    inventory = engine.inventory
    questions = []
    for i, at in enumerate(["2017-06-01", dt.date(2018, 1, 10), dt.datetime(2021, 6, 1, 12, tzinfo=UTC), "2024-10-01"]):
        for action in clearance.ACTIONS:
            for release in inventory.release_ids[i::3]:
                for system in inventory.system_ids:
                    questions.append((system, action, release, at))
    # Mixed up, so that questions at one instant are not next to each other.
    return questions[::2] + questions[1::2][::-1]


@pytest.mark.parametrize("threads", [1, 2])
def test_each_answer_is_decides(example_path, threads):
    engine = clearance.Engine(example_path, threads=threads)
    questions = every_question(engine)
    answers = engine.decide_many(questions)
    assert isinstance(answers, clearance.Decisions)
    assert len(answers) == len(questions)
    for question, answer in zip(questions, answers):
        assert answer == engine.decide(*question), question


@pytest.mark.parametrize("threads", [1, 2, 0])
def test_questions_sharing_an_instant_take_the_bulk_path_and_the_rest_are_asked_singly(example_path, threads):
    engine = clearance.Engine(example_path, threads=threads)
    inventory = engine.inventory
    # Every cell of two matrices: two matrices, no single question.
    dense = [(s, a, r, "2021-06-01") for a in ("deploy", "update") for r in inventory.release_ids for s in inventory.system_ids]
    answers = []
    assert paths_taken(lambda: answers.append(engine.decide_many(dense))) == (2, 0)
    assert list(answers[0])[:440] == list(engine.matrix("deploy", at="2021-06-01"))
    assert list(answers[0])[440:] == list(engine.matrix("update", at="2021-06-01"))
    # Each at an instant of its own: asked one by one (on the engine's threads
    # when there are enough), each as `decide` answers it.
    sparse = [
        (s, "deploy", r, dt.datetime(2018, 1, 1, tzinfo=UTC) + dt.timedelta(days=i))
        for i, (s, r) in enumerate((s, r) for r in inventory.release_ids[:5] for s in inventory.system_ids)
    ]
    assert len(sparse) == 110
    assert paths_taken(lambda: answers.append(engine.decide_many(sparse))) == (0, 110)
    assert list(answers[1]) == [engine.decide(*q) for q in sparse]
    # Both in one call, mixed: one matrix for the dense instant, the rest singly.
    mixed = [q for pair in zip(dense[:440], sparse * 4) for q in pair]
    assert paths_taken(lambda: answers.append(engine.decide_many(mixed))) == (1, 440)
    assert list(answers[2]) == [engine.decide(*q) for q in mixed]


def test_questions_as_tuples_lists_dicts_and_without_an_instant(engine):
    answers = engine.decide_many(
        [
            ("mod-secret", "deploy", "kes-12", "2018-01-10"),
            ["mod-secret", "deploy", "kes-12", "2018-01-10"],
            {"system": "mod-secret", "action": "deploy", "release": "kes-12", "at": "2018-01-10"},
            ("uk-home-laptop", "deploy", "defender-4.18"),
            {"system": "uk-home-laptop", "action": "deploy", "release": "defender-4.18"},
            {"system": "uk-home-laptop", "action": "deploy", "release": "defender-4.18", "at": None},
        ]
    )
    assert answers[0] == answers[1] == answers[2]
    assert answers[0].rule_ids == ["uk-ncsc-2017/secret-and-above"]
    # Questions without an instant are about one "now", read once.
    assert answers[3].at == answers[4].at == answers[5].at
    assert abs(answers[3].at - dt.datetime.now(UTC)) < dt.timedelta(minutes=1)
    # Any iterable will do, a generator too.
    generated = engine.decide_many(("mod-secret", "deploy", r, "2018-01-10") for r in ["kes-12", "defender-4.18"])
    assert [d.release for d in generated] == ["kes-12", "defender-4.18"]
    assert len(engine.decide_many([])) == 0


@pytest.mark.parametrize(
    "bad, error, kind",
    [
        (("nowhere", "deploy", "kes-12", "2018-01-10"), clearance.QueryError, "unknown-system"),
        (("mod-secret", "deploy", "no-such-release"), clearance.QueryError, "unknown-release"),
        (("mod-secret", "install", "kes-12"), clearance.QueryError, "unknown-action"),
        (("mod-secret", "deploy", "kes-12", dt.datetime(2018, 1, 10)), clearance.QueryError, "invalid-value"),
        (("mod-secret", "deploy", "kes-12", "2018-13-45"), clearance.QueryError, "invalid-value"),
    ],
)
def test_a_bad_question_raises_for_the_call_as_decide_raises(engine, bad, error, kind):
    with pytest.raises(error) as single:
        engine.decide(*bad)
    questions = [("mod-secret", "deploy", "kes-12", "2018-01-10")] * 5 + [bad] + [("uk-home-laptop", "deploy", "defender-4.18")]
    # Also among questions the bulk path answers.
    dense = [(s, "deploy", r, "2018-01-10") for r in engine.inventory.release_ids for s in engine.inventory.system_ids]
    with pytest.raises(error) as in_bulk:
        engine.decide_many(dense[:100] + [bad] + dense[100:])
    assert (in_bulk.value.kind, str(in_bulk.value), in_bulk.value.index) == (single.value.kind, str(single.value), 100)
    with pytest.raises(error) as raised:
        engine.decide_many(questions)
    assert raised.value.kind == single.value.kind
    assert single.value.kind == kind
    assert str(raised.value) == str(single.value)
    assert raised.value.index == 5
    if sys.version_info >= (3, 11):
        assert "raised for questions[5]" in raised.value.__notes__


@pytest.mark.parametrize(
    "bad",
    [("mod-secret", "deploy"), ("a", "b", "c", "d", "e"), "mod-secret deploy kes-12", 42, {"system": "mod-secret"}],
    ids=repr,
)
def test_a_question_of_the_wrong_shape_raises(engine, bad):
    with pytest.raises((TypeError, KeyError)) as raised:
        engine.decide_many([("mod-secret", "deploy", "kes-12"), bad])
    assert raised.value.index == 1
    with pytest.raises(TypeError):
        engine.decide_many(42)


@pytest.mark.skipif(not getattr(sys, "_is_gil_enabled", lambda: True)(), reason="no GIL to release")
def test_decide_many_releases_the_interpreter(example_path):
    """As ``test_matrix_releases_the_interpreter``: another thread runs Python
    only while Rust answers."""
    engine = clearance.Engine(example_path)
    questions = every_question(engine)
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0)

    old = sys.getswitchinterval()
    sys.setswitchinterval(60.0)
    counter = threading.Thread(target=count)
    try:
        counter.start()
        before = ticks
        deadline = time.perf_counter() + 0.05
        while time.perf_counter() < deadline:
            pass
        held = ticks - before
        before = ticks
        for _ in range(3):
            engine.decide_many(questions)
        during = ticks - before
    finally:
        done.set()
        sys.setswitchinterval(old)
        counter.join()
    assert held == 0
    assert during > 0
