"""Type stubs for clearance: may this product be deployed on this system?"""

import datetime
import os
import sys
from typing import (
    Any,
    Dict,
    Final,
    Iterable,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypedDict,
    Union,
    final,
    overload,
)

if sys.version_info >= (3, 11):
    from typing import Self
else:
    from typing_extensions import Self

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

_Action = Literal["procure", "deploy", "operate", "update"]
_Verdict = Literal["allow", "deny"]
_Effect = Literal["permit", "forbid", "advice"]

__version__: Final[str]
PACKS: Final[Tuple[str, ...]]
"""The names of the shipped policy packs, in the order ``Engine`` loads them."""
ACTIONS: Final[Tuple[_Action, ...]]
"""The actions a question may ask about: procure, deploy, operate, update."""
SCHEMA: Final[str]
"""The Cedar schema (``.cedarschema`` text) every policy is validated against."""

_StrPath = Union[str, "os.PathLike[str]"]
_InventorySource = Union["Inventory", Mapping[str, Any], str, bytes, "os.PathLike[str]"]
_At = Union[datetime.datetime, datetime.date, str, None]
_Question = Union[
    Tuple[str, str, str],
    Tuple[str, str, str, _At],
    Mapping[str, Any],
]

class RuleDict(TypedDict):
    """A rule as ``Rule.to_dict`` and ``Decision.to_dict`` give it."""

    id: str
    reason: str
    source: Optional[str]
    quote: Optional[str]
    quote_source: Optional[str]

class DecisionDict(TypedDict):
    """A decision as ``Decision.to_dict`` gives it: the keys of ``Decision.to_json``
    (which leaves ``non_enforcement``, ``holdings`` and ``approvals`` out when they
    are empty, and writes each holding and approval as an object, not a sentence),
    plus ``allowed``."""

    system: str
    action: _Action
    release: str
    at: datetime.datetime
    verdict: _Verdict
    allowed: bool
    rules: List[RuleDict]
    advice: List[RuleDict]
    waivers: List[str]
    errors: List[str]
    chains: List[str]
    non_enforcement: List[str]
    holdings: List[str]
    approvals: List[str]

class ColumnsDict(TypedDict):
    """Decisions as ``Decisions.to_columns`` and ``Matrix.to_columns`` give them:
    equal-length lists, a row per decision."""

    system: List[str]
    action: List[_Action]
    release: List[str]
    at: List[datetime.datetime]
    verdict: List[_Verdict]
    allowed: List[bool]
    rules: List[Tuple[str, ...]]
    advice: List[Tuple[str, ...]]
    waivers: List[Tuple[str, ...]]
    errors: List[Tuple[str, ...]]
    chains: List[Tuple[str, ...]]

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
    def quote(self) -> Optional[str]:
        """The policy's ``@quote``: the instrument's operative words, verbatim, or ``None``."""
    @property
    def quote_source(self) -> Optional[str]:
        """The policy's ``@quote_source``: where the quoted words are, or ``None``."""
    @property
    def binds(self) -> Optional[str]:
        """The policy's ``@binds``: the classes of systems it binds, or ``None``."""
    @property
    def waivers_per_system(self) -> bool:
        """Whether the policy says ``@waivers("systems")``: a waiver of it must name systems."""
    @property
    def effect(self) -> _Effect:
        """``"permit"``, ``"forbid"`` or ``"advice"``."""
    @property
    def origin(self) -> str:
        """The pack name, file path or name the policy was added under."""
    def to_dict(self) -> RuleDict:
        """``{"id": ..., "reason": ..., "source": ..., "quote": ..., "quote_source": ...}``."""
    def __copy__(self) -> Self:
        """A rule is immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """A rule is immutable: its deep copy is itself."""
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
    def to_dict(self) -> Dict[str, Any]:
        """Every field, as a dict."""
    def __copy__(self) -> Self:
        """Immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """Immutable: its deep copy is itself."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

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
    def __copy__(self) -> Self:
        """Immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """Immutable: its deep copy is itself."""
    def __len__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

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
    def to_dict(self) -> Dict[str, Any]:
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
    def with_sbom(
        self,
        release: str,
        sbom: Union[str, bytes, Mapping[str, Any], "os.PathLike[str]"],
        aliases: Union[str, bytes, Mapping[str, Any], "os.PathLike[str]", None] = None,
    ) -> Tuple["Inventory", Dict[str, Any]]:
        """A new inventory with a CycloneDX or SPDX SBOM attached to ``release``,
        and the import's report (a dict, with its ``text``)."""
    def __copy__(self) -> Self:
        """An inventory is immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """An inventory is immutable: its deep copy is itself."""
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
    def verdict(self) -> _Verdict:
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
    def non_enforcement(self) -> List[str]:
        """Of ``waivers``, the ids of those that record a period of non-enforcement."""
    @property
    def holdings(self) -> List[str]:
        """The aggregate-ownership tests read, one sentence per company tested."""
    @property
    def approvals(self) -> List[str]:
        """The Conditional Approvals in force for the release's equipment, one sentence each."""
    @property
    def system(self) -> str:
        """The id of the system asked about."""
    @property
    def action(self) -> _Action:
        """The action asked about."""
    @property
    def release(self) -> str:
        """The id of the release asked about."""
    @property
    def at(self) -> datetime.datetime:
        """The instant asked about, as an aware datetime in UTC."""
    def to_dict(self) -> DecisionDict:
        """The decision as plain data, with the keys of ``to_json``."""
    def to_json(self, *, pretty: bool = False) -> str:
        """The decision as JSON, as the Rust library serialises it."""
    def explain(self) -> str:
        """The explanation, the same text as ``str(decision)``."""
    def __copy__(self) -> Self:
        """A decision is immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """A decision is immutable: its deep copy is itself."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Decisions(Sequence[Decision]):
    """Decisions, in order: a sweep's, or ``Engine.decide_many``'s."""

    def get(self, system: str, release: str) -> Optional[Decision]:
        """The first decision about ``system`` and ``release``, or ``None``."""
    @property
    def rules(self) -> Dict[str, Rule]:
        """Every rule the decisions name, by id: the table the columns refer to."""
    def to_columns(self) -> ColumnsDict:
        """The decisions as a dict of equal-length lists, for pandas or polars."""
    def to_arrow(self) -> Any:
        """The decisions as a ``pyarrow.RecordBatch`` (needs pyarrow)."""
    def to_dicts(self) -> List[DecisionDict]:
        """The decisions as a list of dicts, each as ``Decision.to_dict`` gives it."""
    def __copy__(self) -> Self:
        """Immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """Immutable: its deep copy is itself."""
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int, /) -> Decision: ...
    @overload
    def __getitem__(self, index: slice, /) -> List[Decision]: ...
    def __iter__(self) -> Iterator[Decision]: ...
    def __reversed__(self) -> Iterator[Decision]: ...
    def __contains__(self, value: object, /) -> bool: ...
    def index(self, value: Any, start: int = 0, stop: int = ...) -> int:
        """The position of the first decision equal to ``value``, as ``list.index``."""
    def count(self, value: Any) -> int:
        """How many decisions are equal to ``value``."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Matrix(Sequence[Decision]):
    """Every release (rows) against every system (columns) for one action at one instant."""

    def get(self, release: str, system: str) -> Optional[Decision]:
        """The decision about ``release`` on ``system``, or ``None``."""
    @property
    def releases(self) -> List[str]:
        """The ids of the releases, in inventory order: the rows."""
    @property
    def systems(self) -> List[str]:
        """The ids of the systems, in inventory order: the columns."""
    @property
    def shape(self) -> Tuple[int, int]:
        """``(len(releases), len(systems))``."""
    @property
    def action(self) -> _Action:
        """The action every cell asks about."""
    @property
    def at(self) -> datetime.datetime:
        """The instant every cell asks about, as an aware datetime in UTC."""
    @property
    def rules(self) -> Dict[str, Rule]:
        """Every rule the cells name, by id: the table the columns refer to."""
    def to_columns(self) -> ColumnsDict:
        """Every cell as a dict of equal-length lists, row by row."""
    def to_arrow(self) -> Any:
        """Every cell as a ``pyarrow.RecordBatch``, row by row (needs pyarrow)."""
    def to_dicts(self) -> List[DecisionDict]:
        """Every cell as a dict, row by row."""
    def __copy__(self) -> Self:
        """Immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """Immutable: its deep copy is itself."""
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int, /) -> Decision: ...
    @overload
    def __getitem__(self, index: slice, /) -> List[Decision]: ...
    def __iter__(self) -> Iterator[Decision]: ...
    def __reversed__(self) -> Iterator[Decision]: ...
    def __contains__(self, value: object, /) -> bool: ...
    def index(self, value: Any, start: int = 0, stop: int = ...) -> int:
        """The position of the first decision equal to ``value``, as ``list.index``."""
    def count(self, value: Any) -> int:
        """How many decisions are equal to ``value``."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Step:
    """One point of a ``Timeline``: the decision from ``at`` on, and what changed there."""

    @property
    def at(self) -> datetime.datetime:
        """The instant this decision starts to hold, as an aware datetime in UTC."""
    @property
    def decision(self) -> Decision:
        """The decision from ``at`` on."""
    @property
    def previous_verdict(self) -> Optional[_Verdict]:
        """The verdict before ``at``, or ``None`` for the first step."""
    @property
    def verdict_changed(self) -> bool:
        """Whether the verdict changed at ``at``."""
    @property
    def rules_started(self) -> List[str]:
        """The ids of the rules that start deciding at ``at``."""
    @property
    def rules_stopped(self) -> List[str]:
        """The ids of the rules that stop deciding at ``at``."""
    @property
    def advice_started(self) -> List[str]:
        """The ids of the advice that starts applying at ``at``."""
    @property
    def advice_stopped(self) -> List[str]:
        """The ids of the advice that stops applying at ``at``."""
    @property
    def waivers_started(self) -> List[str]:
        """The ids of the waivers that start being used at ``at``."""
    @property
    def waivers_ended(self) -> List[str]:
        """The ids of the waivers that stop being used at ``at``."""
    def to_json(self, *, pretty: bool = False) -> str:
        """The step as JSON, as the Rust library serialises it."""
    def __copy__(self) -> Self:
        """Immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """Immutable: its deep copy is itself."""

@final
class Timeline:
    """One question's decisions over ``[start, until)``, step by step."""

    @property
    def start(self) -> datetime.datetime:
        """The start of the period (included), as an aware datetime in UTC."""
    @property
    def until(self) -> datetime.datetime:
        """The end of the period (excluded), as an aware datetime in UTC."""
    @property
    def steps(self) -> List[Step]:
        """The steps, in time order: the first at ``start``."""
    def decision_at(self, at: Union[datetime.datetime, datetime.date, str]) -> Optional[Decision]:
        """The decision in force at ``at``, or ``None`` outside the period."""
    def to_json(self, *, pretty: bool = False) -> str:
        """The timeline as JSON, as the Rust library serialises it."""
    def __copy__(self) -> Self:
        """Immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """Immutable: its deep copy is itself."""
    def __len__(self) -> int: ...
    def __getitem__(self, index: int, /) -> Step: ...
    def __iter__(self) -> Iterator[Step]: ...

@final
class Change:
    """A deployment whose answer changes at an instant."""

    @property
    def at(self) -> datetime.datetime:
        """The instant of the change, as an aware datetime in UTC."""
    @property
    def system(self) -> str:
        """The id of the deployment's system."""
    @property
    def release(self) -> str:
        """The id of the deployment's release."""
    @property
    def step(self) -> Step:
        """The new decision, and what changed."""
    def to_json(self, *, pretty: bool = False) -> str:
        """The change as JSON, as the Rust library serialises it."""
    def __copy__(self) -> Self:
        """Immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """Immutable: its deep copy is itself."""

@final
class Difference:
    """One question two policy sets answer differently."""

    @property
    def release(self) -> str:
        """The id of the release."""
    @property
    def system(self) -> str:
        """The id of the system."""
    @property
    def before(self) -> Decision:
        """The decision with this engine's policies."""
    @property
    def after(self) -> Decision:
        """The decision with the other policies."""
    @property
    def verdict_changed(self) -> bool:
        """Whether the verdict differs."""
    @property
    def rules_added(self) -> List[str]:
        """The ids of the rules that decide after but not before."""
    @property
    def rules_removed(self) -> List[str]:
        """The ids of the rules that decided before but not after."""
    @property
    def advice_added(self) -> List[str]:
        """The ids of the advice that applies after but not before."""
    @property
    def advice_removed(self) -> List[str]:
        """The ids of the advice that applied before but not after."""
    @property
    def causes(self) -> List[str]:
        """The ids of the rules that make the difference."""
    def to_json(self, *, pretty: bool = False) -> str:
        """The difference as JSON, as the Rust library serialises it."""
    def __copy__(self) -> Self:
        """Immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """Immutable: its deep copy is itself."""

@final
class Impact:
    """What changing an engine's policies would change, for one action at one instant."""

    @property
    def action(self) -> _Action:
        """The action compared."""
    @property
    def at(self) -> datetime.datetime:
        """The instant compared, as an aware datetime in UTC."""
    @property
    def cells_compared(self) -> int:
        """How many cells (release, system) were compared."""
    @property
    def cells(self) -> List[Difference]:
        """The cells of the matrix whose answer differs, row by row."""
    @property
    def deployments(self) -> List[Difference]:
        """The deployments whose answer differs, in inventory order."""
    @property
    def waivers_left_out(self) -> List[str]:
        """The waivers left out of the other engine: they name only rules it lacks."""
    def by_rule(self) -> Dict[str, List[Difference]]:
        """The differing cells by the rules that make them."""
    def count(self, before: _Verdict, after: _Verdict) -> int:
        """How many cells go from verdict ``before`` to verdict ``after``."""
    def to_json(self, *, pretty: bool = False) -> str:
        """The impact as JSON, as the Rust library serialises it."""
    def __copy__(self) -> Self:
        """Immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """Immutable: its deep copy is itself."""

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
    def decide_many(self, questions: Iterable[_Question]) -> Decisions:
        """Answers many questions in one call, in order."""
    @overload
    def sweep(self, at: _At = None, *, as_dicts: Literal[False] = False) -> Decisions:
        """One ``operate`` decision per deployment, in inventory order."""
    @overload
    def sweep(self, at: _At = None, *, as_dicts: Literal[True]) -> List[DecisionDict]: ...
    @overload
    def sweep(self, at: _At = None, *, as_dicts: bool = False) -> Union[Decisions, List[DecisionDict]]: ...
    @overload
    def matrix(self, action: str, at: _At = None, *, as_dicts: Literal[False] = False) -> Matrix:
        """Every release against every system, row by row."""
    @overload
    def matrix(self, action: str, at: _At = None, *, as_dicts: Literal[True]) -> List[DecisionDict]: ...
    @overload
    def matrix(self, action: str, at: _At = None, *, as_dicts: bool = False) -> Union[Matrix, List[DecisionDict]]: ...
    def timeline(
        self,
        system: str,
        action: str,
        release: str,
        start: Union[datetime.datetime, datetime.date, str],
        until: Union[datetime.datetime, datetime.date, str],
    ) -> Timeline:
        """The decisions about one question over ``[start, until)``."""
    def changes(
        self,
        action: str,
        start: Union[datetime.datetime, datetime.date, str],
        until: Union[datetime.datetime, datetime.date, str],
    ) -> List[Change]:
        """Every deployment whose answer changes in ``(start, until)``, in date order."""
    def impact(
        self,
        action: str,
        at: _At = None,
        *,
        packs: Union[str, Iterable[str], None] = None,
        policies: Union[str, Iterable[str], Mapping[str, str], None] = None,
        policy_files: Union[_StrPath, Iterable[_StrPath], None] = None,
    ) -> Impact:
        """What changing this engine's policies to another set would change."""
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
    @property
    def threads(self) -> int:
        """The number of threads asked for: 1 for the calling thread alone, 0 for one per core."""
    def __copy__(self) -> Self:
        """An engine is immutable: its copy is itself."""
    def __deepcopy__(self, memo: Any, /) -> Self:
        """An engine is immutable: its deep copy is itself."""
