"""What is being decided: the proposal, its kind and status, its window, the links it cites and
what was published where."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from tvm_vote_tui.domain.rules import DEFAULT_RULE, Rule, get_rule
from tvm_vote_tui.domain.text import problem
from tvm_vote_tui.domain.thread_ref import DEFAULT_REPO
from tvm_vote_tui.domain.times import utc_now

if TYPE_CHECKING:
    from pendulum import DateTime

MIN_WINDOW_HOURS = 72
USUAL_WINDOW_DAYS = 7
USUAL_WINDOW = timedelta(days=USUAL_WINDOW_DAYS)
DEFAULT_LIST = "dev@tvm.apache.org"
"""Where TVM mirrors every vote: the mail files' To, unless the proposal names another list."""
MAIL_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
"""One plain address (no display name, no comment, no space or control character)."""

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

    @property
    def default_window(self) -> timedelta:
        """How long a new draft of this kind runs once opened: TVM runs its votes for 7 days."""
        return USUAL_WINDOW


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
    """A vote's life: a draft (still being written, ballots refused), open, closed."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


PUBLISH_STEPS = (
    "vote",
    "vote-mail",
    "status-comment",
    "result-issue",
    "link-comment",
    "close-issue",
    "result-mail",
)
"""What a vote publishes, each at most once: the [VOTE] issue and mail, a status comment on the
vote issue, then the [RESULT] issue, the comment linking it, the vote issue closed, the result mail."""
RESULT_STEPS = frozenset({"result-issue", "link-comment", "close-issue", "result-mail"})
"""Steps that publish the result: only once the vote is closed."""
GITHUB_RESULT_STEPS = ("result-issue", "link-comment", "close-issue")
"""How the result is published on GitHub, in this order (as TVM does it)."""
MAIL_STEPS = frozenset({"vote-mail", "result-mail"})
STATUS_STEP = "status-comment"
"""The first status comment; the next ones are `status-comment-2`, `-3` ...: each is its own step,
done at most once, so a status comment asked for twice is two steps, never one post made twice."""
_STATUS_NTH = re.compile(r"status-comment-[1-9][0-9]{0,3}")
MAX_STATUS_COMMENTS = 9999


def is_status_step(step: str) -> bool:
    """`status-comment`, or a later one (`status-comment-2` ...)."""
    return step == STATUS_STEP or (_STATUS_NTH.fullmatch(step) is not None and step != f"{STATUS_STEP}-1")


def is_known_step(step: str) -> bool:
    return step in PUBLISH_STEPS or is_status_step(step)


def status_step(count: int) -> str:
    """The step of the status comment that follows `count` of them."""
    return STATUS_STEP if count == 0 else f"{STATUS_STEP}-{count + 1}"


@dataclass(frozen=True)
class Published:
    """One step published somewhere: what, where (its URL), when, and the number or message id
    the venue gave it."""

    step: str
    url: str
    at: DateTime
    number: int | None = None
    """The issue or comment number, when the venue numbers it."""
    message_id: str = ""
    """A mail's Message-ID (`<...>`), when known: the result mail answers the vote's."""
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Fields this version does not know (written by a newer one): kept as they are."""


def now() -> DateTime:
    return utc_now().replace(microsecond=0)


@dataclass(frozen=True)
class Proposal:
    title: str
    kind: Kind = Kind.STRATEGY
    rule: str = DEFAULT_RULE
    summary: str = ""
    links: tuple[str, ...] = ()
    opens_at: DateTime | None = field(default_factory=now)
    """When the vote opened; None in a draft, which opens when it is announced."""
    closes_at: DateTime | None = field(default_factory=lambda: now() + USUAL_WINDOW)
    """When the window ends: `opens_at` + the window; None in a draft."""
    status: Status = Status.OPEN
    closed_at: DateTime | None = None
    thread: str = ""
    """Where the vote thread lives, e.g. 'apache/tvm#16368' (the next fetch needs no typing)."""
    list_thread: str = ""
    """The vote's dev@ thread, https://lists.apache.org/thread/ID, beside a GitHub `thread`: read
    with it (F9, import-thread --list) without typing either."""
    repo: str = DEFAULT_REPO
    """The GitHub repository the [VOTE] is posted to (and the [RESULT], when the vote has no issue)."""
    window: timedelta = USUAL_WINDOW
    """How long the vote runs. A draft keeps only this; once open it is `closes_at - opens_at`
    (set from them here, whatever was given)."""
    mailing_list: str = DEFAULT_LIST
    """The list the vote is mirrored on: the To of the mail files."""
    published: tuple[Published, ...] = ()
    """What was published where, each step once, in the order done."""
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Fields this version does not know (written by a newer one): kept as they are."""

    def __post_init__(self) -> None:
        if not isinstance(self.links, tuple):
            object.__setattr__(self, "links", tuple(self.links))
        if not isinstance(self.published, tuple):
            object.__setattr__(self, "published", tuple(self.published))
        if self.status is Status.DRAFT:
            if self.opens_at is not None or self.closes_at is not None or self.closed_at is not None:
                raise ValueError("a draft has no opening, closing or closed time")
        elif self.opens_at is None or self.closes_at is None:
            raise ValueError(f"an {self.status.value} vote has an opening and a closing time")
        else:
            object.__setattr__(self, "window", self.closes_at - self.opens_at)

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT

    def as_draft(self) -> Proposal:
        """This proposal as a draft: its window kept as a length, nothing published yet."""
        return replace(
            self,
            status=Status.DRAFT,
            opens_at=None,
            closes_at=None,
            closed_at=None,
            window=whole_minutes(self.window),
            published=(),
        )

    def post(self, step: str) -> Published | None:
        """What was published for `step`, or None when it was not."""
        return next((p for p in self.published if p.step == step), None)

    @property
    def rule_obj(self) -> Rule:
        return get_rule(self.rule)

    @property
    def veto_applies(self) -> bool:
        """A -1 is a veto under consensus rules, but never on a release vote."""
        return self.rule_obj.veto and self.kind is not Kind.RELEASE

    @property
    def window_hours(self) -> float:
        return self.window.total_seconds() / 3600


def whole_minutes(span: timedelta) -> timedelta:
    """A window as a draft keeps it (and its file writes it): whole minutes, at least one."""
    return timedelta(minutes=max(1, round(span.total_seconds() / 60)))


_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


def bad_links(links: Iterable[str]) -> list[str]:
    """Links that are not http(s) URLs."""
    return [link for link in links if _URL.fullmatch(link) is None or problem(link)]
