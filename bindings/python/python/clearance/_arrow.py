"""Arrow record batches of bulk answers, for ``Decisions.to_arrow`` and
``Matrix.to_arrow``: the Rust side lays the columns out as Arrow buffers
(little-endian ``int32`` indices and offsets, ``int64`` milliseconds, a
validity-style bitmap) and this wraps them, without copying, as pyarrow
arrays. pyarrow is imported only here, when asked for."""

from __future__ import annotations

import importlib
import typing


def _pyarrow() -> typing.Any:
    try:
        return importlib.import_module("pyarrow")
    except ImportError as missing:  # pragma: no cover - exercised without pyarrow
        raise ImportError(
            "to_arrow() needs pyarrow (pip install pyarrow); "
            "to_columns() gives the same columns as plain Python lists"
        ) from missing


def record_batch(parts: typing.Dict[str, typing.Any]) -> typing.Any:
    """A ``pyarrow.RecordBatch`` of the parts ``_clearance`` hands over."""
    pa = _pyarrow()
    length: int = parts["length"]

    def int32(buffer: bytes, count: int) -> typing.Any:
        return pa.Array.from_buffers(pa.int32(), count, [None, pa.py_buffer(buffer)])

    def dictionary(indices: bytes, values: typing.List[str]) -> typing.Any:
        return pa.DictionaryArray.from_arrays(int32(indices, length), pa.array(values, pa.string()))

    def lists(column: typing.Tuple[bytes, bytes, typing.List[str]]) -> typing.Any:
        offsets, values, names = column
        items = pa.DictionaryArray.from_arrays(int32(values, len(values) // 4), pa.array(names, pa.string()))
        return pa.ListArray.from_arrays(int32(offsets, length + 1), items)

    at = pa.Array.from_buffers(pa.timestamp("ms", tz="UTC"), length, [None, pa.py_buffer(parts["at"])])
    verdict = pa.DictionaryArray.from_arrays(
        pa.Array.from_buffers(pa.int8(), length, [None, pa.py_buffer(parts["verdict"])]),
        pa.array(["allow", "deny"], pa.string()),
    )
    allowed = pa.Array.from_buffers(pa.bool_(), length, [None, pa.py_buffer(parts["allowed"])])
    columns = {
        "system": dictionary(*parts["system"]),
        "action": dictionary(*parts["action"]),
        "release": dictionary(*parts["release"]),
        "at": at,
        "verdict": verdict,
        "allowed": allowed,
        "rules": lists(parts["rules"]),
        "advice": lists(parts["advice"]),
        "waivers": lists(parts["waivers"]),
        "errors": lists(parts["errors"]),
        "chains": lists(parts["chains"]),
    }
    return pa.RecordBatch.from_arrays(list(columns.values()), names=list(columns))
