"""Bulk answers: ``Matrix`` and ``Decisions`` as sequences, ``get``, and
their plain forms (dicts, columns, Arrow), which say the same as the
``Decision`` objects."""

from __future__ import annotations

import collections.abc
import datetime as dt
import gc
import importlib
import sys
import tracemalloc

import pytest

import clearance

_clearance = importlib.import_module("clearance._clearance")
UTC = dt.timezone.utc
AT = "2019-06-01"


@pytest.fixture(scope="module")
def matrix(engine) -> clearance.Matrix:
    return engine.matrix("deploy", at=AT)


@pytest.fixture(scope="module")
def estate() -> clearance.Engine:
    """The Rust benchmarks' generated estate: 500 releases, 100 systems."""
    return clearance.Engine(_clearance._workload_inventory_json())


def test_matrix_is_a_sequence_of_decisions_row_by_row(engine, matrix):
    inventory = engine.inventory
    assert isinstance(matrix, collections.abc.Sequence)
    assert len(matrix) == len(inventory.release_ids) * len(inventory.system_ids) == 440
    assert matrix.shape == (20, 22)
    assert (matrix.releases, matrix.systems) == (inventory.release_ids, inventory.system_ids)
    assert (matrix.action, matrix.at) == ("deploy", dt.datetime(2019, 6, 1, tzinfo=UTC))
    cells = list(matrix)
    assert all(type(d) is clearance.Decision for d in cells)
    assert [(d.release, d.system) for d in cells] == [
        (r, s) for r in inventory.release_ids for s in inventory.system_ids
    ]
    assert matrix[0] == cells[0] and matrix[-1] == cells[-1] and matrix[439] == cells[439]
    assert matrix[10:20] == cells[10:20] and matrix[::-50] == cells[::-50]
    assert list(reversed(matrix)) == cells[::-1]
    with pytest.raises(IndexError):
        matrix[440]
    with pytest.raises(IndexError):
        matrix[-441]
    with pytest.raises(TypeError):
        matrix["kes-12"]  # type: ignore[call-overload]
    assert cells[5] in matrix and matrix.index(cells[5]) == 5
    assert matrix.count(cells[5]) == 1 and matrix.index(cells[5], 0, 6) == 5
    with pytest.raises(ValueError):
        matrix.index(cells[5], 6)
    assert "kes-12" not in matrix and matrix.count("kes-12") == 0
    assert repr(matrix) == (
        "<Matrix deploy at 2019-06-01T00:00:00Z: 20 releases x 22 systems (308 allow, 132 deny)>"
    )


def test_matrix_get(engine, matrix):
    cell = matrix.get("kes-12", "mod-secret")
    assert cell is not None
    assert cell.rule_ids == ["uk-ncsc-2017/secret-and-above"]
    assert cell == engine.decide("mod-secret", "deploy", "kes-12", at=AT)
    for d in matrix:
        assert matrix.get(d.release, d.system) == d
    assert matrix.get("no-such-release", "mod-secret") is None
    assert matrix.get("kes-12", "no-such-system") is None
    # Rows first, as the matrix is laid out: the other order finds nothing.
    assert matrix.get("mod-secret", "kes-12") is None


def test_answers_compare_with_each_other_and_with_lists(engine, matrix):
    again = engine.matrix("deploy", at=AT)
    assert again == matrix and not (again != matrix) and again is not matrix
    assert matrix == list(matrix) and matrix == tuple(matrix) and list(matrix) == list(again)
    assert matrix != list(matrix)[:-1]
    assert matrix != engine.matrix("deploy", at="2019-06-02")
    assert matrix != engine.matrix("procure", at=AT)
    assert matrix != "matrix" and matrix != 440
    swept = engine.sweep(at="2025-04-02")
    assert swept == engine.sweep(at="2025-04-02") and swept != matrix
    with pytest.raises(TypeError):
        hash(matrix)


def test_decisions_of_a_sweep(engine):
    swept = engine.sweep(at="2025-04-02")
    assert isinstance(swept, clearance.Decisions)
    assert isinstance(swept, collections.abc.Sequence)
    assert [(d.system, d.release) for d in swept] == engine.inventory.deployments
    fco = swept.get("fco-official", "kes-12")
    assert fco is not None and fco.rule_ids == ["uk-ncsc-2017/national-security-departments"]
    assert swept.get("kes-12", "fco-official") is None
    assert repr(swept) == "<Decisions: 14 (8 allow, 6 deny)>"


def test_decisions_taken_out_share_the_answer_and_outlive_it(engine):
    cell = engine.matrix("deploy", at=AT)[0]
    gc.collect()
    assert cell == engine.decide(cell.system, "deploy", cell.release, at=AT)
    it = iter(engine.sweep(at="2025-04-02"))
    assert next(it).system == engine.inventory.deployments[0][0]
    assert len(list(it)) == 13


def test_to_dicts_are_each_decisions_to_dict(engine, matrix):
    dicts = matrix.to_dicts()
    assert dicts == [d.to_dict() for d in matrix]
    assert engine.matrix("deploy", at=AT, as_dicts=True) == dicts
    assert engine.sweep(at="2025-04-02", as_dicts=True) == engine.sweep(at="2025-04-02").to_dicts()
    # Strings and the instant are shared; the containers are each row's own.
    assert len({id(row["at"]) for row in dicts}) == 1
    assert len({id(row["release"]) for row in dicts}) == 20
    denied = [row for row in dicts if row["rules"] and row["rules"][0]["id"] == "uk-ncsc-2017/secret-and-above"]
    assert len(denied) > 1
    assert denied[0]["rules"] is not denied[1]["rules"]
    assert denied[0]["rules"][0] is not denied[1]["rules"][0]
    denied[0]["rules"].clear()
    assert denied[1]["rules"]


def test_to_dicts_leaves_the_garbage_collector_as_it_was(matrix):
    assert gc.isenabled()
    matrix.to_dicts()
    assert gc.isenabled()
    gc.disable()
    try:
        matrix.to_dicts()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_to_columns_say_what_the_decisions_say(engine, matrix):
    columns = matrix.to_columns()
    assert list(columns) == [
        "system", "action", "release", "at", "verdict", "allowed",
        "rules", "advice", "waivers", "errors", "chains",
    ]
    assert all(type(column) is list and len(column) == len(matrix) for column in columns.values())
    for i, d in enumerate(matrix):
        row = {name: column[i] for name, column in columns.items()}
        assert row == {
            "system": d.system, "action": d.action, "release": d.release, "at": d.at,
            "verdict": d.verdict, "allowed": d.allowed,
            "rules": tuple(d.rule_ids), "advice": tuple(d.advice_ids),
            "waivers": tuple(d.waivers), "errors": tuple(d.errors), "chains": tuple(d.chains),
        }
    # The rule table: every rule a cell names, once.
    table = matrix.rules
    named = {rule for column in ("rules", "advice") for cell in columns[column] for rule in cell}
    assert set(table) == named
    assert all(table[id] == engine.rule(id) for id in table)
    # Equal values are one object.
    for name in ("system", "release", "verdict", "rules", "advice", "chains", "at", "action"):
        distinct_values = len({value for value in columns[name]})
        assert len({id(value) for value in columns[name]}) == distinct_values, name


def test_sweep_columns_and_waivers(engine):
    waived = engine.decide_many([("gsa-facility-cctv", "deploy", "hikvision-nvr-4", "2021-06-01")] * 3)
    columns = waived.to_columns()
    assert columns["waivers"] == [("gsa-889-waiver-cctv",)] * 3
    assert columns["rules"] == [("baseline/permit-unless-forbidden",)] * 3


def test_columns_hold_at_most_100_bytes_a_cell(estate):
    matrix = estate.matrix("deploy", at="2025-06-01")
    cells = len(matrix)
    assert cells == 50_000
    gc.collect()
    tracemalloc.start()
    try:
        columns = matrix.to_columns()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(columns["system"]) == cells
    assert held / cells <= 100, f"{held / cells:.1f} bytes a cell"


def test_pandas_reads_the_columns(matrix):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(matrix.to_columns())
    assert frame.shape == (440, 11)
    denied = frame[~frame["allowed"]]
    assert len(denied) == 132
    assert ("uk-ncsc-2017/secret-and-above",) in set(denied["rules"])


def test_to_arrow_is_the_columns_as_a_record_batch(engine, matrix):
    pa = pytest.importorskip("pyarrow")
    batch = matrix.to_arrow()
    assert isinstance(batch, pa.RecordBatch)
    assert batch.num_rows == len(matrix)
    assert batch.schema.names == list(matrix.to_columns())
    assert pa.types.is_dictionary(batch.schema.field("system").type)
    assert batch.schema.field("at").type == pa.timestamp("ms", tz="UTC")
    assert batch.schema.field("allowed").type == pa.bool_()
    columns = matrix.to_columns()
    for name in ("system", "action", "release", "verdict", "allowed", "at"):
        assert batch.column(name).to_pylist() == columns[name], name
    for name in ("rules", "advice", "waivers", "errors", "chains"):
        assert [tuple(cell) for cell in batch.column(name).to_pylist()] == columns[name], name
    swept = engine.sweep(at="2025-04-02")
    assert swept.to_arrow().to_pylist() == [
        {**row, **{k: list(v) for k, v in row.items() if isinstance(v, tuple)}}
        for row in (dict(zip(swept.to_columns(), values)) for values in zip(*swept.to_columns().values()))
    ]
    empty = engine.decide_many([])
    assert empty.to_arrow().num_rows == 0 and empty.to_columns()["system"] == []


def test_polars_reads_the_record_batch(matrix):
    pytest.importorskip("pyarrow")
    pl = pytest.importorskip("polars")
    frame = pl.from_arrow(matrix.to_arrow())
    assert frame.height == 440
    assert frame.filter(~pl.col("allowed")).height == 132
    assert frame["system"].to_list() == matrix.to_columns()["system"]


def test_to_arrow_without_pyarrow_says_what_to_install(matrix, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match="pip install pyarrow"):
        matrix.to_arrow()
