"""The shapes of the plain data ``clearance`` hands out, as ``TypedDict``s:
for annotations (``def report(rows: list[clearance.DecisionDict])``) and
type checkers. At run time they are ordinary dicts."""

# Names are used as `typing.X`, so that this module holds only its own types
# (mypy's stubtest reads it as the stub of itself).
import datetime
import typing


class RuleDict(typing.TypedDict):
    """A rule as ``Rule.to_dict`` and ``Decision.to_dict`` give it."""

    id: str
    reason: str
    source: typing.Optional[str]
    quote: typing.Optional[str]
    quote_source: typing.Optional[str]


class DecisionDict(typing.TypedDict):
    """A decision as ``Decision.to_dict`` gives it: the keys of ``Decision.to_json``
    (which leaves ``non_enforcement``, ``holdings`` and ``approvals`` out when they
    are empty, and writes each holding and approval as an object, not a sentence),
    plus ``allowed``."""

    system: str
    action: typing.Literal["procure", "deploy", "operate", "update"]
    release: str
    at: datetime.datetime
    verdict: typing.Literal["allow", "deny"]
    allowed: bool
    rules: typing.List[RuleDict]
    advice: typing.List[RuleDict]
    waivers: typing.List[str]
    errors: typing.List[str]
    chains: typing.List[str]
    non_enforcement: typing.List[str]
    holdings: typing.List[str]
    approvals: typing.List[str]


class ColumnsDict(typing.TypedDict):
    """Decisions as ``Decisions.to_columns`` and ``Matrix.to_columns`` give them:
    equal-length lists, a row per decision."""

    system: typing.List[str]
    action: typing.List[typing.Literal["procure", "deploy", "operate", "update"]]
    release: typing.List[str]
    at: typing.List[datetime.datetime]
    verdict: typing.List[typing.Literal["allow", "deny"]]
    allowed: typing.List[bool]
    rules: typing.List[typing.Tuple[str, ...]]
    advice: typing.List[typing.Tuple[str, ...]]
    waivers: typing.List[typing.Tuple[str, ...]]
    errors: typing.List[typing.Tuple[str, ...]]
    chains: typing.List[typing.Tuple[str, ...]]
