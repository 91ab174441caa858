"""Where a vote's thread is read, and reading it there: the one entry point the CLI and the import
screen (F9) share, so both name a thread, pin the token and report a failure the same way.

A vote may be read at both its venues at once, the GitHub issue and the dev@ thread: the two are
made one thread (votethread/mirrors.py), each mirrored post counted once, by its original."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from pendulum import DateTime

from tvm_vote_tui.domain.thread_ref import (
    GitHubApi,
    IssueRef,
    ListThreadRef,
    ThreadRefError,
    is_list_thread,
    parse_list_thread,
)
from tvm_vote_tui.venues.github import READ_DEADLINE, GitHubReader
from tvm_vote_tui.venues.http import IDLE_TIMEOUT, Progress
from tvm_vote_tui.venues.ponymail import PonyMailReader
from tvm_vote_tui.venues.token import Token
from tvm_vote_tui.votethread.mirrors import Mirrored, one_timeline
from tvm_vote_tui.votethread.posts import Post

BOTH = "a GitHub issue, a dev@ thread (https://lists.apache.org/thread/ID), or both, a space between"


@dataclass(frozen=True)
class ThreadAt:
    """A vote's thread at its venues: a GitHub issue, a dev@ thread in a Pony Mail archive, or both."""

    issue: IssueRef | None = None
    mail: ListThreadRef | None = None

    def __post_init__(self) -> None:
        if self.issue is None and self.mail is None:
            raise ValueError("a thread is at one venue at least")

    @property
    def label(self) -> str:
        return " + ".join(part.short for part in (self.issue, self.mail) if part is not None)

    @property
    def stored(self) -> str:
        """How the session remembers it: the issue, else the dev@ thread's address."""
        if self.issue is not None:
            return self.issue.stored
        assert self.mail is not None
        return self.mail.url


def thread_at(text: str, thread: str, api: GitHubApi) -> ThreadAt:
    """The thread `text` names (the session's own `thread` when `text` is empty): an issue read at
    `api`, a dev@ thread, or one of each; raises ThreadRefError with one line."""
    words = text.split() or thread.split()
    if not words:
        raise ThreadRefError("this session has no thread yet: give the issue (e.g. apache/tvm#16368)")
    if len(words) > 2:
        raise ThreadRefError(f"give {BOTH}")
    issue: IssueRef | None = None
    mail: ListThreadRef | None = None
    for word in words:
        if is_list_thread(word):
            if mail is not None:
                raise ThreadRefError(f"two dev@ threads: give {BOTH}")
            mail = parse_list_thread(word)
        else:
            if issue is not None:
                raise ThreadRefError(f"two GitHub issues: give {BOTH}")
            issue = api.issue(word, thread) if text.strip() else api.issue("", word)
    return ThreadAt(issue, mail)


@dataclass
class ThreadRead:
    """What one read found: every post, in time order, each mirror dropped."""

    at: ThreadAt
    posts: list[Post]
    rate_left: int | None = None
    """GitHub requests left this hour, as GitHub last said."""
    mirrored: list[Mirrored] = field(default_factory=list)
    """The posts dropped as copies of another venue's (counted once, by the original)."""
    unmatched: list[Post] = field(default_factory=list)
    """Bridge posts whose mail was not found: left in review, saying why."""


class VenueReader:
    """Reads threads at the venues (one per screen, used by one worker thread at a time: the
    readers remember ETags and mails between reads)."""

    def __init__(
        self,
        api: GitHubApi,
        token: Token | None = None,
        *,
        bridges: Collection[str] = (),
        timeout: float = IDLE_TIMEOUT,
        deadline: float = READ_DEADLINE,
        clock: Callable[[], DateTime] | None = None,
    ) -> None:
        self.api = api
        self.bridges = tuple(bridges)
        self.github = GitHubReader(api, token, timeout=timeout, deadline=deadline, clock=clock)
        self.ponymail = PonyMailReader(timeout=timeout, deadline=deadline)

    @property
    def token(self) -> Token | None:
        return self.github.token

    def read(self, at: ThreadAt, progress: Progress | None = None) -> ThreadRead:
        """Read the thread at each of its venues; raises FetchError (one line) when one cannot be read."""
        github: list[Post] = []
        rate_left = None
        if at.issue is not None:
            fetched = self.github.fetch(at.issue, progress)
            github, rate_left = fetched.posts, fetched.rate_left
        mail = self.ponymail.fetch(at.mail, progress).posts if at.mail is not None else None
        timeline = one_timeline(github, mail, self.bridges)
        return ThreadRead(at, timeline.posts, rate_left, timeline.mirrored, timeline.unmatched)
