"""What is being decided: the proposal, its kind and status, and the links it cites."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from tvm_vote_tui.domain.rules import DEFAULT_RULE, Rule, get_rule
from tvm_vote_tui.domain.text import problem
from tvm_vote_tui.domain.times import utc_now

if TYPE_CHECKING:
    from pendulum import DateTime

MIN_WINDOW_HOURS = 72
USUAL_WINDOW_DAYS = 7

_TAGS = re.compile(r"^\s*(?:\[\s*(?:vote|result|discuss)\s*\]\s*)+", re.IGNORECASE)


def bare_title(title: str) -> str:
    """The title without the '[VOTE]' or '[RESULT][VOTE]' a manager may have typed in front of it,
    so subjects never read '[VOTE] [VOTE] ...', file names never start 'vote-' and a copy is never
    'Copy of [VOTE] ...'."""
    return _TAGS.sub("", title).strip() or title.strip()


class Kind(StrEnum):
    """What is being decided; each kind has a default rule."""

    STRATEGY = "strategy"
    NEW_MODULE = "new-module"
    NEW_CODEBASE = "new-codebase"
    RELEASE = "release"
    PROCEDURAL = "procedural"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def default_rule(self) -> str:
        return KIND_DEFAULT_RULES[self]


KIND_LABELS = {
    Kind.STRATEGY: "Community strategy",
    Kind.NEW_MODULE: "New module",
    Kind.NEW_CODEBASE: "New codebase / sub-project",
    Kind.RELEASE: "Release",
    Kind.PROCEDURAL: "Procedural",
    Kind.OTHER: "Other",
}
KIND_DEFAULT_RULES = {
    Kind.STRATEGY: DEFAULT_RULE,
    Kind.NEW_MODULE: DEFAULT_RULE,
    Kind.NEW_CODEBASE: DEFAULT_RULE,
    Kind.RELEASE: "lazy-majority",
    Kind.PROCEDURAL: "lazy-majority",
    Kind.OTHER: DEFAULT_RULE,
}


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def now() -> DateTime:
    return utc_now().replace(microsecond=0)


@dataclass(frozen=True)
class Proposal:
    title: str
    kind: Kind = Kind.STRATEGY
    rule: str = DEFAULT_RULE
    summary: str = ""
    links: tuple[str, ...] = ()
    opens_at: DateTime = field(default_factory=now)
    closes_at: DateTime = field(default_factory=lambda: now().add(days=USUAL_WINDOW_DAYS))
    status: Status = Status.OPEN
    closed_at: DateTime | None = None
    thread: str = ""
    """Where the vote thread lives, e.g. 'apache/tvm#16368' (the next fetch needs no typing)."""
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Fields this version does not know (written by a newer one): kept as they are."""

    def __post_init__(self) -> None:
        if not isinstance(self.links, tuple):
            object.__setattr__(self, "links", tuple(self.links))

    @property
    def rule_obj(self) -> Rule:
        return get_rule(self.rule)

    @property
    def veto_applies(self) -> bool:
        """A -1 is a veto under consensus rules, but never on a release vote."""
        return self.rule_obj.veto and self.kind is not Kind.RELEASE

    @property
    def window_hours(self) -> float:
        return (self.closes_at - self.opens_at).total_seconds() / 3600


_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


def bad_links(links: Iterable[str]) -> list[str]:
    """Links that are not http(s) URLs."""
    return [link for link in links if _URL.fullmatch(link) is None or problem(link)]
