"""Type stubs for clearance: may this product be deployed on this system?"""

import datetime
import os
from typing import Any, Final, Iterable, List, Literal, Mapping, Optional, Tuple, Union, final, overload

__all__ = [
    "ACTIONS",
    "PACKS",
    "SCHEMA",
    "Decision",
    "Engine",
    "Error",
    "Inventory",
    "InventoryError",
    "PolicyError",
    "QueryError",
    "Registry",
    "RegistryEntry",
    "Rule",
    "__version__",
]

__version__: Final[str]
PACKS: Final[Tuple[str, ...]]
"""The names of the shipped policy packs, in the order ``Engine`` loads them."""
ACTIONS: Final[Tuple[str, ...]]
"""The actions a question may ask about: procure, deploy, operate, update."""
SCHEMA: Final[str]
"""The Cedar schema (``.cedarschema`` text) every policy is validated against."""

_StrPath = Union[str, "os.PathLike[str]"]
_InventorySource = Union["Inventory", Mapping[str, Any], str, bytes, "os.PathLike[str]"]
_At = Union[datetime.datetime, datetime.date, str, None]

class Error(Exception):
    """Base class of every error ``clearance`` raises."""

    kind: str
    """The class of problem in kebab-case, as Rust's ``ErrorKind``: ``"json"``,
    ``"dangling-reference"``, ``"policy-syntax"``, ``"unknown-system"``, ``"io"``, ..."""

class InventoryError(Error):
    """The inventory could not be loaded."""

class PolicyError(Error):
    """Policies could not be loaded."""

class QueryError(Error):
    """A question could not be asked."""

@final
class Rule:
    """A policy as people read it."""

    @property
    def id(self) -> str:
        """The policy's ``@id``."""
    @property
    def reason(self) -> str:
        """The policy's ``@reason``."""
    @property
    def source(self) -> Optional[str]:
        """The policy's ``@source``, or ``None``."""
    @property
    def effect(self) -> str:
        """``"permit"``, ``"forbid"`` or ``"advice"``."""
    @property
    def origin(self) -> str:
        """The pack name, file path or name the policy was added under."""
    def to_dict(self) -> dict[str, Optional[str]]:
        """``{"id": ..., "reason": ..., "source": ...}``."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class RegistryEntry:
    """One company of the shipped registry, with where its facts come from."""

    @property
    def id(self) -> str:
        """Its id, as inventories and policies name it."""
    @property
    def name(self) -> str:
        """Its legal name."""
    @property
    def kind(self) -> Literal["vendor", "party"]:
        """``"vendor"`` or ``"party"`` (an owner that makes nothing)."""
    @property
    def aliases(self) -> List[str]:
        """Other names it is known by."""
    @property
    def source(self) -> str:
        """Where its facts come from."""
    @property
    def basis(self) -> Literal["primary", "secondary", "unconfirmed"]:
        """How well it is confirmed."""
    @property
    def note(self) -> Optional[str]:
        """What the sources leave open, or ``None``."""
    def to_dict(self) -> dict[str, Any]:
        """Every field, as a dict."""

@final
class Registry:
    """The shipped registry of the companies the packs name, and their relatives."""

    def __new__(cls) -> "Registry": ...
    def find(self, name: str) -> Optional[RegistryEntry]:
        """The entry whose name or an alias is ``name``, ignoring case, punctuation and spacing."""
    def entry(self, id: str) -> Optional[RegistryEntry]:
        """The entry with this id, or ``None``."""
    @property
    def entries(self) -> List[RegistryEntry]:
        """Every entry: vendors, then parties."""
    def __len__(self) -> int: ...

@final
class Inventory:
    """A loaded, checked inventory.

    A ``str`` source is JSON when its first non-whitespace character is ``{``,
    a file path otherwise.
    """

    def __new__(cls, source: _InventorySource) -> "Inventory": ...
    @staticmethod
    def from_json(text: Union[str, bytes]) -> "Inventory":
        """Parses and checks an inventory from JSON text."""
    @staticmethod
    def from_path(path: _StrPath) -> "Inventory":
        """Reads, parses and checks an inventory from a JSON file."""
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> "Inventory":
        """Checks an inventory given as plain data."""
    def to_json(self) -> str:
        """The inventory as pretty-printed JSON."""
    def to_dict(self) -> dict[str, Any]:
        """The inventory as plain data."""
    @property
    def system_ids(self) -> List[str]:
        """The ids of the systems, in inventory order."""
    @property
    def release_ids(self) -> List[str]:
        """The ids of the releases, in inventory order."""
    @property
    def deployments(self) -> List[Tuple[str, str]]:
        """The deployments as ``(system, release)`` pairs, in inventory order."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Decision:
    """The answer to "may this system do this with this release, at this instant?"

    ``str(decision)`` is the explanation.
    """

    @property
    def allowed(self) -> bool:
        """Whether the verdict is allow."""
    @property
    def verdict(self) -> str:
        """``"allow"`` or ``"deny"``."""
    @property
    def reasons(self) -> List[Rule]:
        """The rules that decided it."""
    @property
    def rule_ids(self) -> List[str]:
        """The ids of ``reasons``."""
    @property
    def advice(self) -> List[Rule]:
        """Advice that applies, whatever the verdict."""
    @property
    def advice_ids(self) -> List[str]:
        """The ids of ``advice``."""
    @property
    def waivers(self) -> List[str]:
        """The ids of the waivers that lifted a rule."""
    @property
    def errors(self) -> List[str]:
        """Errors met while evaluating; any error makes the verdict deny."""
    @property
    def chains(self) -> List[str]:
        """How the release reaches the vendors concerned."""
    @property
    def system(self) -> str:
        """The id of the system asked about."""
    @property
    def action(self) -> str:
        """The action asked about."""
    @property
    def release(self) -> str:
        """The id of the release asked about."""
    @property
    def at(self) -> datetime.datetime:
        """The instant asked about, as an aware datetime in UTC."""
    def to_dict(self) -> dict[str, Any]:
        """The decision as plain data."""
    def to_json(self, *, pretty: bool = False) -> str:
        """The decision as JSON, as the Rust library serialises it."""
    def explain(self) -> str:
        """The explanation, the same text as ``str(decision)``."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Engine:
    """An inventory and a policy set, ready to answer questions."""

    def __new__(
        cls,
        inventory: _InventorySource,
        packs: Union[str, Iterable[str], None] = None,
        policies: Union[str, Iterable[str], Mapping[str, str], None] = None,
        policy_files: Union[_StrPath, Iterable[_StrPath], None] = None,
        *,
        threads: int = 1,
    ) -> "Engine": ...
    def decide(self, system: str, action: str, release: str, at: _At = None) -> Decision:
        """Answers one question."""
    @overload
    def sweep(self, at: _At = None, *, as_dicts: Literal[False] = False) -> List[Decision]:
        """One ``operate`` decision per deployment, in inventory order."""
    @overload
    def sweep(self, at: _At = None, *, as_dicts: Literal[True]) -> List[dict[str, Any]]: ...
    @overload
    def sweep(self, at: _At = None, *, as_dicts: bool = False) -> Union[List[Decision], List[dict[str, Any]]]: ...
    @overload
    def matrix(self, action: str, at: _At = None, *, as_dicts: Literal[False] = False) -> List[Decision]:
        """Every release against every system, row by row."""
    @overload
    def matrix(self, action: str, at: _At = None, *, as_dicts: Literal[True]) -> List[dict[str, Any]]: ...
    @overload
    def matrix(
        self, action: str, at: _At = None, *, as_dicts: bool = False
    ) -> Union[List[Decision], List[dict[str, Any]]]: ...
    @property
    def inventory(self) -> Inventory:
        """The inventory the engine answers about."""
    def inventory_json(self) -> str:
        """The inventory as pretty-printed JSON."""
    @property
    def rules(self) -> List[Rule]:
        """Every policy loaded, in the order added."""
    def rule(self, id: str) -> Optional[Rule]:
        """The policy with this ``@id``, or ``None``."""
