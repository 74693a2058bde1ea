"""The type stubs (clearance/__init__.pyi) describe exactly what the module has."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import clearance

STUB = Path(clearance.__file__).with_name("__init__.pyi")


def stub_tree() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def public(names):
    return {n for n in names if not n.startswith("_") or n == "__new__"}


def test_stub_and_marker_are_installed():
    assert STUB.is_file()
    assert STUB.with_name("py.typed").is_file()


def test_stub_lists_every_export():
    tree = stub_tree()
    declared = {
        node.target.id if isinstance(node, ast.AnnAssign) else node.name
        for node in tree.body
        if isinstance(node, (ast.ClassDef, ast.AnnAssign, ast.FunctionDef))
        and isinstance(getattr(node, "target", None) or node, (ast.Name, ast.ClassDef, ast.FunctionDef))
    }
    declared = {name for name in declared if not name.startswith("_") or name == "__version__"}
    assert declared == set(clearance.__all__)
    assert set(clearance.__all__) == {n for n in dir(clearance) if not n.startswith("_")} | {"__version__"}


def test_stub_classes_match_runtime_members_and_signatures():
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef):
            continue
        runtime = getattr(clearance, node.name)
        assert runtime.__doc__, node.name
        members = {}
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                members.setdefault(item.name, item)
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                members[item.target.id] = item
        if issubclass(runtime, BaseException):
            assert set(members) == {"kind"} or not members, node.name
            continue
        if hasattr(runtime, "__required_keys__"):  # a TypedDict: its keys, in order
            assert list(runtime.__annotations__) == list(members), node.name
            assert runtime.__required_keys__ == set(members), node.name
            continue
        runtime_members = public(vars(runtime)) - {"__new__"}
        stub_members = public(members) - {"__new__"}
        assert stub_members == runtime_members, node.name
        for name in runtime_members:
            attribute = inspect.getattr_static(runtime, name)
            assert getattr(runtime, name).__doc__, f"{node.name}.{name} has no docstring"
            stub = members[name]
            if not isinstance(stub, ast.FunctionDef):
                continue
            is_property = any(isinstance(d, ast.Name) and d.id == "property" for d in stub.decorator_list)
            assert is_property == (type(attribute).__name__ == "getset_descriptor"), f"{node.name}.{name}"
            if is_property:
                continue
            args = stub.args
            stub_params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
            if stub_params and stub_params[0] == "self":
                stub_params = stub_params[1:]
            runtime_params = list(inspect.signature(getattr(runtime, name)).parameters)
            if runtime_params and runtime_params[0] == "self":
                runtime_params = runtime_params[1:]
            assert stub_params == runtime_params, f"{node.name}.{name}"
        if "__new__" in members:
            stub_new = members["__new__"].args
            stub_params = [a.arg for a in stub_new.args + stub_new.kwonlyargs][1:]
            assert stub_params == list(inspect.signature(runtime).parameters), node.name


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_mypy_stubtest_agrees():
    result = subprocess.run(
        [
            sys.executable, "-m", "mypy.stubtest", "clearance",
            "--allowlist", str(Path(__file__).with_name("stubtest-allowlist.txt")),
            "--ignore-unused-allowlist",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_classes_signatures_are_inspectable():
    """On every Python the package supports (3.9's stable ABI loses them
    unless the module restores them), classes show their arguments."""
    assert str(inspect.signature(clearance.Engine)) == (
        "(inventory, packs=None, policies=None, policy_files=None, *, threads=1)"
    )
    assert str(inspect.signature(clearance.Inventory)) == "(source)"
    assert str(inspect.signature(clearance.Registry)) == "()"
    assert "threads=1" in (clearance.Engine.__text_signature__ or str(clearance.Engine.__signature__))


def test_equality_and_hashing_are_as_the_stubs_promise():
    """A class the stubs give ``__eq__`` and ``__hash__`` hashes; one with
    ``__eq__`` alone is unhashable (so equal objects never hash apart); one
    with neither compares by identity."""
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef):
            continue
        runtime = getattr(clearance, node.name)
        if issubclass(runtime, BaseException) or hasattr(runtime, "__required_keys__"):
            continue
        names = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
        if "__hash__" in names:
            assert "__eq__" in names, node.name
            assert runtime.__hash__ is not None and runtime.__hash__ is not object.__hash__, node.name
        elif "__eq__" in names:
            assert runtime.__hash__ is None, node.name
        else:
            assert runtime.__eq__ is object.__eq__, node.name
