"""The README's Python examples run, and say what they show."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def blocks() -> list:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_quickstart_and_decide_many_examples_run(monkeypatch, example_path, capsys):
    monkeypatch.chdir(example_path.parents[1])
    quickstart, many = blocks()[0], blocks()[1]
    if importlib.util.find_spec("pandas") is None:
        quickstart = quickstart.replace("import pandas as pd", "pd = None").replace(
            "frame = pd.DataFrame(matrix.to_columns())", "frame = None"
        )
    namespace: dict = {}
    exec(compile(quickstart, str(README), "exec"), namespace)
    assert namespace["decision"].rule_ids == ["uk-ncsc-2017/secret-and-above"]
    assert namespace["matrix"].get("kes-12", "mod-secret").verdict == "deny"
    assert set(namespace["rules"]) <= {r.id for r in namespace["engine"].rules}
    exec(compile(many, str(README), "exec"), namespace)
    assert [d.verdict for d in namespace["answers"]] == ["deny", "deny"]
    assert "DENY deploy kes-12 on mod-secret" in capsys.readouterr().out


def test_the_process_pool_example_is_the_tested_pattern():
    """The pool example (not run here: its functions must be importable by the
    workers) is the pattern test_pickle.py runs with a spawn pool."""
    pool = next(block for block in blocks() if "ProcessPoolExecutor" in block)
    assert "initializer=start, initargs=(engine,)" in pool
    assert 'get_context("spawn")' in pool
