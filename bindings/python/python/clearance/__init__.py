"""May this product be deployed on this system?

``clearance`` models vendors (and who controls them), products and their
releases, organisations and systems, and decides with Cedar policies whether a
system may procure, deploy, operate or update a release at a given instant. It
ships policy packs for real rules with their legal sources (the UK NCSC's 2017
advice on Russia-based antivirus, the US Kaspersky and Huawei/ZTE bans, and
their peers abroad), and explains every answer.

>>> from pathlib import Path
>>> import clearance
>>> engine = clearance.Engine(Path("examples/article-inventory.json"))
>>> decision = engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10")
>>> decision.allowed, decision.rule_ids
(False, ['uk-ncsc-2017/secret-and-above'])

This package is a thin layer over the Rust library of the same name: the
classes below are implemented in Rust (``clearance._clearance``), and every
decision is computed there with the interpreter released.
"""

from collections.abc import Sequence as _Sequence

from ._clearance import (
    ACTIONS,
    PACKS,
    SCHEMA,
    Change,
    Decision,
    Decisions,
    Difference,
    Engine,
    Error,
    Impact,
    Inventory,
    InventoryError,
    Matrix,
    PolicyError,
    QueryError,
    Registry,
    RegistryEntry,
    Rule,
    Step,
    Timeline,
    __version__,
)
from ._types import ColumnsDict, DecisionDict, RuleDict

# Bulk answers have every method of a read-only sequence.
_Sequence.register(Decisions)
_Sequence.register(Matrix)

__all__ = [
    "ACTIONS",
    "PACKS",
    "SCHEMA",
    "Change",
    "ColumnsDict",
    "Decision",
    "DecisionDict",
    "Decisions",
    "Difference",
    "Engine",
    "Error",
    "Impact",
    "Inventory",
    "InventoryError",
    "Matrix",
    "PolicyError",
    "QueryError",
    "Registry",
    "RegistryEntry",
    "Rule",
    "RuleDict",
    "Step",
    "Timeline",
    "__version__",
]
